"""Running calls: a channel per call over a transport's port, and the thin call loop.

Seams: ``AudioChannel.on_port`` (any ``voicebot.transport.MediaPort``) and
``TextChannel.on_port`` (a ``TextPort``) give the loop a ``Channel`` carrying the port's
``CallInfo``. Listening: ``caller_audio.py`` (one input stream) -> ``endpointing.py`` (the VAD's
typed events) -> ``hearing.py`` -> ``early_final.py`` -> ``CallerInput``; speaking:
``speaking.py`` (TTS -> the port's paced playback, barge-in). The loop turns each ``Listen`` into
a ``ListenSpec`` (``listening.py``), feeds events to the dialog, reads its ``DialogSnapshot``,
times turns with ``observer.py`` and carries out store actions through ``services.py``. This
package imports no concrete transport. See README.md.
"""
