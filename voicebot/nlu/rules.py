"""Keyword rules: yes / no, language switches, the intents rules get right, consultation topics."""

from __future__ import annotations

import re
from collections.abc import Mapping

_ZH_NO = (
    r"不对|不是|不要|不用|不需要|不正确|不行|错了|错的|说错了|没有|没了|否"
    r"|不(?=[,，。.!！\s]|$)"
)
_ZH_YES = (
    r"对对|对的|对|是的|是啊|是滴|没错|正确|好的|好|可以|行|确认|嗯嗯|嗯|没问题|yes|ok"
)
_ZH_PARTICLE = r"[呢呀啊哦嘛吧啦]"
"""Sentence particles after a yes ("是的呢", "对啊", "好的呀")."""
_ZH_YES_RE = re.compile(
    rf"^(?:{_ZH_YES}){_ZH_PARTICLE}*(?:[,，。.!！\s]|$|(?:{_ZH_YES}))")
_ZH_BARE_YES = re.compile(r"^(?:是|是是|是是是)[,，。.!！\s]*$")
_BARE_ANSWER: Mapping[str, re.Pattern[str]] = {
    "zh": re.compile(rf"^(?:(?:{_ZH_YES}|{_ZH_NO}|是|不|啊|呃)[,，。.!！?？\s]*)+$"),
    "en": re.compile(
        r"^(?:(?:yes|yeah|yep|yup|no|nope|nah|ok|okay|sure|right|correct|wrong|exactly|um|uh|"
        r"of course|that's right|not really|uh huh|please|thanks|thank you)[,.!?\s]*)+$"
    ),
}
_ZH_NO_RE = re.compile(
    rf"^(?:嗯|呃|啊)?[,，\s]*(?:{_ZH_NO})(?!好意思|知道|清楚|太|很|是很|一定|会)"
)
_EN_NO_RE = re.compile(
    r"^(?:um |uh )?(?:no|nope|nah|not really|not right|not correct|wrong|incorrect|negative|"
    r"that's wrong|that is wrong|that's not right|that is not right|nothing else|nothing more|"
    r"that's all|that is all|no more)\b(?!\s+(?:problem|worries))"
)
_EN_YES_RE = re.compile(
    r"^(?:um |uh )?(?:yes|yeah|yep|yup|correct|right|that's right|that is right|that's correct|"
    r"sure|ok|okay|exactly|affirmative|confirm|confirmed|uh huh|of course|indeed|"
    r"that is correct|absolutely|yes it is|that's it|that's the one|mhm|yea)\b"
)

_SWITCH: Mapping[str, re.Pattern[str]] = {
    "en": re.compile(r"english|英语|英文|说英|讲英", re.IGNORECASE),
    "zh": re.compile(r"中文|汉语|普通话|国语|说中|讲中|chinese|mandarin|zhongwen|putonghua", re.I),
}

RULE_INTENTS: Mapping[str, Mapping[str, re.Pattern[str]]] = {
    "zh": {
        "operator": re.compile(
            r"转人工|人工服务|人工客服|找人工|接人工|要人工|人工接听|接线员|话务员|真人"
        ),
        "no_case_number": re.compile(
            r"(?:不知道|不记得|忘了|忘记了?|找不到|没有|不清楚|弄丢了|丢了)(?:我的|那个|这个)?案(?:件编?)?号"
            r"|案号(?:我|是)?(?:不知道|不记得|忘了|忘记了?|找不到|丢了|弄丢了|没有)"
            r"|我的案号是(?:多少|什么)"
        ),
        "goodbye": re.compile(
            r"^(?:好的?|嗯|谢谢|没有了|没事了|没别的了|行)?[,，\s]*"
            r"(?:再见|拜拜|挂了|就这样吧?|没有其他问题了?)"
            r"|(?:再见|拜拜)[。!！]*$"
        ),
    },
    "en": {
        "operator": re.compile(
            r"\b(?:operator|human|real person|live person|live agent|an agent|representative|"
            r"somebody real|someone real)\b"
        ),
        "no_case_number": re.compile(
            r"\b(?:i )?(?:don't|do not|dont|didn't|did not) (?:know|have|remember|get|keep)"
            r"(?: (?:it|one|that))?(?: the| my| a)?(?: case)? number\b"
            r"|\b(?:i )?(?:lost|forgot|can't find|cannot find|can not find|misplaced) "
            r"(?:it|the number|my number|the case number|my case number)\b"
            r"|\bi don't have (?:it|one)\b|\bno case number\b|\bwhat is my case number\b"
        ),
        "goodbye": re.compile(
            r"\b(?:goodbye|good bye|bye|bye bye|that's all|that is all|hang up|have a nice day)\b"
        ),
    },
}
"""Intents keyword rules decide better than the classifier."""

TOPIC_KEYWORDS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "zh": {
        "fees": ("诉讼费", "费用", "交费", "缴费", "收费", "多少钱", "退费", "缓交", "交钱",
                 "受理费"),
        "preservation": ("财产保全", "诉前保全", "诉讼保全", "保全", "转移财产"),
        "service": ("送达", "传票", "邮寄", "寄给", "收到", "文书", "地址确认"),
        "materials": ("材料", "证件", "带什么", "准备什么", "几份", "身份证", "复印件", "手续"),
        "evidence": ("证据", "举证", "质证", "证人", "鉴定"),
        "mediation": ("调解", "和解", "私了", "协商"),
        "retrial": ("再审", "申诉"),
        "appeal": ("上诉", "二审", "不服"),
        "enforcement": ("强制执行", "申请执行", "执行", "老赖", "失信", "查封", "冻结", "不给钱",
                        "不还钱", "不履行"),
        "legal_aid": ("法律援助", "请不起律师", "免费律师", "免费的律师", "12348"),
        "jurisdiction": ("管辖", "哪个法院", "哪家法院"),
        "procedure": ("审理期限", "审限", "多久判", "多久能判", "小额诉讼", "简易程序", "撤诉",
                      "撤回起诉", "生效"),
        "hours": ("上班", "几点", "时间", "办公", "周末", "节假日", "开门", "下班", "作息"),
        "online_query": ("网上", "在线", "网站", "小程序", "手机上", "公众号", "app", "电子"),
        "filing": ("立案", "起诉", "打官司", "告他", "递诉状", "告状"),
    },
    "en": {
        "fees": ("fee", "fees", "cost", "costs", "how much", "pay the fee", "pay fees", "payment",
                 "refund", "charge"),
        "preservation": ("preservation", "preserve", "freeze the assets", "freeze his assets",
                         "transferring assets", "hide assets", "hiding assets",
                         "hiding his assets"),
        "service": ("service of", "for service", "summons", "served", "serve", "delivered", "mail",
                    "post", "delivery"),
        "materials": ("material", "materials", "documents", "bring", "paperwork", "id card",
                      "copies", "forms", "complaint form"),
        "evidence": ("evidence", "witness", "proof", "prove", "appraisal", "exhibit"),
        "mediation": ("mediation", "mediate", "settle", "settlement", "mediator"),
        "retrial": ("retrial", "reopen", "new trial"),
        "appeal": ("appeal", "appealing", "higher court", "disagree with the judgment"),
        "enforcement": ("enforcement", "enforce", "execution", "freeze", "seize", "won't pay",
                        "refuses to pay", "debtor"),
        "legal_aid": ("legal aid", "afford a lawyer", "free lawyer", "pro bono"),
        "jurisdiction": ("jurisdiction", "which court", "what court", "right court"),
        "procedure": ("time limit for trial", "how long will the trial", "small claims",
                      "simplified procedure", "withdraw", "withdrawing", "take effect",
                      "takes effect", "how long does the court take"),
        "hours": ("hours", "open", "opening", "close", "closing", "weekend", "holiday",
                  "what time", "working time", "office time"),
        "online_query": ("online", "website", "web site", "internet", "app", "mini program",
                         "wechat", "portal", "electronic"),
        "filing": ("file", "filing", "sue", "lawsuit", "register a case", "start a case",
                   "bring a case", "claim"),
    },
}
"""Consultation topics by keyword, tried in this order (the first topic with a hit wins)."""

TOPICS = tuple(TOPIC_KEYWORDS["zh"])
"""Knowledge-base topics of ``consultation``."""


def yes_no(text: str, language: str) -> bool | None:
    """True / False when the utterance opens with a yes or a no (or a correction), else None."""
    text = text.strip()
    if language == "zh":
        if _ZH_NO_RE.match(text):
            return False
        if _ZH_YES_RE.match(text) or _ZH_BARE_YES.match(text):
            return True
        return None
    if _EN_NO_RE.match(text):
        return False
    if _EN_YES_RE.match(text):
        return True
    return None


def language_switch(text: str, language: str) -> str | None:
    """The language the caller asks to switch to, in a short utterance, else None."""
    size = len(text) if language == "zh" else len(text.split()) * 2
    if size > 16:
        return None
    for target, pattern in _SWITCH.items():
        if pattern.search(text):
            return target
    return None


def rule_intent(text: str, language: str) -> str | None:
    """``operator``, ``goodbye`` or ``no_case_number`` when their keywords are said,
    ``unknown`` for a bare yes / no (an answer, not a request), else None."""
    if _BARE_ANSWER[language].match(text.strip()):
        return "unknown"
    if language == "en":
        text = re.sub(r"\b(?:um|uh|er|erm)\b\s*", "", text)
    for intent, pattern in RULE_INTENTS[language].items():
        if pattern.search(text):
            return intent
    return None


_CASE_WORDS: Mapping[str, re.Pattern[str]] = {
    "zh": re.compile(
        r"^(?:我的|案号|案件|号码|是|的|号|对吧|对|嗯|呃|啊|那个|就是|[,，。.!！?？\s])*$"
    ),
    "en": re.compile(
        r"^(?:\b(?:my|the|case|number|numbered|no|is|it's|it|its|um|uh|er|okay|ok|please|"
        r"that's|yes)\b|[,.!?#\s])*$"
    ),
}


def only_case_number(rest: str, language: str) -> bool:
    """Whether what surrounds a case number says nothing more ("案号是…", "case number …")."""
    return bool(_CASE_WORDS[language].match(rest))


def topic(text: str, language: str) -> str | None:
    """Consultation topic by keyword, or None."""
    for name, words in TOPIC_KEYWORDS[language].items():
        if language == "zh":
            if any(word in text for word in words):
                return name
        elif re.search(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", text):
            return name
    return None
