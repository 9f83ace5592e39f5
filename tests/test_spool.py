"""kg.spool: an append-only sequence kept in a temporary file; keys counted on disk."""

from __future__ import annotations

from kg.spool import Spool, Tally, numbered


def test_items_come_back_in_order_across_chunks_and_while_appending():
    spool = Spool(((i, f"doc{i}") for i in range(10)), chunk=3)
    assert len(spool) == 10 and spool._file is not None  # three chunks went to the file
    first = iter(spool)
    assert next(first) == (0, "doc0")
    assert [x for x, _ in spool] == list(range(10))  # a second iteration meanwhile
    assert [x for x, _ in first] == list(range(1, 10))
    spool.append((10, "doc10"))
    assert list(spool)[-2:] == [(9, "doc9"), (10, "doc10")]


def test_close_drops_everything():
    spool = Spool(range(5), chunk=2)
    spool.close()
    assert len(spool) == 0 and list(spool) == [] and not spool


def test_tally_counts_across_calls_and_beyond_one_statement():
    tally = Tally()
    keys = [f"id{i % 700}" for i in range(1400)]  # more keys than one SQL statement binds
    counts = tally.counts(keys)
    assert counts[:700] == [1] * 700 and counts[700:] == [2] * 700
    assert tally.counts(["id0", b"\x00\x01", 7, 7]) == [3, 1, 1, 2]
    assert tally.counts([]) == []
    tally.close()
    tally.close()  # twice: nothing to do


def test_numbered_counts_across_batches_and_leaves_keyless_items_at_zero():
    items = [("a" if i % 3 else None, i) for i in range(20)]
    got = list(numbered(items, lambda x: x[0], batch=4))
    assert [x for x, _ in got] == items  # in order, all of them
    assert [n for (k, _), n in got if k is None] == [0] * 7
    assert [n for (k, _), n in got if k == "a"] == list(range(1, 14))
