"""kg.storage.resume: a build goes on from the last one's entity table only when its input opens with
the same articles, all in the cache."""

from types import SimpleNamespace

from kg.extraction.entities import EntityTable
from kg.records import Entity
from kg.storage.resume import META, Checkpoint, resumable

OLD = [("a", "k1"), ("b", "k2")]


def meta_after(articles, closed=True) -> dict:
    table = EntityTable()
    table.add([Entity("星河", "Company", "星河")])
    checkpoint = Checkpoint.of(articles, table, closed)
    return {META: checkpoint.dumps() if checkpoint else None}


def scan(articles, hits=None):
    return SimpleNamespace(articles=articles, hits=hits or [True] * len(articles))


def test_an_input_that_opens_with_the_same_articles_resumes():
    found = resumable(meta_after(OLD), scan([*OLD, ("c", "k3")], [True, True, False]))
    assert found.count == 2 and found.table.current("星河") == ("Company", "星河")


def test_any_other_input_folds_every_article():
    meta = meta_after(OLD)
    assert resumable(meta, scan([("a", "k1"), ("b", "k2-changed"), ("c", "k3")])) is None
    assert resumable(meta, scan([("0", "k0"), *OLD])) is None  # one before them
    assert resumable(meta, scan(OLD[:1])) is None  # one of them gone
    assert resumable(meta, scan(OLD, [True, False])) is None  # not in the cache


def test_no_checkpoint_or_a_damaged_one_folds_every_article():
    assert resumable({}, scan(OLD)) is None
    assert resumable(meta_after(OLD, closed=False), scan(OLD)) is None
    assert resumable({META: b"not a pickle"}, scan(OLD)) is None
    assert resumable({META: b"\x80\x05K\x01."}, scan(OLD)) is None  # a pickled 1
