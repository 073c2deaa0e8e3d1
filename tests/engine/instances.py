"""Small random instances for property tests (deterministic from a seed)."""

from __future__ import annotations

import numpy as np

from matching_engine import Criteria, HardRules, build_problem
from matching_engine.model import Problem

FIELDS = ["Informatique", "Commerce", "Santé", "Logistique"]
OCCUPATIONS = ["Développeur web", "Data analyst", "Commercial", "Infirmier", "Cariste"]
SKILLS = ["SQL", "Python", "vente", "soins", "Excel", "anglais", "gestion de projet"]
GOALS = ["premier emploi", "stage", "reconversion", "création d'entreprise"]
REGIONS = ["Bretagne", "Occitanie", "Île-de-France", ""]
LANGS = ["français", "français;anglais", "anglais", "arabe;français"]
SLOTS = ["lun-soir", "mar-soir", "mer-matin", "sam"]
ORGS = ["A", "B", "", ""]


def _pick(rng: np.random.Generator, values: list[str], k: int) -> str:
    k = int(rng.integers(0, k + 1))
    return ";".join(rng.choice(values, size=k, replace=False).tolist()) if k else ""


def rows(rng: np.random.Generator, n: int, *, mentor: bool) -> list[dict[str, str]]:
    out = []
    for k in range(n):
        row = {
            "id": f"{'M' if mentor else 'E'}{k}",
            "field": str(rng.choice(FIELDS)),
            "skills": _pick(rng, SKILLS, 3),
            "goals": _pick(rng, GOALS, 2),
            "languages": str(rng.choice(LANGS, p=[0.7, 0.1, 0.1, 0.1])),
            "region": str(rng.choice(REGIONS)),
            "remote": str(rng.choice(["oui", "non"])),
            "availability": _pick(rng, SLOTS, 2),
            "gender": str(rng.choice(["F", "H", ""])),
            "organization": str(rng.choice(ORGS)),
            "experience_years": str(rng.integers(0, 20)),
        }
        if mentor:
            row["occupation"] = str(rng.choice(OCCUPATIONS))
            row["capacity"] = str(rng.integers(1, 4))
            row["career_change"] = str(rng.choice(["oui", "non"]))
        else:
            row["target_occupation"] = str(rng.choice(OCCUPATIONS))
            row["preferred_mentor_gender"] = str(rng.choice(["", "", "F"]))
            row["preferred_mentor_career_change"] = str(rng.choice(["oui", "non"]))
            row["priority"] = str(rng.choice(["", "", "boursier"]))
        out.append(row)
    return out


def random_problem(
    seed: int,
    n_mentees: int,
    n_mentors: int,
    *,
    exclusions: int = 0,
    locked: int = 0,
    hard_gender: bool = False,
    same_organization: bool = False,
    more_experienced: bool = False,
) -> Problem:
    rng = np.random.default_rng(seed)
    mentees = rows(rng, n_mentees, mentor=False)
    mentors = rows(rng, n_mentors, mentor=True)
    excluded = [
        (f"E{rng.integers(n_mentees)}", f"M{rng.integers(n_mentors)}") for _ in range(exclusions)
    ]
    lock: list[tuple[str, str]] = []
    if locked and n_mentees and n_mentors:
        caps = {m["id"]: int(m["capacity"]) for m in mentors}
        for i in rng.choice(n_mentees, size=min(locked, n_mentees), replace=False).tolist():
            j = f"M{rng.integers(n_mentors)}"
            if caps[j] > 0:
                caps[j] -= 1
                lock.append((f"E{i}", j))
    rules = HardRules(
        gender_preference_hard=hard_gender,
        # The two organization rules exclude each other in programs.
        different_organizations=not same_organization,
        same_organization=same_organization,
        mentor_more_experienced=more_experienced,
    )
    criteria = Criteria(rules=rules)
    return build_problem(
        mentees, mentors, criteria=criteria, excluded=excluded[: exclusions // 2],
        conflicts=excluded[exclusions // 2 :], locked=lock,
    )  # fmt: skip
