"""Run a pure function on untrusted bytes in a child process with hard limits.

Native readers (calamine, pdfium, pdfplumber's pdfminer, lxml under docxtpl) size their memory
and their work from the file itself; a few hundred bytes can ask for 10 GB (calamine then aborts
the whole process: no exception reaches Python) or keep a CPU busy for minutes. The cheap guards
refuse what they recognise; this module is the floor under them: the function runs in a child
with an address-space limit (RLIMIT_AS), a CPU limit (RLIMIT_CPU), a wall-clock deadline after
which the parent kills it, no core dump and, when the kernel lets us, no network namespace. A
child that is killed, aborts or exceeds a limit becomes ``SandboxRefusal`` (French message); the
web process and the worker go on.

Children are forked by a small server process of ours (``python -m app.sandbox``), started
once per process on first use (the RQ worker starts it before forking its work-horses, which
share it), single-threaded, with the readers already imported: each call costs one fork
(milliseconds), not an interpreter start and the readers' imports (about a second, what
"spawn" would cost). The web and worker processes themselves are never forked: they run
threads, and a fork copies the locks other threads hold. multiprocessing's own "forkserver"
would do, but in Python 3.11 it re-runs the parent's main script in every child (its
``__main__`` preload never receives the script's path): pytest, gunicorn or the CLI would be
imported again for each file. Requests travel as datagrams (SOCK_SEQPACKET), so threads and
processes sharing the server never mix two requests. The server kills a child past its
wall-clock deadline itself, before reaping it, so no process id can be reused under our feet.
"""

from __future__ import annotations

import atexit
import ctypes
import os
import pickle
import resource
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024
# Modules the server imports once so each child starts warm (a failed import is skipped).
PRELOAD = (
    "app.domain.timesheets",
    "app.domain.timesheets.excel",
    "app.domain.timesheets.pdf",
    "app.domain.documents.rendering",
    "app.domain.documents.scans",
    # What unpickling a document kind imports (its sample values are plain data; the job
    # packages' kinds modules, reports' with matplotlib, are not needed in the child).
    "app.domain.documents.kinds",
)
_CLONE_NEWNET = 0x40000000


@dataclass(frozen=True)
class SandboxLimits:
    """What one child may use; generous for any honest file, far below what a bomb asks."""

    memory_mb: int = 1024  # address space, libraries included
    cpu_seconds: int = 60
    wall_seconds: float = 90.0


DEFAULT_LIMITS = SandboxLimits()

_REASONS = {
    "memory": "il demandait beaucoup trop de mémoire",
    "cpu": "il demandait beaucoup trop de calcul",
    "timeout": "le traitement a été interrompu car il durait trop longtemps",
    "crash": "le programme de lecture s'est arrêté brutalement sur son contenu",
}


class SandboxRefusal(Exception):
    """The child was killed, aborted or exceeded a limit; ``message_fr`` says so in French."""

    def __init__(self, reason: str, exitcode: int | None = None) -> None:
        self.reason = reason
        self.exitcode = exitcode
        self.message_fr = (f"Ce fichier n'a pas pu être lu sans danger : {_REASONS[reason]}. "
                           "Enregistrez-le à nouveau depuis le tableur ou le traitement de texte, "
                           "puis renvoyez-le ; si cela recommence, prévenez l'équipe.")
        super().__init__(self.message_fr)

    @property
    def template_message_fr(self) -> str:
        """Say the same of a document template being rendered."""
        return (f"Ce modèle n'a pas pu être rendu sans danger : {_REASONS[self.reason]}. Vérifiez ses "
                "boucles et ses répétitions, ou revenez au modèle par défaut.")


def run_sandboxed(func, *args, sandbox_limits: SandboxLimits = DEFAULT_LIMITS, sandbox_stats: dict | None = None,
                  **kwargs):
    """Return ``func(*args, **kwargs)`` computed in a limited child process.

    ``func`` must be a module-level function and its arguments and result picklable. An
    exception raised by ``func`` is raised here as it was; the child dying or hitting a limit
    raises SandboxRefusal. ``sandbox_stats``, when given, receives the child's peak resident
    memory in bytes (``child_peak_rss``) and the outcome.
    """
    limits, stats = sandbox_limits, sandbox_stats
    request = pickle.dumps((limits, func, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)
    ours, theirs = socket.socketpair()
    try:
        with ours:
            try:
                _server().submit(theirs, limits.wall_seconds)
            finally:
                theirs.close()
            _send(ours, request)
            ours.shutdown(socket.SHUT_WR)
            pid = _receive(ours, limits.wall_seconds + 10)[1]
            peak, message = 0, None
            # The server kills the child at its deadline; this one only matters if the server died.
            deadline = time.monotonic() + limits.wall_seconds + 10
            while message is None:
                if stats is not None:
                    peak = max(peak, _peak_rss(pid))
                if select.select([ours], [], [], 0.02)[0]:
                    message = _receive(ours, limits.wall_seconds + 10)
                elif time.monotonic() > deadline:
                    _kill(pid)
                    message = ("exit", -signal.SIGKILL, True)
    except (OSError, EOFError, pickle.UnpicklingError) as exc:
        raise SandboxRefusal("crash") from exc
    if message[0] == "exit":
        reason = "timeout" if message[2] else _reason(message[1])
        if stats is not None:
            stats.update(child_peak_rss=peak, outcome=reason)
        raise SandboxRefusal(reason, message[1])
    kind, value, child_peak = message
    if stats is not None:
        stats.update(child_peak_rss=max(peak, child_peak), outcome=kind)
    if kind == "ok":
        return value
    if kind == "memory":
        raise SandboxRefusal("memory")
    raise value


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def _reason(status: int) -> str:
    if status == -signal.SIGXCPU:
        return "cpu"
    if status == -signal.SIGKILL:
        return "memory"  # the kernel's out-of-memory killer, or the hard CPU limit
    return "crash"


# --- framing: a 4-byte length, then a pickle ---

def _send(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(struct.pack("!I", len(payload)) + payload)


def _receive(sock: socket.socket, timeout: float):
    sock.settimeout(timeout)
    size = struct.unpack("!I", _exactly(sock, 4))[0]
    return pickle.loads(_exactly(sock, size))


def _exactly(sock: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise EOFError("sandbox connection closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


# --- the parent's side: one server per process ---

class _Server:
    """The fork server this process started: hand it a connection and a deadline per call."""

    def __init__(self) -> None:
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        root = str(Path(__file__).resolve().parents[1])
        # calamine prints a Rust backtrace when it aborts: one line says enough in the log.
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([root, *sys.path]), RUST_BACKTRACE="0")
        with theirs:
            self.process = subprocess.Popen([sys.executable, "-m", "app.sandbox", str(theirs.fileno())],
                                            pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL)
        self.pid = os.getpid()
        self.lock = threading.Lock()

    def alive(self) -> bool:
        if self.pid == os.getpid():
            return self.process.poll() is None
        try:  # a forked process (a work-horse) shares its parent's server while it runs
            os.kill(self.process.pid, 0)
        except OSError:
            return False
        return True

    def submit(self, connection: socket.socket, wall_seconds: float) -> None:
        with self.lock:
            socket.send_fds(self.control, [struct.pack("!d", wall_seconds)], [connection.fileno()])

    def stop(self) -> None:
        if self.pid != os.getpid():
            return
        self.control.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


_LOCK = threading.Lock()
_SERVER: _Server | None = None


def _server() -> _Server:
    """Return the server, started on first use (again if it died, or if a forked process lost it)."""
    global _SERVER
    with _LOCK:
        if _SERVER is None or not _SERVER.alive():
            if _SERVER is None:
                atexit.register(_stop_server)
            elif _SERVER.pid == os.getpid():
                _SERVER.stop()
            _SERVER = _Server()
        return _SERVER


def _stop_server() -> None:
    if _SERVER is not None:
        _SERVER.stop()


def warm_up() -> None:
    """Start this process's server now, so that processes forked later share it."""
    _server()


def _after_fork_in_child() -> None:
    # A lock another thread held at the fork stays held for ever in the child: take new ones.
    global _LOCK
    _LOCK = threading.Lock()
    if _SERVER is not None:
        _SERVER.lock = threading.Lock()


os.register_at_fork(after_in_child=_after_fork_in_child)


# --- the server's side ---

def serve(control_fd: int) -> None:
    """Fork one child per connection received; report its exit; kill it past its deadline."""
    control = socket.socket(fileno=control_fd)
    for name in PRELOAD:
        try:
            __import__(name)
        except Exception:  # noqa: BLE001 - the child will import it and fail there, in its sandbox
            pass
    children: dict[int, tuple[socket.socket, float]] = {}
    while True:
        ready = select.select([control], [], [], 0.02)[0]
        if ready:
            try:
                message, fds, _flags, _address = socket.recv_fds(control, 64, 1)
            except OSError:
                message, fds = b"", []
            if not message:
                break  # the parent closed its end or died
            connection = socket.socket(fileno=fds[0])
            deadline = time.monotonic() + struct.unpack("!d", message)[0]
            pid = os.fork()
            if pid == 0:
                control.close()
                for other, _deadline in children.values():
                    other.close()
                _run_child(connection)
            children[pid] = (connection, deadline)
        _reap(children)
    for pid in children:
        os.kill(pid, signal.SIGKILL)


def _reap(children: dict) -> None:
    now = time.monotonic()
    for pid, (connection, deadline) in list(children.items()):
        done, status = os.waitpid(pid, os.WNOHANG)
        killed = False
        if not done and now > deadline:
            os.kill(pid, signal.SIGKILL)
            done, status = os.waitpid(pid, 0)
            killed = True
        if done:
            del children[pid]
            try:
                _send(connection, pickle.dumps(("exit", _status(status), killed)))
            except OSError:
                pass
            connection.close()


def _status(status: int) -> int:
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def _run_child(connection: socket.socket) -> None:
    """In the forked child: read the call, apply the limits, run it, send the result, exit."""
    code = 0
    try:
        _send(connection, pickle.dumps(("pid", os.getpid())))
        limits, func, args, kwargs = _receive(connection, None)
        _apply_limits(limits)
        try:
            result = ("ok", func(*args, **kwargs))
        except MemoryError:
            result = ("memory", None)
        except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises it
            result = ("error", exc)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        try:
            payload = pickle.dumps((*result, peak))
        except MemoryError:
            payload = pickle.dumps(("memory", None, peak))
        except Exception as exc:  # noqa: BLE001 - an exception or result that does not pickle
            payload = pickle.dumps(("error", RuntimeError(f"{type(exc).__name__}: {exc}"), peak))
        _send(connection, payload)
    except BaseException:  # noqa: BLE001 - the parent reads the exit status instead
        code = 70
    finally:
        os._exit(code)


def _apply_limits(limits: SandboxLimits) -> None:
    memory = limits.memory_mb * MB
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # SIGXCPU at the soft limit (its default action ends the process), SIGKILL one second later.
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _leave_network()


def _leave_network() -> None:
    """Move the child into an empty network namespace (root only; elsewhere it opens no socket)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.unshare(_CLONE_NEWNET)  # EPERM in a container without CAP_SYS_ADMIN: keep going
    except (OSError, AttributeError):
        pass


def _peak_rss(pid: int | None) -> int:
    """Return a live process's peak resident memory in bytes (0 when unknown)."""
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


if __name__ == "__main__":
    serve(int(sys.argv[1]))
