"""Bad input: a matrix of broken, odd and huge files, generated here (never real articles).

Every file is either built (its articles read, extracted, in the graph) or
skipped with one line naming the file (and the line of a JSON Lines file)
and the reason; never a traceback, and the rest of the input is built.  The
large cases (a 50 MB file, 100,000 JSON lines) bound the reader's time and
memory against a run one tenth the size, so that what is checked is
linearity, not the speed of the machine.
"""

from __future__ import annotations

import codecs
import json
import os
import random
import re
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli.main import cli
from kg.extraction.extract import extract
from kg.reading.read import MAX_ARTICLE_CHARS, read_file
from kg.records import Document, Skipped

ARTICLE = (
    "云溪高新区新建孵化器\n\n"
    "12月20日,云溪高新区新建孵化器一座,已入驻企业十家。"
    "青禾新材料有限公司位于云溪高新区,聚焦新材料。\n\n"
    "园区负责人表示,明年将继续扩建。"
)
TRADITIONAL = (
    "雲溪高新區新建孵化器\n\n"
    "12月20日,雲溪高新區新建孵化器一座,已入駐企業十家。"
    "青禾新材料有限公司位於雲溪高新區,聚焦新材料。"
)
FULL_WIDTH = "ＱＨ新材料有限公司位于云溪高新区，聚焦新材料。２０２３年，园区集聚人才１０３０人。"
RARE = "㙟"  # CJK extension A: four bytes in GB18030

# What no article text may hold once read.
_UNCLEAN = re.compile("[\r\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060\ufeff\u2028\u2029]")


@dataclass
class Case:
    name: str  # file name in the matrix folder
    data: bytes
    docs: int = 0  # articles read from it
    skipped: list = field(default_factory=list)  # (line or None, reason: exact text or a regex)
    check: Callable[[list[Document]], None] | None = None


def _text_is(expected: str):
    def check(docs):
        assert docs[0].text == expected

    return check


def _laughs() -> str:
    lines = ["a: &a [x,x,x,x,x,x,x,x,x]"]
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\ntitle: *i\n"


def _jsonl_lines() -> tuple[list[str], int, list]:
    good = {
        "text": "甲园区开园。青禾新材料有限公司位于云溪高新区。",
        "title": "开园",
        "url": "https://news.example.cn/1",
        "date": "2023-01-02",
    }
    lines = [
        json.dumps(good, ensure_ascii=False),  # 1
        "{not json",  # 2
        "[1, 2]",  # 3
        json.dumps({"title": "无正文"}, ensure_ascii=False),  # 4
        json.dumps({"text": 5}),  # 5
        json.dumps({"text": " \u3000\n "}),  # 6
        "[" * 100_000,  # 7
        '{"text": "甲", "date": 1' + "0" * 5000 + "}",  # 8
        '{"text": "甲园区\\ud800开园。"}',  # 9: a lone surrogate
        '{"text": "甲园区\\u0000开\\u200b园\\u202e。"}',  # 10: NUL, invisible characters
        json.dumps({"text": "甲园区开园。", "title": ["a", "b"]}, ensure_ascii=False),  # 11
        json.dumps({"text": "\u200b\u200d\ufeff"}),  # 12
        "null",  # 13
        "",  # 14: blank lines are not articles
        '{"text": "乙园区开园。"',  # 15: half written
        json.dumps({"text": "丙园区开园。", "date": "２０２３-０１-０１"}, ensure_ascii=False),  # 16
        json.dumps({"text": "丁园区开园。", "date": "2023-13-45"}, ensure_ascii=False),  # 17
    ]
    skipped = [
        (2, "not valid JSON: Expecting property name enclosed in double quotes (column 2)"),
        (3, "not a JSON object"),
        (4, 'no string "text" field'),
        (5, 'no string "text" field'),
        (6, 'empty "text" field'),
        (7, "not valid JSON: nested too deeply"),
        (8, r"not valid JSON: Exceeds the limit \(4300 digits\) for integer string conversion.*"),
        (11, '"title" is a list, not text'),
        (12, 'empty "text" field'),
        (13, "not a JSON object"),
        (15, "not valid JSON: Expecting ',' delimiter (column 18)"),
    ]
    return lines, 5, skipped


def _check_jsonl(docs):
    assert [d.line for d in docs] == [1, 9, 10, 16, 17]
    assert docs[1].text == "甲园区\ufffd开园。"
    assert docs[2].text == "甲园区开园。"
    assert [d.date for d in docs] == ["2023-01-02", "", "", "2023-01-01", ""]  # no 13th month


def _long_sentence() -> str:
    """100,000 characters without punctuation: a name at each end, filler between."""
    filler = "持续推进高质量发展不断优化营商环境加快培育新质生产力"
    return ("青禾新材料有限公司位于云溪高新区" + filler * 4000)[: 100_000 - 5] + "聚焦新材料"


def _dense_sentence() -> str:
    """100,000 characters without punctuation, names all along."""
    rng = random.Random(7)
    words = [
        "云溪高新区",
        "青禾新材料有限公司",
        "研究院",
        "孵化器",
        "新材料",
        "园区",
        "企业",
        "人才",
        "发展",
        "创新",
        "中心",
        "平台",
        "科技",
        "产业",
        "集聚",
        "建设",
    ]
    out, n = [], 0
    while n < 100_000:
        w = rng.choice(words)
        out.append(w)
        n += len(w)
    return "".join(out)[:100_000]


def _nested() -> str:
    depth = 5000
    return (
        "（" * depth
        + "云溪高新区"
        + "）" * depth
        + "“" * depth
        + "青禾新材料有限公司位于云溪高新区"
        + "”" * depth
        + "《【「『" * depth
        + "聚焦新材料"
        + "』」】》" * depth
        + "。"
    )


HTML_NOISE = """<!DOCTYPE html><html><head><title>站点 - 新闻</title>
<style>body { color: red } .secret::after { content: "样式里的字" }</style>
<script>var x = "脚本里的字"; document.write("<p>写入的字</p>");</script></head>
<body><nav><ul><li>首页</li><li>新闻中心</li><li>联系我们</li></ul></nav>
<!-- 注释里的字: 注释高新区 -->
<article><h1>云溪高新区新建孵化器</h1>
<p>12月20日,云溪高新区新建孵化器一座,已入驻企业十家,青禾新材料有限公司位于云溪高新区,聚焦新材料。</p>
<script>alert("正文里的脚本")</script><style>p { margin: 0 }</style>
<p>园区负责人表示,明年将继续扩建孵化器,进一步优化创新创业环境,集聚更多人才团队。<!-- 又一个注释 --></p>
</article><footer>版权所有 某某网站</footer></body></html>"""


def _check_html_noise(docs):
    text = docs[0].text
    assert "青禾新材料有限公司位于云溪高新区" in text and "进一步优化创新创业环境" in text
    for noise in ("样式里的字", "脚本里的字", "写入的字", "注释", "正文里的脚本", "首页", "版权所有", "margin"):
        assert noise not in text, noise


def cases() -> list[Case]:
    u8 = ARTICLE.encode()
    rng = random.Random(1)
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(4000))
    noise = bytes(rng.randrange(1, 256) for _ in range(4000))  # no NUL
    jsonl, jsonl_docs, jsonl_skipped = _jsonl_lines()
    controls = ARTICLE.replace("一座", "一座\x1b[0m").replace("十家。", "十家。\x0c")
    return [
        Case("empty.txt", b"", skipped=[(None, "empty file")]),
        Case("whitespace.md", " \n\t\u3000\r\n\u200b\n".encode(), skipped=[(None, "empty file")]),
        Case("whitespace.jsonl", b"\n \n\t\r\n", skipped=[(None, "empty file")]),
        Case("whitespace.txt", "\u3000\u200b\n\ufeff\u2028".encode(), skipped=[(None, "empty file")]),
        Case("binary.txt", png, skipped=[(None, "not text (binary)")]),
        Case("binary.jsonl", png, skipped=[(None, "not text (binary)")]),
        Case("binary.html", b"\x7fELF\x02\x01\x01\x00" + png, skipped=[(None, "not text (binary)")]),
        Case("noise.md", noise, skipped=[(None, "cannot decode as UTF-8, GB18030 or Big5")]),
        Case("controls.md", "".join(chr(c) for c in range(1, 32)).encode() * 20, skipped=[(None, "not text (binary)")]),
        Case(
            "few_controls.txt",
            controls.encode(),
            docs=1,
            check=_text_is(ARTICLE.replace("一座", "一座[0m").replace("十家。", "十家。\n")),
        ),
        Case("truncated.txt", u8[:-1], docs=1, check=_text_is(ARTICLE[:-1])),
        Case(
            "truncated_in_middle.txt",
            u8[:40] + u8[41:],
            docs=1,
            check=lambda docs: "\ufffd" in docs[0].text and "园区负责人表示" in docs[0].text,
        ),
        Case("gb18030.txt", (ARTICLE + RARE).encode("gb18030"), docs=1, check=_text_is(ARTICLE + RARE)),
        Case("gbk.md", ARTICLE.encode("gbk"), docs=1, check=_text_is(ARTICLE)),
        Case("big5.txt", TRADITIONAL.encode("big5"), docs=1, check=_text_is(TRADITIONAL)),
        Case(
            "utf16le.txt", ARTICLE.encode("utf-16-le").join([codecs.BOM_UTF16_LE, b""]), docs=1, check=_text_is(ARTICLE)
        ),
        Case("utf16be.md", codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"), docs=1, check=_text_is(ARTICLE)),
        Case("utf32.txt", ARTICLE.encode("utf-32"), docs=1, check=_text_is(ARTICLE)),
        Case("utf8_bom.txt", codecs.BOM_UTF8 + u8, docs=1, check=_text_is(ARTICLE)),
        Case(
            "mixed_endings.txt",
            "云溪高新区新建孵化器\r\n\r\n第一段。\r第二段。\n\r\n第三段。\u2028第四段。\r".encode(),
            docs=1,
            check=_text_is("云溪高新区新建孵化器\n\n第一段。\n第二段。\n\n第三段。\n第四段。"),
        ),
        Case(
            "zero_width.txt",
            "云\u200b溪高新区\u200d新建孵化器\n\n青禾\u2060新材料有限公司\ufeff位于云溪\u200c高新区,"
            "聚焦\u202e新材料\u202c。".encode(),
            docs=1,
            check=_text_is("云溪高新区新建孵化器\n\n青禾新材料有限公司位于云溪高新区,聚焦新材料。"),
        ),
        Case("full_width.txt", FULL_WIDTH.encode(), docs=1, check=_text_is(FULL_WIDTH)),
        Case(
            "not_yaml.md",
            "---\ntitle: [unclosed\nurl: x\n---\n正文。\n".encode(),
            skipped=[(None, "front matter is not valid YAML: expected ',' or ']', but got ':' (line 3)")],
        ),
        Case(
            "yaml_python.md",
            "---\ntitle: !!python/object/apply:os.system ['echo pwned']\n---\n正文。".encode(),
            skipped=[
                (
                    None,
                    "front matter is not valid YAML: could not determine a constructor for the "
                    "tag 'tag:yaml.org,2002:python/object/apply:os.system' (line 2)",
                )
            ],
        ),
        Case(
            "yaml_laughs.md",
            ("---\n" + _laughs() + "---\n正文。").encode(),
            skipped=[(None, 'front matter: "title" is a list, not text')],
        ),
        Case(
            "yaml_deep.md",
            ("---\ntitle: " + "[" * 5000 + "\n---\n正文。").encode(),
            skipped=[(None, "front matter is not valid YAML: nested too deeply")],
        ),
        Case(
            "yaml_bad_date.md",
            "---\ntitle: 标题\ndate: 2023-02-30\n---\n正文。".encode(),
            docs=1,
            check=lambda docs: docs[0].date == "",
        ),  # no such day: left out
        Case(
            "yaml_multiline_title.md",
            "---\ntitle: |\n  第一行\n  第二行\n---\n正文。".encode(),
            docs=1,
            check=lambda docs: docs[0].title == "第一行 第二行",
        ),
        Case(
            "half_written.md",
            "---\ntitle: 云溪高新区\nurl: https://".encode(),
            skipped=[(None, "front matter is not closed by a --- line")],
        ),
        Case("html_noise.html", HTML_NOISE.encode(), docs=1, check=_check_html_noise),
        Case(
            "html_broken.htm",
            "<html><body><p>云溪高新区<b>新建孵化器<p>青禾新材料有限公司位于云溪高新区,聚焦新材料,"
            "园区负责人表示明年将继续扩建。<<<>>></div></span><p a='".encode(),
            docs=1,
            check=lambda docs: "青禾新材料有限公司位于云溪高新区" in docs[0].text,
        ),
        Case(
            "html_deep.html",
            ("<div>" * 100_000 + "<p>云溪高新区新建孵化器一座。</p>").encode(),
            skipped=[(None, "no article text found in the HTML")],
        ),
        Case(
            "html_only_script.html",
            b"<html><body><script>var a = 1;</script></body></html>",
            skipped=[(None, "no article text found in the HTML")],
        ),
        Case("mixed.jsonl", "\n".join(jsonl).encode(), docs=jsonl_docs, skipped=jsonl_skipped, check=_check_jsonl),
        Case("long_sentence.txt", _long_sentence().encode(), docs=1, check=lambda docs: len(docs[0].text) == 100_000),
        Case("dense_sentence.jsonl", json.dumps({"text": _dense_sentence()[:5000]}).encode(), docs=1),
        Case("nested.txt", _nested().encode(), docs=1, check=_text_is(_nested())),
        Case(
            "too_long.txt",
            ("甲" * (MAX_ARTICLE_CHARS + 1)).encode(),
            skipped=[
                (
                    None,
                    f"article too_long is {MAX_ARTICLE_CHARS + 1:,} characters long, more than "
                    f"the {MAX_ARTICLE_CHARS:,} an article may have (split the file into "
                    "articles: one a file, bylines, or JSON Lines)",
                )
            ],
        ),
    ]


CASES = {c.name: c for c in cases()}


@pytest.fixture(scope="module")
def matrix(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bad")
    for case in CASES.values():
        (folder / case.name).write_bytes(case.data)
    return folder


def _matches(reason: str, expected: str) -> bool:
    return reason == expected or re.fullmatch(expected, reason) is not None


@pytest.mark.parametrize("name", list(CASES))
def test_each_file_is_built_or_skipped_with_its_reason(matrix, name):
    case, path = CASES[name], matrix / name
    records = read_file(path)
    docs = [r for r in records if isinstance(r, Document)]
    skipped = [r for r in records if isinstance(r, Skipped)]
    assert len(docs) == case.docs
    assert len(skipped) == len(case.skipped), [str(s) for s in skipped]
    for s, (line, reason) in zip(skipped, case.skipped):
        assert (s.source, s.line) == (str(path), line)
        assert _matches(s.reason, reason), s.reason
        assert "\n" not in str(s) and "Traceback" not in str(s)
    for d in docs:
        assert not _UNCLEAN.search(d.text + d.title + d.url + d.date), repr(d.text[:200])
        assert d.text.strip() == d.text and d.text
    if case.check:
        case.check(docs)


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.docs])
def test_each_article_read_is_extracted(matrix, name):
    for doc in read_file(matrix / name):
        if isinstance(doc, Document):
            ex = extract(doc)
            for m in ex.mentions:
                assert doc.text[m.start : m.end] == m.text
            for a in ex.assertions:
                assert doc.text[a.start : a.end] == a.evidence


def test_extraction_reads_the_odd_encodings_as_text(matrix):
    for name in (
        "gb18030.txt",
        "big5.txt",
        "utf16be.md",
        "zero_width.txt",
        "full_width.txt",
        "truncated.txt",
        "html_noise.html",
    ):
        (doc,) = read_file(matrix / name)
        keys = {e.key for e in extract(doc).entities}
        assert "云溪高新区" in keys, (name, keys)


def test_kg_build_over_the_matrix_builds_the_rest_and_names_every_skipped_file(matrix, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(matrix), "-o", str(out)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.exit_code == 1  # files were skipped
    articles = sum(c.docs for c in CASES.values())
    expected = sorted((str(matrix / c.name), line, reason) for c in CASES.values() for line, reason in c.skipped)
    lines = result.output.splitlines()
    assert lines[0] == f"Read {articles} articles, skipped {len(expected)} files."
    shown = [line for line in lines if line.startswith("  skipped ")]
    assert len(shown) == len(expected) == len(lines[1 : 1 + len(expected)])
    for source, number, reason in expected:
        prefix = f"  skipped {source}:{number}: " if number else f"  skipped {source}: "
        (line,) = [x for x in shown if x.startswith(prefix) and _matches(x[len(prefix) :], reason)]
    assert (out / "graph.trig").stat().st_size > 0 and (out / "graph.html").stat().st_size > 0


def test_the_graph_of_the_matrix_conforms_to_the_shapes(matrix):
    import kg
    from kg.graph.validation import validate

    assert validate(kg.build([matrix])) == []


def test_file_names_that_are_not_utf8_are_read_as_their_encoding(tmp_path):
    """An archive made on Windows unpacks GBK names: the build reads them as
    it reads GBK text (a name no encoding reads gets U+FFFD)."""
    folder = tmp_path / "新闻"
    folder.mkdir()
    gbk = os.fsdecode(os.fsencode(folder) + b"/" + "园区".encode("gbk") + b".txt")
    Path(gbk).write_text(ARTICLE, encoding="utf-8")
    Path(os.fsdecode(os.fsencode(folder) + b"/\xff\xfe.md")).write_bytes(b"")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(out)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.output.splitlines()[:2] == [
        "Read 1 article, skipped 1 file.",
        f"  skipped {folder}/\ufffd\ufffd.md: empty file",
    ]
    (doc,) = [r for r in read_file(gbk)]
    assert (doc.id, doc.source) == ("园区", f"{folder}/园区.txt")


# ------------------------------------------------------------------ large inputs


def _measure(fn, memory: bool = True) -> tuple[float, int, object]:
    """(seconds, peak bytes allocated by Python, result) of ``fn()``, run under
    tracemalloc (which slows it down about as much at every size) unless not
    ``memory`` (the peak is then 0)."""
    if not memory:
        started = time.perf_counter()
        result = fn()
        return time.perf_counter() - started, 0, result
    tracemalloc.start()
    try:
        started = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return seconds, peak, result


def _linear(small: tuple, large: tuple, factor: float) -> None:
    """``large`` (``factor`` times the input of ``small``) costs at most 2.5x its share
    of time (plus 0.5 s of slack) and 2x its share of memory (plus 16 MB)."""
    (t_small, m_small, _), (t_large, m_large, _) = small, large
    assert t_large <= 2.5 * factor * t_small + 0.5, (t_small, t_large)
    assert m_large <= 2 * factor * m_small + 16 * 2**20, (m_small, m_large)


def _one_article(mb: int) -> bytes:
    """``mb`` MB of article text with no byline: one article."""
    para = (
        "青禾新材料有限公司位于云溪高新区,聚焦新材料,总投资2550万元。" * 6
        + "\n\n"
        + "园区负责人表示,明年将继续扩建孵化器,集聚人才1030人。" * 4
        + "\n\n"
    ).encode()
    return para * (mb * 2**20 // len(para))


def test_a_50_mb_file_is_skipped_in_time_and_memory_linear_in_its_size(tmp_path):
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    small.write_bytes(_one_article(5))
    large.write_bytes(_one_article(50))
    assert large.stat().st_size > 49 * 2**20
    measured = _measure(lambda: read_file(large))
    (skipped,) = measured[2]
    assert isinstance(skipped, Skipped) and skipped.source == str(large)
    assert re.fullmatch(
        r"article large is [\d,]+ characters long, more than the [\d,]+ an article "
        r"may have \(split the file into articles: one a file, bylines, or JSON Lines\)",
        skipped.reason,
    )
    _linear(_measure(lambda: read_file(small)), measured, 10)


def test_a_page_of_many_articles_is_read_in_linear_time(tmp_path):
    """Every article ends mid-word and nothing continues it: each looks for its
    continuation in the rest of the page (once a search over all that followed)."""
    article = (
        "园区新闻\n\n◎ 本报记者 张三\n\n青禾新材料有限公司位于云溪高新区,聚焦新材料。\n\n"
        "园区负责人表示。明年将继续扩建孵化器并引进企业\n\n"
    )
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    small.write_text(article * 4000, encoding="utf-8")
    large.write_text(article * 40_000, encoding="utf-8")
    measured = _measure(lambda: read_file(large), memory=False)
    docs = measured[2]
    assert len(docs) == 40_000 and docs[-1].id == "large-40000"
    assert (
        docs[0].text
        == "园区新闻\n\n青禾新材料有限公司位于云溪高新区,聚焦新材料。\n\n园区负责人表示。明年将继续扩建孵化器并引进企业"
    )
    _linear(_measure(lambda: read_file(small), memory=False), measured, 10)


def _jsonl_file(path: Path, lines: int) -> list[int]:
    """``lines`` JSON lines, one in 1,000 malformed in one of five ways; their numbers."""
    bad_kinds = ['{"text": "甲园区开园。"', "[1, 2]", '{"title": "无正文"}', "{not json", '{"text": 5}']
    out, bad = [], []
    for n in range(1, lines + 1):
        if n % 1000 == 0:
            out.append(bad_kinds[(n // 1000) % len(bad_kinds)])
            bad.append(n)
        else:
            out.append(
                json.dumps(
                    {
                        "text": f"第{n}篇:云溪高新区新建孵化器一座,已入驻企业十家。",
                        "title": f"标题{n}",
                        "url": f"https://news.example.cn/{n}",
                    },
                    ensure_ascii=False,
                )
            )
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return bad


def test_100k_json_lines_keep_every_good_line_and_name_every_bad_one(tmp_path):
    small, large = tmp_path / "small.jsonl", tmp_path / "large.jsonl"
    _jsonl_file(small, 10_000)
    bad = _jsonl_file(large, 100_000)
    measured = _measure(lambda: read_file(large))
    records = measured[2]
    docs = [r for r in records if isinstance(r, Document)]
    skipped = [r for r in records if isinstance(r, Skipped)]
    assert len(docs) == 100_000 - len(bad) and [s.line for s in skipped] == bad == list(range(1000, 100_001, 1000))
    assert docs[0].id == "large-L1" and docs[-1].line == 99_999 and docs[-1].text.startswith("标题99999\n\n第99999篇")
    assert all(str(s).startswith(f"{large}:{s.line}: ") for s in skipped)
    assert {s.reason.split(":")[0] for s in skipped} == {
        "not valid JSON",
        "not a JSON object",
        'no string "text" field',
    }
    _linear(_measure(lambda: read_file(small)), measured, 10)


# ------------------------------------------------------------------ extraction time


def _timed_extract(text: str) -> float:
    started = time.perf_counter()
    extract(Document("t", text))
    return time.perf_counter() - started


def test_a_100k_character_sentence_is_extracted_in_linear_time():
    sentence = _dense_sentence()
    extract(Document("warm", sentence[:1000]))
    small = min(_timed_extract(sentence[:10_000]) for _ in range(3))
    large = _timed_extract(sentence)
    assert large <= 2.5 * 10 * small + 0.5, (small, large)


def test_extraction_time_is_linear_in_the_length_of_an_article():
    para = (
        "青禾新材料有限公司位于云溪高新区,聚焦新材料,总投资2550万元。" * 6
        + "\n\n"
        + "园区负责人表示,明年将继续扩建孵化器,集聚人才1030人。" * 4
        + "\n\n"
    )
    text = para * (200_000 // len(para) + 1)
    extract(Document("warm", text[:1000]))
    small = min(_timed_extract(text[:25_000]) for _ in range(2))
    large = _timed_extract(text[:200_000])
    assert large <= 2 * 8 * small + 0.3, (small, large)  # 8 times the text: at most twice its share


def _evidence_chars(text: str) -> int:
    ex = extract(Document("t", text))
    return (
        sum(len(a.evidence) for a in ex.assertions)
        + sum(len(o.evidence) for o in ex.observations)
        + sum(len(r.assertion.evidence) for r in ex.rejected)
    )


def test_what_a_long_sentence_gives_is_linear_in_its_length():
    sentence = _dense_sentence()
    small, large = _evidence_chars(sentence[:2000]), _evidence_chars(sentence[:20_000])
    assert large <= 2 * 10 * small, (small, large)
