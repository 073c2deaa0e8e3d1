"""Forms of events. Date-times are read in the person's time zone (the views run with
it active, `lib.timezones.in_user_time_zone`) and stored in UTC."""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorat.accounts.models import User
from mentorat.events.models import Event
from mentorat.organizations.models import (
    Organization,
    Partnership,
    PartnershipStatus,
)
from mentorat.programs.models import Edition

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _datetime_field(label: Any, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=DateTimeLocalInput(),
        input_formats=DATETIME_FORMATS,
        help_text=_("In your time zone (%(zone)s)."),
    )


class EventForm(forms.ModelForm[Event]):
    """An event's fields; the editions and partnerships offered are the organiser's."""

    starts_at = _datetime_field(_("Start"))
    ends_at = _datetime_field(_("End"))
    registration_deadline = _datetime_field(_("Registration deadline"), required=False)
    online_link = forms.URLField(
        label=_("Online link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Shown only to the people registered."),
    )
    co_hosts = forms.ModelMultipleChoiceField(
        label=_("Co-hosting partners"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their coordinators can edit the event and check people in."),
    )

    class Meta:
        model = Event
        fields = (
            "kind",
            "title",
            "description",
            "format",
            "place",
            "access_notes",
            "online_link",
            "starts_at",
            "ends_at",
            "capacity",
            "registration_deadline",
            "offer_hours",
            "audience",
            "audience_roles",
            "edition",
            "partnership",
        )
        widgets = {"format": forms.RadioSelect, "audience": forms.RadioSelect}

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = timezone.get_current_timezone_name()
        for name in ("starts_at", "ends_at", "registration_deadline"):
            self.fields[name].help_text = self.fields[name].help_text % {"zone": zone}
        edition_field = self.fields["edition"]
        assert isinstance(edition_field, forms.ModelChoiceField)
        edition_field.queryset = Edition.objects.filter(
            program__organization=organization
        ).select_related("program")
        partnerships = Partnership.objects.filter(
            Q(organization=organization) | Q(partner=organization),
            status=PartnershipStatus.ACTIVE,
        ).select_related("organization", "partner")
        partnership_field = self.fields["partnership"]
        assert isinstance(partnership_field, forms.ModelChoiceField)
        partnership_field.queryset = partnerships
        partner_ids = {
            p.partner_id if p.organization_id == organization.pk else p.organization_id
            for p in partnerships
        }
        co_hosts = self.fields["co_hosts"]
        assert isinstance(co_hosts, forms.ModelMultipleChoiceField)
        co_hosts.queryset = Organization.objects.filter(pk__in=partner_ids)
        if self.instance.pk:
            co_hosts.initial = list(self.instance.co_hosts.values_list("pk", flat=True))


class RegisterPersonForm(forms.Form):
    """A coordinator registers someone by email address (an existing account)."""

    email = forms.EmailField(label=_("Email address of the person"))

    def clean_email(self) -> User:
        email: str = self.cleaned_data["email"]
        person = User.objects.filter(email__iexact=email, is_active=True).first()
        if person is None:
            raise forms.ValidationError(_("No account has this email address."))
        return person


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was this event?"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
        help_text=_("1: not at all, 5: very."),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea
    )


class ContactForm(forms.Form):
    met = forms.ModelChoiceField(label=_("Person met"), queryset=User.objects.none())

    def __init__(self, *args: Any, people: "Any", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["met"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people


class IntroductionForm(forms.Form):
    note = forms.CharField(
        label=_("Why would you like to be introduced again?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CheckInForm(forms.Form):
    """What the door page sends: a QR code's token or a registration id, and the id the
    page gave this check-in (its retries send the same)."""

    token = forms.CharField(required=False, max_length=500)
    registration = forms.IntegerField(required=False, min_value=1)
