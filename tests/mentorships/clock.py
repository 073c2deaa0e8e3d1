"""Time travel for the daily follow-up: a pair that started on a Monday, and `run` to call
a follow-up step at a given moment with its emails sent."""

from datetime import UTC, date, datetime, timedelta

import time_machine
from django.test import TestCase

START = date(2026, 3, 2)  # a Monday
T0 = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # 08:00 in Paris, when the daily job runs


def at(days: int) -> datetime:
    return T0 + timedelta(days=days)


def run(fn, when):
    with time_machine.travel(when, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        return fn(now=when)
