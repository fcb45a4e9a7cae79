"""An audit event as a sentence a coordinator reads at a glance, naming people and records
("Mélanie Joly: reply received (substantive)"), with links where a record still exists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from flask_babel import gettext as _
from flask_babel import ngettext

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
    messages: dict[int, int]


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
            return Part(_("an official no longer in the directory"))
        return Part(name, ("officials.detail", {"official_id": official_id or 0}))

    def webhook_url(self) -> str:
        return str(self.after.get("url") or self.before.get("url") or "")

    def campaign(self, campaign_id: int | None) -> Part:
        title = self.names.campaigns.get(campaign_id or 0)
        if title is None:
            return Part(_("a campaign since removed"))
        return Part(f"“{title}”", ("campaigns.detail", {"campaign_id": campaign_id or 0}))

    def user(self, user_id: int | None) -> Part:
        name = self.names.users.get(user_id or 0)
        return Part(name) if name else Part(_("a former user"))

    def own(self, key: str) -> int | None:
        """The id of the event's own record, or one its values name."""
        value = self.after.get(key, self.before.get(key))
        return value if isinstance(value, int) else None

    def changed(self) -> Part:
        fields = sorted(set(self.after) | set(self.before))
        listed = ", ".join(_label(f) for f in fields)
        return Part(_(": changed %(fields)s", fields=listed) if fields else "")

    def official_list(self, ids: list[int]) -> Sentence:
        parts: Sentence = []
        for n, official_id in enumerate(ids[:LISTED]):
            parts += [Part(", " if n else ": "), self.official(official_id)]
        if len(ids) > LISTED:
            parts.append(Part(_(" and %(num)d more", num=len(ids) - LISTED)))
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
            sentence += [Part(_(" · ")), self.campaign(campaign_id)]
        return sentence + self.logged_from()

    def logged_from(self) -> Sentence:
        """How Hilltrack logged an entry by itself; nothing for a person's entry."""
        logged_from = self.after.get("logged_from")
        if logged_from == "sending":
            return [Part(_(" · sent by e-mail, at the request of ")), self.actor()]
        if logged_from != "mail":
            return []
        message_id = self.names.messages.get(self.event.object_id or 0)
        link = ("mail.message", {"message_id": message_id}) if message_id else None
        return [Part(_(" · ")), Part(_("logged from the e-mail that came back"), link)]

    def actor(self) -> Part:
        actor = self.event.actor
        return Part(actor.name) if actor else Part(_("a former user"))

    def interaction_update(self) -> Sentence:
        official_id, _campaign = self.names.interactions.get(self.event.object_id or 0, (0, None))
        return [Part(_("Corrected an entry for ")), self.official(official_id), self.changed()]

    def interaction_bulk_sent(self) -> Sentence:
        ids = [i for i in self.after.get("official_ids", []) if isinstance(i, int)]
        how = f"{_label(self.after.get('channel', ''))}, {self.after.get('sent_on', '')}"
        return [
            Part(
                ngettext("Marked %(num)d recipient of ", "Marked %(num)d recipients of ", len(ids))
            ),
            self.campaign(self.own("campaign_id")),
            Part(_(" as sent (%(how)s)", how=how)),
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
            sentence += [Part(_(", assigned to ")), self.user(self.own("assignee_id"))]
        if self.after.get("due_on"):
            sentence.append(Part(_(", due %(date)s", date=self.after["due_on"])))
        return sentence

    def signatories(self) -> Sentence:
        names = self.after.get("names") or []
        listed = ", ".join(str(n) for n in names[:LISTED])
        more = _(" and %(num)d more", num=len(names) - LISTED) if len(names) > LISTED else ""
        return [
            Part(
                ngettext("Added %(num)d signatory to ", "Added %(num)d signatories to ", len(names))
            ),
            self.campaign(self.own("campaign_id") or self.event.object_id),
            Part(f": {listed}{more}"),
        ]

    def user_event(self, verb: str) -> Sentence:
        return [Part(verb), self.user(self.event.object_id), self.changed()]

    def export(self) -> Sentence:
        sentence = [Part(_("Exported %(kind)s", kind=_label(self.after.get("kind", "data"))))]
        if self.after.get("campaign_id"):
            sentence += [Part(_(" of ")), self.campaign(self.own("campaign_id"))]
        return sentence


ACTIONS: dict[str, Callable[[_Describer], Sentence]] = {
    "interaction.create": _Describer.interaction_create,
    "interaction.update": _Describer.interaction_update,
    "interaction.bulk_sent": _Describer.interaction_bulk_sent,
    "campaign.create": lambda d: [Part(_("Created campaign ")), d.campaign(d.event.object_id)],
    "campaign.update": lambda d: [
        Part(_("Edited campaign ")),
        d.campaign(d.event.object_id),
        d.changed(),
    ],
    "recipient.create": lambda d: d.recipient(_("Added "), _(" to ")),
    "recipient.update": lambda d: d.recipient(_("Changed how "), _(" is addressed in ")),
    "recipient.delete": lambda d: d.recipient(_("Removed "), _(" from ")),
    "signatory.create": lambda d: [
        Part(_("Added signatory %(name)s to ", name=d.after.get("name", ""))),
        d.campaign(d.own("campaign_id")),
    ],
    "signatory.create_many": _Describer.signatories,
    "signatory.update_list": lambda d: [
        Part(_("Saved the signatories of ")),
        d.campaign(d.event.object_id),
    ],
    "follow_up.create": lambda d: d.follow_up(_("Planned a follow-up with ")),
    "follow_up.complete": lambda d: d.follow_up(_("Completed a follow-up with ")),
    "follow_up.snooze": lambda d: d.follow_up(_("Snoozed a follow-up with ")),
    "official.create": lambda d: [Part(_("Added official ")), d.official(d.event.object_id)],
    "official.update": lambda d: [
        Part(_("Edited ")),
        d.official(d.event.object_id),
        d.changed(),
    ],
    "role.create": lambda d: [
        Part(_("Gave a role (%(title)s) to ", title=d.after.get("title", ""))),
        d.official(d.own("official_id")),
    ],
    "role.update": lambda d: [
        Part(_("Wrote in French a title of ")),
        d.official(d.own("official_id")),
        d.changed(),
    ],
    "user.create": lambda d: d.user_event(_("Added user ")),
    "user.update": lambda d: d.user_event(_("Changed the account of ")),
    "user.activate": lambda d: d.user_event(_("Reactivated ")),
    "user.deactivate": lambda d: d.user_event(_("Deactivated ")),
    "user.password_reset": lambda d: d.user_event(_("Issued a one-time password to ")),
    "api_token.create": lambda d: [
        Part(_("Made the API token “%(name)s”", name=d.after.get("name", "")))
    ],
    "api_token.revoke": lambda d: [
        Part(_("Revoked the API token “%(name)s”", name=d.after.get("name", "")))
    ],
    "auth.login": lambda d: [Part(_("Signed in"))],
    "auth.logout": lambda d: [Part(_("Signed out"))],
    "auth.login_failed": lambda d: [
        Part(
            _("Failed sign-in as %(email)s", email=d.after["email"])
            if d.after.get("email")
            else _("Failed sign-in")
        )
    ],
    "auth.throttled": lambda d: [Part(_("Sign-in refused: too many attempts"))],
    "auth.password_change": lambda d: [Part(_("Changed their password"))],
    "auth.password_change_failed": lambda d: [Part(_("Gave a wrong current password"))],
    "calendar.rotate": lambda d: [Part(_("Made a new calendar address"))],
    "calendar.revoke": lambda d: [Part(_("Turned their calendar address off"))],
    "export": _Describer.export,
    "import.start": lambda d: [
        Part(
            _("Started a preview of an import")
            if d.after.get("dry_run")
            else _("Started an import")
        )
    ],
    "import_review.resolve": lambda d: [Part(_("Answered a question an import held for review"))],
    "webhook.create": lambda d: [Part(_("Subscribed %(url)s to events", url=d.webhook_url()))],
    "webhook.pause": lambda d: [Part(_("Paused the webhook to %(url)s", url=d.webhook_url()))],
    "webhook.resume": lambda d: [Part(_("Resumed the webhook to %(url)s", url=d.webhook_url()))],
    "webhook.delete": lambda d: [Part(_("Deleted the webhook to %(url)s", url=d.webhook_url()))],
    "webhook.paused_failing": lambda d: [
        Part(_("Paused the webhook to %(url)s after a day of failures", url=d.webhook_url()))
    ],
}


def who(event: AuditEvent) -> str:
    """Who did it: a person, or Hilltrack itself (at whose request), the command line, or
    someone not signed in."""
    logged_from = (event.after or {}).get("logged_from")
    name = event.actor.name if event.actor else None
    if logged_from == "sending" or event.action == "letter.sent":
        return str(_("Hilltrack, at the request of %(name)s", name=name or _("a former user")))
    if name and event.api_token_name:
        return str(
            _(
                "%(name)s, through the API with %(token)s",
                name=name,
                token=event.api_token_name,
            )
        )
    if name:
        return name
    if event.action == "webhook.paused_failing":
        return "Hilltrack"
    if logged_from == "mail":
        return str(_("Hilltrack, from the mail that came back"))
    return str(_("not signed in") if event.remote_addr else _("command line"))


def describe(event: AuditEvent, names: Names) -> Sentence:
    """The event as a sentence; an action without its own wording names the action and record."""
    describer = _Describer(event, names)
    make = ACTIONS.get(event.action)
    if make is not None:
        return make(describer)
    record = (
        _(" on %(type)s %(id)s", type=_label(event.object_type), id=event.object_id)
        if event.object_type
        else ""
    )
    return [Part(f"{_label(event.action)}{record}")]
