"""Property-based tests (Hypothesis) of reading and extraction, over random Unicode
and over mutations of real-looking articles (written here, never real ones).

Properties:

* reading never raises, and a file is either articles or skipped files;
* extraction never raises, and every offset it gives slices the original
  text to what it says is there (mentions, evidence, observations);
* the graph built from a tiny article always conforms to shapes.ttl.

The number of examples is the profile's (tests/conftest.py): 2,000 per
property in CI, 20,000 with ``HYPOTHESIS_PROFILE=nightly``.
"""

from __future__ import annotations

import functools
import json
import tempfile
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="pip install -e '.[test]' (hypothesis)")
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kg.extraction.extract import extract  # noqa: E402
from kg.reading.read import read_file  # noqa: E402
from kg.records import Document, Skipped  # noqa: E402

# Sentences of the kind the articles hold (written for these tests): names of
# every class, lists, titles before names, quantities, anaphora, traditional
# characters, bylines and headlines.
FRAGMENTS = [
    "云溪高新区新建孵化器\n\n",
    "◎ 本报记者 张三\n\n",
    "科技日报(记者李四)12月20日,",
    "2020年，青禾新材料有限公司落户云溪高新区，聚焦新能源。",
    "云溪高新区位于浙江省湖州市。",
    "2019年，金湖高新区与南京大学共建金湖先进材料研究院。",
    "园区内通过研究院孵化出蓝海科技有限公司、青禾生物有限公司等10多家企业。",
    "金湖高新区科技局局长王明远介绍，园区已引进清风储能研究所。",
    "该研究院累计孵化企业1000余家，集聚人才1030人，总投资2550万元。",
    "甲乙量子率先推出新一代芯片，龙头企业星河智能科技有限公司随后跟进。",
    "中国科学院物理研究所与溧阳高新区共建天目湖先进储能技术研究院。",
    "园区聚焦新材料、生物医药和高端装备等领域。",
    "苏锡通园区管委会位於江蘇南通，聚焦半導體產業。",
    "（记者 王五 通讯员 赵六）",
    "“十四五”期间，该园区入选国家级科技企业孵化器名单。",
    "上海交大与上海交通大学张江科学园签约。",
    "江苏溧阳高新技术产业开发区（简称溧阳高新区）获评省级特色产业基地。",
]
# Pieces a mutation inserts: punctuation that opens or closes, line breaks,
# invisible and full-width characters, name heads, anaphora, numbers, markup.
PIECES = [
    "（",
    "）",
    "“",
    "”",
    "《",
    "》",
    "【",
    "】",
    "、",
    "，",
    "。",
    "；",
    "：",
    "\n",
    "\n\n",
    "\u200b",
    "\u3000",
    "\ufeff",
    "Ａ",
    "１２",
    "等",
    "和",
    "与",
    "该",
    "园区",
    "研究院",
    "高新区",
    "有限公司",
    "局长",
    "万元",
    "人",
    "%",
    "年",
    "<script>",
    "&amp;",
    "\\",
    '"',
    "\U0002a6a5",
    "𠀀",
    "\ud7ff",
    "\x00",
    "\r",
    "é",
]


@st.composite
def mutated_articles(draw, max_size: int = 240) -> str:
    """A few fragments joined, then cut, copied, overwritten and inserted into."""
    text = "".join(draw(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=3)))
    for _ in range(draw(st.integers(0, 6))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 12)))
        op = draw(st.sampled_from(["insert", "random", "delete", "copy", "replace"]))
        if op == "insert":
            text = text[:i] + draw(st.sampled_from(PIECES)) + text[i:]
        elif op == "random":
            text = text[:i] + draw(st.text(max_size=4)) + text[i:]
        elif op == "delete":
            text = text[:i] + text[j:]
        elif op == "copy":
            text = text[:i] + text[i:j] * 2 + text[j:]
        else:
            text = text[:i] + draw(st.sampled_from(PIECES + [""])) + text[j:]
    return text[:max_size]


random_text = st.text(max_size=120)
cjk_text = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.sampled_from("".join(PIECES[:20]) + "0123456789 \t"),
    ),
    max_size=120,
)


def check_offsets(doc: Document) -> None:
    ex = extract(doc)
    text = doc.text
    for m in ex.mentions:
        assert 0 <= m.start < m.end <= len(text) and text[m.start : m.end] == m.text, m
    for a in ex.assertions:
        assert text[a.start : a.end] == a.evidence, a
        assert 0.0 <= a.confidence <= 1.0
    for o in ex.observations:
        assert text[o.start : o.end] == o.evidence, o
    for r in ex.rejected:
        assert text[r.assertion.start : r.assertion.end] == r.assertion.evidence, r


@given(st.one_of(random_text, cjk_text))
def test_extraction_of_random_unicode_never_raises_and_its_offsets_slice_the_text(text):
    check_offsets(Document("t", text))


@given(mutated_articles())
def test_extraction_of_mutated_articles_never_raises_and_its_offsets_slice_the_text(text):
    check_offsets(Document("t", text, title="标题"))


# ------------------------------------------------------------------ reading

SUFFIXES = [".txt", ".md", ".jsonl", ".html"]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "gb18030", "big5", "utf-32"]


@st.composite
def files(draw) -> tuple[str, bytes]:
    """A file name and its bytes: text in some encoding (or raw bytes), in some format."""
    text = draw(st.one_of(mutated_articles(), random_text))
    suffix = draw(st.sampled_from(SUFFIXES))
    if suffix == ".md" and draw(st.booleans()):
        head = draw(st.one_of(st.just("title: 标题\ndate: 2023-02-30"), st.text(max_size=30)))
        text = f"---\n{head}\n---\n{text}"
    elif suffix == ".jsonl":
        record = {"text": text, "title": draw(random_text), "date": draw(random_text)}
        text = "\n".join([json.dumps(record, ensure_ascii=draw(st.booleans())), draw(random_text)])
    elif suffix == ".html":
        text = f"<html><body><article><p>{text}</p></article></body></html>"
    if draw(st.integers(0, 9)) == 0:
        return suffix, draw(st.binary(max_size=200))
    data = text.encode(draw(st.sampled_from(ENCODINGS)), "replace")
    cut = draw(st.integers(0, len(data)))
    return suffix, data[:cut] if draw(st.integers(0, 4)) == 0 else data


@given(files())
def test_reading_any_file_gives_articles_or_one_line_reasons(file):
    suffix, data = file
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"x{suffix}"
        path.write_bytes(data)
        records = read_file(path)
    assert records
    for r in records:
        if isinstance(r, Skipped):
            assert r.source == str(path) and r.reason and "\n" not in str(r)
        else:
            assert r.text and r.text == r.text.strip() and "\r" not in r.text
            assert "\n" not in r.title + r.url + r.date
            r.text.encode("utf-8")  # no lone surrogate: the graph is written as UTF-8


# ------------------------------------------------------------------ SHACL


@pytest.fixture(scope="module")
def fast_shacl():
    """pySHACL as kg validate runs it, without its fixed costs on every call:
    the shapes graph is built once and rdflib parses each SPARQL constraint
    once (it parses the same text again on every query, ~60 ms a graph)."""
    from rdflib.plugins.sparql import processor
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    import kg.graph.validation
    import kg.rdf.validate

    @functools.lru_cache(maxsize=64)
    def prepared(text, base, namespaces):
        return translateQuery(parseQuery(text), base, dict(namespaces))

    original = processor.SPARQLProcessor.query

    def query(self, q, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
        if isinstance(q, str):
            q = prepared(q, base, frozenset((initNs or {}).items()))
        return original(self, q, initBindings, initNs, base, DEBUG)

    shapes = kg.rdf.validate.shapes_graph()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(processor.SPARQLProcessor, "query", query)
        mp.setattr(kg.graph.validation, "shapes_graph", lambda: shapes)
        yield kg.graph.validation.validate


def test_the_fast_shacl_still_finds_violations(fast_shacl, tmp_path):
    from rdflib import RDF

    import kg
    from kg.rdf.namespace import KG

    path = tmp_path / "a.md"
    path.write_text("2020年，青禾新材料有限公司落户云溪高新区，聚焦新能源。", encoding="utf-8")
    graph = kg.build([path])
    assert fast_shacl(graph) == []
    company = next(graph.dataset.subjects(RDF.type, KG.Company))
    graph.dataset.graph(KG.Zone).add((company, RDF.type, KG.Zone))  # two classes
    assert {v.shape for v in fast_shacl(graph)} >= {"EntityClass"}


hostile = st.sampled_from(
    [
        "",
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "javascript:alert(1)",
        "{{7*7}}",
        "${x}",
        "2023-02-30",
        "2023-13",
        "http://example.com/a b",
        'https://example.com/"<>',
        "第1篇\n报道",
    ]
)


@pytest.fixture(scope="module")
def rdflib_warnings():
    """What rdflib logs while the graph is made (an ill-typed literal is logged with
    a traceback, on stderr when the application configures no logging)."""
    import logging

    records: list = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append
    logger = logging.getLogger("rdflib")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


dates = st.one_of(
    hostile,
    random_text,
    st.dates().map(str),
    st.dates().map(lambda d: str(d).translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))),
    st.from_regex(r"\A[0-9]{4}(-[0-9]{2}(-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?Z?)?)?)?\Z"),
)


@given(mutated_articles(max_size=120), st.one_of(hostile, random_text), st.one_of(hostile, random_text), dates)
def test_the_graph_of_a_tiny_article_conforms_to_the_shapes(fast_shacl, rdflib_warnings, text, title, url, date):
    import kg
    from kg.errors import NoArticlesError

    rdflib_warnings.clear()
    record = {"text": text, "title": title, "url": url, "date": date}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.jsonl"
        path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        try:
            graph = kg.build([path])
        except NoArticlesError:  # the text was only white space or invisible characters
            assert isinstance(read_file(path)[0], Skipped)
            return
    assert [r.getMessage() for r in rdflib_warnings] == []
    violations = fast_shacl(graph)
    assert violations == [], violations
