"""Matching algorithms: pure functions over a Problem's arrays."""
