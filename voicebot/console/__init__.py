"""The operator, judge and admin console (FastAPI, server-rendered pages in Chinese or English)."""

from voicebot.console.app import create_app

__all__ = ["create_app"]
