"""``voicebot db demo``: a realistic, deterministic demo data set written with bulk inserts.

Courts, departments and judges are always the same (other parts of the line rely on them); the
cases depend on ``seed``. Three showcase cases always exist with fixed passwords.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy.orm import Session

from voicebot.casenumber import CaseNumber
from voicebot.store import demo_data as D
from voicebot.store.demo_cases import CST, CaseGenerator, random_name
from voicebot.store.records import (
    CaseRec,
    CourtRec,
    DepartmentRec,
    EventRec,
    HearingRec,
    JudgeRec,
    PartyRec,
    ResultRec,
)
from voicebot.store.writer import BATCH, load_refs, upsert_courts, upsert_judges, write_cases

DEFAULT_SEED = 12368
DEFAULT_CASES = 10_000

SHOWCASE = (
    ("（2024）京0105民初12345号", "482913"),
    ("（2023）京0105民初888号", "135790"),
    ("（2025）京0105民初77号", "246801"),
)
"""Case numbers that always exist, with their query passwords."""
FIXED_JUDGES = (("张伟", "Zhang Wei"), ("王秀英", "Wang Xiuying"), ("李娜", "Li Na"))
"""J0105-001..003, the panel of the showcase case (as in docs/example-import.json)."""


@dataclass(frozen=True)
class DemoSummary:
    """What the demo wrote, and a few cases to try the line with."""

    courts: int
    judges: int
    cases: int
    samples: tuple[tuple[str, str], ...]
    """(case number, query password) pairs."""


def demo_courts() -> list[CourtRec]:
    """The four demo courts with their departments."""
    rng = random.Random("demo-structure")
    courts = []
    for code, name, name_en, prefix, aliases, _ in D.COURTS:
        deps = []
        for k, (dname, dname_en, _kind) in enumerate(D.DEPARTMENTS):
            contact, head = random_name(rng)[0], random_name(rng)[0]
            if code == "京0105" and k == 0:
                contact, head = "王芳", "赵强"
            deps.append(DepartmentRec(dname, dname_en, contact, f"{prefix}{(k + 1) * 100:04d}",
                                      head, f"{prefix}{(k + 1) * 100 + 1:04d}"))
        courts.append(CourtRec(code, name, name_en, list(aliases), deps))
    return courts


def demo_judges() -> list[JudgeRec]:
    """About fifty judges; J0105-001 is 张伟 (Zhang Wei) of the First Civil Division."""
    rng = random.Random("demo-judges")
    used = {name for name, _ in FIXED_JUDGES}
    trial = [d for d in D.DEPARTMENTS if d[2]]
    judges = []
    for code, _, _, prefix, _, count in D.COURTS:
        for n in range(1, count + 1):
            if code == "京0105" and n <= len(FIXED_JUDGES):
                name, name_en = FIXED_JUDGES[n - 1]
            else:
                name, name_en = random_name(rng)
                while name in used:
                    name, name_en = random_name(rng)
            used.add(name)
            dep = trial[0] if code == "京0105" and n <= 3 else trial[(n - 1) % len(trial)]
            judges.append(JudgeRec(f"J{code[1:]}-{n:03d}", name, code, name_en, dep[0],
                                   f"{prefix}{n:04d}"))
    return judges


def showcase_cases() -> list[CaseRec]:
    """The fixed cases documented for trying the line."""
    t = _at
    lending = CaseRec(
        CaseNumber.parse(SHOWCASE[0][0]), "民间借贷纠纷", "private lending dispute",
        dt.date(2024, 3, 1), True, "in_trial", "J0105-001", ["J0105-001", "J0105-002", "J0105-003"],
        hearings=[HearingRec(t(2024, 6, 18, 9, 30), "第三法庭", "Courtroom 3"),
                  HearingRec(t(2026, 12, 15, 9, 30), "第三法庭", "Courtroom 3")],
        events=[EventRec(t(2024, 3, 5, 10, 0), "立案受理", "Case accepted"),
                EventRec(t(2024, 3, 6, 9, 0), "分案至承办法官张伟", "Assigned to Judge Zhang Wei"),
                EventRec(t(2024, 3, 12, 14, 0), "向被告送达起诉状副本及开庭传票",
                         "Complaint and summons served on the defendant"),
                EventRec(t(2024, 6, 18, 9, 30), "开庭审理", "Hearing held"),
                EventRec(t(2026, 11, 2, 10, 0), "排期再次开庭", "Further hearing scheduled")],
        query_password=SHOWCASE[0][1],
        parties=[PartyRec("李明", "plaintiff", "13800000001"),
                 PartyRec("北京恒通商贸有限公司", "defendant", "010-87654321")],
    )
    closed = CaseRec(
        CaseNumber.parse(SHOWCASE[1][0]), "买卖合同纠纷", "sales contract dispute",
        dt.date(2023, 4, 10), True, "closed", "J0105-002", [],
        hearings=[HearingRec(t(2023, 6, 20, 14, 0), "第五法庭", "Courtroom 5")],
        events=[EventRec(t(2023, 4, 12, 10, 0), "立案受理", "Case accepted"),
                EventRec(t(2023, 6, 20, 14, 0), "开庭审理", "Hearing held"),
                EventRec(t(2023, 7, 14, 15, 0), "宣判", "Judgment pronounced"),
                EventRec(t(2023, 8, 1, 9, 0), "结案", "Case closed")],
        result=ResultRec(dt.date(2023, 7, 14),
                         "判决被告于判决生效之日起十日内支付原告货款人民币五万元",
                         "The defendant must pay the plaintiff 50,000 yuan for the goods within "
                         "ten days of the judgment taking effect"),
        query_password=SHOWCASE[1][1],
        parties=[PartyRec("王磊", "plaintiff", "13800000002"),
                 PartyRec("北京锦程科技有限公司", "defendant", "010-84000002")],
    )
    refused = CaseRec(
        CaseNumber.parse(SHOWCASE[2][0]), "名誉权纠纷", "reputation rights dispute",
        dt.date(2025, 2, 10), False, "not_accepted", None, [],
        events=[EventRec(t(2025, 2, 10, 11, 0), "收到立案材料", "Filing materials received"),
                EventRec(t(2025, 2, 17, 16, 0), "裁定不予受理", "Ruling not to accept the case")],
        query_password=SHOWCASE[2][1],
        parties=[PartyRec("陈刚", "plaintiff", "13800000003"),
                 PartyRec("赵敏", "defendant", "")],
    )
    return [lending, closed, refused]


def generate_cases(seed: int, count: int, judges: list[JudgeRec]) -> Iterator[CaseRec]:
    """``count`` random cases (deterministic for ``seed``), none clashing with the showcase."""
    yield from CaseGenerator(seed, judges, {n for n, _ in SHOWCASE}).cases(count)


def build_demo(session: Session, *, seed: int = DEFAULT_SEED, cases: int = DEFAULT_CASES,
               progress: Callable[[int], None] | None = None) -> DemoSummary:
    """Write the demo data set into ``session`` (the caller commits); ``cases`` counts the
    showcase cases too. Running it again with the same seed updates the same records."""
    refs = load_refs(session)
    courts, judges = demo_courts(), demo_judges()
    upsert_courts(session, courts, refs)
    upsert_judges(session, judges, refs)
    show = showcase_cases()
    batch: list[CaseRec] = list(show)
    samples = [(str(c.number), c.query_password or "") for c in show]
    written = 0
    for case in generate_cases(seed, max(0, cases - len(show)), judges):
        if len(samples) < 8 and case.status in ("in_trial", "closed", "adjourned"):
            samples.append((str(case.number), case.query_password or ""))
        batch.append(case)
        if len(batch) >= BATCH:
            written += sum(write_cases(session, batch, refs, progress=progress))
            batch = []
    if batch:
        written += sum(write_cases(session, batch, refs, progress=progress))
    session.flush()
    return DemoSummary(len(courts), len(judges), written, tuple(samples))


def _at(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=CST)
