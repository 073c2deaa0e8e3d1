from django.urls import reverse

from mentorat.applications.models import Application, ApplicationStatus
from mentorat.demo.loader import load_demo
from mentorat.programs.models import Program, ProgramKind


def test_demo_has_one_program_of_each_type_and_every_status(db, client_for):
    load_demo()
    assert set(Program.objects.values_list("kind", flat=True)) == set(ProgramKind.values)
    assert set(Application.objects.values_list("status", flat=True)) == set(
        ApplicationStatus.values
    )
    pupil = Application.objects.get(status=ApplicationStatus.AWAITING_GUARDIAN_CONSENT)
    assert pupil.user.profile.age_on(pupil.submitted_at.date()) == 14
    assert pupil.contact_through_platform_only
    shared = Program.objects.get(kind=ProgramKind.STUDENT_INSERTION)
    assert set(shared.shared_with.values_list("slug", flat=True)) == {"banque", "association"}
    # The demo pages render with this data.
    from mentorat.accounts.models import User

    coordinator = User.objects.get(email="coordination@universite.demo")
    client = client_for(coordinator)
    for name in ("applications:list", "applications:right_to_mentor", "programs:manage"):
        assert client.get(reverse(name, kwargs={"slug": shared.slug})).status_code == 200
    assert client_for(None).get(reverse("programs:public_list")).status_code == 200
