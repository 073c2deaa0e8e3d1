from django.contrib import admin

from mentorat.programs.models import (
    Charter,
    CustomQuestion,
    Edition,
    EligibilityRule,
    MatchingSettings,
    Objective,
    Program,
)


class EditionInline(admin.TabularInline[Edition, Program]):
    model = Edition
    extra = 0


class ObjectiveInline(admin.TabularInline[Objective, Program]):
    model = Objective
    extra = 0


class QuestionInline(admin.TabularInline[CustomQuestion, Program]):
    model = CustomQuestion
    extra = 0


class RuleInline(admin.TabularInline[EligibilityRule, Program]):
    model = EligibilityRule
    extra = 0


class MatchingSettingsInline(admin.StackedInline[MatchingSettings, Program]):
    model = MatchingSettings


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin[Program]):
    list_display = ("name", "organization", "kind", "is_published")
    list_filter = ("kind", "is_published")
    search_fields = ("name",)
    filter_horizontal = ("shared_with",)
    inlines = (MatchingSettingsInline, EditionInline, ObjectiveInline, RuleInline, QuestionInline)


@admin.register(Charter)
class CharterAdmin(admin.ModelAdmin[Charter]):
    list_display = ("program", "version", "published_at")
