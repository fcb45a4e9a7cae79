"""A campaign's recipients: added by role or by name, addressed, removed, marked as sent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import Session
from wtforms import SelectChoice

from tracker import clock
from tracker.errors import OperationError
from tracker.forms.campaigns import (
    BY_ROLE_CHOICES,
    BulkSentForm,
    RecipientByNameForm,
    RecipientEditForm,
    RecipientLanguageForm,
    RecipientsByRoleForm,
    RecipientsPickForm,
)
from tracker.models import Campaign, Channel, Official, Role, UserRole
from tracker.models.base import as_id
from tracker.operations.campaigns import (
    RoleSelection,
    add_recipients,
    current_role,
    existing_recipients,
    officials_by_role,
    planned_recipients,
    remove_recipient,
    update_recipient,
)
from tracker.operations.interactions import bulk_mark_sent
from tracker.operations.recipients import kept_line_warning, set_language
from tracker.queries import campaigns as campaign_reads
from tracker.queries import officials as official_reads
from tracker.queries.coverage import SELECTION_CATEGORIES, coverage, role_counts
from tracker.rules.places import province_name
from tracker.views.loading import campaign_or_404, recipient_or_404
from tracker.web.access import role_required
from tracker.web.db import get_session
from tracker.web.i18n import current_language
from tracker.web.templating import organisation_name

bp = Blueprint("recipients", __name__, url_prefix="/campaigns")
MAX_TICKED = 500  # more ids than anyone ticks in one go: the rest are ignored


@dataclass(frozen=True)
class Found:
    """One search result: the official, the role they hold today, and whether the campaign is
    addressed to them already."""

    official: Official
    role: Role | None
    already: bool


@dataclass(frozen=True)
class RecipientSearch:
    """The add-recipients search as a page shows it: what was typed, what it found."""

    q: str
    found: list[Found]
    more: bool  # more matched than are shown
    form: RecipientsPickForm
    back: str  # "campaign" or "page": where adding returns to


def recipient_search(campaign: Campaign, text: str, back: str = "campaign") -> RecipientSearch:
    """Officials matching ``text`` (names, riding, role, party; accents, case, hyphens and word
    order ignored), each with the role they hold today."""
    db = get_session()
    q = text.strip()[:100]
    matches = official_reads.find_recipients(db, q) if q else []
    existing = existing_recipients(db, campaign) if matches else set()
    today = clock.today()
    found = [
        Found(o, current_role(o, today), o.id in existing)
        for o in matches[: official_reads.SEARCH_RESULTS]
    ]
    more = len(matches) > official_reads.SEARCH_RESULTS
    return RecipientSearch(q, found, more, RecipientsPickForm(prefix="pick"), back)


def _added_message(added: int, skipped: int) -> str:
    if skipped:
        return str(
            ngettext(
                "Added %(num)d recipient (%(skipped)d already on the list).",
                "Added %(num)d recipients (%(skipped)d already on the list).",
                added,
                skipped=skipped,
            )
        )
    return str(ngettext("Added %(num)d recipient.", "Added %(num)d recipients.", added))


def by_role_form(on: dt.date | None = None) -> RecipientsByRoleForm:
    """The add-by-role form, its menus filled from the directory as of ``on``."""
    db = get_session()
    form = RecipientsByRoleForm(prefix="byrole")
    facets = official_reads.facet_values(db)
    names = official_reads.party_labels(db, current_language())
    form.committee.choices = [
        SelectChoice("", _("Choose a committee")),
        *(
            SelectChoice(
                str(c.id),
                f"{c.acronym} · {organisation_name(c)}" if c.acronym else organisation_name(c),
            )
            for c in official_reads.committees(db)
        ),
    ]
    form.minister.choices = [
        SelectChoice("", _("Any minister: all parliamentary secretaries")),
        *(
            SelectChoice(title, f"{title} ({name})")
            for title, name in official_reads.current_ministers(db, on or clock.today())
        ),
    ]
    known = role_counts(db)
    form.selection.choices = [
        SelectChoice(
            choice.value,
            _(
                "%(choice)s · %(num)s known now",
                choice=choice.label,
                num=format_decimal(
                    sum(known.get(c, 0) for c in SELECTION_CATEGORIES[choice.value])
                ),
            ),
        )
        for choice in BY_ROLE_CHOICES
    ]
    form.party.choices = [
        SelectChoice("", _("Choose a party")),
        *(SelectChoice(p, names.get(p, p)) for p in facets["parties"]),
    ]
    form.province.choices = [
        SelectChoice("", _("Choose a province or territory")),
        *(SelectChoice(p, province_name(p, current_language())) for p in facets["provinces"]),
    ]
    return form


def _why_none(db: Session, selection: str) -> list[str]:
    """For a choice that finds no one: why, per category the directory has nobody in."""
    wanted = SELECTION_CATEGORIES.get(selection, ())
    return [
        _("%(label)s: %(value)s", label=line.label, value=line.why_none)
        for line in coverage(db)
        if line.category in wanted and line.why_none
    ]


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
    """Preview every official holding a kind of role on the letter's date, each ticked, then
    add the ticked. When nobody held it then, the preview says so and offers today's holders."""
    campaign = campaign_or_404(campaign_id)
    today = clock.today()
    on = campaign.letter_on or today
    form = by_role_form(on)
    db = get_session()
    try:
        if not form.validate_on_submit():
            raise OperationError(_("Choose which officials to add."))
        held_on = today if request.form.get("holders") == "today" else on
        chosen = list(officials_by_role(db, _selection(form), held_on))
        if not chosen and held_on != today:
            held_on, chosen = today, list(officials_by_role(db, _selection(form), today))
        language, post_nominals = form.language.data or None, bool(form.post_nominals.data)
        if not form.submit.data:
            return _by_role_preview(campaign, form, chosen, on, held_on)
        if "ticks" in request.form:  # the preview's tick boxes: only the ticked are added
            ticked = {i for i in map(as_id, request.form.getlist("official")) if i}
            chosen = [pair for pair in chosen if pair[0].id in ticked]
            if not chosen:
                raise OperationError(_("Tick the people to add."))
        added, skipped = add_recipients(
            db, campaign, chosen, language=language, post_nominals=post_nominals, actor=current_user
        )
    except OperationError as error:
        flash(error.message, "error")
    else:
        db.commit()
        flash(_added_message(len(added), skipped), "success")
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id))


def _by_role_preview(
    campaign: Campaign,
    form: RecipientsByRoleForm,
    chosen: list[tuple[Official, Role]],
    on: dt.date,
    held_on: dt.date,
) -> ResponseReturnValue:
    db = get_session()
    lines = planned_recipients(
        campaign,
        chosen,
        existing_recipients(db, campaign),
        language=form.language.data or None,
        post_nominals=bool(form.post_nominals.data),
    )
    return render_template(
        "campaigns/by_role_preview.html",
        campaign=campaign,
        form=form,
        lines=lines,
        on=on,
        held_on=held_on,
        why_none=_why_none(db, form.selection.data or ""),
    )


@bp.post("/<int:campaign_id>/recipients")
@role_required(UserRole.COORDINATOR)
def add_by_name(campaign_id: int) -> ResponseReturnValue:
    """Add one official found by search."""
    campaign = campaign_or_404(campaign_id)
    form = RecipientByNameForm(prefix="byname")
    db = get_session()
    official = (
        official_reads.official_with_roles(db, official_id)
        if form.validate_on_submit() and (official_id := as_id(form.official_id.data))
        else None
    )
    if official is None:
        flash(_("Choose an official to add."), "error")
    else:
        role = current_role(official, campaign.letter_on or clock.today())
        added, _skipped = add_recipients(
            db,
            campaign,
            [(official, role)],
            language=form.language.data or None,
            actor=current_user,
        )
        db.commit()
        flash(
            _("Added %(full_name)s.", full_name=official.full_name)
            if added
            else _("%(full_name)s is already a recipient.", full_name=official.full_name),
            "success" if added else "info",
        )
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id))


@bp.get("/<int:campaign_id>/recipients/add")
@role_required(UserRole.COORDINATOR)
def add_page(campaign_id: int) -> ResponseReturnValue:
    """Adding recipients on a page of its own (a phone's): search, tick, add."""
    campaign = campaign_or_404(campaign_id)
    search = recipient_search(campaign, request.args.get("q", ""), "page")
    return render_template("campaigns/add_recipients.html", campaign=campaign, search=search)


@bp.get("/<int:campaign_id>/recipients/search")
@role_required(UserRole.COORDINATOR)
def search_results(campaign_id: int) -> ResponseReturnValue:
    """The search results alone, for the page's script to show as a person types (asked with
    its header); opened in a browser, the page of its own with the same search."""
    campaign = campaign_or_404(campaign_id)
    if request.headers.get("X-Requested-With") != "fetch":
        return redirect(url_for(".add_page", campaign_id=campaign.id, q=request.args.get("q")))
    search = recipient_search(campaign, request.args.get("q", ""))
    return render_template("campaigns/_recipient_results.html", campaign=campaign, search=search)


@bp.post("/<int:campaign_id>/recipients/add")
@role_required(UserRole.COORDINATOR)
def add_ticked(campaign_id: int) -> ResponseReturnValue:
    """Add every official ticked in the search results, in the order ticked, with the role each
    held on the letter's date; back to the same search, where the page was."""
    campaign = campaign_or_404(campaign_id)
    form = RecipientsPickForm(prefix="pick")
    ids = list(dict.fromkeys(i for i in map(as_id, request.form.getlist("official")) if i))
    db = get_session()
    officials = official_reads.officials_with_roles(db, ids[:MAX_TICKED])
    if not form.validate_on_submit() or not officials:
        flash(_("Tick the people to add."), "error")
    else:
        on = campaign.letter_on or clock.today()
        added, skipped = add_recipients(
            db,
            campaign,
            [(official, current_role(official, on)) for official in officials],
            language=form.language.data or None,
            actor=current_user,
        )
        db.commit()
        flash(_added_message(len(added), skipped), "success")
    back = "recipients.add_page" if request.form.get("back") == "page" else "campaigns.detail"
    q = request.form.get("q", "").strip()[:100]
    return redirect(url_for(back, campaign_id=campaign.id, q=q or None, _anchor="add-recipients"))


@bp.get("/<int:campaign_id>/recipients/find")
@role_required(UserRole.COORDINATOR)
def find_official(campaign_id: int) -> ResponseReturnValue:
    """Search officials to add one as a recipient, in a chosen letter language (the same search
    as the add-recipients section, each with the role held today)."""
    campaign = campaign_or_404(campaign_id)
    search = recipient_search(campaign, request.args.get("q", ""))
    return render_template(
        "campaigns/find.html",
        campaign=campaign,
        q=search.q,
        search=search,
        form=RecipientByNameForm(prefix="byname"),
    )


@bp.route("/<int:campaign_id>/recipients/<int:recipient_id>", methods=["GET", "POST"])
@role_required(UserRole.COORDINATOR)
def edit_recipient(campaign_id: int, recipient_id: int) -> ResponseReturnValue:
    """Correct how the letter addressed one recipient."""
    campaign = campaign_or_404(campaign_id)
    recipient = recipient_or_404(campaign, recipient_id)
    form = RecipientEditForm(obj=recipient)
    if form.validate_on_submit():
        db = get_session()
        untranslated = update_recipient(
            db,
            recipient,
            addressed_as=form.addressed_as.data or "",
            salutation_text=form.salutation.data or "",
            actor=current_user,
            email_override=form.email_override.data,
            language=form.language.data,
        )
        db.commit()
        flash(_("Saved."), "success")
        if untranslated:
            flash(kept_line_warning(recipient, untranslated), "warning")
        return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
    return render_template(
        "campaigns/recipient.html", campaign=campaign, recipient=recipient, form=form
    )


@bp.post("/<int:campaign_id>/recipients/<int:recipient_id>/delete")
@role_required(UserRole.COORDINATOR)
def delete_recipient(campaign_id: int, recipient_id: int) -> ResponseReturnValue:
    """Take a recipient off the campaign, while nothing is recorded for them."""
    campaign = campaign_or_404(campaign_id)
    recipient = recipient_or_404(campaign, recipient_id)
    db = get_session()
    try:
        remove_recipient(db, recipient, actor=current_user)
    except OperationError as error:
        flash(error.message, "error")
    else:
        db.commit()
        flash(_("Recipient removed."), "success")
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id))


@bp.post("/<int:campaign_id>/sent")
def mark_sent(campaign_id: int) -> ResponseReturnValue:
    """Record one send for every selected recipient, with one date and channel."""
    campaign = campaign_or_404(campaign_id)
    form = BulkSentForm()
    ids = {i for i in map(as_id, request.form.getlist("recipient")) if i}
    db = get_session()
    chosen = campaign_reads.recipients_among(db, campaign.id, ids)
    if not form.validate_on_submit() or not chosen:
        flash(_("Tick the recipients to mark, and give the date."), "error")
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
        flash(
            ngettext(
                "Marked %(num)d recipient as sent.", "Marked %(num)d recipients as sent.", created
            ),
            "success",
        )
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id))


@bp.post("/<int:campaign_id>/recipients/language")
@role_required(UserRole.COORDINATOR)
def change_language(campaign_id: int) -> ResponseReturnValue:
    """Write the ticked recipients' letters, address lines and salutations in one language."""
    campaign = campaign_or_404(campaign_id)
    form = RecipientLanguageForm(prefix="lang")
    ids = {i for i in map(as_id, request.form.getlist("recipient")) if i}
    db = get_session()
    chosen = campaign_reads.recipients_among(db, campaign.id, ids)
    back = "letters.index" if request.form.get("back") == "letters" else "campaigns.detail"
    if not form.validate_on_submit() or not chosen:
        flash(_("Tick the recipients whose letter language to change."), "error")
    else:
        change = set_language(db, list(chosen), form.language.data or "", actor=current_user)
        db.commit()
        flash(
            ngettext(
                "%(num)d letter is now in that language.",
                "%(num)d letters are now in that language.",
                change.changed,
            ),
            "success",
        )
        for recipient, untranslated in change.kept:
            flash(kept_line_warning(recipient, untranslated), "warning")
    return redirect(url_for(back, campaign_id=campaign.id))
