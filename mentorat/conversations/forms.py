"""Forms of conversations. They parse input; the rules (file limits, closed threads)
live in the services, whose errors the views put back on these fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorat.accounts.models import User
from mentorat.conversations.files import ALLOWED_LABEL, CONTENT_TYPES, MAX_FILE_BYTES, MAX_FILES
from mentorat.conversations.services import MAX_BODY, MAX_REASON


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; the service checks them (count, size, type)."""

    widget = MultipleFileInput

    def clean(self, data: object, initial: object = None) -> object:
        return data


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        required=False,
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Formatting: **bold**, *italics*, lists with -, links [text](https://…)."),
    )
    # The view passes request.FILES.getlist("attachments") to the service; the field is
    # here for its label, widget and errors.
    attachments = MultipleFileField(
        label=_("Files"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ",".join(f".{e}" for e in CONTENT_TYPES)}),
        help_text=_("Up to %(n)s files of %(mb)s MB at most: %(types)s.")
        % {"n": MAX_FILES, "mb": MAX_FILE_BYTES // (1024 * 1024), "types": ALLOWED_LABEL},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=MAX_REASON, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you reporting this message?"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The program's coordinators receive your report with the message quoted."),
    )


class AddCoordinatorForm(forms.Form):
    coordinator = forms.TypedChoiceField(label=_("Coordinator"), coerce=int)

    def __init__(self, *args: object, coordinators: list[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["coordinator"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(c.pk, c.display_name) for c in coordinators]


class HandleReportForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.TextInput(),
    )
