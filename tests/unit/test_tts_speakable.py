from voicebot.tts.speakable import Segment, speakable


def test_english_prompt_with_a_mandarin_offer_is_split_by_voice() -> None:
    segments = speakable("Hello. 普通话服务请按8。 How can I help you?", "en")
    assert [s.language for s in segments] == ["en", "zh", "en"]
    assert segments[1].text == "普通话服务请按8。"


def test_case_numbers_are_spelled_in_both_languages() -> None:
    (zh,) = speakable("案号是（2024）京0105民初12345号，对吗？", "zh")
    assert "一二三四五号" in zh.text and "12345" not in zh.text
    (en,) = speakable("The case number is (2024) Jing 0105 civil first instance No. 12345.", "en")
    assert "number one two three four five" in en.text and "12345" not in en.text


def test_long_digit_runs_and_record_numbers_are_read_one_by_one() -> None:
    (en,) = speakable("Call 13800000001 about WO-20261128-0007.", "en")
    assert "one three eight zero" in en.text
    assert "W O, two zero two six one one two eight, zero zero zero seven" in en.text
    (time,) = speakable("The hearing is at 9:30 on December 15, 2026.", "en")
    assert time == Segment("The hearing is at 9:30 on December 15, 2026.", "en")


def test_mandarin_prompt_stays_with_one_voice() -> None:
    assert [s.language for s in speakable("请按1，English press 9", "zh")] == ["zh"]
