from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorat.applications.imports.parsing import MAX_FILE_BYTES, MAX_ROWS
from mentorat.organizations.models import Organization
from mentorat.programs.models import Edition, ParticipantRole


class EditionChoiceField(forms.ModelChoiceField[Edition]):
    def label_from_instance(self, obj: Edition) -> str:
        return obj.name


class UploadForm(forms.Form):
    edition = EditionChoiceField(
        label=_("Edition"), queryset=Edition.objects.none(), empty_label=None
    )
    organization = forms.ModelChoiceField(
        label=_("Organisation of these people"),
        queryset=Organization.objects.none(),
        empty_label=None,
        help_text=_("For the rows whose “organisation” column is empty or missing."),
    )
    default_role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("Given on each row (column “role”)")), *ParticipantRole.choices],
        help_text=_("For the rows without a role."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV or Excel (.xlsx), at most %(size)s MB and %(rows)s rows.")
        % {"size": MAX_FILE_BYTES // (1024 * 1024), "rows": f"{MAX_ROWS:,}".replace(",", " ")},
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,.txt,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(
        self,
        *args: Any,
        editions: list[Edition],
        organizations: list[Organization],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        edition_field = self.fields["edition"]
        organization_field = self.fields["organization"]
        assert isinstance(edition_field, forms.ModelChoiceField)
        assert isinstance(organization_field, forms.ModelChoiceField)
        edition_field.queryset = Edition.objects.filter(pk__in=[e.pk for e in editions])
        organization_field.queryset = Organization.objects.filter(
            pk__in=[o.pk for o in organizations]
        ).order_by("name")

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB: split it into several files.")
                % {"size": MAX_FILE_BYTES // (1024 * 1024)}
            )
        content: bytes = upload.read()
        return content

    def file_name(self) -> str:
        upload = self.files.get("file")
        return str(getattr(upload, "name", "") or "")


class ConfirmForm(forms.Form):
    sha256 = forms.CharField(max_length=64, min_length=64, widget=forms.HiddenInput)
