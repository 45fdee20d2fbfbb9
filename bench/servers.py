"""Start and stop gunicorn masters for the benchmark, each on a free loopback port.

Every master is started in its own session (process group) and remembered by PID; ``stop``
ends it with SIGTERM (graceful), then SIGKILL to its group if it does not exit in time.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path(sys.executable).parent
GUNICORN = BIN / "gunicorn"
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_version() -> str:
    result = subprocess.run([str(GUNICORN), "--version"], capture_output=True, text=True,
                            check=False)
    return (result.stdout or result.stderr).strip()


def supports_no_control_socket() -> bool:
    result = subprocess.run([str(GUNICORN), "--help"], capture_output=True, text=True,
                            check=False)
    return "--no-control-socket" in result.stdout


@dataclass
class Server:
    name: str
    app: str
    port: int
    log: Path
    env: dict[str, str]
    workers: int = 2
    process: subprocess.Popen[bytes] | None = None
    argv: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        self.argv = [
            str(GUNICORN), "--chdir", str(ROOT), "-w", str(self.workers), "-k", "sync",
            "-b", f"127.0.0.1:{self.port}", "--log-level", "warning",
            "--error-logfile", str(self.log),
        ]
        if supports_no_control_socket():
            self.argv.append("--no-control-socket")
        self.argv.append(self.app)
        self.process = subprocess.Popen(
            self.argv, cwd=ROOT, env={**os.environ, **self.env}, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn for {self.name} exited with "
                                   f"{self.process.returncode}; see {self.log}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    sock.sendall(b"GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                    if sock.recv(12).startswith(b"HTTP/1."):
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn for {self.name} did not answer within {timeout} s")

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def stop(self, timeout: float = 15.0) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # the group this master leads
            process.wait(5)
        # Workers left behind by a master that died would still be in its group.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)

    def error_log_tail(self, lines: int = 20) -> list[str]:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return []
        return text.splitlines()[-lines:]
