"""Officials the feeds do not cover (diplomats, senators, public servants), from a spreadsheet.

Pure: reads the CSV with pandas and checks every row; writing is the caller's business, after a
person has seen the preview.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from importers import committees
from importers.errors import FeedError
from importers.said import said
from importers.spreadsheet import read_frame

SOURCE = "officials CSV"
REQUIRED = ("given_name", "family_name")
COLUMNS = (
    "person_id",
    "given_name",
    "family_name",
    "honorific",
    "courtesy_title",
    "email",
    "phone",
    "role_kind",
    "title",
    "organisation",
    "committee",
    "start_on",
    "end_on",
    "province",
    "party",
    "notes",
)
# Header spellings people use, folded to ours (GEDS exports use "Surname"/"GivenName").
ALIASES = {
    "first_name": "given_name",
    "givenname": "given_name",
    "given": "given_name",
    "last_name": "family_name",
    "surname": "family_name",
    "lastname": "family_name",
    "role": "role_kind",
    "kind": "role_kind",
    "title_en": "title",
    "job_title": "title",
    "department_name_en": "organisation",
    "organization": "organisation",
    "department": "organisation",
    "since": "start_on",
    "start_date": "start_on",
    "until": "end_on",
    "end_date": "end_on",
    "committee_acronym": "committee",
    "prefix_en": "courtesy_title",
    "personid": "person_id",
    "ourcommons_id": "person_id",
    "ourcommons_personid": "person_id",
}
ROLE_KINDS = (
    "diplomat",
    "senator",
    "public_servant",
    "other",
    "minister",
    "mp",
    "parliamentary_secretary",
    "committee_chair",
    "committee_vice_chair",
    "committee_member",
)
COMMITTEE_KINDS = ("committee_chair", "committee_vice_chair", "committee_member")
COURTESY_TITLES = {
    "mr": "Mr.",
    "mr.": "Mr.",
    "ms": "Ms.",
    "ms.": "Ms.",
    "mx": "Mx",
    "mrs": "Mrs.",
    "mrs.": "Mrs.",
    "dr": "Dr.",
    "dr.": "Dr.",
}
# The example file the upload page offers: every column, one row of each common kind.
EXAMPLE = (
    ",".join(COLUMNS) + "\n"
    ",Robert,Rae,,Mr.,,,diplomat,Permanent Representative of Canada to the United Nations,"
    "Permanent Mission of Canada to the United Nations,,2020-07-06,,,,\n"
    ",Louise,Corbin,,Ms.,louise.corbin@example.org,613-555-0100,public_servant,"
    "Director General,Global Affairs Canada,,,,Ontario,,\n"
    "58775,Robert,Oliphant,Hon.,,,,committee_chair,,,FAAE,2025-06-13,,,,\n"
    ",Marilyn,Gladu,,,,,committee_member,,,FEWO,2021-12-08,2025-03-23,,,"
    "an ended role; a current one can follow\n"
)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_ROWS = 5000


@dataclass
class CsvRow:
    """One spreadsheet row: its line number, cleaned values, and what is wrong with it."""

    line: int
    values: dict[str, Any]
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _header(name: object) -> str:
    key = re.sub(r"[^a-z0-9]+", "_", str(name).strip().casefold()).strip("_")
    return ALIASES.get(key, key)


def read_rows(data: bytes, encoding: str | None = None) -> list[CsvRow]:
    """Every row of the file, checked; raises FeedError when the file itself is unusable."""
    frame = read_frame(data, SOURCE, MAX_ROWS, encoding)
    frame.columns = [_header(c) for c in frame.columns]
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise FeedError(
            SOURCE,
            said(
                "the header has no %(missing)s column; expected columns: %(columns)s",
                missing=" or ".join(missing),
                columns=", ".join(COLUMNS),
            ),
        )
    known = [c for c in COLUMNS if c in frame.columns]
    return [
        _check(line, record) for line, record in enumerate(frame[known].to_dict("records"), start=2)
    ]


def _check(line: int, record: dict[str, Any]) -> CsvRow:
    values = {k: str(v).strip() for k, v in record.items()}
    row = CsvRow(line, {k: v for k, v in values.items() if v})
    for name in REQUIRED:
        if not values.get(name):
            row.errors.append(said("%(field)s is missing", field=name.replace("_", " ")))
    kind = values.get("role_kind", "").casefold().replace(" ", "_") or "other"
    if kind not in ROLE_KINDS:
        row.errors.append(
            said(
                "role kind %(kind)s is not one of %(kinds)s",
                kind=repr(values["role_kind"]),
                kinds=", ".join(ROLE_KINDS),
            )
        )
    row.values["role_kind"] = kind
    if values.get("person_id"):
        _check_person_id(row, values["person_id"])
    if values.get("email") and not EMAIL.match(values["email"]):
        row.errors.append(said("%(email)s is not an email address", email=repr(values["email"])))
    courtesy = values.get("courtesy_title", "")
    if courtesy:
        if courtesy.casefold() not in COURTESY_TITLES:
            row.errors.append(
                said(
                    "courtesy title %(title)s is not Mr., Ms., Mrs., Mx or Dr.",
                    title=repr(courtesy),
                )
            )
        row.values["courtesy_title"] = COURTESY_TITLES.get(courtesy.casefold(), courtesy)
    for name, label in (("start_on", said("start date")), ("end_on", said("end date"))):
        if values.get(name):
            try:
                row.values[name] = dt.date.fromisoformat(values[name])
            except ValueError:
                row.errors.append(
                    said(
                        "%(field)s %(value)s is not a date like 2023-09-07",
                        field=label,
                        value=repr(values[name]),
                    )
                )
    start, end = row.values.get("start_on"), row.values.get("end_on")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        row.errors.append(said("the end date is before the start date"))
    _check_role(row, kind, values)
    return row


def _check_person_id(row: CsvRow, value: str) -> None:
    """The House of Commons PersonId: a whole number (a spreadsheet may write 58775.0)."""
    digits = value.removesuffix(".0")
    if digits.isdigit() and len(digits) <= 9:
        row.values["person_id"] = int(digits)
    else:
        row.errors.append(said("PersonId %(value)s is not a number", value=repr(value)))


def _check_role(row: CsvRow, kind: str, values: dict[str, str]) -> None:
    """A committee role names its committee by acronym; a parliamentary secretary's title says
    whose."""
    acronym = values.get("committee", "").upper()
    if kind in COMMITTEE_KINDS:
        full_name = committees.by_acronym(acronym) if acronym else None
        if full_name is None:
            row.errors.append(
                said(
                    "committee %(acronym)s is not a House committee's acronym, e.g. FAAE",
                    acronym=acronym or "(none)",
                )
            )
            return
        row.values["committee"] = acronym
        if not values.get("title"):
            label = {"committee_chair": "Chair", "committee_vice_chair": "Vice-Chair"}
            row.values["title"] = f"{label.get(kind, 'Member')} of the {full_name}"
    elif kind == "parliamentary_secretary" and not values.get("title"):
        row.errors.append(said("a parliamentary secretary's title is missing (to which minister)"))
