from django.contrib import admin

from mentorat.organizations.models import Invitation, Membership, Organization, Partnership


class MembershipInline(admin.TabularInline[Membership, Organization]):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    list_display = ("name", "kind", "city", "region")
    list_filter = ("kind", "region")
    search_fields = ("name", "city")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (MembershipInline,)


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin[Partnership]):
    list_display = ("organization", "partner", "kind", "started_on", "ended_on")
    list_filter = ("kind",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ("email", "organization", "role", "created_at", "expires_at", "accepted_at")
    list_filter = ("role", "organization")
    search_fields = ("email",)
