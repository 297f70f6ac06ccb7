"""Replaying call fixtures for testers: ``fixture.py`` (``call.json`` + WAVs, expectations),
``replay.py`` (a fixture as a replay transport: scripted caller audio in, the bot's audio
collected, run through the real call loop), ``report.py`` (finding fixtures, JUnit XML, latency
summaries). ``sample/`` is the fixture ``voicebot replay`` plays by default.
"""
