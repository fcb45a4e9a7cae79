"""CSV exports: exact bytes, safe cells, streaming in flat memory, downloads and the CLI."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.clock import utcnow
from tracker.formats.csv_safe import neutralise, stream_csv
from tracker.models import (
    AuditEvent,
    Campaign,
    Channel,
    Interaction,
    InteractionKind,
    Official,
    Recipient,
    ReplyClass,
    User,
    UserRole,
)
from tracker.operations.recipient_facts import refresh_all_facts
from tracker.queries.exports import ExportFilter, csv_chunks

RECORDED = dt.datetime(2026, 1, 15, 14, 30, tzinfo=dt.UTC)


HOSTILE_AND_PLAIN_TEXT = [
    '=HYPERLINK("http://x")',
    "+1 613 555 0100",
    "-minus",
    "@SUM(A1:A2)",
    "   =1+1",
    "  plain after spaces",
    "\t=1",
    "\r=1",
    "\n=1",
    "\0=1",
    "\uff1dSUM(A1)",
    "\uff0b1",
    "\uff0d1",
    "\uff20x",
    "Stéphane Bergeron",
    "a=b",
    "",
    None,
]


@pytest.mark.parametrize("cell", HOSTILE_AND_PLAIN_TEXT)
def test_large_exports_check_only_text_columns_yet_neutralise_the_same_cells(
    cell: str | None,
) -> None:
    every_cell = "".join(stream_csv(["note", "on"], [(cell, "2023-09-07")]))
    text_only = "".join(stream_csv(["note", "on"], [(cell, "2023-09-07")], frozenset({0})))
    assert text_only == every_cell


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1 613 555 0100", "'+1 613 555 0100"),
        ("-minus", "'-minus"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("   =1+1", "'   =1+1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\n=1", "'\n=1"),
        ("\uff1dSUM(A1)", "'\uff1dSUM(A1)"),
        ("\uff20x", "'\uff20x"),
        ("Stéphane Bergeron", "Stéphane Bergeron"),
        ("a=b", "a=b"),
        (-5, -5),
        (3.25, 3.25),
        (None, ""),
        (dt.date(2023, 9, 7), "2023-09-07"),
    ],
)
def test_cells_that_could_run_as_formulas_are_neutralised_and_numbers_stay_numbers(
    cell: object, expected: object
) -> None:
    assert neutralise(cell) == expected


@pytest.fixture
def dataset(db: Session, make_user: Callable[..., User]) -> Campaign:
    volunteer = make_user(UserRole.VOLUNTEER, name="Zoé Bénévole")
    campaign = Campaign(title="Lettre ouverte, 2023", letter_on=dt.date(2023, 9, 7))
    bergeron = Official(
        given_name="Stéphane",
        family_name="Bergeron",
        name_key="stephane bergeron",
        party="Bloc Québécois",
    )
    db.add_all([campaign, bergeron])
    db.flush()
    recipient = Recipient(
        campaign_id=campaign.id,
        official_id=bergeron.id,
        position=1,
        role_title="Vice-Chair of FAAE",
        addressed_as="Stéphane Bergeron, Vice-Chair",
        salutation="Bonjour",
    )
    db.add(recipient)
    db.flush()
    for kind, day, extra in (
        (InteractionKind.SENT, 7, {"channel": Channel.EMAIL}),
        (
            InteractionKind.REPLY_RECEIVED,
            20,
            {"reply_class": ReplyClass.SUBSTANTIVE, "summary": "=1+1 merci\nligne deux"},
        ),
        (
            InteractionKind.MEETING_HELD,
            28,
            {"summary": 'Réunion, "productive"', "commitments": "-raise it"},
        ),
    ):
        db.add(
            Interaction(
                official_id=bergeron.id,
                recipient_id=recipient.id,
                kind=kind,
                occurred_on=dt.date(2023, 9, day),
                recorded_by_id=volunteer.id,
                created_at=RECORDED,
                **extra,
            )
        )
    refresh_all_facts(db)
    db.commit()
    return campaign


EXPECTED_INTERACTIONS = (
    "\ufeffdate,what,given name,family name,campaign,role at the time,channel,reply,counts as,"
    "stance,summary,official attendees,coalition attendees,asks made,commitments,recorded by,"
    "recorded at,logged from\r\n"
    '2023-09-07,sent,Stéphane,Bergeron,"Lettre ouverte, 2023",Vice-Chair of FAAE,email,,sent,,,'
    ",,,,Zoé Bénévole,2026-01-15T14:30:00+00:00,person\r\n"
    '2023-09-20,reply_received,Stéphane,Bergeron,"Lettre ouverte, 2023",Vice-Chair of FAAE,,'
    'substantive,replied,,"\'=1+1 merci\nligne deux",,,,,Zoé Bénévole,'
    "2026-01-15T14:30:00+00:00,person\r\n"
    '2023-09-28,meeting_held,Stéphane,Bergeron,"Lettre ouverte, 2023",Vice-Chair of FAAE,,,'
    'meeting,,"Réunion, ""productive""",,,,\'-raise it,Zoé Bénévole,'
    "2026-01-15T14:30:00+00:00,person\r\n"
)


def export_text(db: Session, kind: str, flt: ExportFilter | None = None) -> str:
    return "".join(csv_chunks(db, kind, flt or ExportFilter()))


def test_interactions_export_exact_bytes(db: Session, dataset: Campaign) -> None:
    text = export_text(db, "interactions")
    assert text == EXPECTED_INTERACTIONS
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[2][10] == "'=1+1 merci\nligne deux"
    frame = pd.read_csv(io.BytesIO(text.encode("utf-8")), encoding="utf-8-sig")
    assert list(frame["given name"]) == ["Stéphane"] * 3
    assert frame.loc[2, "summary"] == 'Réunion, "productive"'


def test_campaign_status_export_has_one_row_per_recipient(db: Session, dataset: Campaign) -> None:
    frame = pd.read_csv(
        io.StringIO(export_text(db, "campaign-status", ExportFilter(campaign_id=dataset.id)))
    )
    row = frame.iloc[0]
    assert (row["addressed as"], row["status"], row["sent via"], row["reply"]) == (
        "Stéphane Bergeron, Vice-Chair",
        "Meeting",
        "email",
        "substantive",
    )
    assert row["last meeting"] == "2023-09-28"


def test_lobbying_report_lists_the_months_oral_and_arranged_communications(
    db: Session, dataset: Campaign
) -> None:
    text = export_text(
        db, "lobbying-report", ExportFilter(since=dt.date(2023, 9, 1), until=dt.date(2023, 9, 30))
    )
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows == [
        [
            "date",
            "designated public office holder",
            "title",
            "institution",
            "subject",
            "communication",
        ],
        [
            "2023-09-28",
            "Stéphane Bergeron",
            "Vice-Chair of FAAE",
            "",
            "Lettre ouverte, 2023",
            "meeting",
        ],
    ]
    october = export_text(db, "lobbying-report", ExportFilter(since=dt.date(2023, 10, 1)))
    assert october.count("\r\n") == 1  # the header only


def _add_interactions(connection: sa.Connection, official_id: int, count: int) -> None:
    connection.execute(
        sa.insert(Interaction),
        [
            {
                "official_id": official_id,
                "kind": InteractionKind.NOTE,
                "occurred_on": dt.date(2024, 1, 1) + dt.timedelta(days=n % 700),
                "summary": f"note number {n} with some text to make the row realistic",
                "created_at": utcnow(),
                "updated_at": utcnow(),
                "version": 1,
            }
            for n in range(count)
        ],
    )


def _peak_while_streaming(db: Session) -> int:
    tracemalloc.start()
    try:
        for _chunk in csv_chunks(db, "interactions", ExportFilter()):
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_large_export_streams_in_flat_memory(db: Session, connection: sa.Connection) -> None:
    official = Official(given_name="Many", family_name="Notes", name_key="many notes")
    db.add(official)
    db.commit()
    _add_interactions(connection, official.id, 2_000)
    small = _peak_while_streaming(db)
    _add_interactions(connection, official.id, 18_000)
    large = _peak_while_streaming(db)
    # Ten times the rows, about the same peak: the rows are never all in memory at once.
    assert large < small * 1.5, (small, large)


def test_download_from_the_page_is_private_named_and_audited(
    client: FlaskClient, signed_in: Callable[[UserRole], User], db: Session, dataset: Campaign
) -> None:
    user = signed_in(UserRole.COORDINATOR)
    response = client.get(f"/exports/campaign-status.csv?campaign={dataset.id}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype == "text/csv"
    today = clock.today().isoformat()
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="hilltrack-campaign-status-campaign-{dataset.id}-{today}.csv"'
    )
    assert response.get_data().startswith(b"\xef\xbb\xbfgiven name,")
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert event.actor_id == user.id
    assert event.after["kind"] == "campaign-status"  # type: ignore[index]


def test_exports_are_for_coordinators(
    client: FlaskClient, signed_in: Callable[[UserRole], User], dataset: Campaign
) -> None:
    signed_in(UserRole.VOLUNTEER)
    assert client.get("/exports/interactions.csv").status_code == 403


def test_campaign_status_needs_a_campaign_and_bad_dates_are_refused(
    client: FlaskClient, signed_in: Callable[[UserRole], User]
) -> None:
    signed_in(UserRole.COORDINATOR)
    assert client.get("/exports/campaign-status.csv").status_code == 400
    assert client.get("/exports/interactions.csv?since=last+year").status_code == 400
    assert client.get("/exports/passwords.csv").status_code == 404


def test_cli_export_writes_the_same_bytes(
    app: Flask, db: Session, dataset: Campaign, tmp_path: Path
) -> None:
    target = tmp_path / "log.csv"
    result = app.test_cli_runner().invoke(args=["export", "interactions", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == EXPECTED_INTERACTIONS.encode("utf-8")
    refused = app.test_cli_runner().invoke(
        args=["export", "campaign-status", "-o", str(tmp_path / "x.csv")]
    )
    assert refused.exit_code == 1
    assert "Choose the campaign to export." in refused.output


@pytest.fixture
def full_dataset(db: Session, dataset: Campaign) -> Campaign:
    from tracker.models import FollowUp, Organisation, OrganisationKind, Role, RoleKind

    bergeron = db.scalars(select(Official)).one()
    bergeron.email = "stephane.bergeron@parl.gc.ca"
    bergeron.phone = "1 613 992-0164"
    bergeron.offices = [
        {"type": "constituency", "postal": "Sainte-Julie QC"},
        {"type": "legislature", "postal": "House of Commons\nOttawa ON  K1A 0A6"},
    ]
    faae = Organisation(
        kind=OrganisationKind.COMMITTEE,
        name="Standing Committee on Foreign Affairs and International Development",
        acronym="FAAE",
    )
    db.add(faae)
    db.flush()
    db.add(
        Role(
            official_id=bergeron.id,
            kind=RoleKind.MP,
            source="members",
            title="Member of Parliament for Montarville",
            title_fr="Député de Montarville",
        )
    )
    db.add(
        Role(
            official_id=bergeron.id,
            kind=RoleKind.COMMITTEE_VICE_CHAIR,
            source="committees",
            title="Vice-Chair of the Standing Committee on Foreign Affairs and International "
            "Development",
            organisation_id=faae.id,
        )
    )
    db.add(
        FollowUp(
            official_id=bergeron.id,
            recipient_id=dataset.recipients[0].id,
            due_on=dt.date(2023, 10, 15),
            note="+call back",
        )
    )
    db.commit()
    return dataset


EXACT = {
    "follow-ups": (
        "\ufeffdue,status,given name,family name,campaign,assigned to,note,outcome,completed at"
        '\r\n2023-10-15,open,Stéphane,Bergeron,"Lettre ouverte, 2023",,\'+call back,,\r\n'
    ),
    "officials": (
        "\ufeffhonorific,given name,family name,party,riding,province,email,phone,"
        "mailing address,ourcommons PersonId,current roles,current roles (French),party (French)"
        "\r\n"
        ",Stéphane,Bergeron,Bloc Québécois,,,stephane.bergeron@parl.gc.ca,1 613 992-0164,"
        "House of Commons / Ottawa ON  K1A 0A6,,"
        "Member of Parliament for Montarville; Vice-Chair of the Standing Committee on "
        "Foreign Affairs and International Development (FAAE),"
        "Député de Montarville; Vice-Chair of the Standing Committee on Foreign Affairs and "
        "International Development (FAAE),Bloc Québécois\r\n"
    ),
    "campaign-status": (
        "\ufeffgiven name,family name,party,role at the time,addressed as,salutation,status,"
        "sent on,sent via,reply received,reply,last meeting,next follow-up,days waiting,"
        "email,phone,mailing address\r\n"
        'Stéphane,Bergeron,Bloc Québécois,Vice-Chair of FAAE,"Stéphane Bergeron, Vice-Chair",'
        "Bonjour,Meeting,2023-09-07,email,2023-09-20,substantive,2023-09-28,2023-10-15,,"
        "stephane.bergeron@parl.gc.ca,1 613 992-0164,House of Commons / Ottawa ON  K1A 0A6\r\n"
    ),
    "lobbying-report": (
        "\ufeffdate,designated public office holder,title,institution,subject,communication\r\n"
        '2023-09-28,Stéphane Bergeron,Vice-Chair of FAAE,,"Lettre ouverte, 2023",meeting\r\n'
    ),
}


@pytest.mark.parametrize("kind", EXACT)
def test_each_export_exact_bytes(db: Session, full_dataset: Campaign, kind: str) -> None:
    flt = {
        "campaign-status": ExportFilter(campaign_id=full_dataset.id),
        "lobbying-report": ExportFilter(since=dt.date(2023, 9, 1), until=dt.date(2023, 9, 30)),
    }.get(kind, ExportFilter())
    text = export_text(db, kind, flt)
    assert text == EXACT[kind]
    frame = pd.read_csv(
        io.BytesIO(text.encode("utf-8")), encoding="utf-8-sig", dtype=str, keep_default_na=False
    )
    assert frame.iloc[0].tolist()[:2] != ["", ""]
    assert next(iter(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))) == list(frame.columns)


# What a message can carry that a spreadsheet would act on or show backwards: ESC (a terminal's
# colour codes), BEL, a right-to-left override, a zero-width space, a NUL.
HIDDEN = "\x1b\x07\u202e\u200b\x00"


@pytest.mark.parametrize("kind", ["interactions", *EXACT])
def test_control_and_direction_codes_from_mail_never_reach_an_export(
    db: Session, full_dataset: Campaign, kind: str
) -> None:
    from tracker.models import FollowUp

    reply = db.scalars(
        select(Interaction).where(Interaction.kind == InteractionKind.REPLY_RECEIVED)
    ).one()
    reply.summary = "\x1b[31mMerci\x07 de votre \u202eettrel\u200b.\nLigne deux"
    meeting = db.scalars(
        select(Interaction).where(Interaction.kind == InteractionKind.MEETING_HELD)
    ).one()
    meeting.summary = "\u202e=1+1"
    full_dataset.title = "Lettre\u200b ouverte\x1b, 2023"
    full_dataset.recipients[0].addressed_as = "St\u202eéphane"
    full_dataset.recipients[0].official.party = "Bloc\u200b Québécois"
    db.scalars(select(FollowUp)).one().note = "\x07+call back"
    db.commit()
    flt = {
        "campaign-status": ExportFilter(campaign_id=full_dataset.id),
        "lobbying-report": ExportFilter(since=dt.date(2023, 9, 1), until=dt.date(2023, 9, 30)),
    }.get(kind, ExportFilter())
    text = export_text(db, kind, flt)
    assert [ch for ch in text if ch in HIDDEN] == []
    assert "Lettre ouverte, 2023" in text or kind in ("officials", "campaign-status")
    cells = [cell for row in csv.reader(io.StringIO(text.removeprefix("\ufeff"))) for cell in row]
    if kind == "interactions":
        assert "[31mMerci de votre ettrel.\nLigne deux" in cells
        assert "'=1+1" in cells  # the override hid a formula: it is neutralised once gone
    if kind == "follow-ups":
        assert "'+call back" in cells
