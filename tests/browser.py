"""Debian's headless Chromium, driven over the DevTools protocol, to read pages as a student sees them.

Only what the tests need: open a file or a local server's page, read the page's rendered text (``innerText``, so
hidden elements do not count), evaluate an expression, and save a full-page screenshot.
The flags keep Chromium off the network (this machine has none) and out of any profile.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any, Self

import websocket

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
    "--window-size=1280,900",
]


class Chromium:
    """One headless Chromium with one page; use as a context manager."""

    def __init__(self, executable: str = "chromium", start_timeout: float = 30.0) -> None:
        self.executable = shutil.which(executable) or executable
        self.start_timeout = start_timeout
        self.ids = itertools.count(1)

    def __enter__(self) -> Self:
        self.profile = tempfile.TemporaryDirectory(prefix="chromium-", ignore_cleanup_errors=True)
        self.process = subprocess.Popen(
            [self.executable, *FLAGS, f"--user-data-dir={self.profile.name}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its helper processes die with it (killpg below)
        )
        port_file = Path(self.profile.name) / "DevToolsActivePort"
        deadline = time.monotonic() + self.start_timeout
        while not port_file.exists() or not port_file.read_text().strip():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError(f"{self.executable} did not start its DevTools endpoint")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as answer:
            pages = [t for t in json.load(answer) if t["type"] == "page"]
        self.socket = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=60)
        self.send("Page.enable")
        return self

    def __exit__(self, *exc: object) -> None:
        if getattr(self, "socket", None) is not None:
            self.socket.close()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.profile.cleanup()

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Call a DevTools method and return its result (events that arrive meanwhile are dropped)."""
        call_id = next(self.ids)
        self.socket.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def open(self, path: Path, timeout: float = 60.0) -> None:
        """Load a local file and wait until the page's load event has fired."""
        self.open_url(path.resolve().as_uri(), timeout)

    def open_url(self, url: str, timeout: float = 60.0) -> None:
        """Load a URL (a local server's page) and wait until the page's load event has fired."""
        self.evaluate("window.previousPage = true")  # gone once the new page is there
        self.send("Page.navigate", url=url)
        deadline = time.monotonic() + timeout
        while self.evaluate("window.previousPage === true || document.readyState !== 'complete'"):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not finish loading")
            time.sleep(0.1)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (JSON-serialisable values only)."""
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def text(self, selector: str = "body") -> str:
        """The rendered text of the first element matching ``selector``."""
        return self.evaluate(f"document.querySelector({json.dumps(selector)}).innerText")

    def screenshot(self, path: Path, element: str = "document.body") -> Path:
        """Save an element (a JavaScript expression; default: the whole page) as a PNG."""
        box = self.evaluate(
            f"(() => {{ const r = ({element}).getBoundingClientRect();"
            " return [r.left + scrollX, r.top + scrollY, r.width, r.height]; })()"
        )
        x, y, width, height = box
        clip = {"x": x, "y": y, "width": width, "height": height, "scale": 1}
        shot = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True, clip=clip)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path
