"""What a member said in the House and in committees: the House of Commons Publication Search,
read as XML (`?per=<PersonId>&pubType=<37|40017>&xml=1`), fetched page by page and parsed into
interventions. Fetch and parse only: it knows nothing of the app or its database.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from lxml import etree

from importers.errors import FeedError
from importers.http import MAX_BYTES, FeedClient
from importers.said import said
from importers.xmlfeed import parse_document

HOUSE = 37  # House of Commons Debates (Hansard)
COMMITTEES = 40017  # committee evidence
PUB_TYPES = (HOUSE, COMMITTEES)
SEARCH_URL = "https://www.ourcommons.ca/publicationsearch/en/"
SITE = "https://www.ourcommons.ca"
RESULTS_PER_PAGE = 1000  # the search's own default (its RPP refiner)
MAX_PAGES = 50  # a runaway answer that always says "more" stops here
PAUSE_SECONDS = 2.0  # between two requests to the House's server
INTERJECTION = "Interjection"


@dataclass(frozen=True)
class IndexTerm:
    """One of the House indexers' subject terms for an intervention."""

    term_id: int
    text: str
    is_procedural: bool


@dataclass(frozen=True)
class Intervention:
    """One intervention of one member, as the search returns it."""

    item_id: int  # PublicationItem@Id: stable across re-issues of the record
    publication_id: int
    pub_type: int
    title: str
    spoken_on: dt.date
    parliament: int | None
    session: int | None
    organization: str
    order_of_business: str | None
    subject_of_business: str | None
    intervention_type: str | None
    person_id: int | None  # Person@Id, the PersonId (Affiliation@DbId is a per-role id)
    speaker: str
    paragraphs: tuple[str, ...]
    terms: tuple[IndexTerm, ...]
    record_url: str | None
    video_url: str | None

    @property
    def is_house(self) -> bool:
        return self.pub_type == HOUSE

    @property
    def is_interjection(self) -> bool:
        return self.intervention_type == INTERJECTION


@dataclass(frozen=True)
class SearchPage:
    """One page of search results: how many records the search found, and this page's items."""

    records_found: int
    interventions: list[Intervention]


def source_name(pub_type: int) -> str:
    return "hansard" if pub_type == HOUSE else "committee-evidence"


def search_url(person_id: int, pub_type: int, since: dt.date, until: dt.date, page: int = 1) -> str:
    """The search address for one member's interventions of one kind between two dates."""
    query = {
        "per": person_id,
        "pubType": pub_type,
        "ParlSes": f"from{since.isoformat()}to{until.isoformat()}",
        "RPP": RESULTS_PER_PAGE,
        "Page": page,
        "xml": 1,
    }
    return f"{SEARCH_URL}?{urlencode(query)}"


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def _required_int(source: str, element: etree._Element, name: str) -> int:
    value = _int(element.get(name))
    if value is None:
        raise FeedError(
            source, said("a <%(record)s> has no usable %(name)s", record=element.tag, name=name)
        )
    return value


def _date(source: str, value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        raise FeedError(source, said("%(value)s is not a date", value=repr(value))) from None


def _text(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    value = " ".join("".join(element.itertext()).split())
    return value or None


def _link(value: str | None) -> str | None:
    """An address on the House's own site, made absolute; anything else is dropped."""
    value = (value or "").strip()
    if value.startswith("//www.ourcommons.ca/"):
        return "https:" + value
    if value.startswith("/") and not value.startswith("//"):
        return SITE + value
    if value.startswith(SITE + "/"):
        return value
    return None


def _terms(item: etree._Element) -> tuple[IndexTerm, ...]:
    terms = []
    for term in item.iterfind("IndexEntries/Term"):
        term_id, text = _int(term.get("Id")), _text(term)
        if term_id is not None and text:
            terms.append(IndexTerm(term_id, text, term.get("IsProceduralTerm") == "1"))
    return tuple(terms)


def _item(source: str, pub: etree._Element, item: etree._Element, pub_type: int) -> Intervention:
    intervention = item.find("XmlContent/Intervention")
    person = item.find("Person")
    paragraphs = () if intervention is None else intervention.iterfind("Content/ParaText")
    names = [] if person is None else [_text(person.find(t)) for t in ("FirstName", "LastName")]
    kind = None if intervention is None else (intervention.get("Type") or "").strip() or None
    record = _link(pub.get("HtmlURL")) or _link(pub.get("PdfURL"))
    return Intervention(
        item_id=_required_int(source, item, "Id"),
        publication_id=_required_int(source, pub, "Id"),
        pub_type=pub_type,
        title=(pub.get("Title") or "").strip(),
        spoken_on=_date(source, item.get("Date") or pub.get("Date")),
        parliament=_int(pub.get("Parliament")),
        session=_int(pub.get("Session")),
        organization=(pub.get("Organization") or "").strip(),
        order_of_business=_text(item.find("OrderOfBusiness")),
        subject_of_business=_text(item.find("SubjectOfBusiness")),
        intervention_type=kind,
        person_id=_int(person.get("Id")) if person is not None else None,
        speaker=" ".join(name for name in names if name),
        paragraphs=tuple(text for p in paragraphs if (text := _text(p))),
        terms=_terms(item),
        record_url=record,
        video_url=_link(item.get("VideoURL")),
    )


def parse_search(data: bytes, pub_type: int = HOUSE) -> SearchPage:
    """Parse one page of the search's XML answer; anything unusable is a FeedError."""
    source = source_name(pub_type)
    if len(data) > MAX_BYTES:
        raise FeedError(source, said("the answer is larger than %(max)s bytes", max=MAX_BYTES))
    root = parse_document(source, data, "Results")
    if root.getroottree().docinfo.doctype:
        # The House sends no DTD; one in the answer is not the House speaking.
        raise FeedError(source, said("the answer declares a DTD; refused"))
    found = _int(root.get("RecordsFound"))
    if found is None:
        raise FeedError(source, said("the answer does not say how many records it found"))
    interventions = []
    for pub in root.iterfind("Publications/Publication"):
        _required_int(source, pub, "Id")
        for item in pub.iterfind("PublicationItems/PublicationItem"):
            interventions.append(_item(source, pub, item, pub_type))
    return SearchPage(found, interventions)


Progress = Callable[[int, int], None]


def fetch_member(
    client: FeedClient,
    person_id: int,
    pub_type: int,
    since: dt.date,
    until: dt.date,
    *,
    pause: float = PAUSE_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Intervention]:
    """Every intervention of one kind by one member between two dates, page by page, one
    request at a time with a pause between them."""
    source = source_name(pub_type)
    found: list[Intervention] = []
    for page in range(1, MAX_PAGES + 1):
        if page > 1:
            sleep(pause)
        url = search_url(person_id, pub_type, since, until, page)
        result = parse_search(client.get(url, source).body, pub_type)
        found.extend(result.interventions)
        if not result.interventions or len(found) >= result.records_found:
            return found
    raise FeedError(source, said("the search kept saying there was more after %(n)s pages", n=page))


def read_member(folder: Path, person_id: int, pub_type: int) -> list[Intervention] | None:
    """The interventions saved as ``<PersonId>-<pubType>.xml`` in ``folder``, or None when no
    such file was saved."""
    path = folder / f"{person_id}-{pub_type}.xml"
    if not path.is_file():
        return None
    if path.stat().st_size > MAX_BYTES:
        raise FeedError(
            source_name(pub_type), said("%(name)s is too large to read", name=path.name)
        )
    return parse_search(path.read_bytes(), pub_type).interventions


def spoken_by(interventions: list[Intervention], person_id: int) -> Iterator[Intervention]:
    """Only what ``person_id`` said (a search answer can carry others' items)."""
    return (i for i in interventions if i.person_id == person_id)
