"""The demo data set: fixed courts and judges, deterministic cases (no database)."""

from __future__ import annotations

from collections import Counter

from voicebot.casenumber import CASE_TYPES, CaseNumber
from voicebot.store.demo import SHOWCASE, demo_courts, demo_judges, generate_cases, showcase_cases
from voicebot.store.demo_cases import AS_OF
from voicebot.store.models import CASE_STATUSES
from voicebot.store.records import PASSWORD_PATTERN


def test_courts_and_judges_are_the_documented_ones() -> None:
    courts = {c.code: c for c in demo_courts()}
    assert set(courts) == {"京0105", "京0101", "京0108", "京01"}
    assert "朝阳法院" in courts["京0105"].aliases and "一中院" in courts["京01"].aliases
    judges = demo_judges()
    assert 45 <= len(judges) <= 60
    assert len({j.ext_id for j in judges}) == len(judges)
    assert len({j.name for j in judges}) == len(judges)
    zhang = next(j for j in judges if j.ext_id == "J0105-001")
    assert (zhang.name, zhang.name_en, zhang.work_phone) == ("张伟", "Zhang Wei", "010-65000001")
    dep = next(d for d in courts["京0105"].departments if d.name == zhang.department)
    assert (dep.contact_name, dep.contact_phone, dep.head_name, dep.head_phone) == (
        "王芳", "010-65000100", "赵强", "010-65000101")
    for j in judges:
        assert any(d.name == j.department for d in courts[j.court].departments)
        assert j.name_en.split()[0].isalpha() and j.name_en[0].isupper()


def test_showcase_cases_are_fixed() -> None:
    cases = {str(c.number): c for c in showcase_cases()}
    assert {n: cases[n].query_password for n, _ in SHOWCASE} == dict(SHOWCASE)
    lending = cases[SHOWCASE[0][0]]
    assert (lending.status, lending.judge, len(lending.panel)) == ("in_trial", "J0105-001", 3)
    assert any(h.at.date() > AS_OF for h in lending.hearings)
    assert cases[SHOWCASE[1][0]].result is not None
    assert not cases[SHOWCASE[2][0]].accepted


def test_same_seed_same_cases_other_seed_other_cases() -> None:
    judges = demo_judges()
    first = [(str(c.number), c.status, c.query_password) for c in generate_cases(7, 300, judges)]
    again = [(str(c.number), c.status, c.query_password) for c in generate_cases(7, 300, judges)]
    other = [(str(c.number), c.status, c.query_password) for c in generate_cases(8, 300, judges)]
    assert first == again
    assert first != other


def test_generated_cases_are_valid_and_varied() -> None:
    judges = {j.ext_id for j in demo_judges()}
    cases = list(generate_cases(1, 2000, demo_judges()))
    numbers = [str(c.number) for c in cases]
    assert len(set(numbers)) == len(numbers)
    assert not set(numbers) & {n for n, _ in SHOWCASE}
    assert all(CaseNumber.parse(n) == c.number for n, c in zip(numbers, cases, strict=True))
    assert len({c.number.case_type for c in cases}) >= 8
    assert {c.number.case_type for c in cases} <= set(CASE_TYPES)
    assert {c.number.year for c in cases} == {2023, 2024, 2025, 2026}
    statuses = Counter(c.status for c in cases)
    assert set(statuses) <= set(CASE_STATUSES) and len(statuses) >= 5
    for c in cases:
        assert c.query_password is not None and PASSWORD_PATTERN.match(c.query_password)
        assert c.cause and c.cause_en and c.parties
        assert all(j in judges for j in [*c.panel, *([c.judge] if c.judge else [])])
        assert (c.result is not None) == (c.status == "closed")
        assert c.accepted == (c.status not in ("filed", "not_accepted"))
        assert all(e.text and e.text_en for e in c.events)
        assert all(h.room and h.room_en for h in c.hearings)
        assert c.filed_on is not None and c.filed_on <= AS_OF
