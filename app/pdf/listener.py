"""A LibreOffice kept running between conversions (the warm converter), started on first use.

A cold ``soffice --convert-to`` spends about 1.2 s starting before a document that takes 0.3 s.
Here one LibreOffice per profile stays up, driven over UNO by app/pdf/uno_bridge.py, a small
server run by a Python that can ``import uno`` (Debian's python3 with python3-uno: the app's own
venv cannot load that module). We talk to it over a Unix socket, one JSON line each way.

Why not unoserver: its server must be installed into that system Python (pip against Debian's
externally managed Python), and it joins LibreOffice and its clients through TCP ports, which an
empty network namespace makes unreachable from outside: LibreOffice would have to run with the
network. Our bridge and LibreOffice run together in such a namespace (the cold path's prefix) and
are reached through socket files, which cross it. The bridge is 150 lines of stdlib and uno.

Lifetimes, in the web process as in the RQ worker (which forks a work-horse per job; the worker
calls ``warm_up`` first so the work-horses share its listener):
- calls are serialised by the profile's file lock, across threads and processes;
- a listener that died, or whose socket refuses, is killed and started again by the next caller;
- a call past its time limit kills the listener (LibreOffice included) and raises the cold path's
  error; the next call starts a new one;
- the process that started a listener stops it at exit (atexit); and every bridge reads a
  "lifeline" pipe whose write end only that process and its forks hold, so it also stops itself
  when they are gone, killed included: no orphan LibreOffice.
When the bridge cannot run here (no Python with uno, it exits while starting), ``ListenerUnavailable``
sends the caller back to the cold path, and the listener is not tried again for a few minutes.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import signal
import socket
import stat
import subprocess
import tempfile
import threading
import time
from functools import lru_cache
from pathlib import Path

from app.pdf.office import HEADLESS, Batch, PdfConversionError, profile_lock, timeout_error, without_network

BRIDGE = Path(__file__).with_name("uno_bridge.py")
UNO_PYTHONS = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python", "/opt/libreoffice/program/python",
               "/Applications/LibreOffice.app/Contents/Resources/python")
RETRY_AFTER = 300.0  # seconds before trying again a listener that could not start
STOP_SECONDS = 8.0


class ListenerUnavailable(Exception):
    """The listener cannot run here; the caller converts with a one-shot LibreOffice instead."""


@lru_cache(maxsize=1)
def uno_python() -> str | None:
    """Return a Python that can import uno (CLAUSIER_UNO_PYTHON first), or None."""
    override = os.environ.get("CLAUSIER_UNO_PYTHON")
    for candidate in (override,) if override else UNO_PYTHONS:
        if not os.access(candidate, os.X_OK):
            continue
        try:
            probe = subprocess.run([candidate, "-I", "-c", "import uno"], capture_output=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            continue
        if probe.returncode == 0:
            return candidate
    return None


def warm_profile(profile: Path) -> Path:
    """Return the listener's profile beside the cold one: a second LibreOffice on a profile gets
    its documents handed to the first."""
    return profile.with_name(f"{profile.name}-warm")


def convert_batch(binary: str, batch: Batch, timeout: float, profile: Path) -> str:
    """Convert the batch through the listener of ``profile``; return the failures, for the error."""
    return _listener(warm_profile(profile)).convert(binary, batch, timeout)


def ensure_started(binary: str, profile: Path, timeout: float) -> None:
    """Start the listener of ``profile`` now, so that processes forked later share it."""
    _listener(warm_profile(profile)).ensure_started(binary, timeout)


def listener_pid(profile: Path) -> int | None:
    """Return the process id of the listener of ``profile`` (its bridge), if one was started."""
    return _listener(warm_profile(profile)).recorded()[0]


def stop_listeners() -> None:
    """Stop the listeners this process owns (at exit, and between tests)."""
    with _LOCK:
        listeners = list(_LISTENERS.values())
    for listener in listeners:
        listener.stop()


class _Listener:
    """One profile's listener: its socket, its UNO pipe name, and the file naming its process."""

    def __init__(self, profile: Path) -> None:
        key = hashlib.sha256(str(profile).encode()).hexdigest()[:16]
        self.profile, self.pipe_name = profile, f"clausier-{key}"
        self.socket_path = _runtime_dir() / f"{key}.sock"
        self.pid_file = profile / "listener.pid"
        self.process: subprocess.Popen | None = None
        self.started_by = 0  # the process holding self.process; a fork only knows the pid file
        self.failed_at = -RETRY_AFTER

    def convert(self, binary: str, batch: Batch, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        request = json.dumps({"convert": [[str(batch.sources[name]), str(batch.targets[name])]
                                          for name in batch.sources]}).encode() + b"\n"
        batch.out_dir.mkdir(exist_ok=True)
        with profile_lock(self.profile, timeout):
            # A LibreOffice found dead mid-call is started again once: a killed listener is not the
            # document's fault; dying twice on it is.
            for _attempt in range(2):
                reply = self._ask(self._connect() or self._start(binary, deadline, timeout), request,
                                  deadline, timeout)
                if "errors" in reply:
                    break
                self._kill()
            else:
                raise PdfConversionError("LibreOffice s'est arrêté pendant la conversion : le document est "
                                         "peut-être endommagé. Enregistrez-le à nouveau puis réessayez.")
        sources = {str(path): name for name, path in batch.sources.items()}
        return "; ".join(f"{sources.get(path, path)} : {error}" for path, error in reply["errors"].items()) \
            or "LibreOffice n'a signalé aucune erreur"

    def ensure_started(self, binary: str, timeout: float) -> None:
        with profile_lock(self.profile, timeout):
            connection = self._connect() or self._start(binary, time.monotonic() + timeout, timeout)
            connection.close()

    def _ask(self, connection: socket.socket, request: bytes, deadline: float, limit: float) -> dict:
        """Send the request; return the reply, or ``{}`` when the listener died under it."""
        data = b""
        with connection:
            try:
                connection.settimeout(max(deadline - time.monotonic(), 0.001))
                connection.sendall(request)
                while not data.endswith(b"\n"):
                    connection.settimeout(max(deadline - time.monotonic(), 0.001))
                    chunk = connection.recv(65536)
                    if not chunk:
                        return {}
                    data += chunk
            except TimeoutError:
                self._kill()
                raise timeout_error(limit) from None
            except OSError:
                return {}
        return json.loads(data)

    def _connect(self) -> socket.socket | None:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            connection.connect(str(self.socket_path))
        except OSError:
            connection.close()
            return None
        return connection

    def _start(self, binary: str, deadline: float, limit: float) -> socket.socket:
        """Start the bridge and its LibreOffice; return a connection once it accepts one."""
        self._kill()  # whatever is left of the previous one
        python = uno_python()
        if python is None:
            raise ListenerUnavailable("aucun Python ne peut importer uno (paquet Debian python3-uno)")
        if time.monotonic() - self.failed_at < RETRY_AFTER:
            raise ListenerUnavailable("le serveur LibreOffice n'a pas pu démarrer il y a peu")
        owner, lifeline = _lifeline()
        command = [*without_network(), python, "-I", str(BRIDGE), str(self.socket_path), str(lifeline),
                   self.pipe_name, "--", binary, f"-env:UserInstallation={self.profile.as_uri()}", *HEADLESS,
                   "--nodefault", f"--accept=pipe,name={self.pipe_name};urp;StarOffice.ComponentContext"]
        log_path = self.profile / "listener.log"
        with open(log_path, "wb") as log:
            # A session of its own: killing its group kills LibreOffice (oosplash, soffice.bin) too.
            self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                            pass_fds=(lifeline,), start_new_session=True)
        self.started_by = os.getpid()
        self.pid_file.write_text(f"{self.process.pid} {owner}\n")
        while (connection := self._connect()) is None:
            if self.process.poll() is not None:
                self._kill()
                self.failed_at = time.monotonic()
                said = log_path.read_text("utf-8", "replace").strip()[-300:]
                raise ListenerUnavailable(f"le serveur LibreOffice s'est arrêté au démarrage : {said}")
            if time.monotonic() > deadline:
                self._kill()
                raise timeout_error(limit)
            time.sleep(0.05)
        return connection

    def recorded(self) -> tuple[int | None, int | None]:
        """Return (bridge pid, lifeline owner pid) from the pid file, or Nones."""
        try:
            pid, owner = (int(word) for word in self.pid_file.read_text().split())
        except (OSError, ValueError):
            return None, None
        return pid, owner

    def _kill(self) -> None:
        """Kill this profile's bridge and its LibreOffice at once, whoever started them."""
        if self.process is not None and self.started_by == os.getpid():
            _kill_group(self.process.pid)
            self.process.wait()
        self.process = None
        pid = self.recorded()[0]
        if pid is not None and self._is_bridge(pid):
            _kill_group(pid)
            _wait_until(lambda: not self._is_bridge(pid), STOP_SECONDS)
        self.pid_file.unlink(missing_ok=True)

    def stop(self) -> None:
        """Ask a listener of this process (or of its forks) to quit cleanly, then kill what is left."""
        pid, owner = self.recorded()
        if pid is None or os.getpid() not in (owner, self.started_by):
            return
        try:
            os.kill(pid, signal.SIGTERM)  # the bridge closes LibreOffice, which saves its profile
        except OSError:
            pass
        if self.process is not None and self.started_by == os.getpid():
            try:
                self.process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                pass
        else:
            _wait_until(lambda: not self._is_bridge(pid), STOP_SECONDS)
        self._kill()

    def _is_bridge(self, pid: int) -> bool:
        """Tell whether ``pid`` is this profile's live bridge, leading its group (not a recycled id)."""
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                arguments = handle.read().split(b"\0")
            return str(self.socket_path).encode() in arguments and os.getpgid(pid) == pid
        except OSError:
            return False


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def _wait_until(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def _runtime_dir() -> Path:
    """Return a directory for the sockets that only this user can enter (a socket path is short)."""
    path = Path(tempfile.gettempdir()) / f"clausier-pdf-{os.getuid()}"
    path.mkdir(mode=0o700, exist_ok=True)
    info = path.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise ListenerUnavailable(f"{path} n'est pas un dossier réservé à cet utilisateur")
    return path


_LOCK = threading.Lock()
_LISTENERS: dict[Path, _Listener] = {}
_LIFELINE: tuple[int, int, int] | None = None  # (owner pid, read end, write end)


def _listener(profile: Path) -> _Listener:
    if os.name != "posix":
        raise ListenerUnavailable("le LibreOffice résident demande un système POSIX")
    with _LOCK:
        if profile not in _LISTENERS:
            profile.mkdir(parents=True, exist_ok=True)
            _LISTENERS[profile] = _Listener(profile)
        return _LISTENERS[profile]


def _lifeline() -> tuple[int, int]:
    """Return the owner and read end of the pipe whose write end this process and its forks hold."""
    global _LIFELINE
    with _LOCK:
        if _LIFELINE is None:
            read, write = os.pipe()  # not inherited by exec'd programs; forks keep the write end
            _LIFELINE = (os.getpid(), read, write)
        return _LIFELINE[0], _LIFELINE[1]


def _after_fork_in_child() -> None:
    # A lock another thread held at the fork stays held for ever in the child: take a new one.
    global _LOCK
    _LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
atexit.register(stop_listeners)
