"""Open North Represent: MPs' emails, phones, offices and photos, joined on the PersonId in `url`.

Pure parsing of one page of JSON; `next_page` tells the fetcher where the following page is.
"""

from __future__ import annotations

import json
import re
from typing import Any

from importers.errors import FeedError
from importers.records import Contact, FeedSnapshot, Office
from importers.said import said, said_plural

BASE_URL = "https://represent.opennorth.ca"
FIRST_PAGE_URL = f"{BASE_URL}/representatives/house-of-commons/?limit=1000"
PERSON_ID_IN_URL = re.compile(r"\((\d+)\)")


def _load(source: str, data: bytes) -> dict[str, Any]:
    try:
        page = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise FeedError(
            source, said("the page is not JSON (%(error)s); it may be truncated", error=str(error))
        ) from None
    if not isinstance(page, dict) or not isinstance(page.get("objects"), list):
        raise FeedError(source, said("the page has no 'objects' list"))
    return page


def next_page(data: bytes, source: str = "represent") -> str | None:
    """The URL of the next page, or None on the last page."""
    meta = _load(source, data).get("meta")
    following = meta.get("next") if isinstance(meta, dict) else None
    if following is None:
        return None
    if not isinstance(following, str) or not following.startswith("/"):
        raise FeedError(source, said("unexpected 'next' link %(link)s", link=repr(following)))
    return f"{BASE_URL}{following}"


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _office(raw: Any) -> Office | None:
    if not isinstance(raw, dict):
        return None
    office = Office(
        type=_text(raw.get("type")) or "office",
        postal=_text(raw.get("postal")),
        tel=_text(raw.get("tel")),
        fax=_text(raw.get("fax")),
    )
    return office if (office.postal or office.tel or office.fax) else None


def _languages(extra: Any) -> tuple[str, ...]:
    """Represent's preferred_languages, which real records give as one string with two spaces
    ("English  French") as well as a list of names."""
    raw = extra.get("preferred_languages") if isinstance(extra, dict) else None
    items = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
    return tuple(
        word for item in items if isinstance(item, str) for word in item.replace(",", " ").split()
    )


def parse_representative(raw: Any) -> Contact | None:
    """One representative object: a Contact when its url carries an ourcommons PersonId."""
    return _contact(raw)


def _contact(raw: Any) -> Contact | None:
    if not isinstance(raw, dict):
        return None
    match = PERSON_ID_IN_URL.search(_text(raw.get("url")))
    if match is None:
        return None
    offices = tuple(o for o in map(_office, raw.get("offices") or []) if o is not None)
    hill = next((o.tel for o in offices if o.type == "legislature" and o.tel), None)
    return Contact(
        person_id=int(match.group(1)),
        email=_text(raw.get("email")) or None,
        photo_url=_text(raw.get("photo_url")) or None,
        phone=hill or next((o.tel for o in offices if o.tel), None),
        offices=offices,
        source_url=_text(raw.get("url")) or None,
        languages=_languages(raw.get("extra")),
        gender=_gender(raw.get("gender")),
    )


def _gender(value: Any) -> str | None:
    """ "F" or "M" as Represent gives it; anything else (often "") is not known."""
    text = _text(value).upper()
    return text if text in {"F", "M"} else None


def parse_page(data: bytes, source: str = "represent") -> FeedSnapshot:
    """One page of representatives: a Contact for each record whose url carries a PersonId."""
    objects = _load(source, data)["objects"]
    contacts = tuple(c for c in map(_contact, objects) if c is not None)
    skipped = len(objects) - len(contacts)
    warnings = (
        said_plural(
            "%(num)d record without an ourcommons PersonId in 'url' skipped",
            "%(num)d records without an ourcommons PersonId in 'url' skipped",
            skipped,
        ),
    ) * bool(skipped)
    return FeedSnapshot(source=source, contacts=contacts, warnings=warnings)
