"""What the SIP line says while a handed-off caller waits for an operator (zh, en)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

HOLD: Mapping[str, str] = MappingProxyType({
    "zh": "您现在排在第{position}位，请不要挂机，人工客服马上为您服务。",
    "en": "You are number {position} in the queue. Please stay on the line, an operator will "
          "be with you shortly.",
})
"""Said every ``sip_hold_message_s`` while the ticket waits."""
CONNECTING: Mapping[str, str] = MappingProxyType({
    "zh": "正在为您转接人工客服，请稍候。",
    "en": "Connecting you to an operator now.",
})
"""Said when an operator took the ticket, before the transfer."""
CALLBACK: Mapping[str, str] = MappingProxyType({
    "zh": "很抱歉，人工客服暂时无法接听。我们已为您登记回电，工作人员会尽快给您回电话。再见。",
    "en": "Sorry, no operator can take your call right now. We have booked a callback and "
          "will call you back as soon as we can. Goodbye.",
})
"""Said when no operator took the call in time or the operator did not answer."""


def say(prompts: Mapping[str, str], language: str, **values: object) -> str:
    """The prompt in ``language`` (English when there is none), filled in."""
    return prompts.get(language, prompts["en"]).format(**values)
