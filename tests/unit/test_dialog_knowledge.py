"""The procedural knowledge base with real spaCy (jieba) matching."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from voicebot.dialog.actions import Say
from voicebot.dialog.errors import DialogError
from voicebot.dialog.events import CallStarted, Heard
from voicebot.dialog.knowledge import KB_PATH, KnowledgeBase, read_entries
from voicebot.dialog.machine import DialogMachine
from voicebot.nlu.types import Understanding

REQUIRED_TOPICS = {"filing", "fees", "materials", "service", "evidence", "mediation", "appeal",
                   "enforcement", "hours", "online_query"}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def test_size_and_coverage(kb: KnowledgeBase) -> None:
    assert len(kb.entries) >= 30
    assert set(kb.topics) >= REQUIRED_TOPICS
    for entry in kb.entries:
        for lang in ("zh", "en"):
            assert entry.texts[lang].answer and entry.texts[lang].questions


def test_every_entry_finds_itself_from_its_own_questions(kb: KnowledgeBase) -> None:
    misses = []
    for entry in kb.entries:
        for lang in ("zh", "en"):
            for q in entry.texts[lang].questions:
                match = kb.search(q, lang)
                if match is None or match.entry.id != entry.id:
                    misses.append((entry.id, lang, q, match and match.entry.id))
    assert not misses, misses


@pytest.mark.parametrize(
    ("question", "language", "entry_id", "fact"),
    [
        ("判决不服多少天可以上诉", "zh", "appeal_deadline", "15日"),
        ("裁定的上诉期是几天", "zh", "appeal_deadline", "10日"),
        ("离婚要交多少钱", "zh", "non_property_fee", "50元至300元"),
        ("对方不还钱，多久内要申请强制执行", "zh", "enforcement_deadline", "2年"),
        ("人工几点上班", "zh", "hotline_hours", "9点至下午5点"),
        ("忘记查询密码了怎么办", "zh", "query_password", "重置"),
        ("怕对方转移财产怎么办", "zh", "property_preservation", "48小时"),
        ("How many days do I have to appeal a judgment?", "en", "appeal_deadline", "15 days"),
        ("how much is the court fee for my case", "en", "acceptance_fee", "2.5%"),
        ("when can I talk to an operator", "en", "hotline_hours", "9:00 to 17:00"),
        ("can I get a free lawyer", "en", "legal_aid", "legal aid"),
        ("how do I check my case online", "en", "online_case_query", "query password"),
    ],
)
def test_questions_find_the_right_answer(kb: KnowledgeBase, question: str, language: str,
                                         entry_id: str, fact: str) -> None:
    match = kb.search(question, language)
    assert match is not None and match.entry.id == entry_id
    assert fact in match.answer


def test_unrelated_questions_get_no_answer(kb: KnowledgeBase) -> None:
    assert kb.answer("今天天气怎么样", "zh") is None
    assert kb.answer("what is the weather like tomorrow", "en") is None


def test_topic_is_a_strong_prior(kb: KnowledgeBase) -> None:
    match = kb.search("我想咨询一下", "zh", topic="fees")
    assert match is not None and match.entry.topic == "fees"
    assert kb.search("我想咨询一下", "zh") is None


def test_machine_answers_consultation_with_the_real_kb(kb: KnowledgeBase) -> None:
    m = DialogMachine(ZoneInfo("Asia/Shanghai"), kb)
    m.handle(CallStarted("en", None, "京0105", "x", "Beijing Chaoyang District People's Court",
                         True))
    u = Understanding("what is the deadline to apply for enforcement", "en", "consultation", 0.9)
    out = m.handle(Heard(u, u.text))
    text = " ".join(a.text for a in out if isinstance(a, Say))
    assert "2 years" in text and m.outcome == "answered"


def test_bad_files_raise_with_codes(tmp_path: Path) -> None:
    bad = tmp_path / "kb.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(DialogError) as info:
        read_entries(bad)
    assert info.value.code == "dialog.kb_unreadable"
    entries = json.loads(KB_PATH.read_text(encoding="utf-8"))
    bad.write_text(json.dumps([entries[0], entries[0]]), encoding="utf-8")
    with pytest.raises(DialogError) as info:
        read_entries(bad)
    assert info.value.code == "dialog.kb_invalid"
