"""``lifelogger``: a command-line client for a Life Logger server (stdlib + click only)."""
