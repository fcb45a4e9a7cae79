"""Resolving what an import held for review: uncertain matches and hand-edit conflicts."""

from __future__ import annotations

import json

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.clock import utcnow
from tracker.errors import OperationError
from tracker.models import (
    AddressForm,
    AddressFormSource,
    ImportReview,
    Official,
    ReviewKind,
    ReviewStatus,
    User,
)
from tracker.operations import audit
from tracker.operations.reconcile import Reconciler, term_from_json
from tracker.operations.role_titles import build_french_titles

MATCH_KINDS = (ReviewKind.AMBIGUOUS_MATCH, ReviewKind.UNCERTAIN_MATCH)


def _open(review: ImportReview, *kinds: ReviewKind) -> None:
    if review.status is not ReviewStatus.OPEN:
        raise OperationError(_("This item was already resolved."))
    if review.kind not in kinds:
        raise OperationError(_("That answer does not fit this item."))


def _close(session: Session, review: ImportReview, resolution: str, actor: User) -> None:
    review.status = ReviewStatus.RESOLVED
    review.resolution = resolution
    review.resolved_by_id = actor.id
    review.resolved_at = utcnow()
    audit.record(
        session,
        "import_review.resolve",
        actor=actor,
        obj=review,
        after={"resolution": resolution, "message": review.message},
    )


def _apply_held_records(
    session: Session, review: ImportReview, official: Official, actor: User
) -> None:
    """Apply this record, and every other open one for the same PersonId, to ``official``."""
    reconciler = Reconciler(session, utcnow())
    term = term_from_json(review.record)
    reconciler.apply_term(review.source, official, term)
    person_id = term.person.person_id
    if person_id is None:
        build_french_titles(session, [official])
        return
    for other in session.scalars(
        select(ImportReview).where(
            ImportReview.status == ReviewStatus.OPEN,
            ImportReview.kind.in_(MATCH_KINDS),
            ImportReview.id != review.id,
        )
    ):
        other_term = term_from_json(other.record)
        if other_term.person.person_id == person_id:
            reconciler.apply_term(other.source, official, other_term)
            _close(session, other, f"same person as official {official.id}", actor)
    build_french_titles(session, [official])


def resolve_same_person(
    session: Session, review: ImportReview, official_id: int, actor: User
) -> Official:
    """The feed record is this existing official: link them and apply the record."""
    _open(review, *MATCH_KINDS)
    if official_id not in review.candidate_ids:
        raise OperationError(_("Choose one of the officials listed for this item."))
    official = session.get(Official, official_id)
    if official is None:
        raise OperationError(_("That official no longer exists."))
    _apply_held_records(session, review, official, actor)
    _close(session, review, f"same person as official {official.id}", actor)
    return official


def resolve_different_people(session: Session, review: ImportReview, actor: User) -> Official:
    """The feed record is someone new: create an official for them and apply it."""
    _open(review, *MATCH_KINDS)
    term = term_from_json(review.record)
    official = Reconciler(session, utcnow()).create_official(review.source, term.person)
    _apply_held_records(session, review, official, actor)
    _close(session, review, f"a different person: new official {official.id}", actor)
    return official


def resolve_conflict(
    session: Session, review: ImportReview, *, take_feed: bool, actor: User
) -> None:
    """Keep the hand-edited value, or take the feed's and let imports own the field again."""
    _open(review, ReviewKind.FIELD_CONFLICT)
    official = review.official
    if official is None or review.field is None:
        raise OperationError(_("This item no longer points at an official."))
    if take_feed:
        before = {review.field: getattr(official, review.field)}
        value = json.loads(review.feed_value or "null")
        if review.field == "address_form":  # Represent's word, no longer a coordinator's
            value = AddressForm(value)
            official.address_form_source = AddressFormSource.REPRESENT
        setattr(official, review.field, value)
        official.edited_fields = [f for f in official.edited_fields if f != review.field]
        build_french_titles(session, [official])
        audit.record(
            session,
            "official.update",
            actor=actor,
            obj=official,
            before=before,
            after={review.field: getattr(official, review.field)},
        )
    _close(
        session, review, "took the feed's value" if take_feed else "kept the edited value", actor
    )
