"""kg.storage.cache: keys that change with what they depend on, the cache itself, cached reading."""

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

import kg.storage.cache as kcache
from kg.reading.read import read_paths
from kg.records import Assertion, Document, Entity, Extraction, Skipped
from kg.storage.cache import Cache, code_version, doc_key, pack, summarize, unpack
from kg.storage.cached_input import ArticleRef, articles


def test_doc_key_depends_on_every_field_and_the_code():
    doc = Document("d1", "甲高新区位于乙市。", source="a.md", title="t", url="http://x", date="2024-01-01", line=3)
    keys = {doc_key(doc)}
    for field in dataclasses.fields(Document):
        value = getattr(doc, field.name)
        changed = dataclasses.replace(doc, **{field.name: 4 if field.name == "line" else value + "x"})
        keys.add(doc_key(changed))
    assert len(keys) == 1 + len(dataclasses.fields(Document))
    assert doc_key(doc, "another version") != doc_key(doc)


def test_code_version_follows_data_files(tmp_path, monkeypatch):
    pkg = tmp_path / "kg"
    (pkg / "data").mkdir(parents=True)
    (pkg / "extract.py").write_text("x = 1\n", encoding="utf-8")
    (pkg / "data" / "patterns.tsv").write_text("a\tb\n", encoding="utf-8")
    monkeypatch.setattr(kcache, "_PACKAGE", pkg)
    kcache._package_version.cache_clear()
    try:
        first = code_version()
        (pkg / "data" / "patterns.tsv").write_text("a\tc\n", encoding="utf-8")
        kcache._package_version.cache_clear()
        second = code_version()
        (pkg / "extract.py").write_text("x = 2\n", encoding="utf-8")
        kcache._package_version.cache_clear()
        third = code_version()
    finally:
        kcache._package_version.cache_clear()
    assert len({first, second, third}) == 3


def sample_extraction() -> Extraction:
    doc = Document("d1", "云溪高新区孵化了青禾公司。")
    return Extraction(
        doc,
        [
            Entity("云溪高新区", "Zone", "云溪高新区", {"云溪园区"}, {"level": "national"}),
            Entity("青禾公司", "Company", "青禾公司"),
        ],
        [],
        [
            Assertion("青禾公司", "incubatedBy", "云溪高新区", "d1", 0, 13, doc.text, "r"),
            Assertion("青禾公司", "incubatedBy", "星河研究院", "d1", 0, 13, doc.text, "r"),
        ],
    )


def test_summary_keeps_what_the_entity_table_and_signature_need():
    s = summarize(sample_extraction())
    assert s.entities[0] == ("云溪高新区", "Zone", "云溪高新区", ("云溪园区",), (("level", "national"),))
    assert s.refs == ("云溪高新区", "星河研究院", "青禾公司")  # assertion ends too, sorted
    assert [e.aliases for e in s.entity_records()] == [{"云溪园区"}, set()]


def test_cache_round_trip_and_prune(tmp_path):
    ex = sample_extraction()
    with Cache(tmp_path / "c") as cache:
        assert cache.has_extractions(["k1"]) == [False] and cache.summaries(["k1"]) == [None]
        cache.put_extraction("k1", summarize(ex), pack(ex))
        cache.put_extraction("k2", summarize(ex), pack(ex))
        assert cache.has_extractions(["k2", "k1", "k3"]) == [True, True, False]  # before a flush too
        cache.put_outcome("s1", ("any", "value"))
    with Cache(tmp_path / "c") as cache:
        assert cache.extraction("k1") == ex and unpack(cache.extraction_blob("k1")) == ex
        keys = ["k1", "nope"] + [f"k{i}" for i in range(3, 1200)]  # more than one statement binds
        assert cache.summaries(keys)[:2] == [summarize(ex), None]
        assert cache.outcome("s1") == ("any", "value")
        cache.prune()  # k2 was not used in this session
    with Cache(tmp_path / "c") as cache:
        assert cache.has_extractions(["k1", "k2"]) == [True, False]
        assert cache.outcome("s1") is not None


def test_a_cache_of_another_layout_starts_again(tmp_path):
    ex = sample_extraction()
    with Cache(tmp_path / "c") as cache:
        cache.put_extraction("k1", summarize(ex), pack(ex))
        cache.db.execute("UPDATE meta SET value='0' WHERE name='format'")
    with Cache(tmp_path / "c") as cache:
        assert cache.has_extractions(["k1"]) == [False]


def tricky_inputs(root: Path) -> list[Path]:
    """Files that test read_paths' rules: the same stem twice, JSON Lines, skipped files,
    a file named twice."""
    (root / "a").mkdir(parents=True)
    (root / "b").mkdir()
    (root / "a" / "x.md").write_text("---\ntitle: 甲\n---\n甲高新区位于乙市。\n", encoding="utf-8")
    (root / "b" / "x.md").write_text("丙研究院落户丁高新区。\n", encoding="utf-8")
    lines = [{"text": "戊公司位于己市。", "title": "戊"}, {"text": "庚大学"}, {"nope": 1}]
    (root / "b" / "many.jsonl").write_text(
        "\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8"
    )
    (root / "b" / "empty.txt").write_text("  \n", encoding="utf-8")
    (root / "b" / "bin.md").write_bytes(b"\x00\x01\x02binary")
    (root / ".hidden.md").write_text("不读。\n", encoding="utf-8")
    return [root, root / "a" / "x.md"]


def test_cached_reading_gives_what_read_paths_gives(tmp_path):
    paths = tricky_inputs(tmp_path / "in")
    expected = list(read_paths(paths))
    assert any(isinstance(r, Skipped) for r in expected)
    assert {"x", "x~2"} <= {r.id for r in expected if isinstance(r, Document)}
    with Cache(tmp_path / "c") as cache:
        for _ in range(2):  # parsed, then from the cache
            got = list(articles(paths, cache))
            assert [g for g in got if isinstance(g, Skipped)] == [e for e in expected if isinstance(e, Skipped)]
            refs = [g for g in got if isinstance(g, ArticleRef)]
            docs = [e for e in expected if isinstance(e, Document)]
            assert [cache.document(r) for r in refs] == docs
            assert [(r.doc_id, r.key) for r in refs] == [(d.id, doc_key(d)) for d in docs]
    shutil.rmtree(tmp_path / "in" / "a")
    with Cache(tmp_path / "c") as cache:
        with pytest.raises(Exception, match="no such file or folder"):
            list(articles(paths, cache))


# ------------------------------------------------------------------ damage


def damaged_build(tmp_path, damage) -> tuple:
    """A build, ``damage(cache file)``, a build with one article more: the stats of
    a clean build of the second input, and the second build."""
    from sample_articles import write_articles

    from kg.pipeline.ondisk import build_into

    src = write_articles(tmp_path / "src")
    out = tmp_path / "out"
    build_into([src], out, store="oxigraph").close()
    damage(out / kcache.CACHE_DIR / kcache.CACHE_FILE)
    (src / "added.txt").write_text("石桥高新区位于安徽省合肥市。\n", encoding="utf-8")
    clean = build_into([src], tmp_path / "clean", store="oxigraph")
    stats = clean.stats()
    clean.close()
    return stats, build_into([src], out, store="oxigraph")


def test_a_damaged_cache_file_is_rebuilt_with_a_note(tmp_path):
    def garbage(path):
        for extra in ("-wal", "-shm"):
            Path(f"{path}{extra}").unlink(missing_ok=True)
        path.write_bytes(b"this is not a database" * 100)

    before, graph = damaged_build(tmp_path, garbage)
    assert graph.stats() == before
    [note] = graph.report.notes
    assert note.startswith(f"the build cache {tmp_path / 'out' / kcache.CACHE_DIR} is damaged (")
    assert note.endswith("): it was deleted and made again")
    with Cache(tmp_path / "out" / kcache.CACHE_DIR) as cache:  # a whole one again
        assert cache.db.execute("SELECT COUNT(*) FROM extractions").fetchone()[0] == 3


def test_a_damaged_cache_entry_is_rebuilt_with_a_note(tmp_path):
    import sqlite3

    def scramble(path):
        db = sqlite3.connect(path)
        db.execute("UPDATE extractions SET data = X'00112233', summary = X'445566'")
        db.commit()
        db.close()

    before, graph = damaged_build(tmp_path, scramble)
    assert graph.stats() == before
    [note] = graph.report.notes
    assert "is damaged (" in note and "error" in note.lower()


def test_the_cli_prints_the_note(tmp_path):
    from click.testing import CliRunner
    from sample_articles import write_articles

    from kg.cli.main import cli

    src = write_articles(tmp_path / "src")
    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["build", str(src), "-o", str(out), "--cache"]).exit_code == 0
    (out / kcache.CACHE_DIR / kcache.CACHE_FILE).write_bytes(b"\0" * 4096)
    (src / "added.txt").write_text("石桥高新区位于安徽省合肥市。\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Read 3 articles, skipped 0 files."
    assert lines[1].startswith(f"  note: the build cache {out.resolve() / kcache.CACHE_DIR} is damaged (")


def test_a_damaged_cache_in_an_in_memory_build_is_rebuilt(tmp_path):
    from sample_articles import write_articles

    from kg.pipeline.run import build

    src = write_articles(tmp_path / "src")
    clean = build([src], cache=tmp_path / "c")
    (tmp_path / "c" / kcache.CACHE_FILE).write_bytes(b"\0" * 4096)
    again = build([src], cache=tmp_path / "c")
    assert again.to_trig() == clean.to_trig()
    assert len(again.report.notes) == 1 and not clean.report.notes


@pytest.mark.model
def test_code_version_follows_the_model_extraction_uses(tmp_path):
    from kg.extraction.learned import DEFAULT_MODEL, read_model, using_model

    shipped = code_version()
    with using_model(rules_only=True):
        rules = code_version()
    other = read_model(DEFAULT_MODEL)
    other.meta["threshold"] = 0.99
    other.save(tmp_path / "other.kgmodel")
    with using_model(tmp_path / "other.kgmodel"):
        another = code_version()
    assert len({shipped, rules, another}) == 3  # each extracts otherwise: each its own cache keys
