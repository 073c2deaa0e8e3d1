"""One list of ROME domains: the app's choices are the engine's labels, in the active language."""

from django.utils import translation

from matching_engine.rome import DOMAINS
from mentorat.reference.rome import ROME_DOMAIN_CHOICES, ROME_DOMAINS


def test_the_app_shows_the_engine_labels_in_french_and_in_english():
    assert [letter for letter, _label in ROME_DOMAINS] == list(DOMAINS)
    with translation.override("fr"):
        assert {k: str(v) for k, v in ROME_DOMAINS} == {k: fr for k, (fr, _en) in DOMAINS.items()}
        assert str(dict(ROME_DOMAIN_CHOICES)["M"]) == "Support à l'entreprise"
        assert str(ROME_DOMAIN_CHOICES[0][1]) == "Non précisé"
    with translation.override("en"):
        assert {k: str(v) for k, v in ROME_DOMAINS} == {k: en for k, (_fr, en) in DOMAINS.items()}
        assert str(dict(ROME_DOMAIN_CHOICES)["M"]) == "Business support functions"
