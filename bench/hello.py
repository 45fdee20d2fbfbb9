"""The floor: a bare Flask app that returns "hello", served the same way as the real app."""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.route("/")
def index() -> str:
    return "hello"
