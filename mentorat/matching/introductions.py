"""Who the introduction email of a published pair reaches.

The introduction task sends to these addresses and the publication's confirmation page
counts them, so the number of emails announced before publishing is the number sent."""

from mentorat.accounts.models import User


def introduction_recipients(*, mentor: User, mentee: User) -> dict[str, tuple[User, str]]:
    """Address → (person, role: "mentor" or "mentee") of the introduction of this pair:
    each side once, an address shared by both sides (compared without case, as the
    delivery ledger does) once, an empty address never."""
    recipients: dict[str, tuple[User, str]] = {}
    seen: set[str] = set()
    for person, role in ((mentor, "mentor"), (mentee, "mentee")):
        address = person.email or ""
        if address and address.lower() not in seen:
            seen.add(address.lower())
            recipients[address] = (person, role)
    return recipients
