"""Static tables the demo data set is drawn from (immutable tuples)."""

from __future__ import annotations

COURTS: tuple[tuple[str, str, str, str, tuple[str, ...], int], ...] = (
    ("京0105", "北京市朝阳区人民法院", "Beijing Chaoyang District People's Court", "010-6500",
     ("朝阳法院", "朝阳区法院", "朝阳区人民法院", "Chaoyang court", "Chaoyang District court"), 20),
    ("京0101", "北京市东城区人民法院", "Beijing Dongcheng District People's Court", "010-6400",
     ("东城法院", "Dongcheng court"), 10),
    ("京0108", "北京市海淀区人民法院", "Beijing Haidian District People's Court", "010-6200",
     ("海淀法院", "Haidian court"), 12),
    ("京01", "北京市第一中级人民法院", "Beijing No.1 Intermediate People's Court", "010-6300",
     ("北京一中院", "一中院", "Beijing first intermediate court"), 10),
)
"""(code, name, English name, phone prefix, aliases, number of judges)."""

DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("民事审判第一庭", "First Civil Division", "civil"),
    ("民事审判第二庭", "Second Civil Division", "civil"),
    ("刑事审判庭", "Criminal Division", "criminal"),
    ("行政审判庭", "Administrative Division", "admin"),
    ("执行局", "Enforcement Bureau", "enforcement"),
    ("立案庭", "Case Filing Division", ""),
)
"""(name, English name, kind of cases its judges handle); the n-th has phones <prefix>0n00/0n01."""

SURNAMES: tuple[tuple[str, str], ...] = (
    ("张", "Zhang"), ("王", "Wang"), ("李", "Li"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"),
    ("赵", "Zhao"), ("黄", "Huang"), ("周", "Zhou"), ("吴", "Wu"), ("徐", "Xu"), ("孙", "Sun"),
    ("胡", "Hu"), ("朱", "Zhu"), ("高", "Gao"), ("林", "Lin"), ("何", "He"), ("郭", "Guo"),
    ("马", "Ma"), ("罗", "Luo"), ("梁", "Liang"), ("宋", "Song"), ("郑", "Zheng"), ("谢", "Xie"),
    ("韩", "Han"), ("唐", "Tang"), ("冯", "Feng"), ("董", "Dong"), ("程", "Cheng"), ("曹", "Cao"),
    ("袁", "Yuan"), ("邓", "Deng"), ("沈", "Shen"), ("曾", "Zeng"), ("彭", "Peng"), ("吕", "Lyu"),
)
GIVEN: tuple[tuple[str, str], ...] = (
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
    ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"),
    ("杰", "jie"), ("娟", "juan"), ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("秀", "xiu"),
    ("英", "ying"), ("华", "hua"), ("霞", "xia"), ("平", "ping"), ("刚", "gang"), ("兰", "lan"),
    ("建", "jian"), ("国", "guo"), ("文", "wen"), ("辉", "hui"), ("玲", "ling"), ("婷", "ting"),
    ("雪", "xue"), ("宇", "yu"), ("浩", "hao"), ("鹏", "peng"), ("晨", "chen"), ("欣", "xin"),
)
COMPANY_WORDS = ("华信", "恒通", "中联", "鑫达", "天成", "博远", "锦程", "瑞丰", "安泰", "宏图")
COMPANY_KINDS = ("商贸", "科技", "房地产开发", "物业管理", "建筑工程", "文化传媒", "餐饮管理")

CASE_TYPES_BASIC: tuple[tuple[str, int], ...] = (
    ("民初", 50), ("执", 18), ("刑初", 8), ("行初", 3), ("执保", 4), ("执异", 3), ("民特", 4),
    ("民督", 2), ("财保", 2), ("民诉前调", 4), ("执恢", 2),
)
CASE_TYPES_INTERMEDIATE: tuple[tuple[str, int], ...] = (
    ("民终", 45), ("刑终", 8), ("行终", 8), ("民初", 10), ("行初", 8), ("执", 8), ("执异", 5),
    ("执复", 4), ("民辖", 4),
)
KIND_OF_TYPE: dict[str, str] = {
    "民初": "civil", "民终": "civil", "民特": "civil", "民督": "civil", "民诉前调": "civil",
    "民辖": "civil", "刑初": "criminal", "刑终": "criminal", "行初": "admin", "行终": "admin",
    "执": "enforcement", "执恢": "enforcement", "执异": "enforcement", "执复": "enforcement",
    "执保": "enforcement", "财保": "enforcement",
}

CIVIL_CAUSES: tuple[tuple[str, str], ...] = (
    ("民间借贷纠纷", "private lending dispute"), ("买卖合同纠纷", "sales contract dispute"),
    ("房屋租赁合同纠纷", "housing lease contract dispute"), ("离婚纠纷", "divorce dispute"),
    ("劳动争议", "labour dispute"),
    ("机动车交通事故责任纠纷", "motor vehicle traffic accident liability dispute"),
    ("物业服务合同纠纷", "property management service contract dispute"),
    ("金融借款合同纠纷", "financial loan contract dispute"), ("信用卡纠纷", "credit card dispute"),
    ("继承纠纷", "inheritance dispute"), ("抚养纠纷", "child support dispute"),
    ("名誉权纠纷", "reputation rights dispute"), ("服务合同纠纷", "service contract dispute"),
    ("建设工程施工合同纠纷", "construction contract dispute"),
    ("医疗损害责任纠纷", "medical damage liability dispute"),
    ("房屋买卖合同纠纷", "house sale contract dispute"),
    ("网络购物合同纠纷", "online shopping contract dispute"),
    ("追索劳动报酬纠纷", "claim for unpaid wages"),
)
SPECIAL_CAUSES: dict[str, tuple[str, str]] = {
    "民特": ("申请确认人民调解协议效力", "application to confirm a people's mediation agreement"),
    "民督": ("申请支付令", "application for a payment order"),
    "执保": ("申请诉前财产保全", "application for pre-litigation property preservation"),
    "财保": ("申请财产保全", "application for property preservation"),
    "民辖": ("管辖权异议", "objection to jurisdiction"),
}
CRIMINAL_CAUSES: tuple[tuple[str, str], ...] = (
    ("盗窃罪", "theft"), ("诈骗罪", "fraud"), ("危险驾驶罪", "dangerous driving"),
    ("故意伤害罪", "intentional injury"), ("寻衅滋事罪", "picking quarrels and provoking trouble"),
    ("帮助信息网络犯罪活动罪", "assisting information network crimes"),
    ("交通肇事罪", "causing a traffic accident"),
)
ADMIN_CAUSES: tuple[tuple[str, str], ...] = (
    ("行政处罚", "administrative penalty"),
    ("政府信息公开", "government information disclosure"),
    ("行政许可", "administrative licensing"),
    ("房屋征收补偿", "housing expropriation compensation"),
    ("工伤认定", "work injury determination"),
)
AUTHORITIES = ("市场监督管理局", "人力资源和社会保障局", "住房和城乡建设委员会", "公安分局")

RESULTS: dict[str, tuple[tuple[str, str], ...]] = {
    "civil": (
        ("判决支持原告全部诉讼请求", "Judgment for the plaintiff on all claims"),
        ("判决部分支持原告诉讼请求", "Judgment for the plaintiff on part of the claims"),
        ("判决驳回原告诉讼请求", "The plaintiff's claims were dismissed"),
        ("调解结案", "Settled by mediation"), ("原告撤回起诉", "The plaintiff withdrew the suit"),
    ),
    "appeal": (
        ("驳回上诉，维持原判", "Appeal dismissed; the original judgment stands"),
        ("撤销原判，依法改判", "Original judgment set aside and amended"),
        ("发回原审法院重审", "Sent back to the first-instance court for retrial"),
    ),
    "criminal": (
        ("判处有期徒刑一年", "Sentenced to one year in prison"),
        ("判处有期徒刑六个月，缓刑一年",
         "Sentenced to six months in prison, suspended for one year"),
        ("判处拘役三个月，并处罚金", "Sentenced to three months' criminal detention and a fine"),
    ),
    "admin": (
        ("判决驳回原告诉讼请求", "The plaintiff's claims were dismissed"),
        ("判决撤销被诉行政行为", "The contested administrative act was revoked"),
    ),
    "enforcement": (
        ("执行完毕", "Enforcement completed"),
        ("终结本次执行程序", "Enforcement ended for now: no property found to enforce against"),
        ("执行和解", "Closed by an enforcement settlement"),
    ),
}
ROLES: dict[str, tuple[str, str]] = {
    "civil": ("plaintiff", "defendant"), "appeal": ("appellant", "appellee"),
    "criminal": ("defendant", "prosecutor"), "admin": ("plaintiff", "defendant"),
    "enforcement": ("applicant", "respondent"), "application": ("applicant", "respondent"),
}
