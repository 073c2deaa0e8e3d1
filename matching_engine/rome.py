"""France Travail's 14 ROME domains and a keyword map from common fields and occupations.

The one list of domains: the Django app reads its labels from here (``mentorat.reference.rome``).
"""

from __future__ import annotations

import functools
import unicodedata

#: Domain letter -> (French label, English label).
DOMAINS: dict[str, tuple[str, str]] = {
    "A": (
        "Agriculture et pêche, espaces naturels et espaces verts, soins aux animaux",
        "Agriculture and fishing, natural areas, animal care",
    ),
    "B": ("Arts et façonnage d'ouvrages d'art", "Arts and crafts"),
    "C": ("Banque, assurance, immobilier", "Banking, insurance, real estate"),
    "D": ("Commerce, vente et grande distribution", "Trade, sales and retail"),
    "E": ("Communication, média et multimédia", "Communication, media and multimedia"),
    "F": ("Construction, bâtiment et travaux publics", "Construction, building and public works"),
    "G": (
        "Hôtellerie-restauration, tourisme, loisirs et animation",
        "Hospitality, catering, tourism, leisure and entertainment",
    ),
    "H": ("Industrie", "Industry"),
    "I": ("Installation et maintenance", "Installation and maintenance"),
    "J": ("Santé", "Health"),
    "K": ("Services à la personne et à la collectivité", "Personal and community services"),
    "L": ("Spectacle", "Performing arts"),
    "M": ("Support à l'entreprise", "Business support functions"),
    "N": ("Transport et logistique", "Transport and logistics"),
}

DOMAIN_LETTERS: tuple[str, ...] = tuple(DOMAINS)

# Keywords (accent-free, lower case) found in a field or occupation -> domain letter.
# Longest keyword wins, so "informatique de gestion" and "gestion" can differ.
_KEYWORDS: dict[str, str] = {
    "agricul": "A",
    "agronom": "A",
    "paysag": "A",
    "espaces verts": "A",
    "peche": "A",
    "elevage": "A",
    "veterinaire": "A",
    "viticult": "A",
    "horticult": "A",
    "forest": "A",
    "artisan": "B",
    "ebeniste": "B",
    "joaill": "B",
    "ceramique": "B",
    "luth": "B",
    "banque": "C",
    "bancaire": "C",
    "assurance": "C",
    "immobilier": "C",
    "credit": "C",
    "conseiller financier": "C",
    "actuari": "C",
    "commerce": "D",
    "vente": "D",
    "vendeu": "D",
    "commercial": "D",
    "distribution": "D",
    "magasin": "D",
    "e-commerce": "D",
    "achat": "D",
    "communication": "E",
    "journalis": "E",
    "media": "E",
    "multimedia": "E",
    "graphis": "E",
    "design": "E",
    "publicite": "E",
    "marketing": "E",
    "edition": "E",
    "batiment": "F",
    "btp": "F",
    "construction": "F",
    "travaux publics": "F",
    "architect": "F",
    "genie civil": "F",
    "maconn": "F",
    "urbanis": "F",
    "hotel": "G",
    "restauration": "G",
    "cuisin": "G",
    "tourisme": "G",
    "animation": "G",
    "sport": "G",
    "loisirs": "G",
    "evenementiel": "G",
    "industrie": "H",
    "production": "H",
    "chimie": "H",
    "mecanique": "H",
    "qualite": "H",
    "aeronautique": "H",
    "automobile": "H",
    "energie": "H",
    "ingenieur": "H",
    "maintenance": "I",
    "electricien": "I",
    "electrotechni": "I",
    "plomb": "I",
    "climatisation": "I",
    "installation": "I",
    "reseaux": "I",
    "sante": "J",
    "medecin": "J",
    "infirmi": "J",
    "pharmac": "J",
    "soins": "J",
    "kinesitherap": "J",
    "paramedical": "J",
    "aide-soignant": "J",
    "social": "K",
    "education": "K",
    "enseign": "K",
    "formation": "K",
    "securite": "K",
    "service public": "K",
    "petite enfance": "K",
    "droit": "K",
    "juridique": "K",
    "fonction publique": "K",
    "nettoyage": "K",
    "aide a domicile": "K",
    "spectacle": "L",
    "theatre": "L",
    "musique": "L",
    "musicien": "L",
    "cinema": "L",
    "audiovisuel": "L",
    "danse": "L",
    "informatique": "M",
    "numerique": "M",
    "developpeu": "M",
    "data": "M",
    "gestion": "M",
    "comptab": "M",
    "ressources humaines": "M",
    "rh": "M",
    "finance": "M",
    "administratif": "M",
    "secretariat": "M",
    "conseil": "M",
    "audit": "M",
    "management": "M",
    "cybersecurite": "M",
    "logiciel": "M",
    "web": "M",
    "transport": "N",
    "logistique": "N",
    "supply chain": "N",
    "chauffeur": "N",
    "cariste": "N",
    "aerien": "N",
    "maritime": "N",
    "entrepot": "N",
}


@functools.lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """Lower-case, accent-free, single-spaced form used to compare free text (cached: the
    same skills, places and goals come back on every row of a file)."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.lower().replace("_", " ").split())


@functools.lru_cache(maxsize=1 << 14)
def domain_of(text: str) -> str | None:
    """Return the ROME domain letter for a field/occupation text, or None if unknown.

    Accepts a bare letter ("M"), a ROME code ("M1805") or free text ("Informatique").
    """
    stripped = text.strip()
    if not stripped:
        return None
    upper = stripped.upper()
    if upper in DOMAINS:
        return upper
    if len(upper) == 5 and upper[0] in DOMAINS and upper[1:].isdigit():
        return upper[0]
    norm = normalise(stripped)
    words = set(norm.replace("-", " ").replace("/", " ").split())
    best: tuple[int, str] | None = None
    for keyword, letter in _KEYWORDS.items():
        found = keyword in words if len(keyword) <= 3 else keyword in norm
        if found and (best is None or len(keyword) > best[0]):
            best = (len(keyword), letter)
    return None if best is None else best[1]


def domain_label(letter: str, lang: str = "fr") -> str:
    """Label of a domain letter in French (default) or English."""
    fr, en = DOMAINS[letter]
    return en if lang == "en" else fr
