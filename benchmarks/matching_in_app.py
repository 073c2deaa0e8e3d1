"""Matching inside the platform at scale, in PostgreSQL: 20,000 mentees and 10,000 mentors
by default, up to a national edition (--mentees 200000 --mentors 100000).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorat_bench \\
        .venv/bin/python benchmarks/matching_in_app.py [--mentees 20000 --mentors 10000]

Creates the database tables (migrate), loads a generated edition with `COPY` (not timed
as part of the run), then times a full run the way the worker executes it: start it (the
fingerprint of the inputs), read the participants from the database, build the engine's
problem, solve (optimal mode), explain every pair, write the proposals in one
transaction. Then times the review pages of that run through the Django test client (the
list of runs, the run's summary page, pages of the proposals table, two mentees' reviews)
with their number of queries. Loading, the run and the pages happen in three
separate processes, so that the run's peak memory (ru_maxrss) is the worker's own.
Every figure is printed with the machine's load average and the CPU time (user + sys)
next to the wall time: the machine may be shared.
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


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def copy_objects(objects: list) -> None:
    """Insert model instances with one `COPY` (their primary keys already set): every
    concrete column, with the value Django would save."""
    from django.db import connection

    if not objects:
        return
    model = type(objects[0])
    fields = model._meta.concrete_fields
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for obj in objects:
            copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])


def with_ids(model: type, objects: list) -> list:
    """Give the instances consecutive primary keys after the table's largest."""
    from django.db.models import Max

    start = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    for k, obj in enumerate(objects):
        obj.pk = start + k
    return objects


def clear() -> None:
    """Remove a previous benchmark edition (slow at national scale: drop the database
    instead)."""
    from mentorat.accounts.models import User
    from mentorat.applications.models import Application
    from mentorat.matching.models import MatchRun
    from mentorat.organizations.models import Organization
    from mentorat.programs.models import Edition, Program

    old = Program.objects.filter(slug=SLUG).first()
    if old is not None:
        MatchRun.objects.filter(edition__program=old).delete()
        Application.objects.filter(edition__program=old).delete()
        Edition.objects.filter(program=old).delete()
        old.delete()
    User.objects.filter(email__endswith="@bench.invalid").delete()
    Organization.objects.filter(slug__startswith="bench-").delete()


def load(n_mentees: int, n_mentors: int, seed: int) -> None:
    setup()
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from mentorat.accounts.models import User
    from mentorat.applications.models import Application
    from mentorat.organizations.models import Membership, Organization, Role
    from mentorat.participants.models import Profile, Skill
    from mentorat.programs.models import Edition, MatchingSettings, Program
    from tests.factories import with_totp

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    rng = random.Random(seed)
    with transaction.atomic():
        clear()
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
        users = with_ids(
            User,
            [
                User(
                    email=f"p{k}@bench.invalid",
                    first_name=f"P{k}",
                    last_name="Bench",
                    password="!",  # noqa: S106 — an unusable password (Django’s marker)
                )
                for k in range(n_mentees + n_mentors)
            ],
        )
        copy_objects(users)
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
        profiles = with_ids(Profile, profiles)
        copy_objects(profiles)
        wanted = Profile.skills_wanted.through
        offered = Profile.skills_offered.through
        rows_w, rows_o = [], []
        for k, profile in enumerate(profiles):
            chosen = rng.sample(skills, 3)
            if k >= n_mentees:
                rows_o += [offered(profile_id=profile.pk, skill_id=s.pk) for s in chosen]
            else:
                rows_w += [wanted(profile_id=profile.pk, skill_id=s.pk) for s in chosen]
        copy_objects(with_ids(wanted, rows_w))
        copy_objects(with_ids(offered, rows_o))
        now = timezone.now()
        applications = with_ids(
            Application,
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
        )
        copy_objects(applications)
        del applications
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(
                no_style(), [User, Profile, wanted, offered, Application]
            ):
                cursor.execute(sql)
        coordinator = User.objects.create(email="coordinator@bench.invalid", password="!")  # noqa: S106
        Membership.objects.create(user=coordinator, organization=schools[0], role=Role.COORDINATOR)
        with_totp(coordinator)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"load: {n_mentees} mentees + {n_mentors} mentors in "
        f"{time.perf_counter() - started:.1f} s (peak {peak_mib():.0f} MiB; {load_average()})"
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
    actor = User.objects.get(email="coordinator@bench.invalid")
    # Each stage the run reports (RunProgress.stage, the engine's included), with the wall
    # and CPU clocks: the machine may be shared, CPU time is the steadier figure.
    stages: list[tuple[str, float, float]] = []
    report_stage = runs.RunProgress.stage

    def stage(self: runs.RunProgress, name: str, total: int | None = None) -> None:
        stages.append((name, time.perf_counter(), cpu_seconds()))
        report_stage(self, name, total)

    runs.RunProgress.stage = stage  # type: ignore[method-assign]
    print(f"before the run: {load_average()}")
    started, cpu = time.perf_counter(), cpu_seconds()
    match_run, _created = runs.start_run(edition=edition, parameters=parameters, actor=actor)
    start_wall, start_cpu = time.perf_counter() - started, cpu_seconds() - cpu
    runs.execute_run(run_id=match_run.pk)
    wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    match_run.refresh_from_db()
    assert match_run.status == RunStatus.SUCCEEDED, match_run.error
    summary = match_run.summary
    timings = summary["timings"]
    print(
        f"run ({mode}): {wall:.1f} s wall, {cpu:.1f} s CPU (user+sys), "
        f"peak RSS {peak_mib():.0f} MiB; {load_average()}"
    )
    print(f"  start    {start_wall:7.1f} s ({start_cpu:.1f} s CPU: fingerprint, queue)")
    for phase in ("read", "solve", "explain", "save"):
        print(f"  {phase:8} {timings[phase]:7.1f} s")
    ends = [*stages[1:], ("end", started + wall, cpu_seconds())]
    for (name, wall_at, cpu_at), (_next, wall_end, cpu_end) in zip(stages, ends, strict=True):
        print(f"    stage {name:10} {wall_end - wall_at:7.1f} s wall {cpu_end - cpu_at:7.1f} s CPU")
    print(
        f"  matched {summary['matched']}/{summary['eligible']}, mean score "
        f"{summary['mean_score']:.1f}, proven optimal: {summary['proven_optimal']}, "
        f"proven % of the optimum: {summary.get('proven_percent')}"
    )


def deciding_tiers() -> list[str]:
    """Record, for each mentee's review from now on, the tier of near mentors that decided
    its ranking (`explain.TIERS`), or "every mentor" when none did: the list returned
    grows by one entry a review. Wraps `explain.near_mentors` and `explain._rank_near`,
    which the code before and after each change of the review both have (a copy of this
    script in an older checkout measures that checkout's code)."""
    # Django's modules load once `setup()` has run.
    from mentorat.matching import explain

    decided: list[str] = []
    asked: list[str] = []
    near_mentors, rank_near = explain.near_mentors, explain._rank_near

    def recording_near(**kwargs: object) -> object:
        asked.append(str(kwargs["tier"]))
        return near_mentors(**kwargs)

    def recording_rank(*args: object, **kwargs: object) -> object:
        asked.clear()
        found = rank_near(*args, **kwargs)
        decided.append(asked[-1] if found is not None and asked else "every mentor")
        return found

    explain.near_mentors = recording_near
    explain._rank_near = recording_rank
    return decided


def pages(sample: int = 0) -> None:
    """The review pages of the last run, through the test client: each asked twice (the
    second, warm, is the figure), with its number of queries. `sample`: also the review
    pages of that many mentees spread over the proposals (median and worst), and by the
    tier of near mentors that decided each one's ranking."""
    setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from mentorat.accounts.models import User
    from mentorat.matching.models import MatchRun, Proposal

    decided = deciding_tiers()

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    run = MatchRun.objects.filter(edition__program__slug=SLUG).latest("pk")
    slug, pk = run.edition.program.slug, run.pk
    count = Proposal.objects.filter(run=run).count()
    last_page = (count + 49) // 50
    mentees = Proposal.objects.filter(run=run).order_by("pk").values_list("mentee_id", flat=True)
    mentee, another = mentees[0], mentees[count // 10]
    client = Client()
    client.force_login(User.objects.get(email="coordinator@bench.invalid"))
    proposals = reverse("matching:proposals", args=[slug, pk])
    urls = [
        ("list of runs", reverse("matching:runs", args=[slug])),
        ("run summary", reverse("matching:run", args=[slug, pk])),
        ("proposals, page 1", proposals),
        (f"proposals, page {last_page // 2}", f"{proposals}?page={last_page // 2}"),
        (f"proposals, page {last_page} (last)", f"{proposals}?page={last_page}"),
        ("proposals by score, page 2", f"{proposals}?sort=-score&page=2"),
        (f"proposals by mentor, page {last_page}", f"{proposals}?sort=mentor&page={last_page}"),
        ("proposals, unmatched", f"{proposals}?state=unmatched"),
        ("one mentee's review", reverse("matching:mentee", args=[slug, pk, mentee])),
        ("another mentee's review", reverse("matching:mentee", args=[slug, pk, another])),
    ]
    print(f"review pages of run #{run.number} ({count} proposals); {load_average()}")
    for label, url in urls:
        times = []
        for _attempt in range(2):
            started, cpu = time.perf_counter(), cpu_seconds()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, headers={"X-Forwarded-Proto": "https"})
            times.append((time.perf_counter() - started, cpu_seconds() - cpu))
            assert response.status_code == 200, (url, response.status_code)
        (_first, _first_cpu), (wall, cpu) = times
        tier = f", decided at: {decided[-1]}" if "review" in label and decided else ""
        print(
            f"  {label:32} {1000 * wall:7.0f} ms wall, {1000 * cpu:6.0f} ms CPU, "
            f"{len(queries):3} queries (first request {1000 * _first:.0f} ms{tier})"
        )
    if sample:
        step = max(count // sample, 1)
        measured = []
        by_tier: dict[str, list[tuple[float, float, int]]] = {}
        for mentee_id in list(mentees[::step])[:sample]:
            url = reverse("matching:mentee", args=[slug, pk, mentee_id])
            started, cpu = time.perf_counter(), cpu_seconds()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, headers={"X-Forwarded-Proto": "https"})
            assert response.status_code == 200, (url, response.status_code)
            figures = (time.perf_counter() - started, cpu_seconds() - cpu, len(queries))
            measured.append(figures)
            by_tier.setdefault(decided[-1] if decided else "?", []).append(figures)
        print(
            f"  {len(measured)} mentees' reviews (every {step}th proposal, first request each): "
            + _spread(measured)
        )
        for tier, figures_of in by_tier.items():
            print(f"    decided at {tier} ({len(figures_of)}): {_spread(figures_of)}")
    print(f"  ({load_average()})")


def _spread(measured: list[tuple[float, float, int]]) -> str:
    """Median and worst wall and CPU times (ms) of (wall s, CPU s, statements) figures,
    and the range of statements."""
    walls = sorted(1000 * w for w, _c, _q in measured)
    cpus = sorted(1000 * c for _w, c, _q in measured)
    return (
        f"wall median {walls[len(walls) // 2]:.0f} ms, worst {walls[-1]:.0f} ms; CPU median "
        f"{cpus[len(cpus) // 2]:.0f} ms, worst {cpus[-1]:.0f} ms; statements "
        f"{min(q for *_x, q in measured)}-{max(q for *_x, q in measured)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentees", type=int, default=20_000)
    parser.add_argument("--mentors", type=int, default=10_000)
    parser.add_argument("--mode", choices=["optimal", "stable"], default="optimal")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--step", choices=["all", "load", "run", "pages"], default="all")
    parser.add_argument(
        "--sample", type=int, default=0, help="with --step pages: the reviews of N mentees too"
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (it will be migrated and filled).")
    if args.step == "load":
        load(args.mentees, args.mentors, args.seed)
    elif args.step == "run":
        run(args.mode)
    elif args.step == "pages":
        pages(args.sample)
    else:
        me = [sys.executable, __file__]
        common = ["--mentees", str(args.mentees), "--mentors", str(args.mentors)]
        subprocess.run([*me, *common, "--step", "load", "--seed", str(args.seed)], check=True)
        subprocess.run([*me, *common, "--step", "run", "--mode", args.mode], check=True)
        subprocess.run([*me, "--step", "pages"], check=True)


if __name__ == "__main__":
    main()
