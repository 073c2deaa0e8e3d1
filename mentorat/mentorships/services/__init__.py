"""Writes for pairs, one module per subdomain: `pairs` (creation, workspace, closure,
outcomes), `meetings`, `check_ins` and `followup` (the periodic jobs).

Issue 5 (matching publication) calls `create_mentorship` and, for "not a good fit"
answers, `end_mentorship(reason=EndReason.NOT_A_FIT)`."""

from mentorat.mentorships.services.pairs import create_mentorship, end_mentorship

__all__ = ["create_mentorship", "end_mentorship"]
