"""A SPARQL server's endpoints and the one HTTP request kg.graph.remote makes of them.

A URL ending in ``/`` (or with no path) is the server's base, with Oxigraph's
``query``, ``update`` and ``store`` under it; any other URL is the SPARQL
query endpoint itself (``…/query``, Fuseki's ``…/ds/sparql``), with
``update`` and ``store`` beside it.  ``query_url``, ``update_url`` and
``store_url`` name them explicitly.  Whatever goes wrong (a bad URL, a server
that cannot be reached, does not answer or refuses the request) is one
:class:`ServerError` line, never a traceback.

>>> e = endpoints("http://127.0.0.1:7878")
>>> e.query, e.update, e.store
('http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/update', 'http://127.0.0.1:7878/store')
>>> endpoints("http://h:3030/ds/sparql", store_url="http://h:3030/ds/data").store
'http://h:3030/ds/data'
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass

from kg.errors import KGError

__all__ = ["ServerError", "Endpoints", "endpoints", "is_url", "send", "TIMEOUT"]

#: Seconds to wait for the server's answer to one request.
TIMEOUT = 120.0
#: Oxigraph's endpoints under the server's base URL.
QUERY_PATH, UPDATE_PATH, STORE_PATH = "query", "update", "store"

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


class ServerError(KGError):
    """A SPARQL server cannot be reached, refused a request or gave no usable answer.

    ``status`` is the HTTP status of a refusal (None when there was no answer).
    """

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


# ------------------------------------------------------------------ endpoints


def is_url(location) -> bool:
    """True when ``location`` is a URL (``scheme://…``) rather than a folder.

    >>> is_url("http://127.0.0.1:7878/"), is_url("build/")
    (True, False)
    """
    return bool(_SCHEME.match(str(location)))


def _check_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise ServerError(f"bad server URL {url!r}: http:// or https:// expected")
    try:
        _ = parts.port
    except ValueError:
        raise ServerError(f"bad server URL {url!r}: the port is not a number from 0 to 65535") from None
    if not parts.hostname:
        raise ServerError(f"bad server URL {url!r}: no host")
    if re.search(r"\s", url):
        raise ServerError(f"bad server URL {url!r}: spaces in a URL must be written %20")
    return url


@dataclass(frozen=True)
class Endpoints:
    """A server's SPARQL query, SPARQL update and Graph Store Protocol endpoints."""

    query: str
    update: str
    store: str


def endpoints(
    url: str, *, query_url: str | None = None, update_url: str | None = None, store_url: str | None = None
) -> Endpoints:
    """The endpoints of ``url``: a base (ending in ``/``) or the query endpoint itself.

    >>> endpoints("http://127.0.0.1:7878/query").store
    'http://127.0.0.1:7878/store'
    >>> endpoints("ftp://x")
    Traceback (most recent call last):
    ...
    kg.graph.endpoints.ServerError: bad server URL 'ftp://x': http:// or https:// expected
    """
    _check_url(url)
    parts = urllib.parse.urlsplit(url)
    if not parts.path:
        url = urllib.parse.urlunsplit(parts._replace(path="/"))
    base = url.split("?", 1)[0].split("#", 1)[0]
    query = url if not base.endswith("/") else urllib.parse.urljoin(base, QUERY_PATH)
    given = {"query": query_url, "update": update_url, "store": store_url}
    found = {
        "query": query,
        "update": urllib.parse.urljoin(base, UPDATE_PATH),
        "store": urllib.parse.urljoin(base, STORE_PATH),
    }
    return Endpoints(**{k: _check_url(given[k]) if given[k] else v for k, v in found.items()})


# -------------------------------------------------------------------- HTTP


def _loopback(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _first_line(body: bytes) -> str:
    text = body.decode("utf-8", "replace")
    line = next((x.strip() for x in text.splitlines() if x.strip()), "")
    return line if len(line) <= 200 else line[:199] + "…"


def send(
    method: str,
    url: str,
    *,
    where: str,
    data: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = TIMEOUT,
) -> tuple[str, bytes]:
    """One HTTP request; (content type, body) of a 2xx answer, else a ServerError.

    ``where`` (the endpoint, without query string) names the server in messages.
    Loopback addresses are reached directly, never through a proxy.
    """
    handlers = [urllib.request.ProxyHandler({})] if _loopback(url) else []
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as exc:
        detail = _first_line(exc.read() or b"")
        raise ServerError(
            f"{where}: the server answered {exc.code} {exc.reason}" + (f": {detail}" if detail else ""), status=exc.code
        ) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise ServerError(f"{where}: no answer within {timeout:g} s") from None
        text = getattr(reason, "strerror", None) or str(reason)
        raise ServerError(f"cannot reach the SPARQL server at {where}: {text}") from None
    except TimeoutError:
        raise ServerError(f"{where}: no answer within {timeout:g} s") from None
    except (http.client.HTTPException, ConnectionError) as exc:
        text = " ".join(str(exc).split()) or type(exc).__name__
        raise ServerError(f"{where}: no HTTP answer ({text}): is it a SPARQL server?") from None
