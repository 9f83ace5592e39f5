"""The learned stages: a mention tagger and a relation classifier, trained by ``kg train``.

A model is one file (a zip): ``meta.json`` (what it is, the threshold of its
relations, the temperature that calibrates them, the figures it was trained
to), ``tagger.crfsuite`` (a linear-chain CRF over jieba's tokens, python-crfsuite)
and ``relations.npz`` (a multinomial logistic regression over the features of
entity pairs: its vocabulary, weights and intercepts, read with numpy, never
unpickled).  Features in (:mod:`kg.extraction.features`), probabilities out.

The default model ships in the package (``model/default.kgmodel``) and is
loaded once per process, on first use; ``kg build --model PATH`` uses another.
A missing or damaged model file is a :class:`kg.errors.ModelError` naming it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kg.errors import ModelError

FORMAT = 1
#: The version of the features; a model trained on others is refused.
FEATURES = 2
DEFAULT_MODEL = Path(__file__).parent / "model" / "default.kgmodel"
NONE = "none"


@dataclass
class RelationWeights:
    """A multinomial logistic regression: ``softmax((x @ coef + intercept) / temperature)``."""

    vocabulary: dict[str, int]
    classes: list[str]
    coef: np.ndarray  # features x classes
    intercept: np.ndarray
    temperature: float = 1.0

    def probabilities(self, rows: list[list[str]]) -> np.ndarray:
        """One row of class probabilities per feature list."""
        vocab = self.vocabulary
        get = vocab.get
        indices, indptr = [], [0]
        for feats in rows:
            indices.extend({i for i in map(get, feats) if i is not None})
            indptr.append(len(indices))
        counts = np.diff(indptr)
        owner = np.repeat(np.arange(len(rows)), counts)
        out = np.tile(self.intercept, (len(rows), 1))
        np.add.at(out, owner, self.coef[np.asarray(indices, dtype=np.int64)])
        out /= self.temperature
        out -= out.max(axis=1, keepdims=True)
        np.exp(out, out=out)
        out /= out.sum(axis=1, keepdims=True)
        return out

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        words = sorted(self.vocabulary, key=self.vocabulary.get)
        np.savez_compressed(
            buf,
            coef=self.coef.astype(np.float32),
            intercept=self.intercept.astype(np.float32),
            vocabulary=np.array(words, dtype=np.str_),
            classes=np.array(self.classes, dtype=np.str_),
            temperature=np.array([self.temperature]),
        )
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> RelationWeights:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            words = [str(w) for w in z["vocabulary"]]
            return cls(
                {w: i for i, w in enumerate(words)},
                [str(c) for c in z["classes"]],
                z["coef"].astype(np.float64),
                z["intercept"].astype(np.float64),
                float(z["temperature"][0]),
            )


class Model:
    """A trained model: ``tag`` token features into labels, ``relate`` pair features into probabilities."""

    def __init__(self, meta: dict, tagger_bytes: bytes, relations: RelationWeights, digest: str = ""):
        import pycrfsuite

        self.meta, self.relations, self.digest = meta, relations, digest
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open_inmemory(tagger_bytes)
        self.tagger_bytes = tagger_bytes

    @property
    def threshold(self) -> float:
        """The least probability of a relation the model asserts."""
        return float(self.meta.get("threshold", 0.5))

    def source(self, prop: str) -> str:
        """Whose triples of ``prop`` the model asserts: "model" (the classifier's), "rules" or "both"
        (chosen in training on held-out articles, kg.learning.train)."""
        return self.meta.get("sources", {}).get(prop, "model")

    def rule_confidence(self, prop: str) -> float | None:
        """The confidence of a rule's triple of ``prop``: the precision the rules' triples of it had on
        held-out articles (measured in training); None when training saw too few to measure (the
        rule's own confidence then stands)."""
        value = self.meta.get("rule_precision", {}).get(prop)
        return None if value is None else float(value)

    def tag(self, features: list[list[str]]) -> list[str]:
        """The BIO label of each token."""
        return list(self._tagger.tag(features)) if features else []

    def relate(self, rows: list[list[str]]) -> np.ndarray:
        return self.relations.probabilities(rows) if rows else np.zeros((0, len(self.relations.classes)))

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in (
                ("meta.json", json.dumps(self.meta, ensure_ascii=False, indent=1, sort_keys=True)),
                ("tagger.crfsuite", self.tagger_bytes),
                ("relations.npz", self.relations.to_bytes()),
            ):
                info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))  # the same bytes for the same model
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, data)
        return buf.getvalue()

    def save(self, path: str | Path) -> None:
        Path(path).write_bytes(self.to_bytes())


def read_model(path: str | Path) -> Model:
    """The model in the file ``path``; a ModelError when it is missing, damaged or of another kind."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ModelError(f"{p}: cannot read the model ({exc.strerror or exc})") from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            meta = json.loads(z.read("meta.json"))
            tagger, relations = z.read("tagger.crfsuite"), z.read("relations.npz")
        if meta.get("format") != FORMAT or meta.get("features") != FEATURES:
            raise ModelError(
                f"{p}: a model of format {meta.get('format')}, features {meta.get('features')}; this "
                f"zone-kg reads format {FORMAT}, features {FEATURES}: train it again (kg train)"
            )
        return Model(meta, tagger, RelationWeights.from_bytes(relations), hashlib.sha256(data).hexdigest())
    except ModelError:
        raise
    except Exception as exc:  # zipfile, json, numpy and crfsuite each raise their own
        raise ModelError(f"{p}: not a zone-kg model, or a damaged one ({type(exc).__name__}: {exc})") from None


@functools.lru_cache(maxsize=4)
def _cached(path: str, stamp: tuple) -> Model:
    return read_model(path)


def get_model(path: str | Path | None = None) -> Model:
    """The model at ``path`` (default: the one shipped in the package), read once per process."""
    p = Path(path) if path else DEFAULT_MODEL
    try:
        st = p.stat()
    except OSError as exc:
        raise ModelError(f"{p}: no model file ({exc.strerror or exc})") from None
    return _cached(str(p.resolve()), (st.st_size, st.st_mtime_ns))


def model_digest(path: str | Path | None = None) -> str:
    """A hash of the model file, for cache keys: "" for the default one (the package's hash covers it)."""
    return "" if not path else get_model(path).digest


#: What extraction uses in this process: the shipped model, another file, or the rules alone.
_ACTIVE: dict = {"path": None, "rules_only": False, "model": None}


def use_model(path: str | Path | None = None, *, rules_only: bool = False) -> None:
    """Make ``path`` (None: the shipped model) the model extraction uses in this process, or, with
    ``rules_only``, none: the rules' mentions and relations alone."""
    if path is not None and not rules_only:
        get_model(path)  # a missing or damaged file is an error now, not in a worker later
    _ACTIVE.update(path=None if path is None else str(path), rules_only=rules_only, model=None)


@contextlib.contextmanager
def using_model(path: str | Path | None = None, *, rules_only: bool = False):
    """Within the block, extraction uses ``path`` or the rules alone; what was active before comes
    back after it.  Neither given: what is active stays (the shipped model unless
    :func:`use_model` said otherwise)."""
    if path is None and not rules_only:
        yield
        return
    before = dict(_ACTIVE)
    use_model(path, rules_only=rules_only)
    try:
        yield
    finally:
        _ACTIVE.clear()
        _ACTIVE.update(before)


def setting_version() -> str:
    """What the active setting adds to the cache's code version: nothing for the shipped model,
    else the model file's hash, or that the rules run alone."""
    if _ACTIVE["rules_only"]:
        return "rules-only"
    return model_digest(_ACTIVE["path"])


def active_setting() -> tuple[str | None, bool]:
    """(model path or None for the shipped one, rules only): what workers are told to use."""
    return _ACTIVE["path"], _ACTIVE["rules_only"]


def active_model() -> Model | None:
    """The model extraction uses now (None: the rules alone, or no shipped model yet); read on the
    first call after :func:`use_model`, then kept (extraction asks for it once per article)."""
    if _ACTIVE["rules_only"]:
        return None
    if _ACTIVE["model"] is None and (_ACTIVE["path"] is not None or DEFAULT_MODEL.exists()):
        _ACTIVE["model"] = get_model(_ACTIVE["path"])
    return _ACTIVE["model"]
