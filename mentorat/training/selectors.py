"""Reads of training modules, assignments and progress.

Interfaces other apps rely on (their signatures stay; the training work fills them in):
``trained_user_ids`` for the matching rule, ``completions_of`` for recognition."""

from dataclasses import dataclass
from datetime import datetime

from mentorat.programs.models import Edition


@dataclass(frozen=True)
class CompletedModule:
    """One module a person completed (quiz passed), as recognition shows and certifies it."""

    module_id: int
    title: str
    organization_id: int | None
    language: str
    completed_at: datetime


def trained_user_ids(edition: Edition, user_ids: set[int]) -> set[int]:
    """Among `user_ids`, the people who completed every module `edition` requires of them
    before matching (everyone when it requires none)."""
    return set(user_ids)


def completions_of(user_id: int) -> list[CompletedModule]:
    """Modules `user_id` completed, oldest first."""
    return []
