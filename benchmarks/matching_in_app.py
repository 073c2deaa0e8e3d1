"""Matching inside the platform at scale: 20,000 mentees and 10,000 mentors in PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorat_bench \\
        .venv/bin/python benchmarks/matching_in_app.py [--mentees 20000 --mentors 10000]

Creates the database tables (migrate), loads a generated edition with bulk inserts (not
timed as part of the run), then times a full run the way the worker executes it: read
the participants from the database, build the engine's problem, solve (optimal mode),
explain every pair, write the proposals in one transaction. Loading and the run happen in
two separate processes, so that the run's peak memory (ru_maxrss) is its own.
"""

import argparse
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLUG = "benchmark-matching"
FIELDS = [
    ("Informatique", "M"), ("Développement web", "M"), ("Comptabilité", "M"),
    ("Ressources humaines", "M"), ("Marketing", "E"), ("Journalisme", "E"),
    ("Banque", "C"), ("Assurance", "C"), ("Immobilier", "C"), ("Commerce", "D"),
    ("Vente", "D"), ("Bâtiment", "F"), ("Génie civil", "F"), ("Hôtellerie", "G"),
    ("Restauration", "G"), ("Mécanique", "H"), ("Électronique", "H"), ("Chimie", "H"),
    ("Maintenance industrielle", "I"), ("Électricité", "I"), ("Soins infirmiers", "J"),
    ("Pharmacie", "J"), ("Travail social", "K"), ("Enseignement", "K"),
    ("Logistique", "N"), ("Transport", "N"), ("Agriculture", "A"), ("Artisanat d'art", "B"),
    ("Spectacle vivant", "L"), ("Droit", "K"),
]  # fmt: skip
REGIONS = ["ARA", "BFC", "BRE", "CVL", "GES", "HDF", "IDF", "NOR", "NAQ", "OCC", "PDL", "PAC"]
GOALS = ["first_job", "internship", "career_change", "business_creation", "network"]
SLOTS = [f"{d}_{p}" for d in ("mon", "tue", "wed", "thu", "fri", "sat") for p in ("evening",)]
SLOTS += [f"{d}_{p}" for d in ("sat", "sun") for p in ("morning", "afternoon")]


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings")
    os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.dummy.DummyBackend")
    import django

    django.setup()


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load(n_mentees: int, n_mentors: int, seed: int) -> None:
    setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from mentorat.accounts.models import User
    from mentorat.applications.models import Application
    from mentorat.organizations.models import Organization
    from mentorat.participants.models import Profile, Skill
    from mentorat.programs.models import Edition, MatchingSettings, Program

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    rng = random.Random(seed)
    with transaction.atomic():
        old = Program.objects.filter(slug=SLUG).first()
        if old is not None:
            from mentorat.matching.models import MatchRun

            MatchRun.objects.filter(edition__program=old).delete()
            Application.objects.filter(edition__program=old).delete()
            Edition.objects.filter(program=old).delete()
            old.delete()
        User.objects.filter(email__endswith="@bench.invalid").delete()
        Organization.objects.filter(slug__startswith="bench-").delete()
        schools = [
            Organization.objects.create(
                name=f"École {k}", slug=f"bench-school-{k}", kind="university"
            )
            for k in range(5)
        ]
        companies = [
            Organization.objects.create(
                name=f"Entreprise {k}", slug=f"bench-co-{k}", kind="company"
            )
            for k in range(5)
        ]
        program = Program.objects.create(
            organization=schools[0], name="Benchmark", slug=SLUG, kind="student_insertion"
        )
        program.shared_with.set(schools[1:] + companies)
        MatchingSettings.objects.create(
            program=program,
            criteria_weights={"field": 3, "rome_domain": 2, "occupation": 2, "skills": 2},
            default_mentor_capacity=2,
            hard_rules=["different_organizations"],
            priority_groups=["scholarship_holder"],
        )
        today = timezone.localdate()
        edition = Edition.objects.create(
            program=program,
            name="2026",
            applications_open_on=today,
            applications_close_on=today,
            matching_on=today,
            starts_on=today,
            ends_on=today.replace(year=today.year + 1),
        )
        skills = [Skill(name=f"bench skill {k}", kind="field") for k in range(60)]
        Skill.objects.filter(name__startswith="bench skill").delete()
        skills = Skill.objects.bulk_create(skills)
        users = User.objects.bulk_create(
            [
                User(
                    email=f"p{k}@bench.invalid",
                    first_name=f"P{k}",
                    last_name="Bench",
                    password="!",  # noqa: S106 — an unusable password (Django’s marker)
                )
                for k in range(n_mentees + n_mentors)
            ],
            batch_size=5000,
        )
        profiles = []
        for k, user in enumerate(users):
            mentor = k >= n_mentees
            field, domain = FIELDS[rng.randrange(len(FIELDS))]
            profiles.append(
                Profile(
                    user=user,
                    field=field,
                    rome_domain=domain,
                    occupation=f"{field} (métier {rng.randrange(4)})" if mentor else "",
                    target_occupation="" if mentor else f"{field} (métier {rng.randrange(4)})",
                    region=rng.choice(REGIONS),
                    remote_ok=rng.random() < 0.5,
                    years_of_experience=rng.randint(3, 35) if mentor else rng.randint(0, 3),
                    goals=rng.sample(GOALS, 2),
                    languages=["fr"] + (["en"] if rng.random() < 0.2 else []),
                    availability=rng.sample(SLOTS, rng.randint(2, 5)),
                    gender=rng.choice(["woman", "man", "woman", "man", "non_binary", ""]),
                    priority_groups=["scholarship_holder"]
                    if not mentor and rng.random() < 0.25
                    else [],
                )
            )
        profiles = Profile.objects.bulk_create(profiles, batch_size=5000)
        wanted = Profile.skills_wanted.through
        offered = Profile.skills_offered.through
        rows_w, rows_o = [], []
        for k, profile in enumerate(profiles):
            chosen = rng.sample(skills, 3)
            if k >= n_mentees:
                rows_o += [offered(profile_id=profile.pk, skill_id=s.pk) for s in chosen]
            else:
                rows_w += [wanted(profile_id=profile.pk, skill_id=s.pk) for s in chosen]
        wanted.objects.bulk_create(rows_w, batch_size=10000)
        offered.objects.bulk_create(rows_o, batch_size=10000)
        now = timezone.now()
        Application.objects.bulk_create(
            [
                Application(
                    edition=edition,
                    user=user,
                    role="mentor" if k >= n_mentees else "mentee",
                    organization=rng.choice(companies if k >= n_mentees else schools),
                    status="accepted",
                    submitted_at=now,
                    accepted_at=now,
                    source="benchmark",
                )
                for k, user in enumerate(users)
            ],
            batch_size=5000,
        )
    print(
        f"load: {n_mentees} mentees + {n_mentors} mentors in "
        f"{time.perf_counter() - started:.1f} s (peak {peak_mib():.0f} MiB)"
    )


def run(mode: str) -> None:
    setup()
    from mentorat.accounts.models import User
    from mentorat.matching.models import MatchRun, RunStatus
    from mentorat.matching.parameters import RunParameters
    from mentorat.matching.services import runs
    from mentorat.programs.models import Edition, MatchingSettings

    edition = Edition.objects.select_related("program").get(program__slug=SLUG)
    MatchRun.objects.filter(edition=edition).delete()
    settings = MatchingSettings.objects.get(program=edition.program)
    parameters = RunParameters.from_settings(settings)
    parameters = RunParameters(**(parameters.to_json() | {"mode": mode}))
    actor = User.objects.filter(email__endswith="@bench.invalid").first()
    assert actor is not None
    started = time.perf_counter()
    match_run, _created = runs.start_run(edition=edition, parameters=parameters, actor=actor)
    runs.execute_run(run_id=match_run.pk)
    wall = time.perf_counter() - started
    match_run.refresh_from_db()
    assert match_run.status == RunStatus.SUCCEEDED, match_run.error
    summary = match_run.summary
    timings = summary["timings"]
    print(f"run ({mode}): {wall:.1f} s wall, peak {peak_mib():.0f} MiB")
    for phase in ("read", "solve", "explain", "save"):
        print(f"  {phase:8} {timings[phase]:7.1f} s")
    print(
        f"  matched {summary['matched']}/{summary['eligible']}, mean score "
        f"{summary['mean_score']:.1f}, proven optimal: {summary['proven_optimal']}, "
        f"proven % of the optimum: {summary.get('proven_percent')}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentees", type=int, default=20_000)
    parser.add_argument("--mentors", type=int, default=10_000)
    parser.add_argument("--mode", choices=["optimal", "stable"], default="optimal")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--step", choices=["all", "load", "run"], default="all")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (it will be migrated and filled).")
    if args.step == "load":
        load(args.mentees, args.mentors, args.seed)
    elif args.step == "run":
        run(args.mode)
    else:
        me = [sys.executable, __file__]
        common = ["--mentees", str(args.mentees), "--mentors", str(args.mentors)]
        subprocess.run([*me, *common, "--step", "load", "--seed", str(args.seed)], check=True)
        subprocess.run([*me, *common, "--step", "run", "--mode", args.mode], check=True)


if __name__ == "__main__":
    main()
