"""Progress of a long computation, told to whoever listens: the CLI draws it on stderr, the
platform writes it on the run's row so that the run's page shows it. The engine calls these
methods; it never decides how (or whether) progress is displayed.

Stage names are fixed: ``reading``, ``encoding``, ``solving``, ``explaining``, ``writing``.
"""

from __future__ import annotations

import time
from typing import Protocol


class Progress(Protocol):
    """What the engine tells while it works. Implementations must be cheap: ``advance`` may
    be called thousands of times; throttle the display, not the call."""

    def stage(self, name: str, total: int | None = None) -> None:
        """A new stage starts; ``total`` is its size when it has one (rows, pairs)."""

    def advance(self, done: int) -> None:
        """``done`` units of the current stage are finished (absolute, not an increment)."""

    def note(self, text: str) -> None:
        """A short fact about the current stage, e.g. the round and the proven bound."""


class Silent:
    """The default listener: hears nothing."""

    def stage(self, name: str, total: int | None = None) -> None:
        """Ignore the stage."""

    def advance(self, done: int) -> None:
        """Ignore the count."""

    def note(self, text: str) -> None:
        """Ignore the note."""


SILENT: Progress = Silent()


class Note(str):
    """A note in English (the string itself) that also carries its French wording, so that
    a listener showing French can use it; listeners that ignore it see a plain string."""

    fr: str

    def __new__(cls, en: str, fr: str) -> Note:
        """The English text ``en``, with ``fr`` kept beside it."""
        note = super().__new__(cls, en)
        note.fr = fr
        return note

    def text(self, lang: str = "fr") -> str:
        """The note in ``lang`` ("en", else French)."""
        return str(self) if lang == "en" else self.fr


def note_text(text: str, lang: str) -> str:
    """``text`` in ``lang`` when it is a :class:`Note`, else as given."""
    return text.text(lang) if isinstance(text, Note) else text


def figure(value: float, lang: str, decimals: int = 0) -> str:
    """A number as the notes write it: thousands separated (narrow no-break space and
    decimal comma in French), e.g. 1,234,567 / 1 234 567."""
    text = f"{value:,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", "\u202f").replace(".", ",")


class Timed:
    """Passes everything on to ``inner`` and keeps the wall time each stage took (in the
    order the stages ran); ``close`` ends the last stage."""

    def __init__(self, inner: Progress = SILENT) -> None:
        """Time the stages told to ``inner``."""
        self.inner = inner
        self.seconds: dict[str, float] = {}
        self._current: str | None = None
        self._started = 0.0

    def stage(self, name: str, total: int | None = None) -> None:
        """End the running stage's clock and start ``name``'s."""
        self._stop()
        self._current, self._started = name, time.perf_counter()
        self.inner.stage(name, total)

    def advance(self, done: int) -> None:
        """Pass the count on."""
        self.inner.advance(done)

    def note(self, text: str) -> None:
        """Pass the note on."""
        self.inner.note(text)

    def close(self) -> None:
        """End the last stage (a stage run twice adds up)."""
        self._stop()

    def _stop(self) -> None:
        if self._current is not None:
            spent = time.perf_counter() - self._started
            self.seconds[self._current] = self.seconds.get(self._current, 0.0) + spent
            self._current = None
