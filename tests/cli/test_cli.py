"""The kg command line: exact error lines, build summary, query output, evaluate output."""

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli.main import cli
from kg.cli.query import format_table
from kg.errors import DataFileError, KGError

ARTICLE = "位于测试高新区的测试新材料有限公司聚焦新材料。\n"

# A hand-made graph and gold file, so that evaluate's figures do not depend on extraction.
GRAPH_TTL = """\
@prefix kg: <https://w3id.org/zone-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<http://example.org/z> a kg:Zone ; rdfs:label "测试高新区"@zh ; kg:hosts <http://example.org/c> .
<http://example.org/c> a kg:Company ; rdfs:label "测试新材料有限公司"@zh .
<http://example.org/x> a kg:Company ; rdfs:label "无关公司"@zh .
"""
# Provenance for GRAPH_TTL's triple and for one more (wrong) triple, as kg/rdf/dataset.py writes it.
PROVENANCE_TTL = """\
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<http://example.org/z> kg:hosts <http://example.org/x> .
<http://example.org/a1> a kg:Assertion ; rdf:subject <http://example.org/z> ;
  rdf:predicate kg:hosts ; rdf:object <http://example.org/c> ; kg:confidence "0.9"^^xsd:decimal .
<http://example.org/a2> a kg:Assertion ; rdf:subject <http://example.org/z> ;
  rdf:predicate kg:hosts ; rdf:object <http://example.org/x> ; kg:confidence "0.6"^^xsd:decimal .
"""
GOLD = {
    "entities": [
        {"id": "z", "type": "Zone", "name": "测试高新区"},
        {"id": "c", "type": "Company", "name": "测试新材料有限公司"},
        {"id": "i", "type": "Industry", "name": "新材料"},
    ],
    "relations": [{"s": "z", "p": "hosts", "o": "c"}, {"s": "c", "p": "focusesOn", "o": "i"}],
}


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def assert_error(result, message: str) -> None:
    """One line on stderr, nothing on stdout, exit status 1."""
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Error: {message}\n"
    assert result.stdout == ""
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A graph built by `kg build` from one tiny article."""
    root = tmp_path_factory.mktemp("cli")
    (root / "news").mkdir()
    (root / "news" / "t.txt").write_text(ARTICLE, encoding="utf-8")
    result = run("build", root / "news", "-o", root / "out")
    assert result.exit_code == 0, result.output
    return root


# ------------------------------------------------------------------ errors


def test_build_empty_folder(tmp_path):
    assert_error(run("build", tmp_path), f"no articles found in {tmp_path}")


def test_build_missing_path(tmp_path):
    missing = tmp_path / "nope"
    assert_error(run("build", missing), f"no such file or folder: {missing}")


def test_build_only_unreadable_files(tmp_path):
    (tmp_path / "a.txt").write_text("", encoding="utf-8")
    assert_error(run("build", tmp_path / "a.txt"), f"no articles found in {tmp_path / 'a.txt'} (1 file(s) skipped)")


def test_build_output_is_a_file(tmp_path):
    (tmp_path / "t.txt").write_text(ARTICLE, encoding="utf-8")
    result = run("build", tmp_path / "t.txt", "-o", tmp_path / "t.txt")
    assert_error(result, f"{(tmp_path / 't.txt').resolve()} is a file, not a folder")


def test_query_folder_without_graph(tmp_path):
    assert_error(run("query", tmp_path, "ASK {}"), f"no graph in {tmp_path}: run `kg build` first")


def test_query_missing_folder(tmp_path):
    assert_error(run("query", tmp_path / "nope", "ASK {}"), f"no such file or folder: {tmp_path / 'nope'}")


def test_query_syntax_error(built):
    assert_error(
        run("query", built / "out", "SELECT ?x WHERE {"),
        "SPARQL syntax error at line 1, column 18: Expected SelectQuery",
    )


def test_evaluate_missing_gold(built, tmp_path):
    assert_error(
        run("evaluate", tmp_path / "gold.json", built / "out"), f"no such file or folder: {tmp_path / 'gold.json'}"
    )


def test_evaluate_bad_gold(built, tmp_path):
    (tmp_path / "gold.json").write_text("{}", encoding="utf-8")
    assert_error(
        run("evaluate", tmp_path / "gold.json", built / "out"),
        f"{tmp_path / 'gold.json'}: a gold file needs 'entities' and 'relations' lists",
    )


def test_evaluate_output_without_graph(tmp_path):
    (tmp_path / "gold.json").write_text(json.dumps(GOLD), encoding="utf-8")
    (tmp_path / "out").mkdir()
    assert_error(
        run("evaluate", tmp_path / "gold.json", tmp_path / "out"),
        f"no graph in {tmp_path / 'out'}: run `kg build` first",
    )


@pytest.mark.parametrize(
    "exc, message",
    [
        (KGError("something went wrong"), "something went wrong"),
        (
            DataFileError("kg/extraction/data/patterns.tsv", 3, "expected 4 columns"),
            "kg/extraction/data/patterns.tsv:3: expected 4 columns",
        ),
        (PermissionError(13, "Permission denied", "build/graph.trig"), "build/graph.trig: Permission denied"),
    ],
)
def test_library_errors_become_one_line(monkeypatch, tmp_path, exc, message):
    def fail(*args, **kwargs):
        raise exc

    monkeypatch.setattr("kg.pipeline.ondisk.build_into", fail)
    assert_error(run("build", tmp_path), message)


# ------------------------------------------------------------------- build


def test_build_writes_graph_and_page_and_summary(tmp_path):
    (tmp_path / "t.txt").write_text(ARTICLE, encoding="utf-8")
    result = run("build", tmp_path / "t.txt", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "graph.trig").is_file()
    assert (tmp_path / "out" / "graph.html").is_file()
    lines = result.stdout.splitlines()
    assert lines[0] == "Read 1 article, skipped 0 files."
    assert re.fullmatch(r"Entities: \d+ \(.*\bZone 1\b.*\)", lines[1])
    assert re.fullmatch(r"Relations: \d+( \(.*\))?", lines[2])
    assert lines[3] == "Rejected: 0"
    assert re.fullmatch(
        rf"Wrote {re.escape(str(tmp_path / 'out' / 'graph.trig'))} and "
        rf"{re.escape(str(tmp_path / 'out' / 'graph.html'))} in \d+\.\d s\.",
        lines[4],
    )
    assert len(lines) == 5
    assert result.stderr == ""  # no terminal: the progress bar stays hidden


def test_build_default_output_folder(tmp_path, monkeypatch):
    (tmp_path / "t.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("build", "t.txt")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "build" / "graph.trig").is_file()
    assert (tmp_path / "build" / "graph.html").is_file()


def test_build_names_skipped_files_and_fails(tmp_path):
    news = tmp_path / "news"
    news.mkdir()
    (news / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (news / "b.txt").write_text("   \n", encoding="utf-8")
    (news / "c.md").write_bytes(b"\x00\x01\x02binary")
    result = run("build", news, "-o", tmp_path / "out")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "Read 1 article, skipped 2 files.",
        f"  skipped {news / 'b.txt'}: empty file",
        f"  skipped {news / 'c.md'}: not text (binary)",
    ]
    assert (tmp_path / "out" / "graph.trig").is_file()  # what could be read is still written


@pytest.mark.parametrize("value", ["1.5", "-0.1", "high", "nan"])
def test_build_min_confidence_out_of_range(tmp_path, value):
    (tmp_path / "t.txt").write_text(ARTICLE, encoding="utf-8")
    assert_error(
        run("build", tmp_path / "t.txt", "--min-confidence", value, "-o", tmp_path / "o"),
        f"--min-confidence must be a number from 0 to 1, not {value}",
    )
    assert not (tmp_path / "o").exists()


def test_build_min_confidence_leaves_out_weaker_relations(tmp_path):
    from kg.evaluation.evaluate import confidences
    from kg.graph.knowledge import KnowledgeGraph

    (tmp_path / "t.txt").write_text(ARTICLE, encoding="utf-8")
    full = run("build", tmp_path / "t.txt", "-o", tmp_path / "full").stdout.splitlines()
    best = confidences(KnowledgeGraph.load(tmp_path / "full").dataset)
    top = max(best.values())
    assert len(best) > sum(c >= top for c in best.values()) > 0  # some stay, some go
    result = run("build", tmp_path / "t.txt", "-o", tmp_path / "top", "--min-confidence", top)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == full[1]  # the same entities
    assert lines[2].startswith(f"Relations: {sum(c >= top for c in best.values())} (")
    kept = KnowledgeGraph.load(tmp_path / "top")
    assert set(kept.core_triples()) == {(s, p, o) for (s, p, o), c in best.items() if c >= top}


# ------------------------------------------------------------------- query

ZONES = "SELECT ?zone WHERE { ?z a kg:Zone ; rdfs:label ?zone }"


def test_query_table(built):
    result = run("query", built / "out", ZONES)
    assert result.exit_code == 0, result.output
    assert result.stdout == "zone\n----------\n测试高新区\n(1 row)\n"


def test_query_csv_and_json(built):
    result = run("query", built / "out", "--format", "csv", ZONES)
    assert result.exit_code == 0, result.output
    assert list(csv.reader(io.StringIO(result.stdout))) == [["zone"], ["测试高新区"]]
    result = run("query", built / "out", "-f", "json", ZONES)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"zone": "测试高新区"}]


def test_query_shortens_iris_and_shows_plain_literals(built):
    result = run(
        "query",
        built / "out",
        "-f",
        "json",
        "SELECT ?z ?cls ?label WHERE { ?z a ?cls ; rdfs:label ?label . FILTER(?cls = kg:Zone) }",
    )
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    assert re.fullmatch(r"kgr:e/[0-9a-f]{16}", row["z"])
    assert row["cls"] == "kg:Zone"
    assert row["label"] == "测试高新区"  # no quotes, no @zh


def test_query_ask_and_empty_result(built):
    assert run("query", built / "out", "ASK { ?z a kg:Zone }").stdout == "true\n"
    result = run("query", built / "out", "SELECT ?p WHERE { ?p a kg:Person }")
    assert result.stdout == "p\n-\n(0 rows)\n"


def test_format_table_aligns_chinese():
    table = format_table(["名称", "n"], [["测试高新区", "1"], ["ab", "22"]])
    assert table.splitlines() == ["名称        n", "----------  --", "测试高新区  1", "ab          22", "(2 rows)"]


# ---------------------------------------------------------------- evaluate


@pytest.fixture
def scored(tmp_path) -> Path:
    (tmp_path / "gold.json").write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "graph.ttl").write_text(GRAPH_TTL, encoding="utf-8")
    return tmp_path


def test_evaluate_prints_figures(scored):
    result = run("evaluate", scored / "gold.json", scored / "graph.ttl")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "                      P      R     F1   out  gold",
        "entities          0.667  0.667  0.667     3     3",
        "relations         1.000  0.500  0.667     1     2",
    ]
    assert "  hosts           1.000  1.000  1.000     1     1" in lines
    assert "  focusesOn       0.000  0.000  0.000     0     1" in lines
    assert lines[-1] == "entity type accuracy 1.000"
    assert "missed" not in result.stdout


def test_evaluate_explain(scored):
    plain = run("evaluate", scored / "gold.json", scored / "graph.ttl").stdout
    result = run("evaluate", scored / "gold.json", scored / "graph.ttl", "--explain")
    assert result.exit_code == 0, result.output
    assert result.stdout == plain + "\n".join(
        [
            "",
            "missed entity: 1",
            "  新材料 (Industry)",
            "missed relation, an entity missed: 1",
            "  测试新材料有限公司 focusesOn 新材料 (not found: 新材料)",
            "spurious entity: 1",
            "  无关公司 (Company)",
            "",
        ]
    )


def test_evaluate_explain_puts_the_largest_group_first(scored):
    extra = "".join(f'<http://example.org/s{i}> a kg:Person ; rdfs:label "人{i}"@zh .\n' for i in range(3))
    (scored / "graph.ttl").write_text(GRAPH_TTL + extra, encoding="utf-8")
    result = run("evaluate", scored / "gold.json", scored / "graph.ttl", "--explain")
    assert result.exit_code == 0, result.output
    tail = result.stdout.split("entity type accuracy")[1].splitlines()[2:]
    assert [line for line in tail if not line.startswith("  ")] == [
        "spurious entity: 4",
        "missed entity: 1",
        "missed relation, an entity missed: 1",
    ]


def test_evaluate_curve(scored):
    (scored / "graph.ttl").write_text(GRAPH_TTL + PROVENANCE_TTL, encoding="utf-8")
    plain = run("evaluate", scored / "gold.json", scored / "graph.ttl").stdout
    result = run("evaluate", scored / "gold.json", scored / "graph.ttl", "--curve")
    assert result.exit_code == 0, result.output
    assert result.stdout == plain + "\n".join(
        [
            "",
            "relations by minimum confidence (entities do not depend on it):",
            "min confidence        P      R     F1   out  gold",
            "  >= 0            0.500  0.500  0.500     2     2",
            "  >= 0.6          0.500  0.500  0.500     2     2",
            "  >= 0.9          1.000  0.500  0.667     1     2",
            "",
        ]
    )
    both = run("evaluate", scored / "gold.json", scored / "graph.ttl", "--curve", "--explain")
    assert both.stdout.startswith(result.stdout)
    assert "\nspurious relation: 1\n  测试高新区 hosts 无关公司\n" in both.stdout


def test_evaluate_curve_for_a_gold_folder(built, tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "t.json").write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    result = run("evaluate", gold, built / "out", "--curve")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    start = lines.index("relations by minimum confidence (entities do not depend on it):")
    assert lines[start - 2].startswith("micro relations")
    rows = lines[start + 2 :]
    assert rows and all(re.fullmatch(r"  >= [\d.]+ +(\d\.\d{3}  ){2}\d\.\d{3} +\d+ +2", r) for r in rows)
    assert rows[0].split()[5] == lines[start - 2].split()[5]  # at 0 the curve is the figures


def test_evaluate_gold_folder(built, tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "t.json").write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    (gold / "absent.json").write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    result = run("evaluate", gold, built / "out")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "absent            no output"
    assert re.fullmatch(r"t +entities F1 \d\.\d{3}  relations F1 \d\.\d{3}", lines[1])
    assert re.match(r"micro entities +\d\.\d{3} +\d\.\d{3} +\d\.\d{3} +\d+ +6$", lines[-2])


# -------------------------------------------------------------------- help


@pytest.mark.parametrize("command", [[], ["build"], ["query"], ["evaluate"]])
def test_help_has_examples(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert f"Usage: kg {' '.join(command)}".rstrip() in result.stdout


# ---------------------------------------------- SPARQL server: kg push, kg query URL


@pytest.fixture
def server(tmp_path):
    """The real Oxigraph server on a free loopback port (tests/sparql_server.py)."""
    from sparql_server import oxigraph_server

    with oxigraph_server(tmp_path / "oxigraph") as url:
        yield url


def _push_line(folder: Path, url: str) -> str:
    from kg.graph.knowledge import KnowledgeGraph

    graphs = [g for g in KnowledgeGraph.load(folder).dataset.graphs() if len(g)]
    others = ", ".join(
        n
        for n, g in [("ontology", "ontology"), ("reference", "resource/reference")]
        if any(str(x.identifier).endswith(g) for x in graphs)
    )
    return (
        f"Pushed {len(graphs)} graphs (1 article, {others}), {sum(len(g) for g in graphs):,} triples, to {url}store.\n"
    )


def test_push_then_query_url_prints_what_the_folder_prints(built, server):
    result = run("push", built / "out", server)
    assert result.exit_code == 0, result.output
    assert result.stdout == _push_line(built / "out", server)
    assert run("query", server, ZONES).stdout == "zone\n----------\n测试高新区\n(1 row)\n"
    typed = "SELECT ?z ?cls WHERE { ?z a ?cls FILTER isIRI(?z) } ORDER BY ?z ?cls"
    for args in (
        [ZONES],
        ["-f", "csv", ZONES],
        ["-f", "json", typed],
        ["--name", "zone_institutes", "--param", "zone=测试高新区"],
        ["--name", "entity_facts", "--param", "entity=测试高新区"],
        ["ASK { ?z a kg:Zone }"],
    ):
        there, here = run("query", server, *args), run("query", built / "out", *args)
        assert there.exit_code == 0, there.output
        assert there.stdout == here.stdout, args


def test_push_lists_then_prunes_articles_dir_does_not_have(built, server, tmp_path):
    assert run("push", built / "out", server).exit_code == 0
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "u.txt").write_text(ARTICLE, encoding="utf-8")
    assert run("build", tmp_path / "news", "-o", tmp_path / "out").exit_code == 0
    result = run("push", tmp_path / "out", server)
    assert (
        result.stdout
        == _push_line(tmp_path / "out", server)
        + "1 article graph on the server is not in DIR: t (--prune deletes it).\n"
    )
    result = run("push", tmp_path / "out", server, "--prune")
    assert (
        result.stdout == _push_line(tmp_path / "out", server) + "Removed 1 article graph that DIR does not have: t.\n"
    )
    assert run("push", tmp_path / "out", server).stdout == _push_line(tmp_path / "out", server)


def test_push_and_query_url_errors(built, server):
    from sparql_server import free_port

    closed = f"http://127.0.0.1:{free_port()}/"
    refused = f"cannot reach the SPARQL server at {closed}query: Connection refused"
    assert_error(run("push", built / "out", closed), refused)
    assert_error(run("query", closed, ZONES), refused)
    assert_error(run("query", "http://", ZONES), "bad server URL 'http://': no host")
    assert_error(run("push", built / "out", "https://:8080/"), "bad server URL 'https://:8080/': no host")
    assert_error(
        run("push", built / "out", server, "--store-url", server + "nope"),
        f"{server}nope: the server answered 404 Not Found: PUT /nope is not supported by this server",
    )
    assert_error(
        run("query", server, "SELECT ?x WHERE { ?x a }"),
        "SPARQL syntax error at line 1, column 19: Expected SelectQuery",
    )
    assert_error(run("push", built / "nothing", server), f"no such file or folder: {built / 'nothing'}")


def test_push_help_has_examples():
    result = run("push", "--help")
    assert result.exit_code == 0
    assert "Usage: kg push [OPTIONS] DIR URL" in result.stdout
    assert "Examples:" in result.stdout and "--store-url URL" in result.stdout
