"""Demo recognition (skeleton: filled in by the issue's work). Idempotent."""


def seed() -> None:
    """Create the demo's recognition; running it twice changes nothing."""
