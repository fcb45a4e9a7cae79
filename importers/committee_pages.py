"""A House committee's Members page (`/Committees/en/<ACRONYM>/Members`): its chair, vice-chairs
and members. Pure parser, no I/O.

The page's quirks: every member is drawn twice (a desktop card and a mobile card); the PersonId
is only in the profile link, as "(NNNNN)"; names come as HTML entities; the honorific is an
empty <abbr>.
"""

from __future__ import annotations

import re

from lxml import etree, html

from importers import committees
from importers.errors import FeedError
from importers.records import Person, Term
from importers.said import said

SOURCE = "committees"
BASE_URL = "https://www.ourcommons.ca"
MAX_BYTES = 20 * 1024 * 1024  # as for every feed (importers/http.py)
PERSON_ID = re.compile(r"\((\d+)\)\s*$")
# A section's id, else its heading, says which role its cards hold.
SECTION_IDS = {
    "committee-chair": "committee_chair",
    "committee-vice-chairs": "committee_vice_chair",
    "committee-members": "committee_member",
}
HEADINGS = {
    "chair": "committee_chair",
    "vice-chair": "committee_vice_chair",
    "vice-chairs": "committee_vice_chair",
    "member": "committee_member",
    "members": "committee_member",
}
LABELS = {"committee_chair": "Chair", "committee_vice_chair": "Vice-Chair"}


def members_url(acronym: str) -> str:
    return f"{BASE_URL}/Committees/en/{acronym}/Members"


def _parser() -> html.HTMLParser:
    # As for the XML feeds: nothing fetched, no huge trees, comments dropped. The House serves
    # UTF-8; without a declaration in the page, lxml would read Latin-1.
    return html.HTMLParser(encoding="utf-8", no_network=True, huge_tree=False, remove_comments=True)


def _text(card: etree._Element, css_class: str) -> str | None:
    found = card.xpath(f".//span[contains(concat(' ', @class, ' '), ' {css_class} ')]")
    value = " ".join(found[0].text_content().split()) if found else ""
    return value or None


def _section_kind(section: etree._Element) -> str | None:
    kind = SECTION_IDS.get(section.get("id", ""))
    if kind is None:
        heading = section.find(".//h2")
        title = " ".join((heading.text_content() if heading is not None else "").split())
        kind = HEADINGS.get(title.casefold())
    return kind


def _person(card: etree._Element, source: str) -> Person | None:
    link = card.find(".//a[@href]")
    match = PERSON_ID.search(link.get("href", "")) if link is not None else None
    if match is None:
        return None
    given, family = _text(card, "first-name"), _text(card, "last-name")
    if not given or not family:
        raise FeedError(
            source, said("a member card (PersonId %(id)s) has no name", id=match.group(1))
        )
    return Person(
        person_id=int(match.group(1)),
        given_name=given,
        family_name=family,
        constituency=_text(card, "constituency"),
        province=_text(card, "province"),
        party=_text(card, "caucus"),
    )


def parse_members_page(data: bytes, acronym: str, source: str = SOURCE) -> list[Term]:
    """The committee's current chair, vice-chairs and members as terms (each person once per
    role, however many cards draw them). A page with none is a FeedError, as is one that is not
    HTML or is larger than any real page."""
    where = f"{source} {acronym}"
    if len(data) > MAX_BYTES:
        raise FeedError(where, said("the page is larger than any committee page"))
    if not data.strip() or b"<" not in data[:2000]:
        raise FeedError(where, said("the page is empty or not HTML"))
    try:
        root = html.fromstring(data, parser=_parser())
    except (etree.ParserError, ValueError) as error:
        raise FeedError(
            where, said("the page could not be read as HTML (%(error)s)", error=str(error))
        ) from None
    full_name = committees.by_acronym(acronym)
    if full_name is None:
        raise FeedError(where, said("no House committee has this acronym"))
    seen: set[tuple[str, int]] = set()
    terms = []
    for section in root.xpath("//div[contains(concat(' ', @class, ' '), ' member-section ')]"):
        kind = _section_kind(section)
        if kind is None:
            continue
        for card in section.xpath(
            ".//span[contains(concat(' ', @class, ' '), ' committee-member-card ')]"
        ):
            person = _person(card, where)
            if person is None or (kind, person.person_id or 0) in seen:
                continue  # the mobile copy of a card already read
            seen.add((kind, person.person_id or 0))
            terms.append(
                Term(
                    person=person,
                    kind=kind,
                    title=f"{LABELS.get(kind, 'Member')} of the {full_name}",
                    start_on=None,  # the page gives no date; the profile feed does
                    organisation=full_name,
                    organisation_acronym=acronym.upper(),
                )
            )
    if not terms:
        raise FeedError(where, said("the page lists no chair, vice-chair or member"))
    return terms
