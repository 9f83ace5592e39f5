"""The one exception family of zone-kg.

Library code raises these; the CLI turns them into a one-line message and a
non-zero exit status.  Nothing else in the package prints.
"""

from __future__ import annotations


class KGError(Exception):
    """Base class of every error zone-kg raises on purpose."""


class InputError(KGError):
    """An input file or folder cannot be read or parsed."""


class NoArticlesError(InputError):
    """The paths given hold no article at all."""


class DataFileError(KGError):
    """A lexicon or pattern file is malformed; the message names file and line."""

    def __init__(self, path, line: int | None, reason: str):
        self.path, self.line, self.reason = str(path), line, reason
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {reason}")


class GraphError(KGError):
    """A built graph folder is missing or unreadable, or a query is malformed."""


class CacheError(GraphError):
    """The build cache in ``folder`` is damaged; a build deletes it and starts again."""

    def __init__(self, folder, reason: str):
        self.folder, self.reason = folder, reason
        super().__init__(f"the build cache {folder} is damaged ({reason})")


class ModelError(KGError):
    """A trained model file is missing, damaged or of another version; the message names it."""
