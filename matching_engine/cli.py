"""``mentorat match``: match mentees with mentors from CSV files."""

from __future__ import annotations

import csv
import os
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from matching_engine import warmup
from matching_engine.encode import build_problem, build_problem_from_columns
from matching_engine.engine import FULL_GRAPH_CELLS, solve, suggest
from matching_engine.io_columns import ColumnTable, NotColumnar, read_columns
from matching_engine.io_csv import (
    InputFileError,
    Table,
    check_output,
    format_score,
    match_lines,
    match_rows,
    one_line,
    read_criteria,
    read_pair_list,
    read_table,
    write_atomic,
    write_text_atomic,
)
from matching_engine.io_csv import spreadsheet_safe as safe
from matching_engine.messages import detect_lang
from matching_engine.model import Criteria, EngineInputError, Problem
from matching_engine.progress import SILENT, Note, Progress, Timed
from matching_engine.summary import figures, write_json
from matching_engine.summary import text as summary_text
from matching_engine.terminal import TerminalProgress

EXIT_OK, EXIT_ERROR, EXIT_BAD_INPUT = 0, 1, 2

# The rounds planner's limits (``rounds.MAX_ROUNDS``, ``rounds.MAX_TABLE_SIZE``), repeated so
# that starting the command does not import the planner and its CP-SAT solver (OR-Tools and
# pandas, ~0.8 s); tests/engine/test_cli_startup.py checks that both agree.
MAX_ROUNDS = 100
MAX_TABLE_SIZE = 100

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Mentorat: professional mentoring tools.",
)


class ModeChoice(StrEnum):
    """``--mode``: the two matchings of ``solve``, ``suggest``'s ranked mentors, or the
    speed-networking ``rounds`` of ``rounds.plan_rounds``."""

    optimal = "optimal"
    stable = "stable"
    suggest = "suggest"
    rounds = "rounds"


class LangChoice(StrEnum):
    """``--lang``: the language of messages and explanations."""

    fr = "fr"
    en = "en"


@app.callback()
def _root() -> None:
    """Mentorat command line."""


# The row-by-row reader and the pair-by-pair explanations, which the column reader and the
# bulk explanations replace: the baseline row of benchmarks/national_cli.py (the files they
# wrote are the stored outputs of tests/engine/test_expected_outputs.py).
REFERENCE_IO = "MENTORAT_ENGINE_REFERENCE_IO"


def _load(
    mentees_path: Path,
    mentors_path: Path,
    config: Path | None,
    pairs: Path | None,
    exclude: Path | None,
    locked: Path | None,
    progress: Progress = SILENT,
) -> Problem:
    """The problem of the command's files: read by columns, or row by row when the column
    reader cannot be sure to read them alike or the input is wrong (the row reader then
    reports the first problem with its file, line and column). ``progress`` hears the
    ``reading`` stage (sized in bytes of the two tables) and the ``encoding`` stage."""
    sizes = [_size(path) for path in (mentees_path, mentors_path)]
    if not os.environ.get(REFERENCE_IO):
        try:
            progress.stage("reading", sum(sizes))
            mentee_columns = _columns(mentees_path)
            progress.advance(sizes[0])
            mentor_columns = _columns(mentors_path)
            progress.advance(sum(sizes))
            lists = _PairLists.read(config, pairs, exclude, locked)
            progress.stage("encoding")
            return build_problem_from_columns(
                mentee_columns, mentor_columns, criteria=lists.criteria, **lists.arguments()
            )
        except (NotColumnar, EngineInputError, InputFileError):
            pass
    progress.stage("reading", sum(sizes))
    mentees = read_table(mentees_path)
    progress.advance(sizes[0])
    mentors = read_table(mentors_path)
    progress.advance(sum(sizes))
    lists = _PairLists.read(config, pairs, exclude, locked)
    progress.stage("encoding")
    try:
        return build_problem(
            mentees.rows, mentors.rows, criteria=lists.criteria, **lists.arguments()
        )
    except EngineInputError as exc:
        raise _locate(exc, mentees, mentors, lists.tables) from None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # the reader reports the missing or unreadable file
        return 0


def _columns(path: Path) -> ColumnTable:
    table = read_columns(path)
    if "id" not in table.header:
        raise NotColumnar
    return table


@dataclass
class _PairLists:
    """The criteria and the optional pair files of the command, as build_problem takes them."""

    criteria: Criteria
    tables: dict[str, Table] = field(default_factory=dict)
    pair_rows: list[dict[str, str]] | None = None
    excluded: list[tuple[str, str]] = field(default_factory=list)
    conflicts: list[tuple[str, str]] = field(default_factory=list)
    previous: list[tuple[str, str]] = field(default_factory=list)
    locked: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def read(
        cls, config: Path | None, pairs: Path | None, exclude: Path | None, locked: Path | None
    ) -> _PairLists:
        out = cls(read_criteria(config) if config else Criteria())
        if pairs:
            out.tables["pairs"] = read_table(pairs, ("mentee_id", "mentor_id", "score"))
            out.pair_rows = out.tables["pairs"].rows
        if exclude:
            out.tables["excluded"], _ = read_pair_list(exclude)
            for row in out.tables["excluded"].rows:
                kind = row.get("reason", "").strip().lower()
                pair = (row["mentee_id"], row["mentor_id"])
                if kind.startswith(("conflict", "conflit")):
                    out.conflicts.append(pair)
                elif kind.startswith(("previous", "déjà", "deja", "tried")):
                    out.previous.append(pair)
                else:
                    out.excluded.append(pair)
        if locked:
            out.tables["locked"], out.locked = read_pair_list(locked)
        return out

    def arguments(self) -> dict[str, Any]:
        """The keyword arguments of build_problem besides the rows and criteria."""
        return {
            "locked": self.locked,
            "excluded": self.excluded,
            "previous": self.previous,
            "conflicts": self.conflicts,
            "pairs": self.pair_rows,
        }


def _locate(
    exc: EngineInputError, mentees: Table, mentors: Table, tables: dict[str, Table]
) -> InputFileError:
    column = exc.column or ""
    if column in ("excluded", "previous", "conflicts"):
        table = tables["excluded"]
        column = "mentee_id" if exc.code == "unknown_mentee" else "mentor_id"
        # Rows of the three lists were split by reason: find the offending id's row.
        value = str(exc.params.get("value", ""))
        row = next((k for k, r in enumerate(table.rows) if r.get(column) == value), None)
        return table.error(exc.code, row, column, **exc.params)
    if column == "locked":
        table = tables["locked"]
        value = str(exc.params.get("value", ""))
        column = (
            "mentor_id" if exc.code in ("unknown_mentor", "locked_over_capacity") else "mentee_id"
        )
        row = next((k for k, r in enumerate(table.rows) if r.get(column) == value), None)
        return table.error(exc.code, row, column, **exc.params)
    if "pairs" in tables and column in (
        "mentee_id",
        "mentor_id",
        "score",
        "mentee_rank",
        "mentor_rank",
    ):
        return tables["pairs"].error(exc.code, exc.row, column, **exc.params)
    mentee_columns = {
        "target_occupation", "preferred_mentor_gender", "priority", "minor", "partnerships",
    }  # fmt: skip
    mentor_columns = {
        "capacity", "occupation", "career_change", "safeguarding_checked", "trained",
        "reserved_places", "reserved_for",
    }  # fmt: skip
    if column in mentor_columns:
        table = mentors
    elif column in mentee_columns:
        table = mentees
    else:
        # Shared columns: the encoder reads mentees first, then mentors.
        table = mentees if exc.params.get("side", "mentees") == "mentees" else mentors
    params = dict(exc.params)
    params.pop("side", None)
    if exc.code == "duplicate_id" and "first" in params:
        first = int(str(params["first"]))
        params["first"] = table.lines[first] if first < len(table.lines) else first
    return table.error(exc.code, exc.row, column, **params)


@app.command("match")
def match(  # noqa: PLR0913 — typer declares each command-line option as a parameter
    mentees: Annotated[Path, typer.Argument(help="Mentees CSV (column id required).")],
    mentors: Annotated[Path, typer.Argument(help="Mentors CSV (id, capacity, …).")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Output CSV (default: stdout).")
    ] = None,
    mode: Annotated[
        ModeChoice, typer.Option(help="optimal, stable or suggest.")
    ] = ModeChoice.optimal,
    top_k: Annotated[int, typer.Option("--top-k", min=1, help="Suggestions per mentee.")] = 5,
    config: Annotated[
        Path | None, typer.Option(help="Criteria TOML (weights, rules, parity).")
    ] = None,
    pairs: Annotated[
        Path | None, typer.Option(help="Acceptable pairs CSV: mentee_id,mentor_id,score[,ranks].")
    ] = None,
    exclude: Annotated[
        Path | None, typer.Option(help="Excluded pairs CSV: mentee_id,mentor_id[,reason].")
    ] = None,
    locked: Annotated[
        Path | None, typer.Option(help="Locked pairs CSV: mentee_id,mentor_id.")
    ] = None,
    mentee: Annotated[
        list[str] | None, typer.Option("--mentee", help="Suggest mode: only this mentee id.")
    ] = None,
    lang: Annotated[
        LangChoice | None, typer.Option(help="Message language (default: LANG).")
    ] = None,
    rounds: Annotated[
        int | None,
        typer.Option("--rounds", min=1, max=MAX_ROUNDS, help="Rounds mode: number of rounds."),
    ] = None,
    table_size: Annotated[
        int,
        typer.Option(
            "--table-size", min=1, max=MAX_TABLE_SIZE, help="Rounds mode: mentees per table."
        ),
    ] = 1,
    favour_fewest: Annotated[
        bool,
        typer.Option(
            "--favour-fewest",
            help="Rounds mode: favour mentees who met fewest relevant professionals.",
        ),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="No progress on standard error (shown on a terminal)."),
    ] = False,
    json_summary: Annotated[
        Path | None,
        typer.Option(
            "--json-summary",
            metavar="FILE",
            help="Also write the summary figures to FILE as JSON (optimal and stable modes).",
        ),
    ] = None,
    why: Annotated[
        tuple[str, str] | None,
        typer.Option(
            "--why",
            metavar="MENTEE_ID MENTOR_ID",
            help="Print why this mentee was not paired with this mentor, and what it got "
            "instead (optimal and stable modes; no output rows unless -o is given).",
        ),
    ] = None,
) -> None:
    """Match mentees with mentors and write one row per mentee."""
    language = detect_lang(lang.value if lang else None)
    started = time.perf_counter()
    display = TerminalProgress(sys.stderr, lang=language) if _shows(quiet) else None
    progress = Timed(display or SILENT)
    try:
        _check_matching_options(mode, json_summary, why)
        for path in (output, json_summary):
            if path is not None:
                check_output(path)
        problem = _read_problem(mode, mentees, mentors, config, pairs, exclude, locked, progress)
        if mentee:
            unknown = [m for m in mentee if m not in problem.mentees.ids]
            if unknown:
                raise InputFileError(mentees, "unknown_mentee", value=unknown[0])
        if mode is ModeChoice.rounds:
            _close(progress, display)
            _rounds(problem, rounds, table_size, favour_fewest, output, language, started)
            return
        if mode is ModeChoice.suggest:
            _close(progress, display)
            _suggest(problem, mentee, top_k, output, language, started)
            return
        pair = _why_pair(problem, why, mentees, mentors) if why else None
        result = solve(problem, "stable" if mode is ModeChoice.stable else "optimal",
                       progress=progress)  # fmt: skip
        if (pair is None or output is not None) and os.environ.get(REFERENCE_IO):
            rows = list(match_rows(result, language, bulk=False, progress=progress))
            progress.stage("writing", len(rows))
            _emit(_counted(rows, progress), output)
        elif pair is None or output is not None:
            lines = match_lines(result, language, progress=progress)
            progress.stage("writing", len(lines))
            _emit_lines(lines, output, progress)
        _close(progress, display)
        found = figures(result, seconds=time.perf_counter() - started, stages=progress.seconds)
        if json_summary is not None:
            write_json(json_summary, found)
    except InputFileError as exc:
        _close(progress, display)
        typer.echo(exc.render(language), err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    finally:
        _close(progress, display)
    if pair is not None:
        typer.echo(result.why_not(*pair).text(language))
    typer.echo(summary_text(found, language), err=output is None or pair is not None)


def _read_problem(
    mode: ModeChoice,
    mentees: Path,
    mentors: Path,
    config: Path | None,
    pairs: Path | None,
    exclude: Path | None,
    locked: Path | None,
    progress: Progress,
) -> Problem:
    """``_load``, with the national-scale kernels compiled meanwhile when the files are
    large (see ``warmup``)."""
    warming = (
        warmup.start(mode.value, (mentees, mentors))
        if mode in (ModeChoice.optimal, ModeChoice.stable)
        and pairs is None
        and _large(mentees, mentors)
        else []
    )
    try:
        problem = _load(mentees, mentors, config, pairs, exclude, locked, progress)
    except BaseException:
        warmup.stop(warming)  # bad input: no process left compiling after the exit
        raise
    if warming:
        progress.note(Note("waiting for the compiled kernels", "attente des noyaux compilés"))
    warmup.wait(warming)
    return problem


def _shows(quiet: bool) -> bool:
    """Whether progress is drawn: on a terminal, unless ``--quiet``."""
    try:
        return not quiet and sys.stderr.isatty()
    except (AttributeError, ValueError):  # a replaced or closed stderr
        return False


def _close(progress: Timed, display: TerminalProgress | None) -> None:
    """End the last stage's clock and line (before anything else is printed)."""
    progress.close()
    if display is not None:
        display.close()


def _check_matching_options(
    mode: ModeChoice, json_summary: Path | None, why: tuple[str, str] | None
) -> None:
    if mode in (ModeChoice.optimal, ModeChoice.stable):
        return
    if json_summary is not None:
        raise typer.BadParameter(
            "applies to the optimal and stable modes", param_hint="--json-summary"
        )
    if why is not None:
        raise typer.BadParameter("applies to the optimal and stable modes", param_hint="--why")


def _why_pair(
    problem: Problem, why: tuple[str, str], mentees: Path, mentors: Path
) -> tuple[int, int]:
    """The indices of ``--why``'s ids, checked before any matching is computed."""
    mentee_id, mentor_id = why
    if mentee_id not in problem.mentees.ids:
        raise InputFileError(mentees, "unknown_mentee", value=mentee_id)
    if mentor_id not in problem.mentors.ids:
        raise InputFileError(mentors, "unknown_mentor", value=mentor_id)
    return problem.mentees.ids.index(mentee_id), problem.mentors.ids.index(mentor_id)


#: output rows between two progress counts while writing
WRITE_STEP = 10_000


def _counted(rows: list[list[str]], progress: Progress) -> Iterator[list[str]]:
    """``rows``, telling ``progress`` how many were written every ``WRITE_STEP`` rows."""
    for k, row in enumerate(rows):
        if k % WRITE_STEP == 0:
            progress.advance(k)
        yield row


def _suggest(
    problem: Problem,
    mentee: list[str] | None,
    top_k: int,
    output: Path | None,
    language: str,
    started: float,
) -> None:
    """``--mode suggest``: the best mentors of each mentee (or of the ``--mentee`` ones)."""
    ids = mentee or list(problem.mentees.ids)
    index = [problem.mentees.ids.index(m) for m in ids] if mentee else list(range(len(ids)))
    rows: list[list[str]] = [["mentee_id", "rank", "mentor_id", "score", "explanation"]]
    for i, found in zip(index, suggest(problem, index, top_k=top_k), strict=True):
        for rank, s in enumerate(found, start=1):
            rows.append(
                [safe(problem.mentees.ids[i]), str(rank),
                 safe(problem.mentors.ids[s.mentor]), format_score(s.score),
                 safe(s.explanation.text(language))]
            )  # fmt: skip
    _emit(rows, output)
    typer.echo(
        f"{len(rows) - 1} suggestions ({time.perf_counter() - started:.2f} s)",
        err=output is None,
    )


def _rounds(
    problem: Problem,
    rounds: int | None,
    table_size: int,
    favour_fewest: bool,
    output: Path | None,
    language: str,
    started: float,
) -> None:
    """``--mode rounds``: plan the evening (professionals = the mentors' file; pairs of
    ``--exclude`` count as met before) and write participant, round, table rows."""
    if rounds is None:
        raise typer.BadParameter("--rounds is required with --mode rounds", param_hint="--rounds")
    # Imported here: the planner loads OR-Tools' CP-SAT (see MAX_ROUNDS).
    from matching_engine.rounds import plan_rounds, previous_relevant_counts, score_matrix
    from matching_engine.rounds_cli import rounds_rows, rounds_summary

    if len(problem.locked_mentee):
        raise typer.BadParameter("locked pairs have no round: not used with --mode rounds",
                                 param_hint="--locked")  # fmt: skip
    plan = plan_rounds(
        score_matrix(problem), rounds=rounds, table_size=table_size,
        favour_fewest=favour_fewest,
        met_counts=previous_relevant_counts(problem) if favour_fewest else None,
    )  # fmt: skip
    _emit(list(rounds_rows(problem, plan, language)), output)
    summary = rounds_summary(problem, plan, time.perf_counter() - started, language)
    typer.echo(summary, err=output is None)


def _large(mentees: Path, mentors: Path) -> bool:
    """Whether the files hold enough rows for the national-scale solver (its compiled
    kernels): lines counted before reading, so that compiling overlaps reading."""
    try:
        lines = [path.read_bytes().count(b"\n") for path in (mentees, mentors)]
    except OSError:
        return False
    return lines[0] * lines[1] > FULL_GRAPH_CELLS


def _emit_lines(lines: list[str], output: Path | None, progress: Progress) -> None:
    """Write ``match_lines``' lines (to ``output`` atomically, else to standard output),
    ``WRITE_STEP`` lines at a time, telling ``progress`` how many were written."""

    def write(handle: TextIO) -> None:
        for k in range(0, len(lines), WRITE_STEP):
            progress.advance(k)
            handle.write("".join(lines[k : k + WRITE_STEP]))

    if output is None:
        write(sys.stdout)
    else:
        write_text_atomic(output, write, suffix=".csv")


def _emit(rows: Iterable[list[str]], output: Path | None) -> None:
    if output is None:
        csv.writer(sys.stdout).writerows(rows)
    else:
        write_atomic(output, rows)


# The vendored click of typer ≥ 0.2x (typer._click) or click itself for older typer: found
# from the one click exception typer exports, so that either works.
_CLICK_ERRORS = {c.__name__: c for c in typer.BadParameter.__mro__}
_ClickException: type[Exception] = _CLICK_ERRORS["ClickException"]
_UsageError: type[Exception] = _CLICK_ERRORS["UsageError"]


def _usage_line(exc: Exception, args: Sequence[str]) -> str:
    """A usage error (unknown option, invalid value, missing file argument) as one line,
    instead of typer's five-line usage box: `mentorat match: <what is wrong> (see mentorat
    match --help)`."""
    text = str(getattr(exc, "format_message", lambda: str(exc))())
    text = " ".join(text.replace("Value error, ", "").split())
    ctx = getattr(exc, "ctx", None)
    command = getattr(ctx, "command_path", "") or (
        "mentorat match" if args[:1] == ["match"] else "mentorat"
    )
    return one_line(f"{command}: {text} (see {command} --help)", limit=300)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line with `argv` (default: sys.argv[1:]) and return its exit status:
    0 done, 2 bad input or bad usage with one line on standard error (and no output file),
    1 unexpected internal error, also one line, never a traceback."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        status = app(args=args, prog_name="mentorat", standalone_mode=False)
    except _UsageError as exc:
        typer.echo(_usage_line(exc, args), err=True)
        return EXIT_BAD_INPUT
    except _ClickException as exc:
        typer.echo(_usage_line(exc, args), err=True)
        return int(getattr(exc, "exit_code", EXIT_ERROR))
    except BrokenPipeError:  # `mentorat match … | head`: the reader has gone
        _silence_stdout()
        return EXIT_ERROR
    except Exception as exc:
        typer.echo(
            one_line(f"mentorat: internal error: {type(exc).__name__}: {exc}", limit=300), err=True
        )
        return EXIT_ERROR
    return status if isinstance(status, int) else EXIT_OK


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: exits with `run`'s status."""
    sys.exit(run(argv))
