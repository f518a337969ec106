"""``/goals``: a daily or weekly target per label, and how you are doing."""
from flask.views import MethodView

from lifelogger.api.auth import current_user, login_required
from lifelogger.blueprints.goals import service
from lifelogger.blueprints.goals.schemas import GoalListSchema, GoalProgressListSchema, GoalSchema, GoalTargetSchema
from lifelogger.api.blueprint import Blueprint

blp = Blueprint("goals", __name__, url_prefix="/goals", description="Targets per label, per day or week.")


@blp.route("")
class Goals(MethodView):
    @login_required
    @blp.response(200, GoalListSchema)
    def get(self):
        """Your goals"""
        return {"goals": service.list_goals(current_user())}


# Registered before /<path:label>, so this path means progress (a label named
# "progress" still has its goal at PUT/DELETE /goals/progress).
@blp.route("/progress")
class GoalProgress(MethodView):
    @login_required
    @blp.response(200, GoalProgressListSchema)
    def get(self):
        """Progress towards your goals today and this week

        Days and weeks (from Monday) are cut at your day start in your time zone.
        """
        return {"goals": service.progress(current_user())}


@blp.route("/<path:label>")
class GoalItem(MethodView):
    @login_required
    @blp.response(200, GoalSchema)
    @blp.alt_response(404, description="No such label, or it has no goal.")
    def get(self, label):
        """The goal of one label"""
        return service.get_goal(current_user(), label)

    @login_required
    @blp.arguments(GoalTargetSchema)
    @blp.response(200, GoalSchema)
    @blp.alt_response(404, description="No such label.")
    def put(self, target, label):
        """Set (or replace) the goal of one label"""
        return service.set_goal(current_user(), label, **target)

    @login_required
    @blp.response(204)
    @blp.alt_response(404, description="No such label, or it has no goal.")
    def delete(self, label):
        """Remove the goal of one label"""
        service.delete_goal(current_user(), label)
