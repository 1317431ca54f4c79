"""Outgoing mail: templates, the sent-mail record, delivery, scheduled reminders, notifications."""

from dataclasses import dataclass


@dataclass(frozen=True)
class MailSite:
    """What a mail needs from the deployment: the public address of Clausier and the link secret."""

    base_url: str
    secret_key: str

    def url(self, path: str) -> str:
        """Return the absolute address of ``path`` (``/releves/deposer``)."""
        return f"{self.base_url.rstrip('/')}{path}"
