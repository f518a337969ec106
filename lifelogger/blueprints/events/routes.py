"""``/events``: logging and correcting what you did when."""
from flask import request, url_for
from flask.views import MethodView
from lifelogger.api.blueprint import Blueprint
from lifelogger.api.negotiation import documents_csv, csv_response, wants_csv

from lifelogger.api.auth import current_user, login_required
from lifelogger.blueprints.events import service
from lifelogger.blueprints.events.listing import events_response, format_epoch
from lifelogger.blueprints.events.schemas import (
    CurrentEventSchema,
    EventChangesSchema,
    EventListSchema,
    EventSchema,
    NewEventSchema,
    EventQuerySchema,
    StartEventSchema,
    StopEventSchema,
)
from lifelogger.api.idempotency import idempotent

blp = Blueprint("events", __name__, url_prefix="/events", description="Your events: a label, a start, an end.")

EVENTS_CSV_HEADER = ("id", "label", "started_at", "ended_at", "duration_minutes", "note")
EVENTS_CSV_COLUMNS = (
    "A header row, then one row per event: id, label, started_at and ended_at (UTC, ISO 8601; "
    "ended_at empty while running), duration_minutes (a number, empty while running), note."
)
EVENTS_CSV_EXAMPLE = (
    "id,label,started_at,ended_at,duration_minutes,note\r\n"
    "42,Programming,2026-03-24T09:00:00+00:00,2026-03-24T11:30:00+00:00,150.0,Refactored the importer\r\n"
)


def _csv_rows(rows):
    """The listing's rows as CSV cells: instants in UTC ISO 8601, minutes as numbers."""
    for event_id, label, started_at, ended_at, note in rows:
        ended = None if ended_at is None else format_epoch(ended_at)
        minutes = None if ended_at is None else round((ended_at - started_at) / 60, 2)
        yield event_id, label, format_epoch(started_at), ended, minutes, note


@blp.route("")
class Events(MethodView):
    @login_required
    @blp.arguments(EventQuerySchema, location="query")
    @blp.response(200, EventListSchema)
    @blp.doc(operationId="listEvents")
    @documents_csv(blp, EVENTS_CSV_HEADER, EVENTS_CSV_EXAMPLE, EVENTS_CSV_COLUMNS)
    def get(self, query):
        """Events in a time range

        Events whose `started_at` lies in `[start, end)`, oldest first (ties by id);
        with `q`, only those whose note or label contains it (any case).
        Optionally in pages: give `limit`, and the answer adds `next`, a cursor to
        pass back as `cursor` for the following page (null after the last one).
        In CSV (`Accept: text/csv` or `format=csv`): every event of the range,
        streamed; with `limit`, one page, and the next page's URL in a
        `Link: <...>; rel="next"` header (none after the last page).
        """
        as_csv = wants_csv(query.pop("format", None))
        listing = service.list_events(current_user(), **query)
        if not as_csv:
            return events_response(listing)
        headers = {}
        if listing.paged and listing.next is not None:
            # CSV has no room for a "next" field: RFC 8288's Link header carries it.
            following = url_for(request.endpoint, **{**request.args.to_dict(), "cursor": listing.next})
            headers["Link"] = f'<{following}>; rel="next"'
        return csv_response(EVENTS_CSV_HEADER, _csv_rows(listing.rows), "events.csv", headers)

    @login_required
    @idempotent
    @blp.arguments(NewEventSchema)
    @blp.response(201, EventSchema)
    @blp.alt_response(409, description="Overlaps another of your events (the message names it).")
    @blp.doc(operationId="createEvent")
    def post(self, event):
        """Log a finished event by hand

        `ended_at` must be after `started_at`, neither in the future, and the
        event must not overlap another one (the running one included).
        """
        return service.create_event(current_user(), **event)


@blp.route("/start")
class StartEvent(MethodView):
    @login_required
    @idempotent
    @blp.arguments(StartEventSchema)
    @blp.response(201, EventSchema)
    @blp.doc(operationId="startEvent")
    def post(self, start):
        """Start an event now (stopping the running one)

        A running event is stopped at the same instant. Starting again within
        the second the running event started replaces it (a corrected mis-tap).
        An optional past `started_at` (a tap queued offline) must not be in the
        future, before the running event's start, or overlap another event.
        """
        return service.start_event(current_user(), **start)


@blp.route("/stop")
class StopEvent(MethodView):
    @login_required
    @idempotent
    @blp.arguments(StopEventSchema, required=False)  # `curl -X POST .../events/stop` sends no body
    @blp.response(200, EventSchema)
    @blp.alt_response(409, description="Nothing is running.")
    @blp.doc(operationId="stopEvent")
    def post(self, stop):
        """Stop the running event now (or at a past `ended_at`)

        An event stopped within the second it started lasted no time: it is
        discarded and returned with `ended_at` equal to `started_at`.
        """
        return service.stop_event(current_user(), **stop)


@blp.route("/current")
class CurrentEvent(MethodView):
    @login_required
    @blp.response(200, CurrentEventSchema)
    @blp.doc(operationId="getCurrentEvent")
    def get(self):
        """The running event, or null

        `event` is null when nothing runs; `suspect_forgotten` is true when it has run longer than your `forgotten_after_minutes`.
        """
        user = current_user()
        event = service.running_event_for(user)
        return {"event": event, "suspect_forgotten": service.is_suspect_forgotten(user, event)}


@blp.route("/<int:event_id>")
class EventItem(MethodView):
    @login_required
    @blp.response(200, EventSchema)
    @blp.alt_response(404, description="No such event of yours.")
    @blp.doc(operationId="getEvent")
    def get(self, event_id):
        """One event

        Only your own events are found: another user's event id answers 404, as a missing one does.
        """
        return service.get_event(current_user(), event_id)

    @login_required
    @blp.arguments(EventChangesSchema, required=False)  # every field is optional; no body changes nothing
    @blp.response(200, EventSchema)
    @blp.alt_response(404, description="No such event of yours.")
    @blp.alt_response(409, description="The new times overlap another of your events.")
    @blp.doc(operationId="updateEvent")
    def patch(self, changes, event_id):
        """Change an event's label or times

        Setting `ended_at` on the running event stops it; `ended_at` cannot be set to null.
        """
        return service.update_event(current_user(), event_id, changes)

    @login_required
    @blp.response(204)
    @blp.alt_response(404, description="No such event of yours.")
    @blp.doc(operationId="deleteEvent")
    def delete(self, event_id):
        """Delete an event

        The event is gone for good; another user's event id answers 404.
        """
        service.delete_event(current_user(), event_id)
