"""Which of a campaign's two texts a letter carries: the one in its recipient's language, never
the other one in its place (a coordinator switches the recipient's language for that)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import pgettext

from tracker.models import Campaign

LANGUAGES = ("en", "fr")
# Babel's locale for each: how dates and numbers are written in that language (Canada's).
LOCALES = {"en": "en_CA", "fr": "fr_CA"}


def language_name(code: str | None) -> str:
    """A language by its name in the page's language: "English", "anglais"."""
    if code == "fr":
        return str(pgettext("language name", "French"))
    if code == "en":
        return str(pgettext("language name", "English"))
    return code or ""


@dataclass(frozen=True)
class CampaignText:
    """The campaign's title, subject line, summary, asks and body (Markdown) in one language."""

    language: str
    title: str
    subject: str
    summary: str
    asks: tuple[str, ...]
    body: str


def _text(value: str | None) -> str:
    return (value or "").strip()


def has_text(campaign: Campaign, language: str) -> bool:
    """Whether the campaign is written in ``language``: its letter body is."""
    return bool(_text(campaign.body_fr if language == "fr" else campaign.body))


def languages_written(campaign: Campaign) -> tuple[str, ...]:
    """The languages the campaign's letter exists in, English first."""
    return tuple(language for language in LANGUAGES if has_text(campaign, language))


def campaign_text(campaign: Campaign, language: str) -> CampaignText:
    """The campaign's text in ``language``; empty parts where it is not written in it (the
    subject line falls back to that language's title)."""
    if language == "fr":
        title, subject = _text(campaign.title_fr), _text(campaign.subject_fr)
        summary, asks, body = campaign.summary_fr, campaign.asks_fr, campaign.body_fr
    else:
        language = "en"
        title, subject = _text(campaign.title), _text(campaign.subject)
        summary, asks, body = campaign.summary, campaign.asks, campaign.body
    return CampaignText(
        language=language,
        title=title,
        subject=subject or title,
        summary=_text(summary),
        asks=tuple(line.strip() for line in (asks or "").splitlines() if line.strip()),
        body=_text(body),
    )
