"""What ``kg evaluate`` shows: a graph scored against gold, read once, with the confidence curve and the
errors by cause, and the text of it all.
"""

from __future__ import annotations

from kg.evaluation import diagnose
from kg.evaluation.evaluate import _as_graph, _curve, _gold, _is_folder, _score, evaluate_folder


def assess(gold, output, *, explain: bool = False, curve: bool = False) -> dict:
    """What `kg evaluate` shows: the graph at ``output`` (path, graph or
    KnowledgeGraph) read once and scored against ``gold`` (a gold file or
    dict, or a folder of gold files).

    Returns the keyword arguments of ``format_report``: ``result`` (of
    ``evaluate``, or of ``evaluate_folder`` for a folder), ``explanation``
    (``kg.evaluation.diagnose.explain``'s groups, or None) and ``curve`` (``curve``'s result, or None).
    """
    g = _as_graph(output)
    result = evaluate_folder(gold, g) if _is_folder(gold) else _score(_gold(gold), g)
    return {
        "result": result,
        "explanation": diagnose.causes_of(gold, g) if explain else None,
        "curve": _curve(gold, g, None) if curve else None,
    }


# ------------------------------------------------------------------ text


def _row(name: str, r: dict) -> str:
    return f"{name:16}{r['precision']:7.3f}{r['recall']:7.3f}{r['f1']:7.3f}{r['output']:6}{r['gold_required']:6}"


HEADER = f"{'':16}{'P':>7}{'R':>7}{'F1':>7}{'out':>6}{'gold':>6}"


def format_curve(result: dict) -> str:
    """``curve``'s result as a table: one row of relation figures per threshold.

    >>> r = {"precision": 0.5, "recall": 0.25, "f1": 0.333, "output": 4, "gold_required": 8}
    >>> print(format_curve({"points": [{"min_confidence": 0.85, "relations": r}]}))
    relations by minimum confidence (entities do not depend on it):
    min confidence        P      R     F1   out  gold
      >= 0.85         0.500  0.250  0.333     4     8
    """
    lines = ["relations by minimum confidence (entities do not depend on it):", f"{'min confidence':16}{HEADER[16:]}"]
    lines += [_row(f"  >= {pt['min_confidence']:g}", pt["relations"]) for pt in result["points"]]
    return "\n".join(lines)


def format_report(result: dict, explanation: list[dict] | None = None, curve: dict | None = None) -> str:
    """A table of P/R/F1, overall and per property, then the confidence curve and
    the errors by cause when given (``assess`` returns all three).

    Takes an ``evaluate`` or an ``evaluate_folder`` result.
    """
    if "micro" in result:
        lines = []
        for stem, r in result["articles"].items():
            lines.append(
                f"{stem:16}  no output"
                if not r
                else f"{stem:16}  entities F1 {r['entities']['f1']:.3f}  relations F1 {r['relations']['f1']:.3f}"
            )
        lines += ["", HEADER, *(_row(f"micro {k}", v) for k, v in result["micro"].items())]
    else:
        lines = [HEADER, _row("entities", result["entities"]), _row("relations", result["relations"])]
        lines += [_row(f"  {p}", r) for p, r in result["per_property"].items()]
        lines.append(f"entity type accuracy {result['entities']['type_accuracy']:.3f}")
    if curve is not None:
        lines += ["", format_curve(curve)]
    if explanation is not None:
        lines += ["", diagnose.format_explanation(explanation)]
    return "\n".join(lines)
