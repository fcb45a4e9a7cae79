"""The officials directory, each official's page, and adding or editing officials by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup
from wtforms import SelectChoice

from importers.errors import FeedError
from importers.officials_csv import COLUMNS, EXAMPLE, ROLE_KINDS, read_rows
from importers.spreadsheet import ENCODINGS, decode
from tracker import clock
from tracker.catalogue import language_key
from tracker.errors import OperationError
from tracker.formats.said import in_reader_language
from tracker.forms.follow_ups import FollowUpForm
from tracker.forms.officials import (
    DirectoryForm,
    FormOfAddressForm,
    NewOfficialForm,
    OfficialForm,
    RoleForm,
)
from tracker.forms.uploads import CsvConfirmForm, OfficialsUploadForm, answers_from
from tracker.models import AddressForm, Official, RoleKind, UserRole
from tracker.models.base import as_id
from tracker.operations.interactions import can_edit
from tracker.operations.officials import (
    EDITABLE_FIELDS,
    ConflictError,
    NewRole,
    add_role_by_hand,
    create_official,
    set_form_of_address,
    update_official,
)
from tracker.operations.officials_sheet import (
    NEW,
    SheetLine,
    SheetResult,
    add_sheet,
    plan_sheet,
)
from tracker.queries import accounts as account_reads
from tracker.queries import campaigns as campaign_reads
from tracker.queries import follow_ups as follow_up_reads
from tracker.queries import officials as official_reads
from tracker.queries.coverage import coverage
from tracker.queries.imports import source_dates
from tracker.queries.inbound import messages_for_interactions
from tracker.queries.outcomes import OUTCOME_LETTERS, official_outcomes
from tracker.queries.pagination import Count
from tracker.rules.address import sworn_in_on
from tracker.rules.person_match import who
from tracker.rules.places import province_name
from tracker.web import uploads
from tracker.web.access import role_required
from tracker.web.db import get_session
from tracker.web.fragments import revision_cache
from tracker.web.i18n import current_language
from tracker.web.templating import organisation_name

bp = Blueprint("officials", __name__, url_prefix="/officials")


def _official_or_404(official_id: int) -> Official:
    official = official_reads.official_with_roles(get_session(), official_id)
    if official is None:
        abort(404)
    return official


def _directory_form() -> DirectoryForm:
    db = get_session()
    form = DirectoryForm(request.args)
    facets = official_reads.facet_values(db)
    names = official_reads.party_labels(db, current_language())
    form.party.choices = [
        SelectChoice("", _("Any party")),
        *(SelectChoice(p, names.get(p, p)) for p in facets["parties"]),
    ]
    form.province.choices = [
        SelectChoice("", _("Anywhere")),
        *(SelectChoice(p, province_name(p, current_language())) for p in facets["provinces"]),
    ]
    form.committee.choices = [SelectChoice("", _("Any committee"))] + [
        SelectChoice(
            str(c.id),
            f"{c.acronym} · {organisation_name(c)}" if c.acronym else organisation_name(c),
        )
        for c in official_reads.committees(db)
    ]
    return form


def _filter_from(form: DirectoryForm) -> official_reads.DirectoryFilter:
    kinds = {k.value for k in RoleKind}
    committee = form.committee.data or ""
    return official_reads.DirectoryFilter(
        q=(form.q.data or "").strip()[:100],
        kind=form.kind.data if form.kind.data in kinds else "",
        party=form.party.data or "",
        province=form.province.data or "",
        committee=as_id(committee),
        status=form.status.data if form.status.data in {"current", "former", "all"} else "current",
    )


@bp.get("/")
def index() -> ResponseReturnValue:
    """Search and filter every official, current and former."""
    form = _directory_form()
    page = official_reads.directory_page(
        get_session(), _filter_from(form), request.args.get("page", 1, type=int) or 1
    )
    return render_template(
        "officials/index.html",
        form=form,
        page=page,
        as_of=source_dates(get_session()),
        coverage=coverage(get_session()),
    )


@bp.get("/<int:official_id>")
def detail(official_id: int) -> ResponseReturnValue:
    """One official: contact details and every role with its dates and source."""
    official = _official_or_404(official_id)
    db = get_session()

    def shown(name: str, limit: int) -> int | None:
        """A list's length on the page: ``limit``, or every entry when the person asked."""
        return None if request.args.get(name) == "all" else limit

    drawn = _drawn_timeline(official, shown("timeline", official_reads.TIMELINE_PAGE))
    follow_ups, open_total = follow_up_reads.official_follow_ups(
        db, official.id, shown("follow_ups", follow_up_reads.OFFICIAL_FOLLOW_UPS_SHOWN)
    )
    letters, letters_total = campaign_reads.letters_received(
        db, official.id, shown("letters", campaign_reads.LETTERS_SHOWN)
    )
    plan_form = None
    if current_user.has_role(UserRole.COORDINATOR):
        plan_form = FollowUpForm(
            prefix="fu",
            data={"official_id": official.id, "due_on": clock.today() + dt.timedelta(7)},
        )
        choices, more = account_reads.assignee_choices(db, (current_user.id, current_user.name))
        plan_form.assignee_id.choices = [SelectChoice(str(uid), name) for uid, name in choices]
        if not more:
            del plan_form.assignee_email
        plan_form.assignee_id.data = str(current_user.id)
    return render_template(
        "officials/detail.html",
        official=official,
        drawn=drawn,
        follow_ups=follow_ups,
        follow_ups_total=open_total,
        letters=letters,
        letters_total=letters_total,
        plan_form=plan_form,
        role_form=RoleForm(prefix="role") if current_user.has_role(UserRole.COORDINATOR) else None,
        address_form=_address_form(official),
        sworn_in_on=sworn_in_on(official),
        said_on_letters=official_outcomes(db, official),
        outcome_letters=OUTCOME_LETTERS,
    )


@dataclass(frozen=True)
class DrawnTimeline:
    """An official's latest entries as the page draws them, and how many there are."""

    html: Markup
    shown: int
    total: Count


def _drawn_timeline(official: Official, limit: int | None) -> DrawnTimeline:
    """The timeline, from the process's cache when nothing it shows has changed: the key holds
    the official's revision (read with the official on this request; models/revisions.py),
    the page's language and address, how many entries are asked for, and whose "correct"
    links it holds (a coordinator's: every entry; a volunteer's: their own)."""
    editor = "coordinator" if current_user.has_role(UserRole.COORDINATOR) else current_user.id
    key = (
        official.id,
        official.revision,
        str(language_key()),
        request.script_root,
        limit,
        editor,
        clock.today(),
    )
    return revision_cache(current_app, "official timeline").get(
        key, lambda: _draw_timeline(official, limit)
    )


def _draw_timeline(official: Official, limit: int | None) -> DrawnTimeline:
    db = get_session()
    timeline, total = official_reads.official_timeline(db, official.id, limit)
    html = render_template(
        "officials/_timeline.html",
        timeline=timeline,
        mail_of=messages_for_interactions(db, [i.id for i in timeline]),
        can_edit=lambda interaction: can_edit(interaction, current_user),
    )
    return DrawnTimeline(Markup(html), len(timeline), total)  # noqa: S704 (a template's output)


def _address_form(official: Official) -> FormOfAddressForm | None:
    if not current_user.has_role(UserRole.COORDINATOR):
        return None
    return FormOfAddressForm(
        prefix="address",
        data={
            "address_form": official.address_form.value if official.address_form else "",
            "privy_council_on": official.privy_council_on,
        },
    )


@bp.post("/<int:official_id>/address")
@role_required(UserRole.COORDINATOR)
def form_of_address(official_id: int) -> ResponseReturnValue:
    """Record how the official is addressed (Madame, Monsieur, neither) and their Privy
    Council date, as a coordinator knows them."""
    official = _official_or_404(official_id)
    form = FormOfAddressForm(prefix="address")
    if not form.validate_on_submit():
        problems = [e for field in form for e in field.errors]
        flash(" ".join(problems) or _("Choose the form of address."), "error")
        return redirect(url_for("officials.detail", official_id=official.id, _anchor="address"))
    db = get_session()
    chosen = AddressForm(form.address_form.data) if form.address_form.data else None
    set_form_of_address(
        db, official, form=chosen, privy_council_on=form.privy_council_on.data, actor=current_user
    )
    db.commit()
    flash(_("Saved the form of address."), "success")
    return redirect(url_for("officials.detail", official_id=official.id, _anchor="address"))


def _form_values(form: OfficialForm) -> dict[str, Any]:
    return {name: getattr(form, name).data for name in EDITABLE_FIELDS}


@bp.route("/new", methods=["GET", "POST"])
@role_required(UserRole.COORDINATOR)
def new() -> ResponseReturnValue:
    """Add an official the feeds do not cover: a diplomat, senator or public servant."""
    form = NewOfficialForm()
    if form.validate_on_submit():
        kind = RoleKind(form.role_kind.data)
        role = NewRole(
            kind=kind,
            title=form.role_title.data or "",
            organisation=form.organisation.data or None,
            start_on=form.role_start_on.data,
        )
        db = get_session()
        try:
            official = create_official(db, _form_values(form), role, actor=current_user)
        except OperationError as error:
            form.show_error(error)
        else:
            db.commit()
            flash(_("Added %(full_name)s.", full_name=official.full_name), "success")
            return redirect(url_for("officials.detail", official_id=official.id))
    return render_template("officials/form.html", form=form, official=None)


@bp.post("/<int:official_id>/roles")
@role_required(UserRole.COORDINATOR)
def add_role(official_id: int) -> ResponseReturnValue:
    """Record a role the feeds do not carry, entered by hand (kept by every import)."""
    official = _official_or_404(official_id)
    form = RoleForm(prefix="role")
    if not form.validate_on_submit():
        problems = [e for field in form for e in field.errors]
        flash(" ".join(problems) or _("Choose the role and its details."), "error")
        return redirect(url_for("officials.detail", official_id=official.id, _anchor="roles"))
    db = get_session()
    role = NewRole(
        kind=RoleKind(form.kind.data),
        title=form.title.data or "",
        start_on=form.start_on.data,
        end_on=form.end_on.data,
        committee_acronym=form.committee.data or None,
    )
    try:
        added = add_role_by_hand(db, official, role, actor=current_user)
    except OperationError as error:
        db.rollback()
        flash(in_reader_language(error.message), "error")
    else:
        db.commit()
        flash(_("Added the role “%(title)s”, entered by hand.", title=added.title), "success")
    return redirect(url_for("officials.detail", official_id=official.id, _anchor="roles"))


@bp.route("/<int:official_id>/edit", methods=["GET", "POST"])
@role_required(UserRole.COORDINATOR)
def edit(official_id: int) -> ResponseReturnValue:
    """Correct an official's details; fields edited here are never overwritten by imports."""
    official = _official_or_404(official_id)
    form = OfficialForm(obj=official, data={"version": official.version})
    if form.validate_on_submit():
        db = get_session()
        try:
            version = as_id(form.version.data) or 0
            changed = update_official(
                db, official, _form_values(form), version=version, actor=current_user
            )
        except ConflictError as conflict:
            form.version.data = official.version  # saving again means "mine wins", knowingly
            return render_template(
                "officials/conflict.html", form=form, official=official, current=conflict.current
            ), 409
        except (OperationError, ValueError) as error:
            form.show_error(
                error
                if isinstance(error, OperationError)
                else OperationError(_("The form is out of date; reload it."))
            )
        else:
            db.commit()
            flash(_("Saved.") if changed else "Nothing to change.", "success")
            return redirect(url_for("officials.detail", official_id=official.id))
    return render_template("officials/form.html", form=form, official=official)


def _planned_lines(data: bytes, encoding: str | None) -> list[SheetLine]:
    return plan_sheet(get_session(), read_rows(data, encoding))


@bp.route("/upload", methods=["GET", "POST"])
@role_required(UserRole.COORDINATOR)
def upload() -> ResponseReturnValue:
    """Upload a spreadsheet of officials and preview every row before anything is written."""
    form = OfficialsUploadForm()
    if form.validate_on_submit():
        data = form.file.data.read()
        try:
            _planned_lines(data, form.encoding.data or None)
        except FeedError as error:
            form.file.errors = [in_reader_language(error.message)]
        else:
            token = uploads.keep(data)
            return redirect(
                url_for(
                    "officials.upload_preview", token=token, encoding=form.encoding.data or None
                )
            )
    return render_template(
        "officials/upload.html", form=form, role_kinds=ROLE_KINDS, columns=COLUMNS
    )


@bp.get("/upload/example.csv")
@role_required(UserRole.COORDINATOR)
def upload_example() -> ResponseReturnValue:
    """An example spreadsheet with every column the upload reads."""
    return Response(
        EXAMPLE,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="officials-example.csv"'},
    )


@bp.get("/upload/<token>")
@role_required(UserRole.COORDINATOR)
def upload_preview(token: str) -> ResponseReturnValue:
    """Every row of a kept upload with its problems and the person it names (or a question),
    read as detected or as chosen."""
    data = uploads.load(token)
    if data is None:
        flash(_("That upload has expired or was already added; upload the file again."), "error")
        return redirect(url_for("officials.upload"))
    encoding = request.args.get("encoding") or None
    try:
        decoded = decode(data, "officials CSV", encoding)
        lines = _planned_lines(data, encoding)
    except FeedError as error:
        flash(in_reader_language(error.message), "error")
        return redirect(url_for("officials.upload_preview", token=token))
    confirm = CsvConfirmForm(data={"token": token, "encoding": encoding or ""})
    return render_template(
        "officials/upload_preview.html",
        lines=lines,
        confirm=confirm,
        good=sum(line.ready for line in lines),
        decoded=decoded,
        encodings=ENCODINGS,
        token=token,
        who=who,
        NEW=NEW,
    )


@bp.post("/upload/confirm")
@role_required(UserRole.COORDINATOR)
def upload_confirm() -> ResponseReturnValue:
    """Add the previewed officials and roles, as answered; rows with problems are left out."""
    form = CsvConfirmForm()
    data = uploads.load(form.token.data or "") if form.validate_on_submit() else None
    if data is None:
        flash(_("That upload has expired or was already added; upload the file again."), "error")
        return redirect(url_for("officials.upload"))
    db = get_session()
    lines = _planned_lines(data, form.encoding.data or None)
    result = add_sheet(db, lines, answers_from(request.form), actor=current_user)
    db.commit()
    uploads.discard(form.token.data or "")
    flash(sheet_summary(result), "success")
    for why in result.skipped[:SKIPS_SHOWN]:
        flash(in_reader_language(why), "warning")
    return redirect(url_for("officials.index", status="all"))


SKIPS_SHOWN = 20


def sheet_summary(result: SheetResult) -> str:
    """ "2 officials added, 3 existing officials given roles, 1 row skipped", in the reader's
    language."""
    parts = [
        ngettext("%(num)d official added", "%(num)d officials added", result.added),
        ngettext(
            "%(num)d existing official given roles",
            "%(num)d existing officials given roles",
            result.given_roles,
        ),
    ]
    if result.skipped:
        parts.append(ngettext("%(num)d row skipped", "%(num)d rows skipped", len(result.skipped)))
    return ", ".join(parts) + "."
