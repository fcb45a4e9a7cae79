"""A hardened XML parser and the small helpers the ourcommons parsers share."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from importers.errors import FeedError
from importers.said import said

XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"


def _parser() -> etree.XMLParser:
    # Entities are not expanded and nothing is fetched: a feed cannot reach files or the network.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=True,
    )


def parse_document(source: str, data: bytes, root_tag: str) -> etree._Element:
    """Parse ``data`` and check its root is ``root_tag``, or raise a FeedError saying why."""
    if not data.strip():
        raise FeedError(source, said("the feed is empty"))
    if data.lstrip()[:1] != b"<":
        raise FeedError(source, said("the feed is not XML (it does not start with '<')"))
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        message = said(
            "the feed is not well-formed XML (%(error)s); it may be truncated", error=str(error)
        )
        raise FeedError(source, message) from None
    if root.tag != root_tag:
        raise FeedError(
            source,
            said(
                "expected <%(expected)s> but the feed starts with <%(found)s>",
                expected=root_tag,
                found=root.tag,
            ),
        )
    return root


def text(element: etree._Element, tag: str) -> str | None:
    """The stripped text of child ``tag``, or None when it is missing, empty or nil."""
    child = element.find(tag)
    if child is None or child.get(XSI_NIL) == "true":
        return None
    value = (child.text or "").strip()
    return value or None


def required(source: str, element: etree._Element, tag: str) -> str:
    """The text of child ``tag``, or a FeedError naming the record that lacks it."""
    value = text(element, tag)
    if value is None:
        raise FeedError(
            source, said("a <%(record)s> record has no <%(tag)s>", record=element.tag, tag=tag)
        )
    return value


def date_of(source: str, value: str | None) -> dt.date | None:
    """The date part of an ourcommons timestamp such as 2025-05-13T10:45:00."""
    if value is None:
        return None
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        raise FeedError(source, said("%(value)s is not a date", value=repr(value))) from None


def person_id_of(source: str, value: str | None) -> int | None:
    """A PersonId as an int; a non-numeric one is a FeedError."""
    if value is None:
        return None
    if not value.isdigit():
        raise FeedError(source, said("PersonId %(value)s is not a number", value=repr(value)))
    return int(value)
