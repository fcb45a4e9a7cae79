"""Reading a message that came back: who wrote, about which letter, whether a person wrote it,
the reply without the quoted letter, and what a delivery-status report says.

Nothing here trusts the message: charsets are decoded by what it declares with safe fallbacks,
HTML is sanitised with no images (nothing remote is ever fetched), and a message that cannot be
read raises ``Unreadable`` for the caller to keep it raw. Every step is bounded, so reading takes
time in proportion to the message: header values are cut at HEADER_LIMIT characters before they
are decoded, at most MAX_THREAD_IDS message ids are read from a thread, the quote stripper sees
at most QUOTE_LINES lines of QUOTE_LINE_CHARS characters, and a message with more than MAX_PARTS
parts or a header section over MAX_HEAD_BYTES is ``TooLarge`` to read. Text is taken from at
most HTML_LIMIT characters of HTML, and the bounce detector sees at most BOUNCE_BYTES of the
message (a report's own parts come before the letter it returns).

Text from HTML is what a reader sees (inscriptis, after nh3 has taken out style sheets, scripts
and comments); quoted letters are cut where a mail client marks them (blockquotes, Gmail's,
Thunderbird's, Outlook's containers) and then by their quote headers in any language. Bounces
are read from standard delivery-status reports in any wrapping, and otherwise by Mailman's
detectors (flufl.bounce) for the non-standard reports of common servers.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.policy
import html as html_entities
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.utils import getaddresses, parsedate_to_datetime

import nh3
from flufl.bounce import all_failures
from inscriptis import Inscriptis
from inscriptis.model.config import ParserConfig
from lxml import html as lxml_html
from mailparser_reply.parser import EmailMessage as QuotedMail

from importers.said import said
from tracker.mail.files import safe_file_name
from tracker.rules.text import several_lines, single_line

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
# The headers that open a quoted letter ("On ... wrote:", "Le ... a écrit :", Outlook's block),
# in the languages mail-parser-reply knows; other languages by their shape (_is_quote_header).
QUOTE_LANGUAGES = ["en", "fr", "de", "es", "it", "nl", "pl", "sv", "da", "cs"]
QUOTE_HEADER = QuotedMail(text="", languages=QUOTE_LANGUAGES).HEADER_REGEX
# Where a mail client puts the letter it quotes in HTML: the first one found ends the reply.
QUOTE_CLASSES = ("gmail_quote", "gmail_attr", "moz-cite-prefix", "yahoo_quoted")
QUOTE_IDS = ("divRplyFwdMsg", "OLK_SRC_BODY_SECTION", "appendonsend", "stopSpelling")
BLOCKS = ("br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "hr", "blockquote", "pre")
QUOTE_STARTS, QUOTE_ENDS = "\ue000quote-starts\ue000", "\ue000quote-ends\ue000"
HTML_LIMIT = 1024 * 1024  # characters of HTML read for its text; the rest is not read
# Laying out a table takes time in proportion to its cells times its columns: past this many
# cells, tables are read as lines of text instead (a letter's table has a few dozen).
MAX_TABLE_CELLS = 2000
# inscriptis lays text out element by element, in Python: past this many elements (a reply has
# a few hundred, Outlook's a few thousand) the text is taken by lxml alone, a block a line.
MAX_HTML_ELEMENTS = 10_000
BOUNCE_BYTES = 32 * 1024  # bytes of a message the bounce detector reads (a notice's start)
HEADER_LIMIT = 4000  # characters of a header value read: RFC 5322 lines stop at 998
SUBJECT_LIMIT = 998
MAX_THREAD_IDS = 100  # message ids read from In-Reply-To and References, the first and the last
MAX_HEAD_BYTES = 256 * 1024
MAX_PARTS = 500
QUOTE_LINES = 300
QUOTE_LINE_CHARS = 200
# Dates outside these years are a mailer's mistake or a forgery: kept as unknown.
EARLIEST_YEAR, LATEST_YEAR = 1970, 2100
FOLDED = re.compile(r"\r?\n[ \t]")


class Unreadable(Exception):
    """The message could not be parsed at all."""


class TooLarge(Unreadable):
    """The message is past one of the bounds on reading: kept raw, never parsed for minutes."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    declared_type: str
    data: bytes


@dataclass(frozen=True)
class Bounce:
    """What a delivery report says: the addresses that failed (the ones the letter was sent to
    first: a report's Original-Recipient before the Final-Recipient a remote server rewrote),
    and whether the server gave up (permanent) or is still trying (a delay)."""

    final_recipient: str | None
    action: str | None
    status: str | None
    diagnostic: str | None
    original_message_id: str | None
    addresses: tuple[str, ...] = ()
    permanent: bool = True

    @property
    def failed(self) -> bool:
        """A failure, not a delay report: the server will not deliver the letter."""
        return self.permanent

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


def _raw_header(message: Message, name: str, limit: int = HEADER_LIMIT) -> str:
    """The first ``name`` header as it came (encoded words left as they are), cut at ``limit``
    characters and unfolded; the email package never parses the whole of a long value."""
    wanted = name.lower()
    for key, value in message.raw_items():
        if key.lower() == wanted:
            text = str(value)[:limit]
            text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            return _no_nul(FOLDED.sub(" ", text))
    return ""


def _decoded_words(value: str) -> str:
    """``value`` with its RFC 2047 encoded words decoded, as one clean line."""
    # An unknown charset or a broken encoded word: the text as it came.
    with contextlib.suppress(LookupError, ValueError, UnicodeError, AssertionError, TypeError):
        value = str(make_header(decode_header(value)))
    return single_line(_no_nul(value))


def _header(message: Message, name: str) -> str:
    return _decoded_words(_raw_header(message, name))


def _ids(value: str) -> tuple[str, ...]:
    return tuple(re.findall(r"<[^<>\s]{1,500}>", value))


def _thread_ids(message: Message, name: str) -> tuple[str, ...]:
    """At most MAX_THREAD_IDS message ids of a threading header: from its first and its last
    HEADER_LIMIT characters (a thread's first message and the one answered, which are the ones
    that can name a letter)."""
    value = next((str(v) for k, v in message.raw_items() if k.lower() == name.lower()), "")
    half = MAX_THREAD_IDS // 2
    if len(value) <= HEADER_LIMIT:
        return _ids(value)[:MAX_THREAD_IDS]
    first, last = _ids(value[:HEADER_LIMIT])[:half], _ids(value[-HEADER_LIMIT:])[-half:]
    return tuple(dict.fromkeys([*first, *last]))


def _addresses(message: Message, names: tuple[str, ...]) -> list[tuple[str, str]]:
    """(name, address) pairs of address headers, names decoded, each made one clean line."""
    try:
        pairs = getaddresses([_raw_header(message, h) for h in names])
    except (RecursionError, ValueError, IndexError):
        return []
    return [
        (_decoded_words(name), single_line(address).replace(" ", "")) for name, address in pairs
    ]


def _sent_at(message: Message) -> dt.datetime | None:
    """The Date header in UTC, or None when it is missing, unreadable or absurd (year 9999,
    1800): such a date says nothing about when the message was written."""
    try:
        sent_at = parsedate_to_datetime(_header(message, "Date"))
        if sent_at.tzinfo is None:
            sent_at = sent_at.replace(tzinfo=dt.UTC)
        sent_at = sent_at.astimezone(dt.UTC)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return sent_at if EARLIEST_YEAR <= sent_at.year <= LATEST_YEAR else None


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


def _readable_html(markup: str) -> str:
    """The first HTML_LIMIT characters of ``markup`` as what a reader sees: no style sheet,
    script, head or comment; only the classes and ids that mark a quoted letter kept."""
    return nh3.clean(
        markup[:HTML_LIMIT],
        tags=SAFE_TAGS,
        attributes={"*": {"class", "id"}},
        clean_content_tags={"script", "style", "title", "head"},
        url_schemes={"http", "https", "mailto"},
    )


def _tagless(clean: str) -> str:
    """The words of sanitised HTML without its tags: what is left when the HTML cannot be laid
    out (blocks nested deeper than the parser goes)."""
    return _lines(html_entities.unescape(re.sub(r"<[^<>]*>", "\n", clean)))


def _html_text(markup: str) -> tuple[str, str]:
    """(the whole text, the reply's text) of an HTML part: the reply ends where the first
    quoted-letter container starts, or, written below the quote, starts where it ends."""
    clean = _readable_html(markup)
    try:
        document = lxml_html.fromstring(clean or "<p></p>")
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return _tagless(clean), _tagless(clean)
    quote = _first_quote(document)
    if quote is not None and quote.getparent() is not None:
        starts, ends = lxml_html.Element("p"), lxml_html.Element("p")
        starts.text, ends.text = QUOTE_STARTS, QUOTE_ENDS
        quote.addprevious(starts)
        quote.addnext(ends)
        ends.tail, quote.tail = quote.tail, None
    text = _layout(document)
    whole = _lines(text.replace(QUOTE_STARTS, "").replace(QUOTE_ENDS, "")) or _tagless(clean)
    before, _, rest = text.partition(QUOTE_STARTS)
    after = rest.partition(QUOTE_ENDS)[2]
    return whole, _lines(before) or _lines(after) or whole


def _first_quote(document: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The first element that holds a quoted letter: a blockquote, or a container a mail
    client marks (Gmail's, Thunderbird's, Yahoo's classes; Outlook's and Hotmail's ids),
    among the first MAX_HTML_ELEMENTS (past them, the quote header in the text ends the reply)."""
    for element in itertools.islice(document.iter(), MAX_HTML_ELEMENTS):
        if element.tag == "blockquote" or element.get("id") in QUOTE_IDS:
            return element
        classes = element.get("class") or ""
        if classes and any(name in classes for name in QUOTE_CLASSES):
            return element
    return None


def _layout(document: lxml_html.HtmlElement) -> str:
    """The text of ``document`` laid out as a reader sees it (inscriptis), in bounded time."""
    if sum(1 for _ in itertools.islice(document.iter(), MAX_HTML_ELEMENTS + 1)) > MAX_HTML_ELEMENTS:
        for block in document.iter(*BLOCKS):
            block.tail = "\n" + (block.tail or "")
        return _lines(document.text_content())
    cells = document.xpath("(//td | //th)[position() <= $n]", n=MAX_TABLE_CELLS + 1)
    if len(cells) > MAX_TABLE_CELLS:
        _flatten_tables(document)
    return _lines(Inscriptis(document, ParserConfig()).get_text())


def _flatten_tables(document: lxml_html.HtmlElement) -> None:
    """Tables as rows of words: a row a line, its cells side by side."""
    for element in document.iter("table", "thead", "tbody", "tfoot", "tr", "td", "th"):
        if element.tag in ("td", "th"):
            element.tag, element.tail = "span", " " + (element.tail or "")
        else:
            element.tag = "div"


def _lines(text: str) -> str:
    """Lines without the spaces around them, runs of blank lines as one."""
    text = "\n".join(line.strip(" \t\u00a0") for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


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
    if any(_raw_header(message, name) for name in ("X-Autoreply", "X-Autorespond")):
        return True
    if _raw_header(message, "X-Auto-Response-Suppress") and _fold(subject).startswith(
        ("automatic reply", "reponse automatique", "auto")
    ):
        return True
    if _header(message, "Precedence").lower() == "auto_reply":
        return True
    folded = _fold(subject)
    return any(marker in folded for marker in AUTO_SUBJECTS)


def _address(value: str) -> str:
    """The address of a report's recipient field ("rfc822; <joem@example.com>")."""
    return value.split(";", 1)[-1].strip().strip("<>").strip().lower()[:254]


def _original_id(part: Message) -> str | None:
    """The Message-ID of the letter a report returns, in its headers or its whole copy."""
    if part.get_content_type() == "text/rfc822-headers":
        headers = email.message_from_string(
            _no_nul(_decoded(part)[:MAX_HEAD_BYTES]), policy=email.policy.compat32
        )
        return (_ids(_header(headers, "Message-ID")) or (None,))[0]
    inner = part.get_payload()
    if isinstance(inner, list) and inner and isinstance(inner[0], Message):
        return (_ids(_header(inner[0], "Message-ID")) or (None,))[0]
    return None


def _report_blocks(message: Message) -> tuple[list[Message], str | None]:
    """The per-recipient blocks of every delivery-status part, whatever wraps it, and the
    Message-ID of the letter returned."""
    blocks: list[Message] = []
    original: str | None = None
    for part in message.walk():
        kind = part.get_content_type()
        if kind in ("message/delivery-status", "message/global-delivery-status"):
            blocks += [b for b in part.get_payload() or [] if isinstance(b, Message)][1:]
        elif kind in ("text/rfc822-headers", "message/rfc822") and original is None:
            original = _original_id(part)
    return blocks, original


def _standard_bounce(message: Message) -> Bounce | None:
    """A standard delivery-status report (RFC 3464), in any wrapping. Action is read leniently:
    anything starting "fail" (or "error", as some servers write) is a failure, anything else a
    delay or a notice."""
    blocks, original = _report_blocks(message)
    recipients = [b for b in blocks if _raw_header(b, "Final-Recipient")]
    if not recipients:
        return None
    failed = [b for b in recipients if _header(b, "Action").lower().startswith(("fail", "error"))]
    shown = failed or recipients
    addresses = [
        _address(_header(b, name))
        for name in ("Original-Recipient", "Final-Recipient")
        for b in shown
        if _raw_header(b, name)
    ]
    first = shown[0]
    return Bounce(
        final_recipient=_address(_header(first, "Final-Recipient")) or None,
        action=_header(first, "Action") or None,
        status=_header(first, "Status") or None,
        diagnostic=_header(first, "Diagnostic-Code").split(";", 1)[-1].strip() or None,
        original_message_id=original,
        addresses=tuple(dict.fromkeys(a for a in addresses if "@" in a)),
        permanent=bool(failed),
    )


def _detected_bounce(raw: bytes, message: Message) -> Bounce | None:
    """A non-standard bounce, by Mailman's detectors over the first BOUNCE_BYTES of ``raw``."""
    try:
        legacy = email.message_from_bytes(raw[:BOUNCE_BYTES], policy=email.policy.compat32)
        temporary, permanent = all_failures(legacy)
    except Exception:  # a detector on a damaged message: not read as a bounce
        return None
    found = sorted(permanent) or sorted(temporary)
    addresses = [a.decode("utf-8", "replace").strip().strip("<>").lower()[:254] for a in found]
    addresses = [a for a in addresses if "@" in a]
    if not addresses:
        return None
    _, original = _report_blocks(message)
    return Bounce(
        final_recipient=addresses[0],
        action="failed" if permanent else "delayed",
        status=None,
        diagnostic=_header(message, "Subject") or None,
        original_message_id=original,
        addresses=tuple(addresses),
        permanent=bool(permanent),
    )


def _bounce(raw: bytes, message: Message) -> Bounce | None:
    """A standard report; else, for a message no person's mail client wrote (a person's answer
    offers text and HTML side by side, or answers a thread without saying it was written by a
    machine, Auto-Submitted), what Mailman's detectors find."""
    kind = message.get_content_type()
    if kind == "multipart/alternative":
        return None
    standard = _standard_bounce(message) if kind.startswith("multipart/") else None
    if standard is not None:
        return standard
    if _raw_header(message, "In-Reply-To") and not _raw_header(message, "Auto-Submitted"):
        return None
    return _detected_bounce(raw, message)


def _body(message: EmailMessage) -> tuple[str, str, str | None]:
    """(the whole text, the reply before its quote is stripped by text, the sanitised HTML).
    The text part when there is one; otherwise the text a reader sees in the HTML part, with
    the quote its client marked already cut."""
    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    markup = _decoded(html_part) if html_part is not None else None
    text = _decoded(text_part) if text_part is not None else ""
    reply = text
    if not text.strip() and markup:
        text, reply = _html_text(markup)
    html = _no_nul(sanitised_html(markup)) if markup else None
    whole = several_lines(text)
    return whole, whole if reply is text else several_lines(reply), html


def _attachments(message: EmailMessage) -> tuple[Attachment, ...]:
    found = []
    for part in message.iter_attachments():
        if part.get_content_maintype() == "multipart":
            continue
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes):
            continue
        name = safe_file_name(_no_nul(part.get_filename() or ""))
        found.append(Attachment(name, single_line(part.get_content_type())[:120], data))
    return tuple(found)


# The labels of the header block Outlook and Windows Mail put above a quoted letter: a "From"
# line followed by a "Sent", "Date" or "To" line, in the languages offices write in.
FROM_LABELS = ("from", "de", "von", "da", "van", "od", "från", "fra", "от", "desde")
NEXT_LABELS = ("sent", "date", "to", "envoyé", "à", "gesendet", "an", "inviato", "data",
               "a", "verzonden", "aan", "wysłano", "skickat", "sendt", "enviado", "para",
               "отправлено", "дата", "кому")  # fmt: skip


def _label(line: str) -> str:
    return line.partition(":")[0].strip(" *\u00a0").casefold() if ":" in line[:20] else ""


def _is_header_block(line: str, following: str) -> bool:
    """A "From:" line and a "Sent:"/"Date:"/"To:" line below it, in any of the languages."""
    return _label(line) in FROM_LABELS and _label(following) in NEXT_LABELS


def _is_quote_header(line: str) -> bool:
    """A line in any language shaped like a quote header: a date, a name and an address, and
    a colon at its end ("02.04.2012 14:20 пользователь "Name" <a@b.c> написал:", "... от Name
    <a@b.c>:"). Plain string tests, no pattern: each line is short already."""
    return line.endswith(":") and "@" in line and any(c.isdigit() for c in line)


def _quote_start(joined: str) -> int | None:
    """Where the first quote header in ``joined`` starts, or None."""
    try:
        found = QUOTE_HEADER.search(joined)
    except Exception:  # the patterns on hostile text: keep the whole text instead
        found = None
    start = None
    if found is not None:
        start = found.start() + len(found.group()) - len(found.group().lstrip())
    lines = joined.split("\n")
    offset = 0
    for number, line in enumerate(lines):
        if start is not None and offset >= start:
            break
        following = next((n for n in lines[number + 1 : number + 3] if n), "")
        shaped = _is_quote_header(line) or _is_header_block(line, following)
        if not shaped and "@" in line and any(c.isdigit() for c in line):
            shaped = _is_quote_header(f"{line} {following}")  # a header wrapped over two lines
        if shaped:
            return offset
        offset += len(line) + 1
    return start


def stripped_reply(text: str) -> str:
    """The reply without the letter it quotes: the text before the first quote header, or,
    when the answer is written below the quote, the unquoted lines after it.

    The quote-header patterns backtrack badly on long runs of spaces or characters ("On",
    16,000 spaces, "wrote:" took seconds), so they only ever see a short view of the text's
    start: at most QUOTE_LINES lines, each cut at QUOTE_LINE_CHARS with its spaces collapsed,
    blank lines run together. The reply is then cut from the text itself, as it came."""
    lines = text.split("\n", QUOTE_LINES)[:QUOTE_LINES]
    view: list[str] = []
    origin: list[int] = []
    for number, line in enumerate(lines):
        short = " ".join(line[: QUOTE_LINE_CHARS * 4].split())[:QUOTE_LINE_CHARS]
        if not short and view and not view[-1]:
            continue
        view.append(short)
        origin.append(number)
    joined = "\n".join(view)
    start = _quote_start(joined)
    if start is None:
        return text.strip()
    header = origin[joined.count("\n", 0, start)]
    reply = "\n".join(lines[:header]).strip()
    if reply:
        return reply
    below = [line for line in lines[header + 1 :] if not line.lstrip().startswith(">")]
    return "\n".join(below).strip() or text.strip()


def _check_bounds(message: Message) -> None:
    """Raise TooLarge when reading ``message`` could take more than a moment."""
    for count, part in enumerate(message.walk(), start=1):
        if count > MAX_PARTS:
            raise TooLarge(said("it has over %(parts)s parts", parts=f"{MAX_PARTS:,}"))
        headers = part.raw_items()
        if sum(len(name) + len(str(value)) for name, value in headers) > MAX_HEAD_BYTES:
            raise TooLarge(said("its headers are over %(size)s bytes", size=f"{MAX_HEAD_BYTES:,}"))
        for name, value in headers:
            # The email package parses these itself, whole.
            if name.lower().startswith("content-") and len(str(value)) > HEADER_LIMIT:
                raise TooLarge(
                    said(
                        "its %(name)s header is over %(size)s characters",
                        name=single_line(name)[:40],
                        size=f"{HEADER_LIMIT:,}",
                    )
                )


def parse_mail(raw: bytes) -> ParsedMail:
    """Read one RFC 5322 message. Raises Unreadable when there is nothing to read."""
    if not raw.strip():
        raise Unreadable("the message is empty")
    if raw.count(b"\n--") > 4 * MAX_PARTS:  # boundary lines: the parts, before parsing them
        raise TooLarge(said("it has over %(parts)s parts", parts=f"{MAX_PARTS:,}"))
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        if not isinstance(message, EmailMessage):
            raise Unreadable("not a message")
        _check_bounds(message)
        subject = _header(message, "Subject")
        from_name, from_address = (_addresses(message, ("From",)) or [("", "")])[0]
        addresses = tuple(
            address.lower() for _, address in _addresses(message, ADDRESS_HEADERS) if "@" in address
        )
        text, reply, markup = _body(message)
        bounce = _bounce(raw, message)
        return ParsedMail(
            message_id=(_ids(_raw_header(message, "Message-ID")) or (None,))[0],
            in_reply_to=_thread_ids(message, "In-Reply-To"),
            references=_thread_ids(message, "References"),
            from_address=from_address.lower()[:254] or None,
            from_name=from_name[:300] or None,
            addresses=addresses,
            subject=subject[:SUBJECT_LIMIT] or None,
            sent_at=_sent_at(message),
            text=text,
            reply=stripped_reply(reply) if bounce is None else text.strip(),
            html=markup,
            auto_reply=bounce is None and is_auto_reply(message, subject),
            bounce=bounce,
            attachments=_attachments(message),
        )
    except Unreadable:
        raise
    except Exception as error:  # the email package's own errors on malformed input
        raise Unreadable(f"{type(error).__name__}: {error}"[:500]) from None
