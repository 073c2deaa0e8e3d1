from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorat.applications.guardians import (
    GUARDIAN_CONSENT_AGE,
    GUARDIAN_NAME_MAX_LENGTH,
    RELATIONSHIP_DETAIL_MAX_LENGTH,
    GuardianConsent,
)
from mentorat.applications.models import ApplicationStatus, GuardianRelationship
from mentorat.applications.services.decisions import Decision
from mentorat.organizations.models import Organization
from mentorat.participants.forms import DateInput, ProfileForm
from mentorat.participants.models import age_on
from mentorat.programs.models import CustomQuestion, Edition, ParticipantRole, QuestionKind
from mentorat.reference.rome import ROME_DOMAINS

DECISION_CHOICES = [
    (Decision.ACCEPT.value, _("Accept")),
    (Decision.WAITLIST.value, _("Put on the waiting list")),
    (Decision.DECLINE.value, _("Decline (reason required)")),
    (Decision.REQUEST_INFO.value, _("Ask for more information")),
]


def question_field(question: CustomQuestion) -> forms.Field:
    common: dict[str, Any] = {
        "label": question.label,
        "required": question.required,
        "help_text": question.help_text,
    }
    if question.kind == QuestionKind.SHORT_TEXT:
        return forms.CharField(max_length=200, **common)
    if question.kind == QuestionKind.LONG_TEXT:
        return forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 5}), **common)
    if question.kind == QuestionKind.SINGLE_CHOICE:
        return forms.ChoiceField(
            choices=[(c, c) for c in question.choices], widget=forms.RadioSelect, **common
        )
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in question.choices],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    return forms.ChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))], widget=forms.RadioSelect, **common
    )


class QuestionsMixin:
    """Adds one field per custom question, named `q_<id>`."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def add_questions(self, questions: list[CustomQuestion]) -> None:
        self.questions = questions
        for question in questions:
            self.fields[f"q_{question.pk}"] = question_field(question)

    def answers(self) -> dict[str, Any]:
        return {str(q.pk): self.cleaned_data.get(f"q_{q.pk}") for q in self.questions}


class ApplicationForm(QuestionsMixin, ProfileForm):
    """Profile fields, the program's custom questions and the charter, for one role."""

    organization = forms.ModelChoiceField(
        label=_("You apply as a member of"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("Your organisation's coordinators will follow your application."),
    )
    guardian_email = forms.EmailField(
        label=_("Email address of a parent or guardian"),
        required=False,
        help_text=_("Required under 15: we ask them for their consent by email."),
    )
    charter_accepted = forms.BooleanField(
        label=_("I have read and I accept the charter"), required=False
    )

    def __init__(
        self,
        *args: Any,
        role: str,
        questions: list[CustomQuestion],
        organizations: list[Organization],
        has_charter: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, role=role, **kwargs)
        self.role = role
        org_field = self.fields["organization"]
        assert isinstance(org_field, forms.ModelChoiceField)
        org_field.queryset = Organization.objects.filter(pk__in=[o.pk for o in organizations])
        if len(organizations) <= 1:
            del self.fields["organization"]
        self.organizations = organizations
        if role == ParticipantRole.MENTEE:
            self.fields["birth_date"].required = True
        else:
            del self.fields["guardian_email"]
        if has_charter:
            self.fields["charter_accepted"].required = True
        else:
            del self.fields["charter_accepted"]
        self.add_questions(questions)

    def chosen_organization(self) -> Organization | None:
        if "organization" in self.fields:
            chosen: Organization | None = self.cleaned_data.get("organization")
            return chosen
        return self.organizations[0] if self.organizations else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        birth_date = data.get("birth_date")
        if (
            self.role == ParticipantRole.MENTEE
            and birth_date
            and age_on(birth_date, timezone.localdate()) < GUARDIAN_CONSENT_AGE
            and not data.get("guardian_email")
        ):
            self.add_error(
                "guardian_email",
                _("Required because you are under %(age)s.") % {"age": GUARDIAN_CONSENT_AGE},
            )
        return data


class GuardianConsentForm(forms.Form):
    """What a guardian states on the consent page (`guardians.record_guardian_consent`
    checks it again)."""

    full_name = forms.CharField(
        label=_("Your first and last name"),
        max_length=GUARDIAN_NAME_MAX_LENGTH,
        error_messages={
            "required": _("Your name: give your first and last name."),
            "max_length": _("Your name: at most %(limit_value)s characters."),
        },
    )
    relationship = forms.ChoiceField(
        label=_("Your relationship to the applicant"),
        choices=GuardianRelationship.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Relationship: say how you are related to the applicant."),
            "invalid_choice": _("Relationship: say how you are related to the applicant."),
        },
    )
    relationship_detail = forms.CharField(
        label=_("If other, say what your relationship is"),
        max_length=RELATIONSHIP_DETAIL_MAX_LENGTH,
        required=False,
        error_messages={"max_length": _("Relationship: at most %(limit_value)s characters.")},
    )
    consent = forms.BooleanField(
        label=_("I hold parental authority over the applicant and I consent to this application."),
        error_messages={"required": _("Consent: tick the box to give your consent.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("relationship") == GuardianRelationship.OTHER
            and not data.get("relationship_detail", "").strip()
        ):
            self.add_error(
                "relationship_detail",
                _("Relationship: say in a few words what your relationship is."),
            )
        return data

    def consent_given(self) -> GuardianConsent:
        return GuardianConsent(
            full_name=self.cleaned_data["full_name"],
            relationship=self.cleaned_data["relationship"],
            relationship_detail=self.cleaned_data.get("relationship_detail", ""),
        )


class GuardianWithdrawalForm(forms.Form):
    """The guardian confirms that they withdraw their consent
    (`guardians.withdraw_guardian_consent`)."""

    confirm = forms.BooleanField(
        label=_("I withdraw my consent to this application."),
        error_messages={"required": _("Confirmation: tick the box to withdraw your consent.")},
    )


class InfoResponseForm(QuestionsMixin, forms.Form):
    message = forms.CharField(
        label=_("Your answer to the coordinator"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )

    def __init__(self, *args: Any, questions: list[CustomQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_questions(questions)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=DECISION_CHOICES, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason or message to the applicant"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Required to decline or to ask for information; sent to the applicant."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("decision") in {Decision.DECLINE, Decision.REQUEST_INFO}
            and not data.get("reason", "").strip()
        ):
            self.add_error(
                "reason",
                _("Reason: required to decline or to ask for information."),
            )
        return data


class BulkDecisionForm(DecisionForm):
    applications = forms.TypedMultipleChoiceField(
        label=_("Applications"),
        coerce=int,
        choices=(),
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Applications: tick at least one application.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["applications"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        # Any id is accepted here; the service keeps only this program's applications.
        field.valid_value = lambda value: str(value).isdigit()  # type: ignore[method-assign]


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or email"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *ApplicationStatus.choices],
    )
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("Mentors and mentees")), *ParticipantRole.choices],
    )
    organization = forms.ModelChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organization.objects.none(),
        empty_label=_("All organisations"),
    )
    rome_domain = forms.ChoiceField(
        label=_("Field (occupation domain)"),
        required=False,
        choices=[("", _("All fields")), *ROME_DOMAINS],
    )
    edition = forms.ModelChoiceField(
        label=_("Edition"),
        required=False,
        queryset=Edition.objects.none(),
        empty_label=_("All editions"),
    )
    submitted_from = forms.DateField(label=_("Submitted from"), required=False, widget=DateInput())
    submitted_to = forms.DateField(label=_("Submitted until"), required=False, widget=DateInput())

    def __init__(
        self, *args: Any, organizations: list[Organization], editions: list[Edition], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        org_field = self.fields["organization"]
        edition_field = self.fields["edition"]
        assert isinstance(org_field, forms.ModelChoiceField)
        assert isinstance(edition_field, forms.ModelChoiceField)
        # The querysets check a chosen value; the options are written from the rows the
        # caller read, in the same order, without reading them again. Each edition's
        # label names its program (Edition.__str__): the caller reads them with it.
        for model_field, rows, model in (
            (org_field, organizations, Organization),
            (edition_field, editions, Edition),
        ):
            model_field.queryset = model._default_manager.filter(pk__in=[r.pk for r in rows])
            model_field.widget.choices = [
                ("", model_field.empty_label),
                *((r.pk, model_field.label_from_instance(r)) for r in rows),
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("submitted_from"), data.get("submitted_to")
        if start and end and end < start:
            self.add_error("submitted_to", _("Submitted until: must not be before the start date."))
        return data


class RecruitmentCallForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the partner organisations"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=3000,
        help_text=_(
            "Optional; added to the call, which already states how many mentors are needed."
        ),
    )
