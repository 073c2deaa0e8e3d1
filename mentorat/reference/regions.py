"""French administrative regions (2016 map), used for places of organisations and people."""

from django.utils.translation import gettext_lazy as _

REGIONS: list[tuple[str, str]] = [
    ("ARA", "Auvergne-Rhône-Alpes"),
    ("BFC", "Bourgogne-Franche-Comté"),
    ("BRE", "Bretagne"),
    ("CVL", "Centre-Val de Loire"),
    ("COR", "Corse"),
    ("GES", "Grand Est"),
    ("HDF", "Hauts-de-France"),
    ("IDF", "Île-de-France"),
    ("NOR", "Normandie"),
    ("NAQ", "Nouvelle-Aquitaine"),
    ("OCC", "Occitanie"),
    ("PDL", "Pays de la Loire"),
    ("PAC", "Provence-Alpes-Côte d'Azur"),
    ("GUA", "Guadeloupe"),
    ("MTQ", "Martinique"),
    ("GUF", "Guyane"),
    ("LRE", "La Réunion"),
    ("MAY", "Mayotte"),
]
REGION_CHOICES = [("", _("Not specified")), *REGIONS]
REGION_NAMES = dict(REGIONS)
