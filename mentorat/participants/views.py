from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mentorat.lib.views import AuthenticatedHttpRequest, form_page
from mentorat.participants.forms import ProfileForm
from mentorat.participants.models import Profile
from mentorat.participants.services import update_profile


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Everyone edits their own profile, and only theirs."""
    user = request.user
    profile = (
        Profile.objects.filter(user=user)
        .prefetch_related("skills_offered", "skills_wanted")
        .first()
    )
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_from(profile))
    return form_page(
        request,
        form=form,
        save=lambda: update_profile(user=user, data=form.profile_data(), actor=user),
        success=_("Profile saved."),
        next_url=lambda _profile: reverse("participants:profile"),
        template="participants/profile_form.html",
        context={},
    )
