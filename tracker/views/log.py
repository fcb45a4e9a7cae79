"""Quick log: find an official, say what happened for which campaign, save. Three screens."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from tracker import clock
from tracker.errors import OperationError
from tracker.formats.said import in_reader_language
from tracker.forms.interactions import InteractionForm
from tracker.models import Interaction, InteractionKind, Official, Recipient
from tracker.models.base import as_id
from tracker.operations.interactions import (
    INTERACTION_FIELDS,
    can_edit,
    record_interaction,
    update_interaction,
)
from tracker.operations.officials import ConflictError
from tracker.queries import campaigns as campaign_reads
from tracker.queries import officials as official_reads
from tracker.rules.status import next_step
from tracker.web.db import get_session, load_or_404

bp = Blueprint("log", __name__, url_prefix="/log")


@bp.get("/")
def find() -> ResponseReturnValue:
    """Screen 1: find the official, by name or riding."""
    text = request.args.get("q", "").strip()[:100]
    found: list[Official] = []
    if text:
        found = official_reads.directory_page(
            get_session(), official_reads.DirectoryFilter(q=text, status="all"), 1
        ).items
    return render_template("log/find.html", q=text, found=found[:20])


def _values(form: InteractionForm) -> dict[str, Any]:
    return {name: getattr(form, name).data for name in INTERACTION_FIELDS}


def _with_named(official_id: int, recipients: list[Recipient]) -> list[Recipient]:
    """The latest letters the menu offers, and the one the form (by recipient) or the link (by
    campaign) names if it is older than those: a minister can be on hundreds of campaigns."""
    by_recipient = request.method == "POST"
    wanted = as_id(
        request.form.get("recipient_id") if by_recipient else request.args.get("campaign")
    )
    if wanted is None or any(
        wanted == (r.id if by_recipient else r.campaign_id) for r in recipients
    ):
        return recipients
    named = campaign_reads.loggable_recipient(
        get_session(),
        official_id,
        recipient_id=wanted if by_recipient else None,
        campaign_id=None if by_recipient else wanted,
    )
    return recipients if named is None else [*recipients, named]


def _preselected(recipients: list[Recipient], campaign: str) -> Recipient | None:
    """The recipient row the link named by its campaign, or the only one there is: with several
    open campaigns and none named, the volunteer must choose."""
    if len(recipients) == 1:
        return recipients[0]
    return next((r for r in recipients if str(r.campaign_id) == campaign), None)


@bp.route("/<int:official_id>", methods=["GET", "POST"])
def record(official_id: int) -> ResponseReturnValue:
    """Screen 2: which campaign and what happened; saving leads to screen 3."""
    official = load_or_404(Official, official_id)
    recipients = _with_named(
        official.id, campaign_reads.open_recipients_of(get_session(), official.id)
    )
    chosen = _preselected(recipients, request.args.get("campaign", ""))
    form = InteractionForm(
        data={
            "occurred_on": clock.today(),
            "submission_key": secrets.token_hex(16),
            "recipient_id": str(chosen.id) if chosen else "",
            "kind": next_step(chosen.status).value if chosen else InteractionKind.SENT.value,
        }
    )
    form.recipient_id.choices = [SelectChoice(str(r.id), r.campaign.title) for r in recipients]
    if recipients and form.validate_on_submit():
        recipient = next((r for r in recipients if str(r.id) == form.recipient_id.data), None)
        db = get_session()
        try:
            if recipient is None:
                raise OperationError(_("Choose the campaign."), field="recipient_id")
            interaction, created = record_interaction(
                db,
                recipient,
                _values(form),
                actor=current_user,
                submission_key=form.submission_key.data or None,
            )
        except OperationError as error:
            form.show_error(error)
        else:
            db.commit()
            if created:
                flash(
                    _(
                        "Saved: %(value)s for %(full_name)s.",
                        value=interaction.kind.label.lower(),
                        full_name=official.full_name,
                    ),
                    "success",
                )
            else:
                flash(_("Already saved (the form was sent twice); nothing was duplicated."), "info")
            return redirect(url_for("log.done", interaction_id=interaction.id))
    return render_template("log/record.html", official=official, form=form, recipients=recipients)


@bp.get("/done/<int:interaction_id>")
def done(interaction_id: int) -> ResponseReturnValue:
    """Screen 3: what was saved, and where to go next."""
    interaction = get_session().get(Interaction, interaction_id)
    if interaction is None:
        abort(404)
    return render_template(
        "log/done.html", interaction=interaction, editable=can_edit(interaction, current_user)
    )


@bp.route("/interactions/<int:interaction_id>/edit", methods=["GET", "POST"])
def edit(interaction_id: int) -> ResponseReturnValue:
    """Correct an entry; the audit trail keeps what it said before."""
    db = get_session()
    interaction = db.get(Interaction, interaction_id)
    if interaction is None:
        abort(404)
    if not can_edit(interaction, current_user):
        abort(403)
    form = InteractionForm(
        obj=interaction,
        data={
            "version": interaction.version,
            "kind": interaction.kind.value,
            "channel": interaction.channel.value if interaction.channel else "",
            "reply_class": interaction.reply_class.value if interaction.reply_class else "",
        },
    )
    del form.recipient_id  # an entry stays on its campaign
    if not form.is_submitted():
        form.summary.data = in_reader_language(interaction.summary)  # a stored sentence
    if form.validate_on_submit():
        try:
            update_interaction(
                db,
                interaction,
                _values(form),
                version=as_id(form.version.data) or 0,
                actor=current_user,
            )
        except ConflictError as conflict:
            db.rollback()
            form.version.data = interaction.version
            return render_template(
                "log/conflict.html", form=form, interaction=interaction, current=conflict.current
            ), 409
        except OperationError as error:
            form.show_error(error)
        else:
            db.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("officials.detail", official_id=interaction.official_id))
    return render_template("log/edit.html", form=form, interaction=interaction)
