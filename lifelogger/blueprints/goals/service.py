"""Goals: a target per label, and progress in the user's current day and week."""
from __future__ import annotations

from flask_smorest import abort
from sqlalchemy import select

from lifelogger.core import days
from lifelogger.core import timeutil
from lifelogger.blueprints.labels.service import get_label
from lifelogger.blueprints.stats.service import seconds_per_label
from lifelogger.db import db
from lifelogger.db.models import Goal, Label, User


def list_goals(user: User) -> list[Goal]:
    """The user's goals, by label name."""
    query = select(Goal).join(Label, Label.id == Goal.label_id).where(Goal.user_id == user.id).order_by(*Label.in_order())
    return list(db.session.scalars(query))


def get_goal(user: User, label_name: str) -> Goal:
    """The goal of the user's label; 404 if the label or its goal does not exist."""
    label = get_label(user, label_name)
    goal = db.session.scalar(select(Goal).where(Goal.label_id == label.id))
    if goal is None:
        abort(404, message=f"Label '{label.name}' has no goal.")
    return goal


def set_goal(user: User, label_name: str, kind: str, minutes: int, period: str) -> Goal:
    """Create or replace the goal of one of the user's labels."""
    label = get_label(user, label_name)
    goal = db.session.scalar(select(Goal).where(Goal.label_id == label.id))
    if goal is None:
        goal = Goal(user_id=user.id, label_ref=label)
        db.session.add(goal)
    goal.kind, goal.minutes, goal.period = kind, minutes, period
    db.session.commit()
    return goal


def delete_goal(user: User, label_name: str) -> None:
    db.session.delete(get_goal(user, label_name))
    db.session.commit()


def progress(user: User) -> list[dict]:
    """Each goal with the minutes logged in the current day or week of the user's zone.

    Two aggregate queries (today, this week), the running event counted up to now.
    """
    goals = list_goals(user)
    if not goals:
        return []
    zone = days.zone_named(user.timezone)
    now = timeutil.now()
    periods = {
        "day": days.current_day(now, zone, user.day_starts_at),
        "week": days.current_week(now, zone, user.day_starts_at),
    }
    needed = {goal.period for goal in goals}
    logged = {period: seconds_per_label(user, *periods[period]) for period in needed}
    result = []
    for goal in goals:
        done = logged[goal.period].get(goal.label, 0) / 60
        met = done >= goal.minutes if goal.kind == "at_least" else done <= goal.minutes
        start, end = periods[goal.period]
        result.append(
            {
                "label": goal.label,
                "kind": goal.kind,
                "minutes": goal.minutes,
                "period": goal.period,
                "done_minutes": round(done, 2),
                "met": met,
                "period_start": start,
                "period_end": end,
            }
        )
    return result
