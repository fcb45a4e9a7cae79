"""House of Commons open-data XML: members, ministries, parliamentary secretaries, House
officers, chair occupants and member profiles (committee roles). Pure parsers, no I/O."""

from __future__ import annotations

import dataclasses

from lxml import etree

from importers import committees
from importers.errors import FeedError
from importers.names import normalize_honorific, sentence_case
from importers.records import FeedSnapshot, Person, Term
from importers.said import said
from importers.xmlfeed import date_of, parse_document, person_id_of, required, text

BASE_URL = "https://www.ourcommons.ca"
MEMBERS_URL = f"{BASE_URL}/Members/en/search/XML"
# The same list in French: the caucuses by their French short names (FORMATS.md, section 1).
MEMBERS_FR_URL = f"{BASE_URL}/Members/fr/search/XML"
MINISTRIES_URL = f"{BASE_URL}/Members/en/ministries/XML"
PARLIAMENTARY_SECRETARIES_URL = f"{BASE_URL}/Members/en/parliamentary-secretaries/XML"
HOUSE_OFFICERS_URL = f"{BASE_URL}/Members/en/house-officers/XML"
CHAIR_OCCUPANTS_URL = f"{BASE_URL}/Members/en/chair-occupants/XML"


# A table of facts: the House's French short name of each caucus, by its English one, for the
# feeds read without the French members list (the bundled snapshot, the other lists).
CAUCUS_FR = {
    "Conservative": "Conservateur",
    "Liberal": "Libéral",
    "NDP": "NPD",
    "Bloc Québécois": "Bloc Québécois",
    "Green Party": "Parti vert",
    "Independent": "Indépendant",
}


def caucus_fr(party: str | None) -> str | None:
    """The caucus's French short name where the table knows it ("Liberal" -> "Libéral")."""
    return CAUCUS_FR.get(party) if party else None


def profile_url(person_id: int) -> str:
    """A member's profile XML; the slug before the id is ignored by the site."""
    return f"{BASE_URL}/Members/en/member({person_id})/xml"


def _person(source: str, record: etree._Element, province_tag: str) -> Person:
    return Person(
        person_id=person_id_of(source, text(record, "PersonId")),
        honorific=normalize_honorific(text(record, "PersonShortHonorific")),
        given_name=required(source, record, "PersonOfficialFirstName"),
        family_name=required(source, record, "PersonOfficialLastName"),
        constituency=text(record, "ConstituencyName"),
        province=text(record, province_tag),
        party=(party := text(record, "CaucusShortName")),
        party_fr=caucus_fr(party),
    )


def _records(source: str, data: bytes, root_tag: str, record_tag: str) -> list[etree._Element]:
    root = parse_document(source, data, root_tag)
    records: list[etree._Element] = list(root.findall(record_tag))
    if not records:
        raise FeedError(source, said("the feed has no <%(tag)s> records", tag=record_tag))
    return records


def parse_members(data: bytes, source: str = "members") -> FeedSnapshot:
    """Members search export: each record is one MP term (current, or a former member's last)."""
    terms = []
    for record in _records(source, data, "ArrayOfMemberOfParliament", "MemberOfParliament"):
        person = _person(source, record, "ConstituencyProvinceTerritoryName")
        riding = person.constituency or "an unnamed riding"
        terms.append(
            Term(
                person=person,
                kind="mp",
                title=f"Member of Parliament for {riding}",
                start_on=date_of(source, text(record, "FromDateTime")),
                end_on=date_of(source, text(record, "ToDateTime")),
            )
        )
    return FeedSnapshot(source=source, terms=tuple(terms), covers=frozenset({"mp"}))


def parse_members_fr(data: bytes, source: str = "members") -> dict[int, str]:
    """The French members list: each PersonId's caucus by its French short name."""
    parties: dict[int, str] = {}
    for record in _records(source, data, "ArrayOfMemberOfParliament", "MemberOfParliament"):
        person_id = person_id_of(source, text(record, "PersonId"))
        party = text(record, "CaucusShortName")
        if person_id is not None and party:
            parties[person_id] = party
    return parties


def with_french_parties(snapshot: FeedSnapshot, parties: dict[int, str]) -> FeedSnapshot:
    """The members snapshot with each person's caucus named as the French list names it."""
    terms = tuple(
        dataclasses.replace(
            term, person=dataclasses.replace(term.person, party_fr=parties[term.person.person_id])
        )
        if term.person.person_id in parties
        else term
        for term in snapshot.terms
    )
    return dataclasses.replace(snapshot, terms=terms)


def _ministry_kind(title: str) -> str:
    if title == "Prime Minister":
        return "prime_minister"
    if title.startswith("Secretary of State"):
        return "secretary_of_state"
    return "minister"


def parse_ministries(data: bytes, source: str = "ministries") -> FeedSnapshot:
    """Ministries export: the Prime Minister, ministers and secretaries of state."""
    terms = []
    for record in _records(source, data, "ArrayOfMinister", "Minister"):
        person = _person(source, record, "ProvinceTerritoryName")
        title = sentence_case(required(source, record, "Title"))
        terms.append(
            Term(
                person=person,
                kind=_ministry_kind(title),
                title=title,
                start_on=date_of(source, text(record, "FromDateTime")),
                end_on=date_of(source, text(record, "ToDateTime")),
            )
        )
    covers = frozenset({"prime_minister", "minister", "secretary_of_state"})
    return FeedSnapshot(source=source, terms=tuple(terms), covers=covers)


def _parse_positions(
    data: bytes, source: str, root_tag: str, record_tag: str, kind: str
) -> FeedSnapshot:
    """The shared shape of the parliamentary secretaries, House officers and chair occupants."""
    terms = []
    for record in _records(source, data, root_tag, record_tag):
        person = _person(source, record, "ProvinceTerritoryName")
        terms.append(
            Term(
                person=person,
                kind=kind,
                title=sentence_case(required(source, record, "Title")),
                start_on=date_of(source, text(record, "FromDateTime")),
                end_on=date_of(source, text(record, "ToDateTime")),
            )
        )
    return FeedSnapshot(source=source, terms=tuple(terms), covers=frozenset({kind}))


def parse_parliamentary_secretaries(
    data: bytes, source: str = "parliamentary-secretaries"
) -> FeedSnapshot:
    return _parse_positions(
        data,
        source,
        "ArrayOfParliamentarySecretary",
        "ParliamentarySecretary",
        "parliamentary_secretary",
    )


def parse_house_officers(data: bytes, source: str = "house-officers") -> FeedSnapshot:
    return _parse_positions(data, source, "ArrayOfHouseOfficer", "HouseOfficer", "house_officer")


def parse_chair_occupants(data: bytes, source: str = "chair-occupants") -> FeedSnapshot:
    # The Speaker and deputies are House officers in Hilltrack's vocabulary.
    return _parse_positions(data, source, "ArrayOfChairOccupant", "ChairOccupant", "house_officer")


COMMITTEE_KINDS = {
    "chair": "committee_chair",
    "vice-chair": "committee_vice_chair",
    "member": "committee_member",
}


def parse_profile(data: bytes, person_id: int, source: str = "profiles") -> list[Term]:
    """A member's profile: their committee roles (chair, vice-chair, member) with dates."""
    root = parse_document(source, data, "Profile")
    mp = root.find(".//MemberOfParliamentRole")
    if mp is None:
        raise FeedError(
            source, said("profile %(id)s has no <MemberOfParliamentRole>", id=person_id)
        )
    person = Person(
        person_id=person_id,
        honorific=normalize_honorific(text(mp, "PersonShortHonorific")),
        given_name=required(source, mp, "PersonOfficialFirstName"),
        family_name=required(source, mp, "PersonOfficialLastName"),
        constituency=text(mp, "ConstituencyName"),
        province=text(mp, "ConstituencyProvinceTerritoryName"),
        party=(party := text(mp, "CaucusShortName")),
        party_fr=caucus_fr(party),
    )
    return [
        term
        for role in root.findall(".//CommitteeMemberRole")
        if (term := _committee_term(source, person, role)) is not None
    ]


def _committee_term(source: str, person: Person, role: etree._Element) -> Term | None:
    affiliation = (text(role, "AffiliationRoleName") or "").casefold()
    kind = COMMITTEE_KINDS.get(affiliation)
    if kind is None:
        return None  # associate members and other affiliations are not tracked
    committee = required(source, role, "CommitteeName")
    full_name, acronym = committees.describe(committee)
    label = {"committee_chair": "Chair", "committee_vice_chair": "Vice-Chair"}.get(kind, "Member")
    return Term(
        person=person,
        kind=kind,
        title=f"{label} of the {full_name}",
        start_on=date_of(source, text(role, "FromDateTime")),
        end_on=date_of(source, text(role, "ToDateTime")),
        organisation=full_name,
        organisation_acronym=acronym,
    )
