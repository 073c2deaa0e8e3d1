"""The 14 domains of France Travail's ROME classification of occupations."""

from django.utils.translation import gettext_lazy as _

ROME_DOMAINS = [
    ("A", _("Agriculture and fishing, natural areas, animal care")),
    ("B", _("Arts and crafts")),
    ("C", _("Banking, insurance, real estate")),
    ("D", _("Trade, sales and retail")),
    ("E", _("Communication, media and multimedia")),
    ("F", _("Construction, building and public works")),
    ("G", _("Hospitality, catering, tourism, leisure and entertainment")),
    ("H", _("Industry")),
    ("I", _("Installation and maintenance")),
    ("J", _("Health")),
    ("K", _("Personal and community services")),
    ("L", _("Performing arts")),
    ("M", _("Business support functions")),
    ("N", _("Transport and logistics")),
]
ROME_DOMAIN_CHOICES = [("", _("Not specified")), *ROME_DOMAINS]
