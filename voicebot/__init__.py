"""voicebot: an offline voice assistant for a court's 12368 litigation-service line."""

__version__ = "0.1.0"
