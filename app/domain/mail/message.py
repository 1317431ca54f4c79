"""Build the MIME message of a rendered mail (standard library only)."""

from email.message import EmailMessage
from datetime import datetime
from email.utils import format_datetime, formataddr

from app.domain.mail.rendering import RenderedMail

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def build_message(mail: RenderedMail, *, sender_name: str, sender_address: str, reply_to: str, to: str,
                  sent_at: datetime, message_key: str, attachment: tuple[str, bytes] | None = None) -> EmailMessage:
    """Return the multipart message: text, HTML alternative, and the attachment if any.

    ``message_key`` feeds the Message-ID, so a retried mail keeps its identity for the receiver.
    """
    message = EmailMessage()
    message["Subject"] = mail.subject
    message["From"] = formataddr((sender_name, sender_address))
    if reply_to:
        message["Reply-To"] = reply_to
    message["To"] = to
    message["Date"] = format_datetime(sent_at)
    message["Message-ID"] = f"<{message_key}@{sender_address.rpartition('@')[2] or 'localhost'}>"
    message["Auto-Submitted"] = "auto-generated"
    message["Content-Language"] = "fr"
    message.set_content(mail.text, charset="utf-8")
    message.add_alternative(mail.html, subtype="html", charset="utf-8")
    if attachment is not None:
        name, data = attachment
        message.add_attachment(data, maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1], filename=name)
    return message
