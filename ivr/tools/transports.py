"""How the pretend phone (ivr/tools/phone.py) reaches the line: a Flask test client, or real servers over HTTP."""

from __future__ import annotations

import http.client
import itertools
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

# (absolute url, form params, headers) -> (HTTP status, body)
Transport = Callable[[str, dict[str, str], dict[str, str]], tuple[int, str]]


def flask_transport(client) -> Transport:
    """Send the phone's requests through a Flask test client."""

    def send(url: str, form: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        response = client.post(url, data=form, headers=headers)
        return response.status_code, response.get_data(as_text=True)

    return send


def http_transport(*servers: str, timeout: float = 20.0) -> Transport:
    """Send the phone's requests to real servers ("http://127.0.0.1:8001", ...), taking turns.

    The phone still signs its public URL (its base_url), so start each server with PUBLIC_BASE_URL
    set to that; only the path and query, and the public Host, travel to the server actually asked.
    """
    turns = itertools.cycle([urlsplit(server) for server in servers])

    def send(url: str, form: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        server, target = next(turns), urlsplit(url)
        path = target.path + (f"?{target.query}" if target.query else "")
        # The Host is the public one the phone signed, as the HTTPS proxy in front passes it on: a server
        # started with PUBLIC_BASE_URL refuses any other.
        headers = {**headers, "Host": target.netloc, "Content-Type": "application/x-www-form-urlencoded",
                   "Connection": "close"}
        connection = http.client.HTTPConnection(server.hostname, server.port, timeout=timeout)
        try:
            connection.request("POST", path, urlencode(form), headers)
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    return send
