"""kg.storage.folder: one writer at a time per graph folder, and what an interrupted one left."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sample_articles import write_articles

import kg.storage.folder as kfolder
from kg.cli.main import cli
from kg.errors import GraphError
from kg.graph.knowledge import KnowledgeGraph
from kg.pipeline.ondisk import build_into
from kg.storage.folder import CACHE_DIR, lock_path, recover, writing

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_a_second_writer_is_refused_and_the_lock_file_goes(tmp_path):
    src = write_articles(tmp_path / "src")
    out = tmp_path / "out"
    with writing(out.resolve()):
        assert lock_path(out.resolve()).exists()
        with pytest.raises(GraphError, match="another build is writing into"):
            build_into([src], out)
        result = CliRunner().invoke(cli, ["build", str(src), "-o", str(out)])
        assert result.exit_code == 1
        assert result.output.splitlines()[-1] == (
            f"Error: another build is writing into {out.resolve()}; run this one again when it has finished"
        )
    assert not out.exists()  # the refused builds wrote nothing
    build_into([src], out).close()  # free again
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "src"]


def test_a_save_is_refused_too(tmp_path):
    src = write_articles(tmp_path / "src")
    graph = build_into([src], tmp_path / "out")
    with writing((tmp_path / "copy").resolve()):
        with pytest.raises(GraphError, match="another build is writing into"):
            graph.save(tmp_path / "copy")
    graph.save(tmp_path / "copy")
    assert KnowledgeGraph.load(tmp_path / "copy").stats() == graph.stats()


def test_the_lock_of_a_killed_writer_is_free(tmp_path):
    out = (tmp_path / "out").resolve()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from kg.storage.folder import writing\n"
            "with writing(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)",
            str(out),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(GraphError, match="another build is writing into"):
            with writing(out):
                pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        holder.stdout.close()
    assert lock_path(out).exists()  # left behind by the killed writer, unlocked
    with writing(out):
        pass
    assert not lock_path(out).exists()


def staging_beside(target: Path, suffix: str) -> Path:
    path = target.parent / f".{target.name}.ab12cd_3.{suffix}"
    path.mkdir()
    return path


def test_recover_puts_back_a_graph_a_swap_moved_aside(tmp_path):
    target = tmp_path / "out"
    old = staging_beside(target, "old")
    (old / "graph").mkdir()
    (old / "graph" / "graph.trig").write_text("previous", encoding="utf-8")
    assert recover(target) == [old]
    assert (target / "graph.trig").read_text(encoding="utf-8") == "previous"
    assert not old.exists()


def test_recover_removes_staging_and_keeps_a_cache_in_it(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    stale = staging_beside(target, "tmp")
    (stale / CACHE_DIR).mkdir()
    (stale / CACHE_DIR / "cache.sqlite").write_text("c", encoding="utf-8")
    (stale / "graph.html").write_text("half", encoding="utf-8")
    other = tmp_path / ".out.x.ab12cd_3.tmp"  # staging of the folder "out.x": not ours
    other.mkdir()
    assert recover(target) == [stale]
    assert (target / CACHE_DIR / "cache.sqlite").read_text(encoding="utf-8") == "c"
    assert not (target / "graph.html").exists() and other.exists()


def test_recover_finishes_moving_whole_outputs_into_a_folder_of_other_files(tmp_path):
    target = tmp_path
    (target / "mine.txt").write_text("x", encoding="utf-8")
    (target / "graph.trig").write_text("old graph", encoding="utf-8")
    ready = target / ".kg-ab12cd_3.tmp"  # killed after moving the page
    ready.mkdir()
    (ready / kfolder._READY).touch()
    (ready / "graph.trig").write_text("new graph", encoding="utf-8")
    (target / "graph.html").write_text("new page", encoding="utf-8")
    half = target / ".kg-zz12cd_3.tmp"  # killed while writing: not whole
    half.mkdir()
    (half / "graph.trig").write_text("half", encoding="utf-8")
    assert sorted(recover(target)) == sorted([ready, half])
    assert (target / "graph.trig").read_text(encoding="utf-8") == "new graph"
    assert sorted(p.name for p in target.iterdir()) == ["graph.html", "graph.trig", "mine.txt"]


def test_a_build_tidies_what_a_killed_one_left(tmp_path):
    src = write_articles(tmp_path / "src")
    out = tmp_path / "out"
    build_into([src], out).close()
    staging_beside(out.resolve(), "tmp")
    lock_path(out.resolve()).touch()
    build_into([src], out).close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "src"]


def test_a_failure_while_moving_outputs_in_leaves_them_to_the_next_writer(tmp_path, monkeypatch):
    src = write_articles(tmp_path / "src")
    (tmp_path / "mine.txt").write_text("x", encoding="utf-8")  # a folder of other files
    graph = build_into([src], tmp_path / "first")
    real = kfolder.os.replace

    def broken(a, b):
        if Path(b).name == "graph.trig":
            raise KeyboardInterrupt  # after the page, before the graph
        return real(a, b)

    monkeypatch.setattr(kfolder.os, "replace", broken)
    with pytest.raises(KeyboardInterrupt):
        graph.save(tmp_path)
    monkeypatch.setattr(kfolder.os, "replace", real)
    assert not (tmp_path / "graph.trig").exists() and (tmp_path / "graph.html").exists()
    with writing(tmp_path.resolve()):  # the next writer finishes the move
        pass
    assert KnowledgeGraph.load(tmp_path).stats() == graph.stats()
    assert not list(tmp_path.glob(".kg-*.tmp"))
