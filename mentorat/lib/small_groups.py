"""The small-group rule shared by every figure about people (reports, partnership
commitments): a count of 1 to 4 people could single someone out, so it is shown hidden."""

# Below this many people a figure could single someone out, so it is hidden.
MIN_GROUP = 5
HIDDEN = "< 5"


def is_small(count: int) -> bool:
    """Whether `count` people are too few to show (0 is shown: it singles nobody out)."""
    return 0 < count < MIN_GROUP
