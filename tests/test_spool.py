"""kg.spool: an append-only sequence kept in a temporary file."""
from __future__ import annotations

from kg.spool import Spool


def test_items_come_back_in_order_across_chunks_and_while_appending():
    spool = Spool(((i, f"doc{i}") for i in range(10)), chunk=3)
    assert len(spool) == 10 and spool._file is not None           # three chunks went to the file
    first = iter(spool)
    assert next(first) == (0, "doc0")
    assert [x for x, _ in spool] == list(range(10))               # a second iteration meanwhile
    assert [x for x, _ in first] == list(range(1, 10))
    spool.append((10, "doc10"))
    assert list(spool)[-2:] == [(9, "doc9"), (10, "doc10")]


def test_close_drops_everything():
    spool = Spool(range(5), chunk=2)
    spool.close()
    assert len(spool) == 0 and list(spool) == [] and not spool

