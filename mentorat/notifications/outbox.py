"""Sending emails from background tasks through the delivery ledger (`EmailDelivery`), so
that a task run again after a crash or a retry sends nothing twice. Occasions keyed by
an object (an import batch, a call for mentors) also absorb a second enqueue of their
task; occasions keyed by the task (`task_key`) do not: a second enqueue is a new task,
hence a new occasion.

A task lists its recipients; `send_each` writes one pending row per recipient (a unique
constraint makes this idempotent), then claims the pending rows one at a time and sends
each email with `send_templated_email` (through the task's own `send` function).

What is guaranteed, and what cannot be:

- A row is claimed under a row lock (``SELECT … FOR UPDATE SKIP LOCKED``) held while its
  email goes out, and marked *sent* in the same transaction, committed as soon as the
  mail server has accepted the message. Two tasks working on the same rows (a retry
  clicked while the first run is still going, two workers) never send the same row.
- A worker killed before the server accepted the message leaves nothing: its
  transaction rolls back, the row is pending again, and the resumed task sends it
  (`mentorat.worker.recovery` queues email tasks again). Every other recipient is sent
  exactly once.
- A worker killed in the instant after the server accepted the message and before the
  commit (the server's answer to QUIT and one UPDATE: milliseconds on a healthy link)
  also rolls back, and that one message is sent a second time. Exactly once is
  impossible over SMTP: the server's acceptance and our commit cannot be one atomic
  step. So a crash may cause at most one duplicate: the message in flight.
- We chose that over marking rows *sending* before the SMTP exchange and asking a
  person to decide about those found *sending* after a crash: that trades a rare
  duplicate for a message that is certainly missing or duplicated until a coordinator
  notices and resolves it, at every crash.

A send that raises (refused recipient, server down, `EMAIL_TIMEOUT` reached, template
error) marks the row *failed* with the error (an email whose recipient turned its kind off,
`emails.NotWanted`, is marked *skipped*), and the other recipients are still sent;
after `STOP_AFTER_FAILURES` failures in a row the server is taken to be down and the
rest wait (pending) for a retry instead of each waiting `EMAIL_TIMEOUT`. Failures end
the task with `EmailsNotSent`, so its result shows it; coordinators see the counts and
a retry button for the emails of their imports and recruitment calls
(`mentorat.notifications.services.retry_deliveries`)."""

import smtplib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from mentorat.notifications.emails import NotWanted, send_templated_email
from mentorat.notifications.models import DeliveryStatus, EmailDelivery

# Consecutive failures after which the mail server is taken to be down.
STOP_AFTER_FAILURES = 3

T = TypeVar("T")


class EmailsNotSent(Exception):
    """Some emails of this run failed; the ledger records which and why."""


@dataclass(frozen=True)
class Outcome:
    """What one call of `send_each` did."""

    sent: int
    failed: int
    skipped: int
    stopped: bool  # gave up after STOP_AFTER_FAILURES failures in a row


def task_key(context: Any) -> str:
    """The occasion of an email sent once per task (a task context's result id): stays
    the same when a task is queued again after its worker died."""
    return str(context.task_result.id)


def send_each(
    *,
    purpose: str,
    key: str | int,
    recipients: Mapping[str, T],
    send: Callable[[str, T], None],
) -> Outcome:
    """Send `send(address, item)` once for each `address → item` of `recipients`, for
    the occasion (`purpose`, `key`), unless the ledger says it was sent already.

    Meant for tasks, outside any transaction, so that each email's outcome commits on
    its own as soon as it is known. Pending rows of this occasion whose recipient is no
    longer in `recipients` are marked skipped. Raises `EmailsNotSent` after the loop if
    any email failed."""
    key = str(key)
    wanted = {address.lower(): (address, item) for address, item in recipients.items()}
    EmailDelivery.objects.bulk_create(
        [EmailDelivery(purpose=purpose, key=key, recipient=address) for address in wanted],
        ignore_conflicts=True,
        batch_size=1000,
    )
    pending = EmailDelivery.objects.filter(
        purpose=purpose, key=key, status=DeliveryStatus.PENDING
    ).order_by("pk")
    sent = failed = skipped = in_a_row = 0
    last_error: Exception | None = None
    while in_a_row < STOP_AFTER_FAILURES:
        with transaction.atomic():
            delivery = pending.select_for_update(skip_locked=True).first()
            if delivery is None:
                break
            found = wanted.get(delivery.recipient)
            if found is None:
                delivery.status = DeliveryStatus.SKIPPED
                delivery.save(update_fields=["status", "updated_at"])
                skipped += 1
                continue
            delivery.attempts += 1
            try:
                # A savepoint: a database error while rendering must not break the
                # transaction that records the outcome.
                with transaction.atomic():
                    send(*found)
            except NotWanted:
                # The recipient turned this kind of email off (notification preferences).
                delivery.status = DeliveryStatus.SKIPPED
                skipped += 1
            except Exception as error:
                delivery.status = DeliveryStatus.FAILED
                delivery.error = f"{type(error).__name__}: {error}"[:500]
                failed += 1
                in_a_row += 1
                last_error = error
            else:
                delivery.status = DeliveryStatus.SENT
                delivery.sent_at = timezone.now()
                delivery.error = ""
                sent += 1
                in_a_row = 0
            delivery.save(update_fields=["status", "attempts", "error", "sent_at", "updated_at"])
    stopped = in_a_row >= STOP_AFTER_FAILURES and pending.exists()
    if failed:
        raise EmailsNotSent(
            f"{failed} email(s) of {purpose} {key} could not be sent"
            + (", and the others wait: the mail server seems down" if stopped else "")
            + f"; last error: {last_error}"
        ) from last_error
    return Outcome(sent=sent, failed=failed, skipped=skipped, stopped=stopped)


@contextmanager
def mail_connection() -> Iterator[BaseEmailBackend]:
    """One connection to the mail server for a task that sends many emails (a cohort
    message): no new SMTP session per email. A send that fails should call `close()` on
    it (`send_each` callers do, through `reopening`), so that the next email opens a
    fresh session instead of reusing a broken one."""
    connection = get_connection()
    try:
        yield connection
    finally:
        connection.close()


def reopening(connection: BaseEmailBackend, send: Callable[..., None]) -> Callable[..., None]:
    """`send`, closing `connection` when it raises (the next email reconnects). A
    session the server ended (idle timeout, a cap on messages per session) is opened
    again once for the same email: the server had not accepted it."""

    def wrapped(*args: Any) -> None:
        try:
            send(*args)
        except smtplib.SMTPServerDisconnected:
            connection.close()
            send(*args)
        except Exception:
            connection.close()
            raise

    return wrapped


def send_once(*, purpose: str, key: str | int, to: str, send: Callable[[], None]) -> Outcome:
    """`send_each` for a single email to `to`."""
    return send_each(purpose=purpose, key=key, recipients={to: None}, send=lambda *_: send())


def send_templated_once(
    *,
    purpose: str,
    key: str | int,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str = "fr",
) -> Outcome:
    """`send_once` of the template triplet `template` (`send_templated_email`) to `to`."""
    return send_once(
        purpose=purpose,
        key=key,
        to=to,
        send=lambda: send_templated_email(
            to=[to], template=template, context=context, language=language
        ),
    )
