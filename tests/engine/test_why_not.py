"""`mentorat match --why MENTEE_ID MENTOR_ID` (issue 24, point 5): the rules a pair breaks or
its score breakdown, and what the mentee got instead, with the wording of the app's review
page (``alternative_reason``) and of the output file's explanations."""

from __future__ import annotations

import csv
import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import numpy as np
import pytest

from matching_engine import Criteria, alternative_reason, engine, solve
from matching_engine.cli import main
from matching_engine.explain import compatibility_percent
from tests.engine.instances import random_problem

MENTEES = (
    "id,field,region,skills\n"
    "E1,Santé,Bretagne,écoute;soins\n"
    "E2,Santé,Bretagne,écoute\n"
    "E3,Droit,Normandie,\n"
)
MENTORS = (
    "id,field,region,skills,capacity,trained\n"
    "M1,Santé,Bretagne,écoute;soins,1,oui\n"
    "M2,Santé,Bretagne,,1,oui\n"
    "M3,Santé,Bretagne,écoute;soins,1,non\n"
    "M4,Droit,Bretagne,,2,oui\n"
)
CRITERIA = "[rules]\nrequired_training = true\ndifferent_organizations = false\n"


def _main(*args: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err), pytest.raises(SystemExit) as done:
        main(["match", *map(str, args)])
    return int(done.value.code or 0), out.getvalue(), err.getvalue()


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    paths = [tmp_path / "e.csv", tmp_path / "m.csv", tmp_path / "c.toml"]
    for path, text in zip(paths, (MENTEES, MENTORS, CRITERIA), strict=True):
        path.write_text(text, encoding="utf-8")
    return paths


def _why(files: list[Path], mentee: str, mentor: str, lang: str = "en") -> list[str]:
    e, m, c = files
    code, out, err = _main(e, m, "--config", c, "--lang", lang, "--why", mentee, mentor)
    assert code == 0, err
    assert "Mentees matched" in err or "Mentoré·es appariés" in err  # the summary, on stderr
    return out.splitlines()


def _rows(files: list[Path], *extra: object, lang: str = "en") -> dict[str, dict[str, str]]:
    """The output file of the same matching (or of the suggest mode), by mentee and mentor."""
    e, m, c = files
    out = files[0].parent / "out.csv"
    code, _out, err = _main(e, m, "--config", c, "--lang", lang, "-o", out, *extra)
    assert code == 0, err
    with out.open(encoding="utf-8") as handle:
        return {f"{r['mentee_id']} {r['mentor_id']}": r for r in csv.DictReader(handle)}


@pytest.mark.parametrize(
    ("lang", "rule", "instead"),
    [
        ("en", "Why not: Hard rule: required training not completed", "Instead: mentor M1, "),
        ("fr", "Pourquoi pas\u202f: Règle\u202f: formation obligatoire non suivie",
         "À la place\u202f: mentor·e M1, "),
    ],
)  # fmt: skip
def test_a_pair_breaking_a_rule_prints_the_rule_and_the_mentor_assigned(files, lang, rule, instead):
    lines = _why(files, "E1", "M3", lang)
    assert lines[1] == rule
    # The assigned pair is told as the output file explains it.
    matched = _rows(files, lang=lang)["E1 M1"]
    assert lines[3].startswith(instead)
    assert lines[3].endswith(matched["explanation"])
    # M3 would have scored as much as M1: only the rule kept them apart.
    assert lines[2].endswith(matched["explanation"])


def _compatibility(points: float) -> str:
    best = Criteria().weights.max_score()  # the criteria file keeps the default weights
    percent = compatibility_percent(points, best)
    return f"compatibility {percent}% ({points:g} points out of a possible {best})"


def test_an_allowed_pair_not_chosen_prints_its_breakdown_and_the_assigned_mentor(files):
    suggested = _rows(files, "--mode", "suggest", "--top-k", "4")
    matched = _rows(files)["E1 M1"]
    assigned = f"Instead: mentor M1, {_compatibility(float(matched['score']))}: "
    # M2 is full (E2 has it): the app's review page says the same.
    lines = _why(files, "E1", "M2")
    assert lines[0] == "Mentee E1, mentor M2"
    assert lines[1] == "Why not: Mentor at capacity"
    parts = suggested["E1 M2"]["explanation"]
    assert parts == "Same field (Santé) +30 · Same region (Bretagne) +10"
    assert lines[2] == f"This pair: {_compatibility(40)}: {parts}"
    assert lines[3] == assigned + matched["explanation"]
    # M4 has a free place: it lost on compatibility.
    lines = _why(files, "E1", "M4")
    best = Criteria().weights.max_score()
    low, high = (
        compatibility_percent(10, best),
        compatibility_percent(float(matched["score"]), best),
    )
    assert lines[1] == f"Why not: Lower compatibility ({low}% vs {high}%)"
    assert lines[2] == f"This pair: {_compatibility(10)}: Same region (Bretagne) +10"
    assert lines[3] == assigned + matched["explanation"]


def test_an_unmatched_mentee_is_told_why_as_in_the_output_file(files):
    lines = _why(files, "E3", "M3")
    unmatched = _rows(files)["E3 "]["explanation"]
    assert lines[-1] == f"Instead: no mentor ({unmatched})"
    assert lines[1].startswith("Why not: Hard rule: place incompatible")
    assert "required training not completed" in lines[1]  # every rule broken is listed


def test_the_chosen_pair_says_so(files):
    lines = _why(files, "E1", "M1")
    assert lines[1] == "Why not: This is the chosen pair"
    assert len(lines) == 3


@pytest.mark.parametrize(
    ("mentee", "mentor", "where", "what"),
    [
        ("E9", "M1", "e.csv", "unknown mentee id 'E9'"),
        ("E1", "M9", "m.csv", "unknown mentor id 'M9'"),
    ],
)
def test_unknown_ids_are_bad_input(files, mentee, mentor, where, what):
    e, m, c = files
    out = files[0].parent / "o.csv"
    code, stdout, err = _main(
        e, m, "--config", c, "-o", out, "--why", mentee, mentor, "--lang", "en"
    )
    assert code == 2
    assert err.strip() == f"{files[0].parent / where}: {what}"
    assert stdout == ""
    assert not out.exists()


def test_why_with_an_output_file_writes_the_same_rows(files):
    e, m, c = files
    with_why, without = files[0].parent / "a.csv", files[0].parent / "b.csv"
    code, out, _err = _main(
        e, m, "--config", c, "-o", with_why, "--why", "E1", "M2", "--lang", "fr"
    )
    assert code == 0
    assert out.startswith("Mentoré·e E1, mentor·e M2\n")
    assert _main(e, m, "--config", c, "-o", without, "--lang", "fr")[0] == 0
    assert with_why.read_bytes() == without.read_bytes()


@pytest.mark.parametrize("national", [False, True])
def test_why_not_gives_the_review_page_s_reason_for_every_pair(monkeypatch, national):
    """The reason is ``alternative_reason`` (what the app's review page shows) under the
    result's free places; the rules listed are those ``rank_mentors`` reports."""
    if national:
        monkeypatch.setattr(engine, "FULL_GRAPH_CELLS", 0)
    p = random_problem(5, 40, 15, exclusions=30)
    result = solve(p, "optimal")
    a = result.assignment
    free = p.mentors.capacity - np.bincount(a[a >= 0], minlength=p.n_mentors)
    seen = set()
    for i in range(p.n_mentees):
        ranked = {r.mentor: r for r in engine.rank_mentors(p, i, top_k=p.n_mentors)}
        for j in range(p.n_mentors):
            why = result.why_not(i, j)
            assert why.reason == alternative_reason(p, a, free, i, j)
            if j in ranked:
                assert len(why.broken) == len(ranked[j].broken)
            assert why.explanation.total == pytest.approx(engine.explain_pair(p, i, j).total)
            assert (why.assigned_id is None) == (a[i] < 0)
            seen.add(why.reason.code)
    assert {"capacity", "excluded"} <= seen
    assert any(code.startswith("rule_") for code in seen)
