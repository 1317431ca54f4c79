"""A live Clausier on a demo database, and headless Debian Chromium driven by Playwright."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_instance(tmp_path_factory) -> dict:
    """Prepare a demo database in its own folder, as ``make run`` does; return its environment."""
    folder = tmp_path_factory.mktemp("live")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'live.sqlite3'}", "CLAUSIER_INSTANCE_PATH": str(folder)}
    env.pop("REDIS_URL", None)
    env.pop("CLAUSIER_REQUIRE_TOTP", None)
    subprocess.run([sys.executable, "-m", "app.cli", "seed-demo"], env=env, check=True, capture_output=True, timeout=120)
    return env


@pytest.fixture(scope="session")
def live_database_url(live_instance) -> str:
    """Return the URL of the live server's database (to read what a test needs)."""
    return live_instance["DATABASE_URL"]


@pytest.fixture(scope="session")
def live_server(live_instance):
    """Serve the app with the demo data in a child process, as ``make run`` does."""
    env = live_instance
    folder = Path(env["CLAUSIER_INSTANCE_PATH"])
    port = free_port()
    log = folder / "server.log"
    with log.open("wb") as log_file:
        server = subprocess.Popen([sys.executable, "-m", "app.cli", "run", "--port", str(port), "--no-reload"],
                                  env=env, stdout=log_file, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}/connexion", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        server.kill()
        pytest.fail("the live server did not start: " + log.read_text()[-2000:])
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def chromium():
    """Launch Debian's Chromium once for the session."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium (paquet Debian « chromium ») n'est pas installé : `make test` l'installe.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """Open a fresh browser context (no cookies) and page."""
    context = chromium.new_context(locale="fr-FR")
    tab = context.new_page()
    yield tab
    context.close()
