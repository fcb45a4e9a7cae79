"""Follow-ups as an iCalendar feed, for a person's own calendar app."""

from __future__ import annotations

from icalendar import Calendar, Event

from tracker.clock import utcnow
from tracker.models import FollowUp


def follow_ups_ics(follow_ups: list[FollowUp], page_url: str) -> bytes:
    """One all-day event per open follow-up, on its due date."""
    calendar = Calendar()
    calendar.add("prodid", "-//Hilltrack//Follow-ups//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Hilltrack follow-ups")
    stamp = utcnow()
    for follow_up in follow_ups:
        event = Event()
        event.add("uid", f"follow-up-{follow_up.id}@hilltrack")
        event.add("dtstamp", stamp)
        event.add("dtstart", follow_up.due_on)
        campaign = follow_up.recipient.campaign.title if follow_up.recipient else None
        event.add(
            "summary",
            f"Follow up: {follow_up.official.full_name}" + (f" ({campaign})" if campaign else ""),
        )
        event.add("description", f"{follow_up.note or ''}\n{page_url}".strip())
        event.add("url", page_url)
        calendar.add_component(event)
    ics: bytes = calendar.to_ical()
    return ics
