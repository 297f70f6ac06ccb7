"""Chinese for the operator lookup, ticket, work-order and judge pages (issue 17.2, 17.6).

``translate`` looks here after :data:`voicebot.console.i18n.ZH`; keys are the English source
strings of the templates, of :mod:`voicebot.console.labels` and of the form error messages.
"""

from __future__ import annotations

ZH_OPS: dict[str, str] = {
    # page furniture
    "Case lookup": "案件查询",
    "New work orders": "新工单",
    "New": "新",
    # ticket page
    "The caller's case (verified on the line)": "来电人的案件（电话中已核验身份）",
    "Look the case up": "查询案件",
    # case facts
    "Cause of action": "案由",
    "Filed on": "立案日期",
    "Responsible judge": "承办法官",
    "Panel": "合议庭",
    "Parties": "当事人",
    "Next hearing": "下次开庭",
    "none scheduled": "暂无排期",
    "Last hearing": "上次开庭",
    "Recent progress": "最新进展",
    "Result": "结案情况",
    "Judges' replies": "法官答复",
    "Department": "部门",
    # lookup page
    "Every lookup is recorded with your name. A number alone shows where the case is handled; "
    "give the caller its progress only after an identity check passed.":
        "每次查询均以您的账号记录在案。仅凭案号只显示案件承办部门；"
        "身份核验通过后，方可向来电人告知案件进展。",
    "Party's name": "当事人姓名",
    "Identity check": "身份核验",
    "Last 4 digits of the party's phone on file": "当事人预留电话后四位",
    "The case's query password": "案件查询密码",
    "Look up": "查询",
    "The identity check did not pass: do not give the caller any case details.":
        "身份核验未通过：不得向来电人透露任何案件信息。",
    "identity checked": "已核验身份",
    "Identity not checked: tell the caller only where the case is handled.":
        "未核验身份：只可告知来电人案件的承办法院和部门。",
    "Use this case for the work order": "以此案件生成工单",
    "No case matches. Check the number, the name and the identity check.":
        "未找到相符的案件。请核对案号、姓名和核验信息。",
    # form errors (voicebot/handoff/lookup.py, workorders.py)
    "Choose one of the identity checks.": "请选择一种身份核验方式。",
    "Enter a case number, or a party's name with a check.": "请输入案号，或当事人姓名及核验信息。",
    "The phone check is the last 4 digits of the party's phone.":
        "电话核验须填写当事人预留电话的后四位数字。",
    "The phone check needs the party's name.": "电话核验须同时填写当事人姓名。",
    "A party's name needs an identity check.": "按当事人姓名查询须同时进行身份核验。",
    "Cannot read the case number. Write it like （2024）京0105民初12345号.":
        "无法识别案号，请按（2024）京0105民初12345号的格式填写。",
    "The call names no case: look the case up and choose it, or enter its number.":
        "本次来电未提供案号：请先查询并选定案件，或直接填写案号。",
    "No case with this number is in the store: check the number.":
        "系统中没有该案号的案件，请核对案号。",
    "This case has no responsible judge: resolve the call with a note.":
        "该案件尚无承办法官，请填写备注后办结本次来电。",
    "Write a reply to the caller, or a note on why there is none, before closing.":
        "关闭工单前，请先答复来电人，或填写未答复的原因。",
    # judge pages
    "Judge notified": "法官通知",
    "Closing note": "关闭备注",
    "Close": "关闭",
    "Note (needed when there is no reply)": "备注（未答复时必填）",
    "Next contact": "下一位",
    # labels (voicebot/console/labels.py)
    "Department contact": "部门联系人",
    "Head of department": "部门负责人",
    "No answer": "无人接听",
    "Busy": "占线",
    "Unreachable": "无法接通",
    "Open": "待处理",
    "In progress": "处理中",
    "Answered": "已答复",
    "Overdue": "已超期",
    "Closed": "已关闭",
    "Claimed": "已接听",
    "Callback": "待回电",
    "Expired": "已过期",
    "Handed over": "转人工",
    "Filed": "已立案",
    "Accepted": "已受理",
    "Not accepted": "不予受理",
    "In trial": "审理中",
    "Adjourned": "休庭",
    "Plaintiff": "原告",
    "Defendant": "被告",
    "Appellant": "上诉人",
    "Appellee": "被上诉人",
    "Applicant": "申请人",
    "Respondent": "被申请人",
    "Third party": "第三人",
    "Prosecutor": "公诉机关",
    "Pending": "待发送",
    "Sending": "发送中",
    "Sent": "已发送",
    "Failed": "发送失败",
    "Not configured": "未配置",
}
"""Chinese for each English source string of the operator and judge pages."""
