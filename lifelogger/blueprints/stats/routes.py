"""``/stats``: where your time went."""
from flask.views import MethodView
from lifelogger.api.blueprint import Blueprint

from lifelogger.api.auth import current_user, login_required
from lifelogger.api.schemas import RangeQuerySchema
from lifelogger.blueprints.stats import service
from lifelogger.blueprints.stats.schemas import DailyQuerySchema, DailyStatsSchema, StatsSchema

blp = Blueprint("stats", __name__, url_prefix="/stats", description="Where your time went.")


@blp.route("")
class Stats(MethodView):
    @login_required
    @blp.arguments(RangeQuerySchema, location="query")
    @blp.response(200, StatsSchema)
    @blp.doc(operationId="getStats")
    def get(self, time_range):
        """Time breakdown by label

        Each event is clipped to `[start, end)`; the running event counts up to now.
        Percentages are shares of the total logged time in the range.
        """
        return service.breakdown(current_user(), **time_range)


@blp.route("/daily")
class DailyStats(MethodView):
    @login_required
    @blp.arguments(DailyQuerySchema, location="query")
    @blp.response(200, DailyStatsSchema)
    @blp.doc(operationId="getDailyStats")
    def get(self, query):
        """Time per label for each day

        Days are your own by default: counted in your profile's time zone and
        cut at your day start (`PATCH /me`). With `tz` (an IANA zone; unknown →
        422) they are that zone's days from midnight, or from `day_starts_at`.
        A day across a DST change lasts 23 or 25 hours.
        Every day that meets `[start, end)` is listed, oldest first, the
        first and last clipped to the range; each event is split across the days
        it covers and the running event counts up to now. At most 3660 days.
        """
        return service.daily_minutes(current_user(), **query)
