"""Understanding callers: intents, case numbers, digits, yes / no and language switches.

Entry point: ``voicebot.nlu.understander.Understander`` (``load(model_dir, court_aliases)``, then
``parse(text, language, expect=...)`` -> ``voicebot.nlu.types.Understanding``). Kept free of
imports so that ``voicebot.nlu.types`` stays cheap to import (spaCy loads only with the model).
"""
