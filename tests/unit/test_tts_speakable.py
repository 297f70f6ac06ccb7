from voicebot.tts.speakable import Segment, speakable


def test_english_prompt_with_a_mandarin_offer_is_split_by_voice() -> None:
    segments = speakable("Hello. 普通话服务请按8。 How can I help you?", "en")
    assert [s.language for s in segments] == ["en", "zh", "en"]
    assert segments[1].text == "普通话服务请按8。"


def test_case_numbers_are_spelled_in_both_languages() -> None:
    (zh,) = speakable("案号是（2024）京0105民初12345号，对吗？", "zh")
    assert "幺二三四五号" in zh.text and "12345" not in zh.text
    (en,) = speakable("The case number is (2024) Jing 0105 civil first instance No. 12345.", "en")
    assert "number one two three four five" in en.text and "12345" not in en.text


def test_long_digit_runs_and_record_numbers_are_read_one_by_one() -> None:
    (en,) = speakable("Call 13800000001 about WO-20261128-0007.", "en")
    assert "one three eight, zero zero zero zero, zero zero zero one" in en.text
    assert "W O, two zero two six one one two eight, zero zero zero seven" in en.text
    (time,) = speakable("The hearing is at 9:30 on December 15, 2026.", "en")
    assert time == Segment("The hearing is at 9:30 on December 15, 2026.", "en")


def test_mandarin_prompt_stays_with_one_voice() -> None:
    assert [s.language for s in speakable("请按1，English press 9", "zh")] == ["zh"]


def test_chinese_dates_and_times_are_read_as_people_say_them() -> None:
    (seg,) = speakable("开庭时间为2026年12月2日9:00，地点在第三法庭。", "zh")
    assert seg.text == "开庭时间为二零二六年十二月二日上午九点，地点在第三法庭。"
    (seg,) = speakable("请在2027年1月15日14:05前提交。", "zh")
    assert "二零二七年一月十五日下午两点零五分" in seg.text
    (seg,) = speakable("工作日9点至17点，自助服务24小时，您排在第3位。", "zh")
    assert seg.text == "工作日上午九点至下午五点，自助服务二十四小时，您排在第三位。"
    assert not any(c.isdigit() for c in seg.text)
    (seg,) = speakable("12:30，下午3点，晚上8点15分", "zh")
    assert seg.text == "中午十二点三十分，下午三点，晚上八点十五分"


def test_a_count_of_two_is_liang_but_an_ordinal_stays_er() -> None:
    (seg,) = speakable("您还可以再试2次。您排在第2位，预计等待约2分钟。", "zh")
    assert seg.text == "您还可以再试两次。您排在第二位，预计等待约两分钟。"
    (seg,) = speakable("请按2，共12次", "zh")
    assert seg.text == "请按二，共十二次"


def test_phone_numbers_are_grouped_3_4_4_with_yao_for_one() -> None:
    (seg,) = speakable("法官将回电至13812345678，对吗？", "zh")
    assert "幺三八，幺二三四，五六七八" in seg.text
    (seg,) = speakable("法院联系电话是010-85291234。", "zh")
    assert "零幺零，八五二九，幺二三四" in seg.text
    (seg,) = speakable("热线12368", "zh")
    assert "幺二三六八" in seg.text
    (seg,) = speakable("We will call 13812345678.", "en")
    assert "one three eight, one two three four, five six seven eight" in seg.text
