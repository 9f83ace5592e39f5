"""kg.pipeline.parallel: extraction in worker processes and on a Dask cluster gives the same graph."""

from pathlib import Path

import pytest
from sample_articles import ARTICLES

import kg.pipeline.parallel as parallel
import kg.pipeline.run as pipeline
import kg.pipeline.tasks as tasks
from kg.errors import InputError
from kg.pipeline.ondisk import build_into
from kg.pipeline.parallel import Recycled, check_jobs, ordered
from kg.pipeline.run import build
from kg.storage.store import store_quads

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

PLACES = "甲乙丙丁戊己庚辛"


def many_articles(folder: Path, n: int = 12) -> Path:
    """``n`` small articles made from the two samples, each with its own names."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = list(ARTICLES.values())
    for i in range(n):
        text = texts[i % 2].replace("蓝海", "蓝海" + PLACES[i % 8]).replace("远帆", "远帆" + PLACES[i % 8])
        (folder / f"a{i:02d}.md").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def pool_always(monkeypatch):
    """Use the worker processes however few the articles are."""
    monkeypatch.setattr(pipeline, "POOL_FROM", 1)
    monkeypatch.setattr(pipeline, "BATCH", 3)


def test_ordered_keeps_the_input_order():
    from concurrent.futures import ThreadPoolExecutor

    items = [(i, (pow, i, 2) if i % 3 else None) for i in range(20)]
    with ThreadPoolExecutor(2) as pool:
        assert list(ordered(items, pool, window=3)) == [(i, i * i if i % 3 else None) for i in range(20)]
    assert list(ordered(items, None)) == [(i, i * i if i % 3 else None) for i in range(20)]


def test_check_jobs():
    assert check_jobs(3) == 3
    for bad in (0, -1, "x", 1.5, True):
        with pytest.raises(InputError, match="jobs must be"):
            check_jobs(bad)


def test_jobs_give_the_same_graph_in_memory(tmp_path, pool_always):
    src = many_articles(tmp_path / "src")
    one = build(src)
    two = build(src, jobs=2)
    assert two.to_trig() == one.to_trig()
    assert two.report.entities_by_class == one.report.entities_by_class


def test_a_recycled_pool_replaces_its_workers_and_keeps_every_answer():
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    pool = Recycled(lambda: ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")), after=2)
    try:
        answers = list(ordered([(i, (os.getpid,)) for i in range(6)], pool, window=4))
    finally:
        pool.shutdown()
    assert [i for i, _ in answers] == list(range(6))
    pids = [pid for _, pid in answers]
    assert pids[0] == pids[1] != pids[2] == pids[3] != pids[4] == pids[5] != pids[0]
    assert pool.replaced == 2 and os.getpid() not in pids


def test_a_local_pool_counts_its_recycling_in_tasks_per_worker(monkeypatch):
    import os

    monkeypatch.setattr(parallel, "RECYCLE_AFTER", 2)
    with parallel.executor(jobs=2) as pool:
        answers = list(ordered([(i, (os.getpid,)) for i in range(9)], pool, window=2))
        assert pool.replaced == 2  # after 4 and 8 tasks: two workers, two each
    assert [i for i, _ in answers] == list(range(9))


def test_renew_stops_the_workers_that_ran_tasks_only():
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    pool = Recycled(lambda: ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")))
    try:
        pool.renew()  # nothing ran: nothing to stop
        assert pool.replaced == 0
        first = pool.submit(os.getpid).result()
        pool.renew()
        assert pool.replaced == 1
        assert pool.submit(os.getpid).result() not in (first, os.getpid())
    finally:
        pool.shutdown()


def test_the_graphs_are_written_by_fresh_workers(tmp_path, pool_always, monkeypatch):
    # the extraction's workers hold its lexicons and tokenizer: writing starts new ones
    import kg.pipeline.incremental as incremental

    monkeypatch.setattr(incremental, "WRITE_BATCH", 2)
    pools: dict[str, set] = {}
    real = Recycled.submit

    def submit(self, fn, /, *args, **kwargs):
        future = real(self, fn, *args, **kwargs)
        pools.setdefault(fn.__name__, set()).add(self._pool)  # kept: no id is reused
        return future

    monkeypatch.setattr(Recycled, "submit", submit)
    build_into([many_articles(tmp_path / "src")], tmp_path / "out", store="oxigraph", jobs=2).close()
    assert pools["extract_batch"] and pools["write_batch"]
    assert not pools["extract_batch"] & pools["write_batch"]


def test_jobs_give_the_same_store(tmp_path, pool_always, monkeypatch):
    import kg.pipeline.incremental as incremental

    monkeypatch.setattr(incremental, "WRITE_BATCH", 2)
    monkeypatch.setattr(parallel, "RECYCLE_AFTER", 2)  # fresh workers every two tasks each
    src = many_articles(tmp_path / "src")
    one = build_into([src], tmp_path / "one", store="oxigraph", jobs=1)
    two = build_into([src], tmp_path / "two", store="oxigraph", jobs=2)
    assert _same_but_blank_nodes(one, two)
    assert (tmp_path / "one/graph.html").read_bytes() == (tmp_path / "two/graph.html").read_bytes()
    one.close()
    two.close()


def _same_but_blank_nodes(a, b) -> bool:
    from rdflib import BNode

    def ground(g):
        return {q for q in store_quads(g.db) if not any(isinstance(t, BNode) for t in q)}

    return ground(a) == ground(b)


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as c:
        yield c.scheduler_address


def test_a_dask_cluster_gives_the_same_store(tmp_path, cluster, monkeypatch):
    src = many_articles(tmp_path / "src")
    local = build_into([src], tmp_path / "local", store="oxigraph")
    in_memory = build(src)

    def not_here(doc):
        raise AssertionError("extraction runs on the cluster's workers")

    monkeypatch.setattr("kg.pipeline.tasks.extract", not_here)
    remote = build_into([src], tmp_path / "dask", store="oxigraph", scheduler=cluster)
    assert _same_but_blank_nodes(local, remote)
    assert (tmp_path / "local/graph.html").read_bytes() == (tmp_path / "dask/graph.html").read_bytes()
    assert build(src, scheduler=cluster).to_trig() == in_memory.to_trig()
    local.close()
    remote.close()


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr("kg.pipeline.parallel.CONNECT_TIMEOUT", "1s")
    src = many_articles(tmp_path / "src", 2)
    with pytest.raises(InputError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:1"):
        build(src, scheduler="tcp://127.0.0.1:1")


# ------------------------------------------------------- a failing extraction


@pytest.fixture
def fragile(monkeypatch):
    """Extraction raises on an article that says 故障 (a bug in some rule)."""
    real = tasks.extract

    def extract(doc):
        if "故障" in doc.text:
            raise RuntimeError("a rule broke\nsecond line")
        return real(doc)

    monkeypatch.setattr(tasks, "extract", extract)


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_an_article_whose_extraction_raises_is_skipped_and_the_rest_built(tmp_path, fragile, store):
    src = many_articles(tmp_path / "src", 4)
    (src / "bad.jsonl").write_text('{"text": "丙高新区位于丁市。"}\n{"text": "故障高新区"}\n', encoding="utf-8")
    graph = build_into([src], tmp_path / "out", store=store)
    assert graph.report.articles == 5
    assert [str(s) for s in graph.report.skipped] == [
        f"{src / 'bad.jsonl'}:2: extraction failed (RuntimeError: a rule broke); "
        "the rest was built, please report this article"
    ]
    assert graph.stats()["articles"] == 5
    graph.close()
    if store == "oxigraph":  # an unchanged build reports it again
        again = build_into([src], tmp_path / "out", store=store)
        assert [str(s) for s in again.report.skipped] == [str(s) for s in graph.report.skipped]
        again.close()


def test_the_cli_reports_a_failed_extraction_as_a_skipped_line(tmp_path, fragile):
    from click.testing import CliRunner

    from kg.cli.main import cli

    src = many_articles(tmp_path / "src", 2)
    (src / "z.txt").write_text("故障高新区位于戊市。\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(src), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        "Read 2 articles, skipped 1 file.",
        f"  skipped {src / 'z.txt'}: extraction failed (RuntimeError: a rule broke); "
        "the rest was built, please report this article",
    ]
    assert "Traceback" not in result.output


def test_when_every_extraction_raises_the_build_says_so(tmp_path, fragile):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("故障高新区。\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"no article could be extracted \(1 skipped\)"):
        build([src])
