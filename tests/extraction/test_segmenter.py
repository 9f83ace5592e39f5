"""kg.extraction.segmenter: jieba's segmentation with the lexicon's names, never jieba's global dictionary."""

from kg.extraction.lexicon import get_lexicon
from kg.extraction.segmenter import get_tokenizer

# --- the tokenizer is private ---------------------------------------------------------------


def test_tokenizer_is_not_jiebas_global_one():
    import jieba

    tok = get_tokenizer()
    assert tok.jieba is not jieba.dt
    assert get_tokenizer() is tok  # loaded once per process


def test_lexicon_words_do_not_leak_into_jieba_global_dictionary():
    import jieba

    tok = get_tokenizer()
    jieba.dt.initialize()
    word = "济南高新技术产业开发区"  # a reference-list name, not in jieba's dictionary
    assert word in tok.jieba.FREQ
    assert word not in jieba.dt.FREQ
    assert word in tok.cut(f"{word}发布新政")


def test_segmenter_cuts_as_jieba_does_and_keeps_listed_names_whole():
    from kg.extraction.segmenter import get_tokenizer

    seg = get_tokenizer()
    text = "2019年，云溪高新区引进青禾科技有限公司，与中国科学院物理研究所共建研究院，聚焦新能源汽车产业。"
    words = seg.cut(text)
    assert "".join(words) == text
    assert words == list(seg.jieba.cut(text))  # rjieba gives jieba's own segmentation
    assert "中国科学院物理研究所" in words  # a reference name, added to the dictionary


def test_tokenizer_gives_the_lexicon_jiebas_tags_as_loaded_keeping_its_own(monkeypatch):
    import dataclasses

    import kg.extraction.segmenter

    lex = dataclasses.replace(get_lexicon(), tags={"星河": "ns", "中国": "x"})
    loaded = {"中国": "ns", "高新区": "n"}
    monkeypatch.setattr(kg.extraction.segmenter, "get_lexicon", lambda: lex)
    monkeypatch.setattr(kg.extraction.segmenter, "_jieba_facts", lambda words: (loaded, {}))
    get_tokenizer.__wrapped__()
    assert lex.tags == {"星河": "ns", "中国": "ns", "高新区": "n"}  # jieba's tag wins
    assert lex.tags is loaded  # jieba's 349,000 tags are not copied


def test_segmenter_does_not_build_rjiebas_process_wide_dictionary():
    import subprocess
    import sys

    code = (
        "import sys; from kg.extraction.segmenter import get_tokenizer; "
        "print(get_tokenizer().cut('星河高新区的企业'), 'rjieba' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split()[-1] == "False"  # `import rjieba` builds one more dictionary (32 MB)
    assert "高新区" in out


def test_segmenter_imports_rjieba_when_its_compiled_module_is_elsewhere(monkeypatch):
    import importlib.util
    import sys

    import rjieba

    from kg.extraction.segmenter import _rjieba_class

    monkeypatch.delitem(sys.modules, "rjieba")
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    assert _rjieba_class() is rjieba.Jieba
    assert "rjieba" in sys.modules


def test_jieba_facts_are_cached_and_a_broken_cache_is_computed_again(tmp_path, monkeypatch):
    import tempfile

    from kg.extraction.segmenter import _jieba_facts

    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    tags, freqs = _jieba_facts(["星河甲乙高新区"])
    (cache,) = tmp_path.glob("zone-kg-jieba-*.pickle")
    assert tags["中国"] == "ns" and freqs["星河甲乙高新区"] >= 10
    cache.write_bytes(b"not a pickle")
    assert _jieba_facts(["星河甲乙高新区"]) == (tags, freqs)
    assert cache.read_bytes() != b"not a pickle"
