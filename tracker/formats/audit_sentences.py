"""An audit event as a sentence a coordinator reads at a glance, naming people and records
("Mélanie Joly: reply received (substantive)"), with links where a record still exists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from tracker.models import AuditEvent


@dataclass(frozen=True)
class Part:
    """A piece of a sentence; ``link`` is (endpoint, URL values) for a record that exists."""

    text: str
    link: tuple[str, dict[str, int]] | None = None


class Names(Protocol):
    officials: dict[int, str]
    campaigns: dict[int, str]
    users: dict[int, str]
    recipients: dict[int, tuple[int, int]]
    interactions: dict[int, tuple[int, int | None]]
    follow_ups: dict[int, int]


Sentence = list[Part]
LISTED = 8  # names listed in one sentence before "and N more"


def _label(value: Any) -> str:
    return str(value).replace("_", " ")


class _Describer:
    """Builds the sentence of one event from the names its page loaded."""

    def __init__(self, event: AuditEvent, names: Names) -> None:
        self.event, self.names = event, names
        self.before: dict[str, Any] = event.before or {}
        self.after: dict[str, Any] = event.after or {}

    def official(self, official_id: int | None) -> Part:
        name = self.names.officials.get(official_id or 0)
        if name is None:
            return Part("an official no longer in the directory")
        return Part(name, ("officials.detail", {"official_id": official_id or 0}))

    def campaign(self, campaign_id: int | None) -> Part:
        title = self.names.campaigns.get(campaign_id or 0)
        if title is None:
            return Part("a campaign since removed")
        return Part(f"“{title}”", ("campaigns.detail", {"campaign_id": campaign_id or 0}))

    def user(self, user_id: int | None) -> Part:
        name = self.names.users.get(user_id or 0)
        return Part(name) if name else Part("a former user")

    def own(self, key: str) -> int | None:
        """The id of the event's own record, or one its values name."""
        value = self.after.get(key, self.before.get(key))
        return value if isinstance(value, int) else None

    def changed(self) -> Part:
        fields = sorted(set(self.after) | set(self.before))
        return Part(f": changed {', '.join(_label(f) for f in fields)}" if fields else "")

    def official_list(self, ids: list[int]) -> Sentence:
        parts: Sentence = []
        for n, official_id in enumerate(ids[:LISTED]):
            parts += [Part(", " if n else ": "), self.official(official_id)]
        if len(ids) > LISTED:
            parts.append(Part(f" and {len(ids) - LISTED} more"))
        return parts

    # -- sentences, by the event's action ------------------------------------------------------

    def interaction_create(self) -> Sentence:
        what = _label(self.after.get("kind", "entry"))
        if self.after.get("reply_class"):
            what += f" ({_label(self.after['reply_class'])})"
        official_id, campaign_id = self.names.interactions.get(
            self.event.object_id or 0, (self.own("official_id") or 0, self.own("campaign_id"))
        )
        sentence = [self.official(official_id), Part(f": {what}")]
        if campaign_id:
            sentence += [Part(" · "), self.campaign(campaign_id)]
        return sentence

    def interaction_update(self) -> Sentence:
        official_id, _ = self.names.interactions.get(self.event.object_id or 0, (0, None))
        return [Part("Corrected an entry for "), self.official(official_id), self.changed()]

    def interaction_bulk_sent(self) -> Sentence:
        ids = [i for i in self.after.get("official_ids", []) if isinstance(i, int)]
        how = f"{_label(self.after.get('channel', ''))}, {self.after.get('sent_on', '')}"
        return [
            Part(f"Marked {len(ids)} recipient{'s' if len(ids) != 1 else ''} of "),
            self.campaign(self.own("campaign_id")),
            Part(f" as sent ({how})"),
            *self.official_list(ids),
        ]

    def recipient(self, verb: str, joiner: str) -> Sentence:
        official_id, campaign_id = self.names.recipients.get(
            self.event.object_id or 0, (self.own("official_id") or 0, self.own("campaign_id") or 0)
        )
        return [
            Part(verb),
            self.official(official_id),
            Part(joiner),
            self.campaign(campaign_id),
        ]

    def follow_up(self, verb: str) -> Sentence:
        official_id = self.names.follow_ups.get(self.event.object_id or 0, self.own("official_id"))
        sentence = [Part(verb), self.official(official_id)]
        if self.event.action == "follow_up.create" and self.after.get("assignee_id"):
            sentence += [Part(", assigned to "), self.user(self.own("assignee_id"))]
        if self.after.get("due_on"):
            sentence.append(Part(f", due {self.after['due_on']}"))
        return sentence

    def signatories(self) -> Sentence:
        names = self.after.get("names") or []
        listed = ", ".join(str(n) for n in names[:LISTED])
        more = f" and {len(names) - LISTED} more" if len(names) > LISTED else ""
        return [
            Part(f"Added {len(names)} signator{'y' if len(names) == 1 else 'ies'} to "),
            self.campaign(self.own("campaign_id") or self.event.object_id),
            Part(f": {listed}{more}"),
        ]

    def user_event(self, verb: str) -> Sentence:
        return [Part(verb), self.user(self.event.object_id), self.changed()]

    def export(self) -> Sentence:
        sentence = [Part(f"Exported {_label(self.after.get('kind', 'data'))}")]
        if self.after.get("campaign_id"):
            sentence += [Part(" of "), self.campaign(self.own("campaign_id"))]
        return sentence


ACTIONS: dict[str, Callable[[_Describer], Sentence]] = {
    "interaction.create": _Describer.interaction_create,
    "interaction.update": _Describer.interaction_update,
    "interaction.bulk_sent": _Describer.interaction_bulk_sent,
    "campaign.create": lambda d: [Part("Created campaign "), d.campaign(d.event.object_id)],
    "campaign.update": lambda d: [
        Part("Edited campaign "),
        d.campaign(d.event.object_id),
        d.changed(),
    ],
    "recipient.create": lambda d: d.recipient("Added ", " to "),
    "recipient.update": lambda d: d.recipient("Changed how ", " is addressed in "),
    "recipient.delete": lambda d: d.recipient("Removed ", " from "),
    "signatory.create": lambda d: [
        Part(f"Added signatory {d.after.get('name', '')} to "),
        d.campaign(d.own("campaign_id")),
    ],
    "signatory.create_many": _Describer.signatories,
    "signatory.update_list": lambda d: [
        Part("Saved the signatories of "),
        d.campaign(d.event.object_id),
    ],
    "follow_up.create": lambda d: d.follow_up("Planned a follow-up with "),
    "follow_up.complete": lambda d: d.follow_up("Completed a follow-up with "),
    "follow_up.snooze": lambda d: d.follow_up("Snoozed a follow-up with "),
    "official.create": lambda d: [Part("Added official "), d.official(d.event.object_id)],
    "official.update": lambda d: [
        Part("Edited "),
        d.official(d.event.object_id),
        d.changed(),
    ],
    "role.create": lambda d: [
        Part(f"Gave a role ({d.after.get('title', '')}) to "),
        d.official(d.own("official_id")),
    ],
    "user.create": lambda d: d.user_event("Added user "),
    "user.update": lambda d: d.user_event("Changed the account of "),
    "user.activate": lambda d: d.user_event("Reactivated "),
    "user.deactivate": lambda d: d.user_event("Deactivated "),
    "user.password_reset": lambda d: d.user_event("Issued a one-time password to "),
    "auth.login": lambda d: [Part("Signed in")],
    "auth.logout": lambda d: [Part("Signed out")],
    "auth.login_failed": lambda d: [
        Part(f"Failed sign-in{' as ' + str(d.after['email']) if d.after.get('email') else ''}")
    ],
    "auth.throttled": lambda d: [Part("Sign-in refused: too many attempts")],
    "auth.password_change": lambda d: [Part("Changed their password")],
    "auth.password_change_failed": lambda d: [Part("Gave a wrong current password")],
    "calendar.rotate": lambda d: [Part("Made a new calendar address")],
    "calendar.revoke": lambda d: [Part("Turned their calendar address off")],
    "export": _Describer.export,
    "import.start": lambda d: [
        Part("Started a preview of an import" if d.after.get("dry_run") else "Started an import")
    ],
    "import_review.resolve": lambda d: [Part("Answered a question an import held for review")],
}


def describe(event: AuditEvent, names: Names) -> Sentence:
    """The event as a sentence; an action without its own wording names the action and record."""
    describer = _Describer(event, names)
    make = ACTIONS.get(event.action)
    if make is not None:
        return make(describer)
    record = f" on {_label(event.object_type)} {event.object_id}" if event.object_type else ""
    return [Part(f"{_label(event.action)}{record}")]
