from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mentorat.legal.models import LegalPageVersion
from mentorat.legal.services import publish_legal_page


@admin.register(LegalPageVersion)
class LegalPageVersionAdmin(admin.ModelAdmin[LegalPageVersion]):
    """Platform admins edit a legal page by publishing a new version of it."""

    list_display = ("kind", "version", "shown_title", "published_at", "published_by")
    list_filter = ("kind",)
    fields = ("kind", "title_fr", "title_en", "body_fr", "body_en")

    @admin.display(description=_("title"))
    def shown_title(self, obj: LegalPageVersion) -> str:
        """The title in the reader's language (the form shows both)."""
        return obj.title

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Published versions are a record of what people accepted; they stay read-only.
        return obj is None and super().has_change_permission(request, obj)

    def save_model(
        self, request: HttpRequest, obj: LegalPageVersion, form: ModelForm[Any], change: bool
    ) -> None:
        page = publish_legal_page(
            kind=obj.kind,
            title_fr=obj.title_fr,
            title_en=obj.title_en,
            body_fr=obj.body_fr,
            body_en=obj.body_en,
            published_by=request.user if request.user.is_authenticated else None,
        )
        obj.pk = page.pk
        obj.version = page.version
