"""Shared pytest set-up: the Hypothesis profiles of the property-based tests, and
the ``interned`` fixture.

``HYPOTHESIS_PROFILE`` picks one (default ``ci``, what ``.ci/run`` and a plain
``pytest`` run):

* ``ci``: 2,000 examples per property, derandomised (the same examples on
  every run, so CI never flakes), no example database written;
* ``nightly``: 20,000 random examples per property, new ones every run;
* ``dev``: 200 examples, for a quick local run.
"""

from __future__ import annotations

import os
import sys

import pytest

try:
    from hypothesis import HealthCheck, settings
except ImportError:  # hypothesis is in the test extra; tests/test_properties.py says so
    settings = None

if settings is not None:
    _COMMON = dict(
        deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
    )
    settings.register_profile("ci", max_examples=2000, derandomize=True, database=None, **_COMMON)
    settings.register_profile("nightly", max_examples=20_000, database=None, **_COMMON)
    settings.register_profile("dev", max_examples=200, **_COMMON)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def interned(monkeypatch):
    """``interned(run)``: how many strings ``sys.intern`` (pathlib's, kg's) was asked
    for while ``run()`` ran.  Python's table of interned strings never shrinks: a
    string a build interns for each file or article, even one dropped at once,
    grows it with the input."""

    def count(run) -> int:
        calls = []
        real = sys.intern
        monkeypatch.setattr(sys, "intern", lambda s: calls.append(s) or real(s))
        try:
            run()
        finally:
            monkeypatch.setattr(sys, "intern", real)
        return len(calls)

    return count
