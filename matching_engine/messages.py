"""Small FR/EN message catalogue for user-facing errors and reasons (no gettext needed)."""

from __future__ import annotations

import os

CATALOGUE: dict[str, tuple[str, str]] = {
    # key: (French, English); str.format placeholders.
    "missing_id_column": (
        "colonne obligatoire «\u202fid\u202f» absente",
        "required column 'id' is missing",
    ),
    "missing_column": (
        "colonne obligatoire «\u202f{name}\u202f» absente",
        "required column '{name}' is missing",
    ),
    "empty_id": ("identifiant vide", "empty id"),
    "duplicate_id": (
        "identifiant «\u202f{value}\u202f» en double (déjà ligne {first})",
        "duplicate id '{value}' (first seen on line {first})",
    ),
    "bad_capacity": (
        "capacité «\u202f{value}\u202f» invalide\u202f: nombre entier ≥ 1 attendu",
        "invalid capacity '{value}': expected a whole number ≥ 1",
    ),
    "bad_number": ("«\u202f{value}\u202f» n'est pas un nombre", "'{value}' is not a number"),
    "bad_rank": (
        "rang «\u202f{value}\u202f» invalide\u202f: nombre entier ≥ 1 attendu",
        "invalid rank '{value}': expected a whole number ≥ 1",
    ),
    "bad_bool": ("«\u202f{value}\u202f»\u202f: oui/non attendu", "'{value}': expected yes/no"),
    "bad_slot": (
        "créneau «\u202f{value}\u202f» inconnu (ex. lun-matin, mer-soir)",
        "unknown time slot '{value}' (e.g. mon-morning, wed-evening)",
    ),
    "bad_gender": (
        "genre «\u202f{value}\u202f» inconnu (F, H, X)",
        "unknown gender '{value}' (F, M, X)",
    ),
    "unknown_mentee": ("mentoré·e «\u202f{value}\u202f» inconnu·e", "unknown mentee id '{value}'"),
    "unknown_mentor": ("mentor·e «\u202f{value}\u202f» inconnu·e", "unknown mentor id '{value}'"),
    "duplicate_pair": ("paire ({value}) en double", "duplicate pair ({value})"),
    "unreadable": ("fichier illisible\u202f: {value}", "unreadable file: {value}"),
    "not_utf8": (
        "encodage non reconnu (UTF-8 ou Windows-1252 attendu)",
        "unrecognised encoding (expected UTF-8 or Windows-1252)",
    ),
    "bad_config": ("configuration invalide\u202f: {value}", "invalid configuration: {value}"),
    "locked_over_capacity": (
        "binômes verrouillés au-delà de la capacité du mentor «\u202f{value}\u202f»",
        "locked pairs exceed the capacity of mentor '{value}'",
    ),
    "reserved_places_invalid": (
        "places réservées «\u202f{value}\u202f» au-delà de la capacité ({capacity})",
        "reserved places '{value}' exceed the capacity ({capacity})",
    ),
    "reserved_for_invalid": (
        "places réservées sans partenariat (colonne reserved_for vide)",
        "reserved places without a partnership (reserved_for is empty)",
    ),
    "locked_twice": (
        "mentoré·e «\u202f{value}\u202f» verrouillé·e deux fois",
        "mentee '{value}' is locked twice",
    ),
    "ragged_row": (
        "ligne avec {value} champs alors que l'en-tête en a {expected}",
        "row has {value} fields but the header has {expected}",
    ),
    "empty_file": ("fichier vide (en-tête absent)", "empty file (no header)"),
    "out_of_range": (
        "«\u202f{value}\u202f» hors limites\u202f: de {min} à {max} attendu",
        "'{value}' is out of range: expected {min} to {max}",
    ),
    "config_out_of_range": (
        "configuration invalide\u202f: {key} = {value} (nombre entier de {min} à {max} attendu)",
        "invalid configuration: {key} = {value} (expected a whole number from {min} to {max})",
    ),
    "output_is_folder": (
        "c'est un dossier\u202f: indiquez un nom de fichier",
        "this is a folder: give a file name",
    ),
    "output_folder_missing": (
        "le dossier «\u202f{value}\u202f» n'existe pas",
        "the folder '{value}' does not exist",
    ),
    "unwritable": ("écriture impossible\u202f: {value}", "cannot write the file: {value}"),
    # Unmatched reasons.
    "reason_full": (
        "tou·tes les mentors compatibles sont complet·ètes",
        "compatible mentors were all at capacity",
    ),
    "reason_no_mentor": ("aucun·e mentor disponible", "no mentor available"),
    "reason_place": (
        "aucun·e mentor compatible\u202f: aucun·e mentor en {region} et distanciel non accepté",
        "no compatible mentor: no mentor in {region} and remote not accepted",
    ),
    "reason_place_remote": (
        "aucun·e mentor compatible\u202f: aucun·e mentor en {region} ni en distanciel",
        "no compatible mentor: no mentor in {region} nor remote",
    ),
    "reason_language": (
        "aucun·e mentor compatible\u202f: aucun·e mentor accessible ne parle {languages}",
        "no compatible mentor: no reachable mentor speaks {languages}",
    ),
    "reason_different_organizations": (
        "aucun·e mentor compatible\u202f: seulement des mentors de la même organisation",
        "no compatible mentor: only mentors of the same organisation",
    ),
    "reason_same_organization": (
        "aucun·e mentor compatible\u202f: même organisation exigée",
        "no compatible mentor: same organisation required",
    ),
    "reason_mentor_more_experienced": (
        "aucun·e mentor compatible\u202f: mentor plus expérimenté·e exigé·e",
        "no compatible mentor: a more experienced mentor is required",
    ),
    "reason_gender_preference_hard": (
        "aucun·e mentor compatible\u202f: aucun·e mentor du genre demandé",
        "no compatible mentor: no mentor of the requested gender",
    ),
    "reason_safeguarding_for_minors": (
        "aucun·e mentor compatible\u202f: vérification d'honorabilité non enregistrée pour les "
        "mentors accessibles (obligatoire avec un·e mineur·e)",
        "no compatible mentor: no reachable mentor has a recorded safeguarding check "
        "(required with a minor)",
    ),
    "reason_required_training": (
        "aucun·e mentor compatible\u202f: formation obligatoire non suivie par les mentors "
        "accessibles",
        "no compatible mentor: required training not completed by the reachable mentors",
    ),
    "reason_reserved_places": (
        "aucun·e mentor compatible\u202f: les places des mentors accessibles sont réservées "
        "à un partenariat",
        "no compatible mentor: the reachable mentors' places are reserved for a partnership",
    ),
    "reason_reserved_full": (
        "les places encore libres des mentors compatibles sont réservées à un partenariat",
        "the compatible mentors' free places are reserved for a partnership",
    ),
    "reserved_place": (
        "Place réservée au partenariat {name}",
        "Place reserved for the partnership {name}",
    ),
    "reason_excluded": (
        "aucun·e mentor compatible\u202f: les candidat·es restant·es sont exclu·es "
        "(conflit d'intérêts, binôme déjà essayé ou exclusion)",
        "no compatible mentor: remaining candidates are excluded "
        "(conflict of interest, pair tried before or exclusion)",
    ),
    "reason_no_pairs": ("aucune paire acceptable fournie", "no acceptable pair was provided"),
    "reason_not_chosen": (
        "non retenu·e\u202f: l'optimum global a donné ces places à d'autres",
        "not chosen: the global optimum gave these places to others",
    ),
}


def detect_lang(explicit: str | None = None) -> str:
    """'fr' or 'en': explicit choice, else LC_ALL / LANG starting with 'fr', else English."""
    if explicit in ("fr", "en"):
        return explicit
    for var in ("LC_ALL", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def message(key: str, lang: str = "en", /, **params: object) -> str:
    """Render a catalogue message in 'fr' or 'en'."""
    fr, en = CATALOGUE[key]
    return (fr if lang == "fr" else en).format(**params)


def both(key: str, /, **params: object) -> tuple[str, str]:
    """Render a catalogue message in French and English."""
    fr, en = CATALOGUE[key]
    return fr.format(**params), en.format(**params)
