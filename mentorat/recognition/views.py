"""Pages of recognition: a mentor's engagement (their own, or as their coordinators see
it), thank-you notes, program recognitions, attestations and badges; and the public
verification page, JWKS, did:web document and status lists."""

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mentorat.accounts.models import User
from mentorat.lib.views import AuthenticatedHttpRequest, action, flashed_errors, form_page
from mentorat.organizations.models import Organization
from mentorat.permissions import require
from mentorat.permissions.mentorships import access_mentorship
from mentorat.permissions.programs import access_program, is_program_staff
from mentorat.permissions.recognition import (
    access_attestation,
    access_credential,
    access_engagement,
    access_own_note,
    can_revoke_attestation,
    can_write_thank_you_note,
    sees_hidden_notes,
)
from mentorat.recognition import badges, pdf, selectors, services
from mentorat.recognition.forms import (
    AttestationForm,
    AwardForm,
    RecognitionForm,
    ThankYouNoteForm,
)
from mentorat.recognition.models import AttestationKind, IssuerKey, Recognition


def _attestation_organizations(user: User) -> list[Organization]:
    found = {
        o.pk: o
        for kind in AttestationKind.values
        for o in selectors.attestation_organizations(user, kind)
    }
    return sorted(found.values(), key=lambda o: o.name)


def _engagement_page(request: AuthenticatedHttpRequest, mentor: User) -> HttpResponse:
    own = request.user.pk == mentor.pk
    attestations = list(selectors.attestations_of(mentor))
    credentials = list(selectors.credentials_of(mentor))
    issuers = {c.organization_id: c.organization for c in credentials}
    context: dict[str, Any] = {
        "mentor": mentor,
        "own": own,
        "engagement": selectors.engagement_of(mentor),
        "notes": selectors.notes_for(
            mentor, only_shown=not sees_hidden_notes(request.user, mentor)
        ),
        "awards": selectors.awards_of(mentor),
        "credentials": credentials,
        "issuers": sorted(issuers.values(), key=lambda o: o.name),
        "attestations": [
            (a, can_revoke_attestation(request.user, a), pdf.verification_url(a))
            for a in attestations
        ],
    }
    if own:
        organizations = _attestation_organizations(mentor)
        context["attestation_form"] = AttestationForm(
            organizations=Organization.objects.filter(pk__in=[o.pk for o in organizations]),
            initial={"language": request.LANGUAGE_CODE},
        )
    return render(request, "recognition/my_engagement.html", context)


@login_required
def my_engagement(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My engagement as a mentor: hours, pairs, modules, notes, recognitions, badges,
    attestations (and the form to ask for one)."""
    return _engagement_page(request, request.user)


@login_required
def engagement(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A mentor's engagement as their coordinators see it."""
    mentor = access_engagement(request.user, pk, request=request)
    return _engagement_page(request, mentor)


@login_required
@require_POST
def note_visibility(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    note = access_own_note(request.user, pk)
    shown = request.POST.get("shown") == "1"
    return action(
        request,
        run=lambda: services.set_note_shown(note=note, mentor=request.user, shown=shown),
        success=_("The note is shown on your page.") if shown else _("The note is hidden."),
        next_url=reverse("recognition:my_engagement"),
    )


@login_required
def note_write(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The mentee's thank-you note, once the pair has ended."""
    mentorship = access_mentorship(request.user, pk, request=request)
    require(can_write_thank_you_note(request.user, mentorship))
    existing = selectors.note_of(mentorship)
    form = ThankYouNoteForm(request.POST or None)
    return form_page(
        request,
        form=form,
        save=lambda: services.write_thank_you_note(
            mentorship=mentorship, author=request.user, text=form.cleaned_data["text"]
        ),
        success=_("Thank you! Your note was sent to your mentor."),
        next_url=lambda note: reverse("mentorships:workspace", kwargs={"pk": mentorship.pk}),
        template="recognition/note_form.html",
        context={"mentorship": mentorship, "existing": existing},
    )


@login_required
def recognitions(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """A program's recognitions: define one, see who received each."""
    program = access_program(request.user, slug, request=request)
    require(is_program_staff(request.user, program))
    form = RecognitionForm(request.POST or None)
    return form_page(
        request,
        form=form,
        save=lambda: services.create_recognition(
            program=program,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            actor=request.user,
        ),
        success=_("Recognition created."),
        next_url=lambda r: reverse("recognition:recognitions", kwargs={"slug": program.slug}),
        template="recognition/recognitions.html",
        context={
            "program": program,
            "recognitions": selectors.recognitions_of(program),
            "mentors": selectors.program_mentors(program),
        },
    )


@login_required
def award(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    program = access_program(request.user, slug, request=request)
    require(is_program_staff(request.user, program))
    recognition = get_object_or_404(Recognition, program=program, pk=pk)
    form = AwardForm(request.POST or None, mentors=selectors.program_mentors(program))
    return form_page(
        request,
        form=form,
        save=lambda: services.award_recognition(
            recognition=recognition,
            mentor=form.cleaned_data["mentor"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        ),
        success=_("Recognition awarded. Its badge is being signed."),
        next_url=lambda a: reverse("recognition:recognitions", kwargs={"slug": program.slug}),
        template="recognition/award_form.html",
        context={
            "program": program,
            "recognition": recognition,
            "awards": recognition.awards.select_related("mentor").order_by("-awarded_at"),
        },
    )


# --- Attestations ---------------------------------------------------------------------


@login_required
@require_POST
def attestation_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ask for an attestation of one's own engagement or training."""
    organizations = Organization.objects.filter(
        pk__in=[o.pk for o in _attestation_organizations(request.user)]
    )
    form = AttestationForm(request.POST, organizations=organizations)
    if not form.is_valid():
        messages.error(request, _("Choose the kind, the organisation and the language."))
        return redirect("recognition:my_engagement")
    with flashed_errors(request):
        services.issue_attestation(
            holder=request.user,
            kind=form.cleaned_data["kind"],
            organization=form.cleaned_data["organization"],
            language=form.cleaned_data["language"],
            actor=request.user,
            request=request,
        )
        messages.success(request, _("Your attestation is ready: download it below."))
    return redirect("recognition:my_engagement")


@login_required
@require_GET
def attestation_pdf(request: AuthenticatedHttpRequest, public_id: str) -> FileResponse:
    attestation = access_attestation(request.user, public_id)
    if not attestation.file:
        raise Http404
    return FileResponse(
        attestation.file.open("rb"),
        as_attachment=True,
        filename=f"attestation-{attestation.public_id}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_POST
def attestation_revoke(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    attestation = access_attestation(request.user, public_id, revoke=True)
    return action(
        request,
        run=lambda: services.revoke_attestation(
            attestation=attestation, actor=request.user, request=request
        ),
        success=_("Attestation revoked: its verification page now says so."),
        next_url=reverse("recognition:engagement", kwargs={"pk": attestation.holder_id}),
    )


@require_GET
def verify(request: HttpRequest, public_id: str) -> HttpResponse:
    """Public: is this attestation genuine? Shows only what the attestation shows."""
    attestation = get_object_or_404(
        selectors.attestation_by_public_id(public_id).select_related("organization")
    )
    return render(request, "recognition/verify.html", {"attestation": attestation})


# --- Badges -----------------------------------------------------------------------------


@login_required
@require_GET
def credential_jwt(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    credential = access_credential(request.user, public_id)
    if not credential.token:
        raise Http404
    response = HttpResponse(credential.token, content_type="application/vc+jwt")
    response["Content-Disposition"] = f'attachment; filename="badge-{credential.public_id}.jwt"'
    return response


@login_required
@require_GET
def credential_svg(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    credential = access_credential(request.user, public_id)
    if not credential.token:
        raise Http404
    response = HttpResponse(badges.baked_svg(credential), content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="badge-{credential.public_id}.svg"'
    return response


@login_required
@require_POST
def credential_revoke(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    credential = access_credential(request.user, public_id, revoke=True)
    return action(
        request,
        run=lambda: services.revoke_credential(
            credential=credential, actor=request.user, request=request
        ),
        success=_("Badge revoked: verifiers will refuse it."),
        next_url=reverse("recognition:engagement", kwargs={"pk": credential.holder_id}),
    )


def _issuer_key(slug: str) -> IssuerKey:
    key = IssuerKey.objects.select_related("organization").filter(organization__slug=slug).first()
    if key is None:
        raise Http404
    return key


def _json(document: dict[str, Any], content_type: str) -> HttpResponse:
    response = HttpResponse(json.dumps(document, indent=2), content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def did_document(request: HttpRequest, slug: str) -> HttpResponse:
    """Public: the organisation's did:web document (its public key)."""
    key = _issuer_key(slug)
    return _json(badges.did_document(key.organization, key), "application/did+json")


@require_GET
def jwks(request: HttpRequest, slug: str) -> HttpResponse:
    """Public: the organisation's public keys as a JWK Set."""
    key = _issuer_key(slug)
    return _json(badges.jwks(key.organization, key), "application/jwk-set+json")


@require_GET
def status_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Public: the organisation's revocation list (signed BitstringStatusListCredential)."""
    key = _issuer_key(slug)
    response = HttpResponse(
        badges.status_list_token(key.organization, key), content_type="application/vc+jwt"
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"
    return response
