"""``/stats``: where your time went."""
from flask.views import MethodView
from lifelogger.api.blueprint import Blueprint

from lifelogger.api.auth import current_user, login_required
from lifelogger.api.negotiation import documents_csv, csv_response, wants_csv
from lifelogger.blueprints.stats import service
from lifelogger.blueprints.stats.schemas import DailyQuerySchema, DailyStatsSchema, StatsQuerySchema, StatsSchema

blp = Blueprint("stats", __name__, url_prefix="/stats", description="Where your time went.")


@blp.route("")
class Stats(MethodView):
    @login_required
    @blp.arguments(StatsQuerySchema, location="query")
    @blp.response(200, StatsSchema)
    @blp.doc(operationId="getStats")
    @documents_csv(blp, ("label", "minutes", "percentage"), "label,minutes,percentage\r\nProgramming,187.5,62.5\r\nExercise,112.5,37.5\r\n",
                       "A header row, then one row per label, most time first: label, minutes, percentage.")
    def get(self, time_range):
        """Time breakdown by label

        Each event is clipped to `[start, end)`; the running event counts up to now.
        Percentages are shares of the total logged time in the range.
        In CSV (`Accept: text/csv` or `format=csv`): `label,minutes,percentage`, most time first.
        """
        as_csv = wants_csv(time_range.pop("format", None))
        result = service.breakdown(current_user(), **time_range)
        if not as_csv:
            return result
        rows = ((label, minutes, result["percentages"][label]) for label, minutes in result["minutes"].items())
        return csv_response(("label", "minutes", "percentage"), rows, "stats.csv")


@blp.route("/daily")
class DailyStats(MethodView):
    @login_required
    @blp.arguments(DailyQuerySchema, location="query")
    @blp.response(200, DailyStatsSchema)
    @blp.doc(operationId="getDailyStats")
    @documents_csv(blp, ("date", "label", "minutes"), "date,label,minutes\r\n2026-03-24,Programming,187.5\r\n2026-03-24,Exercise,112.5\r\n",
                       "A header row, then one row per day and label (long format, for pivot tables): "
                       "date, label, minutes. A day without logged time has no rows.")
    def get(self, query):
        """Time per label for each day

        Days are your own by default: counted in your profile's time zone and
        cut at your day start (`PATCH /me`). With `tz` (an IANA zone; unknown →
        422) they are that zone's days from midnight, or from `day_starts_at`.
        A day across a DST change lasts 23 or 25 hours.
        Every day that meets `[start, end)` is listed, oldest first, the
        first and last clipped to the range; each event is split across the days
        it covers and the running event counts up to now. At most 3660 days.
        In CSV (`Accept: text/csv` or `format=csv`): `date,label,minutes`, one row
        per day and label; a day without time has no rows.
        """
        as_csv = wants_csv(query.pop("format", None))
        result = service.daily_minutes(current_user(), **query)
        if not as_csv:
            return result
        rows = ((day["date"].isoformat(), label, minutes) for day in result["days"] for label, minutes in day["minutes"].items())
        return csv_response(("date", "label", "minutes"), rows, "stats-daily.csv")
