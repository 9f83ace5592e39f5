"""kg.graph.endpoints: endpoints of a server URL, and bad URLs, closed ports and silent servers
as one ServerError line each (no SPARQL server needed; tests/test_remote.py has the real one).
"""

from __future__ import annotations

import socket
import threading

import pytest
from sparql_server import free_port

from kg.graph.endpoints import ServerError, endpoints, is_url, send


def test_endpoints_of_a_base_and_of_a_query_endpoint():
    assert endpoints("http://h:7878") == endpoints("http://h:7878/")
    e = endpoints("http://h:7878/")
    assert (e.query, e.update, e.store) == ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store")
    e = endpoints("http://h/ds/sparql")
    assert (e.query, e.update, e.store) == ("http://h/ds/sparql", "http://h/ds/update", "http://h/ds/store")
    e = endpoints(
        "http://h/", query_url="http://h/ds/sparql", update_url="http://h/ds/update", store_url="http://h/ds/data"
    )
    assert (e.query, e.update, e.store) == ("http://h/ds/sparql", "http://h/ds/update", "http://h/ds/data")


def test_urls_and_folders():
    assert is_url("http://127.0.0.1:7878/") and is_url("HTTPS://h/") and is_url("ftp://h/")
    assert not is_url("build/") and not is_url("http:build") and not is_url("C:\\build")


@pytest.mark.parametrize(
    "url,message",
    [
        ("http://", "bad server URL 'http://': no host"),
        ("ftp://example.org/", "bad server URL 'ftp://example.org/': http:// or https:// expected"),
        (
            "http://127.0.0.1:99999/",
            "bad server URL 'http://127.0.0.1:99999/': the port is not a number from 0 to 65535",
        ),
        ("http://127.0.0.1/a b", "bad server URL 'http://127.0.0.1/a b': spaces in a URL must be written %20"),
    ],
)
def test_bad_urls(url, message):
    with pytest.raises(ServerError) as exc:
        endpoints(url)
    assert str(exc.value) == message
    with pytest.raises(ServerError) as exc:
        endpoints("http://h/", store_url=url)
    assert str(exc.value) == message


def test_a_closed_port():
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(ServerError) as exc:
        send("GET", url, where=url)
    assert str(exc.value) == f"cannot reach the SPARQL server at {url}: Connection refused"
    assert exc.value.status is None


def test_a_server_that_never_answers():
    with socket.socket() as listener:  # accepts connections, answers nothing
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/query"
        with pytest.raises(ServerError) as exc:
            send("POST", url, where=url, data=b"query=ASK{}", timeout=0.5)
    assert str(exc.value) == f"{url}: no answer within 0.5 s"


def test_a_server_that_is_not_http():
    with socket.socket() as listener:  # answers every connection with a non-HTTP line
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/query"

        def answer():
            conn, _ = listener.accept()
            with conn:
                conn.recv(65536)
                conn.sendall(b"SSH-2.0-OpenSSH_9.2\r\n")

        thread = threading.Thread(target=answer)
        thread.start()
        with pytest.raises(ServerError) as exc:
            send("GET", url, where=url, timeout=5)
        thread.join()
    assert "\n" not in str(exc.value)
    assert str(exc.value).startswith(f"{url}: no HTTP answer (")
    assert str(exc.value).endswith("): is it a SPARQL server?")
