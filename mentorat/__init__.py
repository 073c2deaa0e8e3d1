"""Mentorat: a platform for professional mentoring programs."""
