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
    @blp.alt_response(503, description="The database is unreachable.")
    @blp.doc(operationId="getHealth")
    def get(self):
        """Health check (no authentication)

        200 when the app can query its database, 503 otherwise.
        """
        return service.check()
