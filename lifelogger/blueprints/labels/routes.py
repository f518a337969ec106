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
    @blp.doc(operationId="listLabels")
    def get(self):
        """Your label set

        Every label you can log time under, sorted case-insensitively.
        """
        return {"labels": service.label_names(current_user())}

    @login_required
    @blp.arguments(LabelSchema)
    @blp.response(201, LabelSchema)
    @blp.alt_response(409, description="A label of that name (in any case) exists.")
    @blp.doc(operationId="createLabel")
    def post(self, label):
        """Add a label

        1 to 64 visible characters, unique in any case; surrounding white space is dropped.
        """
        return service.create_label(current_user(), label["name"])


# <path:...> because a name may contain '/' (sent as %2F: /labels/Work%2FAdmin).
@blp.route("/<path:name>")
class LabelItem(MethodView):
    @login_required
    @blp.arguments(LabelSchema)
    @blp.response(200, LabelSchema)
    @blp.alt_response(404, description="No label of that name.")
    @blp.alt_response(409, description="Another label already has the new name.")
    @blp.doc(operationId="renameLabel")
    def patch(self, label, name):
        """Rename a label (its events follow)

        Every event logged under the old name shows the new one. Send a '/' in the name as %2F.
        """
        return service.rename_label(current_user(), name, label["name"])

    @login_required
    @blp.response(204)
    @blp.alt_response(404, description="No label of that name.")
    @blp.alt_response(409, description="Events still use the label.")
    @blp.doc(operationId="deleteLabel")
    def delete(self, name):
        """Delete an unused label

        A label that events still use cannot be deleted (409): rename it, or delete its events first.
        """
        service.delete_label(current_user(), name)
