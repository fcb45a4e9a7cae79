"""The pages' language: a person's saved choice, else their browser's, else the installation's.

The catalogue's source of truth is `tracker/translations/fr/LC_MESSAGES/messages.po`; it is
compiled at start into the instance folder (no compiled file is committed), so a `.po` edit
shows at the next start, and a check in the tests keeps it complete (tests/test_catalogue.py).
"""

from __future__ import annotations

import io
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import Babel
from flask_login import current_user

from tracker import catalogue
from tracker.catalogue import language_key
from tracker.paths import PACKAGE_DIR
from tracker.rules.campaign_text import LOCALES

LANGUAGES = ("en", "fr")
COOKIE = "hilltrack_language"
SOURCE = PACKAGE_DIR / "translations"


def compile_catalogues(target: Path) -> Path:
    """Compile every `.po` under tracker/translations into ``target`` when it is newer than
    the compiled file; returns ``target`` for Flask-Babel to read."""
    for po_path in SOURCE.glob("*/LC_MESSAGES/messages.po"):
        mo_path = target / po_path.relative_to(SOURCE).with_suffix(".mo")
        source = po_path.stat()
        if mo_path.exists() and mo_path.stat().st_mtime >= source.st_mtime:
            continue
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        _write_whole(mo_path, _compiled(po_path, source.st_mtime_ns, source.st_size))
    return target


@lru_cache(maxsize=8)
def _compiled(po_path: Path, modified_ns: int, size: int) -> bytes:
    """The compiled catalogue of one `.po` as it is now (its time and size are the key, so an
    edit is compiled anew): parsing the `.po` is most of an app's start, and a process that
    builds several apps on fresh instance folders (the tests: one per test) parses it once."""
    with po_path.open("rb") as source:
        catalogue = read_po(source)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    return compiled.getvalue()


def _write_whole(mo_path: Path, compiled: bytes) -> None:
    """Write the compiled catalogue to a file of this process's own, then rename it over
    ``mo_path``: processes starting together each write their own copy (a shared scratch name
    was renamed away under the others), and a reader sees the old file or the new one, whole."""
    handle, scratch = tempfile.mkstemp(dir=mo_path.parent, prefix=".messages-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(compiled)
        os.replace(scratch, mo_path)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise


def language(fallback: str | None = None) -> str:
    """The two-letter language of this request (or of the command line: the default)."""
    if not has_request_context():
        return fallback or current_app.config.get("DEFAULT_LANGUAGE", "en")
    if "language" in g:
        return str(g.language)
    chosen = None
    if request.path.startswith("/api/"):
        # The API speaks its token owner's language (set when the token is read); a session
        # cookie is never read there.
        chosen = g.get("api_language")
    elif current_user and current_user.is_authenticated:
        chosen = getattr(current_user, "language", None)
    if not request.path.startswith("/api/"):
        chosen = chosen or request.cookies.get(COOKIE)
    if chosen not in LANGUAGES:
        chosen = request.accept_languages.best_match(LANGUAGES)
    if chosen not in LANGUAGES:
        chosen = current_app.config.get("DEFAULT_LANGUAGE", "en")
    g.language = chosen if chosen in LANGUAGES else "en"
    return str(g.language)


def _settle_language() -> None:
    if request.endpoint != "static":  # a file has no language: no signed-in user loaded for it
        language()


def select_locale() -> str:
    return LOCALES[language()]


def current_language() -> str:
    """The language Babel is using now ("en" or "fr"): read from the request's bound locale
    (tracker/catalogue.py), as a directory of hundreds of rows asks it for each party, title
    and province, and Flask-Babel's get_locale() finds the request's state anew each time."""
    locale = language_key()
    return str(getattr(locale, "language", None) or "en")


def init_app(app: Flask) -> None:
    folder = compile_catalogues(Path(app.instance_path) / "translations")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(folder))
    # Outside a request (the command line, the worker) the installation's language applies.
    app.config.setdefault(
        "BABEL_DEFAULT_LOCALE", LOCALES.get(app.config.get("DEFAULT_LANGUAGE", "en"), "en_CA")
    )
    Babel(app, locale_selector=select_locale, timezone_selector=lambda: app.config["TIMEZONE"])
    # The templates' _(), ngettext()... look up the request's bound catalogue (tracker/catalogue.py)
    # instead of Flask-Babel's, which finds the locale and domain again on every call.
    app.jinja_env.globals.update(catalogue.TEMPLATE_GLOBALS)
    # Settled once, early: a job run inside the request (tests' in-request queue) must not
    # load the signed-in user in the middle of its own transactions.
    app.before_request(_settle_language)
    app.jinja_env.globals["current_language"] = current_language
