"""The page's files: its template, script and stylesheet (``web/``), vis-network from the pyvis
package, the colours of the classes (``classes.tsv``), and what makes them safe to inline.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

CLASS_STYLES = "classes.tsv"  # in kg/data: cls, Chinese name, colour


_UNKNOWN_COLOUR = "#b0b0b0"


_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


@lru_cache(maxsize=1)
def _class_styles() -> dict[str, tuple[str, str]]:
    """cls -> (Chinese name, colour), in the order of kg/page/classes.tsv."""
    from importlib.resources import files

    from kg.errors import DataFileError

    resource = files("kg.page") / CLASS_STYLES
    styles: dict[str, tuple[str, str]] = {}
    for no, line in enumerate(resource.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if cols[0] == "cls":
            continue  # header
        if len(cols) != 3 or not _COLOUR.fullmatch(cols[2].strip()):
            raise DataFileError(resource, no, "expected: class<TAB>中文名<TAB>#rrggbb")
        styles[cols[0].strip()] = (cols[1].strip(), cols[2].strip().lower())
    return styles


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's minified script and stylesheet from the pyvis package."""
    from importlib.util import find_spec

    from kg.errors import KGError

    spec = find_spec("pyvis")  # where it is, without importing it (and IPython with it)
    if spec is None or not spec.submodule_search_locations:
        raise KGError("the pyvis package is missing: pip install pyvis")
    root = Path(spec.submodule_search_locations[0])
    found = []
    for lib in (root / "templates" / "lib", root / "lib"):
        for d in lib.glob("vis-*"):
            js, css = d / "vis-network.min.js", d / "vis-network.css"
            version = tuple(int(x) for x in re.findall(r"\d+", d.name))
            if js.is_file() and css.is_file():
                found.append((version, js, css))
    if not found:
        raise KGError(f"vis-network is missing from the pyvis package at {root}")
    _, js, css = max(found, key=lambda f: f[0])
    js_text = js.read_text(encoding="utf-8")
    css_text = css.read_text(encoding="utf-8")
    # No source-map fetch, and nothing that could end the inline element early.
    js_text = re.sub(r"^//# sourceMappingURL=.*$", "", js_text, flags=re.M)
    js_text = re.sub(r"</(script)", r"<\\/\1", js_text, flags=re.I)
    css_text = re.sub(r"</(style)", r"<\\/\1", css_text, flags=re.I)
    return js_text.strip(), css_text.strip()


@lru_cache(maxsize=4)
def page_asset(name: str) -> str:
    """The page's template (``page.html``), script (``page.js``) or stylesheet (``page.css``)."""
    from importlib.resources import files

    return (files("kg.page") / "web" / name).read_text(encoding="utf-8")


def _json_for_script(obj: Any) -> str:
    """JSON that is safe verbatim inside a <script> element."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, allow_nan=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


_CSP = (
    "default-src 'none'; script-src {scripts}; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:; base-uri 'none'; form-action 'none'"
)


# The scripts that run: every <script> element but the JSON data block.
_SCRIPT = re.compile(r'<script(?![^>]*type="application/json")[^>]*>(.*?)</script>', re.S)


def _csp(page: str) -> str:
    """The policy that lets exactly the scripts of ``page`` run (their SHA-256)."""
    import base64
    import hashlib

    hashes = sorted(
        {
            "'sha256-" + base64.b64encode(hashlib.sha256(m.group(1).encode("utf-8")).digest()).decode() + "'"
            for m in _SCRIPT.finditer(page)
        }
    )
    return _CSP.format(scripts=" ".join(hashes) or "'none'")
