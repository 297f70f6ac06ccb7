"""Running calls: a channel per call (``ports.py``: typed text, audio, replay), the loop.

Seams: a channel carries the transport's ``CallInfo`` (``voicebot.transport``); the loop turns
each ``Listen`` into a typed ``ListenSpec`` (``listening.py``), hears ``CallerInput``, feeds
events to the dialog and reads its ``DialogSnapshot``; ``services.py`` carries out the store
actions; ``serve.py`` answers calls from a ``LineServer``. See README.md.
"""
