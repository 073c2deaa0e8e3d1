"""The first-run warm-up (issue 24): which kernel groups are cold, and when it stays off."""

import os
import subprocess
import sys

from matching_engine import warmup


def test_an_empty_cache_makes_every_group_of_the_mode_cold(tmp_path):
    code = (
        "from matching_engine import warmup\n"
        "print(warmup.cold_groups('optimal'), warmup.cold_groups('stable'),"
        " warmup.cold_groups('suggest'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "['lists', 'prices'] ['stable'] []"


def test_no_process_is_started_when_turned_off(monkeypatch, tmp_path):
    monkeypatch.setenv(warmup.DISABLE, "1")
    assert warmup.start("optimal", (tmp_path / "a.csv", tmp_path / "b.csv")) == []


def test_small_files_start_no_warm_up(tmp_path, monkeypatch):
    from matching_engine import cli

    started = []
    monkeypatch.setattr(warmup, "start", lambda *a: started.append(a) or [])
    mentees = tmp_path / "e.csv"
    mentees.write_text("id\nE1\nE2\n", encoding="utf-8")
    mentors = tmp_path / "m.csv"
    mentors.write_text("id\nM1\n", encoding="utf-8")
    assert cli.run(["match", str(mentees), str(mentors), "-o", str(tmp_path / "o.csv")]) == 0
    assert started == []
