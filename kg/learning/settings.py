"""What training can be told (:class:`Settings`), and the classes the relation classifier tells apart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kg.extraction.learned import NONE
from kg.records import PROPERTIES

Progress = Callable[[int, int, str], None]  # (done, total, current item)
CLASSES = [NONE, *PROPERTIES]  # "none" first, then the nine properties


@dataclass
class Settings:
    """What training can be told; the defaults are those the shipped model was trained with."""

    c1: float = 0.05  # the CRF's L1 penalty
    c2: float = 0.05  # and L2
    iterations: int = 150  # L-BFGS iterations of the CRF at most
    C: float = 0.2  # inverse L2 penalty of the logistic regression
    min_count: int = 2  # a pair feature seen fewer times is left out
    min_precision: float = 0.75  # the threshold keeps the relations' precision at least this high
    min_examples: int = 20  # a property with fewer gold relations than this is left to the rules
    cross_fit: int = 3  # folds of the taggers whose mentions the relation classifier learns from
    seed: int = 0
