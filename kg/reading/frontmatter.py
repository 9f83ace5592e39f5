"""YAML front matter of Markdown articles, read with the safe loader (no ``!!python/…`` tags)."""

from __future__ import annotations

from functools import lru_cache

import yaml

from kg.reading.decoding import one_line


def yaml_load(text: str):
    """YAML with PyYAML's safe loader (no tags that build Python objects), where
    a timestamp that is no real date (2023-02-30) stays a string.

    >>> yaml_load("date: 2023-02-30\\nday: 2023-02-28")
    {'date': '2023-02-30', 'day': datetime.date(2023, 2, 28)}
    """
    return yaml_loader_class()(text).get_single_data()


@lru_cache(maxsize=1)
def yaml_loader_class():
    """yaml.SafeLoader, but a timestamp that is no real date stays a string."""

    class Loader(yaml.SafeLoader):
        def construct_yaml_timestamp(self, node):
            try:
                return super().construct_yaml_timestamp(node)
            except (ValueError, OverflowError):
                return self.construct_scalar(node)

    Loader.add_constructor("tag:yaml.org,2002:timestamp", Loader.construct_yaml_timestamp)
    return Loader


def _yaml_message(e: Exception) -> str:
    if isinstance(e, RecursionError):
        return "nested too deeply"
    problem = getattr(e, "problem", None) or (str(e).splitlines() or [type(e).__name__])[0]
    mark = getattr(e, "problem_mark", None)
    # the front matter starts on the file's second line
    where = f" (line {mark.line + 2})" if mark is not None else ""
    return one_line(problem) + where
