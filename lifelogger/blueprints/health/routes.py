"""``/health``: for load balancers, monitoring and deploy scripts."""
from flask.views import MethodView

from lifelogger.api.auth import public
from lifelogger.blueprints.health import service
from lifelogger.blueprints.health.schemas import HealthSchema
from lifelogger.api.blueprint import Blueprint

blp = Blueprint("health", __name__, url_prefix="/health", description="Is the server up and its database reachable?")


@blp.route("")
class Health(MethodView):
    @public
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, description="The database is unreachable, or cannot be written (`\"database\": \"not writable\"`).")
    @blp.doc(operationId="getHealth")
    def get(self):
        """Health check (no authentication)

        200 when the app can query its database, 503 otherwise; with SQLite, also
        503 when the file cannot be written (read-only, or its disk is full).
        """
        return service.check()
