"""The procedural knowledge base for consultations (``kb.json``, spaCy + jieba matching).

Loaded once per process (``KnowledgeBase.load()``); the dialog asks it through the
``LookUpKnowledge`` action, which ``voicebot.call.services`` runs off the event loop.
"""
