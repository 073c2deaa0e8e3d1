from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mentorat.accounts.models import User
from mentorat.lib.errors import DomainError
from mentorat.participants.forms import ProfileForm
from mentorat.participants.models import Profile
from mentorat.participants.services import update_profile


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    """Everyone edits their own profile, and only theirs."""
    user: User = request.user  # type: ignore[assignment]
    profile = (
        Profile.objects.filter(user=user)
        .prefetch_related("skills_offered", "skills_wanted")
        .first()
    )
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_from(profile))
    if request.method == "POST" and form.is_valid():
        try:
            update_profile(user=user, data=form.profile_data(), actor=user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("participants:profile")
    return render(request, "participants/profile_form.html", {"form": form})
