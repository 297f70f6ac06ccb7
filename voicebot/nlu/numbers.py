"""Spoken-number normalization: Mandarin and English number words to Arabic digits."""

from __future__ import annotations

import re
import unicodedata

ZH_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "洞": 0, "幺": 1, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "拐": 7, "八": 8, "九": 9,
}
"""Mandarin digit characters, including the telephone forms 洞 (0), 幺 (1) and 拐 (7)."""

ZH_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
ZH_BIG_UNITS: dict[str, int] = {"万": 10_000, "亿": 100_000_000}

_ZH_RUN = re.compile("[零〇洞幺一二两三四五六七八九拐十百千万亿]+")
_CJK_SPACE = re.compile(r"(?<![A-Za-z])\s+|\s+(?![A-Za-z])")
_WORD_SPACES = re.compile(r"\s+")


def clean_text(text: str, language: str) -> str:
    """NFKC, trimmed, collapsed spaces; Mandarin drops the spaces between non-Latin characters."""
    text = unicodedata.normalize("NFKC", text).strip()
    if language == "zh":
        text = _CJK_SPACE.sub("", text)
        return _WORD_SPACES.sub(" ", text)
    return _WORD_SPACES.sub(" ", text).lower()


def zh_number_value(run: str) -> int | None:
    """Value of a Mandarin number with units (一万二千三百四十五, 三百五); None if malformed."""
    total = 0
    section = 0
    digit: int | None = None
    last_unit = 1
    for ch in run:
        if ch in ZH_DIGITS:
            if digit is not None and ZH_DIGITS[ch] != 0 and digit != 0:
                return None
            digit = ZH_DIGITS[ch]
        elif ch in ZH_UNITS:
            unit = ZH_UNITS[ch]
            section += (digit or 1) * unit
            digit = None
            last_unit = unit
        elif ch in ZH_BIG_UNITS:
            big = ZH_BIG_UNITS[ch]
            section += digit or 0
            total = (total + section) * big
            section = 0
            digit = None
            last_unit = big
        else:
            return None
    if digit:
        # 一万二 is 12000, 三百五 is 350: a trailing digit counts in the next lower unit.
        section += digit * (last_unit // 10 if last_unit >= 10 and run[-2] not in "零〇" else 1)
    return total + section


def zh_run_to_digits(run: str) -> str | None:
    """Arabic form of a Mandarin run: digit by digit (leading zeros kept) or by value."""
    if all(ch in ZH_DIGITS for ch in run):
        return "".join(str(ZH_DIGITS[ch]) for ch in run)
    if run[0] in ZH_BIG_UNITS or run[0] in "百千":
        return None
    value = zh_number_value(run)
    return None if value is None else str(value)


def normalize_zh(text: str, *, singles: bool = False) -> str:
    """Replace Mandarin number runs by Arabic digits.

    A lone digit character (一下, 一个, 三中院) stays unless ``singles`` is set or it is
    followed by 号 (五号); runs of two or more characters are always numbers.
    """

    def repl(match: re.Match[str]) -> str:
        run = match.group(0)
        following = text[match.end() : match.end() + 1]
        if len(run) == 1 and not singles and following != "号":
            return run
        if run in ("万一", "十分"):
            return run
        converted = zh_run_to_digits(run)
        return run if converted is None else converted

    return _ZH_RUN.sub(repl, text)


EN_UNITS: dict[str, int] = {
    "zero": 0, "oh": 0, "o": 0, "nought": 0, "one": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
}
EN_TEENS: dict[str, int] = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
EN_TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
EN_SCALES: dict[str, int] = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_EN_REPEAT = {"double": 2, "triple": 3}
_EN_NUMBER_WORDS = set(EN_UNITS) | set(EN_TEENS) | set(EN_TENS) | set(EN_SCALES)
_EN_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)*|\d+")


def _is_number_token(tokens: list[str], i: int) -> bool:
    tok = tokens[i]
    if tok.isdigit():
        return True
    if tok in ("oh", "o"):
        # "oh" is a zero only in a run of number words that has a real number in it.
        j = i
        while j > 0 and tokens[j - 1] in ("oh", "o"):
            j -= 1
        k = i
        while k + 1 < len(tokens) and tokens[k + 1] in ("oh", "o"):
            k += 1
        neighbours = tokens[max(0, j - 1) : j] + tokens[k + 1 : k + 2]
        return any(n.isdigit() or n in _EN_NUMBER_WORDS - {"oh", "o"} for n in neighbours)
    if tok in _EN_REPEAT:
        return i + 1 < len(tokens) and (tokens[i + 1] in EN_UNITS or tokens[i + 1].isdigit())
    if tok == "and":
        return (
            0 < i < len(tokens) - 1
            and tokens[i - 1] in EN_SCALES
            and tokens[i + 1] in _EN_NUMBER_WORDS
        )
    return tok in _EN_NUMBER_WORDS


def en_span_to_digits(words: list[str]) -> str:
    """Digits of a span of English number words, read as a sequence of spoken groups.

    "one two three" -> 123, "twenty twenty four" -> 2024, "twenty oh five" -> 2005,
    "two thousand twenty four" -> 2024, "double five" -> 55.
    """
    out: list[str] = []
    total = 0
    group = 0
    last: str | None = None  # kind of the previous word within the current number
    repeat = 1

    def flush() -> None:
        nonlocal total, group, last
        if last is not None:
            out.append(str(total + group))
        total, group, last = 0, 0, None

    for word in words:
        if word in _EN_REPEAT:
            flush()
            repeat = _EN_REPEAT[word]
            continue
        if word == "and":
            continue
        if word.isdigit():
            flush()
            out.append(word * repeat)
            repeat = 1
            continue
        if word in EN_UNITS:
            value = EN_UNITS[word]
            if repeat > 1 or value == 0 or last not in ("tens", "hundred", "thousand"):
                flush()
                if value == 0 or repeat > 1:
                    out.append(str(value) * repeat)
                    repeat = 1
                    continue
            group += value
            last = "unit"
        elif word in EN_TEENS:
            if last not in ("hundred", "thousand"):
                flush()
            group += EN_TEENS[word]
            last = "teen"
        elif word in EN_TENS:
            if last not in ("hundred", "thousand"):
                flush()
            group += EN_TENS[word]
            last = "tens"
        elif word == "hundred":
            if last in (None, "hundred") or (group % 100 == 0 and group):
                flush()
                group = 1
            group *= 100
            last = "hundred"
        else:
            scale = EN_SCALES[word]
            if last is None:
                group = 1
            total = (total + (group or 1)) * scale
            group = 0
            last = "thousand"
    flush()
    return "".join(out)


def normalize_en(text: str) -> str:
    """Replace English number-word spans by Arabic digits (text already lower-cased)."""
    text = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text)
    matches = list(_EN_TOKEN.finditer(text))
    tokens = [m.group(0) for m in matches]
    flags = [_is_number_token(tokens, i) for i in range(len(tokens))]
    pieces: list[str] = []
    pos = 0
    i = 0
    while i < len(tokens):
        if not flags[i] or tokens[i] == "and":
            i += 1
            continue
        j = i
        while j < len(tokens) and flags[j] and _only_space(text, matches[j - 1], matches[j], i, j):
            j += 1
        while tokens[j - 1] == "and":
            j -= 1
        pieces.append(text[pos : matches[i].start()])
        pieces.append(en_span_to_digits(tokens[i:j]))
        pos = matches[j - 1].end()
        i = j
    pieces.append(text[pos:])
    return "".join(pieces)


def _only_space(text: str, prev: re.Match[str], cur: re.Match[str], i: int, j: int) -> bool:
    """Number words continue a span only across spaces (a comma ends the number)."""
    return j == i or not text[prev.end() : cur.start()].strip()


EN_HOMOPHONES: dict[str, str] = {"to": "two", "too": "two", "for": "four", "won": "one",
                                 "ate": "eight"}
"""Words recognizers write for digits, read as digits between other digits when digits are due."""


def en_homophones(text: str) -> str:
    """Homophones next to number words as digits: one to three for -> one two three four."""
    words = text.split()
    numeric = [w.strip(",.") in _EN_NUMBER_WORDS or w.isdigit() for w in words]
    out = []
    for i, word in enumerate(words):
        near = (i > 0 and numeric[i - 1]) or (i + 1 < len(words) and numeric[i + 1])
        out.append(EN_HOMOPHONES.get(word, word) if near else word)
    return " ".join(out)


def normalize(text: str, language: str, *, singles: bool = False) -> str:
    """Cleaned text with spoken numbers as Arabic digits.

    ``singles`` (digits are due): Mandarin lone digits count, English homophones (to, for) too.
    """
    cleaned = clean_text(text, language)
    if language == "zh":
        return normalize_zh(cleaned, singles=singles)
    return normalize_en(en_homophones(cleaned) if singles else cleaned)
