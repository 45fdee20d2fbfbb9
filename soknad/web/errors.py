"""Error pages in Norwegian, and the cases where a failed post must not lose what was typed."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from soknad.extensions import db
from soknad.web import auth

MESSAGES = {
    400: ("Forespørselen kunne ikke behandles",
          "Noe i forespørselen var ugyldig. Gå tilbake og prøv igjen."),
    404: ("Fant ikke siden", "Siden finnes ikke, eller du har ikke tilgang til den. Sjekk "
          "adressen, eller gå til forsiden."),
    405: ("Handlingen er ikke tillatt", "Denne adressen kan ikke brukes slik."),
    413: ("Filen eller skjemaet er for stort",
          "Det du sendte, var for stort til å tas imot. Gå tilbake i nettleseren: teksten du "
          "skrev, står der fortsatt. Last opp store filer én og én."),
    500: ("Noe gikk galt hos oss", "Det skjedde en feil hos oss. Ingenting du har lagret, er "
          "tapt. Prøv igjen om litt."),
}


def _wants_json() -> bool:
    return request.endpoint in auth.JSON_ENDPOINTS


def _page(status: int, detail: str = "") -> Any:
    title, text = MESSAGES.get(status, MESSAGES[400])
    if _wants_json():
        return jsonify(status="error", message=detail or text), status
    return render_template("error.html", status=status, title=title, text=detail or text), status


def _csrf_failed(error: CSRFError) -> Any:
    """An expired or missing CSRF token, usually because the session ended while someone wrote.
    The point being saved is shown again with the text, or login is asked for first."""
    if "user" not in g:  # the CSRF check runs before the signed-in user is loaded
        auth.load_user()
    rescued = auth.RESCUED_ENDPOINTS | auth.JSON_ENDPOINTS
    if g.user is None and request.method == "POST" and request.endpoint in rescued:
        return auth.redirect_to_login()
    if _wants_json():
        return jsonify(status="error", reason="csrf",
                       message="Siden var utløpt. Prøver igjen …"), 400
    if request.endpoint in auth.RESCUED_ENDPOINTS and request.method == "POST":
        return _point_as_typed()
    return _page(400, "Skjemaet var utløpt. Gå tilbake, last siden på nytt og prøv igjen. Har "
                 "du skrevet mye, kopier teksten først.")


def _point_as_typed(why: str = "", status: int = 200) -> Any:
    """The point being posted, shown again with what was typed, not yet saved."""
    return auth.rescuer(request.endpoint or "")(
        data=MultiDict(list(request.form.items(multi=True))), why=why, status=status,
        **(request.view_args or {}))


def _rescue_after_failure() -> Any:
    """A point's save failed on our side: nothing of it was stored (one transaction), and the
    person gets the text back in the form rather than an error page without it."""
    why = ("Det skjedde en feil hos oss, og punktet er ikke lagret – heller ikke filene du "
           "valgte. " if request.endpoint == "applicant.section"
           else "Det skjedde en feil hos oss, og ingenting er lagret. ")
    try:
        return _point_as_typed(why, 500)
    except Exception:  # the page itself cannot be shown: the plain error page
        db.session.rollback()
        return _page(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_failed)

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: RequestEntityTooLarge) -> Any:
        limit = app.config["MAX_REQUEST_MB"]
        return _page(413, f"Det du sendte, var større enn {limit} MB. Gå tilbake i nettleseren: "
                     "teksten du skrev, står der fortsatt. Last opp store filer én og én, og "
                     f"hver fil kan være høyst {app.config['MAX_UPLOAD_MB']} MB.")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        return _page(error.code or 500)

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> Any:
        db.session.rollback()
        app.logger.exception("Unhandled error", exc_info=error)
        if request.method == "POST" and request.endpoint in auth.RESCUED_ENDPOINTS:
            return _rescue_after_failure()
        return _page(500)

    app.after_request(security_headers)


# No inline script or style anywhere (templates load soknad/static only), so no 'unsafe-inline'.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'",
    "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'",
])
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def security_headers(response: Response) -> Response:
    """Every response's security headers, in this one place (error pages and downloads too).

    Everything but the static files is ``no-store``: pages and downloads carry application data
    or a login form, and must not stay in a shared or browser cache. A file sent as an
    attachment is also sandboxed, should a browser render it anyway."""
    headers = response.headers
    policy = CONTENT_SECURITY_POLICY
    if headers.get("Content-Disposition", "").startswith("attachment"):
        policy += "; sandbox"
    headers["Content-Security-Policy"] = policy
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    headers["Permissions-Policy"] = PERMISSIONS_POLICY
    if request.endpoint != "static" and "no-store" not in headers.get("Cache-Control", ""):
        headers["Cache-Control"] = "no-store"
    seconds = current_app.config["HSTS_SECONDS"]
    if seconds and request.is_secure:  # over plain HTTP a browser ignores it (RFC 6797 8.1)
        headers["Strict-Transport-Security"] = f"max-age={seconds}; includeSubDomains"
    return response
