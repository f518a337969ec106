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
    @blp.doc(operationId="listGoals")
    def get(self):
        """Your goals

        Every label's goal: a daily or weekly minimum (`at_least`) or maximum (`at_most`) in minutes.
        """
        return {"goals": service.list_goals(current_user())}


# Registered before /<path:label>, so this path means progress (a label named
# "progress" still has its goal at PUT/DELETE /goals/progress).
@blp.route("/progress")
class GoalProgress(MethodView):
    @login_required
    @blp.response(200, GoalProgressListSchema)
    @blp.doc(operationId="getGoalProgress")
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
    @blp.doc(operationId="getGoal")
    def get(self, label):
        """The goal of one label

        404 when there is no such label, or it has no goal.
        """
        return service.get_goal(current_user(), label)

    @login_required
    @blp.arguments(GoalTargetSchema)
    @blp.response(200, GoalSchema)
    @blp.alt_response(404, description="No such label.")
    @blp.doc(operationId="setGoal")
    def put(self, target, label):
        """Set (or replace) the goal of one label

        A label has at most one goal; this replaces the one it had.
        """
        return service.set_goal(current_user(), label, **target)

    @login_required
    @blp.response(204)
    @blp.alt_response(404, description="No such label, or it has no goal.")
    @blp.doc(operationId="deleteGoal")
    def delete(self, label):
        """Remove the goal of one label

        The label and its events stay.
        """
        service.delete_goal(current_user(), label)
