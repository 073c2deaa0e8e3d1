"""The one domain error of the platform, and a collector of input problems."""

from collections.abc import Mapping, Sequence


class DomainError(Exception):
    """A business rule refused an action. `message` is translated and safe to show.

    When the refusal is about input fields, `field_errors` maps each field name to its
    messages (every problem found, not only the first), and `message` joins them all:
    forms show each message on its field (`mentorat.lib.views.form_errors`), flash
    messages and the API show `message`."""

    def __init__(self, message: str, *, field_errors: Mapping[str, Sequence[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.field_errors: dict[str, list[str]] = {
            name: list(messages) for name, messages in (field_errors or {}).items()
        }


class Problems:
    """Collects every problem of an input, each with the field it is about, so a
    check reports them all at once (`raise_if_any`) instead of stopping at the first."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        """Note `message` (translated, naming the field) against `field`."""
        self.by_field.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        """Raise one `DomainError` carrying every problem added, if there is any."""
        if self.by_field:
            message = " ".join(m for messages in self.by_field.values() for m in messages)
            raise DomainError(message, field_errors=self.by_field)
