"""The officials spreadsheet: each row matched to a person (rules/person_match.py), previewed
with its questions, then added: a new official, or a role for one already known."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from importers.names import fold
from importers.officials_csv import CsvRow
from importers.said import Said, said
from tracker.models import Official, Role, RoleKind, User
from tracker.operations.officials import NewRole, add_role, create_official
from tracker.queries.people import person_index
from tracker.rules.person_match import How, Match, PersonIndex

NEW = "new"  # the answer "No: add a new official"


@dataclass
class SheetLine:
    """One spreadsheet row with the official it names (sure, or a question)."""

    row: CsvRow
    match: Match
    same_as: int | None = None  # a new person an earlier row of the sheet adds
    nothing_new: Said | None = None  # why a row naming a known official adds nothing

    @property
    def ready(self) -> bool:
        return self.row.ok and self.nothing_new is None

    @property
    def name(self) -> str:
        values = self.row.values
        return f"{values.get('given_name', '')} {values.get('family_name', '')}".strip()

    @property
    def asks(self) -> bool:
        return self.row.ok and self.match.how is How.ASK


@dataclass
class SheetResult:
    """What adding the spreadsheet did: officials added, officials given roles, rows skipped
    and why."""

    added: int = 0
    given_roles: int = 0
    skipped: list[Said] = field(default_factory=list)


def plan_sheet(session: Session, rows: list[CsvRow]) -> list[SheetLine]:
    """Each row with the official it names; rows with problems are matched to no one, and a
    row naming a new person an earlier row adds says which row."""
    index = person_index(session)
    lines = [SheetLine(row, _match(index, row) if row.ok else Match(How.NOBODY)) for row in rows]
    first_new: dict[str, int] = {}
    for line in lines:
        if line.row.ok and line.match.official is not None:
            line.nothing_new = _adds_nothing(line.match.official, _new_role(line.row.values))
        if line.row.ok and line.match.how is How.NOBODY:
            key = str(line.row.values.get("person_id") or fold(line.name))
            line.same_as = first_new.setdefault(key, line.row.line)
            if line.same_as == line.row.line:
                line.same_as = None
    return lines


def _match(index: PersonIndex, row: CsvRow) -> Match:
    values = row.values
    return index.match(values["given_name"], values["family_name"], values.get("person_id"))


def _new_role(values: dict[str, Any]) -> NewRole:
    return NewRole(
        kind=RoleKind(values["role_kind"]),
        title=values.get("title", ""),
        organisation=values.get("organisation"),
        start_on=values.get("start_on"),
        end_on=values.get("end_on"),
        committee_acronym=values.get("committee"),
    )


def held_already(official: Official, role: NewRole) -> Role | None:
    """The same role, already recorded: a current one for a current row, the same dates for an
    ended row. An ended role never blocks entering a current one."""
    for held in official.roles:
        same_title = fold(held.title) == fold(role.title)
        same_committee = (
            role.committee_acronym is not None
            and held.kind == role.kind
            and held.organisation is not None
            and held.organisation.acronym == role.committee_acronym
        )
        if not (same_title or same_committee):
            continue
        if role.end_on is None and held.end_on is None:
            return held
        if role.end_on is not None and (held.start_on, held.end_on) == (role.start_on, role.end_on):
            return held
    return None


def _skip(line: SheetLine, why: Said) -> Said:
    return said("Row %(line)d, %(name)s: %(why)s", line=line.row.line, name=line.name, why=why)


def _chosen(line: SheetLine, answers: dict[int, str]) -> Official | str | None:
    """The official this row is about, NEW for someone new, or None when unanswered."""
    if line.match.official is not None:
        return line.match.official
    if line.match.how is How.NOBODY:
        return NEW
    answer = answers.get(line.row.line)
    if answer == NEW:
        return NEW
    return next((o for o in line.match.candidates if str(o.id) == answer), None)


def _problems(row: CsvRow) -> Said:
    return Said(
        "", parts=[e if isinstance(e, Said) else Said(e) for e in row.errors], separator="; "
    )


def _rematched(index: PersonIndex, line: SheetLine) -> SheetLine:
    """A row previewed as someone new that names a person an earlier row of this sheet added:
    the same person, by the same sure match (a near name stays someone new, as previewed)."""
    if line.match.how is not How.NOBODY:
        return line
    again = _match(index, line.row)
    return SheetLine(line.row, again) if again.is_sure else line


def add_sheet(
    session: Session, lines: list[SheetLine], answers: dict[int, str], *, actor: User
) -> SheetResult:
    """Add every ready row: a new official, or a role for the official it names (as answered
    where the preview asked). Rows with problems, unanswered or adding nothing are skipped,
    each with the reason in words."""
    result = SheetResult()
    given: set[int] = set()  # existing officials given roles, and those this sheet added
    index = person_index(session)  # grows with the officials this sheet adds
    for line in lines:
        if not line.row.ok:
            result.skipped.append(_skip(line, _problems(line.row)))
            continue
        line = _rematched(index, line)
        chosen = _chosen(line, answers)
        values = dict(line.row.values)
        role = _new_role(values)
        if chosen is None:
            result.skipped.append(_skip(line, said("you did not say who this is")))
        elif chosen == NEW:
            official = create_official(session, values, role, actor=actor)
            official.ourcommons_id = values.get("person_id")
            index.add(official)
            given.add(official.id)  # its later rows add roles to a new official, not an existing
            result.added += 1
        elif isinstance(chosen, Official):
            why = _adds_nothing(chosen, role)
            if why is not None:
                result.skipped.append(_skip(line, why))
                continue
            add_role(session, chosen, role, actor=actor)
            session.refresh(chosen, ["roles"])
            if chosen.id not in given:
                given.add(chosen.id)
                result.given_roles += 1
    return result


def _adds_nothing(official: Official, role: NewRole) -> Said | None:
    if not role.title.strip():
        return said(
            "%(official)s is already in Hilltrack; the row gives no role",
            official=official.full_name,
        )
    held = held_already(official, role)
    if held is None:
        return None
    if held.start_on is not None:
        return said(
            "%(official)s already holds “%(title)s” (since %(start)s)",
            official=official.full_name,
            title=held.title,
            start=held.start_on.isoformat(),
        )
    return said(
        "%(official)s already holds “%(title)s”", official=official.full_name, title=held.title
    )
