"""What each export contains: a header and a stream of rows, read in batches from the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, case, select
from sqlalchemy.orm import Session, aliased

from tracker import clock
from tracker.errors import OperationError
from tracker.formats.csv_safe import stream_csv
from tracker.formats.plain_text import as_text
from tracker.models import (
    Campaign,
    FollowUp,
    Interaction,
    InteractionKind,
    Official,
    Organisation,
    Recipient,
    ReplyClass,
    Role,
    RoleKind,
    User,
)
from tracker.queries import campaigns as campaign_reads
from tracker.queries import outcomes as outcome_reads
from tracker.rules.counting import counts_as, is_reply

BATCH = 1000
HOUSE_KINDS = {
    RoleKind.MP,
    RoleKind.PARLIAMENTARY_SECRETARY,
    RoleKind.COMMITTEE_CHAIR,
    RoleKind.COMMITTEE_VICE_CHAIR,
    RoleKind.COMMITTEE_MEMBER,
    RoleKind.HOUSE_OFFICER,
}
# What the Registry of Lobbyists calls oral and arranged communications.
ORAL_ARRANGED = (InteractionKind.MEETING_HELD, InteractionKind.CALL)


@dataclass(frozen=True)
class ExportFilter:
    campaign_id: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True)
class Export:
    header: list[str]
    rows: Iterator[Sequence[Any]]
    # Set when the rows are plain text except these free-text positions (see plain.as_text).
    free_text: frozenset[int] | None = None


def _streamed(session: Session, query: Select[*tuple[Any, ...]]) -> Iterator[Sequence[Any]]:
    """The rows in batches, through the session's connection: an export reads columns, never
    objects, and the ORM's per-row loading cost a third of the full log's time."""
    result = session.connection().execute(query.execution_options(yield_per=BATCH))
    for batch in result.partitions():
        yield from batch


def _dated(
    query: Select[*tuple[Any, ...]], column: Any, flt: ExportFilter
) -> Select[*tuple[Any, ...]]:
    if flt.since:
        query = query.where(column >= flt.since)
    if flt.until:
        query = query.where(column <= flt.until)
    return query


def interactions(session: Session, flt: ExportFilter) -> Export:
    """The full log, oldest first."""
    recorder = aliased(User)
    query = (
        select(
            Interaction.occurred_on,
            Interaction.kind,
            Official.given_name,
            Official.family_name,
            Campaign.title,
            Recipient.role_title,
            Interaction.channel,
            Interaction.reply_class,
            counted_as(),
            Interaction.stance,
            Interaction.summary,
            Interaction.official_attendees,
            Interaction.coalition_attendees,
            Interaction.asks_made,
            Interaction.commitments,
            recorder.name,
            Interaction.created_at,
            Interaction.logged_from,
        )
        .join(Official, Official.id == Interaction.official_id)
        .outerjoin(Recipient, Recipient.id == Interaction.recipient_id)
        .outerjoin(Campaign, Campaign.id == Recipient.campaign_id)
        .outerjoin(recorder, recorder.id == Interaction.recorded_by_id)
        .order_by(Interaction.occurred_on, Interaction.id)
    )
    if flt.campaign_id:
        query = query.where(Recipient.campaign_id == flt.campaign_id)
    header = [
        column("date"),
        column("what"),
        column("given name"),
        column("family name"),
        column("campaign"),
        column("role at the time"),
        column("channel"),
        column("reply"),
        column("counts as"),
        column("stance"),
        column("summary"),
        column("official attendees"),
        column("coalition attendees"),
        column("asks made"),
        column("commitments"),
        column("recorded by"),
        column("recorded at"),
        # Who wrote the entry when no person did: "sending" (the worker, at the request of the
        # person recorded by) or "mail" (the e-mail that came back); else "person" or "file".
        column("logged from"),
    ]
    return _plain_export(session, header, _dated(query, Interaction.occurred_on, flt))


def counted_as() -> ColumnElement[str]:
    """What each interaction counts as in the figures (rules.counting.counts_as), as text."""
    whens: list[tuple[ColumnElement[bool], str]] = []
    for kind in InteractionKind:
        outcomes = {c: counts_as(kind, c) for c in (*ReplyClass, None)}
        if len(set(outcomes.values())) == 1:
            whens.append((Interaction.kind == kind, outcomes[None].value))
            continue
        for reply_class, outcome in outcomes.items():
            same = (
                Interaction.reply_class.is_(None)
                if reply_class is None
                else Interaction.reply_class == reply_class
            )
            whens.append(((Interaction.kind == kind) & same, outcome.value))
    return case(*whens, else_="")


def _plain_export(session: Session, header: list[str], query: Select[Any]) -> Export:
    """An export whose rows are the query's, read as text by the database."""
    plain, free_text = as_text(query)
    return Export(header, _streamed(session, plain), free_text)


def follow_ups(session: Session, flt: ExportFilter) -> Export:
    """Every follow-up, by due date."""
    assignee = aliased(User)
    query = (
        select(
            FollowUp.due_on,
            FollowUp.status,
            Official.given_name,
            Official.family_name,
            Campaign.title,
            assignee.name,
            FollowUp.note,
            FollowUp.completion_note,
            FollowUp.completed_at,
        )
        .join(Official, Official.id == FollowUp.official_id)
        .outerjoin(Recipient, Recipient.id == FollowUp.recipient_id)
        .outerjoin(Campaign, Campaign.id == Recipient.campaign_id)
        .outerjoin(assignee, assignee.id == FollowUp.assignee_id)
        .order_by(FollowUp.due_on, FollowUp.id)
    )
    if flt.campaign_id:
        query = query.where(Recipient.campaign_id == flt.campaign_id)
    header = [
        column("due"),
        column("status"),
        column("given name"),
        column("family name"),
        column("campaign"),
        column("assigned to"),
        column("note"),
        column("outcome"),
        column("completed at"),
    ]
    return _plain_export(session, header, _dated(query, FollowUp.due_on, flt))


def _role_name(title: str, acronym: str | None) -> str:
    """A role as the export names it: the committee's acronym after its title."""
    return f"{title} ({acronym})" if acronym else title


def mailing_address(offices: list[dict[str, Any]] | None) -> str | None:
    """Where a letter goes by post: the Hill (legislature) office, else the first with one."""
    found = [o for o in offices or [] if isinstance(o, dict) and o.get("postal")]
    hill = [o for o in found if o.get("type") == "legislature"]
    chosen = (hill or found)[:1]
    return " / ".join(str(chosen[0]["postal"]).splitlines()) if chosen else None


def officials(session: Session, flt: ExportFilter) -> Export:
    """The directory: one row per official with a current role, their roles and caucus in English
    and in French (the feeds' French titles and those Hilltrack builds) and contact details."""
    current: dict[int, list[tuple[str, str]]] = {}
    for official_id, title, title_fr, acronym in session.execute(
        select(Role.official_id, Role.title, Role.title_fr, Organisation.acronym)
        .outerjoin(Organisation, Organisation.id == Role.organisation_id)
        .where(Role.end_on.is_(None))
        .order_by(Role.official_id, Role.id)
    ):
        current.setdefault(official_id, []).append(
            (_role_name(title, acronym), _role_name(title_fr or title, acronym))
        )
    query = select(
        Official.id,
        Official.honorific,
        Official.given_name,
        Official.family_name,
        Official.party,
        Official.constituency,
        Official.province,
        Official.email,
        Official.phone,
        Official.offices,
        Official.ourcommons_id,
        Official.party_fr,
    ).order_by(Official.sort_key, Official.id)

    def rows() -> Iterator[tuple[Any, ...]]:
        for row in _streamed(session, query):
            roles = current.get(row[0])
            if roles:
                yield (
                    *row[1:9],
                    mailing_address(row[9]),
                    row[10],
                    "; ".join(en for en, _fr in roles),
                    "; ".join(fr for _en, fr in roles),
                    row[11] or row[4],
                )

    header = [
        column("honorific"),
        column("given name"),
        column("family name"),
        column("party"),
        column("riding"),
        column("province"),
        column("email"),
        column("phone"),
        column("mailing address"),
        column("ourcommons PersonId"),
        column("current roles"),
        column("current roles (French)"),
        column("party (French)"),
    ]
    return Export(header, rows())


KEY_KINDS = (InteractionKind.SENT, InteractionKind.REPLY_RECEIVED, InteractionKind.MEETING_HELD)


def _sends_replies_meetings(
    session: Session, recipient_ids: list[int]
) -> dict[tuple[int, InteractionKind], list[Interaction]]:
    """These recipients' sends, replies and meetings, oldest first, by (recipient, kind)."""
    found: dict[tuple[int, InteractionKind], list[Interaction]] = {}
    for interaction in session.scalars(
        select(Interaction)
        .where(Interaction.recipient_id.in_(recipient_ids), Interaction.kind.in_(KEY_KINDS))
        .order_by(Interaction.occurred_on, Interaction.id)
    ):
        found.setdefault((interaction.recipient_id or 0, interaction.kind), []).append(interaction)
    return found


def campaign_status(session: Session, flt: ExportFilter) -> Export:
    """One row per recipient of a campaign, as things stand today."""
    if not flt.campaign_id:
        raise OperationError(_("Choose the campaign to export."), field="campaign")
    today = clock.today()

    def rows() -> Iterator[tuple[Any, ...]]:
        lines = campaign_reads.campaign_rows(session, flt.campaign_id or 0, today)
        logged = _sends_replies_meetings(session, [line.recipient.id for line in lines])
        contacts = {
            official_id: (email, phone, mailing_address(offices))
            for official_id, email, phone, offices in session.execute(
                select(Official.id, Official.email, Official.phone, Official.offices).where(
                    Official.id.in_({line.recipient.official_id for line in lines})
                )
            )
        }
        for row in lines:
            r, info = row.recipient, row.info
            sends, replies, meetings = (logged.get((r.id, kind), []) for kind in KEY_KINDS)
            # The reply shown is the first that counts as one (rules.counting), else the
            # acknowledgement: the same the status and the figures read.
            replies = [x for x in replies if is_reply(x.kind, x.reply_class)] or replies
            yield (
                r.official.given_name,
                r.official.family_name,
                r.official.party,
                r.role_title,
                r.addressed_as,
                r.salutation,
                info.status.english,
                info.sent_on,
                sends[0].channel if sends else None,
                replies[0].occurred_on if replies else None,
                replies[0].reply_class if replies else None,
                meetings[-1].occurred_on if meetings else None,
                row.next_follow_up.due_on if row.next_follow_up else None,
                info.days_waiting,
                *contacts.get(r.official_id, (None, None, None)),
            )

    header = [
        column("given name"),
        column("family name"),
        column("party"),
        column("role at the time"),
        column("addressed as"),
        column("salutation"),
        column("status"),
        column("sent on"),
        column("sent via"),
        column("reply received"),
        column("reply"),
        column("last meeting"),
        column("next follow-up"),
        column("days waiting"),
        column("email"),
        column("phone"),
        column("mailing address"),
    ]
    return Export(header, rows())


def lobbying_report(session: Session, flt: ExportFilter) -> Export:
    """Oral and arranged communications with officials, for the monthly registry report."""
    held = aliased(Role)
    query = (
        select(
            Interaction.occurred_on,
            Official.given_name,
            Official.family_name,
            Recipient.role_title,
            held.title,
            held.kind,
            Organisation.name,
            Campaign.title,
            Interaction.kind,
            Interaction.summary,
        )
        .join(Official, Official.id == Interaction.official_id)
        .outerjoin(Recipient, Recipient.id == Interaction.recipient_id)
        .outerjoin(Campaign, Campaign.id == Recipient.campaign_id)
        .outerjoin(held, held.id == Recipient.role_id)
        .outerjoin(Organisation, Organisation.id == held.organisation_id)
        .where(Interaction.kind.in_(ORAL_ARRANGED))
        .order_by(Interaction.occurred_on, Interaction.id)
    )
    if flt.campaign_id:
        query = query.where(Recipient.campaign_id == flt.campaign_id)

    def rows() -> Iterator[tuple[Any, ...]]:
        for (
            on,
            given,
            family,
            role_title,
            held_title,
            kind,
            org,
            campaign,
            what,
            summary,
        ) in _streamed(session, _dated(query, Interaction.occurred_on, flt)):
            institution = org or ("House of Commons" if kind in HOUSE_KINDS else None)
            yield (
                on,
                f"{given} {family}",
                role_title or held_title,
                institution,
                campaign or summary,
                "meeting" if what is InteractionKind.MEETING_HELD else "call",
            )

    header = [
        column("date"),
        column("designated public office holder"),
        column("title"),
        column("institution"),
        column("subject"),
        column("communication"),
    ]
    return Export(header, rows())


def outcomes(session: Session, flt: ExportFilter) -> Export:
    """What recipients said in Parliament on a letter's subject since it was sent: one row per
    intervention, for one campaign or every one."""
    query = select(Campaign).order_by(Campaign.letter_on, Campaign.id)
    if flt.campaign_id:
        query = query.where(Campaign.id == flt.campaign_id)

    def rows() -> Iterator[tuple[Any, ...]]:
        for campaign in session.scalars(query).all():
            said = outcome_reads.filtered(outcome_reads.campaign_outcomes(session, campaign))
            for s in reversed(said):
                i = s.intervention
                if (flt.since and i.spoken_on < flt.since) or (
                    flt.until and i.spoken_on > flt.until
                ):
                    continue
                yield (
                    campaign.title,
                    i.spoken_on,
                    s.official.full_name,
                    i.person_id,
                    "House" if i.is_house else "committee",
                    i.organization,
                    i.title,
                    i.order_of_business,
                    i.intervention_type,
                    "; ".join(s.words),
                    i.record_url,
                )

    header = [
        column("campaign"),
        column("date"),
        column("official"),
        column("PersonId"),
        column("House or committee"),
        column("which"),
        column("publication"),
        column("order of business"),
        column("intervention type"),
        column("subject words matched"),
        column("link"),
    ]
    return Export(header, rows())


KINDS: dict[str, Callable[[Session, ExportFilter], Export]] = {
    "outcomes": outcomes,
    "campaign-status": campaign_status,
    "interactions": interactions,
    "follow-ups": follow_ups,
    "officials": officials,
    "lobbying-report": lobbying_report,
}


def file_name(kind: str, flt: ExportFilter, today: dt.date) -> str:
    """A download name of plain characters only, e.g. hilltrack-interactions-2026-11-28.csv."""
    parts = ["hilltrack", kind]
    if flt.campaign_id:
        parts.append(f"campaign-{flt.campaign_id}")
    if flt.since or flt.until:
        parts.append(f"{flt.since or 'start'}-to-{flt.until or today}")
    else:
        parts.append(today.isoformat())
    return "-".join(parts) + ".csv"


def column(name: str) -> str:
    """Mark a column's name for the catalogue (`-k column`): the header row is written in the
    language of the person exporting; the values stay data."""
    return name


def csv_chunks(
    session: Session, kind: str, flt: ExportFilter, language: str | None = None
) -> Iterator[str]:
    """The export's CSV text, streamed; unknown kinds and missing filters are refused first.
    The header is in ``language`` ("en", "fr"), else in the language of the page or command."""
    make = KINDS.get(kind)
    if make is None:
        raise OperationError(_("There is no export called %(kind)s.", kind=kind))
    export = make(session, flt)
    if language is None:
        header = [_(name) for name in export.header]
    else:
        with force_locale({"en": "en_CA", "fr": "fr_CA"}[language]):
            header = [_(name) for name in export.header]
    return stream_csv(header, export.rows, export.free_text)
