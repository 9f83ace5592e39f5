"""What the commands share: path arguments, progress bars, counts."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

#: Default output folder of ``kg build``.
from kg.errors import InputError

DEFAULT_OUTPUT = "build/"


class ExistingPath(click.ParamType):
    """A path that must exist; a missing one is an InputError like the readers raise."""

    name = "path"

    def convert(self, value, param, ctx) -> Path:
        path = Path(value)
        if not path.exists():
            raise InputError(f"no such file or folder: {value}")
        return path


EXISTING = ExistingPath()


class FolderOrURL(ExistingPath):
    """A graph folder (that must exist) or a SPARQL server's URL (kept as text)."""

    name = "folder or URL"

    def convert(self, value, param, ctx):
        from kg.graph.remote import is_url

        return str(value) if is_url(value) else super().convert(value, param, ctx)


FOLDER_OR_URL = FolderOrURL()


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def count_list(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    inner = ", ".join(f"{k} {v}" for k, v in counts.items())
    return f"{total} ({inner})" if inner else "0"


@contextlib.contextmanager
def progress_bar(label: str):
    """A progress callback ``(done, total, item)`` drawing a bar on stderr.

    The bar is made at the first call, when the total is known; it is hidden
    when stderr is not a terminal.  A call with ``done`` 0 starts a new bar
    (a later phase of the build) labelled ``item``.
    """
    err = sys.stderr
    with contextlib.ExitStack() as stack:
        bars: list = []

        def progress(done: int, total: int, item: str) -> None:
            if done == 0 or not bars:
                if bars:
                    bars[-1].render_finish()
                bars.append(
                    stack.enter_context(
                        click.progressbar(
                            length=total,
                            label=item if done == 0 else label,
                            file=err,
                            hidden=not err.isatty(),
                            show_pos=True,
                            item_show_func=lambda x: x,
                        )
                    )
                )
                if done == 0:
                    return
            bars[-1].update(done - bars[-1].pos, current_item=item)

        yield progress


class Confidence(click.ParamType):
    """A number from 0 to 1; anything else is an InputError (one ``Error:`` line)."""

    name = "X"

    def convert(self, value, param, ctx) -> float:
        from kg.pipeline.run import check_confidence

        return check_confidence(value, param.opts[0] if param else "confidence")
