"""Alembic migrations of the case store (run through :mod:`voicebot.store.schema`)."""
