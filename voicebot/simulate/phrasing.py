"""How simulated callers word things: requests per intent, numbers, yes/no, goodbyes.

The wordings differ from the NLU training utterances and the call fixtures (a unit test checks);
a goal's ``variant`` picks one, modulo their count.
"""

from __future__ import annotations

from types import MappingProxyType

from voicebot.casenumber import CaseNumber
from voicebot.tts.verbalize import say_digits

_EN: dict[str, tuple[str, ...]] = {
    "hearing_time": ("could you tell me the date of my court hearing",
                     "i need the hearing date for my case please",
                     "when do i have to appear in court"),
    "case_progress": ("what is happening with my case at the moment",
                      "can you give me an update on my lawsuit",
                      "i am calling to find out where my case stands"),
    "case_panel": ("which judges are on my panel",
                   "who are the judges hearing my case",
                   "could you tell me who is deciding my case"),
    "case_result": ("what was the outcome of my case",
                    "i would like to hear the judgment in my case",
                    "how did my case end"),
    "case_acceptance": ("did the court take my case",
                        "i want to know if my filing was accepted",
                        "was my case accepted by the court or not"),
    "contact_judge": ("i need to get a message to my judge",
                      "could the judge on my case call me back",
                      "i would like to reach the judge handling my case"),
    "complaint": ("i have a complaint about the court staff",
                  "i am not happy with how i was treated and want to complain",
                  "i would like to lodge a complaint"),
    "suggestion": ("i have a suggestion for the court",
                   "i would like to give some feedback to improve your service",
                   "can i leave a suggestion"),
    "submit_materials": ("i need to hand in some documents for my case",
                         "how do i send extra evidence to the court",
                         "i want to submit some papers"),
    "consultation": ("what are the court fees for a lawsuit",
                     "how much does it cost to file a case",
                     "how long do i have to appeal a judgment"),
    "operator": ("can i talk to a real person please",
                 "put me through to a human",
                 "i would like to speak with someone at the court"),
}

_ZH: dict[str, tuple[str, ...]] = {
    "hearing_time": (
        "麻烦问一下我这个案子哪天开庭",
        "想查一下开庭的日子",
        "我的官司啥时候开庭啊",
    ),
    "case_progress": (
        "我想了解一下案子现在办到哪一步了",
        "帮我查查案子的进度呗",
        "我那个案子现在啥情况",
    ),
    "case_panel": (
        "我的案子是哪几位法官在审",
        "想问问合议庭有哪些人",
        "这个案子的审判人员都有谁",
    ),
    "case_result": (
        "我的案子判下来了没有，结果是什么",
        "想知道一下判决结果",
        "案子最后咋判的",
    ),
    "case_acceptance": (
        "我交的起诉材料法院收了没有",
        "想问下我的案子立上了没",
        "我的案子受理了吗麻烦查一下",
    ),
    "contact_judge": (
        "我想跟承办法官说几句话",
        "能不能让法官给我回个电话",
        "有事想转告一下审我案子的法官",
    ),
    "complaint": (
        "我要反映一个问题，对工作人员的态度有意见",
        "我想投诉一下",
        "我对你们法院的服务很不满意要投诉",
    ),
    "suggestion": (
        "我想给法院提点建议",
        "有个意见想跟你们说一下",
        "给你们的服务提个建议",
    ),
    "submit_materials": (
        "我想补交一些证据材料",
        "有份材料要交给法院",
        "我需要递交补充材料",
    ),
    "consultation": (
        "打官司要交多少诉讼费",
        "诉讼费怎么收的",
        "不服判决多长时间内可以上诉",
    ),
    "operator": (
        "麻烦帮我转一下人工",
        "我想找个真人说话",
        "能不能转接工作人员",
    ),
}

REQUESTS = MappingProxyType({"en": MappingProxyType(_EN), "zh": MappingProxyType(_ZH)})
"""Request wordings by language and intent."""

MESSAGES = MappingProxyType({
    "en": MappingProxyType({
        "complaint": "my name is wang fang my number is one three nine and nobody answered "
                     "my letters for two months",
        "suggestion": "please keep the service centre open on saturday mornings",
        "submit_materials": "a bank statement for case twenty twenty four one two three four five",
        "contact_judge": "please ask the judge to call me about the next hearing",
    }),
    "zh": MappingProxyType({
        "complaint": "我叫王芳，电话一三九，我寄的材料两个月都没人回复",
        "suggestion": "希望诉讼服务中心周六上午也能开门",
        "submit_materials": "银行流水，案号是二零二四年一二三四五号",
        "contact_judge": "请法官给我回个电话，说一下下次开庭的事",
    }),
})
"""What the caller says when the line asks for a message (complaint, the judge's request...)."""

YES = MappingProxyType({"en": ("yes", "yes that's right", "correct"),
                        "zh": ("对", "对的", "是的")})
"""Confirmations."""
NO_MORE = MappingProxyType({"en": ("no thank you goodbye", "no that's all bye",
                                   "nothing else thanks"),
                            "zh": ("没有了，谢谢", "没有了再见", "不用了谢谢")})
"""Answers to "anything else?"."""
NO_PREFIX = MappingProxyType({"en": "no it's", "zh": "不对，是"})
"""Lead-in of a correction."""


def pick(options: tuple[str, ...], variant: int) -> str:
    """Option ``variant`` modulo their count."""
    return options[variant % len(options)]


def request_text(intent: str, language: str, variant: int) -> str:
    """The caller's request."""
    return pick(REQUESTS[language][intent], variant)


def case_number_words(number: CaseNumber, language: str, variant: int, *, audio: bool) -> str:
    """The case number as the caller says (or types) it."""
    if language == "zh":
        if not audio and variant % 2 == 0:
            return str(number)
        year = say_digits(str(number.year), "zh").replace("幺", "一")
        seq = say_digits(str(number.seq), "zh").replace("幺", "一")
        return f"{year}年{number.case_type}{seq}号"
    year = {2023: "twenty twenty three", 2024: "twenty twenty four",
            2025: "twenty twenty five", 2026: "twenty twenty six"}.get(number.year) or \
        say_digits(str(number.year), "en")
    kind = "civil first instance" if number.case_type == "民初" else number.type_name_en.lower()
    seq = say_digits(str(number.seq), "en")
    if variant % 2:
        return f"it's {year} {kind} number {seq}"
    return f"{year} {kind} {seq}"


def digits_words(digits: str, language: str) -> str:
    """A digit string said digit by digit (Mandarin 一 for one, as people say it)."""
    return say_digits(digits, language).replace("幺", "一")
