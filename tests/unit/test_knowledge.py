"""The procedural knowledge base with real spaCy (jieba) matching."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from voicebot.dialog.actions import LookUpKnowledge, Say
from voicebot.dialog.events import CallStarted, Heard, KnowledgeAnswered
from voicebot.dialog.machine import DialogMachine
from voicebot.knowledge.base import KB_PATH, KnowledgeBase, KnowledgeError, read_entries
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
        ("人工几点上班", "zh", "hotline_hours", "{desk_open}至{desk_close}"),
        ("忘记查询密码了怎么办", "zh", "query_password", "重置"),
        ("怕对方转移财产怎么办", "zh", "property_preservation", "48小时"),
        ("How many days do I have to appeal a judgment?", "en", "appeal_deadline", "15 days"),
        ("how much is the court fee for my case", "en", "acceptance_fee", "2.5%"),
        ("when can I talk to an operator", "en", "hotline_hours", "{desk_open} to {desk_close}"),
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
    m = DialogMachine(ZoneInfo("Asia/Shanghai"))
    m.handle(CallStarted("en", None, "京0105", "x", "Beijing Chaoyang District People's Court",
                         True))
    u = Understanding("what is the deadline to apply for enforcement", "en", "consultation", 0.9)
    out = m.handle(Heard(u, u.text))
    assert out == [LookUpKnowledge(u.text, "en", None)]
    out = m.handle(KnowledgeAnswered(kb.answer(u.text, "en", None)))
    text = " ".join(a.text for a in out if isinstance(a, Say))
    assert "2 years" in text and m.outcome == "answered"


def test_bad_files_raise_with_codes(tmp_path: Path) -> None:
    bad = tmp_path / "kb.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(KnowledgeError) as info:
        read_entries(bad)
    assert info.value.code == "dialog.kb_unreadable"
    entries = json.loads(KB_PATH.read_text(encoding="utf-8"))
    bad.write_text(json.dumps([entries[0], entries[0]]), encoding="utf-8")
    with pytest.raises(KnowledgeError) as info:
        read_entries(bad)
    assert info.value.code == "dialog.kb_invalid"


PARAPHRASES = [
    ("我要起诉别人需要满足什么条件", "zh", "filing_conditions"),
    ("能不能在手机上立案", "zh", "online_filing"),
    ("我在外地能不能在这边立案", "zh", "cross_region_filing"),
    ("打官司要准备哪些材料", "zh", "complaint_materials"),
    ("起诉书怎么写", "zh", "complaint_content"),
    ("我想找律师代理我的案子", "zh", "power_of_attorney"),
    ("标的10万元要交多少受理费", "zh", "acceptance_fee"),
    ("劳动仲裁后起诉要交钱吗", "zh", "non_property_fee"),
    ("诉讼费缴费期限是几天", "zh", "fee_payment_time"),
    ("撤诉了诉讼费能退吗", "zh", "fee_halving"),
    ("家里困难诉讼费能免吗", "zh", "fee_relief"),
    ("申请保全要多少钱", "zh", "preservation_fee"),
    ("法院的传票是怎么送的", "zh", "service_methods"),
    ("判决书能发到我手机上吗", "zh", "electronic_service"),
    ("我换地址了要通知法院吗", "zh", "address_confirmation"),
    ("证据最晚什么时候交", "zh", "evidence_period"),
    ("微信聊天记录算证据吗", "zh", "evidence_submission"),
    ("能让证人出庭吗", "zh", "witness"),
    ("可以先调解吗", "zh", "pre_litigation_mediation"),
    ("调解书签了以后有效吗", "zh", "court_mediation"),
    ("人民调解的协议怎么司法确认", "zh", "judicial_confirmation"),
    ("一审判决不服怎么上诉", "zh", "appeal_how"),
    ("判决生效后发现新证据怎么办", "zh", "retrial"),
    ("怎么申请执行", "zh", "enforcement_how"),
    ("对方是老赖怎么办", "zh", "dishonest_debtor"),
    ("执行不到钱怎么办", "zh", "property_clues"),
    ("对方在哪我就去哪起诉吗", "zh", "jurisdiction"),
    ("一审一般多长时间能判", "zh", "trial_time_limits"),
    ("小额诉讼能上诉吗", "zh", "small_claims"),
    ("开庭那天我去不了怎么办", "zh", "hearing_notice"),
    ("我不想告了怎么办", "zh", "withdraw_case"),
    ("你们什么时候有人工", "zh", "hotline_hours"),
    ("查询密码丢了", "zh", "query_password"),
    ("我没钱请律师", "zh", "legal_aid"),
    ("补充材料怎么交给法官", "zh", "submit_materials_how"),
    ("can I sue online", "en", "online_filing"),
    ("what papers do I need to bring to file a case", "en", "complaint_materials"),
    ("how much are the court costs for a claim of 100000 yuan", "en", "acceptance_fee"),
    ("how much is a divorce case", "en", "non_property_fee"),
    ("can the court fee be reduced because I am poor", "en", "fee_relief"),
    ("how will I receive the court documents", "en", "service_methods"),
    ("what is the deadline for submitting evidence", "en", "evidence_period"),
    ("can we settle through mediation", "en", "pre_litigation_mediation"),
    ("I want to appeal, how many days do I have", "en", "appeal_deadline"),
    ("the defendant will not pay what the court ordered", "en", "enforcement_deadline"),
    ("which court has jurisdiction over my contract dispute", "en", "jurisdiction"),
    ("what time do operators answer", "en", "hotline_hours"),
    ("I lost my query password", "en", "query_password"),
    ("how long will my trial take", "en", "trial_time_limits"),
    ("I cannot attend the hearing", "en", "hearing_notice"),
    ("how can I freeze the other side's bank account before suing", "en", "property_preservation"),
    ("is a small claim final", "en", "small_claims"),
    ("立案需要什么手续", "zh", "complaint_materials"),
    ("法院会不会不给我立案", "zh", "filing_registration"),
    ("二十万的官司受理费多少", "zh", "acceptance_fee"),
    ("什么时候要交诉讼费", "zh", "fee_payment_time"),
    ("调解结案诉讼费减半吗", "zh", "fee_halving"),
    ("举证期限过了怎么办", "zh", "evidence_period"),
    ("对方不履行判决我该怎么办", "zh", "enforcement_deadline"),
    ("上诉要交什么费", "zh", "appeal_how"),
    ("裁定不服几天内上诉", "zh", "appeal_deadline"),
    ("怎么冻结对方的财产", "zh", "property_preservation"),
    ("失信名单是什么意思", "zh", "dishonest_debtor"),
    ("周末有人接电话吗", "zh", "hotline_hours"),
    ("网上怎么看我的案子", "zh", "online_case_query"),
    ("案子什么时候能判完", "zh", "trial_time_limits"),
    ("公告送达要多久", "zh", "service_methods"),
    ("电子送达怎么算送达日期", "zh", "electronic_service"),
    ("调解协议怎么才能强制执行", "zh", "judicial_confirmation"),
    ("判决什么时候生效", "zh", "judgment_effective"),
    ("这个热线能查什么", "zh", "hotline_services"),
    ("离婚起诉收费标准", "zh", "non_property_fee"),
    ("how do I start a lawsuit online", "en", "online_filing"),
    ("is there a fee to enforce a judgment", "en", "enforcement_fee"),
    ("what should my complaint say", "en", "complaint_content"),
    ("how many days after the ruling can I appeal", "en", "appeal_deadline"),
    ("do I need a power of attorney for my lawyer", "en", "power_of_attorney"),
    ("are recordings accepted as evidence", "en", "evidence_submission"),
    ("what happens if the defendant does not come to court", "en", "hearing_notice"),
    ("how do I get my case information on the website", "en", "online_case_query"),
    ("who has to prove the claim", "en", "burden_of_proof"),
    ("what is the time limit to apply for enforcement", "en", "enforcement_deadline"),
    ("what is judicial confirmation of a mediation agreement", "en", "judicial_confirmation"),
    ("can I file my case at a court near me for another province", "en", "cross_region_filing"),
    ("how long do I have to ask for a retrial", "en", "retrial"),
    ("what does the 12368 hotline offer", "en", "hotline_services"),
    ("my address has changed", "en", "address_confirmation"),
    ("起诉状要写几份", "zh", "complaint_materials"),
    ("我要告公司拖欠工资，收费吗", "zh", "non_property_fee"),
    ("诉讼费太贵了交不起", "zh", "fee_relief"),
    ("收到法院短信算送达了吗", "zh", "electronic_service"),
    ("法院说要举证，我该怎么做", "zh", "burden_of_proof"),
    ("我能申请法院帮我调取证据吗", "zh", "burden_of_proof"),
    ("判决书送达后多久可以上诉", "zh", "appeal_deadline"),
    ("对方一直不还钱，判决都生效了", "zh", "enforcement_deadline"),
    ("执行申请书需要什么材料", "zh", "enforcement_how"),
    ("被告不来开庭怎么办", "zh", "hearing_notice"),
    ("打官司去哪个法院", "zh", "jurisdiction"),
    ("小额诉讼多少钱以下", "zh", "small_claims"),
    ("我想撤诉", "zh", "withdraw_case"),
    ("人工客服几点下班", "zh", "hotline_hours"),
    ("案件查询密码怎么获得", "zh", "query_password"),
    ("诉前保全要担保吗", "zh", "property_preservation"),
    ("判决书丢了能补吗", "zh", "judgment_effective"),
    ("怎么给法官寄材料", "zh", "submit_materials_how"),
    ("what are the requirements to file a civil case", "en", "filing_conditions"),
    ("do I have to pay the fee when I appeal", "en", "appeal_how"),
    ("how is the acceptance fee worked out", "en", "acceptance_fee"),
    ("will the court send documents by email", "en", "electronic_service"),
    ("how long is the evidence period in a simple case", "en", "evidence_period"),
    ("can a witness give evidence by video", "en", "witness"),
    ("is mediation free", "en", "pre_litigation_mediation"),
    ("the other party is on the dishonest list, what does that mean", "en", "dishonest_debtor"),
    ("the court found no assets of the debtor", "en", "property_clues"),
    ("how long does a second instance appeal take", "en", "trial_time_limits"),
    ("can I get a copy of my judgment again", "en", "judgment_effective"),
    ("where can I get free legal advice", "en", "legal_aid"),
    ("how do I withdraw my lawsuit", "en", "withdraw_case"),
    ("is the line open on public holidays", "en", "hotline_hours"),
    ("how do I reset my case password", "en", "query_password"),
    ("what should I bring to court on the hearing day", "en", "hearing_notice"),
]
"""Questions worded differently from the knowledge base, with the entry that answers them."""


def test_paraphrased_questions_mostly_find_their_entry(kb: KnowledgeBase) -> None:
    misses = [(q, want, m.entry.id if m else None) for q, lang, want in PARAPHRASES
              if (m := kb.search(q, lang)) is None or m.entry.id != want]
    assert len(misses) <= 0.1 * len(PARAPHRASES), misses


@pytest.mark.parametrize("question", ["今天天气怎么样", "我想咨询一下", "你好", "请问一下",
                                      "what is the weather like tomorrow",
                                      "I want to ask something", "hello"])
def test_small_talk_gets_no_answer(kb: KnowledgeBase, question: str) -> None:
    lang = "en" if question.isascii() else "zh"
    assert kb.search(question, lang) is None
