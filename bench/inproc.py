"""CPU per request inside one process (Flask test client, no sockets, no gunicorn).

The least noisy figure on a shared VM: it counts this process's CPU time only, so other
programs on the machine barely move it (performance.md §1c: within about +7 %). Run by
bench/run.py as ``python -m bench.inproc PAGES_ID DRAFT_ID REQUESTS`` with the benchmark's
``BENCH_INSTANCE`` and ``DATABASE_URL``; prints one JSON line.

``p7_cold`` is the page with no checked draft and no rendered fields kept: what the first view
after a change of the draft costs.
"""

from __future__ import annotations

import gc
import json
import random
import re
import sys
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

from bench import content, scenario

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def cpu_ms(call: Callable[[], Any], requests: int) -> float:
    for _ in range(max(5, requests // 10)):
        call()
    gc.collect()
    started = time.process_time()
    for _ in range(requests):
        call()
    return (time.process_time() - started) / requests * 1000


def main(argv: list[str]) -> None:
    application_id, draft_id, requests = int(argv[0]), int(argv[1]), int(argv[2])
    from bench.appwsgi import make_app
    from bench.hello import app as hello_app

    hello = hello_app.test_client()
    app = make_app()
    client = app.test_client()
    page = client.get("/logg-inn")
    token = dict(HIDDEN.findall(page.text))["csrf_token"]
    answer = client.post("/logg-inn", data={"csrf_token": token, "neste": "",
                                            "email": scenario.APPLICANTS[0],
                                            "password": scenario.PASSWORD})
    if answer.status_code != 302:
        raise SystemExit(f"in-process login gave {answer.status_code}")

    base = f"/soknader/{application_id}"
    paths = {"p7": f"{base}/punkt/p7", "p4": f"{base}/punkt/p4", "overview": base}
    point = scenario.load_spec().section(scenario.AUTOSAVE_POINT)
    draft = f"/soknader/{draft_id}/punkt/{point.id}"
    hidden = dict(HIDDEN.findall(client.get(draft).text))
    rng = random.Random(7)
    bodies = [urlencode(content.form_pairs(point, content.section_values(rng, point)))
              for _ in range(scenario.VARIANTS)]
    state = {"version": int(hidden["version"]), "turn": 0}
    prefix = f"csrf_token={quote(hidden['csrf_token'], safe='')}&handling=autolagre&version="

    def autosave() -> None:
        body = f"{prefix}{state['version']}&{bodies[state['turn'] % len(bodies)]}"
        state["turn"] += 1
        response = client.post(f"{draft}/autolagre", data=body,
                               content_type="application/x-www-form-urlencoded")
        if response.status_code != 200:
            raise SystemExit(f"in-process autosave gave {response.status_code}")
        state["version"] = response.get_json()["version"]

    def get(path: str) -> Callable[[], None]:
        def call() -> None:
            if client.get(path).status_code != 200:
                raise SystemExit(f"in-process GET {path} failed")
        return call

    def cold(path: str) -> Callable[[], None]:
        """The page as the first view after a change of the draft sees it."""
        from soknad.services import applications
        from soknad.web import fragments

        def call() -> None:
            applications.forget_checked()
            fragments.clear()
            get(path)()
        return call

    results = {"hello": cpu_ms(lambda: hello.get("/"), requests * 10)}
    for name, path in paths.items():
        results[name] = cpu_ms(get(path), requests)
    results["p7_cold"] = cpu_ms(cold(paths["p7"]), requests)
    results["autosave"] = cpu_ms(autosave, requests)
    print(json.dumps({"cpu_ms": results, "requests": requests}))


if __name__ == "__main__":
    main(sys.argv[1:])
