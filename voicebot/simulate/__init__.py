"""Goal-driven simulated callers for testers of the line (``voicebot simulate``).

``goals`` (what a caller wants, built-in set over the demo cases), ``phrasing`` (how callers
word requests), ``policy`` (a pure function: goal, what the line said, history -> answer),
``voice`` (espeak-ng caller speech under clean / noise / 8 kHz phone conditions), ``channel``
(the caller on a real media port, or typed), ``run`` (calls, JSON, JUnit, summary table).
"""
