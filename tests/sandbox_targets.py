"""Functions the sandbox tests run in a child (module-level, so the child can import them)."""

import os
import socket

from app.domain.timesheets import TimesheetError


def double(data: bytes) -> bytes:
    """Return the bytes twice."""
    return data * 2


def refuse(code: str) -> None:
    """Raise a timesheet refusal with ``code``."""
    raise TimesheetError("Refusé exprès.", code)


def allocate(size: int) -> int:
    """Ask for ``size`` bytes at once, the way a native reader sizes a buffer from a file."""
    return len(bytearray(size))


def spin() -> None:
    """Loop forever."""
    while True:
        pass


def abort() -> None:
    """Abort like Rust does on a failed allocation (SIGABRT)."""
    os.abort()


def connect(port: int) -> str:
    """Try to open a TCP connection to the local machine."""
    with socket.create_connection(("127.0.0.1", port), timeout=2):
        return "connected"
