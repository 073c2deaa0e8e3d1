from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mentorat.lib.views import AuthenticatedHttpRequest, flashed_errors, form_page
from mentorat.participants.forms import ProfileForm
from mentorat.participants.models import Profile
from mentorat.participants.selectors import consents_for
from mentorat.participants.services import update_profile, withdraw_sensitive_consent


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
        context={"consents": consents_for(user=user)},
    )


@login_required
@require_POST
def withdraw_consent(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The signed-in person withdraws one of their own consents to sensitive data (the
    kind is posted); the value leaves their profile at once."""
    user = request.user
    with flashed_errors(request):
        withdrawn = withdraw_sensitive_consent(
            user=user, kind=request.POST.get("kind", ""), actor=user, request=request
        )
        if withdrawn is None:
            messages.info(request, _("This consent was already withdrawn: nothing has changed."))
        else:
            messages.success(
                request, _("Consent withdrawn: the information has been removed from your profile.")
            )
    return redirect("participants:profile")
