"""One line of progress for a grading batch: done, from the cache, failed, running, ETA."""

from __future__ import annotations

import sys
import time
from typing import TextIO


def duration(seconds: float) -> str:
    """3 s, 2 min 05 s, 1 h 02 min."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


class Progress:
    """Redrawn in place on a terminal; a line per finished submission in a log or a pipe."""

    def __init__(self, label: str, total: int, stream: TextIO | None = None) -> None:
        self.label = label
        self.total = total
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.live = self.stream.isatty()
        self._last = ""

    def line(self, done: int, cached: int, failed: int, running: int) -> str:
        elapsed = time.monotonic() - self.started
        width = 24
        filled = width * done // self.total if self.total else width
        bar = "#" * filled + "." * (width - filled)
        parts = [f"{self.label} [{bar}] {done}/{self.total}"]
        if cached:
            parts.append(f"{cached} from cache")
        if failed:
            parts.append(f"{failed} failed")
        if running:
            parts.append(f"{running} running")
        if 0 < done < self.total:
            parts.append(f"ETA {duration(elapsed / done * (self.total - done))}")
        parts.append(duration(elapsed))
        return ", ".join(parts)

    def update(self, done: int, cached: int, failed: int, running: int) -> None:
        text = self.line(done, cached, failed, running)
        if self.live:
            self.stream.write("\r" + text.ljust(len(self._last)))
        elif text.split(",")[0] != self._last.split(",")[0]:  # only when the count moved
            self.stream.write(text + "\n")
        self._last = text
        self.stream.flush()

    def close(self) -> None:
        if self.live and self._last:
            self.stream.write("\n")
            self.stream.flush()
