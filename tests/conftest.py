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


@pytest.fixture(scope="session", autouse=True)
def rules_alone():
    """Tests run the rules alone unless marked ``@pytest.mark.model``: the rules' tests state what
    each rule finds in a sentence written for it, and the pipeline's tests need an extraction
    that stays put while the model is retrained.  The model has tests of its own (marked), and
    the end-to-end tests run the `kg` command, which uses the model that ships."""
    from kg.extraction.learned import using_model

    with using_model(rules_only=True):
        yield


@pytest.fixture(autouse=True)
def model_when_marked(request):
    """A test marked ``@pytest.mark.model`` extracts with the model that ships."""
    if not request.node.get_closest_marker("model"):
        yield
        return
    from kg.extraction.learned import DEFAULT_MODEL, using_model

    with using_model(DEFAULT_MODEL):
        yield
