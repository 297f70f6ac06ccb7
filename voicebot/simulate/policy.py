"""The simulated caller's policy: (goal, what the line just said, turn history) -> answer.

A pure function over prompt text, so it is unit-testable without a line. It recognizes what the
line asks for by the words a listener would go by (not by the dialog's state), answers as a
caller with the goal would, keys in when told to press keys, and hangs up after goodbye.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from voicebot.casenumber import CaseNumber
from voicebot.simulate.goals import Goal
from voicebot.simulate.phrasing import (
    MESSAGES,
    NO_MORE,
    NO_PREFIX,
    YES,
    case_number_words,
    digits_words,
    pick,
    request_text,
)

AnswerKind = Literal["speak", "keys", "silence", "hang_up"]
"""How the caller answers: words, keypad presses, nothing, or hanging up."""

KEYPAD_TYPES = ("民初", "民终", "执", "刑初", "行初")
"""The line's keypad case types, key 1 first (as its prompt lists them)."""
MENU_KEYS = {"case_acceptance": "1", "case_panel": "1", "hearing_time": "1", "case_progress": "1",
             "case_result": "1", "contact_judge": "2", "consultation": "3", "complaint": "4",
             "suggestion": "4", "submit_materials": "4", "operator": "0"}
"""Menu key per intent, as the line's keypad menu offers them."""
MAX_SAME_PROMPT = 4
"""Answers to the same prompt after which the caller gives up and hangs up."""
MAX_TURNS = 24
"""Answers after which the caller gives up and hangs up."""


@dataclass(frozen=True)
class Answer:
    """One caller turn."""

    kind: AnswerKind
    """Words, keys, silence or hang-up."""
    text: str = ""
    """The words said, or the keys pressed (``482913#``)."""
    role: str = ""
    """What the answer is for (``request``, ``case_number``, ``confirm``, ``password``...)."""


@dataclass(frozen=True)
class Turn:
    """One exchange: what the line said before the caller answered, and the answer."""

    line: str
    """The line's text since the caller's previous answer."""
    answer: Answer
    """The caller's answer."""


_CUES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # cue: (English substrings, Mandarin substrings); checked in this order
    "goodbye": (("goodbye",), ("再见",)),
    "switch_language": (("continue in english",), ("切换为普通话",)),
    "transfer": (("transferring you", "in the queue", "in line."), ("正在为您转接", "排在第")),
    "anything_else": (("anything else",), ("还有其他",)),
    "keypad_year": (("4-digit year",), ("4位立案年份",)),
    "keypad_type": (("choose the case type",), ("请选择案件类型",)),
    "keypad_seq": (("key in the sequence number",), ("输入案件序号",)),
    "confirm_phone": (("call you back at",), ("回电至",)),
    "confirm_number": (("the case number is",), ("您说的案号是",)),
    "password_keys": (("please key in the 6-digit query password", "password again"),
                      ("在电话键盘上输入6位查询密码", "重新输入6位查询密码")),
    "password": (("query password",), ("查询密码",)),
    "phone": (("your phone number",), ("联系电话，以井号",)),
    "callback": (("for a callback", "call you back from"), ("需要回电", "给您回电，需要")),
    "offer_operator": (("for an operator say yes",), ("需要转人工服务请说",)),
    "message": (("pass on to the judge", "describe your complaint", "your suggestion",
                 "which materials", "who and what you are reporting"),
                ("转达给承办法官", "投诉内容", "意见或建议", "材料名称", "要举报的")),
    "missing": (("of the case number",), ("请补充案号",)),
    "case_number": (("your case number",), ("您的案号",)),
    "question": (("what would you like to know",), ("您想咨询什么",)),
    "still_there": (("are you still there",), ("还在听吗",)),
    "request": (("how can i help", "what else you need", "did not catch", "tell me what you need"),
                ("有什么可以帮您", "其他需求", "没有听清", "直接说出您的需求")),
}


def cue_of(text: str, language: str) -> str:
    """What a line text asks for (a key of the cue table), ``""`` if nothing known."""
    low = text.lower()
    for cue, (en, zh) in _CUES.items():
        # the offer to switch is made in the other language: a caller knows it either way
        wanted = en + zh if cue == "switch_language" else zh if language == "zh" else en
        if any(s in low for s in wanted):
            return cue
    return ""


_EN_CASE = re.compile(r"\((\d{4})\)\s.*?\bNo\.\s*(\d+)")
_ZH_CASE = re.compile(r"（(\d{4})）.*?(\d+)号")


def heard_number(text: str, language: str) -> tuple[int, int] | None:
    """(year, sequence) of the case number the line reads back, if any."""
    found = (_ZH_CASE if language == "zh" else _EN_CASE).search(text)
    return (int(found.group(1)), int(found.group(2))) if found else None


def _count(history: tuple[Turn, ...], role: str) -> int:
    return sum(1 for t in history if t.answer.role == role)


def _speak_number(goal: Goal, case: CaseNumber, role: str, variant: int) -> Answer:
    return Answer("speak", case_number_words(case, goal.language, variant,
                                             audio=goal.condition != "text"), role)


def _request(goal: Goal, history: tuple[Turn, ...]) -> Answer:
    tries = _count(history, "request")
    if tries >= 2:  # said it twice in vain: use the keypad menu the line offers
        return Answer("keys", MENU_KEYS.get(goal.intent, "0"), "menu_key")
    return Answer("speak", request_text(goal.intent, goal.language, goal.variant + tries),
                  "request")


def _confirm(goal: Goal, line: str, history: tuple[Turn, ...], same: int) -> Answer:
    case = goal.case
    heard = heard_number(line, goal.language)
    if case is None or heard is None or heard == (case.year, case.seq):
        if same >= 2:  # asked a third time: a person presses the key the prompt names
            return Answer("keys", "1", "confirm")
        return Answer("speak", pick(YES[goal.language], goal.variant), "confirm")
    if _count(history, "correct") >= 2:
        return Answer("keys", "2", "correct")
    words = case_number_words(case, goal.language, 0, audio=goal.condition != "text")
    return Answer("speak", f"{NO_PREFIX[goal.language]} {words}", "correct")


def answer(goal: Goal, said: tuple[str, ...], history: tuple[Turn, ...]) -> Answer:
    """The caller's next turn, given the line's texts since the last answer (oldest first)."""
    if not said:
        return Answer("silence", role="wait")
    line = " ".join(said)
    cue = cue_of(said[-1], goal.language) or cue_of(line, goal.language)
    if cue in ("goodbye", "transfer"):
        return Answer("hang_up", role=cue)
    same = sum(1 for t in history if cue_of(t.line, goal.language) == cue)
    if same >= MAX_SAME_PROMPT or len(history) >= MAX_TURNS:
        return Answer("hang_up", role="give_up")
    case = goal.case
    lang = goal.language
    if cue == "keypad_year" and case is not None:
        return Answer("keys", f"{case.year}#", "keys_year")
    if cue == "keypad_type" and case is not None:
        kind = case.case_type
        return Answer("keys", str(KEYPAD_TYPES.index(kind) + 1) if kind in KEYPAD_TYPES else "1",
                      "keys_type")
    if cue == "keypad_seq" and case is not None:
        return Answer("keys", f"{case.seq}#", "keys_seq")
    if cue == "switch_language":  # misheard as asking for the other language: keep this one
        return Answer("keys", "2", "decline_switch")
    if cue == "offer_operator" and _count(history, "goodbye"):
        return Answer("keys", "2", "decline")  # it said it wants nothing more: no operator
    if cue == "confirm_phone" or cue == "callback" or cue == "offer_operator":
        return Answer("keys", "1", cue)
    if cue == "confirm_number":
        return _confirm(goal, said[-1] if heard_number(said[-1], lang) else line, history, same)
    if cue == "password_keys":
        return Answer("keys", f"{goal.password}#", "password_keys")
    if cue == "password":
        if goal.keypad_numbers or _count(history, "password") >= 1:
            return Answer("keys", f"{goal.password}#", "password_keys")
        return Answer("speak", digits_words(goal.password, lang), "password")
    if cue == "phone":
        return Answer("keys", f"{goal.phone}#", "phone")
    if cue == "message":
        return Answer("speak", MESSAGES[lang].get(goal.intent, MESSAGES[lang]["complaint"]),
                      "message")
    if cue in ("case_number", "missing") and case is not None:
        return _speak_number(goal, case, "case_number",
                             goal.variant + _count(history, "case_number"))
    if cue == "case_number":  # asked for a case it does not have: it says again what it wants
        return _request(goal, history)
    if cue == "question":
        return Answer("speak", request_text("consultation", lang, goal.variant), "request")
    if cue == "anything_else":
        return Answer("speak", pick(NO_MORE[lang], goal.variant), "goodbye")
    if cue == "still_there" and history:
        return history[-1].answer
    if _count(history, "goodbye"):  # said "that's all" and the line did not take it: hang up
        return Answer("hang_up", role="done")
    if cue == "request" or not history:
        return _request(goal, history)
    return Answer("speak", pick(NO_MORE[lang], goal.variant), "goodbye")
