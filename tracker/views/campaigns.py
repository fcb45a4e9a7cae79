"""Campaigns: the list, each letter's page with its recipients' progress, and editing."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from tracker.forms import (
    BulkSentForm,
    CampaignForm,
    FollowUpForm,
    RecipientByNameForm,
    RecipientEditForm,
    RecipientsByRoleForm,
    SignatoryForm,
)
from tracker.models import (
    Campaign,
    CampaignStatus,
    Channel,
    Official,
    Recipient,
    Signatory,
    SignatoryKind,
    User,
    UserRole,
)
from tracker.operations import OperationError
from tracker.operations.campaigns import (
    CAMPAIGN_FIELDS,
    RoleSelection,
    add_recipients,
    add_signatory,
    create_campaign,
    current_role,
    officials_by_role,
    remove_recipient,
    remove_signatory,
    update_campaign,
    update_recipient,
)
from tracker.operations.interactions import bulk_mark_sent
from tracker.operations.officials import ConflictError
from tracker.queries import campaigns as campaign_reads
from tracker.queries import officials as official_reads
from tracker.queries import pagination
from tracker.rules.status import RecipientStatus
from tracker.web import attachments
from tracker.web.access import role_required
from tracker.web.db import get_session

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")
SORTS = {
    "order": lambda row: row.recipient.position,
    "name": lambda row: (row.recipient.official.family_name, row.recipient.official.given_name),
    "status": lambda row: (row.info.status, row.recipient.position),
    "waiting": lambda row: -(row.info.days_waiting or -1),
}


def _campaign_or_404(campaign_id: int) -> Campaign:
    campaign = get_session().scalar(
        select(Campaign)
        .where(Campaign.id == campaign_id)
        .options(selectinload(Campaign.signatories), selectinload(Campaign.owner))
    )
    if campaign is None:
        abort(404)
    return campaign


def _recipient_or_404(campaign: Campaign, recipient_id: int) -> Recipient:
    recipient = get_session().get(Recipient, recipient_id)
    if recipient is None or recipient.campaign_id != campaign.id:
        abort(404)
    return recipient


@bp.get("/")
def index() -> ResponseReturnValue:
    """Every campaign, newest letter first; archived ones on request."""
    show_archived = request.args.get("archived") == "1"
    query = select(Campaign).order_by(Campaign.letter_on.desc().nulls_last(), Campaign.id.desc())
    if not show_archived:
        query = query.where(Campaign.status != CampaignStatus.ARCHIVED)
    page = pagination.paginate(get_session(), query, request.args.get("page", 1, type=int) or 1)
    summaries = campaign_reads.campaign_summaries(
        get_session(), [c.id for c in page.items], _today()
    )
    return render_template(
        "campaigns/index.html",
        page=page,
        summaries=summaries,
        show_archived=show_archived,
    )


def _today() -> dt.date:
    return dt.date.today()


def _by_role_form() -> RecipientsByRoleForm:
    db = get_session()
    form = RecipientsByRoleForm(prefix="byrole")
    facets = official_reads.facet_values(db)
    form.committee.choices = [
        SelectChoice(str(c.id), f"{c.acronym} · {c.name}" if c.acronym else c.name)
        for c in official_reads.committees(db)
    ]
    form.party.choices = list(map(SelectChoice, facets["parties"]))
    form.province.choices = list(map(SelectChoice, facets["provinces"]))
    return form


@bp.get("/<int:campaign_id>")
def detail(campaign_id: int) -> ResponseReturnValue:
    """A letter: its signatories, and every recipient's status with filters and sorting."""
    campaign = _campaign_or_404(campaign_id)
    rows = campaign_reads.campaign_rows(get_session(), campaign.id, _today())
    counts = {status: sum(r.info.status is status for r in rows) for status in RecipientStatus}
    wanted = request.args.get("status", "")
    shown = [r for r in rows if not wanted or r.info.status.slug == wanted]
    sort = request.args.get("sort", "order")
    shown.sort(key=SORTS.get(sort, SORTS["order"]))
    coordinator = current_user.has_role(UserRole.COORDINATOR)
    bulk = BulkSentForm(
        data={"sent_on": campaign.letter_on or _today(), "submission_key": secrets.token_hex(16)}
    )
    return render_template(
        "campaigns/detail.html",
        campaign=campaign,
        rows=shown,
        all_count=len(rows),
        counts=counts,
        wanted=wanted,
        sort=sort,
        bulk=bulk,
        statuses=list(RecipientStatus),
        signatory_form=SignatoryForm(prefix="sig") if coordinator else None,
        by_role=_by_role_form() if coordinator else None,
        by_name=RecipientByNameForm(prefix="byname") if coordinator else None,
        follow_up_form=_follow_up_form() if coordinator else None,
        signed_by=sum(s.kind is SignatoryKind.ORGANISATION for s in campaign.signatories),
    )


def _follow_up_form() -> FollowUpForm:
    form = FollowUpForm(prefix="fu", data={"due_on": _today() + dt.timedelta(days=7)})
    users = get_session().execute(
        select(User.id, User.name).where(User.is_active.is_(True)).order_by(User.name)
    )
    form.assignee_id.choices = [SelectChoice(str(uid), name) for uid, name in users]
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
    form = CampaignForm()
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
            flash(f"Campaign “{campaign.title}” created. Now add its recipients.", "success")
            return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
    return render_template("campaigns/form.html", form=form, campaign=None)


@bp.route("/<int:campaign_id>/edit", methods=["GET", "POST"])
@role_required(UserRole.COORDINATOR)
def edit(campaign_id: int) -> ResponseReturnValue:
    """Edit a campaign; a stale form gets a conflict page instead of overwriting."""
    campaign = _campaign_or_404(campaign_id)
    form = CampaignForm(
        obj=campaign, data={"version": campaign.version, "status": campaign.status.value}
    )
    if form.validate_on_submit():
        db = get_session()
        try:
            update_campaign(
                db,
                campaign,
                _campaign_values(form),
                version=int(form.version.data or 0),
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
            flash("Campaign saved.", "success")
            return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
    return render_template("campaigns/form.html", form=form, campaign=campaign)


@bp.get("/<int:campaign_id>/attachment")
def attachment(campaign_id: int) -> ResponseReturnValue:
    """Download the letter's PDF."""
    campaign = _campaign_or_404(campaign_id)
    path = attachments.path_of(campaign.attachment_path or "")
    if path is None:
        abort(404)
    return send_file(
        path,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=campaign.attachment_name or "letter.pdf",
    )


@bp.post("/<int:campaign_id>/signatories")
@role_required(UserRole.COORDINATOR)
def add_signatory_view(campaign_id: int) -> ResponseReturnValue:
    """Add a co-signatory at the end of the list."""
    campaign = _campaign_or_404(campaign_id)
    form = SignatoryForm(prefix="sig")
    if form.validate_on_submit():
        db = get_session()
        add_signatory(
            db,
            campaign,
            name=form.name.data or "",
            kind=SignatoryKind(form.kind.data),
            is_lead=bool(form.is_lead.data),
            note=form.note.data,
            actor=current_user,
        )
        db.commit()
        flash(f"Added {form.name.data} as a signatory.", "success")
    else:
        flash("Give the signatory's name.", "error")
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id, _anchor="signatories"))


@bp.post("/<int:campaign_id>/signatories/<int:signatory_id>/delete")
@role_required(UserRole.COORDINATOR)
def delete_signatory(campaign_id: int, signatory_id: int) -> ResponseReturnValue:
    """Take a signatory off the list."""
    campaign = _campaign_or_404(campaign_id)
    db = get_session()
    signatory = db.get(Signatory, signatory_id)
    if signatory is None or signatory.campaign_id != campaign.id:
        abort(404)
    remove_signatory(db, signatory, actor=current_user)
    db.commit()
    flash(f"Removed {signatory.name}.", "success")
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id, _anchor="signatories"))


def _selection(form: RecipientsByRoleForm) -> RoleSelection:
    kind = form.selection.data or ""
    value = {
        "committee_leads": form.committee.data,
        "committee_members": form.committee.data,
        "parliamentary_secretaries": form.minister.data,
        "party": form.party.data,
        "province": form.province.data,
    }.get(kind, "")
    return RoleSelection(kind, (value or "").strip())


@bp.post("/<int:campaign_id>/recipients/by-role")
@role_required(UserRole.COORDINATOR)
def add_by_role(campaign_id: int) -> ResponseReturnValue:
    """Add every official holding a kind of role on the letter's date, in one step."""
    campaign = _campaign_or_404(campaign_id)
    form = _by_role_form()
    db = get_session()
    try:
        if not form.validate_on_submit():
            raise OperationError("Choose which officials to add.")
        chosen = officials_by_role(db, _selection(form), campaign.letter_on or _today())
        added, skipped = add_recipients(
            db,
            campaign,
            list(chosen),
            language=form.language.data,
            post_nominals=bool(form.post_nominals.data),
            actor=current_user,
        )
    except OperationError as error:
        flash(error.message, "error")
    else:
        db.commit()
        note = f" ({skipped} already on the list)" if skipped else ""
        flash(f"Added {len(added)} recipient{'s' if len(added) != 1 else ''}{note}.", "success")
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id))


@bp.post("/<int:campaign_id>/recipients")
@role_required(UserRole.COORDINATOR)
def add_by_name(campaign_id: int) -> ResponseReturnValue:
    """Add one official found by search."""
    campaign = _campaign_or_404(campaign_id)
    form = RecipientByNameForm(prefix="byname")
    db = get_session()
    official = (
        official_reads.official_with_roles(db, int(form.official_id.data))
        if form.validate_on_submit()
        else None
    )
    if official is None:
        flash("Choose an official to add.", "error")
    else:
        role = current_role(official, campaign.letter_on or _today())
        added, _ = add_recipients(
            db, campaign, [(official, role)], language=form.language.data, actor=current_user
        )
        db.commit()
        flash(
            f"Added {official.full_name}."
            if added
            else f"{official.full_name} is already a recipient.",
            "success" if added else "info",
        )
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id))


@bp.get("/<int:campaign_id>/recipients/find")
@role_required(UserRole.COORDINATOR)
def find_official(campaign_id: int) -> ResponseReturnValue:
    """Search officials by name to add one as a recipient."""
    campaign = _campaign_or_404(campaign_id)
    text = request.args.get("q", "").strip()[:100]
    found: list[Official] = []
    if text:
        flt = official_reads.DirectoryFilter(q=text, status="all")
        found = official_reads.directory_page(get_session(), flt, 1).items[:20]
    return render_template(
        "campaigns/find.html",
        campaign=campaign,
        q=text,
        found=found,
        form=RecipientByNameForm(prefix="byname"),
    )


@bp.route("/<int:campaign_id>/recipients/<int:recipient_id>", methods=["GET", "POST"])
@role_required(UserRole.COORDINATOR)
def edit_recipient(campaign_id: int, recipient_id: int) -> ResponseReturnValue:
    """Correct how the letter addressed one recipient."""
    campaign = _campaign_or_404(campaign_id)
    recipient = _recipient_or_404(campaign, recipient_id)
    form = RecipientEditForm(obj=recipient)
    if form.validate_on_submit():
        db = get_session()
        update_recipient(
            db,
            recipient,
            addressed_as=form.addressed_as.data or "",
            salutation_text=form.salutation.data or "",
            actor=current_user,
        )
        db.commit()
        flash("Saved.", "success")
        return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
    return render_template(
        "campaigns/recipient.html", campaign=campaign, recipient=recipient, form=form
    )


@bp.post("/<int:campaign_id>/recipients/<int:recipient_id>/delete")
@role_required(UserRole.COORDINATOR)
def delete_recipient(campaign_id: int, recipient_id: int) -> ResponseReturnValue:
    """Take a recipient off the campaign, while nothing is recorded for them."""
    campaign = _campaign_or_404(campaign_id)
    recipient = _recipient_or_404(campaign, recipient_id)
    db = get_session()
    try:
        remove_recipient(db, recipient, actor=current_user)
    except OperationError as error:
        flash(error.message, "error")
    else:
        db.commit()
        flash("Recipient removed.", "success")
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id))


@bp.post("/<int:campaign_id>/sent")
def mark_sent(campaign_id: int) -> ResponseReturnValue:
    """Record one send for every selected recipient, with one date and channel."""
    campaign = _campaign_or_404(campaign_id)
    form = BulkSentForm()
    ids = {int(i) for i in request.form.getlist("recipient") if i.isdigit()}
    db = get_session()
    chosen = db.scalars(
        select(Recipient).where(Recipient.campaign_id == campaign.id, Recipient.id.in_(ids))
    ).all()
    if not form.validate_on_submit() or not chosen:
        flash("Tick the recipients to mark, and give the date.", "error")
    else:
        created = bulk_mark_sent(
            db,
            list(chosen),
            sent_on=form.sent_on.data,
            channel=Channel(form.channel.data),
            actor=current_user,
            submission_key=form.submission_key.data or "",
        )
        db.commit()
        flash(f"Marked {created} recipient{'s' if created != 1 else ''} as sent.", "success")
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
