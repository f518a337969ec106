"""``/calendar.ics`` and ``/feeds/<token>/calendar.ics``: your events in a calendar app."""
from flask import Response, request, stream_with_context
from flask.views import MethodView

from lifelogger.api.auth import current_user, feed_token_required, login_required
from lifelogger.api.blueprint import Blueprint
from lifelogger.blueprints.calendar import service
from lifelogger.blueprints.calendar.schemas import CalendarQuerySchema

blp = Blueprint(
    "calendar",
    __name__,
    url_prefix="",
    description="Your events as an iCalendar (RFC 5545) feed, for calendar apps.",
)

_ICS_200 = {
    "200": {
        "description": "An iCalendar (RFC 5545) calendar: one VEVENT per event overlapping the range, the label as "
        "SUMMARY, the note as DESCRIPTION, times in UTC, UID `event-<id>@<host>` (stable across fetches).",
        "content": {"text/calendar": {"schema": {"type": "string"}}},
    }
}


def _calendar_response(query) -> Response:
    chunks = service.calendar_chunks(current_user(), request.host, **query)
    response = Response(stream_with_context(chunks), content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = 'inline; filename="lifelogger.ics"'
    return response


@blp.route("/calendar.ics")
class Calendar(MethodView):
    @login_required
    @blp.arguments(CalendarQuerySchema, location="query")
    @blp.doc(operationId="getCalendar", responses=_ICS_200)
    def get(self, query):
        """Your events as an iCalendar file

        Events overlapping `[start, end)`; without a range, the last 90 days up to
        now, the running event included (ending at the time of the request).
        For a calendar app, which cannot send a header, use a feed URL instead.
        """
        return _calendar_response(query)


@blp.route(
    "/feeds/<token>/calendar.ics",
    parameters=[
        {
            "in": "path",
            "name": "token",
            "required": True,
            "schema": {"type": "string"},
            "description": "A personal access token of the `calendar` scope (POST /tokens). It opens this feed "
            "only; revoke it (DELETE /tokens/{token_id}) to close the feed.",
        }
    ],
)
class CalendarFeed(MethodView):
    @feed_token_required
    @blp.arguments(CalendarQuerySchema, location="query")
    @blp.doc(operationId="getCalendarFeed", responses=_ICS_200)
    def get(self, query):
        """Your events as a calendar feed URL (for calendar apps)

        The same calendar as `GET /calendar.ics`, authenticated by the
        `calendar`-scope token in the path instead of a header: subscribe to
        this URL in a calendar app. Read-only; an unknown, revoked or expired
        token, or one of another scope, is 404.
        """
        return _calendar_response(query)
