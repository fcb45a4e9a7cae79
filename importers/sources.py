"""The sources Hilltrack imports, and how to read each: from saved files or over HTTP.

This is the fetch → parse half of an import; it never touches the database, so no network
wait ever happens inside a transaction.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from importers import committee_pages, committees, ministries_csv, ourcommons, represent
from importers.errors import FeedError, FeedNotFound
from importers.http import FeedClient
from importers.records import FeedSnapshot
from importers.said import said

Progress = Callable[[str, int, int], None]
PROFILE_WORKERS = 4


@dataclass(frozen=True)
class XmlSource:
    name: str
    filename: str
    url: str
    parse: Callable[[bytes, str], FeedSnapshot]


XML_SOURCES = (
    XmlSource("members", "members.xml", ourcommons.MEMBERS_URL, ourcommons.parse_members),
    XmlSource(
        "ministries", "ministries.xml", ourcommons.MINISTRIES_URL, ourcommons.parse_ministries
    ),
    XmlSource(
        "parliamentary-secretaries",
        "parliamentary-secretaries.xml",
        ourcommons.PARLIAMENTARY_SECRETARIES_URL,
        ourcommons.parse_parliamentary_secretaries,
    ),
    XmlSource(
        "house-officers",
        "house-officers.xml",
        ourcommons.HOUSE_OFFICERS_URL,
        ourcommons.parse_house_officers,
    ),
    XmlSource(
        "chair-occupants",
        "chair-occupants.xml",
        ourcommons.CHAIR_OCCUPANTS_URL,
        ourcommons.parse_chair_occupants,
    ),
)
SOURCE_NAMES = (
    *(s.name for s in XML_SOURCES),
    ministries_csv.SOURCE,
    "profiles",
    "committees",
    "represent",
)
COMMITTEE_KINDS = frozenset({"committee_chair", "committee_vice_chair", "committee_member"})


@dataclass
class Collected:
    """The snapshots read for a run, the sources skipped (no saved file) and the sources that
    failed alone (an unusable feed), each with why."""

    snapshots: list[FeedSnapshot]
    skipped: dict[str, str]
    failed: dict[str, str] = field(default_factory=dict)


# The other sources match their people against the members feed: without it, nothing can apply.
ESSENTIAL = "members"


def _noop(step: str, done: int, total: int) -> None:
    return None


class Collector:
    """Reads the chosen sources from a folder or over HTTP, in the order they must apply."""

    def __init__(
        self,
        sources: Iterable[str] | None = None,
        *,
        from_dir: Path | None = None,
        client: FeedClient | None = None,
        progress: Progress = _noop,
        known_person_ids: Iterable[int] = (),
    ) -> None:
        chosen = list(sources or SOURCE_NAMES)
        unknown = set(chosen) - set(SOURCE_NAMES)
        if unknown:
            raise FeedError(", ".join(sorted(unknown)), said("no such source"))
        self.sources = [name for name in SOURCE_NAMES if name in chosen]
        self.from_dir = from_dir
        self.client = client
        self.progress = progress
        self.known_person_ids = set(known_person_ids)
        if from_dir is None and client is None:
            raise ValueError("give a folder to read or an HTTP client to fetch with")

    def collect(self) -> Collected:
        """Read and parse every chosen source; any unusable feed raises FeedError."""
        result = Collected(snapshots=[], skipped={})
        for source in XML_SOURCES:
            if source.name in self.sources:
                self._add(result, source.name, functools.partial(self._xml, source))
        if ministries_csv.SOURCE in self.sources:
            self._add(result, ministries_csv.SOURCE, self._titles_in_french)
        if "profiles" in self.sources:
            self._add(result, "profiles", lambda: self._profiles(result.snapshots))
        if "committees" in self.sources:
            self._add(result, "committees", self._committees)
        if "represent" in self.sources:
            self._add(result, "represent", self._represent)
        return result

    def _add(self, result: Collected, name: str, read: Callable[[], FeedSnapshot | None]) -> None:
        """Read one source, all or nothing for itself: an unusable feed fails alone (its roles
        stay as they were), except the members feed, which stops the run."""
        self.progress(name, 0, 1)
        try:
            snapshot = read()
        except FeedError as error:
            if name == ESSENTIAL:
                raise
            result.failed[name] = error.message
            self.progress(name, 1, 1)
            return
        if snapshot is None:
            result.skipped[name] = said("no saved file for this source in the folder")
        else:
            result.snapshots.append(snapshot)
        self.progress(name, 1, 1)

    def _read(self, relative: str, url: str, source: str, *, html: bool = False) -> bytes | None:
        if self.from_dir is not None:
            path = self.from_dir / relative
            return path.read_bytes() if path.is_file() else None
        assert self.client is not None  # noqa: S101  (checked in __init__)
        return self.client.get(url, source, html=html).body

    def _xml(self, source: XmlSource) -> FeedSnapshot | None:
        data = self._read(source.filename, source.url, source.name)
        if data is None:
            return None
        snapshot = source.parse(data, source.name)
        if source.name == ESSENTIAL:
            snapshot = self._with_french_parties(snapshot)
        return snapshot

    def _with_french_parties(self, snapshot: FeedSnapshot) -> FeedSnapshot:
        """The caucuses' French names from the French members list (members-fr.xml in a
        folder); without it the table of facts names them, and the run says why."""
        try:
            data = self._read("members-fr.xml", ourcommons.MEMBERS_FR_URL, ESSENTIAL)
            if data is None:
                return snapshot
            parties = ourcommons.parse_members_fr(data, ESSENTIAL)
        except FeedError as error:
            warning = said(
                "the French members list could not be read (%(error)s); the caucuses' French "
                "names come from Hilltrack's table",
                error=error.message,
            )
            return dataclasses.replace(snapshot, warnings=(*snapshot.warnings, warning))
        return ourcommons.with_french_parties(snapshot, parties)

    def _profiles(self, earlier: list[FeedSnapshot]) -> FeedSnapshot | None:
        person_ids = sorted(self._sitting_person_ids(earlier))
        if self.from_dir is not None:
            folder = self.from_dir / "profiles"
            if not folder.is_dir():
                return None
            person_ids = sorted(int(p.stem) for p in folder.glob("*.xml") if p.stem.isdigit())
        terms = []
        done = 0
        with ThreadPoolExecutor(max_workers=PROFILE_WORKERS) as pool:
            for person_id, data in zip(
                person_ids, pool.map(self._profile_bytes, person_ids), strict=True
            ):
                if data is not None:
                    terms.extend(ourcommons.parse_profile(data, person_id))
                done += 1
                self.progress("profiles", done, len(person_ids))
        return FeedSnapshot(
            source="profiles",
            terms=tuple(terms),
            covers=COMMITTEE_KINDS,
            scope=frozenset(person_ids),
        )

    def _profile_bytes(self, person_id: int) -> bytes | None:
        return self._read(
            f"profiles/{person_id}.xml", ourcommons.profile_url(person_id), "profiles"
        )

    def _sitting_person_ids(self, earlier: list[FeedSnapshot]) -> set[int]:
        ids = {
            t.person.person_id
            for s in earlier
            if s.source == "members"
            for t in s.terms
            if t.end_on is None and t.person.person_id is not None
        }
        return ids or self.known_person_ids

    def _titles_in_french(self) -> FeedSnapshot | None:
        """The ministries export in English and in French, paired row by row."""
        source = ministries_csv.SOURCE
        english = self._read("ministries.csv", ministries_csv.EN_URL, source)
        french = self._read("ministries-fr.csv", ministries_csv.FR_URL, source)
        if english is None or french is None:
            return None
        pairs, warnings = ministries_csv.pair_titles(
            ministries_csv.read_rows(english, "en"), ministries_csv.read_rows(french, "fr")
        )
        return FeedSnapshot(source=source, titles_fr=tuple(pairs), warnings=tuple(warnings))

    def _committees(self) -> FeedSnapshot | None:
        """Every House committee's Members page; from a folder, the committees/<ACRONYM>.html
        present (an absent folder skips the source)."""
        if self.from_dir is not None:
            folder = self.from_dir / "committees"
            if not folder.is_dir():
                return None
            acronyms = sorted(p.stem.upper() for p in folder.glob("*.html"))
        else:
            acronyms = committees.ACRONYMS
        terms, warnings = [], []
        for done, acronym in enumerate(acronyms, 1):
            try:
                data = self._read(
                    f"committees/{acronym}.html",
                    committee_pages.members_url(acronym),
                    "committees",
                    html=True,
                )
            except FeedNotFound:
                warnings.append(
                    said("%(acronym)s has no Members page this session; skipped", acronym=acronym)
                )
                data = None
            if data is not None:
                terms.extend(committee_pages.parse_members_page(data, acronym))
            self.progress("committees", done, len(acronyms))
        return FeedSnapshot(
            source="committees",
            warnings=tuple(warnings),
            terms=tuple(terms),
            covers=COMMITTEE_KINDS,
            # Only the roles of people on a page read can end: a page not read ends nothing.
            scope=frozenset(t.person.person_id for t in terms if t.person.person_id),
            creates_officials=False,
        )

    def _represent(self) -> FeedSnapshot | None:
        pages = self._represent_pages()
        if pages is None:
            return None
        parsed = [represent.parse_page(page) for page in pages]
        contacts = tuple(c for p in parsed for c in p.contacts)
        warnings = tuple(w for p in parsed for w in p.warnings)
        return FeedSnapshot(source="represent", contacts=contacts, warnings=warnings)

    def _represent_pages(self) -> list[bytes] | None:
        if self.from_dir is not None:
            path = self.from_dir / "represent.json"
            if not path.is_file():
                return None
            return _split_saved_pages(path.read_bytes())
        assert self.client is not None  # noqa: S101
        pages: list[bytes] = []
        url: str | None = represent.FIRST_PAGE_URL
        while url is not None and len(pages) < 50:  # 50 pages of 1000 is far past the House
            page = self.client.get(url, "represent").body
            pages.append(page)
            url = represent.next_page(page)
        return pages


def _split_saved_pages(data: bytes) -> list[bytes]:
    """represent.json holds one page, or a JSON list of pages."""
    try:
        loaded = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise FeedError(
            "represent", said("represent.json is not JSON (%(error)s)", error=str(error))
        ) from None
    if isinstance(loaded, list):
        return [json.dumps(page).encode() for page in loaded]
    return [data]
