"""A list of officials' contact details, pasted from a spreadsheet or a mail, or uploaded.

Each line names an official (a PersonId, a name, or both) and gives an e-mail address, and
optionally a phone number and a postal address, in any order: cells are told apart by what they
hold. A first line of column names (name, person_id, email, phone, address) is read as such.
Pure: checks every line; matching and writing are the app's business, after a preview.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from email.utils import parseaddr

from email_validator import EmailNotValidError, validate_email

from importers.errors import FeedError
from importers.said import Said, said

SOURCE = "contacts list"
MAX_CHARACTERS = 200_000
MAX_LINES = 2000
MAX_CELL = 300
PERSON_ID = re.compile(r"^\d{1,7}$")
PHONE = re.compile(r"^\+?[\d\s().\-/]{7,30}(\s*(x|ext\.?|poste)\s*\d{1,6})?$", re.IGNORECASE)
# What a spreadsheet runs as a formula when a cell starts with it (and full-width look-alikes).
FORMULA_STARTS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
HEADERS = {
    "name": "name",
    "nom": "name",
    "official": "name",
    "full_name": "name",
    "given_name": "given_name",
    "first_name": "given_name",
    "prenom": "given_name",
    "family_name": "family_name",
    "last_name": "family_name",
    "surname": "family_name",
    "nom_de_famille": "family_name",
    "person_id": "person_id",
    "personid": "person_id",
    "email": "email",
    "e_mail": "email",
    "courriel": "email",
    "email_address": "email",
    "phone": "phone",
    "telephone": "phone",
    "tel": "phone",
    "address": "postal",
    "postal_address": "postal",
    "postal": "postal",
    "adresse": "postal",
}


@dataclass
class ContactLine:
    """One line: who it names, the details it gives, and what is wrong with it."""

    line: int
    name: str = ""
    person_id: int | None = None
    email: str | None = None
    phone: str | None = None
    postal: str | None = None
    errors: list[Said] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def label(self) -> str:
        """The line's person as written: their name, else their PersonId."""
        return self.name or (f"PersonId {self.person_id}" if self.person_id else "")


def read_contacts(text: str) -> list[ContactLine]:
    """Every non-empty line of the list, checked; FeedError when the list itself is unusable."""
    if len(text) > MAX_CHARACTERS:
        raise FeedError(
            SOURCE,
            said("the list is longer than %(max)s characters; split it", max=f"{MAX_CHARACTERS:,}"),
        )
    if "\x00" in text:
        raise FeedError(SOURCE, said("the list holds NUL characters; paste it as plain text"))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = next((line for line in lines if line.strip()), "")
    columns = _header(_cells(first))
    # A list with column names is a CSV file (a quoted cell may span lines); a pasted list is
    # read line by line, each with its own separator (tab from a spreadsheet, else ; or ,).
    rows = _file_rows(lines, first) if columns else [_cells(line) for line in lines]
    numbered = [
        (n, cells) for n, cells in enumerate(rows, start=1) if any(c.strip() for c in cells)
    ]
    if not numbered:
        raise FeedError(SOURCE, said("the list is empty"))
    if len(numbered) > MAX_LINES:
        raise FeedError(
            SOURCE, said("the list has more than %(max)s lines; split it", max=f"{MAX_LINES:,}")
        )
    if columns:
        numbered = numbered[1:]
    return [
        _by_columns(n, cells, columns) if columns else _by_content(n, cells)
        for n, cells in numbered
    ]


def _delimiter(line: str) -> str:
    return "\t" if "\t" in line else ";" if line.count(";") > line.count(",") else ","


def _cells(line: str) -> list[str]:
    return next(csv.reader([line], delimiter=_delimiter(line)), [])


def _file_rows(lines: list[str], first: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO("\n".join(lines)), delimiter=_delimiter(first)))


def _header(cells: list[str]) -> list[str] | None:
    keys = [re.sub(r"[^a-z0-9]+", "_", _fold(c)).strip("_") for c in cells]
    named = [HEADERS.get(k, "") for k in keys]
    return named if "email" in named or "phone" in named else None


def _fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def _by_columns(number: int, cells: list[str], columns: list[str]) -> ContactLine:
    line = ContactLine(number)
    given = family = ""
    for column, cell in zip(columns, cells, strict=False):
        if not _safe(line, cell.strip()):
            continue
        value = cell.strip()
        if column == "given_name":
            given = value
        elif column == "family_name":
            family = value
        elif column:
            _put(line, column, value)
    if given or family:
        line.name = f"{given} {family}".strip() if not family else f"{family}, {given}".strip(", ")
    _finish(line)
    return line


def _by_content(number: int, cells: list[str]) -> ContactLine:
    line = ContactLine(number)
    rest: list[str] = []
    for cell in (c.strip() for c in cells):
        if not cell or not _safe(line, cell):
            continue
        if "<" in cell and cell.endswith(">") and "@" in cell:
            name, address = parseaddr(cell)  # "Robert Oliphant <robert.oliphant@parl.gc.ca>"
            _put(line, "email", address or cell)
            if name:
                rest.insert(0, name)
        elif "@" in cell:
            _put(line, "email", cell)
        elif PERSON_ID.match(cell) and line.person_id is None and not rest:
            _put(line, "person_id", cell)
        elif PHONE.match(cell) and sum(c.isdigit() for c in cell) >= 10:
            _put(line, "phone", cell)
        else:
            rest.append(cell)
    if rest:
        line.name = rest[0]
        extra = ", ".join(rest[1:])
        if extra and any(c.isdigit() for c in extra):  # a street number, a postal code
            _put(line, "postal", extra)
        elif extra:
            line.errors.append(
                said("“%(cell)s” is not an e-mail address, a phone or an address", cell=extra)
            )
    _finish(line)
    return line


def _safe(line: ContactLine, cell: str) -> bool:
    """Whether a cell may be kept: no hidden codes, no formula, not absurdly long."""
    if any(unicodedata.category(c) in {"Cc", "Cf"} and c != "\t" for c in cell):
        line.errors.append(said("a cell holds invisible control characters"))
        return False
    if len(cell) > MAX_CELL:
        line.errors.append(said("a cell is longer than %(max)d characters", max=MAX_CELL))
        return False
    is_phone = PHONE.match(cell) and cell.startswith("+")
    if cell.startswith(FORMULA_STARTS) and not is_phone:
        line.errors.append(said("“%(cell)s” starts like a spreadsheet formula", cell=cell[:40]))
        return False
    return True


def _put(line: ContactLine, column: str, value: str) -> None:
    if not value:
        return
    if column == "email":
        _put_email(line, value)
    elif column == "person_id":
        if PERSON_ID.match(value.removesuffix(".0")):
            line.person_id = int(value.removesuffix(".0"))
        else:
            line.errors.append(said("PersonId “%(value)s” is not a number", value=value))
    elif column == "phone":
        if PHONE.match(value):
            line.phone = value
        else:
            line.errors.append(said("“%(phone)s” is not a phone number", phone=value))
    elif column == "postal":
        line.postal = value
    elif column == "name":
        line.name = value


def _put_email(line: ContactLine, value: str) -> None:
    if line.email is not None:
        line.errors.append(said("the line gives two e-mail addresses"))
        return
    try:
        line.email = validate_email(
            value, check_deliverability=False, allow_smtputf8=False
        ).normalized
    except EmailNotValidError:
        line.errors.append(said("“%(email)s” is not an e-mail address", email=value))


def _finish(line: ContactLine) -> None:
    if not line.name and line.person_id is None:
        line.errors.append(said("the line names nobody (give a name or a PersonId)"))
    if line.ok and not (line.email or line.phone or line.postal):
        line.errors.append(said("the line gives no e-mail address, phone or address"))
