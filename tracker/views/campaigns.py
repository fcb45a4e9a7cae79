"""Campaigns: the list, each letter's page with its recipients' progress, and editing."""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter
from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from wtforms import SelectChoice

from tracker import clock
from tracker.catalogue import language_key
from tracker.errors import OperationError
from tracker.forms.base import ActionForm
from tracker.forms.campaigns import (
    BY_ROLE_FIELDS,
    BulkSentForm,
    CampaignForm,
    PastedSignatoriesForm,
    RecipientByNameForm,
    RecipientLanguageForm,
    SignatoryForm,
)
from tracker.forms.follow_ups import FollowUpForm
from tracker.models import Campaign, ReplyClass, SignatoryKind, UserRole
from tracker.models.base import as_id
from tracker.operations.campaigns import CAMPAIGN_FIELDS, create_campaign, update_campaign
from tracker.operations.officials import ConflictError
from tracker.queries import campaigns as campaign_reads
from tracker.queries import outcomes as outcome_reads
from tracker.queries.accounts import assignee_choices
from tracker.queries.inbound import latest_mail_by_recipient, messages_for_interactions
from tracker.queries.replies import to_classify
from tracker.rules.campaign_text import LANGUAGES, campaign_text, has_text, languages_written
from tracker.rules.status import RecipientStatus
from tracker.views.loading import campaign_or_404
from tracker.views.recipients import by_role_form, recipient_search
from tracker.views.signatories import signatory_list_form
from tracker.web import attachments
from tracker.web.access import role_required
from tracker.web.campaign_rows import plan_options, recipient_rows
from tracker.web.db import get_session
from tracker.web.fragments import revision_cache
from tracker.web.i18n import current_language

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")
SORTS = {
    "order": lambda row: row.recipient.position,
    "name": lambda row: row.recipient.official.sort_key,
    "status": lambda row: (row.info.status, row.recipient.position),
    "waiting": lambda row: -(row.info.days_waiting or -1),
}


@bp.get("/")
def index() -> ResponseReturnValue:
    """Every campaign, newest letter first; archived ones on request."""
    show_archived = request.args.get("archived") == "1"
    page = campaign_reads.campaign_list_page(
        get_session(),
        show_archived=show_archived,
        number=request.args.get("page", 1, type=int) or 1,
    )
    summaries = campaign_reads.campaign_summaries(
        get_session(), [c.id for c in page.items], clock.today()
    )
    return render_template(
        "campaigns/index.html",
        page=page,
        summaries=summaries,
        show_archived=show_archived,
    )


@bp.get("/<int:campaign_id>")
def detail(campaign_id: int) -> ResponseReturnValue:
    """A letter: its signatories, and every recipient's status with filters and sorting."""
    campaign = campaign_or_404(campaign_id)
    wanted = request.args.get("status", "")
    sort = request.args.get("sort", "order")
    coordinator = current_user.has_role(UserRole.COORDINATOR)
    drawn = _drawn_rows(campaign, wanted, sort, coordinator)
    entries = campaign_reads.latest_entries(get_session(), campaign.id)
    written = languages_written(campaign)
    bulk = BulkSentForm(
        data={
            "sent_on": clock.today(),  # ticking and sending happen on the same day
            "submission_key": secrets.token_hex(16),
        }
    )
    return render_template(
        "campaigns/detail.html",
        campaign=campaign,
        drawn=drawn,
        all_count=drawn.all_count,
        counts=drawn.counts,
        wanted=wanted,
        sort=sort,
        bulk=bulk,
        statuses=list(RecipientStatus),
        signatory_form=SignatoryForm(prefix="sig") if coordinator else None,
        signatory_list=signatory_list_form(campaign) if coordinator else None,
        paste_form=PastedSignatoriesForm(prefix="paste") if coordinator else None,
        by_role=by_role_form(campaign.letter_on) if coordinator else None,
        by_role_fields=BY_ROLE_FIELDS,
        by_name=RecipientByNameForm(prefix="byname") if coordinator else None,
        search=recipient_search(campaign, request.args.get("q", "")) if coordinator else None,
        language_form=RecipientLanguageForm(prefix="lang") if coordinator else None,
        follow_up_form=_follow_up_form() if coordinator else None,
        signed_by=sum(s.kind is SignatoryKind.ORGANISATION for s in campaign.signatories),
        entries=entries,
        entry_mail=messages_for_interactions(get_session(), [i.id for i in entries]),
        to_classify=to_classify(get_session(), campaign.id),
        reply_classes=list(ReplyClass),
        action=ActionForm(),
        versions=[campaign_text(campaign, language) for language in written],
        missing=[language for language in LANGUAGES if written and language not in written],
    )


@dataclass(frozen=True)
class DrawnRows:
    """The recipient list as the page draws it, the same for everyone who asks with the same
    key (see _drawn_rows): no form token, nothing of anyone's session."""

    rows_html: Markup
    plan_html: Markup  # the "Plan a follow-up" list's options (coordinators)
    shown: int
    all_count: int
    counts: dict[RecipientStatus, int]


def _drawn_rows(campaign: Campaign, wanted: str, sort: str, coordinator: bool) -> DrawnRows:
    """The rows, from the process's cache when nothing they show has changed: the key holds
    the campaign's revision (read with the campaign on this request; every write to what a
    row shows changes it, models/revisions.py), and all else the rows depend on: the page's
    language and address, who asks (coordinators get more links), the filter and sort, the
    row picked for a plan, and today (days waiting)."""
    today = clock.today()
    chosen = request.args.get("plan", "") if coordinator else ""
    key = (
        campaign.id,
        campaign.revision,
        str(language_key()),
        request.script_root,
        coordinator,
        wanted,
        sort,
        chosen,
        today,
    )
    return revision_cache(current_app, "campaign rows").get(
        key, lambda: _draw_rows(campaign, wanted, sort, coordinator, chosen, today)
    )


def _draw_rows(
    campaign: Campaign, wanted: str, sort: str, coordinator: bool, chosen: str, today: dt.date
) -> DrawnRows:
    db = get_session()
    rows = campaign_reads.campaign_rows(db, campaign.id, today)
    # One pass over the rows (a sum per status walked the 450 rows seven times).
    tally = Counter([r.info.status for r in rows])
    shown = [r for r in rows if not wanted or r.info.status.slug == wanted]
    shown.sort(key=SORTS.get(sort, SORTS["order"]))
    said_of = outcome_reads.by_recipient(db, campaign)
    mail_of = latest_mail_by_recipient(db, campaign.id)
    return DrawnRows(
        rows_html=recipient_rows(shown, campaign.id, coordinator, said_of, mail_of),
        plan_html=plan_options(shown, chosen) if coordinator else Markup(""),
        shown=len(shown),
        all_count=len(rows),
        counts={status: tally[status] for status in RecipientStatus},
    )


def _follow_up_form() -> FollowUpForm:
    form = FollowUpForm(prefix="fu", data={"due_on": clock.today() + dt.timedelta(days=7)})
    choices, more = assignee_choices(get_session(), (current_user.id, current_user.name))
    form.assignee_id.choices = [SelectChoice(str(uid), name) for uid, name in choices]
    if not more:
        del form.assignee_email
    return form


def _campaign_values(form: CampaignForm) -> dict[str, Any]:
    return {name: getattr(form, name).data for name in CAMPAIGN_FIELDS}


def _attach(campaign: Campaign, form: CampaignForm) -> None:
    upload = form.attachment.data
    if upload and getattr(upload, "filename", ""):
        campaign.attachment_path = attachments.store_pdf(upload.read())
        campaign.attachment_name = upload.filename[-200:]


@bp.route("/new", methods=["GET", "POST"])
@role_required(UserRole.COORDINATOR)
def new() -> ResponseReturnValue:
    """Start a campaign for a new letter."""
    form = CampaignForm(data={"default_language": current_language()})
    if form.validate_on_submit():
        db = get_session()
        try:
            campaign = create_campaign(db, _campaign_values(form), actor=current_user)
            _attach(campaign, form)
        except OperationError as error:
            db.rollback()
            form.show_error(error)
        else:
            db.commit()
            flash(
                _("Campaign “%(title)s” created. Now add its recipients.", title=campaign.title),
                "success",
            )
            return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
    return render_template("campaigns/form.html", form=form, campaign=None)


@bp.route("/<int:campaign_id>/edit", methods=["GET", "POST"])
@role_required(UserRole.COORDINATOR)
def edit(campaign_id: int) -> ResponseReturnValue:
    """Edit a campaign; a stale form gets a conflict page instead of overwriting."""
    campaign = campaign_or_404(campaign_id)
    form = CampaignForm(
        obj=campaign, data={"version": campaign.version, "status": campaign.status.value}
    )
    if request.method == "GET" and not has_text(campaign, "en") and campaign.title_fr:
        form.title.data = ""  # a French-only campaign's listed name is its French title
    if form.validate_on_submit():
        db = get_session()
        try:
            update_campaign(
                db,
                campaign,
                _campaign_values(form),
                version=as_id(form.version.data) or 0,
                actor=current_user,
            )
            _attach(campaign, form)
        except ConflictError as conflict:
            db.rollback()
            form.version.data = campaign.version
            return render_template(
                "campaigns/conflict.html", form=form, campaign=campaign, current=conflict.current
            ), 409
        except OperationError as error:
            db.rollback()
            form.show_error(error)
        else:
            db.commit()
            flash(_("Campaign saved."), "success")
            return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
    return render_template("campaigns/form.html", form=form, campaign=campaign)


@bp.get("/<int:campaign_id>/attachment")
def attachment(campaign_id: int) -> ResponseReturnValue:
    """Download the letter's PDF."""
    campaign = campaign_or_404(campaign_id)
    path = attachments.path_of(campaign.attachment_path or "")
    if path is None:
        abort(404)
    return send_file(
        path,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=campaign.attachment_name or "letter.pdf",
    )
