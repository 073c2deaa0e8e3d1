import pytest

from mentorat.accounts.models import User
from mentorat.demo.loader import DEMO_PASSWORD, load_demo
from mentorat.organizations.models import Organization, Partnership

pytestmark = pytest.mark.django_db


def test_demo_data_is_realistic_deterministic_and_idempotent():
    logins = load_demo()
    kinds = set(Organization.objects.values_list("kind", flat=True))
    assert kinds == {"university", "vocational_school", "company", "association", "training_body"}
    assert Organization.objects.filter(kind="company").count() == 2
    assert 280 <= User.objects.count() <= 340
    assert Partnership.objects.count() >= 4
    people = list(User.objects.order_by("pk").values_list("first_name", "last_name")[10:15])
    assert all(first and last for first, last in people)
    assert User.objects.filter(profile__field="").count() < 10
    for login in logins:
        user = User.objects.get(email=login.email)
        assert user.check_password(DEMO_PASSWORD), login.email
        assert user.emailaddress_set.get().verified
    load_demo()  # a second run changes nothing
    assert 280 <= User.objects.count() <= 340
