"""Case numbers in generated written and spoken utterances, with ASR-style noise."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

import pytest

from voicebot.casenumber import CASE_TYPES, PROVINCES
from voicebot.nlu.cases import DEFAULT_COURT_ALIASES, CaseExtractor
from voicebot.nlu.speak import en_case, written_case, zh_case
from voicebot.nlu.types import PartialCaseNumber

N_VARIANTS = 600
_PINYIN_COUNT = Counter(p.lower() for p in PROVINCES.values())
EN_PROVS = [abbr for abbr, p in PROVINCES.items() if _PINYIN_COUNT[p.lower()] == 1]
ZH_ALIASES = [(a, c) for a, c in DEFAULT_COURT_ALIASES.items() if not a.isascii()]
EN_ALIASES = [(a, c) for a, c in DEFAULT_COURT_ALIASES.items() if a.isascii()]


@dataclass(frozen=True)
class Variant:
    """One generated utterance and the case number it carries."""

    text: str
    truth: PartialCaseNumber


def _court(rng: random.Random, provinces: list[str]) -> str:
    prov = rng.choice(provinces)
    digits = rng.choice(("", f"{rng.randrange(1, 100):02d}", f"{rng.randrange(1, 10000):04d}"))
    return prov + (digits if digits != "0000" else "0101")


def _truth(rng: random.Random, provinces: list[str]) -> tuple[int, str, str, int]:
    seq = rng.choice((rng.randrange(1, 10), rng.randrange(10, 1000), rng.randrange(1, 100000)))
    return rng.randrange(2005, 2027), _court(rng, provinces), rng.choice(list(CASE_TYPES)), seq


def zh_variants(seed: int, n: int) -> list[Variant]:
    """Mandarin utterances: written, spoken, court by name, partial, with fillers and spaces."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        year, court, case_type, seq = _truth(rng, list(PROVINCES))
        style = i % 6
        said_year: int | None = year
        said_court: str | None = court
        if style == 0:
            body = written_case(year, court, case_type, seq, rng)
        elif style == 5:
            body = " ".join(written_case(year, court, case_type, seq, rng).replace("号", " 号")
                            .replace("）", " ） ").replace(")", " ) ").split())
        elif style == 1:
            body = zh_case(year, court, case_type, seq, rng)
        elif style == 2:
            alias, said_court = rng.choice(ZH_ALIASES)
            spoken = zh_case(year, None, case_type, seq, rng)
            if spoken[4] == "年" and rng.random() < 0.5:
                body = spoken[:5] + alias + spoken[5:]  # 二零二四年朝阳法院民初...
            else:
                body = alias + spoken
        elif style == 3:
            said_court = None
            body = zh_case(year, None, case_type, seq, rng)
        elif style == 4:
            said_year = None
            body = zh_case(None, court, case_type, seq, rng)
        filler = rng.choice(("", "嗯", "呃", "那个", "就是"))
        prefix = rng.choice(("", "我想查一下", "案号是", "我的案子是", "喂你好我问一下", "嗯"))
        suffix = rng.choice(("", "的进度", "谢谢", "开庭时间", "。", "，麻烦了"))
        text = prefix + filler + body + suffix
        if rng.random() < 0.3:
            text = " ".join(text.replace(" ", ""))
        out.append(Variant(text, PartialCaseNumber(said_year, said_court, case_type, seq)))
    return out


def en_variants(seed: int, n: int) -> list[Variant]:
    """English utterances: spoken in several styles, written, court by name, partial."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        year, court, case_type, seq = _truth(rng, EN_PROVS)
        style = i % 6
        said_year: int | None = year
        said_court: str | None = court
        if style == 0:
            body = written_case(year, court, case_type, seq, rng)
        elif style == 5:
            body = f"case {year} {court} {case_type} number {seq}"
        elif style == 1:
            body = en_case(year, court, case_type, seq, rng)
        elif style == 2:
            alias, said_court = rng.choice(EN_ALIASES)
            spoken = en_case(year, None, case_type, seq, rng)
            body = f"{alias} {spoken}" if rng.random() < 0.5 else f"{spoken} from {alias}"
            if not body.startswith(alias):
                said_court = None  # a court said after the number is not part of it
        elif style == 3:
            said_court = None
            body = en_case(year, None, case_type, seq, rng)
        elif style == 4:
            said_year = None
            body = en_case(None, court, case_type, seq, rng)
        filler = rng.choice(("", "um ", "uh ", "the case number is ", "it's "))
        prefix = rng.choice(("", "I want to check ", "hello ", "my case ", "Can you look up "))
        suffix = rng.choice(("", " please", " thank you", ".", ", when is the hearing"))
        text = prefix + filler + body + suffix
        if rng.random() < 0.5:
            text = text.lower().replace(",", "").replace(".", "")
        out.append(Variant(text, PartialCaseNumber(said_year, said_court, case_type, seq)))
    return out


@pytest.fixture(scope="module")
def extractor() -> CaseExtractor:
    return CaseExtractor.build()


@pytest.mark.parametrize(
    ("language", "make"), [("zh", zh_variants), ("en", en_variants)]
)
def test_generated_variants_exact(
    extractor: CaseExtractor, language: str, make: object
) -> None:
    variants = make(20240601, N_VARIANTS)  # type: ignore[operator]
    assert len(variants) >= 400
    wrong = []
    for v in variants:
        found = extractor.extract(v.text, language)
        got = found.partial if found else None
        if got != v.truth:
            wrong.append((v.text, v.truth, got))
    assert not wrong, f"{len(wrong)} of {len(variants)} wrong, e.g. {wrong[:5]}"


@pytest.mark.parametrize(
    ("text", "language", "parts"),
    [
        ("（2024）京0105民初12345号", "zh", (2024, "京0105", "民初", 12345)),
        ("二零二四年京零一零五民初一二三四五号", "zh", (2024, "京0105", "民初", 12345)),
        ("二零二四年民事一审一二三四五号", "zh", (2024, None, "民初", 12345)),
        ("京零一零五执行五号", "zh", (None, "京0105", "执", 5)),
        ("朝阳法院二三年民初三百二十一", "zh", (2023, "京0105", "民初", 321)),
        ("twenty twenty four civil first instance one two three four five", "en",
         (2024, None, "民初", 12345)),
        ("two thousand nineteen jing zero one zero five enforcement number forty two", "en",
         (2019, "京0105", "执", 42)),
        ("haidian court twenty twenty civil second instance double five", "en",
         (2020, "京0108", "民终", 55)),
        ("执行五号", "zh", (None, None, "执", 5)),
        ("enforcement number forty five", "en", (None, None, "执", 45)),
    ],
)
def test_known_numbers(
    extractor: CaseExtractor, text: str, language: str, parts: tuple[object, ...]
) -> None:
    found = extractor.extract(text, language)
    assert found is not None
    assert found.partial == PartialCaseNumber(*parts)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "language"),
    [("我想申请执行", "zh"), ("执行案件怎么查", "zh"), ("how do I apply for enforcement", "en"),
     ("我想查一下我的案子", "zh"), ("one two three four", "en"), ("我申请执行三万块钱", "zh"),
     ("公司破产三年了", "zh"), ("I want enforcement of thirty thousand yuan", "en")],
)
def test_no_case_number(extractor: CaseExtractor, text: str, language: str) -> None:
    assert extractor.extract(text, language) is None


def test_store_aliases_replace_builtins() -> None:
    extractor = CaseExtractor.build({"西城 法院": "京0102", "Xicheng  Court": "京0102"})
    found = extractor.extract("西城法院二零二四年民初八号", "zh")
    assert found is not None and found.partial.court == "京0102"
    found = extractor.extract("xicheng court twenty twenty four civil first instance eight", "en")
    assert found is not None and found.partial.court == "京0102"
    assert extractor.extract("朝阳法院二零二四年民初八号", "zh").partial.court is None  # type: ignore[union-attr]


@pytest.mark.parametrize("said", [
    "twenty twenty four civil first since one two three four five",
    "twenty twenty four civil for instance one two three four five",
    "twenty twenty four simple first instance one two three four five",
])
def test_free_readings_of_civil_first_instance(said: str) -> None:
    found = CaseExtractor.build(None).extract(said, "en", due=True)
    assert found is not None and found.partial == PartialCaseNumber(2024, None, "民初", 12345)


def test_for_instance_alone_is_no_case_type() -> None:
    assert CaseExtractor.build(None).extract("for instance my case", "en", due=True) is None
