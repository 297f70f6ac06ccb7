"""The line's side of a call: how caller media gets in and bot media gets out.

- ``media.py``: a frozen ``CallInfo`` (call id, caller, callee, codec, transport) and the
  ``MediaPort`` protocol: an async stream of ``AudioChunk | KeyPress | RemoteHangUp`` in,
  ``play(chunks)`` (paced by a clock, returns a ``Playing`` handle with ``interrupt()`` and
  ``done``), ``hang_up()`` and ``transfer(target)``.
  ``TextPort``: a typed call (a line in per turn, a line out per prompt).
- ``pacing.py``: clock-paced playback any port can use; ``queue_port.py``: a port fed by pushes
  (what a SIP/RTP or WebSocket layer adapts to).
- The transports: ``device.py`` (microphone and speaker), ``scripted.py`` (the replay source, on
  a virtual clock), ``text.py`` (a stream connection, the terminal).
- ``server.py``: ``LineServer.from_uri`` starts one call per incoming connection, by URI scheme.

A new transport is one module here. Nothing here knows the dialog or the call loop;
``voicebot.call`` builds its channels on the ports, and only the CLI and the replay tool import
the concrete transports.
"""
