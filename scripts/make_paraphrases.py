"""Write the paraphrase test set ``tests/paraphrases/{en,zh}.jsonl`` (issue 12.6).

Each request is a core wording per intent (not a training utterance) in a style: polite, terse,
rambling, with fillers, with the case number inline, regional words. Deterministic::

    python scripts/make_paraphrases.py
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "paraphrases"

EN_CORES: dict[str, tuple[str, ...]] = {
    "hearing_time": (
        "find out the date my trial is set for",
        "know what day i have to be in court",
        "check when the court will hear my matter",
    ),
    "case_progress": (
        "hear how far along my lawsuit is",
        "get an update on where things stand with my case",
        "know what stage my claim has reached",
    ),
    "case_panel": (
        "know the names of the judges sitting on my case",
        "find out who is on the bench for my trial",
        "learn which judges make up my panel",
    ),
    "case_result": (
        "hear what the court decided in my case",
        "know how my lawsuit turned out",
        "find out the verdict in my matter",
    ),
    "case_acceptance": (
        "check whether the court has taken on my claim",
        "know if my filing went through",
        "find out if my lawsuit was registered",
    ),
    "contact_judge": (
        "pass a message to the judge on my case",
        "have the judge in charge of my case ring me",
        "get in touch with the judge dealing with my file",
    ),
    "complaint": (
        "complain about how a clerk spoke to me",
        "report bad treatment at the service window",
        "raise a grievance about your staff",
    ),
    "suggestion": (
        "offer an idea for making your service better",
        "share some feedback on improving the hotline",
        "put forward a proposal about the opening hours",
    ),
    "submit_materials": (
        "send in additional evidence for my lawsuit",
        "drop off some paperwork for my file",
        "lodge a few more documents with the court",
    ),
    "consultation": (
        "know what it costs to start a lawsuit",
        "understand how long i have to file an appeal",
        "learn what papers i need to sue someone",
    ),
    "operator": (
        "be put through to a staff member",
        "talk to an actual human being",
        "get hold of somebody at the front desk",
    ),
}
EN_TERSE: dict[str, tuple[str, ...]] = {
    "hearing_time": ("trial date please", "hearing date for my case"),
    "case_progress": ("case status", "status of my lawsuit please"),
    "case_panel": ("names of my judges", "who's on my panel"),
    "case_result": ("the verdict please", "outcome of my lawsuit"),
    "case_acceptance": ("was my claim registered", "filing accepted or not"),
    "contact_judge": ("message for my judge", "judge callback please"),
    "complaint": ("staff complaint", "i want to file a grievance"),
    "suggestion": ("feedback for the court", "an idea for your service"),
    "submit_materials": ("more evidence to hand in", "documents to lodge"),
    "consultation": ("cost of suing someone", "deadline for an appeal"),
    "operator": ("a human please", "staff member please"),
}
CASE_EN = "twenty twenty four civil first instance one two three four five"

ZH_CORES: dict[str, tuple[str, ...]] = {
    "hearing_time": (
        "查一下我这个官司定在哪天审",
        "问问法院哪天叫我去出庭",
        "了解一下庭审安排在什么时候",
    ),
    "case_progress": (
        "打听一下我的案子走到哪个环节了",
        "看看我的官司现在进展怎么样",
        "问下案件目前办理的情况",
    ),
    "case_panel": (
        "知道审我案子的是哪几位法官",
        "问问合议庭组成人员都是谁",
        "了解一下我这案子由谁来审",
    ),
    "case_result": (
        "问问我的官司最后是怎么判的",
        "了解一下案子判决的内容",
        "知道我的案子结案结果",
    ),
    "case_acceptance": (
        "问一下我递的诉状法院收下没有",
        "查查我的起诉立案了没有",
        "确认一下案子有没有被受理",
    ),
    "contact_judge": (
        "给承办法官带个话",
        "请审我案子的法官回个电话",
        "跟负责我案子的法官联系一下",
    ),
    "complaint": (
        "反映窗口工作人员态度恶劣的事",
        "对书记员的做法提出投诉",
        "投诉一下你们工作人员推诿",
    ),
    "suggestion": (
        "给热线服务提个改进意见",
        "对法院的办事流程提点建议",
        "建议你们延长服务时间",
    ),
    "submit_materials": (
        "补交几份证据",
        "把补充的书面材料递交上去",
        "提交一份新的证据材料",
    ),
    "consultation": (
        "问问起诉要交多少钱",
        "咨询一下上诉期限是多久",
        "了解打官司需要准备哪些材料",
    ),
    "operator": (
        "找人工客服",
        "跟工作人员直接通话",
        "转到人工坐席",
    ),
}
ZH_TERSE: dict[str, tuple[str, ...]] = {
    "hearing_time": ("开庭日期", "哪天开庭"),
    "case_progress": ("案件进展", "查进度"),
    "case_panel": ("合议庭成员", "审判员是谁"),
    "case_result": ("判决结果", "判了没"),
    "case_acceptance": ("立案了没", "受理情况"),
    "contact_judge": ("找承办法官", "联系法官"),
    "complaint": ("我得投诉一下", "投诉工作人员"),
    "suggestion": ("提建议", "提个意见"),
    "submit_materials": ("交材料", "补交证据"),
    "consultation": ("诉讼费多少", "上诉期限"),
    "operator": ("帮我转个人工", "人工服务"),
}
CASE_ZH = "二零二四年民初一二三四五号"
CASE_INTENTS = {"hearing_time", "case_progress", "case_panel", "case_result", "case_acceptance",
                "contact_judge"}


def english() -> list[dict[str, str]]:
    """The English set."""
    rows: list[dict[str, str]] = []
    for intent, cores in EN_CORES.items():
        a, b, c = cores
        rows += [
            {"text": f"good evening, i was hoping you could help me {a}", "style": "polite"},
            {"text": f"excuse me, would it be possible to {b}", "style": "polite"},
            {"text": f"um so uh i'd like to {c}", "style": "filler"},
            {"text": f"er hello yeah i wanted to {a} if that's ok", "style": "filler"},
            {"text": f"i called last week and nobody picked up so i'm trying again, i want to {b}",
             "style": "rambling"},
            {"text": f"my lawyer is on holiday and my brother told me to ring you, i need to {c}",
             "style": "rambling"},
            {"text": f"hiya mate, i reckon i need to {a}", "style": "regional"},
            {"text": f"right love, just wanting to {b}", "style": "regional"},
        ]
        if intent in CASE_INTENTS:
            rows += [{"text": f"case {CASE_EN}, i want to {c}", "style": "case_inline"},
                     {"text": f"i'd like to {a}, it's case {CASE_EN}", "style": "case_inline"}]
        else:
            rows += [{"text": f"look, i simply want to {c}", "style": "plain"},
                     {"text": f"i'd just like to {a} please", "style": "plain"}]
        rows += [{"text": f"yes hello i'd like to {c} thanks", "style": "polite"}]
        rows += [{"text": t, "style": "terse"} for t in EN_TERSE[intent]]
        rows += [{"text": f"sorry to bother you, i need to {b}", "style": "polite"}]
        for row in rows[-14:]:
            row["intent"] = intent
    return rows


def mandarin() -> list[dict[str, str]]:
    """The Mandarin set."""
    rows: list[dict[str, str]] = []
    for intent, cores in ZH_CORES.items():
        a, b, c = cores
        rows += [
            {"text": f"您好，麻烦您帮我{a}，谢谢", "style": "polite"},
            {"text": f"不好意思打扰了，我想{b}", "style": "polite"},
            {"text": f"嗯那个，我想{c}", "style": "filler"},
            {"text": f"呃，就是，{a}", "style": "filler"},
            {"text": f"我上礼拜打过一次没人接，今天再打一遍，主要是想{b}", "style": "rambling"},
            {"text": f"我律师出差了，我家里人让我自己打电话来{c}", "style": "rambling"},
            {"text": f"俺想{a}中不中", "style": "regional"},
            {"text": f"劳驾，我想{b}哈", "style": "regional"},
        ]
        if intent in CASE_INTENTS:
            rows += [{"text": f"案号{CASE_ZH}，我想{c}", "style": "case_inline"},
                     {"text": f"我想{a}，案号是{CASE_ZH}", "style": "case_inline"}]
        else:
            rows += [{"text": f"我就想{c}", "style": "plain"},
                     {"text": f"请帮我{a}", "style": "plain"}]
        rows += [{"text": f"喂你好，我想{c}一下", "style": "polite"}]
        rows += [{"text": t, "style": "terse"} for t in ZH_TERSE[intent]]
        rows += [{"text": f"同志您好，想{b}", "style": "regional"}]
        for row in rows[-14:]:
            row["intent"] = intent
    return rows


def main() -> None:
    """Write both files."""
    OUT.mkdir(parents=True, exist_ok=True)
    for lang, rows in (("en", english()), ("zh", mandarin())):
        with (OUT / f"{lang}.jsonl").open("w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps({"text": row["text"], "intent": row["intent"],
                                    "style": row["style"]}, ensure_ascii=False) + "\n")
        print(lang, len(rows))


if __name__ == "__main__":
    main()
