"""SIRET and UAI checks: valid numbers, a wrong check digit or letter, a wrong length,
each refused with a message naming the field; La Poste's SIRETs follow their own rule."""

import pytest
from django.utils import translation

from mentorat.organizations.identifiers import check_siret, check_uai, siret_valid, uai_letter


@pytest.mark.parametrize(
    "value",
    [
        "73282932000074",  # Luhn
        "732 829 320 00074",  # spaces as people type them
        "35600000000048",  # La Poste's head office: Luhn too
        "35600000049837",  # a La Poste establishment: digit sum 45, a multiple of 5
    ],
)
def test_valid_sirets(value):
    assert check_siret(value) == value.replace(" ", "")


def test_la_poste_rule_only_for_la_poste():
    # Digit sum 10 (a multiple of 5) but Luhn-invalid: refused outside La Poste.
    assert not siret_valid("12300000000040")
    assert not siret_valid("35600000010003")  # La Poste's SIREN, sum 18


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("73282932000075", "check digit is wrong"),
        ("7328293200007", "14 digits"),
        ("732829320000745", "14 digits"),
        ("7328293200007A", "14 digits"),
        ("", "14 digits"),
    ],
)
def test_wrong_sirets_say_why(value, expected):
    with translation.override("en"), pytest.raises(ValueError, match=expected) as error:
        check_siret(value)
    assert str(error.value).startswith("SIRET:")


def test_valid_uai():
    assert uai_letter("0750655") == "E"
    assert check_uai("0750655e") == "0750655E"
    assert check_uai(" 0750655E ") == "0750655E"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0750655F", "check letter is wrong"),
        ("075065E", "7 digits"),
        ("07506555E", "7 digits"),
        ("07506551", "7 digits"),
    ],
)
def test_wrong_uais_say_why(value, expected):
    with translation.override("en"), pytest.raises(ValueError, match=expected) as error:
        check_uai(value)
    assert str(error.value).startswith("UAI:")


def test_messages_go_through_the_translation_catalogue(monkeypatch):
    # The messages are looked up in the active language's catalogue (gettext).
    seen = []
    monkeypatch.setattr(
        "mentorat.organizations.identifiers._",
        lambda message: seen.append(message) or message,
    )
    with pytest.raises(ValueError, match="UAI"):
        check_uai("0750655F")
    assert seen == ["UAI: this number does not exist (its check letter is wrong); check it."]
