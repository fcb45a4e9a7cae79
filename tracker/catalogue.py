"""The translations of the page being built, found once per request.

Flask-Babel's ``gettext`` finds the request's locale, domain and catalogue again on every
call; a page of 450 rows made thousands of such calls (docs/performance.md). Here the
catalogue is bound to the request the first time it is asked for, so that each later look-up
is a dictionary access. The binding follows Flask-Babel's own state: when a block switches
the locale (``force_locale``, an export in the reader's language), the next look-up binds
that locale's catalogue, and the one before when the block ends.

The template functions below replace the Jinja i18n extension's: they take the evaluation
context only (not the whole template context, which Jinja copies for every call made inside
a loop), and keep the extension's "new style" rules: the message is a format string, and
Markup in an HTML template, so that the values put in it are escaped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from babel.support import NullTranslations
from flask.globals import _cv_app
from flask_babel import get_translations
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup, escape

# Where the binding is kept on flask.g: (the locale it was bound for, its look-ups).
BOUND = "_hilltrack_translations"
# Outside any app (a script): the messages as written.
NULL = NullTranslations()


class Lookups:
    """A catalogue, and the messages already looked up in it without values, as a template
    shows them: each is then a dictionary access. Kept on the catalogue's translations object,
    which Flask-Babel keeps for the life of the process, one per language."""

    def __init__(self, translations: NullTranslations) -> None:
        self.translations = translations
        self.markup: dict[str, str] = {}  # for HTML templates
        self.text: dict[str, str] = {}  # for text templates
        self.labels: dict[tuple[str, str], str] = {}  # enum labels, by their enum's name

    def label(self, context: str, text: str) -> str:
        """A label with its context (``pgettext``): a status, a kind, a channel."""
        found = self.labels.get((context, text))
        if found is None:
            found = self.labels[context, text] = str(self.translations.upgettext(context, text))
        return found

    @classmethod
    def of(cls, translations: NullTranslations) -> Lookups:
        found = getattr(translations, "_hilltrack_lookups", None)
        if found is None:
            found = cls(translations)
            translations._hilltrack_lookups = found  # type: ignore[attr-defined]
        return found


def bound() -> Lookups:
    """This request's (or app context's) look-ups, found once while its locale holds."""
    # The app context's own ``g`` rather than the ``flask.g`` proxy: a page makes thousands of
    # look-ups, and the proxy costs several times the dictionary access it leads to.
    app_context = _cv_app.get(None)
    if app_context is None:
        return Lookups.of(NULL)
    kept = app_context.g.__dict__
    locale = getattr(kept.get("_flask_babel"), "babel_locale", None)
    binding = kept.get(BOUND)
    if binding is not None and locale is not None and binding[0] is locale:
        return binding[1]  # type: ignore[no-any-return]
    lookups = Lookups.of(get_translations())  # selects the locale if none yet
    kept[BOUND] = (getattr(kept.get("_flask_babel"), "babel_locale", None), lookups)
    return lookups


def language_key() -> object:
    """What names the catalogue in use now (its locale), for a cache of what was built from
    it; no look-up once the request has its locale."""
    app_context = _cv_app.get(None)
    kept = app_context.g.__dict__ if app_context is not None else {}
    locale = getattr(kept.get("_flask_babel"), "babel_locale", None)
    if locale is None:
        bound()  # selects it
        locale = getattr(kept.get("_flask_babel"), "babel_locale", None)
    return locale


def bound_translations() -> NullTranslations:
    """This request's translations (see ``bound``)."""
    return bound().translations


def _formatted(eval_ctx: EvalContext, text: str, variables: dict[str, Any]) -> str:
    if eval_ctx.autoescape:
        # A message of our catalogue is markup we wrote (as in the Jinja i18n extension); the
        # values put into it are escaped by Markup.__mod__.
        return Markup(text) % variables  # noqa: S704
    return text % variables


@pass_eval_context
def gettext(eval_ctx: EvalContext, message: str, /, **variables: Any) -> str:
    lookups = bound()
    if variables:
        return _formatted(eval_ctx, lookups.translations.ugettext(message), variables)
    done = lookups.markup if eval_ctx.autoescape else lookups.text
    found = done.get(message)
    if found is None:
        found = done[message] = _formatted(eval_ctx, lookups.translations.ugettext(message), {})
    return found


@pass_eval_context
def ngettext(
    eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: Any
) -> str:
    variables.setdefault("num", num)
    text = bound().translations.ungettext(singular, plural, num)
    return _formatted(eval_ctx, text, variables)


@pass_eval_context
def pgettext(eval_ctx: EvalContext, context: str, message: str, /, **variables: Any) -> str:
    variables.setdefault("context", context)
    return _formatted(eval_ctx, bound().translations.upgettext(context, message), variables)


@pass_eval_context
def npgettext(
    eval_ctx: EvalContext,
    context: str,
    singular: str,
    plural: str,
    num: int,
    /,
    **variables: Any,
) -> str:
    variables.setdefault("context", context)
    variables.setdefault("num", num)
    text = bound().translations.unpgettext(context, singular, plural, num)
    return _formatted(eval_ctx, text, variables)


class Sentence:
    """A message with values, looked up once for the page and filled in for each row:
    ``{% set due = sentence('due %(date)s') %}`` before the loop, ``{{ due(date=...) }}`` in it.
    The catalogue extractor knows ``sentence`` as it knows ``_``."""

    def __init__(self, text: str, autoescape: bool) -> None:
        # A message of our catalogue is markup we wrote; the values are escaped as they go in.
        self.text = Markup(text) if autoescape else text  # noqa: S704

    def __call__(self, **variables: Any) -> str:
        return self.text % variables


_MARK = "\x00"  # in no translation; escaping leaves it as it is


def around(message: Any, name: str, *, attribute: bool = False) -> Callable[[str], str]:
    """A sentence with one value (``message`` as the catalogue has it, looked up now), split
    around the value once for a page: the returned function puts a row's already escaped
    value in, without formatting per row (a translation without the value stays whole; one
    that names it twice gets it twice). For an ``attribute`` (aria-label, title) the
    sentence's own words are escaped too: a quote in a translation would end the attribute."""
    text = str(message)
    if attribute:
        filled = str(escape(text % {name: _MARK}))
    else:
        filled = Sentence(text, autoescape=True)(**{name: _MARK})
    parts = [str(part) for part in filled.split(_MARK)]
    if len(parts) == 1:
        whole = parts[0]
        return lambda _escaped: whole
    if len(parts) == 2:
        head, tail = parts
        return lambda escaped: f"{head}{escaped}{tail}"
    return lambda escaped: str(escaped).join(parts)


class Plural:
    """A message with a number, looked up once for the page: each row picks its plural form
    (``{% set late = plural('%(num)d day late', '%(num)d days late') %}``, then
    ``{{ late(days) }}``). The catalogue extractor knows ``plural`` as it knows ``ngettext``."""

    def __init__(
        self, translations: NullTranslations, singular: str, plural: str, autoescape: bool
    ) -> None:
        self.translations = translations
        self.singular, self.plural = singular, plural
        self.autoescape = autoescape
        self.rule = getattr(translations, "plural", lambda n: int(n != 1))
        self.forms: dict[tuple[int, bool], str] = {}

    def __call__(self, num: int, /, **variables: Any) -> str:
        # A missing translation falls back to English by "one or not": part of the key too.
        key = (self.rule(num), num == 1)
        text = self.forms.get(key)
        if text is None:
            text = self.translations.ungettext(self.singular, self.plural, num)
            text = self.forms[key] = Markup(text) if self.autoescape else text  # noqa: S704
        variables.setdefault("num", num)
        return text % variables


@pass_eval_context
def sentence(eval_ctx: EvalContext, message: str, /) -> Sentence:
    return Sentence(bound().translations.ugettext(message), eval_ctx.autoescape)


@pass_eval_context
def plural(eval_ctx: EvalContext, singular: str, plural: str, /) -> Plural:
    return Plural(bound().translations, singular, plural, eval_ctx.autoescape)


# The parameters before "/" are positional only, as in Jinja's own: a message's values may be
# named num, context or message ("ngettext('%(num)s byte', ..., size, num=size | number)").

# The names templates call them by (`_` is gettext, as in the Jinja extension).
TEMPLATE_GLOBALS = {
    "_": gettext,
    "gettext": gettext,
    "ngettext": ngettext,
    "pgettext": pgettext,
    "npgettext": npgettext,
    "sentence": sentence,
    "plural": plural,
}
