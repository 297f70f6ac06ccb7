"""Every text the line says, in Mandarin and English; how numbers, dates and times are written."""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType
from zoneinfo import ZoneInfo

from voicebot.casenumber import CaseNumber

_ZH: dict[str, str] = {
    "greeting_head": "您好，这里是{court}12368诉讼服务热线，自助语音服务24小时为您提供。",
    "other_language": "普通话服务请按8。",
    "how_help": "请问有什么可以帮您？",
    "switched": "已切换为普通话服务。请问有什么可以帮您？",
    "confirm_switch": "需要切换为普通话服务吗？是请说“是”或按1，不是请按2。",
    "confirm_end": "您是要结束通话吗？是请说“是”或按1，不是请按2。",
    "not_understood": "抱歉，我没有听清楚。",
    "menu": "您可以直接说出您的需求，也可以按键选择：查询案件请按1，联系法官请按2，"
    "诉讼咨询请按3，投诉或建议请按4，转人工服务请按0。",
    "ask_case_number": "请说出您的案号，例如：（2024）京0105民初12345号。",
    "ask_missing": "请补充案号中的{parts}。",
    "part_year": "立案年份",
    "part_case_type": "案件类型，例如民初",
    "part_seq": "案件序号",
    "keypad_year": "请在电话键盘上输入4位立案年份，以井号键结束。",
    "keypad_type": "请选择案件类型：民初请按1，民终请按2，执行请按3，刑初请按4，行初请按5。",
    "keypad_seq": "请在电话键盘上输入案件序号，以井号键结束。",
    "keypad_offer": "您也可以在电话键盘上输入，以井号键结束。",
    "confirm_number": "您说的案号是{number}，对吗？正确请说“对”或按1，不对请说“不对”或按2。",
    "ask_password": "为保护当事人信息，请说出或在电话键盘上输入该案的6位查询密码，以井号键结束。",
    "password_format": "查询密码是6位数字。",
    "password_keys": "抱歉，我不确定听清了密码。请在电话键盘上输入6位查询密码，以井号键结束。",
    "mismatch": "案号和查询密码不匹配，您还可以再试{left}次。请重新输入6位查询密码。",
    "locked": "本次通话中查询密码与案号多次不匹配，该案号的电话查询已暂停{lock_minutes}分钟。",
    "locked_earlier": "由于此前多次输入了不匹配的查询密码，该案号的电话查询目前暂停，"
    "最长{lock_minutes}分钟。",
    "locked_help": "如需帮助，可以持身份证件到诉讼服务中心办理，"
    "或在工作日{desk_open}至{desk_close}联系人工服务。",
    "no_number_where": "案号印在法院发给您的受理通知书、传票和裁判文书上，"
    "格式如（2024）京0105民初12345号。",
    "no_number_options": "找到案号后请按1或直接说出案号；需要人工服务请按0，"
    "人工服务时间为工作日{desk_open}至{desk_close}；咨询一般问题请按3；没有其他问题请按2。",
    "page": "{text}",
    "more_hint": "星号键重听，井号键继续。",
    "lawful_notice": "提示您：案件信息仅限依法使用，不得用于不正当目的。",
    "lookup_failed": "抱歉，暂时无法调取该案件的信息。",
    "ask_request": "请说出您需要转达给承办法官的事项，说完后请稍等。",
    "confirm_phone": "法官将回电至{phone}，对吗？正确请按1，不对请按2。",
    "confirm_callback_phone": "我们将回电至{phone}，对吗？正确请按1，不对请按2。",
    "ask_phone": "请说出或在电话键盘上输入您的联系电话，以井号键结束；没有可留的电话请按2。",
    "confirm_given_phone": "您留的号码是{phone}，对吗？正确请按1，不对请按2。",
    "no_phone_work_order": "您没有留电话，法官的答复将在您下次来电并验证后告知您。",
    "no_phone_no_callback": "没有回电号码，我们无法为您预约回电。"
    "您可以在工作日{desk_open}至{desk_close}再次拨打12368联系人工服务。",
    "phone_invalid": "电话号码应为7到15位数字。",
    "work_order_created": "已为您向承办法官提交工单，工单号{ref}。法官将在{due}前与您联系。",
    "work_order_created_nodue": "已为您向承办法官提交工单，工单号{ref}。法官会尽快与您联系。",
    "ask_message_complaint": "请说出您的投诉内容，包括您的姓名、联系电话和具体事项，说完后请稍等。",
    "ask_message_report": "请说出您要举报的人员和事项，以及您的联系方式，说完后请稍等。",
    "ask_message_suggestion": "请说出您的意见或建议，说完后请稍等。",
    "ask_message_submit_materials": "请说出您要提交的材料名称和对应的案号，说完后请稍等。",
    "kind_complaint": "投诉",
    "kind_report": "举报",
    "kind_suggestion": "意见建议",
    "kind_submit_materials": "材料提交登记",
    "record_created": "您的{kind}已记录，编号{ref}。",
    "record_due": "我们将在{due}前答复您。",
    "record_spooled": "系统暂时无法登记编号，您的留言已保存，将在系统恢复后转交处理。",
    "materials_note": "材料原件请通过网上提交、邮寄或到诉讼服务中心窗口递交，并注明案号。",
    "transfer": "正在为您转接人工服务，请稍候。",
    "queued": "您当前排在第{position}位，预计等待约{wait}分钟，请不要挂机。",
    "hold_position": "您现在排在第{position}位，请不要挂机，人工客服马上为您服务。",
    "hold_connecting": "正在为您转接人工客服，请稍候。",
    "hold_callback": "很抱歉，人工客服暂时无法接听。我们已为您登记回电，"
    "工作人员会尽快给您回电话。再见。",
    "hold_expired": "很抱歉，人工客服暂时无法接听，请您稍后再拨。再见。",
    "queued_limit": "如果{limit}分钟内未能接通，工作人员将给您回电。",
    "queued_limit_withheld": "您的号码未显示，如果{limit}分钟内未能接通，请您稍后再拨。",
    "desk_closed": "人工服务时间为工作日{desk_open}至{desk_close}，现在不在服务时间。",
    "offer_callback": "我们可以从{when}起给您回电。需要回电请说“是”或按1，不需要请按2。",
    "offer_callback_or_wo": "我们可以从{when}起给您回电，需要回电请按1；"
    "也可以向承办法官提交工单，请按3；都不需要请按2。",
    "callback_created": "已为您预约回电，编号{ref}，工作人员将于{due}起给您回电。",
    "callback_created_nodue": "已为您预约回电，编号{ref}，工作人员将在下一个工作日给您回电。",
    "callback_message": "来电预约回电",
    "next_working_day": "下一个工作日",
    "anything_else": "请问还有其他可以帮您的吗？没有请说“没有”或按2。",
    "ask_anything": "请说出您的其他需求。",
    "goodbye": "感谢您的来电，再见。",
    "still_there": "您好，您还在听吗？",
    "silence_goodbye": "由于长时间没有听到您的声音，本次通话将结束。"
    "如需帮助请再次拨打12368。再见。",
    "error": "抱歉，系统出现了问题。",
    "offer_operator": "需要转人工服务请说“是”或按1，不需要请按2。",
    "error_final": "抱歉，系统暂时无法处理您的请求，"
    "请在工作日{desk_open}至{desk_close}再次拨打12368。",
    "ask_question": "请问您想咨询什么问题？",
    "kb_no_answer": "抱歉，这个问题我暂时无法回答。",
    "escalate": "抱歉，我还是没能听懂您的意思。",
    "still_not_understood": "抱歉，还是没有听清楚。",
    "verified_already": "已为您查询案件{number}。",
    "judge_is": "本案承办法官是{judge}。",
    "fallback_apology": "抱歉，系统出现技术故障。",
    "fallback_handoff": "正在为您转接人工客服，您前面还有{ahead}位。",
    "fallback_callback": "我们将在下一个工作日给您回电，登记号{number}。",
    "fallback_later": "请您稍后再拨。",
}

_EN: dict[str, str] = {
    "greeting_head": "Hello, this is the 12368 litigation service line of {court}. "
    "Self-service is available 24 hours a day.",
    "other_language": "For English, press 9.",
    "how_help": "How can I help you?",
    "switched": "Switched to English. How can I help you?",
    "confirm_switch": "Would you like to continue in English? "
                      "Say yes or press 1; say no or press 2.",
    "confirm_end": "Do you want to end the call? Say yes or press 1; say no or press 2.",
    "not_understood": "Sorry, I did not catch that.",
    "menu": "You can tell me what you need, or use the keypad: for a case enquiry press 1, "
    "to contact the judge press 2, for legal procedure questions press 3, "
    "for complaints or suggestions press 4, for an operator press 0.",
    "ask_case_number": "Please tell me your case number, for example: "
    "(2024) Jing 0105 civil first instance No. 12345.",
    "ask_missing": "Please tell me the {parts} of the case number.",
    "part_year": "year of filing",
    "part_case_type": "case type, such as civil first instance",
    "part_seq": "sequence number",
    "keypad_year": "Please key in the 4-digit year of filing, followed by the hash key.",
    "keypad_type": "Please choose the case type: civil first instance press 1, "
    "civil second instance press 2, enforcement press 3, criminal first instance press 4, "
    "administrative first instance press 5.",
    "keypad_seq": "Please key in the sequence number of the case, followed by the hash key.",
    "keypad_offer": "You can also use the keypad, followed by the hash key.",
    "confirm_number": "The case number is {number}. Is that right? "
    "Say yes or press 1; say no or press 2.",
    "ask_password": "To protect the parties, please say or key in the 6-digit query password "
    "of the case, followed by the hash key.",
    "password_format": "The query password has 6 digits.",
    "password_keys": "Sorry, I am not sure I heard the password right. Please key in the "
                     "6-digit query password, followed by the hash key.",
    "mismatch": "The case number and password do not match. Attempts left: {left}. "
    "Please enter the 6-digit query password again.",
    "locked": "The password did not match this case number several times in this call, so "
    "telephone queries for it are paused for {lock_minutes} minutes.",
    "locked_earlier": "Telephone queries for this case number are paused for up to "
    "{lock_minutes} minutes because of earlier attempts with a wrong password.",
    "locked_help": "For help, visit the litigation service centre with your ID, or call an "
    "operator between {desk_open} and {desk_close} on a working day.",
    "no_number_where": "The case number is printed on the acceptance notice, the summons and "
    "the judgment the court sent you, for example (2024) Jing 0105 civil first instance "
    "No. 12345.",
    "no_number_options": "When you have it, press 1 or say the number. For an operator press 0; "
    "operators answer from {desk_open} to {desk_close} on working days. For a general question "
    "press 3. Otherwise press 2.",
    "page": "{text}",
    "more_hint": "Press star to repeat, hash for more.",
    "lawful_notice": "Please note: case information may be used only lawfully, "
    "not for improper purposes.",
    "lookup_failed": "Sorry, the case information cannot be retrieved right now.",
    "ask_request": "Please tell me what you would like to pass on to the judge, "
    "then wait a moment.",
    "confirm_phone": "The judge will call you back at {phone}. Is that right? "
    "Press 1 for yes, 2 for no.",
    "confirm_callback_phone": "We will call you back at {phone}. Is that right? "
    "Press 1 for yes, 2 for no.",
    "ask_phone": "Please say or key in your phone number, followed by the hash key. "
    "If you have no number to leave, press 2.",
    "confirm_given_phone": "Your number is {phone}. Is that right? "
    "Press 1 for yes or 2 for no.",
    "no_phone_work_order": "As you left no number, the judge's reply will be read to you the "
    "next time you call and verify.",
    "no_phone_no_callback": "Without a number we cannot book a callback. You can call 12368 "
    "again between {desk_open} and {desk_close} on a working day to talk to an operator.",
    "phone_invalid": "A phone number has 7 to 15 digits.",
    "work_order_created": "A work order has been sent to the judge, number {ref}. "
    "The judge will contact you by {due}.",
    "work_order_created_nodue": "A work order has been sent to the judge, number {ref}. "
    "The judge will contact you as soon as possible.",
    "ask_message_complaint": "Please describe your complaint, with your name and phone number, "
    "then wait a moment.",
    "ask_message_report": "Please tell me who and what you are reporting, and how to reach you, "
    "then wait a moment.",
    "ask_message_suggestion": "Please tell me your suggestion, then wait a moment.",
    "ask_message_submit_materials": "Please tell me which materials you are submitting and "
    "for which case number, then wait a moment.",
    "kind_complaint": "complaint",
    "kind_report": "report",
    "kind_suggestion": "suggestion",
    "kind_submit_materials": "materials submission",
    "record_created": "Your {kind} has been recorded, number {ref}.",
    "record_due": "We will reply by {due}.",
    "record_spooled": "We cannot give you a number right now, but your message is saved and "
    "will be passed on.",
    "materials_note": "Please hand in the materials online, by post or at the litigation service "
    "centre, marked with the case number.",
    "transfer": "Transferring you to an operator, please hold.",
    "hold_position": "You are number {position} in the queue. Please stay on the line, an "
    "operator will be with you shortly.",
    "hold_connecting": "Connecting you to an operator now.",
    "hold_callback": "Sorry, no operator can take your call right now. We have booked a callback "
    "and will call you back as soon as we can. Goodbye.",
    "hold_expired": "Sorry, no operator can take your call right now. Please call again later. "
    "Goodbye.",
    "queued": "You are number {position} in the queue. The expected wait is about {wait} "
    "minute{plural}. Please stay on the line.",
    "queued_limit": "If no one answers within {limit} minutes, we will call you back.",
    "queued_limit_withheld": "Your number is withheld, so if no one answers within {limit} "
    "minutes, please call again later.",
    "desk_closed": "Operators answer from {desk_open} to {desk_close} on working days; "
    "they are not available now.",
    "offer_callback": "We can call you back from {when}. For a callback say yes or press 1; "
    "otherwise press 2.",
    "offer_callback_or_wo": "We can call you back from {when}: press 1. Or we can send a work "
    "order to the judge: press 3. For neither, press 2.",
    "callback_created": "Your callback is booked, number {ref}. We will call you from {due}.",
    "callback_created_nodue": "Your callback is booked, number {ref}. We will call you on the "
    "next working day.",
    "callback_message": "Callback requested by the caller",
    "next_working_day": "the next working day",
    "anything_else": "Is there anything else I can help you with? If not, say no or press 2.",
    "ask_anything": "Please tell me what else you need.",
    "goodbye": "Thank you for calling. Goodbye.",
    "still_there": "Hello, are you still there?",
    "silence_goodbye": "I have not heard anything for a while, so I will end the call. "
    "Please call 12368 again if you need help. Goodbye.",
    "error": "Sorry, something went wrong on our side.",
    "offer_operator": "For an operator say yes or press 1; otherwise press 2.",
    "error_final": "Sorry, your request cannot be handled right now. Please call 12368 again "
    "between {desk_open} and {desk_close} on a working day.",
    "ask_question": "What would you like to know?",
    "kb_no_answer": "Sorry, I cannot answer that question.",
    "escalate": "Sorry, I still could not understand you.",
    "still_not_understood": "Sorry, I still did not catch that.",
    "verified_already": "Case {number}.",
    "judge_is": "The judge responsible for this case is {judge}.",
    "fallback_apology": "Sorry, we have a technical problem.",
    "fallback_handoff": " Transferring you to an operator; you are number {position} in line.",
    "fallback_callback": " We will call you back on the next working day, reference {number}.",
    "fallback_later": " Please call again later.",
}

PROMPTS = MappingProxyType({"zh": MappingProxyType(_ZH), "en": MappingProxyType(_EN)})
"""Prompt templates by language and key (``str.format`` fields in braces)."""

KEYPAD_TYPES = ("民初", "民终", "执", "刑初", "行初")
"""Case types offered on the keypad, key 1 first."""


def text(key: str, language: str, **fields: object) -> str:
    """A prompt in ``language`` with its fields filled in."""
    template = PROMPTS["en" if language == "en" else "zh"][key]
    return template.format(**fields) if fields else template


def case_number_text(number: CaseNumber, language: str) -> str:
    """Official form in Mandarin; ``(2024) Jing 0105 civil first instance No. 12345`` in English."""
    if language == "en":
        return f"({number.year}) {number.court_en} {number.type_name_en} No. {number.seq}"
    return str(number)


def date_text(day: dt.date, language: str) -> str:
    """``2026年3月5日`` / ``March 5, 2026``."""
    if language == "en":
        return f"{day:%B} {day.day}, {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


def datetime_text(moment: dt.datetime, tz: ZoneInfo, language: str) -> str:
    """Date and 24-hour time in the court's time zone."""
    local = moment.astimezone(tz) if moment.tzinfo is not None else moment.replace(tzinfo=tz)
    clock = f"{local.hour}:{local.minute:02d}"
    if language == "en":
        return f"{date_text(local.date(), language)} at {clock}"
    return f"{date_text(local.date(), language)}{clock}"


def list_text(items: list[str], language: str) -> str:
    """Join items the way each language lists them."""
    if language == "en":
        if len(items) <= 2:
            return " and ".join(items)
        return ", ".join(items[:-1]) + " and " + items[-1]
    return "、".join(items)


__all__ = [
    "KEYPAD_TYPES",
    "PROMPTS",
    "case_number_text",
    "date_text",
    "datetime_text",
    "list_text",
    "text",
]
