"""Demo training (skeleton: filled in by the issue's work). Idempotent."""


def seed() -> None:
    """Create the demo's training; running it twice changes nothing."""
