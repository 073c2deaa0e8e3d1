from django.urls import reverse

from mentorat.participants.models import Profile


def test_a_person_edits_their_profile(cast, client_for):
    client = client_for(cast.mentor)
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("participants:profile")).content.decode()
    assert (
        "Facultatif. Sert uniquement à respecter une préférence pour un·e mentor·e du même "
        "genre et à suivre les objectifs de mixité."
    ) in page
    response = client.post(
        reverse("participants:profile"),
        {
            "field": "Banque",
            "occupation": "Analyste crédit",
            "years_of_experience": "12",
            "languages": ["fr", "es"],
            "availability": ["tue_evening", "sat_morning"],
            "changed_careers": "on",
            "other_skills": "Négociation, Analyse financière",
        },
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=cast.mentor)
    assert profile.availability == ["tue_evening", "sat_morning"]
    assert profile.changed_careers
    assert profile.years_of_experience == 12
    assert {s.name for s in profile.skills_offered.all()} == {"Négociation", "Analyse financière"}
    assert not profile.remote_ok  # unticked box


def test_bad_values_are_form_errors(cast, client_for):
    response = client_for(cast.mentor).post(
        reverse("participants:profile"),
        {"years_of_experience": "-3", "availability": ["mon_night"]},
    )
    assert response.status_code == 200
    assert {"years_of_experience", "availability"} <= set(response.context["form"].errors)
    assert not Profile.objects.filter(user=cast.mentor).exists()
