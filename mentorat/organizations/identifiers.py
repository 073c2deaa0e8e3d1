"""French identifiers of organisations, checked as pure functions (no database).

- SIRET (companies, associations, training bodies): 14 digits, the SIREN (9) and the
  establishment number (5), with a Luhn check digit. La Poste's establishments (SIREN
  356000000) are numbered past what the Luhn key allows: for them INSEE's rule is that
  the sum of the 14 digits is a multiple of 5.
- UAI (schools, from the national register of education establishments): 7 digits and
  a check letter, the letter of rank `number mod 23` in "ABCDEFGHJKLMNPRSTUVWXYZ".

Each `check_*` returns the normalised value or raises `ValueError` with a translated
message that names the field."""

from django.utils.translation import gettext as _

LA_POSTE_SIREN = "356000000"
UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def _compact(value: str) -> str:
    return "".join(value.split()).replace(".", "").replace("-", "").upper()


def luhn_valid(digits: str) -> bool:
    """Whether a string of digits passes the Luhn check (every second digit from the
    right doubled, 9 taken off above 9, the total a multiple of 10)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        n = int(char)
        if position % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def siret_valid(siret: str) -> bool:
    if len(siret) != 14 or not siret.isdigit():
        return False
    if luhn_valid(siret):
        return True
    return siret.startswith(LA_POSTE_SIREN) and sum(int(c) for c in siret) % 5 == 0


def check_siret(value: str) -> str:
    """The SIRET without spaces, or ValueError saying what is wrong."""
    siret = _compact(value)
    if len(siret) != 14 or not siret.isdigit():
        raise ValueError(_("SIRET: enter the 14 digits of the establishment's number."))
    if not siret_valid(siret):
        raise ValueError(
            _("SIRET: this number does not exist (its check digit is wrong); check it.")
        )
    return siret


def uai_letter(number: str) -> str:
    """The check letter of the 7 digits of a UAI."""
    return UAI_LETTERS[int(number) % 23]


def check_uai(value: str) -> str:
    """The UAI in capitals without spaces, or ValueError saying what is wrong."""
    uai = _compact(value)
    if len(uai) != 8 or not uai[:7].isdigit() or not uai[7].isalpha():
        raise ValueError(_("UAI: enter 7 digits followed by a letter, such as 0750655E."))
    if uai[7] != uai_letter(uai[:7]):
        raise ValueError(
            _("UAI: this number does not exist (its check letter is wrong); check it.")
        )
    return uai
