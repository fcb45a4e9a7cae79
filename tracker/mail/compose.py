"""A letter as an e-mail: a text part, an HTML part and the PDF, with its own reply address."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from tracker.mail.settings import MailSettings
from tracker.mail.tokens import plus_address


@dataclass(frozen=True)
class Envelope:
    """Who the server is told the message is from (bounces return there) and to."""

    sender: str
    recipient: str


def envelope(settings: MailSettings, token: str, to: str) -> Envelope:
    """With TRACKER_MAIL_BOUNCES_TO, the envelope sender carries the letter's token (VERP), so
    a bounce names its letter whatever the bounce message says."""
    if settings.bounces_to:
        return Envelope(plus_address(settings.bounces_to, token), to)
    return Envelope(settings.sender_address, to)


def letter_message(
    settings: MailSettings,
    *,
    token: str,
    message_id: str,
    to_name: str,
    to_address: str,
    subject: str,
    language: str,
    text: str,
    html: str,
    pdf: bytes,
    pdf_name: str,
    now: dt.datetime,
) -> EmailMessage:
    """The message for one letter. Raises ValueError for an address that is not one."""
    message = EmailMessage()
    message["From"] = settings.sender_header()
    local, _, domain = to_address.rpartition("@")
    if not local or not domain:
        raise ValueError(f"{to_address!r} is not an e-mail address")
    message["To"] = Address(display_name=to_name, username=local, domain=domain)
    message["Subject"] = subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id
    if settings.reply_to:
        # Replies come back to an address of this letter's own (replies+<token>@...).
        message["Reply-To"] = plus_address(settings.reply_to, token)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=pdf_name)
    # Last: set_content and the multipart conversions move Content-* headers into the parts.
    message["Content-Language"] = "fr-CA" if language == "fr" else "en-CA"
    return message
