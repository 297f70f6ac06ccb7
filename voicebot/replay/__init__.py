"""Replaying call fixtures for testers: ``fixture.py`` (``call.json`` + WAVs, expectations),
``replay.py`` (a fixture's turns played on the replay transport,
``voicebot.transport.scripted``: scripted caller audio in, the bot's audio collected, through the
real call loop), ``report.py`` (finding fixtures, JUnit XML, latency
summaries). ``sample/`` is the fixture ``voicebot replay`` plays by default.
"""
