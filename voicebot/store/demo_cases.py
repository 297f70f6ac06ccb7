"""Random but plausible demo cases: types, causes, parties, hearings, events and results."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from voicebot.casenumber import CaseNumber
from voicebot.store import demo_data as D
from voicebot.store.records import CaseRec, EventRec, HearingRec, JudgeRec, PartyRec, ResultRec

AS_OF = dt.date(2026, 11, 27)
"""The demo data describes the courts as of this day (so it does not depend on the clock)."""
CST = dt.timezone(dt.timedelta(hours=8))
COURT_WEIGHTS = {"京0105": 50, "京0101": 15, "京0108": 20, "京01": 15}
SLOTS = ((9, 0), (9, 30), (10, 0), (14, 0), (14, 30), (15, 0))
APPEAL_TYPES = {"民终", "刑终", "行终", "执复"}
APPLICATION_TYPES = {"民特", "民督", "执保", "财保", "民辖", "民诉前调", "执异"}


def random_name(rng: random.Random) -> tuple[str, str]:
    """A Chinese name and its pinyin, e.g. ("王秀英", "Wang Xiuying")."""
    surname, sur_en = rng.choice(D.SURNAMES)
    given = rng.sample(D.GIVEN, rng.choice((1, 2, 2)))
    pinyin = "".join(p for _, p in given).title()
    return surname + "".join(g for g, _ in given), f"{sur_en} {pinyin}"


class CaseGenerator:
    """Draws cases from ``seed``; sequence numbers run up per court, year and case type."""

    def __init__(self, seed: int, judges: list[JudgeRec], reserved: set[str]) -> None:
        self.rng = random.Random(seed)
        self.reserved = reserved
        self.seqs: dict[tuple[str, int, str], int] = {}
        self.judges: dict[tuple[str, str], list[JudgeRec]] = {}
        kinds = {name: kind for name, _, kind in D.DEPARTMENTS}
        for j in judges:
            kind = kinds.get(j.department or "", "")
            self.judges.setdefault((j.court, kind), []).append(j)
        self.courts = list(COURT_WEIGHTS)
        self.court_weights = list(COURT_WEIGHTS.values())

    def cases(self, count: int) -> Iterator[CaseRec]:
        """``count`` cases."""
        for _ in range(count):
            yield self.case()

    def case(self) -> CaseRec:
        """One case."""
        rng = self.rng
        court = rng.choices(self.courts, self.court_weights)[0]
        table = D.CASE_TYPES_INTERMEDIATE if court == "京01" else D.CASE_TYPES_BASIC
        case_type = rng.choices([t for t, _ in table], [w for _, w in table])[0]
        year = rng.choice((2023, 2024, 2025, 2026))
        number = self._number(year, court, case_type)
        kind = D.KIND_OF_TYPE[case_type]
        role_kind = ("appeal" if case_type in APPEAL_TYPES
                     else "application" if case_type in APPLICATION_TYPES else kind)
        last = min(AS_OF, dt.date(year, 12, 31))
        first = dt.date(year, 1, 2)
        filed = first + dt.timedelta(days=rng.randrange((last - first).days + 1))
        cause, cause_en = self._cause(case_type, kind)
        case = CaseRec(number, cause, cause_en, filed, query_password=f"{rng.randrange(10**6):06d}")
        case.parties = self._parties(kind, role_kind, court)
        case.events.append(EventRec(_time(rng, filed), "收到立案材料", "Filing materials received"))
        age = (AS_OF - filed).days
        if rng.random() < 0.03 and role_kind != "appeal":
            case.status = "not_accepted"
            case.events.append(EventRec(_time(rng, _later(rng, filed, 3, 7)), "裁定不予受理",
                                        "Ruling not to accept the case"))
            return case
        if age < 7 and rng.random() < 0.6:
            return case
        self._accept(case, court, kind, age)
        return case

    def _accept(self, case: CaseRec, court: str, kind: str, age: int) -> None:
        rng = self.rng
        assert case.filed_on is not None
        case.accepted, case.status = True, "accepted"
        pool = self.judges.get((court, kind)) or self.judges[(court, "civil")]
        judge = rng.choice(pool)
        case.judge = judge.ext_id
        accepted_on = _later(rng, case.filed_on, 1, 7)
        case.events.append(EventRec(_time(rng, accepted_on), "立案受理", "Case accepted"))
        case.events.append(EventRec(_time(rng, _later(rng, accepted_on, 0, 3)),
                                    f"分案至承办法官{judge.name}",
                                    f"Assigned to Judge {judge.name_en}"))
        if kind != "enforcement" and (case.number.case_type.endswith("终") or rng.random() < 0.4):
            others = [j.ext_id for j in pool if j.ext_id != judge.ext_id]
            case.panel = [judge.ext_id, *rng.sample(others, min(2, len(others)))]
        if age < 20:
            return
        hearing_kind = kind != "enforcement" and case.number.case_type not in D.SPECIAL_CAUSES
        room = rng.randint(1, 12)
        if hearing_kind:
            case.events.append(EventRec(_time(rng, _later(rng, accepted_on, 5, 15)),
                                        "向被告送达起诉状副本及开庭传票",
                                        "Complaint and summons served on the defendant"))
            first = _later(rng, case.filed_on, 30, 120)
            if first < AS_OF:
                at = _slot(rng, first)
                case.hearings.append(HearingRec(at, f"第{_cn(room)}法庭", f"Courtroom {room}"))
                case.events.append(EventRec(at, "开庭审理", "Hearing held"))
        else:
            case.events.append(EventRec(_time(rng, _later(rng, accepted_on, 3, 10)),
                                        "发出执行通知书", "Enforcement notice issued"))
        closing = rng.random() < min(0.92, age / 300)
        if closing:
            self._close(case, kind, accepted_on)
        elif hearing_kind and case.hearings:
            if rng.random() < 0.2:
                case.status = "adjourned"
                case.events.append(EventRec(case.hearings[-1].at + dt.timedelta(hours=2),
                                            "延期审理", "Hearing adjourned"))
            else:
                case.status = "in_trial"
            if rng.random() < 0.7:
                at = _slot(rng, _later(rng, AS_OF, 3, 60))
                case.hearings.append(HearingRec(at, f"第{_cn(room)}法庭", f"Courtroom {room}"))
                case.events.append(EventRec(_time(rng, _later(rng, AS_OF, -20, -1)),
                                            "排期开庭", "Hearing scheduled"))
        elif not hearing_kind:
            case.status = "in_trial"

    def _close(self, case: CaseRec, kind: str, accepted_on: dt.date) -> None:
        rng = self.rng
        start = case.hearings[-1].at.date() if case.hearings else accepted_on
        on = min(_later(rng, start, 7, 60), AS_OF)
        key = "appeal" if case.number.case_type in APPEAL_TYPES and kind != "enforcement" else kind
        text, text_en = rng.choice(D.RESULTS[key])
        case.status, case.result = "closed", ResultRec(on, text, text_en)
        if kind != "enforcement":
            case.events.append(EventRec(_time(rng, on), "宣判", "Judgment pronounced"))
        case.events.append(EventRec(_time(rng, min(_later(rng, on, 1, 20), AS_OF)), "结案",
                                    "Case closed"))

    def _number(self, year: int, court: str, case_type: str) -> CaseNumber:
        key = (court, year, case_type)
        while True:
            seq = self.seqs.get(key) or self.rng.randint(100, 3000)
            self.seqs[key] = seq + self.rng.randint(1, 3)
            number = CaseNumber(year, court, case_type, seq)
            if str(number) not in self.reserved:
                return number

    def _cause(self, case_type: str, kind: str) -> tuple[str, str]:
        if case_type in D.SPECIAL_CAUSES:
            return D.SPECIAL_CAUSES[case_type]
        table = {"criminal": D.CRIMINAL_CAUSES, "admin": D.ADMIN_CAUSES}.get(kind, D.CIVIL_CAUSES)
        return self.rng.choice(table)

    def _parties(self, kind: str, role_kind: str, court: str) -> list[PartyRec]:
        rng = self.rng
        first, second = D.ROLES[role_kind]
        district = "朝阳区" if court == "京0105" else "东城区" if court == "京0101" else "海淀区"
        if kind == "criminal":
            return [PartyRec(random_name(rng)[0], "defendant", ""),
                    PartyRec(f"北京市{district}人民检察院", "prosecutor", "")]
        parties = [PartyRec(random_name(rng)[0], first, _mobile(rng))]
        if kind == "admin":
            parties.append(PartyRec(f"北京市{district}{rng.choice(D.AUTHORITIES)}", second, ""))
        elif rng.random() < 0.4:
            company = f"北京{rng.choice(D.COMPANY_WORDS)}{rng.choice(D.COMPANY_KINDS)}有限公司"
            parties.append(PartyRec(company, second, f"010-{rng.randint(60000000, 89999999)}"))
        else:
            parties.append(PartyRec(random_name(rng)[0], second, _mobile(rng)))
        if rng.random() < 0.08:
            parties.append(PartyRec(random_name(rng)[0], "third_party", _mobile(rng)))
        return parties


def _later(rng: random.Random, day: dt.date, low: int, high: int) -> dt.date:
    """A working day ``low`` to ``high`` days after ``day`` (Saturdays and Sundays skipped)."""
    out = day + dt.timedelta(days=rng.randint(low, high))
    while out.weekday() >= 5:
        out += dt.timedelta(days=1)
    return out


def _time(rng: random.Random, day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, rng.randint(9, 16), rng.choice((0, 15, 30)),
                       tzinfo=CST)


def _slot(rng: random.Random, day: dt.date) -> dt.datetime:
    hour, minute = rng.choice(SLOTS)
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=CST)


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice((3, 5, 8))}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"


def _cn(n: int) -> str:
    """1..99 in Chinese numerals (第十二法庭)."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    head = ("" if tens == 1 else digits[tens]) + "十" if tens else ""
    return head + (digits[ones] if ones else "")
