"""The columns an import file may have, how their headers are recognised, and the
normalisation used to compare headers and values whatever their case and accents.

Headers are matched on the column code (`first_name`), its label in each interface
language (the downloadable template uses the current language) and a few synonyms that
schools' and companies' exports commonly use ("Prénom", "Courriel", "Date de naissance")."""

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Kind(StrEnum):
    TEXT = "text"
    EMAIL = "email"
    DATE = "date"
    NUMBER = "number"
    YES_NO = "yes_no"
    CHOICE = "choice"
    CHOICES = "choices"
    NAMES = "names"


@dataclass(frozen=True)
class Column:
    code: str
    label: Promise
    kind: Kind
    help: Promise
    example: str
    synonyms: tuple[str, ...] = ()
    required: bool = False
    max_length: int = 150


COLUMNS: tuple[Column, ...] = (
    Column(
        "email",
        _("Email address"),
        Kind.EMAIL,
        _("Required. Identifies the person: importing the same address again updates them."),
        "jeanne.martin@example.org",
        ("e-mail", "mail", "courriel", "adresse mail", "adresse e-mail", "adresse électronique"),
        required=True,
        max_length=254,
    ),
    Column(
        "first_name",
        _("First name"),
        Kind.TEXT,
        _("Required for people new to your organisation."),
        "Jeanne",
        ("prénom", "prenom", "firstname", "given name"),
    ),
    Column(
        "last_name",
        _("Last name"),
        Kind.TEXT,
        _("Required for people new to your organisation."),
        "Martin",
        ("nom", "nom de famille", "lastname", "surname", "family name"),
    ),
    Column(
        "role",
        _("Role"),
        Kind.CHOICE,
        _("Mentor or mentee. May be left out if you choose a role for the whole file."),
        "mentee",
        ("rôle", "type de participant"),
    ),
    Column(
        "status",
        _("Application status"),
        Kind.CHOICE,
        _(
            "Submitted, waiting list or accepted. Empty: submitted for new applications, "
            "unchanged for the others. Accepted people join the organisation."
        ),
        "accepted",
        ("statut", "statut de la candidature", "état"),
    ),
    Column(
        "organization",
        _("Organisation"),
        Kind.TEXT,
        _(
            "Name or short name of the program's organisation or of a partner it is shared "
            "with. Empty: the organisation chosen when uploading."
        ),
        "",
        ("organisation", "structure", "établissement", "entreprise", "organization name"),
        max_length=200,
    ),
    Column(
        "language",
        _("Language of emails"),
        Kind.CHOICE,
        _("French or English (fr, en)."),
        "fr",
        ("langue", "language", "langue des e-mails", "langue des emails"),
    ),
    Column(
        "birth_date",
        _("Date of birth"),
        Kind.DATE,
        _("Day/month/year (14/03/2006) or year-month-day (2006-03-14)."),
        "14/03/2006",
        ("date de naissance", "naissance", "birthdate", "date of birth", "dob"),
    ),
    Column(
        "gender",
        _("Gender"),
        Kind.CHOICE,
        _("Woman, man, non-binary (or F, H, M)."),
        "woman",
        ("genre", "sexe", "sex", "civilité"),
    ),
    Column(
        "field",
        _("Field of study or sector"),
        Kind.TEXT,
        _("Free text."),
        "Informatique",
        ("filière", "domaine d'études", "secteur", "formation", "discipline"),
    ),
    Column(
        "occupation",
        _("Current occupation"),
        Kind.TEXT,
        _("Free text."),
        "Étudiante en licence",
        ("métier", "poste", "profession", "emploi", "fonction"),
    ),
    Column(
        "target_occupation",
        _("Target occupation"),
        Kind.TEXT,
        _("Free text."),
        "Développeuse web",
        ("métier visé", "projet professionnel", "emploi visé"),
    ),
    Column(
        "rome_domain",
        _("Occupation domain (ROME)"),
        Kind.CHOICE,
        _("Letter A to N of France Travail's ROME classification, or the domain's name."),
        "M",
        ("domaine rome", "rome", "domaine professionnel", "domaine métier"),
    ),
    Column(
        "region",
        _("Region"),
        Kind.CHOICE,
        _("Name or code of a French region (Île-de-France or IDF)."),
        "Île-de-France",
        ("région",),
    ),
    Column(
        "years_of_experience",
        _("Years of professional experience"),
        Kind.NUMBER,
        _("Whole number from 0 to 70."),
        "0",
        ("années d'expérience", "expérience", "experience", "years of experience"),
    ),
    Column(
        "goals",
        _("Goals"),
        Kind.CHOICES,
        _("One or more, separated by semicolons: first job, internship, career change…"),
        "first_job; network",
        ("objectifs", "objectif"),
    ),
    Column(
        "languages",
        _("Languages spoken"),
        Kind.CHOICES,
        _("One or more, separated by semicolons (French; English or fr; en)."),
        "fr; en",
        ("langues", "langues parlées"),
    ),
    Column(
        "remote_ok",
        _("Remote meetings are fine"),
        Kind.YES_NO,
        _("Yes or no."),
        "yes",
        ("à distance", "distanciel", "visio", "remote"),
    ),
    Column(
        "priority_groups",
        _("Priority groups"),
        Kind.CHOICES,
        _("One or more, separated by semicolons: scholarship holder, jobseeker…"),
        "scholarship_holder",
        ("publics prioritaires", "public prioritaire"),
    ),
    Column(
        "skills_offered",
        _("Skills offered"),
        Kind.NAMES,
        _("Skill names separated by semicolons; new names are added to the vocabulary."),
        "",
        ("compétences offertes", "compétences proposées"),
    ),
    Column(
        "skills_wanted",
        _("Skills wanted"),
        Kind.NAMES,
        _("Skill names separated by semicolons; new names are added to the vocabulary."),
        "Gestion de projet; Prise de parole",
        ("compétences recherchées", "compétences souhaitées"),
    ),
)
BY_CODE = {column.code: column for column in COLUMNS}


def text_key(value: str) -> str:
    """Case-insensitive key that keeps accents: "Mentoré·e" → "mentorée"."""
    value = unicodedata.normalize("NFC", value).casefold().replace("·", "").replace("•", "")
    value = re.sub(r"[()\[\].]", "", value)
    return " ".join(value.split())


def loose_key(value: str) -> str:
    """Key without case, accents, spaces or punctuation: "Date de naissance" →
    "datedenaissance", "e-mail" → "email"."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def header_keys(column: Column) -> set[str]:
    keys = {loose_key(column.code), *(loose_key(s) for s in column.synonyms)}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            keys.add(loose_key(str(column.label)))
    return keys


def header_index() -> dict[str, Column]:
    """Recognised header key → column, in every interface language."""
    index: dict[str, Column] = {}
    for column in COLUMNS:
        for key in header_keys(column):
            index.setdefault(key, column)
    return index


def template_header(column: Column) -> str:
    """The header written in the downloadable template, in the current language."""
    return str(column.label)
