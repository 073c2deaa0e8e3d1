import json

from django.contrib.auth.models import Group, User
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.models import Application


@csrf_exempt
def setup(request: HttpRequest) -> JsonResponse:
    """Test harness only: register the client and the people the test needs."""
    data = json.loads(request.body)
    client = data["client"]
    Application.objects.filter(client_id=client["client_id"]).delete()
    Application.objects.create(
        name="Mentorat",
        client_id=client["client_id"],
        client_secret=client["client_secret"],
        redirect_uris=client["redirect_uri"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    mfa, _created = Group.objects.get_or_create(name="mfa")
    unverified, _created = Group.objects.get_or_create(name="unverified")
    for person in data.get("people", []):
        user, _created = User.objects.update_or_create(
            username=person["username"],
            defaults={
                "email": person["email"],
                "first_name": person.get("first_name", ""),
                "last_name": person.get("last_name", ""),
            },
        )
        user.set_password(person["password"])
        user.save()
        if person.get("mfa"):
            user.groups.add(mfa)
        else:
            user.groups.remove(mfa)
        if person.get("email_verified", True):
            user.groups.remove(unverified)
        else:
            user.groups.add(unverified)
    return JsonResponse({"ok": True})


urlpatterns = [
    path("login/", LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("testing/setup/", setup),
]
