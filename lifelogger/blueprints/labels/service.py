"""Label rules: one set per user, names unique regardless of case."""
from __future__ import annotations

from flask import current_app
from flask_smorest import abort
from sqlalchemy import func, select

from lifelogger.db import db
from lifelogger.db.models import Event, Label, User, label_key


def label_names(user: User) -> list[str]:
    """The user's label names, sorted case-insensitively."""
    return list(db.session.scalars(select(Label.name).where(Label.user_id == user.id).order_by(*Label.in_order())))


def find_label(user: User, name: str) -> Label | None:
    """The user's label with this name (any case), or None."""
    return db.session.scalar(select(Label).where(Label.user_id == user.id, Label.name_key == label_key(name)))


def get_label(user: User, name: str) -> Label:
    """The user's label with this name, or 404."""
    label = find_label(user, name)
    if label is None:
        abort(404, message=f"You have no label named '{name}'.")
    return label


def label_count(user: User) -> int:
    """How many labels the user has (flushed ones included)."""
    return db.session.scalar(select(func.count()).select_from(Label).where(Label.user_id == user.id))


def most_labels() -> int:
    """The cap on a user's labels (``LIFELOGGER_MAX_LABELS_PER_USER``): it bounds what one account stores."""
    return current_app.config["MAX_LABELS_PER_USER"]


def create_label(user: User, name: str) -> Label:
    """Add a label to the user's set; 409 if one of that name exists, 422 past the cap.

    The user's row is locked so two concurrent adds cannot both pass the cap.
    (``POST /import`` creates labels too, and checks the same cap.)
    """
    user.lock()
    if find_label(user, name) is not None:
        abort(409, message=f"You already have a label named '{name}' (names ignore case).")
    most = most_labels()
    if label_count(user) >= most:
        message = f"You have {most} labels, the most allowed; delete one you no longer use first."
        abort(422, message=message, errors={"json": {"name": [message]}})
    label = Label(user_id=user.id, name=name)
    db.session.add(label)
    db.session.commit()
    return label


def rename_label(user: User, name: str, new_name: str) -> Label:
    """Rename a label; the user's events follow because they refer to it by id."""
    user.lock()  # one name change at a time, and none while an import writes (its labels by name)
    label = get_label(user, name)
    clash = find_label(user, new_name)
    if clash is not None and clash.id != label.id:
        abort(409, message=f"You already have a label named '{clash.name}'; pick another name.")
    label.name = new_name
    db.session.commit()
    return label


def delete_label(user: User, name: str) -> None:
    """Remove an unused label; 409 with the number of events still using it."""
    user.lock()  # not while an import writes: its events may be about to use this label
    label = get_label(user, name)
    used_by = db.session.scalar(select(func.count()).select_from(Event).where(Event.label_id == label.id))
    if used_by:
        events = "event uses" if used_by == 1 else "events use"
        abort(
            409,
            message=f"Label '{label.name}' cannot be deleted: {used_by} {events} it. "
            "Rename it, or move or delete those events first.",
        )
    db.session.delete(label)
    db.session.commit()
