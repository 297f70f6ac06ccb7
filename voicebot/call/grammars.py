"""Which recognition grammar each ``Listen.expect`` gets, per language.

Every open prompt (request, confirmation, menu, case number) gets an *open* phrase list: a free
large-vocabulary reading always exists (English: Whisper tiny.en beside pocketsphinx; Mandarin:
a second, free vosk recognizer) and the list only re-ranks it or wins where it fits, so a
caller who says what the list lacks still reaches the intent classifier (asr README, "Open
prompts": 84 of 108 new-voice utterances understood right this way, 30 with the list alone).
English lists: whole phrases for requests (an optional lead-in times the request phrases of
every intent), phrase units that may follow each other for case numbers; digit words for
passwords and phone numbers (closed: Whisper's digit search). Mandarin case numbers are
decoded freely.
"""

from __future__ import annotations

from functools import cache

from voicebot.asr.grammars import DIGIT_WORDS, YES_NO, phrase_grammar
from voicebot.asr.types import Grammar

_EN_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
             "seventeen", "eighteen", "nineteen")
_EN_YEARS = (
    *(f"twenty {t}" for t in _EN_TEENS),
    "twenty twenty", *(f"twenty twenty {d}" for d in ("one", "two", "three", "four", "five",
                                                       "six", "seven", "eight", "nine")),
    *(f"two thousand {t}" for t in _EN_TEENS),
    "two thousand twenty", *(f"two thousand twenty {d}" for d in ("one", "two", "three", "four",
                                                                 "five", "six")),
)
_EN_CASE_TYPES = (
    "civil first instance", "civil second instance", "civil retrial", "enforcement",
    "criminal first instance", "criminal second instance", "administrative first instance",
    "administrative second instance", "property preservation",
)
_EN_CASE_GLUE = (
    "case number", "number", "the case number is", "my case number is", "it's", "it is",
    "jing zero one zero five", "jing zero one zero one", "jing zero one zero eight",
    "jing zero one",
    "beijing", "year",
)
_EN_REQUESTS = (
    "check the progress of my case", "check my case", "case progress", "the progress of my case",
    "what is happening with my case", "has my case been accepted", "was my case accepted",
    "case acceptance", "who is the judge", "who are the judges on my case", "the judges",
    "when is my hearing", "when is the hearing", "hearing time", "what is the result of my case",
    "the result of my case", "the judgment", "contact the judge", "talk to the judge",
    "leave a message for the judge", "speak with my judge", "make a complaint",
    "i have a complaint", "complain about a judge", "report a judge", "report misconduct",
    "make a suggestion", "i have a suggestion", "submit materials", "submit evidence",
    "hand in documents", "how much are the court fees", "court fees", "how do i file a case",
    "how do i appeal", "how does enforcement work", "what are your opening hours",
    "how does mediation work", "how do i check my case online", "what materials do i need",
    "operator", "speak to an operator", "talk to a person", "a real person", "help",
    "goodbye", "no thank you goodbye", "no thanks", "no thank you", "that's all", "bye",
    "english", "chinese", "mandarin", "yes", "no",
)
_EN_LEADS = ("", "i want to ", "i would like to ", "i'd like to ", "please ", "can i ",
             "i need to ")
_EN_MENU = ("operator", "english", "chinese", "repeat", "help", "goodbye")

_ZH_LEADS = ("", "我想", "我要", "请问", "帮我")
_ZH_REQUESTS = (
    "查询案件进度", "查一下案件进展", "案件进度", "案子办到哪一步了", "查询案件", "查案件",
    "案件受理了吗", "立案了没有", "查询立案", "有没有受理",
    "合议庭成员", "承办法官是谁", "哪个法官负责",
    "查开庭时间", "开庭时间", "什么时候开庭",
    "查询判决结果", "判决结果", "案件结果",
    "联系法官", "找法官", "给法官留言",
    "投诉", "投诉法官", "举报", "举报法官", "提建议", "提个建议", "有一个建议",
    "提交材料", "交材料", "递交证据", "提交申请",
    "诉讼费怎么交", "诉讼费", "怎么立案", "怎么起诉", "怎么上诉", "怎么申请执行", "怎么调解",
    "需要什么材料", "上班时间", "网上怎么查案件",
    "转人工", "人工服务", "人工", "找接线员", "英语服务", "说英语",
)
_ZH_GOODBYES = ("没有了", "没有了谢谢", "再见", "谢谢再见", "好的谢谢", "拜拜")
_ZH_MENU = ("转人工", "人工", "重复", "再说一遍", "帮助", "再见", "英语")


def _digits(language: str, *, oh: bool = True) -> list[str]:
    return [w for w in DIGIT_WORDS[language] if oh or w != "oh"]


@cache
def grammar_for(expect: str, language: str) -> Grammar | None:
    """The grammar for a ``Listen.expect`` in ``language``; None means free decoding."""
    if language not in DIGIT_WORDS:
        return None
    if expect in ("password", "digits", "phone"):
        return phrase_grammar("digits", _digits(language), repeat=True, digits=True)
    if language == "zh":
        return _zh_grammar(expect)
    if language != "en":
        return None
    if expect == "intent":
        return phrase_grammar("requests", [lead + r for lead in _EN_LEADS for r in _EN_REQUESTS],
                              open=True)
    if expect == "case_number":
        return phrase_grammar("case_number", [*_EN_YEARS, *_EN_CASE_TYPES, *_EN_CASE_GLUE,
                                              *_digits("en", oh=False)], repeat=True, open=True)
    if expect == "yesno":
        return phrase_grammar("confirm", [*YES_NO["en"], "no it's", "yes please", "no thanks",
                                          *_EN_YEARS, *_EN_CASE_TYPES, *_EN_CASE_GLUE,
                                          *_digits("en", oh=False)], repeat=True, open=True)
    if expect == "menu":
        return phrase_grammar("menu", [*YES_NO["en"], *_EN_MENU, *_digits("en")], repeat=True,
                              open=True)
    return None  # message: free speech, kept as audio


def _zh_grammar(expect: str) -> Grammar | None:
    if expect == "intent":
        return phrase_grammar("requests_zh", [lead + r for lead in _ZH_LEADS
                                              for r in (*_ZH_REQUESTS, *_ZH_GOODBYES)],
                              open=True)
    if expect == "yesno":
        return phrase_grammar("confirm_zh", [*YES_NO["zh"], *_ZH_GOODBYES], open=True)
    if expect == "menu":
        return phrase_grammar("menu_zh", [*YES_NO["zh"], *_ZH_MENU, *_digits("zh")], open=True)
    return None
