"""A small session-like HTTP client for setting up the benchmark (standard library only).

It keeps cookies the way a browser does for one host (name → value, last Set-Cookie wins) and
does not follow redirects, so that the caller sees each 302 and where it points.
"""

from __future__ import annotations

import html
import http.client
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

_HIDDEN_RE = re.compile(r'<input type="hidden" name="(?P<name>[^"]+)" value="(?P<value>[^"]*)"')


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


@dataclass
class Session:
    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(self, method: str, path: str, form: list[tuple[str, str]] | None = None,
                headers: dict[str, str] | None = None) -> Response:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            sent = {"Accept": "text/html,application/json", **(headers or {})}
            if self.cookies:
                sent["Cookie"] = self.cookie_header
            body = None
            if form is not None:
                body = urlencode(form).encode()
                sent["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, path, body=body, headers=sent)
            raw = connection.getresponse()
            data = raw.read()
            for name, value in raw.getheaders():
                if name.lower() == "set-cookie":
                    jar: SimpleCookie = SimpleCookie()
                    jar.load(value)
                    for key, morsel in jar.items():
                        if morsel.value:
                            self.cookies[key] = morsel.value
                        else:
                            self.cookies.pop(key, None)
            lowered = {name.lower(): value for name, value in raw.getheaders()}
            return Response(raw.status, lowered, data)
        finally:
            connection.close()

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, form: list[tuple[str, str]],
             headers: dict[str, str] | None = None) -> Response:
        return self.request("POST", path, form, headers)


def hidden_inputs(page: str) -> dict[str, str]:
    """The hidden inputs of a page (name → value; the first of each name)."""
    found: dict[str, str] = {}
    for match in _HIDDEN_RE.finditer(page):
        found.setdefault(match["name"], html.unescape(match["value"]))
    return found


def path_of(location: str) -> str:
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")
