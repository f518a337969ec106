"""``/labels``: the user's label set."""
from flask.views import MethodView
from lifelogger.api.blueprint import Blueprint

from lifelogger.api.auth import current_user, login_required
from lifelogger.blueprints.labels import service
from lifelogger.blueprints.labels.schemas import LabelListSchema, LabelSchema

blp = Blueprint("labels", __name__, url_prefix="/labels", description="Your label set.")


@blp.route("")
class Labels(MethodView):
    @login_required
    @blp.response(200, LabelListSchema)
    def get(self):
        """Your label set"""
        return {"labels": service.label_names(current_user())}

    @login_required
    @blp.arguments(LabelSchema)
    @blp.response(201, LabelSchema)
    @blp.alt_response(409, description="A label of that name (in any case) exists.")
    def post(self, label):
        """Add a label"""
        return service.create_label(current_user(), label["name"])


# <path:...> because a name may contain '/' (sent as %2F: /labels/Work%2FAdmin).
@blp.route("/<path:name>")
class LabelItem(MethodView):
    @login_required
    @blp.arguments(LabelSchema)
    @blp.response(200, LabelSchema)
    @blp.alt_response(404, description="No label of that name.")
    @blp.alt_response(409, description="Another label already has the new name.")
    def patch(self, label, name):
        """Rename a label (its events follow)"""
        return service.rename_label(current_user(), name, label["name"])

    @login_required
    @blp.response(204)
    @blp.alt_response(404, description="No label of that name.")
    @blp.alt_response(409, description="Events still use the label.")
    def delete(self, name):
        """Delete an unused label"""
        service.delete_label(current_user(), name)
