"""Permissions named in the reader's language in the admin.

Django stores a permission's name in English when it creates it ("Can add anonymised
application"), so the admin's permission pickers showed English on French pages. They are
labelled here from the permission's content type (translated) and action instead."""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group, Permission
from django.db.models import ManyToManyField
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "add": _("Can add"),
    "change": _("Can change"),
    "delete": _("Can delete"),
    "view": _("Can view"),
}


def permission_label(permission: Permission) -> str:
    """ "<app> | <model> | <action>" in the active language; a permission that is not one
    of the four default ones keeps its own name, translated when the catalogue has it."""
    action, _sep, model_name = permission.codename.partition("_")
    if action in ACTIONS and model_name == permission.content_type.model:
        return f"{permission.content_type} | {ACTIONS[action]}"
    return f"{permission.content_type} | {gettext(permission.name)}"


class TranslatedPermissionsMixin:
    """For a model admin with permission pickers (`permissions`, `user_permissions`)."""

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField[Any] | None:
        """The usual field, its choices labelled by `permission_label`."""
        parent: Any = super()
        field: forms.ModelMultipleChoiceField[Any] | None = parent.formfield_for_manytomany(
            db_field, request, **kwargs
        )
        if field is not None and db_field.related_model is Permission:
            label: Any = permission_label
            field.label_from_instance = label  # type: ignore[method-assign]
        return field


class TranslatedGroupAdmin(TranslatedPermissionsMixin, GroupAdmin):
    """Groups, with permissions named in the reader's language."""


def register_group_admin() -> None:
    """Replace Django's group admin by one with translated permission labels."""
    if admin.site.is_registered(Group):
        admin.site.unregister(Group)
    admin.site.register(Group, TranslatedGroupAdmin)
