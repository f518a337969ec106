"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""
import gc

from lifelogger import create_app

app = create_app()

# What exists now (modules, the app, its routes and schemas) lives as long as the
# process. Frozen, it stays out of the cyclic collector's full passes, which
# otherwise scan it all (~100,000 objects, ~25 ms) whenever a large response (a
# year of events) leaves enough survivors to trigger one: those requests took
# 65-80 ms instead of 16 ms (docs/performance.md). Collected first, so no garbage
# from building the app is frozen with it.
gc.collect()
gc.freeze()
