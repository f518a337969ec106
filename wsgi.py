"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""
from lifelogger import create_app

app = create_app()
