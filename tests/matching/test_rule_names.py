"""The engine names the rules as programs do (`HardRule`), so that what it reports about a
pair (`rank_mentors`' broken rules, reason codes) needs no translation table."""

from matching_engine import build_problem, rank_mentors
from mentorat.matching.parameters import RunParameters
from mentorat.programs.models import HardRule

MENTEE = {
    "id": "e",
    "region": "Bretagne",
    "languages": "anglais",
    "organization": "Acme",
    "experience_years": "5",
}


def _broken(rules: tuple[str, ...], mentor_organization: str) -> set[str]:
    mentor = {
        "id": "m",
        "capacity": "1",
        "region": "Normandie",
        "languages": "français",
        "organization": mentor_organization,
        "experience_years": "1",
    }
    criteria = RunParameters(hard_rules=rules).criteria()
    problem = build_problem([MENTEE], [mentor], criteria=criteria)
    (ranked,) = rank_mentors(problem, 0, top_k=1)
    return set(ranked.broken)


def test_a_pair_breaking_every_program_rule_is_reported_with_the_programs_rule_names():
    different = (HardRule.DIFFERENT_ORGANIZATIONS, HardRule.MENTOR_MORE_EXPERIENCED)
    assert _broken(different, "Acme") == {
        "same_region_unless_remote",
        "common_language",
        "different_organizations",
        "mentor_more_experienced",
    }
    # The mentor has not completed the required training (no `trained` column).
    same = _broken((HardRule.SAME_ORGANIZATION, HardRule.REQUIRED_TRAINING), "Beta")
    assert same == {
        "same_region_unless_remote",
        "common_language",
        "same_organization",
        "required_training",
    }
    assert _broken(different, "Acme") | same == set(HardRule.values)
