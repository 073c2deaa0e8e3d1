"""CSV and TOML input/output with precise, one-line errors (file, line, column)."""

from __future__ import annotations

import csv
import io
import math
import os
import tempfile
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from matching_engine.explain import explanation_texts
from matching_engine.messages import message
from matching_engine.model import (
    MAX_COUNT,
    MAX_POINTS,
    RULE_ALIASES,
    Criteria,
    HardRules,
    Weights,
)
from matching_engine.progress import SILENT, Progress
from matching_engine.reserved import reserved_part
from matching_engine.result import Result


class InputFileError(Exception):
    """Bad input file: rendered as ``file:line:column: message`` in the chosen language."""

    def __init__(
        self,
        path: str | Path,
        code: str,
        *,
        line: int | None = None,
        column: int | None = None,
        column_name: str | None = None,
        **params: object,
    ) -> None:
        super().__init__(code)
        self.path, self.code, self.line, self.column = str(path), code, line, column
        self.column_name, self.params = column_name, params

    def render(self, lang: str = "en") -> str:
        """One line, whatever the file holds: values quoted from the input are shortened
        and their control characters (line breaks, terminal escapes) written as escapes."""
        fr = lang == "fr"
        where = one_line(self.path, limit=None)
        if self.line is not None:
            where += f", {'ligne' if fr else 'line'} {self.line}"
        if self.column is not None:
            where += f", {'colonne' if fr else 'column'} {self.column}"
            if self.column_name:
                where += f" ({one_line(self.column_name)})"
        params = {k: one_line(v) if isinstance(v, str) else v for k, v in self.params.items()}
        colon = "\u202f:" if fr else ":"  # French typography: narrow no-break space
        return f"{where}{colon} {message(self.code, lang, **params)}"


def one_line(text: str, limit: int | None = 80) -> str:
    """`text` shortened to `limit` characters (None: whole), with every character that would
    break the line or drive the terminal (controls, line and paragraph separators, format
    marks such as bidirectional overrides) written as a Python escape."""
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return "".join(
        ch.encode("unicode_escape").decode("ascii")
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")
        else ch
        for ch in text
    )


@dataclass(frozen=True)
class Table:
    """A CSV file as read: its rows keyed by header, and where each row was in the file
    (so that errors name the line and column a person can open)."""

    path: str
    header: tuple[str, ...]
    rows: list[dict[str, str]]
    lines: list[int]  # 1-based physical line of each row

    def column(self, name: str) -> int | None:
        """1-based position of the column ``name``, or None when the file has none."""
        return self.header.index(name) + 1 if name in self.header else None

    def error(
        self, code: str, row: int | None, column: str | None, **params: object
    ) -> InputFileError:
        """The error ``code`` located at row ``row`` (0-based) and ``column`` of this file."""
        line = self.lines[row] if row is not None and 0 <= row < len(self.lines) else None
        col = self.column(column) if column else None
        if line is None and column and col is None:
            line = 1
        return InputFileError(self.path, code, line=line, column=col, column_name=column, **params)


def decode(raw: bytes, path: str | Path) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as spreadsheets in France export."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise InputFileError(path, "not_utf8") from None


def read_table(path: str | Path, required: Sequence[str] = ("id",)) -> Table:
    """Read a comma- or semicolon-separated file into rows keyed by lower-cased header names."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputFileError(path, "unreadable", value=exc.strerror or str(exc)) from None
    text = decode(raw, path)
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    if not first:
        raise InputFileError(path, "empty_file", line=1)
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: tuple[str, ...] | None = None
    rows: list[dict[str, str]] = []
    lines: list[int] = []
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = tuple(h.strip().lower() for h in record)
                continue
            if len(record) != len(header):
                raise InputFileError(
                    path, "ragged_row", line=line, value=len(record), expected=len(header)
                )
            rows.append({h: c.strip() for h, c in zip(header, record, strict=True)})
            lines.append(line)
    except csv.Error as exc:
        raise InputFileError(path, "unreadable", line=reader.line_num, value=str(exc)) from None
    if header is None:  # only blank records, such as `""` or `,,,`
        raise InputFileError(path, "empty_file", line=1)
    for name in required:
        if name not in header:
            code = "missing_id_column" if name == "id" else "missing_column"
            raise InputFileError(path, code, line=1, name=name)
    return Table(str(path), header, rows, lines)


def read_pair_list(path: str | Path) -> tuple[Table, list[tuple[str, str]]]:
    """A file of (mentee_id, mentor_id) pairs (locked or excluded pairs) and its table."""
    table = read_table(path, ("mentee_id", "mentor_id"))
    return table, [(r["mentee_id"], r["mentor_id"]) for r in table.rows]


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith(key):
            return number
    return None


def _section_values(
    path: str | Path,
    text: str,
    section: str,
    content: dict[str, Any],
    allowed: dict[str, object],
) -> dict[str, Any]:
    """The checked keys of ``[weights]`` or ``[rules]`` (an old rule name of ``RULE_ALIASES``
    counts as the current one, once); errors quote the key as the file writes it."""
    out: dict[str, Any] = {}
    for key, value in content.items():
        name = RULE_ALIASES.get(key, key) if section == "rules" else key
        expected = bool if allowed.get(name) == "bool" else int
        ok = name in allowed and name not in out and isinstance(value, expected)
        if expected is int and isinstance(value, bool):
            ok = False
        if not ok:
            raise InputFileError(
                path, "bad_config", line=_line_of(text, key), value=f"{section}.{key} = {value!r}"
            )
        if expected is int:
            # Counts and years, or points; 10**23 would overflow the score arrays.
            top = MAX_COUNT if key.endswith("_max") or section == "rules" else MAX_POINTS
            if not 0 <= value <= top:
                raise InputFileError(
                    path,
                    "config_out_of_range",
                    line=_line_of(text, key),
                    key=f"{section}.{key}",
                    value=value,
                    min=0,
                    max=top,
                )
        out[name] = value
    return out


def _share(share: object) -> float:
    """A ``[parity]`` value as a share: 0.9, 90 or "90%" give 0.9; nan when not a number."""
    number = share
    if isinstance(share, str) and share.strip().endswith("%"):
        try:
            number = float(share.strip()[:-1]) / 100
        except ValueError:
            number = math.nan
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        return math.nan
    try:
        number = float(number)
    except OverflowError:  # an integer of hundreds of digits
        return math.nan
    return number / 100 if number > 1 else number


def read_criteria(path: str | Path) -> Criteria:
    """Criteria TOML: [weights] integers, [rules] booleans/integers (old rule names of
    ``RULE_ALIASES`` accepted), [parity] group = share (``women_share``: share of women among
    matched mentees)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputFileError(path, "unreadable", value=exc.strerror or str(exc)) from None
    text = decode(raw, path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(path, "bad_config", value=str(exc)) from None
    known = {"weights": Weights, "rules": HardRules}
    values: dict[str, dict[str, Any]] = {}
    for section, content in data.items():
        if section == "parity":
            continue
        if section not in known or not isinstance(content, dict):
            raise InputFileError(
                path, "bad_config", line=_line_of(text, f"[{section}"), value=section
            )
        allowed = {f.name: f.type for f in fields(known[section])}
        values[section] = _section_values(path, text, section, content, allowed)
    parity: list[tuple[str, float]] = []
    women: float | None = None
    targets = data.get("parity", {})
    if not isinstance(targets, dict):  # `parity = 5`: a value where a table is expected
        raise InputFileError(path, "bad_config", line=_line_of(text, "parity"), value="parity")
    for group, share in targets.items():
        number = _share(share)
        if not 0 <= number <= 1:
            raise InputFileError(
                path, "bad_config", line=_line_of(text, group), value=f"parity.{group}"
            )
        if group == "women_share":
            women = number
        else:
            parity.append((group, number))
    return Criteria(
        weights=Weights(**values.get("weights", {})),
        rules=HardRules(**values.get("rules", {})),
        parity_targets=tuple(parity),
        women_share_target=women,
    )


def _format_score(value: float) -> str:
    if math.isnan(value):
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.3f}".rstrip("0")


def check_output(path: str | Path) -> None:
    """Refuse, before any work, an output path that is a folder or inside a missing one."""
    target = Path(path)
    if target.is_dir():
        raise InputFileError(path, "output_is_folder")
    if not target.parent.is_dir():
        raise InputFileError(path, "output_folder_missing", value=str(target.parent))


def write_atomic(path: str | Path, rows: Iterable[Sequence[str]]) -> None:
    """Write UTF-8 CSV via a temporary file of the same folder renamed into place: never a
    partial file, whatever happens. A file that cannot be written raises InputFileError."""
    write_text_atomic(path, lambda handle: csv.writer(handle).writerows(rows), suffix=".csv")


def write_text_atomic(
    path: str | Path, write: Callable[[TextIO], object], *, suffix: str = ".tmp"
) -> None:
    """Call ``write`` on a UTF-8 temporary file of ``path``'s folder, then rename it into
    place (see ``write_atomic``)."""
    check_output(path)
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".mentorat-", suffix=suffix)
    except OSError as exc:
        raise InputFileError(path, "unwritable", value=exc.strerror or str(exc)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            write(handle)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputFileError(path, "unwritable", value=exc.strerror or str(exc)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# Cells that a spreadsheet would run as a formula start with one of these (OWASP's "CSV
# injection"): the app's exports prefix them with a quote (mentorat/reports/exports.py,
# FORMULA_PREFIXES and escape_text). The engine never imports the app, so the rule is
# repeated here; tests/engine/test_cli.py checks that both agree.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """`text` as a spreadsheet shows it, never run as a formula."""
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def match_rows(
    result: Result, lang: str, *, bulk: bool = True, progress: Progress = SILENT
) -> Iterable[list[str]]:
    """Output rows: header then one row per mentee (reason in ``explanation`` when unmatched).
    ``bulk=False`` explains pair by pair (the reference the bulk texts are tested against).
    ``progress`` hears the ``explaining`` stage, sized by the pairs to explain."""
    p = result.problem
    yield ["mentee_id", "mentor_id", "score", "explanation"]
    safe = spreadsheet_safe
    assignment = np.asarray(result.assignment)
    matched = np.flatnonzero(assignment >= 0)
    texts: dict[int, str] = {}
    progress.stage("explaining", len(matched) if bulk else None)
    if bulk:
        found = explanation_texts(p, matched, assignment[matched], lang, progress=progress)
        texts = dict(zip(matched.tolist(), found, strict=True))
        progress.advance(len(matched))
        held = result.reserved_place
        if held is not None:  # "Place réservée au partenariat X" after the score's parts
            for i in np.flatnonzero(held >= 0).tolist():
                note = reserved_part(p, int(held[i])).text(lang)
                texts[i] = f"{texts[i]} · {note}" if texts[i] else note
    scores: dict[float, str] = {}
    for i, mentee_id in enumerate(p.mentees.ids):
        j = int(assignment[i])
        if j < 0:
            reason = result.reasons.get(i)
            yield [safe(mentee_id), "", "", safe(reason.text(lang) if reason else "")]
        else:
            text = texts[i] if bulk else result.explanation(i).text(lang)
            value = float(result.score[i])
            score = scores.get(value)
            if score is None:
                score = scores[value] = _format_score(value)  # a number, never escaped
            yield [safe(mentee_id), safe(p.mentors.ids[j]), score, safe(text)]


def safe_cell(text: str) -> str:
    """``spreadsheet_safe(text)`` as a cell of ``csv.writer``'s default (excel) dialect
    writes it: quoted when it holds a comma, a quote (doubled) or a line break."""
    if text.startswith(FORMULA_PREFIXES):
        text = "'" + text
    if '"' in text:
        return '"' + text.replace('"', '""') + '"'
    if "," in text or "\n" in text or "\r" in text:
        return '"' + text + '"'
    return text


def safe_cells(values: Sequence[str]) -> list[str]:
    """``safe_cell`` of each value; when none needs a change (ids usually), the values
    themselves, found by a few searches of them joined instead of a call per value."""
    joined = "\n" + "\n".join(values)
    plain = joined.count("\n") == len(values) and not any(c in joined for c in '",\r')
    if plain and not any("\n" + prefix in joined for prefix in FORMULA_PREFIXES):
        return list(values)
    return [safe_cell(v) for v in values]


def match_lines(result: Result, lang: str, *, progress: Progress = SILENT) -> list[str]:
    """``match_rows(result, lang)`` as the lines ``csv.writer`` writes (``\r\n`` ends),
    byte for byte, each in one f-string: each id's cell and each distinct score are
    written once, and no writer call is made per row. ``progress`` hears the
    ``explaining`` stage as ``match_rows`` tells it."""
    p = result.problem
    assignment = np.asarray(result.assignment)
    matched = np.flatnonzero(assignment >= 0)
    progress.stage("explaining", len(matched))
    found = explanation_texts(p, matched, assignment[matched], lang, progress=progress)
    held = result.reserved_place
    if held is not None:  # "Place réservée au partenariat X" after the score's parts
        at = {i: k for k, i in enumerate(matched.tolist())}
        for i in np.flatnonzero(held >= 0).tolist():
            note = reserved_part(p, int(held[i])).text(lang)
            text = found[at[i]]
            found[at[i]] = f"{text} · {note}" if text else note
    # Each mentee's whole line, in one pass over the pairs and one over the others.
    lines = ["mentee_id,mentor_id,score,explanation\r\n"] + [""] * p.n_mentees
    mentee_cells = safe_cells(p.mentees.ids)
    if len(matched):
        mentor_cells = safe_cells(p.mentors.ids)
        values, inverse = np.unique(np.asarray(result.score)[matched], return_inverse=True)
        score_cells = [_format_score(v) for v in values.tolist()]  # numbers, never escaped
        for i, j, v, text in zip(
            matched.tolist(),
            assignment[matched].tolist(),
            inverse.ravel().tolist(),
            found,
            strict=True,
        ):
            lines[i + 1] = (
                f"{mentee_cells[i]},{mentor_cells[j]},{score_cells[v]},{safe_cell(text)}\r\n"
            )
    for i in np.flatnonzero(assignment < 0).tolist():
        reason = result.reasons.get(i)
        lines[i + 1] = f"{mentee_cells[i]},,,{safe_cell(reason.text(lang) if reason else '')}\r\n"
    progress.advance(len(matched))
    return lines


def format_score(value: float) -> str:
    """A score as written in output files: whole numbers bare, others to 3 decimals, nan empty."""
    return _format_score(value)
