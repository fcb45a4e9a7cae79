"""The one shared upsert: match feed records to officials, update feed-owned fields, upsert
roles, end the roles that left the feed, and report every change. Never deletes anything and
never touches campaigns, recipients, interactions or follow-ups."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from importers import committees
from importers.errors import FeedError
from importers.names import fold, name_key
from importers.records import Contact, FeedSnapshot, Person, Term, TitleInFrench
from importers.said import said, said_plural
from importers.sources import SOURCE_NAMES
from tracker.models import (
    AddressForm,
    AddressFormSource,
    ImportReview,
    Official,
    Organisation,
    OrganisationKind,
    ReviewKind,
    ReviewStatus,
    Role,
    RoleKind,
)
from tracker.operations.role_titles import build_french_titles

MINISTERIAL_KINDS = frozenset(
    {RoleKind.PRIME_MINISTER, RoleKind.MINISTER, RoleKind.SECRETARY_OF_STATE}
)
# Ending more than this share of a kind's current roles looks like a broken feed, not news.
MASS_END_LIMIT = 0.20
PERSON_FIELDS = (
    "honorific",
    "given_name",
    "family_name",
    "constituency",
    "province",
    "party",
    "party_fr",
)
CONTACT_FIELDS = ("email", "phone", "photo_url", "offices", "address_form", "preferred_language")
SEEN_BATCH = 500  # officials dated "last seen" per UPDATE
REPRESENT_GENDERS = {"F": AddressForm.MADAME, "M": AddressForm.MONSIEUR}


@dataclass
class Report:
    """What a reconcile did, per source, and what it left for a person to decide."""

    counts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    changes: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    reviews: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "counts": {source: dict(counter) for source, counter in self.counts.items()},
            "changes": self.changes,
            "warnings": self.warnings,
            "reviews": self.reviews,
        }


@dataclass
class _Hold:
    kind: ReviewKind
    candidates: list[Official]
    message: str


class Reconciler:
    """Applies feed snapshots to the database within the caller's transaction."""

    def __init__(self, session: Session, as_of: dt.datetime, *, force: bool = False) -> None:
        self.session = session
        self.as_of = as_of
        self.force = force
        self.report = Report()
        self.run_id: int | None = None
        self._by_id: dict[int, Official] = {}
        self._by_name: dict[str, list[Official]] = defaultdict(list)
        self._roles: dict[tuple[Any, ...], Role] = {}
        self._organisations: dict[tuple[str, str], Organisation] = {}
        # Tracked as objects: a new role has no id until the batched flush.
        self._seen_roles: set[Role] = set()
        self._held_officials: set[int] = set()
        self._seen: set[Official] = set()
        self._load()

    # -- loading -------------------------------------------------------------------------

    def _load(self) -> None:
        for official in self.session.scalars(select(Official)):
            self._index(official)
        # Roles entered by hand or taken from a letter are no feed's to end.
        for role in self.session.scalars(select(Role).where(Role.source.in_(SOURCE_NAMES))):
            self._roles[
                self._role_key(
                    role.official_id, role.kind, role.title, role.organisation_id, role.start_on
                )
            ] = role
        for org in self.session.scalars(select(Organisation)):
            self._organisations[(org.kind.value, fold(org.name))] = org
        # Current roles of every source, by official: a feed may describe one of them again.
        self._current_by_official: dict[int, list[Role]] = defaultdict(list)
        for role in self.session.scalars(select(Role).where(Role.end_on.is_(None))):
            self._current_by_official[role.official_id].append(role)

    def _index(self, official: Official) -> None:
        if official.ourcommons_id is not None:
            self._by_id[official.ourcommons_id] = official
        if official not in self._by_name[official.name_key]:
            self._by_name[official.name_key].append(official)

    @staticmethod
    def _role_key(
        official_id: int, kind: str, title: str, org_id: int | None, start_on: dt.date | None
    ) -> tuple[Any, ...]:
        return (official_id, str(kind), fold(title), org_id, start_on)

    # -- matching ------------------------------------------------------------------------

    def match(self, person: Person, claimed: set[Official]) -> Official | _Hold | None:
        """The official ``person`` is, None for someone new, or a hold when unsure."""
        if person.person_id is not None and person.person_id in self._by_id:
            return self._by_id[person.person_id]
        candidates = [
            c
            for c in self._by_name.get(name_key(person.given_name, person.family_name), [])
            if c not in claimed and (person.person_id is None or c.ourcommons_id is None)
        ]
        if not candidates:
            return None
        if person.constituency:
            same_riding = [c for c in candidates if _same(c.constituency, person.constituency)]
            if len(same_riding) == 1:
                return same_riding[0]
            if len(same_riding) > 1:
                return _Hold(
                    ReviewKind.AMBIGUOUS_MATCH,
                    same_riding,
                    said("Several officials have this name and riding."),
                )
        return self._match_on_evidence(person, candidates)

    def _match_on_evidence(self, person: Person, candidates: list[Official]) -> Official | _Hold:
        # Ridings change with boundaries; the same name in the same province and party is the
        # same person only when exactly one official fits.
        fits = [
            c
            for c in candidates
            if person.province
            and person.party
            and _same(c.province, person.province)
            and _same(c.party, person.party)
        ]
        if len(fits) == 1:
            self.report.warnings.append(
                said(
                    "%(name)s: matched on full name, province and party (riding now %(riding)s)",
                    name=_name(person),
                    riding=person.constituency or said("not given"),
                )
            )
            return fits[0]
        kind = ReviewKind.AMBIGUOUS_MATCH if len(candidates) > 1 else ReviewKind.UNCERTAIN_MATCH
        return _Hold(
            kind,
            candidates,
            said("Same name, but the province or party differs.")
            if kind is ReviewKind.UNCERTAIN_MATCH
            else said("Several officials have this name."),
        )

    # -- applying ------------------------------------------------------------------------

    def apply_snapshot(self, snapshot: FeedSnapshot) -> None:
        """Apply one source's terms and contacts, then end the roles that left it."""
        counts = self.report.counts[snapshot.source]
        self.report.warnings.extend(
            said("%(source)s: %(warning)s", source=snapshot.source, warning=w)
            for w in snapshot.warnings
        )
        claimed: set[Official] = set()
        resolved = []
        for term in snapshot.terms:
            official = self._resolve(
                snapshot.source, term, claimed, may_create=snapshot.creates_officials
            )
            if official is not None:
                claimed.add(official)
                resolved.append((official, term))
        self.session.flush()  # the new officials in one batch; their roles need their ids
        for official, term in resolved:
            # A source that only adds roles (committee pages) leaves people's details to the
            # members feed: two sources disagreeing on a party would flip it every run.
            self.apply_term(
                snapshot.source, official, term, update_person=snapshot.creates_officials
            )
        for contact in snapshot.contacts:
            self._apply_contact(snapshot.source, contact, counts)
        if snapshot.titles_fr:
            self._apply_titles_in_french(snapshot.source, snapshot.titles_fr, counts)
        if snapshot.covers:
            self._end_missing(snapshot)
        self._record_seen()

    def _record_seen(self) -> None:
        """Date when a feed last listed each official. One the import changed gets the date with
        its change; the others get it by a plain UPDATE that keeps their version and updated_at,
        so a person editing one of them meanwhile meets no conflict."""
        unchanged: list[Official] = []
        for official in self._seen:
            if official.id is None or self.session.is_modified(official):
                official.last_seen_in_feed_at = self.as_of
            elif official.last_seen_in_feed_at != self.as_of:
                unchanged.append(official)
        self._seen.clear()
        self.session.flush()
        for start in range(0, len(unchanged), SEEN_BATCH):
            batch = unchanged[start : start + SEEN_BATCH]
            self.session.execute(
                update(Official)
                .where(Official.id.in_([official.id for official in batch]))
                .values(last_seen_in_feed_at=self.as_of, updated_at=Official.updated_at),
                execution_options={"synchronize_session": False},
            )
            for official in batch:
                set_committed_value(official, "last_seen_in_feed_at", self.as_of)

    def _resolve(
        self, source: str, term: Term, claimed: set[Official], *, may_create: bool = True
    ) -> Official | None:
        found = self.match(term.person, claimed)
        if found is None and not may_create:
            found = _Hold(
                ReviewKind.UNCERTAIN_MATCH,
                [],
                said(
                    "PersonId %(id)s is not a known official; an import of the members feed "
                    "should bring them in.",
                    id=term.person.person_id,
                ),
            )
        if isinstance(found, _Hold):
            self._hold(source, term, found)
            return None
        if found is None:
            found = self.create_official(source, term.person)
        return found

    def create_official(self, source: str, person: Person) -> Official:
        official = Official(
            given_name=person.given_name,
            family_name=person.family_name,
            name_key=name_key(person.given_name, person.family_name),
            honorific=person.honorific,
            constituency=person.constituency,
            province=person.province,
            party=person.party,
            party_fr=person.party_fr,
            ourcommons_id=person.person_id,
            offices=[],
            edited_fields=[],
            last_seen_in_feed_at=self.as_of,
        )
        self.session.add(official)
        self._index(official)
        self.report.counts[source]["officials_inserted"] += 1
        return official

    def apply_term(
        self, source: str, official: Official, term: Term, *, update_person: bool = True
    ) -> None:
        """Update the official from ``term.person`` and upsert the role ``term`` describes."""
        if update_person:
            self._update_person(source, official, term.person)
        self._upsert_role(source, official, term)

    def _update_person(self, source: str, official: Official, person: Person) -> None:
        values: dict[str, Any] = {f: getattr(person, f) for f in PERSON_FIELDS}
        if "party" in (official.edited_fields or []):
            del values["party_fr"]  # a caucus typed by hand has its French name from the table
        if person.person_id is not None and official.ourcommons_id is None:
            values["ourcommons_id"] = person.person_id
        changed = self._set_fields(source, official, values)
        self._seen.add(official)
        if changed:
            official.name_key = name_key(official.given_name, official.family_name)
            self._index(official)
            self.report.counts[source]["officials_updated"] += 1

    def _set_fields(self, source: str, official: Official, values: dict[str, Any]) -> bool:
        """Write the feed's non-empty values, except over a person's edits; report each change."""
        changed = False
        for name, new in values.items():
            old = getattr(official, name)
            if new is None or new == "" or new == old:
                continue
            if name in (official.edited_fields or []):
                self._conflict(source, official, name, new)
                continue
            setattr(official, name, new)
            self.report.changes.append(
                {
                    "source": source,
                    "official_id": official.id,
                    "official": official.full_name,
                    "field": name,
                    "old": _plain(old),
                    "new": _plain(new),
                }
            )
            changed = True
        return changed

    def _upsert_role(self, source: str, official: Official, term: Term) -> None:
        counts = self.report.counts[source]
        org = self._organisation(term)
        if official.id is None:
            self.session.flush()
        key = self._role_key(
            official.id, term.kind, term.title, org.id if org else None, term.start_on
        )
        role = self._roles.get(key)
        if role is None:
            role = self._same_role_elsewhere(source, official, term, org)
            if role is not None:
                self._roles[key] = role
        if role is None:
            role = Role(
                official_id=official.id,
                kind=RoleKind(term.kind),
                title=term.title,
                organisation_id=org.id if org else None,
                start_on=term.start_on,
                end_on=term.end_on,
                source=source,
            )
            self.session.add(role)  # flushed with the others, in batches
            self._roles[key] = role
            if role.end_on is None:
                self._current_by_official[official.id].append(role)
            counts["roles_inserted"] += 1
        elif role.end_on != term.end_on and term.end_on is not None:
            self._record_role_change(source, official, role, term.end_on)
            role.end_on = term.end_on
            counts["roles_updated"] += 1
        else:
            counts["roles_unchanged"] += 1
        role.last_seen_in_feed_at = self.as_of
        self._seen_roles.add(role)

    def _same_role_elsewhere(
        self, source: str, official: Official, term: Term, org: Organisation | None
    ) -> Role | None:
        """The current role this term describes under another start date: given by another
        source (a committee page has no dates, the profile does) or entered by hand. It becomes
        one role, the feed's, with the earlier start date."""
        if term.end_on is not None:
            return None
        wanted = (str(term.kind), fold(term.title), org.id if org else None)
        for role in self._current_by_official.get(official.id or 0, []):
            if (str(role.kind), fold(role.title), role.organisation_id) != wanted:
                continue
            if role.source in SOURCE_NAMES and None not in (role.start_on, term.start_on):
                continue  # two dated terms from feeds are two terms (a re-election, say)
            starts = [d for d in (role.start_on, term.start_on) if d is not None]
            role.start_on = min(starts) if starts else None
            if role.source not in SOURCE_NAMES:
                role.source = source  # entered by hand, now confirmed by a feed
            return role
        return None

    def _apply_titles_in_french(
        self, source: str, titles: tuple[TitleInFrench, ...], counts: Counter[str]
    ) -> None:
        """Give each current ministerial role its French title, where the pair names it."""
        for pair in titles:
            # The export has no PersonId: the name, and the same title held now, say who.
            named = self._by_name.get(name_key(pair.person.given_name, pair.person.family_name))
            roles = [
                role
                for official in named or []
                for role in self._current_by_official.get(official.id or 0, [])
                if role.kind in MINISTERIAL_KINDS and fold(role.title) == fold(pair.title)
            ]
            if len({role.official_id for role in roles}) != 1:
                counts["titles_without_role"] += 1
                continue
            for role in roles:
                if role.title_fr != pair.title_fr:
                    role.title_fr = pair.title_fr
                    role.title_fr_built = False
                    counts["titles_translated"] += 1
                else:
                    counts["titles_unchanged"] += 1
        untranslated = sorted(
            {
                role.title
                for roles in self._current_by_official.values()
                for role in roles
                if role.kind in MINISTERIAL_KINDS and not role.title_fr
            }
        )
        if untranslated:
            self.report.warnings.append(
                said_plural(
                    "%(source)s: %(num)d ministerial title has no French form in the feed and "
                    "stays in English: %(titles)s",
                    "%(source)s: %(num)d ministerial titles have no French form in the feed and "
                    "stay in English: %(titles)s",
                    len(untranslated),
                    source=source,
                    titles="; ".join(untranslated),
                )
            )

    def _organisation(self, term: Term) -> Organisation | None:
        if term.organisation is None:
            return None
        key = (OrganisationKind.COMMITTEE.value, fold(term.organisation))
        org = self._organisations.get(key)
        if org is None:
            org = Organisation(
                kind=OrganisationKind.COMMITTEE,
                name=term.organisation,
                acronym=term.organisation_acronym,
            )
            self.session.add(org)
            self.session.flush()
            self._organisations[key] = org
        if org.name_fr is None:
            # The House's French name where known: the directory shows it in French.
            org.name_fr = committees.french_by_acronym(org.acronym)
        return org

    def _apply_contact(self, source: str, contact: Contact, counts: Counter[str]) -> None:
        official = self._by_id.get(contact.person_id)
        if official is None:
            self.report.warnings.append(
                said(
                    "%(source)s: PersonId %(id)s is not a known official; skipped",
                    source=source,
                    id=contact.person_id,
                )
            )
            return
        offices = [dataclasses.asdict(o) for o in contact.offices] or None
        values = {
            "email": contact.email,
            "phone": contact.phone,
            "photo_url": contact.photo_url,
            "offices": offices,
            "preferred_language": contact.preferred_language,
        }
        changed = self._set_fields(source, official, values)
        changed = self._set_address_form(source, official, contact.gender) or changed
        counts["officials_updated" if changed else "officials_unchanged"] += 1

    def _set_address_form(self, source: str, official: Official, gender: str | None) -> bool:
        """Madame or Monsieur from Represent's `gender`; a coordinator's choice (an edited
        field) stays, and a disagreement becomes a conflict to review."""
        form = REPRESENT_GENDERS.get(gender or "")
        if not self._set_fields(source, official, {"address_form": form}):
            return False
        official.address_form_source = AddressFormSource.REPRESENT
        return True

    def build_french_titles(self) -> None:
        """Build the French titles of the roles Hilltrack names (rules/titles.py) once every
        source applied: a form of address or a minister's French title may have come last."""
        build_french_titles(self.session)

    # -- ending --------------------------------------------------------------------------

    def _end_missing(self, snapshot: FeedSnapshot) -> None:
        """End the current roles of the kinds this source covers that it no longer lists."""
        self.session.flush()  # this source's new roles, in one batch
        counts = self.report.counts[snapshot.source]
        current = [
            r
            for r in self._roles.values()
            if r.end_on is None
            and r.source == snapshot.source
            and r.kind.value in snapshot.covers
            and (snapshot.scope is None or r.official.ourcommons_id in snapshot.scope)
        ]
        missing = [
            r
            for r in current
            if r not in self._seen_roles and r.official_id not in self._held_officials
        ]
        successors = self._successor_starts()
        vanished = [r for r in missing if _next_start(successors, r) is None]
        self._guard(snapshot.source, len(vanished), len(current))
        for role in missing:
            successor = _next_start(successors, role)
            end = successor - dt.timedelta(days=1) if successor else self.as_of.date()
            if role.start_on and end < role.start_on:
                end = role.start_on
            self._record_role_change(snapshot.source, role.official, role, end)
            role.end_on = end
            counts["roles_ended"] += 1

    def _successor_starts(self) -> dict[tuple[int, str], list[dt.date]]:
        """Start dates of the roles this run saw, by official and kind."""
        starts: dict[tuple[int, str], list[dt.date]] = defaultdict(list)
        for role in self._roles.values():
            if role in self._seen_roles and role.start_on:
                starts[(role.official_id, role.kind.value)].append(role.start_on)
        return starts

    def _guard(self, source: str, vanishing: int, current: int) -> None:
        if current and vanishing / current > MASS_END_LIMIT and not self.force:
            raise FeedError(
                source,
                said(
                    "this import would end %(ending)d of %(current)d current roles (%(share)s), "
                    "more than %(limit)s. The feed may be incomplete. Check it, and re-run with "
                    "--force if the change is real (after an election, say).",
                    ending=vanishing,
                    current=current,
                    share=f"{vanishing / current:.0%}",
                    limit=f"{MASS_END_LIMIT:.0%}",
                ),
            )

    # -- reporting -----------------------------------------------------------------------

    def _record_role_change(
        self, source: str, official: Official, role: Role, end: dt.date
    ) -> None:
        self.report.changes.append(
            {
                "source": source,
                "official_id": official.id,
                "official": official.full_name,
                "field": "role_end",
                "role": role.title,
                "old": _plain(role.end_on),
                "new": end.isoformat(),
            }
        )

    def _hold(self, source: str, term: Term, hold: _Hold) -> None:
        self._held_officials.update(c.id for c in hold.candidates)
        record = _term_json(term)
        if self._open_review_exists(ReviewKind(hold.kind), record=record):
            return
        self.session.add(
            ImportReview(
                import_run_id=self.run_id,
                kind=hold.kind,
                source=source,
                message=said(
                    "%(name)s (%(title)s): %(why)s",
                    name=_name(term.person),
                    title=term.title,
                    why=hold.message,
                ),
                record=record,
                candidate_ids=[c.id for c in hold.candidates],
            )
        )
        self.report.reviews += 1

    def _conflict(self, source: str, official: Official, field_name: str, new: Any) -> None:
        feed_value = json.dumps(_plain(new), ensure_ascii=False)
        if self._open_review_exists(
            ReviewKind.FIELD_CONFLICT,
            official_id=official.id,
            field_name=field_name,
            feed_value=feed_value,
        ):
            return
        self.session.add(
            ImportReview(
                import_run_id=self.run_id,
                kind=ReviewKind.FIELD_CONFLICT,
                source=source,
                message=said(
                    "%(name)s: %(field)s was edited by hand; the feed now says %(value)s.",
                    name=official.full_name,
                    field=field_name.replace("_", " "),
                    value=_readable(new),
                ),
                record={},
                official_id=official.id,
                field=field_name,
                feed_value=feed_value,
            )
        )
        self.report.reviews += 1

    def _open_review_exists(
        self,
        kind: ReviewKind,
        *,
        record: dict[str, Any] | None = None,
        official_id: int | None = None,
        field_name: str | None = None,
        feed_value: str | None = None,
    ) -> bool:
        """True if the same question is open, or was answered "keep mine" before."""
        for review in self.session.scalars(select(ImportReview).where(ImportReview.kind == kind)):
            if (
                record is not None
                and review.status is ReviewStatus.OPEN
                and review.record == record
            ):
                return True
            if (
                official_id is not None
                and review.official_id == official_id
                and review.field == field_name
                and review.feed_value == feed_value
            ):
                return True
        return False


def _next_start(successors: dict[tuple[int, str], list[dt.date]], role: Role) -> dt.date | None:
    """The earliest start of a newer role of the same kind for the same official."""
    if role.start_on is None:
        return None
    later = [
        s for s in successors.get((role.official_id, role.kind.value), []) if s > role.start_on
    ]
    return min(later) if later else None


def _readable(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(" ".join(str(v) for v in item.values() if v) for item in value)
    return repr(_plain(value))


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and fold(a) == fold(b)


def _name(person: Person) -> str:
    return f"{person.given_name} {person.family_name}"


def _plain(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return value.value
    return value.isoformat() if isinstance(value, dt.date) else value


def _term_json(term: Term) -> dict[str, Any]:
    return {
        k: _plain(v) if not isinstance(v, dict) else {kk: _plain(vv) for kk, vv in v.items()}
        for k, v in dataclasses.asdict(term).items()
    }


def term_from_json(data: dict[str, Any]) -> Term:
    """Rebuild a held Term from its JSON record (for resolving a review)."""
    values = dict(data)
    values["person"] = Person(**values["person"])
    for name in ("start_on", "end_on"):
        values[name] = dt.date.fromisoformat(values[name]) if values.get(name) else None
    return Term(**values)
