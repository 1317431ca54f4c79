"""Keep one LibreOffice running and convert DOCX files to PDF through it (the listener's server side).

Run by a Python that can ``import uno`` (Debian's /usr/bin/python3 with python3-uno), not by the
app's: this file imports the standard library and uno only. Started by app/pdf/listener.py as

    python3 -I uno_bridge.py SOCKET LIFELINE_FD PIPE_NAME -- soffice ARGS...

in a session of its own and, when the kernel allows, in an empty network namespace that LibreOffice
inherits. It starts LibreOffice listening on a UNO pipe (a Unix socket file, reachable across the
namespace), then serves one request at a time on SOCKET: a JSON line ``{"convert": [[docx, pdf],
...]}`` answered by ``{"errors": {docx: message}}`` or, when LibreOffice died under it,
``{"office_died": true}``. It stops LibreOffice and exits when LIFELINE_FD reaches end of file (every
process holding the pipe's other end has exited), when LibreOffice dies, or on SIGTERM.
"""

import json
import os
import select
import signal
import socket
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue

START_SECONDS = 60.0
# Loading options: no window, nothing written back, no link updated, no macro run (UpdateDocMode and
# MacroExecutionMode 0 are NO_UPDATE and NEVER_EXECUTE).
LOAD = (("Hidden", True), ("ReadOnly", True), ("UpdateDocMode", 0), ("MacroExecutionMode", 0))
STORE = (("FilterName", "writer_pdf_Export"),)


def properties(pairs):
    """Return UNO PropertyValues for (name, value) pairs."""
    values = []
    for name, value in pairs:
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        values.append(prop)
    return tuple(values)


def connect(pipe_name, office):
    """Return LibreOffice's Desktop once it answers on the pipe; None if it exits or never answers."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and office.poll() is None:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe_name};urp;StarOffice.ComponentContext")
        except Exception:  # noqa: BLE001 - NoConnectException until LibreOffice listens
            time.sleep(0.05)
            continue
        return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    return None


def convert(desktop, source, target):
    """Convert one file; return None, or the reason it failed."""
    try:
        document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, properties(LOAD))
        if document is None:
            return "document illisible"
        try:
            document.storeToURL(uno.systemPathToFileUrl(target), properties(STORE))
        finally:
            try:
                document.close(True)
            except Exception:  # noqa: BLE001 - a close veto: dispose of it instead
                document.dispose()
    except Exception as exc:  # noqa: BLE001 - a UNO exception, reported to the client
        return f"{type(exc).__name__}: {getattr(exc, 'Message', '') or exc}"[:300]
    return None


def alive(desktop, office):
    """Tell whether LibreOffice still answers."""
    if office.poll() is not None:
        return False
    try:
        desktop.getFrames()
    except Exception:  # noqa: BLE001 - the URP bridge is disposed
        return False
    return True


def serve_one(connection, desktop, office):
    """Answer one request; return False when LibreOffice died while serving it."""
    with connection:
        try:
            connection.settimeout(60)  # the client sends its request at once; never wait on it for ever
            data = b""
            while not data.endswith(b"\n"):
                chunk = connection.recv(65536)
                if not chunk:
                    return True
                data += chunk
            pairs = json.loads(data)["convert"]
        except (OSError, ValueError, KeyError, TypeError):
            return True  # a client gone, or not ours: the next one is served
        errors = {}
        for source, target in pairs:
            error = convert(desktop, source, target)
            if error is not None:
                if not alive(desktop, office):
                    reply = {"office_died": True}
                    break
                errors[source] = error
        else:
            reply = {"errors": errors}
        try:
            connection.sendall(json.dumps(reply).encode() + b"\n")
        except OSError:
            pass  # the client gave up waiting
    return "errors" in reply


def main(argv):
    """Start LibreOffice, serve conversions until told to stop, then stop LibreOffice."""
    socket_path, lifeline, pipe_name, command = argv[1], int(argv[2]), argv[3], argv[5:]
    if os.getpgid(0) != os.getpid():
        os.setsid()  # the group killed at the end must be ours only
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    office = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    server, desktop = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM), None
    try:
        desktop = connect(pipe_name, office)
        if desktop is None:
            print("LibreOffice ne répond pas sur son canal UNO.", file=sys.stderr)
            return 3
        if os.path.exists(socket_path):
            os.unlink(socket_path)
        server.bind(socket_path)
        server.listen(16)  # the client binds nothing before this: a connection means ready
        while True:
            ready = select.select([server, lifeline], [], [], 1.0)[0]
            if office.poll() is not None or (lifeline in ready and not os.read(lifeline, 1)):
                return 0
            if server in ready and not serve_one(server.accept()[0], desktop, office):
                return 0
    finally:
        # A LibreOffice that does not quit within 5 seconds is killed, its children too.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGALRM, lambda *_: os.killpg(0, signal.SIGKILL))
        signal.alarm(5)
        server.close()
        try:
            os.unlink(socket_path)
        except OSError:
            pass
        if desktop is not None and office.poll() is None:
            try:
                desktop.terminate()  # saves the profile cleanly
                office.wait(5)
            except Exception:  # noqa: BLE001 - already gone, or refusing: killed below
                pass
        os.killpg(0, signal.SIGKILL)  # soffice.bin is oosplash's child, still in our group


if __name__ == "__main__":
    sys.exit(main(sys.argv))
