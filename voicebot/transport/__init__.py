"""The line's side of a call: how caller media gets in and bot media gets out.

- ``media.py``: a frozen ``CallInfo`` (call id, caller, callee, codec, transport) and the
  ``MediaPort`` protocol: an async stream of ``AudioChunk | KeyPress | RemoteHangUp`` in,
  ``play(chunks)`` (paced by a clock, returns a ``Playing`` handle with ``interrupt()`` and
  ``done``), ``hang_up()`` and ``transfer(target)``.
- ``pacing.py``: clock-paced playback any port can use; ``queue_port.py``: a port fed by pushes
  (what a SIP/RTP or WebSocket layer adapts to); ``text.py``: a typed line over a stream.
- ``server.py``: ``LineServer.from_uri`` starts one call per incoming connection, by URI scheme.

Nothing here knows the dialog or the call loop; ``voicebot.call`` builds its channels on these.
"""
