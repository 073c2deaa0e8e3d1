"""Pages of an organisation's webhooks (its admins only): list, add, change, remove,
signing secret, delivery log with replay, test event."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorat.lib.timezones import in_user_time_zone
from mentorat.lib.views import AuthenticatedHttpRequest, action, form_page
from mentorat.permissions.webhooks import access_delivery, access_endpoint, access_webhooks
from mentorat.webhooks import services
from mentorat.webhooks.forms import EndpointForm
from mentorat.webhooks.models import Endpoint
from mentorat.webhooks.selectors import delivery_log, endpoints_of


def _detail_url(endpoint: Endpoint) -> str:
    return reverse(
        "webhooks:detail", kwargs={"slug": endpoint.organization.slug, "pk": endpoint.pk}
    )


@login_required
def endpoint_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organization = access_webhooks(request.user, slug, request=request)
    return render(
        request,
        "webhooks/endpoint_list.html",
        {"organization": organization, "endpoints": endpoints_of(organization)},
    )


@login_required
def endpoint_new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organization = access_webhooks(request.user, slug, request=request)
    form = EndpointForm(request.POST or None, organization_id=organization.pk)
    return form_page(
        request,
        form=form,
        save=lambda: services.create_endpoint(
            organization=organization,
            actor=request.user,
            url=form.cleaned_data["url"],
            event_types=form.cleaned_data["event_types"],
            description=form.cleaned_data["description"],
            request=request,
        ),
        success=_("Webhook added. Copy its signing secret to verify the deliveries."),
        next_url=_detail_url,
        template="webhooks/endpoint_form.html",
        context={"organization": organization},
    )


@login_required
def endpoint_edit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    endpoint = access_endpoint(request.user, slug, pk, request=request)
    form = EndpointForm(
        request.POST or None,
        organization_id=endpoint.organization_id,
        endpoint=endpoint,
        initial={
            "url": endpoint.url,
            "description": endpoint.description,
            "event_types": endpoint.event_types,
        },
    )
    return form_page(
        request,
        form=form,
        save=lambda: services.update_endpoint(
            endpoint,
            actor=request.user,
            url=form.cleaned_data["url"],
            event_types=form.cleaned_data["event_types"],
            description=form.cleaned_data["description"],
            request=request,
        ),
        success=_("Webhook changed."),
        next_url=_detail_url,
        template="webhooks/endpoint_form.html",
        context={"organization": endpoint.organization, "endpoint": endpoint},
    )


@login_required
@in_user_time_zone
def endpoint_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    endpoint = access_endpoint(request.user, slug, pk, request=request)
    page = Paginator(delivery_log(endpoint), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "webhooks/endpoint_detail.html",
        {"organization": endpoint.organization, "endpoint": endpoint, "page": page},
    )


@login_required
@in_user_time_zone
def delivery_detail(
    request: AuthenticatedHttpRequest, slug: str, pk: int, delivery_pk: int
) -> HttpResponse:
    delivery = access_delivery(request.user, slug, pk, delivery_pk, request=request)
    return render(
        request,
        "webhooks/delivery_detail.html",
        {
            "organization": delivery.endpoint.organization,
            "endpoint": delivery.endpoint,
            "delivery": delivery,
            "attempts": delivery.attempt_log.all(),
        },
    )


@login_required
@require_POST
def endpoint_delete(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    endpoint = access_endpoint(request.user, slug, pk, request=request)
    return action(
        request,
        run=lambda: services.delete_endpoint(endpoint, actor=request.user, request=request),
        success=_("Webhook removed: no more events will be sent to it."),
        next_url=reverse("webhooks:list", kwargs={"slug": slug}),
    )


@login_required
@require_POST
def endpoint_rotate(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    endpoint = access_endpoint(request.user, slug, pk, request=request)
    return action(
        request,
        run=lambda: services.rotate_secret(endpoint, actor=request.user, request=request),
        success=_("New signing secret: update your receiver, the old one no longer works."),
        next_url=_detail_url(endpoint),
    )


@login_required
@require_POST
def endpoint_active(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    endpoint = access_endpoint(request.user, slug, pk, request=request)
    active = request.POST.get("active") == "1"
    return action(
        request,
        run=lambda: services.set_active(
            endpoint, active=active, actor=request.user, request=request
        ),
        success=_("Webhook turned on.") if active else _("Webhook turned off."),
        next_url=_detail_url(endpoint),
    )


@login_required
@require_POST
def endpoint_test(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    endpoint = access_endpoint(request.user, slug, pk, request=request)
    return action(
        request,
        run=lambda: services.send_test_event(endpoint, actor=request.user, request=request),
        success=_("Test event queued: its delivery appears below."),
        next_url=_detail_url(endpoint),
    )


@login_required
@require_POST
def delivery_replay(
    request: AuthenticatedHttpRequest, slug: str, pk: int, delivery_pk: int
) -> HttpResponse:
    delivery = access_delivery(request.user, slug, pk, delivery_pk, request=request)
    return action(
        request,
        run=lambda: services.replay(delivery, actor=request.user, request=request),
        success=_("Delivery sent again, with the same delivery id."),
        next_url=_detail_url(delivery.endpoint),
    )
