"""A real SMTP server (aiosmtpd) started by the test, and the mail site used to build links."""

import socket
from email import message_from_bytes
from email.policy import default

import pytest
from aiosmtpd.controller import Controller

from app.services.mail import MailSite


class Inbox:
    """Collect what the server accepted; refuse with a 4xx while ``failures`` is above zero."""

    def __init__(self) -> None:
        self.messages = []
        self.failures = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.failures > 0:
            self.failures -= 1
            return "451 4.3.0 Serveur occupe, reessayez"
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=default)))
        return "250 OK"

    def to(self, address: str) -> list:
        """Return the messages delivered to ``address``."""
        return [message for rcpts, message in self.messages if address in rcpts]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    """Start an SMTP server on a free local port; yield (inbox, MAIL_URL)."""
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, f"smtp://127.0.0.1:{port}?tls=none&timeout=5"
    finally:
        controller.stop()


@pytest.fixture
def site(app) -> MailSite:
    """Return the mail site of the test app."""
    return MailSite("https://clausier.example.fr", app.config["SECRET_KEY"])
