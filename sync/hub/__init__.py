"""The hub: the central Integration Point's sync server (ASGI app, storage, admin CLI)."""
