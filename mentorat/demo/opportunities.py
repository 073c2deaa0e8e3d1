"""Demo opportunities (skeleton: filled in by the issue's work). Idempotent."""


def seed() -> None:
    """Create the demo's opportunities; running it twice changes nothing."""
