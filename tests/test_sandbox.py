"""The limited child process untrusted bytes are read in (app/sandbox.py)."""

import os
import shutil
import socket
import subprocess
import time

import pytest

from app.domain.timesheets import TimesheetError
from app import sandbox
from app.sandbox import SandboxLimits, SandboxRefusal, run_sandboxed
from tests import sandbox_targets as targets
from tests.security.french import assert_french


def test_run_sandboxed_returns_the_result_and_the_child_peak_memory():
    stats = {}
    assert run_sandboxed(targets.double, b"ab", sandbox_stats=stats) == b"abab"
    assert stats["outcome"] == "ok" and 0 < stats["child_peak_rss"] < 300 * 1024 * 1024


def test_run_sandboxed_function_error_is_raised_with_its_code():
    with pytest.raises(TimesheetError) as caught:
        run_sandboxed(targets.refuse, "too_many_rows")
    assert caught.value.code == "too_many_rows" and caught.value.message_fr == "Refusé exprès."


def test_run_sandboxed_allocation_past_the_limit_is_refused_in_french():
    with pytest.raises(SandboxRefusal) as caught:
        run_sandboxed(targets.allocate, 2 * 1024 ** 3, sandbox_limits=SandboxLimits(memory_mb=1024))
    assert caught.value.reason == "memory"
    assert_french(caught.value.message_fr, "allocation")


def test_run_sandboxed_abort_is_a_refusal_and_the_caller_survives():
    with pytest.raises(SandboxRefusal) as caught:
        run_sandboxed(targets.abort)
    assert caught.value.reason == "crash" and caught.value.exitcode == -6
    assert run_sandboxed(targets.double, b"x") == b"xx"


def test_run_sandboxed_child_is_killed_at_the_wall_clock_deadline():
    start = time.monotonic()
    with pytest.raises(SandboxRefusal) as caught:
        run_sandboxed(targets.spin, sandbox_limits=SandboxLimits(wall_seconds=0.5))
    assert caught.value.reason == "timeout" and time.monotonic() - start < 5


@pytest.mark.slow
def test_run_sandboxed_child_is_stopped_at_its_cpu_limit():
    with pytest.raises(SandboxRefusal) as caught:
        run_sandboxed(targets.spin, sandbox_limits=SandboxLimits(cpu_seconds=1, wall_seconds=30))
    assert caught.value.reason == "cpu"


def _can_unshare_network() -> bool:
    # Root in a container without CAP_SYS_ADMIN cannot: the child then only has no socket given.
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "--net", "true"], capture_output=True, check=False).returncode == 0


@pytest.mark.skipif(not _can_unshare_network(), reason="an empty network namespace needs root and CAP_SYS_ADMIN")
def test_run_sandboxed_child_cannot_reach_a_local_server():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with pytest.raises(OSError):
            run_sandboxed(targets.connect, server.getsockname()[1])


def test_run_sandboxed_in_a_forked_process_shares_the_server():
    # An RQ work-horse is forked from the worker, which started the server beforehand.
    sandbox.warm_up()
    server = sandbox._server().process.pid
    pid = os.fork()
    if pid == 0:
        same = False
        try:
            same = run_sandboxed(targets.double, b"a") == b"aa" and sandbox._server().process.pid == server
        finally:
            os._exit(0 if same else 1)
    _pid, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_run_sandboxed_concurrent_calls_from_threads_each_get_their_answer():
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda n: run_sandboxed(targets.double, bytes([65 + n])), range(24)))
    assert results == [bytes([65 + n]) * 2 for n in range(24)]
