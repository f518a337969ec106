"""The browser app: server-rendered page shells whose ES modules call ``/api/v1``."""
