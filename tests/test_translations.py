"""The French catalogue is complete and typographically French, and pages show no text of
the other language.

CI runs this file with the suite (`make test`), and `make lint` checks the catalogue with
gettext's own tools: a fuzzy or empty translation fails both."""

import ast
import gettext
import html
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
NNBSP = "\u202f"  # narrow no-break space, French typography before : ; ! ? and inside « »


@dataclass
class Entry:
    """One message of a PO file."""

    line: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def is_header(self) -> bool:
        """The header entry (empty msgid) carries the catalogue's metadata."""
        return self.msgid == "" and self.msgctxt is None

    @property
    def translations(self) -> list[str]:
        """The translated forms (one, or one per plural form)."""
        return [self.msgstr[i] for i in sorted(self.msgstr)]


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def _read_comment(entry: Entry, line: str) -> None:
    if line.startswith("#~"):
        entry.obsolete = True
    elif line.startswith("#,"):
        entry.flags.update(flag.strip() for flag in line[2:].split(","))


def _append(entry: Entry, target: tuple[str, int], value: str) -> None:
    if target[0] == "msgstr":
        entry.msgstr[target[1]] += value
    else:
        setattr(entry, target[0], (getattr(entry, target[0]) or "") + value)


def parse_po(path: Path) -> list[Entry]:
    """A tiny PO parser (polib is not a dependency): entries with their flags, context,
    plural forms and the line where they start."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] = ("", 0)
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            current = None
            continue
        if current is None:
            current = Entry(line=number)
            entries.append(current)
        if line.startswith("#"):
            _read_comment(current, line)
        elif match := _KEYWORD.match(line):
            keyword, index, literal = match.groups()
            target = ("msgstr", int(index or 0)) if keyword.startswith("msgstr") else (keyword, 0)
            if target[0] == "msgstr":
                current.msgstr[target[1]] = ""
            else:
                setattr(current, keyword, "")
            _append(current, target, ast.literal_eval(literal))
        elif line.startswith('"'):
            _append(current, target, ast.literal_eval(line))
        else:
            raise AssertionError(f"{path.name}:{number}: unreadable line {raw!r}")
    return [e for e in entries if not e.obsolete and (e.msgid or e.msgstr)]


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    return parse_po(CATALOGUE)


def _where(entry: Entry) -> str:
    return f"django.po:{entry.line} {entry.msgid[:60]!r}"


def test_no_fuzzy_translation(catalogue):
    fuzzy = [_where(e) for e in catalogue if "fuzzy" in e.flags]
    assert not fuzzy, "fuzzy entries (check the translation, then remove the flag):\n" + "\n".join(
        fuzzy
    )


def test_every_message_is_translated(catalogue):
    empty = [
        _where(e)
        for e in catalogue
        if not e.is_header and (not e.translations or any(not t.strip() for t in e.translations))
    ]
    assert not empty, "untranslated entries:\n" + "\n".join(empty)


def test_plural_messages_have_both_french_forms(catalogue):
    broken = [_where(e) for e in catalogue if e.msgid_plural is not None and len(e.msgstr) != 2]
    assert not broken, "\n".join(broken)


# Placeholders, URLs and times are not prose: `%(name)s`, `{name}`, `https://…`, `10:30`.
_NOT_PROSE = re.compile(r"%\([^)]*\)[sdif]|\{[^}]*\}|[a-z]+://\S*|\d+:\d+")
# A mark of high punctuation preceded by a space other than the narrow no-break space, or by
# nothing at all (a letter, a closing bracket or quote) and followed by a space or the end.
_BAD_SPACE_BEFORE = re.compile(r"[ \u00a0\t]+[:;!?]")
_NO_SPACE_BEFORE = re.compile(r"[^\s\u202f\u00a0\d/][:;!?](?=\s|$|<)")
_BAD_GUILLEMETS = re.compile(r"«(?!\u202f)|(?<!\u202f)»")


def french_typography_problems(text: str) -> list[str]:
    """What breaks French typography in `text` (empty when nothing does)."""
    prose = _NOT_PROSE.sub("", text)
    problems = []
    for match in _BAD_SPACE_BEFORE.finditer(prose):
        problems.append(f"a space other than U+202F before {match.group().strip()!r}")
    for match in _NO_SPACE_BEFORE.finditer(prose):
        problems.append(f"no narrow no-break space before {match.group()[-1]!r}")
    if _BAD_GUILLEMETS.search(prose):
        problems.append("« » without narrow no-break spaces inside")
    return problems


def test_the_typography_checker_catches_the_usual_mistakes():
    assert french_typography_problems("Nom : Inès") != []
    assert french_typography_problems("Nom\u00a0: Inès") != []
    assert french_typography_problems("Nom: Inès") != []
    assert french_typography_problems("Vraiment ?") != []
    assert french_typography_problems("la colonne « rôle »") != []
    assert french_typography_problems(f"Nom{NNBSP}: Inès{NNBSP}; et alors{NNBSP}?") == []
    assert french_typography_problems(f"la colonne «{NNBSP}rôle{NNBSP}»") == []
    assert french_typography_problems("à 10:30, voir https://example.org?x=1") == []
    assert french_typography_problems("%(name)s: %(n)s") == []


def test_french_punctuation_uses_narrow_no_break_spaces(catalogue):
    problems = [
        f"{_where(e)}: {problem}"
        for e in catalogue
        if not e.is_header
        for text in e.translations
        for problem in french_typography_problems(text)
    ]
    assert not problems, "\n".join(problems)


_PARENTHESISED_PLURAL = re.compile(r"[^\W\d_]\((?:e?s|x)\)")


def test_plurals_are_written_with_ngettext_not_parentheses(catalogue):
    """ "2 binôme(s)" reads badly in both languages: `ngettext` or `blocktranslate count`."""
    found = [
        _where(e)
        for e in catalogue
        if not e.is_header
        for text in [e.msgid, e.msgid_plural or "", *e.translations]
        if _PARENTHESISED_PLURAL.search(text)
    ]
    assert not found, "\n".join(found)


def test_templates_write_no_parenthesised_plural():
    templates = [
        path
        for folder in (ROOT / "mentorat",)
        for pattern in ("*.html", "*.txt")
        for path in folder.rglob(pattern)
    ]
    assert templates
    found = [
        f"{path.relative_to(ROOT)}: {match.group()}"
        for path in templates
        for match in _PARENTHESISED_PLURAL.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, "\n".join(found)


_INCLUSIVE_OTHER_FORMS = re.compile(r"[^\W\d_]{3,}(?:\((?:e|ne|le|se|rice)\)|\.(?:e|es)\b|/e\b)")


def test_inclusive_writing_uses_the_middle_dot(catalogue):
    """One form of inclusive writing, as the existing translations: « mentoré·e »,
    never « mentoré(e) », « mentoré.e » or « mentoré/e »."""
    found = [
        f"{_where(e)}: {match.group()}"
        for e in catalogue
        for text in e.translations
        for match in _INCLUSIVE_OTHER_FORMS.finditer(_NOT_PROSE.sub("", text))
        if not match.group().lower().startswith(("www.", "http"))
    ]
    assert not found, "\n".join(found)


def test_the_compiled_catalogue_matches_the_po_file(catalogue):
    """`django.mo` was compiled from the current `django.po` (`make messages`)."""
    with COMPILED.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in catalogue:
        if entry.is_header:
            continue
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            if compiled._catalog.get(key) != entry.msgstr.get(0):  # type: ignore[attr-defined]
                stale.append(_where(entry))
        else:
            for index, text in entry.msgstr.items():
                if compiled._catalog.get((key, index)) != text:  # type: ignore[attr-defined]
                    stale.append(_where(entry))
    assert not stale, "run `make messages` (compilemessages):\n" + "\n".join(stale[:20])


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is not installed")
def test_msgfmt_accepts_the_catalogue():
    """gettext's own checks: placeholders of each translation match its msgid, the header
    is complete, plural forms are consistent."""
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr
    assert "untranslated" not in result.stderr, result.stderr


def test_the_catalogue_has_every_message_of_the_code(tmp_path):
    """`makemessages` run on a copy of the code finds no message the catalogue lacks (a
    new or changed msgid without its French translation fails here)."""
    if shutil.which("xgettext") is None:
        pytest.skip("gettext is not installed")
    shutil.copytree(
        ROOT / "mentorat", tmp_path / "mentorat", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    done = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-obsolete", "-v0"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    regenerated = parse_po(tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.po")
    missing = [
        _where(e)
        for e in regenerated
        if not e.is_header and ("fuzzy" in e.flags or not e.translations or not all(e.translations))
    ]
    assert not missing, (
        "messages of the code without a French translation (add them to django.po, then "
        "`make messages`):\n" + "\n".join(missing)
    )


# --- No text of the other language on a page ----------------------------------------


_SKIPPED_TAGS = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
_ATTRIBUTES = re.compile(r'\b(?:aria-label|title|placeholder|alt)="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")


def page_text(content: str) -> str:
    """What a reader sees or hears: the text and the labelling attributes, one space
    between words."""
    content = _SKIPPED_TAGS.sub(" ", content)
    attributes = " | ".join(_ATTRIBUTES.findall(content))
    text = _TAG.sub(" | ", content) + " | " + attributes
    return " ".join(html.unescape(text).split())


def _sentences(catalogue: list[Entry], side: str) -> list[str]:
    """Texts longer than 15 characters that must not be seen in the other language: the
    English msgids on French pages (side "en"), the French translations on English pages
    (side "fr"). Texts with placeholders or markup are left out (they never appear as
    they are)."""
    texts = set()
    for entry in catalogue:
        if entry.is_header or entry.msgid_plural is not None:
            continue
        english, french = entry.msgid, entry.msgstr.get(0, "")
        if english == french:
            continue
        text = english if side == "en" else french
        if len(text) <= 15 or re.search(r"[%{<>\n]", text):
            continue
        texts.add(" ".join(text.split()))
    return sorted(texts)


def _key_pages(cast) -> list[tuple[object, str]]:
    """(user, URL) of the home and account pages of each role, and the admin pages of the
    platform admin (index, every list and every add form)."""
    pages: list[tuple[object, str]] = []
    for user in (cast.admin_a, cast.coordinator_a, cast.mentor, cast.mentee, cast.platform_admin):
        pages += [(user, reverse("web:home")), (user, reverse("web:account"))]
    pages.append((cast.platform_admin, reverse("admin:index")))
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        pages.append((cast.platform_admin, reverse("admin:{}_{}_changelist".format(*info))))
        if model_admin.has_add_permission(_FakeRequest(cast.platform_admin)):
            pages.append((cast.platform_admin, reverse("admin:{}_{}_add".format(*info))))
    return pages


@dataclass
class _FakeRequest:
    user: object


def _leaks(client_for, cast, catalogue, language: str) -> list[str]:
    other = "en" if language == "fr" else "fr"
    sentences = _sentences(catalogue, other)
    leaks = []
    for user, url in _key_pages(cast):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        if response.status_code != 200:
            leaks.append(f"{url}: status {response.status_code}")
            continue
        text = page_text(response.content.decode())
        leaks += [f"{url}: {sentence!r}" for sentence in sentences if sentence in text]
    return leaks


@pytest.mark.django_db
def test_french_pages_show_no_english_text_of_the_catalogue(client_for, cast, catalogue):
    leaks = _leaks(client_for, cast, catalogue, "fr")
    assert not leaks, "\n".join(leaks)


@pytest.mark.django_db
def test_english_pages_show_no_french_text_of_the_catalogue(client_for, cast, catalogue):
    leaks = _leaks(client_for, cast, catalogue, "en")
    assert not leaks, "\n".join(leaks)
