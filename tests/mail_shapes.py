# ruff: noqa: E501  (mail headers and report lines are kept whole, as mailers write them)
"""Real-world shapes of the mail that comes back, built here (no real mailbox is recorded):
Outlook and Gmail replies in English and French, a Postfix bounce, an Exchange non-delivery
report, out-of-office notices, a forwarded chain, an HTML-only reply, ISO-8859-1 and
Windows-1252 bodies, and an attachment. Headers follow what those mailers write."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime

SENT = dt.datetime(2023, 9, 12, 14, 30, tzinfo=dt.UTC)
COALITION = "Coalition for Rights <letters@coalition.example>"


def _base(
    sender: str, to: str, subject: str, *, in_reply_to: str | None = None, mid: str
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(SENT)
    message["Message-ID"] = mid
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    return message


def outlook_reply_en(
    sender: str, to: str, thread: str | None, mid: str = "<a1@parl.example>"
) -> bytes:
    message = _base(sender, to, "RE: Open letter", in_reply_to=thread, mid=mid)
    message["Thread-Index"] = "AdnhZ8mFq0p1a2b3c4d5e6f7g8h9iA=="
    message["X-MS-Has-Attach"] = ""
    message.set_content(
        "Thank you for your letter. The Minister has asked officials to brief her.\n\n"
        "Office of the Minister\n\n"
        "From: Coalition for Rights <letters@coalition.example>\n"
        "Sent: Thursday, September 7, 2023 10:02 AM\n"
        "To: Minister <minister@parl.example>\n"
        "Subject: Open letter\n\n"
        "Dear Minister,\n\nWe write about the Lachin corridor.\n"
    )
    message.add_alternative(
        "<html><body><p>Thank you for your letter. The Minister has asked officials to brief "
        'her.</p><img src="https://tracker.example/pixel.gif"><script>alert(1)</script>'
        "</body></html>",
        subtype="html",
    )
    return bytes(message)


def gmail_reply_fr(
    sender: str, to: str, thread: str | None, mid: str = "<g1@gmail.example>"
) -> bytes:
    message = _base(sender, to, "Re: Lettre ouverte", in_reply_to=thread, mid=mid)
    message.set_content(
        "Merci de votre lettre. La ministre en prendra connaissance avec attention.\n\n"
        "Le jeu. 7 sept. 2023, à 10 h 02, Coalition for Rights <letters@coalition.example> "
        "a écrit :\n"
        "> Madame la Ministre,\n> Nous vous écrivons au sujet du corridor de Latchine.\n"
    )
    return bytes(message)


def outlook_reply_fr(
    sender: str, to: str, thread: str | None, mid: str = "<o2@parl.example>"
) -> bytes:
    message = _base(sender, to, "RE : Lettre ouverte", in_reply_to=thread, mid=mid)
    message.set_content(
        "Bonjour,\n\nNous accusons réception et donnerons suite sous peu.\n\n"
        "De : Coalition for Rights <letters@coalition.example>\n"
        "Envoyé : 7 septembre 2023 10:02\n"
        "À : Ministre <ministre@parl.example>\n"
        "Objet : Lettre ouverte\n\n"
        "Madame la Ministre,\n"
    )
    return bytes(message)


def gmail_reply_en(
    sender: str, to: str, thread: str | None, mid: str = "<g2@gmail.example>"
) -> bytes:
    message = _base(sender, to, "Re: Open letter", in_reply_to=thread, mid=mid)
    message.set_content(
        "The Minister would be pleased to meet the coalition in October.\n\n"
        "On Thu, Sep 7, 2023 at 10:02 AM Coalition for Rights <letters@coalition.example> "
        "wrote:\n> Dear Minister,\n> We write about the Lachin corridor.\n"
    )
    return bytes(message)


def forwarded_chain(sender: str, to: str, thread: str | None) -> bytes:
    message = _base(sender, to, "Fwd: Open letter", in_reply_to=thread, mid="<f1@parl.example>")
    message.set_content(
        "Passing this to the Parliamentary Secretary, who follows the file.\n\n"
        "---------- Forwarded message ---------\n"
        "From: Coalition for Rights <letters@coalition.example>\n"
        "Date: Thu, Sep 7, 2023 at 10:02 AM\nSubject: Open letter\n\nDear Minister,\n"
    )
    return bytes(message)


def html_only(sender: str, to: str, thread: str | None) -> bytes:
    message = _base(sender, to, "RE: Open letter", in_reply_to=thread, mid="<h1@parl.example>")
    message.set_content(
        "<html><body><p>We have received your <b>letter</b>.</p>"
        '<p><a href="javascript:alert(1)">click</a> <img src="https://spy.example/x.png"></p>'
        '<iframe src="https://evil.example"></iframe><p>Regards</p></body></html>',
        subtype="html",
    )
    return bytes(message)


def legacy_charset(sender: str, to: str, thread: str | None, charset: str) -> bytes:
    """A body in ISO-8859-1 or Windows-1252, as older mailers send it (0x92 is the
    Windows apostrophe, which ISO-8859-1-labelled mail often carries too)."""
    text = "Merci de votre lettre. Nous l\x92étudierons à la rentrée.\n".replace(
        "\x92", "\u2019" if charset == "windows-1252" else "'"
    )
    body = text.encode("cp1252")
    head = (
        f"From: {sender}\r\nTo: {to}\r\nSubject: Re: Lettre\r\n"
        f"Date: {format_datetime(SENT)}\r\nMessage-ID: <c-{charset}@parl.example>\r\n"
        + (f"In-Reply-To: {thread}\r\n" if thread else "")
        + f"MIME-Version: 1.0\r\nContent-Type: text/plain; charset={charset}\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    )
    return head.encode("ascii") + body


def out_of_office(sender: str, to: str, *, french: bool = False) -> bytes:
    subject = "Réponse automatique : Lettre ouverte" if french else "Automatic reply: Open letter"
    message = _base(sender, to, subject, mid=f"<ooo-{int(french)}@parl.example>")
    if french:
        message["X-Auto-Response-Suppress"] = "All"
    else:
        message["Auto-Submitted"] = "auto-replied"
    message.set_content(
        "Je suis absente du bureau jusqu'au 18 septembre."
        if french
        else "I am out of the office until September 18."
    )
    return bytes(message)


def postfix_bounce(to: str, final_recipient: str, original_id: str) -> bytes:
    """A Postfix delivery-status notification (RFC 3464), as sent to the envelope sender."""
    boundary = "B8A6D1A2F3.1694532600/mail.coalition.example"
    return (
        "From: MAILER-DAEMON@mail.coalition.example (Mail Delivery System)\r\n"
        f"To: {to}\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        f"Date: {format_datetime(SENT)}\r\nMessage-ID: <20230912143000.B8A6D1A2F3@mail.coalition.example>\r\n"
        "Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"\r\n\r\n'
        f"--{boundary}\r\nContent-Description: Notification\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
        "This is the mail system at host mail.coalition.example.\r\n\r\n"
        "I'm sorry to have to inform you that your message could not\r\n"
        "be delivered to one or more recipients.\r\n\r\n"
        f"--{boundary}\r\nContent-Description: Delivery report\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mail.coalition.example\r\nX-Postfix-Queue-ID: B8A6D1A2F3\r\n\r\n"
        f"Final-Recipient: rfc822; {final_recipient}\r\nOriginal-Recipient: rfc822;{final_recipient}\r\n"
        "Action: failed\r\nStatus: 5.1.1\r\nRemote-MTA: dns; mx.parl.example\r\n"
        f"Diagnostic-Code: smtp; 550 5.1.1 <{final_recipient}>: Recipient address rejected: User unknown\r\n\r\n"
        f"--{boundary}\r\nContent-Description: Undelivered Message Headers\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"From: {COALITION}\r\nTo: {final_recipient}\r\nSubject: Open letter\r\nMessage-ID: {original_id}\r\n\r\n"
        f"--{boundary}--\r\n"
    ).encode("ascii")


def exchange_ndr(to: str, final_recipient: str, original_id: str) -> bytes:
    """An Exchange Online non-delivery report: the original message attached whole."""
    boundary = "ndr_boundary_0123456789"
    inner = "_inner_alt"
    return (
        "From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@parl.example>\r\n"
        f"To: {to}\r\nSubject: Undeliverable: Open letter\r\nDate: {format_datetime(SENT)}\r\n"
        "Message-ID: <ndr-1@parl.example>\r\nAuto-Submitted: auto-replied\r\n"
        "X-MS-Exchange-Message-Is-Ndr: \r\nMIME-Version: 1.0\r\n"
        f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"\r\n\r\n'
        f'--{boundary}\r\nContent-Type: multipart/alternative; boundary="{inner}"\r\n\r\n'
        f'--{inner}\r\nContent-Type: text/plain; charset="us-ascii"\r\n\r\n'
        "Your message to the recipient couldn't be delivered.\r\n\r\n"
        f"--{inner}--\r\n\r\n"
        f"--{boundary}\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns;YT3PR01MB1234.CANPRD01.PROD.OUTLOOK.COM\r\n\r\n"
        f"Final-recipient: RFC822; {final_recipient}\r\nAction: failed\r\nStatus: 5.1.10\r\n"
        "Diagnostic-code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found "
        "by SMTP address lookup\r\n\r\n"
        f"--{boundary}\r\nContent-Type: message/rfc822\r\n\r\n"
        f"From: {COALITION}\r\nTo: {final_recipient}\r\nSubject: Open letter\r\n"
        f"Message-ID: {original_id}\r\nContent-Type: text/plain\r\n\r\nDear Minister,\r\n\r\n"
        f"--{boundary}--\r\n"
    ).encode("ascii")


def with_attachment(sender: str, to: str, thread: str | None, size: int) -> bytes:
    message = _base(
        sender, to, "RE: Open letter", in_reply_to=thread, mid=f"<att-{size}@parl.example>"
    )
    message.set_content("Please find the Minister's reply attached.")
    message.add_attachment(
        b"%PDF-1.4\n" + b"0" * size, maintype="application", subtype="pdf", filename="reply.pdf"
    )
    return bytes(message)


# Senders whose address, printed between < and > as markup, would be an element: an image
# fetched off-site (a read receipt), a link around the page, a frame over it (issue 22).
HOSTILE_SENDERS = (
    "Mallory <img/src=//evil.example/pixel.gif/@evil.example>",
    "Mallory <a/href=//evil.example/phish/@evil.example>",
    "Mallory <iframe/src=//evil.example/frame/@evil.example>",
)


def hostile_sender(sender: str, to: str, n: int) -> bytes:
    """A short reply from ``sender``, written as the raw header line (no library re-folds it),
    with markup in its subject and text too."""
    return (
        f"From: {sender}\r\nTo: {to}\r\nSubject: Re: <img src=//evil.example/subject.gif>\r\n"
        f"Date: Tue, 12 Sep 2023 14:30:00 +0000\r\nMessage-ID: <hostile-{n}@evil.example>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "Thank you for your letter. <iframe src=//evil.example/text></iframe>\r\n"
    ).encode("ascii")


# Hostile shapes: what someone who means harm, or a broken mailer, sends to the capture address.


def _plain(headers: str, body: bytes) -> bytes:
    head = (
        headers.replace("\n", "\r\n")
        + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
        + "Content-Transfer-Encoding: 8bit\r\n\r\n"
    )
    return head.encode("utf-8") + body


def quote_bomb(spaces: int = 65_000, mid: str = "<bomb@evil.example>") -> bytes:
    """ "On", thousands of spaces, "wrote:": a quote-stripper's patterns backtrack on it."""
    return _plain(
        f"From: someone@evil.example\nTo: letters@coalition.example\nSubject: Re: Open letter\n"
        f"Date: {format_datetime(SENT)}\nMessage-ID: {mid}\n",
        b"On" + b" " * spaces + b"wrote:\r\n",
    )


def long_references(size: int, mid: str = "<refs@evil.example>") -> bytes:
    """A References header of ``size`` bytes of message ids."""
    ids = b" ".join(b"<%d@evil.example>" % n for n in range(size // 16 + 1))[:size]
    return (
        b"From: someone@evil.example\r\nTo: letters@coalition.example\r\nSubject: Re: x\r\n"
        b"Message-ID: " + mid.encode() + b"\r\nReferences: " + ids + b"\r\n\r\nHello.\r\n"
    )


def dated(raw: bytes, date: str) -> bytes:
    """``raw`` with its Date header replaced by ``date`` (as written, however absurd)."""
    return raw.replace(format_datetime(SENT).encode(), date.encode(), 1)


def forged_bounce(final_recipient: str, mid: str = "<forged-dsn@evil.example>") -> bytes:
    """A delivery report anyone can write: no token, no letter's Message-ID, only the
    official's public address as the one that bounced."""
    boundary = "forged"
    return (
        "From: Mail Delivery System <MAILER-DAEMON@evil.example>\r\n"
        "To: letters@coalition.example\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        f"Date: {format_datetime(SENT)}\r\nMessage-ID: {mid}\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"\r\n'
        f"\r\n--{boundary}\r\nContent-Type: text/plain\r\n\r\nYour message could not be "
        f"delivered.\r\n\r\n--{boundary}\r\nContent-Type: message/delivery-status\r\n\r\n"
        f"Reporting-MTA: dns; mx.evil.example\r\n\r\nFinal-Recipient: rfc822; {final_recipient}"
        "\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 User unknown"
        f"\r\n\r\n--{boundary}--\r\n"
    ).encode("ascii")


def attachment_named(sender: str, to: str, encoded_name: str, mid: str) -> bytes:
    """A reply whose attachment's name is ``encoded_name`` as RFC 2231 writes it
    (``utf-8''a%0D%0Ab.pdf``), so it may decode to anything."""
    boundary = "named"
    return (
        f"From: {sender}\r\nTo: {to}\r\nSubject: RE: Open letter\r\n"
        f"Date: {format_datetime(SENT)}\r\nMessage-ID: {mid}\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n--{boundary}\r\n'
        "Content-Type: text/plain\r\n\r\nThe reply is attached.\r\n"
        f"--{boundary}\r\nContent-Type: application/pdf\r\n"
        f"Content-Disposition: attachment; filename*={encoded_name}\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKMDAwMA==\r\n"
        f"--{boundary}--\r\n"
    ).encode("ascii")


def control_characters(to: str, mid: str = "<controls@evil.example>") -> bytes:
    """ESC, BEL, a right-to-left override and a zero-width space in the subject and the
    sender's name, encoded so they survive any mail server."""
    return _plain(
        "From: =?utf-8?q?Justin=1B=5B31m_Trudeau=07=E2=80=AE?= <pm\u200b@parl.example>\n"
        f"To: {to}\nSubject: =?utf-8?q?Re=3A_Open=1B]0;owned=07_=E2=80=AEgpj.exe=E2=80=8B?=\n"
        f"Date: {format_datetime(SENT)}\nMessage-ID: {mid}\n",
        "We read your letter.\x1b[2J\x07 \u202eSee you soon.\r\n".encode(),
    )
