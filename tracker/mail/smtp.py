"""Handing messages to the mail server, and telling apart what its answers mean.

Four outcomes matter to a letter, and each maps to one exception here:
- accepted: ``send`` returns;
- ``Deferred`` (a 4xx answer): not taken now, try again later;
- ``Refused`` (a 5xx answer for this recipient): it will never be taken, a bounce;
- ``Uncertain``: the connection broke while the server had the message, so it may have been
  taken; a person decides, since sending again could send twice.
``NeverSent`` means the server could not take this one letter (an address beyond ASCII without
SMTPUTF8): it failed, and nothing is uncertain about it.
``SettingsProblem`` means nothing was handed over (no server, a refused login): it is the
coordinator's to fix, and no letter is marked sent.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
import time
from collections.abc import Callable
from email.message import EmailMessage
from types import TracebackType

from importers.said import said, said_together
from tracker.mail.settings import MailSettings


class MailError(Exception):
    """A failure, with words a coordinator can act on (never the password)."""

    def __init__(self, message: str, *, code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class SettingsProblem(MailError):
    pass


class Deferred(MailError):
    pass


class Refused(MailError):
    pass


class Uncertain(MailError):
    pass


class NeverSent(MailError):
    """The server could not take this letter at all (an address it cannot carry): nothing was
    handed over, so the letter failed; unlike a broken connection, there is nothing to check."""


def _words(code: int, reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return f"{code} {' '.join(text.split())}".strip()


def _by_code(code: int, reply: bytes | str) -> MailError:
    words = _words(code, reply)
    if 400 <= code < 500:
        return Deferred(
            said("The mail server asked to try later: %(words)s", words=words), code=code
        )
    return Refused(said("The mail server refused it: %(words)s", words=words), code=code)


class Pacer:
    """Keeps sends at most ``per_minute`` a minute, spaced evenly."""

    def __init__(
        self,
        per_minute: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 60.0 / per_minute
        self.clock = clock
        self.sleep = sleep
        self.last: float | None = None

    def wait(self) -> None:
        if self.last is not None:
            delay = self.last + self.interval - self.clock()
            if delay > 0:
                self.sleep(delay)
        self.last = self.clock()


class Outbox:
    """One connection to the mail server, opened on first use and reused for a batch."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Outbox:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def _where(self) -> str:
        return f"{self.settings.server}:{self.settings.port}"

    def connect(self) -> smtplib.SMTP:
        """Connect, secure and sign in, or raise SettingsProblem saying which step failed."""
        if self._smtp is not None:
            return self._smtp
        s = self.settings
        if s.problems():
            raise SettingsProblem(said_together(s.problems(), " "))
        context = ssl.create_default_context()
        try:
            if s.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.server or "", s.port, timeout=s.timeout, context=context
                )
            else:
                smtp = smtplib.SMTP(s.server or "", s.port, timeout=s.timeout)
            if s.security == "starttls":
                smtp.starttls(context=context)
        except (smtplib.SMTPNotSupportedError, smtplib.SMTPResponseException) as error:
            raise SettingsProblem(
                said(
                    "The mail server %(where)s would not start TLS (%(error)s); check "
                    "TRACKER_MAIL_SECURITY.",
                    where=self._where(),
                    error=error,
                )
            ) from None
        except ssl.SSLError as error:
            raise SettingsProblem(
                said(
                    "TLS with %(where)s failed (%(reason)s); check TRACKER_MAIL_SECURITY and "
                    "TRACKER_MAIL_PORT.",
                    where=self._where(),
                    reason=error.reason,
                )
            ) from None
        except (OSError, smtplib.SMTPException) as error:
            reason = "timed out" if isinstance(error, socket.timeout) else str(error) or "no answer"
            raise SettingsProblem(
                said(
                    "Could not reach the mail server %(where)s (%(reason)s); check "
                    "TRACKER_MAIL_SERVER and TRACKER_MAIL_PORT.",
                    where=self._where(),
                    reason=reason,
                )
            ) from None
        if s.username:
            try:
                smtp.login(s.username, s.password or "")
            except smtplib.SMTPAuthenticationError as error:
                smtp.close()
                raise SettingsProblem(
                    said(
                        "The mail server refused the login for %(username)s (%(words)s); check "
                        "TRACKER_MAIL_USERNAME and TRACKER_MAIL_PASSWORD.",
                        username=s.username,
                        words=_words(error.smtp_code, error.smtp_error),
                    )
                ) from None
            except (smtplib.SMTPException, OSError) as error:
                smtp.close()
                raise SettingsProblem(
                    said(
                        "Signing in to the mail server failed (%(error)s).",
                        error=type(error).__name__,
                    )
                ) from None
        self._smtp = smtp
        return smtp

    def _live_connection(self) -> smtplib.SMTP:
        """The open connection if the server still answers, else a new one: a connection the
        server dropped while idle must not turn the next letter's fate into "unknown"."""
        if self._smtp is not None:
            try:
                self._smtp.noop()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
                self._smtp = None
        return self.connect()

    def send(self, message: EmailMessage, *, envelope_from: str, to: str) -> None:
        """Hand ``message`` over for ``to``; returns once the server has accepted it."""
        smtp = self._live_connection()
        try:
            smtp.send_message(message, from_addr=envelope_from, to_addrs=[to])
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            raise _by_code(code, reply) from None
        except smtplib.SMTPSenderRefused as error:
            if 400 <= error.smtp_code < 500:
                raise _by_code(error.smtp_code, error.smtp_error) from None
            raise SettingsProblem(
                said(
                    "The mail server refused the sender %(sender)s (%(words)s); check "
                    "TRACKER_MAIL_FROM and TRACKER_MAIL_BOUNCES_TO.",
                    sender=envelope_from,
                    words=_words(error.smtp_code, error.smtp_error),
                )
            ) from None
        except smtplib.SMTPResponseException as error:
            self.close()
            raise _by_code(error.smtp_code, error.smtp_error) from None
        except smtplib.SMTPNotSupportedError:
            # Raised before MAIL FROM: the server never saw this letter.
            raise NeverSent(
                said(
                    "The address %(address)s has letters beyond plain ASCII, and the mail server "
                    "%(where)s does not accept such addresses (it does not offer SMTPUTF8). "
                    "Correct the address, then send again.",
                    address=to,
                    where=self._where(),
                )
            ) from None
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            # The message may have reached the server before the connection broke.
            self._smtp = None
            raise Uncertain(
                said(
                    "The connection to %(where)s broke while sending (%(error)s); the server "
                    "may have taken the message.",
                    where=self._where(),
                    error=type(error).__name__,
                )
            ) from None
