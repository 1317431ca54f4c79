"""The limited child process untrusted bytes are read in (app/sandbox.py)."""

import os
import socket
import time

import pytest

from app.domain.timesheets import TimesheetError
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


@pytest.mark.skipif(os.geteuid() != 0, reason="an empty network namespace needs root")
def test_run_sandboxed_child_cannot_reach_a_local_server():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with pytest.raises(OSError):
            run_sandboxed(targets.connect, server.getsockname()[1])
