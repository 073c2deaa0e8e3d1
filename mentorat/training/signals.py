"""Signals other apps listen to (recognition issues a badge when a module is completed)."""

from django.dispatch import Signal

#: Sent once when a person completes a module (passes its quiz, or reads a module without
#: quiz to the end). Keyword arguments: ``user_id``, ``module_id``, ``completed_at``.
module_completed = Signal()
