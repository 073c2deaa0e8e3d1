"""The organisation admins' retention settings page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mentorat.lib.views import AuthenticatedHttpRequest, flashed_errors, form_page
from mentorat.permissions import require
from mentorat.permissions.organizations import access_organization
from mentorat.permissions.privacy_retention import can_manage_retention
from mentorat.privacy.retention import services
from mentorat.privacy.retention.forms import RetentionPolicyForm
from mentorat.privacy.retention.periods import (
    DEFAULT_PERIODS,
    UNCONFIRMED_ACCOUNTS_DAYS,
    WARNING_DAYS,
)
from mentorat.privacy.retention.selectors import periods_for


@login_required
@require_http_methods(["GET", "POST"])
def retention_settings(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Show and change the organisation's retention periods; `reset` goes back to the
    privacy notice's defaults."""
    user = request.user
    organization = access_organization(user, slug, request=request)
    require(can_manage_retention(user, organization))
    here = reverse("privacy:retention", kwargs={"slug": organization.slug})
    if request.method == "POST" and "reset" in request.POST:
        with flashed_errors(request):
            services.reset_policy(organization=organization, actor=user, request=request)
            messages.success(request, _("The default retention periods apply again."))
        return redirect(here)
    periods = periods_for(organization=organization)
    form = RetentionPolicyForm(
        request.POST or None, initial=RetentionPolicyForm.initial_from(periods)
    )
    return form_page(
        request,
        form=form,
        save=lambda: services.update_policy(
            organization=organization,
            actor=user,
            request=request,
            **form.cleaned_data,
        ),
        success=_("Retention periods saved."),
        next_url=lambda _periods: here,
        template="privacy_retention/settings.html",
        context={
            "organization": organization,
            "periods": periods,
            "defaults": DEFAULT_PERIODS,
            "unconfirmed_days": UNCONFIRMED_ACCOUNTS_DAYS,
            "warning_days": WARNING_DAYS,
        },
    )
