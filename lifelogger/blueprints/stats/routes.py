"""``/stats``: where your time went."""
from flask.views import MethodView
from lifelogger.smorest import Blueprint

from lifelogger.auth import current_user, login_required
from lifelogger.blueprints.events.schemas import RangeQuerySchema
from lifelogger.blueprints.stats import service
from lifelogger.blueprints.stats.schemas import StatsSchema

blp = Blueprint("stats", __name__, url_prefix="/stats", description="Where your time went.")


@blp.route("")
class Stats(MethodView):
    @login_required
    @blp.arguments(RangeQuerySchema, location="query")
    @blp.response(200, StatsSchema)
    def get(self, time_range):
        """Time breakdown by label

        Each event is clipped to `[start, end)`; the running event counts up to now.
        Percentages are shares of the total logged time in the range.
        """
        return service.breakdown(current_user(), **time_range)
