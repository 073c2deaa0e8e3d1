"""Progress drawn on a terminal (``mentorat match`` on stderr): one line per stage, redrawn
in place at most ten times a second, left on screen with the stage's time when it ends.

Drawn by hand rather than with rich: rich is not a dependency of the engine, and its live
display needs a refresh thread (which cannot run while a compiled kernel holds the
interpreter) and takes over standard output, where the matches may be written.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from typing import TextIO

from matching_engine.progress import figure, note_text

#: seconds between two redraws of the same line
REDRAW = 0.1
BAR = 24  # characters of the bar

LABELS = {
    "reading": ("lecture", "reading"),
    "encoding": ("encodage", "encoding"),
    "solving": ("calcul", "solving"),
    "explaining": ("explications", "explaining"),
    "writing": ("écriture", "writing"),
}


class TerminalProgress:
    """Implements ``progress.Progress`` on a terminal stream (see the module's docstring).
    The ``reading`` stage counts bytes (shown in MB), the others rows or pairs."""

    def __init__(
        self,
        stream: TextIO,
        *,
        lang: str = "en",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Draw on ``stream`` (a terminal) in ``lang``."""
        self.stream, self.lang, self.clock = stream, lang, clock
        self.name: str | None = None
        self.total: int | None = None
        self.done = 0
        self.notes = ""
        self.started = self.drawn = 0.0

    def stage(self, name: str, total: int | None = None) -> None:
        """End the current line and start one for ``name``."""
        self.close()
        self.name, self.total, self.done, self.notes = name, total, 0, ""
        self.started = self.clock()
        self._draw()

    def advance(self, done: int) -> None:
        """Record ``done``; redraw if the line is older than ``REDRAW`` seconds."""
        self.done = done
        if self.clock() - self.drawn >= REDRAW:
            self._draw()

    def note(self, text: str) -> None:
        """Show ``text`` after the stage's figures (notes are rare: drawn at once)."""
        self.notes = note_text(text, self.lang)
        self._draw()

    def close(self) -> None:
        """Draw the current stage's last state and leave it on its own line."""
        if self.name is None:
            return
        if self.total is not None:
            self.done = self.total
        self._draw()
        self.stream.write("\n")
        self.stream.flush()
        self.name = None

    def _draw(self) -> None:
        self.drawn = self.clock()
        width = shutil.get_terminal_size((100, 24)).columns - 1
        line = self.line()
        if len(line) > width:
            line = line[: max(width - 1, 0)] + "…"
        self.stream.write(f"\r{line}\x1b[K")
        self.stream.flush()

    def line(self) -> str:
        """The current stage's line: label, bar and count when it has a size, notes, time."""
        if self.name is None:
            return ""
        fr, en = LABELS.get(self.name, (self.name, self.name))
        parts = [f"{en if self.lang == 'en' else fr:<12}"]
        if self.total:
            share = min(max(self.done / self.total, 0.0), 1.0)
            filled = round(share * BAR)
            parts.append(f"{'█' * filled}{'░' * (BAR - filled)} {share:4.0%}")
            parts.append(self._count())
        if self.notes:
            parts.append(self.notes)
        parts.append(f"{figure(self.drawn - self.started, self.lang, 1)} s")
        return "  ".join(parts)

    def _count(self) -> str:
        assert self.total is not None
        if self.name == "reading":
            done, total = self.done / 1e6, self.total / 1e6
            return f"{figure(done, self.lang, 1)}/{figure(total, self.lang, 1)} MB"
        return f"{figure(self.done, self.lang)}/{figure(self.total, self.lang)}"
