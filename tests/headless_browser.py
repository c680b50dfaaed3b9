"""Load a page in real headless Chromium over the DevTools protocol (``--remote-debugging-pipe``).

Reports what a reader's browser would see: console errors, uncaught exceptions,
failed requests, every request that left the page (anything not ``data:`` or the
page itself), the rendered text, and a full-page screenshot.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


@dataclass
class PageLoad:
    console_errors: list = field(default_factory=list)
    exceptions: list = field(default_factory=list)
    failed_requests: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    text: str = ""
    images: list = field(default_factory=list)  # (natural width, height, shown width, height) per <img>
    links: list = field(default_factory=list)  # (href, text) per <a href>
    screenshot: bytes = b""


class _Pipe:
    def __init__(self, chromium: str, profile: Path):
        cmd_r, cmd_w = os.pipe()
        res_r, res_w = os.pipe()

        args = [
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--remote-debugging-pipe",
            "--no-first-run",
            "--no-default-browser-check",
            f"--user-data-dir={profile}",
            "--window-size=1200,900",
            "about:blank",
        ]

        def onto_3_and_4():
            # the browser reads commands on fd 3 and writes replies on fd 4 (dup2 makes them inheritable;
            # cmd_r is created first, so res_w is never 3 and cannot be overwritten before it is copied)
            os.dup2(cmd_r, 3)
            os.dup2(res_w, 4)
            os.set_inheritable(3, True)  # dup2 onto itself (cmd_r == 3) keeps close-on-exec
            os.set_inheritable(4, True)

        # close_fds=False: closing "all other" descriptors would run after preexec_fn and close 3 and 4;
        # the pipes' own descriptors are close-on-exec, so nothing else of ours leaks into the browser.
        self.proc = subprocess.Popen(
            [chromium, *args],
            preexec_fn=onto_3_and_4,
            close_fds=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(cmd_r)
        os.close(res_w)
        self.w, self.r = cmd_w, res_r
        self.buf = b""
        self.next_id = 0
        self.events: list = []

    def _read(self, timeout: float):
        end = time.monotonic() + timeout
        while b"\0" not in self.buf:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self.r], [], [], left)[0]:
                raise TimeoutError("chromium did not answer")
            chunk = os.read(self.r, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 30.0):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.w, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._read(timeout)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 30.0):
        end = time.monotonic() + timeout
        while True:
            for e in self.events:
                if e.get("method") == method:
                    return e
            self.events.append(self._read(max(end - time.monotonic(), 0.01)))

    def drain(self, seconds: float):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                self.events.append(self._read(end - time.monotonic()))
            except TimeoutError:
                return

    def close(self):
        try:
            self.send("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        os.close(self.w)
        os.close(self.r)


def load_page(chromium: str, page: Path, profile: Path, width: int = 1200) -> PageLoad:
    """Open ``page`` (a local file), wait for it to load and settle, and report what happened."""
    url = Path(page).resolve().as_uri()
    pipe = _Pipe(chromium, profile)
    try:
        target = pipe.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        sid = pipe.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            pipe.send(f"{domain}.enable", session=sid)
        pipe.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
            session=sid,
        )
        pipe.send("Page.navigate", {"url": url}, session=sid)
        pipe.wait_for("Page.loadEventFired", timeout=60)
        pipe.drain(1.0)
        out = PageLoad()
        for e in pipe.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert", "warning"):
                out.console_errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in p["args"]))
            elif m == "Runtime.exceptionThrown":
                out.exceptions.append(
                    p["exceptionDetails"].get("text", "")
                    + " "
                    + str(p["exceptionDetails"].get("exception", {}).get("description", ""))
                )
            elif m == "Log.entryAdded" and p["entry"].get("level") == "error":
                out.console_errors.append(p["entry"].get("text", ""))
            elif m == "Network.loadingFailed":
                out.failed_requests.append(p.get("errorText", "") + " " + p.get("requestId", ""))
            elif m == "Network.requestWillBeSent":
                out.requests.append(p["request"]["url"])
        ev = pipe.send(
            "Runtime.evaluate",
            {
                "expression": "JSON.stringify({t: document.body.innerText, i: "
                "[...document.images].map(i => [i.naturalWidth, i.naturalHeight, "
                "i.getBoundingClientRect().width, i.getBoundingClientRect().height]), "
                "l: [...document.querySelectorAll('a[href]')].map(a => [a.getAttribute('href'), a.textContent])})",
                "returnByValue": True,
            },
            session=sid,
        )
        doc = json.loads(ev["result"]["value"])
        out.text, out.images = doc["t"], doc["i"]
        out.links = [tuple(link) for link in doc["l"]]
        metrics = pipe.send("Page.getLayoutMetrics", session=sid)
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        shot = pipe.send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": min(size["height"], 16000), "scale": 0.5},
            },
            session=sid,
        )
        out.screenshot = base64.b64decode(shot["data"])
        return out
    finally:
        pipe.close()
