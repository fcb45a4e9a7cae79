"""Reading a message that came back: who wrote, about which letter, whether a person wrote it,
the reply without the quoted letter, and what a delivery-status report says.

Nothing here trusts the message: charsets are decoded by what it declares with safe fallbacks,
HTML is sanitised with no images (nothing remote is ever fetched), and a message that cannot be
read raises ``Unreadable`` for the caller to keep it raw.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import unicodedata
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

import nh3
from lxml import html as lxml_html
from mailparser_reply import EmailReplyParser

SAFE_TAGS = {"p", "br", "div", "span", "b", "strong", "i", "em", "u", "ul", "ol", "li",
             "blockquote", "a", "table", "thead", "tbody", "tr", "td", "th", "pre", "code",
             "h1", "h2", "h3", "h4", "hr"}  # fmt: skip
# Where a capture address can show in a message: the headers a mail server writes on delivery
# keep the plus-address even when the From/To were rewritten.
ADDRESS_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To")
AUTO_SUBJECTS = (
    "out of office",
    "out of the office",
    "automatic reply",
    "auto reply",
    "autoreply",
    "auto-reply",
    "auto:",
    "away from the office",
    "reponse automatique",
    "absent du bureau",
    "absente du bureau",
    "absent(e) du bureau",
    "absence du bureau",
    "message d'absence",
    "accuse de reception",
)
_quotes = EmailReplyParser(languages=["en", "fr"])


class Unreadable(Exception):
    """The message could not be parsed at all."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    declared_type: str
    data: bytes


@dataclass(frozen=True)
class Bounce:
    final_recipient: str | None
    action: str | None
    status: str | None
    diagnostic: str | None
    original_message_id: str | None

    @property
    def failed(self) -> bool:
        return (self.action or "failed").lower() in ("failed", "")

    def words(self) -> str:
        parts = [self.status or "", self.diagnostic or ""]
        return " ".join(p for p in parts if p).strip() or "Undeliverable (no diagnostic given)"


@dataclass(frozen=True)
class ParsedMail:
    message_id: str | None
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    from_address: str | None
    from_name: str | None
    addresses: tuple[str, ...]  # every address in ADDRESS_HEADERS, lower-cased
    subject: str | None
    sent_at: dt.datetime | None
    text: str  # the whole text (from HTML when there is no text part)
    reply: str  # the text without the quoted letter
    html: str | None  # sanitised
    auto_reply: bool
    bounce: Bounce | None
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)


def _no_nul(text: str) -> str:
    """NUL has no place in text and PostgreSQL refuses it: a damaged message can carry one."""
    return text.replace("\x00", "\ufffd")


def _header(message: Message, name: str) -> str:
    value = message.get(name)
    if value is None:
        return ""
    return _no_nul(" ".join(str(value).split())[:998])


def _ids(value: str) -> tuple[str, ...]:
    return tuple(re.findall(r"<[^<>\s]+>", value))


def _decoded(part: Message) -> str:
    """A text part's characters: its declared charset, else UTF-8, else Windows-1252 (which
    also reads ISO-8859-1, and what mailers mislabel as it)."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    declared = (part.get_content_charset() or "").lower()
    if declared in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
        declared = "cp1252"  # what browsers do: the 0x80-0x9F range holds quotes and dashes
    for charset in (declared, "utf-8"):
        if not charset:
            continue
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("cp1252", errors="replace")


def _text_of_html(markup: str) -> str:
    try:
        document = lxml_html.fromstring(markup)
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return ""
    for block in document.iter("br", "p", "div", "li", "tr", "h1", "h2", "h3"):
        block.tail = "\n" + (block.tail or "")
    return "\n".join(line.strip() for line in document.text_content().splitlines()).strip()


def sanitised_html(markup: str) -> str:
    """Only harmless tags, no images or styles (nothing remote loads), links that cannot run."""
    return nh3.clean(
        markup,
        tags=SAFE_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(folded.lower().replace("\u2019", "'").split())


def is_auto_reply(message: Message, subject: str) -> bool:
    """RFC 3834's Auto-Submitted, the headers Exchange and others add, or an out-of-office
    subject in English or French."""
    auto = _header(message, "Auto-Submitted").lower()
    if auto and not auto.startswith("no"):
        return True
    if any(message.get(name) for name in ("X-Autoreply", "X-Autorespond")):
        return True
    if message.get("X-Auto-Response-Suppress") and _fold(subject).startswith(
        ("automatic reply", "reponse automatique", "auto")
    ):
        return True
    if _header(message, "Precedence").lower() == "auto_reply":
        return True
    folded = _fold(subject)
    return any(marker in folded for marker in AUTO_SUBJECTS)


def _bounce(message: Message) -> Bounce | None:
    if message.get_content_type() != "multipart/report":
        return None
    if str(message.get_param("report-type") or "").lower() != "delivery-status":
        return None
    fields: dict[str, str] = {}
    original: str | None = None
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            for block in part.get_payload() or []:
                if isinstance(block, Message):
                    for name in ("Final-Recipient", "Action", "Status", "Diagnostic-Code"):
                        if block.get(name) and name not in fields:
                            fields[name] = _header(block, name)
        elif kind == "text/rfc822-headers" and original is None:
            headers = email.message_from_string(
                _no_nul(_decoded(part)), policy=email.policy.compat32
            )
            original = (_ids(_header(headers, "Message-ID")) or (None,))[0]
        elif kind == "message/rfc822" and original is None:
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                original = (_ids(_header(inner[0], "Message-ID")) or (None,))[0]
    final = fields.get("Final-Recipient", "")
    diagnostic = fields.get("Diagnostic-Code", "")
    return Bounce(
        final_recipient=final.split(";", 1)[-1].strip().lower() or None,
        action=fields.get("Action"),
        status=fields.get("Status"),
        diagnostic=diagnostic.split(";", 1)[-1].strip() or None,
        original_message_id=original,
    )


def _body(message: EmailMessage) -> tuple[str, str | None]:
    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    markup = _decoded(html_part) if html_part is not None else None
    text = _decoded(text_part) if text_part is not None else ""
    if not text.strip() and markup:
        text = _text_of_html(markup)
    return _no_nul(text.replace("\r\n", "\n")), _no_nul(sanitised_html(markup)) if markup else None


def _attachments(message: EmailMessage) -> tuple[Attachment, ...]:
    found = []
    for part in message.iter_attachments():
        if part.get_content_maintype() == "multipart":
            continue
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes):
            continue
        name = _no_nul(part.get_filename() or "attachment")
        found.append(Attachment(name[:255], part.get_content_type()[:120], data))
    return tuple(found)


def stripped_reply(text: str) -> str:
    """The reply without the letter it quotes (English and French quoting)."""
    try:
        reply = _quotes.parse_reply(text)
    except Exception:  # the parser's regexes on hostile text: keep the whole text instead
        reply = None
    return (reply or text).strip()


def parse_mail(raw: bytes) -> ParsedMail:
    """Read one RFC 5322 message. Raises Unreadable when there is nothing to read."""
    if not raw.strip():
        raise Unreadable("the message is empty")
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        if not isinstance(message, EmailMessage):
            raise Unreadable("not a message")
        subject = _header(message, "Subject")
        from_name, from_address = parseaddr(_header(message, "From"))
        addresses = tuple(
            address.lower()
            for _, address in getaddresses([_header(message, h) for h in ADDRESS_HEADERS])
            if "@" in address
        )
        try:
            sent_at = parsedate_to_datetime(_header(message, "Date"))
            if sent_at.tzinfo is None:
                sent_at = sent_at.replace(tzinfo=dt.UTC)
        except (TypeError, ValueError, IndexError):
            sent_at = None
        text, markup = _body(message)
        bounce = _bounce(message)
        return ParsedMail(
            message_id=(_ids(_header(message, "Message-ID")) or (None,))[0],
            in_reply_to=_ids(_header(message, "In-Reply-To")),
            references=_ids(_header(message, "References")),
            from_address=from_address.lower() or None,
            from_name=from_name or None,
            addresses=addresses,
            subject=subject or None,
            sent_at=sent_at,
            text=text,
            reply=stripped_reply(text) if bounce is None else text.strip(),
            html=markup,
            auto_reply=bounce is None and is_auto_reply(message, subject),
            bounce=bounce,
            attachments=_attachments(message),
        )
    except Unreadable:
        raise
    except Exception as error:  # the email package's own errors on malformed input
        raise Unreadable(f"{type(error).__name__}: {error}"[:500]) from None
