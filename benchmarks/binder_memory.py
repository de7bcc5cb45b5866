"""Memory a Binder learner uses: a JupyterLab server plus a lesson and its exercise, run to the end.

    python benchmarks/binder_memory.py                 # lesson 5 and its exercise (the heaviest pair)
    python benchmarks/binder_memory.py --lesson 6

mybinder.org stops a user's server above 2 GB. This starts ``jupyter lab`` as Binder does (with
binder/start's environment), loads the JupyterLab page once, opens two kernels through the
server's REST API and runs, over the kernels' websockets, every code cell of the lesson in
one and then every code cell of the solved exercise in the other (a learner who finished the
exercise ran the same code), while the lesson's kernel stays alive. Every 0.2 s it adds up the
resident memory (RSS) of the server and its kernels and reports the peak. RSS counts shared
library pages once per process, so the sum overstates what the container really holds; the
proportional share (PSS), which counts each shared page once, is reported next to it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.request import Request, urlopen

import nbformat
import psutil
from tornado.websocket import websocket_connect

ROOT = Path(__file__).resolve().parent.parent
BINDER_LIMIT_MB = 2048
MB = 1024 * 1024


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _binder_environment() -> dict[str, str]:
    """The environment binder/start gives the server (read from the script itself)."""
    env = dict(os.environ)
    for line in (ROOT / "binder" / "start").read_text().splitlines():
        if line.startswith("export "):
            key, value = line.removeprefix("export ").split("=", 1)
            env[key] = value
    return env


class Sampler(threading.Thread):
    """Samples the RSS and PSS of a process tree every ``interval`` seconds; keeps the peaks."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak_rss = self.peak_pss = 0.0
        self.peak_parts: dict[str, float] = {}
        self.stopped = threading.Event()

    def measure(self) -> tuple[float, float, dict[str, float]]:
        rss = pss = 0.0
        parts = {}
        for process in [self.root, *self.root.children(recursive=True)]:
            try:
                info = process.memory_full_info()
                name = "server" if process.pid == self.root.pid else f"kernel {process.pid}"
            except psutil.Error:
                continue
            rss += info.rss / MB
            pss += getattr(info, "pss", info.rss) / MB
            parts[name] = info.rss / MB
        return rss, pss, parts

    def run(self):
        while not self.stopped.is_set():
            rss, pss, parts = self.measure()
            if rss > self.peak_rss:
                self.peak_rss, self.peak_parts = rss, parts
            self.peak_pss = max(self.peak_pss, pss)
            time.sleep(self.interval)


def _message(code: str, session: str) -> dict:
    return {
        "header": {"msg_id": uuid.uuid4().hex, "msg_type": "execute_request", "username": "learner",
                   "session": session, "date": "", "version": "5.3"},  # fmt: skip
        "parent_header": {},
        "metadata": {},
        "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True},  # fmt: skip
        "channel": "shell",
        "buffers": [],
    }


async def _run_cells(base: str, token: str, kernel_id: str, cells: list[str], label: str) -> None:
    url = f"{base.replace('http', 'ws', 1)}/api/kernels/{kernel_id}/channels?token={token}"
    connection = await websocket_connect(url, max_message_size=256 * MB)
    session = uuid.uuid4().hex
    for number, code in enumerate(cells, 1):
        request = _message(code, session)
        await connection.write_message(json.dumps(request))
        while True:
            reply = json.loads(await connection.read_message())
            if reply.get("parent_header", {}).get("msg_id") != request["header"]["msg_id"]:
                continue
            if reply["msg_type"] == "error":
                raise SystemExit(f"{label}, code cell {number} failed: {reply['content']['ename']}: "
                                 f"{reply['content']['evalue']}")  # fmt: skip
            if reply["msg_type"] == "execute_reply":
                break
    connection.close()


def _api(base: str, token: str, path: str, method: str = "GET", body: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = Request(f"{base}{path}", data=data, method=method, headers={"Authorization": f"token {token}"})
    with urlopen(request, timeout=60) as response:
        text = response.read()
    return json.loads(text) if text and response.headers.get_content_type() == "application/json" else text


def _code_cells(path: Path) -> list[str]:
    return [cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", type=int, default=5, help="lesson number (default 5, the heaviest)")
    args = parser.parse_args(argv)

    lesson = next((ROOT / "notebooks").glob(f"{args.lesson:02d}_*.ipynb"))
    exercise = next((ROOT / "notebooks" / "solutions").glob(f"{args.lesson:02d}_*.ipynb"))
    port, token = _free_port(), secrets.token_hex(16)
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}", "--ServerApp.allow_root=True"],
        env=_binder_environment(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    sampler = Sampler(server.pid)
    try:
        for _ in range(240):
            if server.poll() is not None:
                raise SystemExit(f"jupyter lab stopped:\n{server.stderr.read()[-3000:]}")
            try:
                _api(base, token, "/api/status")
                break
            except OSError:
                time.sleep(0.5)
        # The server's log is not needed any more; keep its pipe from filling up.
        threading.Thread(target=server.stderr.read, daemon=True).start()
        _api(base, token, "/lab")  # the page a learner loads
        sampler.start()
        started = time.perf_counter()
        kernels = [_api(base, token, "/api/kernels", "POST", {"name": "python3"})["id"] for _ in range(2)]
        asyncio.run(_run_cells(base, token, kernels[0], _code_cells(lesson), lesson.name))
        after_lesson = sampler.measure()[0]
        asyncio.run(_run_cells(base, token, kernels[1], _code_cells(exercise), exercise.name))
        time.sleep(1)
        final_rss, final_pss, final_parts = sampler.measure()
        sampler.stopped.set()
        sampler.join()
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()

    print(f"JupyterLab server + 2 kernels: {lesson.name} and {exercise.name}, run to the end "
          f"in {time.perf_counter() - started:.0f} s")  # fmt: skip
    print(f"after the lesson (server + both kernels): {after_lesson:.0f} MB RSS")
    print(f"at the end: {final_rss:.0f} MB RSS ({', '.join(f'{k} {v:.0f}' for k, v in final_parts.items())}), "
          f"{final_pss:.0f} MB PSS")  # fmt: skip
    print(f"peak: {sampler.peak_rss:.0f} MB RSS "
          f"({', '.join(f'{k} {v:.0f}' for k, v in sampler.peak_parts.items())}), {sampler.peak_pss:.0f} MB PSS; "
          f"Binder's limit is {BINDER_LIMIT_MB} MB")  # fmt: skip
    return 0 if sampler.peak_rss < BINDER_LIMIT_MB else 1


if __name__ == "__main__":
    sys.exit(main())
