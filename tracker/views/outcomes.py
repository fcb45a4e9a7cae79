"""What was said since the letter: each recipient's interventions in the House and its
committees on the letter's subject, its subject words, and reading the House's record now."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker.forms.outcomes import SubjectWordsForm
from tracker.jobs.outcomes import queue_fetch
from tracker.models import UserRole
from tracker.models.base import as_id
from tracker.operations.outcomes import set_subject_words
from tracker.queries import outcomes as outcome_reads
from tracker.views.loading import campaign_or_404
from tracker.web.access import role_required
from tracker.web.db import get_session

bp = Blueprint("outcomes", __name__, url_prefix="/campaigns")
WHERE = ("house", "committees")


def _term_choices(
    campaign_id: int, outcomes: list[outcome_reads.RecipientOutcome]
) -> list[tuple[int, str]]:
    """The terms seen in what matched, and those already picked."""
    picked = [
        (r.term_id, r.phrase)
        for r in outcome_reads.subject_rows(get_session(), campaign_id)
        if r.term_id is not None
    ]
    seen = outcome_reads.seen_terms(outcomes)
    return picked + [term for term in seen if term[0] not in {t for t, _ in picked}]


def _subject_form(
    campaign_id: int, outcomes: list[outcome_reads.RecipientOutcome]
) -> SubjectWordsForm:
    rows = outcome_reads.subject_rows(get_session(), campaign_id)
    form = SubjectWordsForm(
        english="\n".join(r.phrase for r in rows if r.language == "en"),
        french="\n".join(r.phrase for r in rows if r.language == "fr"),
        terms=[r.term_id for r in rows if r.term_id is not None],
    )
    form.terms.choices = _term_choices(campaign_id, outcomes)
    return form


@bp.get("/<int:campaign_id>/said")
def said(campaign_id: int) -> ResponseReturnValue:
    """Every intervention on the letter's subject since it was sent, filterable."""
    campaign = campaign_or_404(campaign_id)
    recipient_id = as_id(request.args.get("recipient", ""))
    where = request.args.get("where", "")
    outcomes = outcome_reads.campaign_outcomes(get_session(), campaign)
    items = outcome_reads.filtered(outcomes, recipient_id, where if where in WHERE else None)
    coordinator = current_user.has_role(UserRole.COORDINATOR)
    return render_template(
        "outcomes/said.html",
        campaign=campaign,
        outcomes=outcomes,
        items=items,
        weeks=outcome_reads.house_weeks(get_session(), outcomes, items),
        recipient_id=recipient_id,
        where=where,
        subject=outcome_reads.subject_rows(get_session(), campaign.id),
        form=_subject_form(campaign.id, outcomes) if coordinator else None,
    )


@bp.post("/<int:campaign_id>/said/subject")
@role_required(UserRole.COORDINATOR)
def subject(campaign_id: int) -> ResponseReturnValue:
    """Save the words that say what the letter is about."""
    campaign = campaign_or_404(campaign_id)
    form = SubjectWordsForm()
    choices = _term_choices(campaign.id, outcome_reads.campaign_outcomes(get_session(), campaign))
    form.terms.choices = choices
    if not form.validate():
        why = " ".join(str(error) for errors in form.errors.values() for error in errors)
        flash(_("The subject words were not saved: %(why)s", why=why), "error")
        return redirect(url_for("outcomes.said", campaign_id=campaign.id))
    names = dict(choices)
    picked = [(term_id, names[term_id]) for term_id in form.terms.data or []]
    set_subject_words(get_session(), campaign, form.lines("english"), form.lines("french"), picked)
    get_session().commit()
    flash(_("Subject words saved."), "success")
    return redirect(url_for("outcomes.said", campaign_id=campaign.id))


@bp.post("/<int:campaign_id>/said/check")
@role_required(UserRole.COORDINATOR)
def check(campaign_id: int) -> ResponseReturnValue:
    """Queue a reading of the House's record for this campaign's recipients now."""
    campaign = campaign_or_404(campaign_id)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    queue_fetch(app, get_session(), campaign.id, current_user)
    flash(_("Reading the House's record: the page shows it when the job is done."), "success")
    return redirect(url_for("outcomes.said", campaign_id=campaign.id))
