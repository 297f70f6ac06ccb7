"""Replaying call fixtures for testers: ``fixture.py`` (``call.json`` + WAVs, the accepted keys,
expectations), ``replay.py`` (a fixture's turns played on the replay transport,
``voicebot.transport.scripted``: scripted caller audio in, the bot's audio collected, through the
real call loop), ``observe.py`` (each turn's reading as the line
heard it), ``store.py`` (a fresh seeded store per fixture), ``report.py`` (finding fixtures, JUnit
XML, latency summaries), ``out.py`` (``--out``: line audio and reports), ``export.py``
(``--from-call``: a logged call as a fixture). ``sample/`` is the fixture ``voicebot demo``
plays. Every fixture key is documented in ``docs/fixtures.md``.
"""
