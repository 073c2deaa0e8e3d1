"""Demo events (skeleton: filled in by the issue's work). Idempotent."""


def seed() -> None:
    """Create the demo's events; running it twice changes nothing."""
