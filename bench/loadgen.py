"""Load generators in asyncio with raw HTTP/1.1 over loopback (one connection per request, as
gunicorn's sync workers close every connection after the response).

* ``closed_loop``: N connections, each sends its next request when the previous one is answered
  (like wrk). Used for autosave, which needs a client that keeps each draft's version, and as
  the fallback for every endpoint when wrk is not installed.
* ``open_loop``: Poisson arrivals at a fixed rate, latency measured from the *scheduled* send
  time (no coordinated omission). Each arrival is one autosave by the virtual user that owns a
  draft; like section.js, a user never has two saves of one point in flight, so an arrival
  that finds its user's previous save unanswered waits for it (and that wait counts).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.scenario import Draft, encode

REQUEST_TIMEOUT = 30.0


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0–100) of unsorted values; NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary_ms(values: list[float]) -> dict[str, float]:
    return {"p50": percentile(values, 50) * 1000, "p90": percentile(values, 90) * 1000,
            "p99": percentile(values, 99) * 1000,
            "max": max(values) * 1000 if values else float("nan")}


async def exchange(port: int, raw: bytes) -> tuple[int, bytes]:
    """Send one request on a new connection; return (status, body)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(raw)
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = None
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
                break
        body = await (reader.readexactly(length) if length is not None else reader.read())
        return status, body
    finally:
        writer.close()


def get_request(port: int, path: str, cookie: str = "") -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Accept: text/html",
             "Connection: close"]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def autosave_request(port: int, draft: Draft) -> tuple[bytes, int]:
    """The next save of ``draft`` with the version it last got back; (request, variant)."""
    variant = draft.next_variant
    body = encode(draft.csrf, draft.version, draft.encoded[variant])
    head = (f"POST {draft.autosave_path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Cookie: {draft.cookie}\r\nAccept: application/json\r\n"
            "X-Requested-With: fetch\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n")
    return head.encode() + body, variant


def autosave_answered(draft: Draft, variant: int, status: int, body: bytes,
                      statuses: Counter[str]) -> None:
    """Track what the server said: the new version, or why not."""
    if status == 200:
        try:
            answer = json.loads(body)
            version = int(answer["version"])
        except (ValueError, KeyError, TypeError):
            statuses["200-unreadable"] += 1
            draft.uncertain += 1
            return
        if answer.get("status") != "saved" or version != draft.version + 1:
            statuses["200-unexpected-version"] += 1
        draft.version = version
        draft.successes += 1
        draft.last_saved = draft.variants[variant]
        draft.next_variant = (variant + 1) % len(draft.variants)
    statuses[str(status)] += 1


@dataclass
class Result:
    kind: str
    requests: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    exceptions: Counter[str] = field(default_factory=Counter)
    cpu_seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ok = self.statuses.get("200", 0)  # a 302 would be the login page, not the page
        data = {
            "generator": self.kind, "requests": self.requests, "seconds": round(self.seconds, 3),
            "rps": self.requests / self.seconds if self.seconds else 0.0,
            "latency_ms": summary_ms(self.latencies), "statuses": dict(self.statuses),
            "non_ok": self.requests - ok, "exceptions": dict(self.exceptions),
            "generator_cpu_share": self.cpu_seconds / self.seconds if self.seconds else 0.0,
        }
        data.update(self.extra)
        return data


@contextlib.contextmanager
def _quiet_gc() -> Any:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


# --------------------------------------------------------------------------- closed loop


async def _closed_loop(port: int, connections: int, seconds: float,
                       make: Callable[[int], tuple[bytes, Callable[[int, bytes], None]]],
                       result: Result) -> None:
    stop_at = time.monotonic() + seconds

    async def user(index: int) -> None:
        while time.monotonic() < stop_at:
            raw, answered = make(index)
            started = time.monotonic()
            try:
                status, body = await asyncio.wait_for(exchange(port, raw), REQUEST_TIMEOUT)
            except (TimeoutError, OSError, asyncio.IncompleteReadError) as error:
                result.exceptions[type(error).__name__] += 1
                answered(-1, b"")
                result.requests += 1
                continue
            result.latencies.append(time.monotonic() - started)
            result.requests += 1
            answered(status, body)

    begun = time.monotonic()
    cpu = time.process_time()
    await asyncio.gather(*(user(index) for index in range(connections)))
    result.seconds = time.monotonic() - begun
    result.cpu_seconds = time.process_time() - cpu


def closed_loop_get(port: int, path: str, cookie: str, connections: int,
                    seconds: float) -> Result:
    raw = get_request(port, path, cookie)
    result = Result("python closed loop")

    def make(_index: int) -> tuple[bytes, Callable[[int, bytes], None]]:
        def answered(status: int, body: bytes) -> None:
            if status >= 0:
                result.statuses[str(status)] += 1
                result.extra["bytes"] = result.extra.get("bytes", 0) + len(body)
        return raw, answered

    with _quiet_gc():
        asyncio.run(_closed_loop(port, connections, seconds, make, result))
    return result


def closed_loop_autosave(port: int, drafts: list[Draft], connections: int,
                         seconds: float) -> Result:
    """Each connection owns its own drafts (draft i belongs to connection i mod N) and cycles
    through them, always sending the version it last got back: no 409 is expected."""
    if len(drafts) < connections:
        raise ValueError("need at least one draft per connection")
    owned = [drafts[index::connections] for index in range(connections)]
    turn = [0] * connections
    result = Result("python closed loop")

    def make(index: int) -> tuple[bytes, Callable[[int, bytes], None]]:
        draft = owned[index][turn[index] % len(owned[index])]
        turn[index] += 1
        raw, variant = autosave_request(port, draft)

        def answered(status: int, body: bytes) -> None:
            if status < 0:
                draft.uncertain += 1
            else:
                autosave_answered(draft, variant, status, body, result.statuses)
        return raw, answered

    with _quiet_gc():
        asyncio.run(_closed_loop(port, connections, seconds, make, result))
    result.extra["body_bytes_median"] = statistics.median(
        len(encode(d.csrf, d.version, e)) for d in drafts for e in d.encoded)
    return result


# --------------------------------------------------------------------------- open loop


async def _open_loop(port: int, drafts: list[Draft], rate: float, seconds: float, *,
                     seed: int, result: Result) -> None:
    rng = random.Random(seed)
    arrivals: list[tuple[float, Draft]] = []
    moment = 0.0
    while True:
        moment += rng.expovariate(rate)
        if moment >= seconds:
            break
        arrivals.append((moment, rng.choice(drafts)))
    locks = {id(draft): asyncio.Lock() for draft in drafts}
    lags: list[float] = []
    waits: list[float] = []

    async def save(draft: Draft, scheduled: float) -> None:
        began = time.monotonic()
        lags.append(began - scheduled)
        async with locks[id(draft)]:  # FIFO: the user's previous save of this point first
            waited = time.monotonic() - began
            if waited > 0.0005:
                waits.append(waited)
            raw, variant = autosave_request(port, draft)
            try:
                status, body = await asyncio.wait_for(exchange(port, raw), REQUEST_TIMEOUT)
            except (TimeoutError, OSError, asyncio.IncompleteReadError) as error:
                result.exceptions[type(error).__name__] += 1
                draft.uncertain += 1
                return
            finally:
                result.requests += 1
            result.latencies.append(time.monotonic() - scheduled)
            autosave_answered(draft, variant, status, body, result.statuses)

    tasks = []
    cpu = time.process_time()
    start = time.monotonic() + 0.05
    for offset, draft in arrivals:
        delay = start + offset - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(save(draft, start + offset)))
    await asyncio.gather(*tasks)
    result.seconds = seconds
    result.cpu_seconds = time.process_time() - cpu
    result.extra.update({
        "offered_rps": rate, "arrivals": len(arrivals),
        "achieved_rps": len(arrivals) / seconds,
        "drafts": len(drafts), "lag_ms": summary_ms(lags),
        "queued_behind_own_save": len(waits),
        "queued_wait_ms_max": max(waits) * 1000 if waits else 0.0,
    })


def open_loop_autosave(port: int, drafts: list[Draft], rate: float, seconds: float,
                       seed: int) -> Result:
    result = Result("python open loop (Poisson)")
    with _quiet_gc():
        asyncio.run(_open_loop(port, drafts, rate, seconds, seed=seed, result=result))
    return result
