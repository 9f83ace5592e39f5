import random

from kg.extraction.sentences import split_sentences


def texts(text):
    return [s.text for s in split_sentences(text)]


def test_chinese_and_ascii_end_marks():
    assert texts("园区开园。企业入驻！为什么？Yes! Really?") == [
        "园区开园。",
        "企业入驻！",
        "为什么？",
        "Yes!",
        "Really?",
    ]


def test_semicolons_do_not_end_sentences():
    assert texts("园区建成工作室19个；引进团队16个;申报项目28个。") == [
        "园区建成工作室19个；引进团队16个;申报项目28个。"
    ]


def test_closing_quotes_and_brackets_stay_with_the_sentence():
    assert texts("他说：“我们注重学习。”随后离开。") == ["他说：“我们注重学习。”", "随后离开。"]
    assert texts("（详见附件。）下文。") == ["（详见附件。）", "下文。"]
    assert texts("『好！』「行。」") == ["『好！』", "「行。」"]


def test_repeated_marks_are_one_end():
    assert texts("真的吗？！是的……对。") == ["真的吗？！", "是的……对。"]


def test_newline_ends_a_sentence():
    assert texts("园镜头\n\n贵阳高新区发布计划\n正文第一句。第二句") == [
        "园镜头",
        "贵阳高新区发布计划",
        "正文第一句。",
        "第二句",
    ]


def test_whitespace_is_outside_the_span_and_blank_sentences_dropped():
    sentences = split_sentences("  甲句。 \u3000乙句！  \n \n  ")
    assert [(s.start, s.end, s.text) for s in sentences] == [(2, 5, "甲句。"), (7, 10, "乙句！")]


def test_empty_and_mark_only_texts():
    assert split_sentences("") == []
    assert split_sentences(" \n\t ") == []
    assert texts("。。”") == ["。。”"]


def test_decimal_points_do_not_end_sentences():
    assert texts("增长率为10.7%。规模达3.5亿元。") == ["增长率为10.7%。", "规模达3.5亿元。"]


def check_invariants(text):
    sentences = split_sentences(text)
    previous_end = 0
    for s in sentences:
        assert text[s.start : s.end] == s.text
        assert s.text and s.text == s.text.strip()
        assert previous_end <= s.start < s.end
        assert "\n" not in s.text
        previous_end = s.end
    # nothing but whitespace is left out
    covered = set()
    for s in sentences:
        covered.update(range(s.start, s.end))
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


def test_offsets_on_random_mixed_strings():
    alphabet = list("园区企业高新技术abcXYZ019 .,，、\t\u3000\n") + list("。！？!?；;”’」』）)“（")
    rng = random.Random(20231225)
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        check_invariants(text)


def test_linear_time_on_long_inputs():
    import time

    for text in ("甲" * 200_000, "。" * 200_000, "a ” " * 50_000, "\n" * 200_000):
        t = time.perf_counter()
        check_invariants(text)
        assert time.perf_counter() - t < 5
