"""The ``kg`` command: one module per command, each a thin wrapper over one library call."""

from kg.cli.main import main

__all__ = ["main"]
