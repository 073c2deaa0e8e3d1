from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mentorat.accounts.models import User
from mentorat.accounts.permission_labels import TranslatedPermissionsMixin, register_group_admin

# What "delete" means for a person, on the confirmation page and in the admin's log.
ERASED_NOTE = _(
    "Deleting a person erases them (GDPR Art. 17): their personal data is removed or "
    "replaced, their account is closed and stays as a pseudonymous record, so that "
    "pairs, outcomes and program figures keep their numbers."
)


register_group_admin()


@admin.register(User)
class UserAdmin(TranslatedPermissionsMixin, BaseUserAdmin[User]):
    """People. Deleting one erases them through `erase_person`, like a confirmed
    erasure request: nothing is refused because of the pairs they were in."""

    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_staff", "last_login")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "language", "time_zone")}),
        (_("Privacy"), {"fields": ("privacy_notice_version", "privacy_notice_accepted_at")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ("privacy_notice_version", "privacy_notice_accepted_at")

    def get_deleted_objects(
        self, objs: Sequence[User] | QuerySet[User], request: HttpRequest
    ) -> tuple[list[Any], dict[str, int], set[str], list[Any]]:
        """The confirmation page lists the people and what erasing does; nothing is
        protected, since the rows that point at them stay."""
        people = [str(person) for person in objs]
        return [*people, str(ERASED_NOTE)], {}, set(), []

    def log_deletions(self, request: HttpRequest, queryset: Iterable[User]) -> list[LogEntry]:
        """Log the erasure under the pseudonymous name the account keeps, never the name
        it had (`erase_person` also writes the audit entry)."""
        content_type = ContentType.objects.get_for_model(User)
        assert request.user.pk is not None  # the admin is signed in
        return [
            LogEntry.objects.create(
                user_id=request.user.pk,
                content_type=content_type,
                object_id=str(person.pk),
                object_repr=f"erased-{person.pk}",
                action_flag=CHANGE,
                change_message=gettext("Erased (GDPR Art. 17)."),
            )
            for person in queryset
        ]

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        """Erase the person instead of deleting the row."""
        _erase(request, [obj])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Erase each selected person instead of deleting the rows."""
        _erase(request, list(queryset))


def _erase(request: HttpRequest, people: list[User]) -> None:
    # Imported here: accounts sits below the privacy app, which reads every app's data.
    from mentorat.privacy.erasure.services import erase_person

    actor = request.user if isinstance(request.user, User) else None
    with transaction.atomic():  # all the people selected, or none
        for person in people:
            erase_person(person=person, actor=actor, reason="admin")
    messages.info(request, str(ERASED_NOTE))
