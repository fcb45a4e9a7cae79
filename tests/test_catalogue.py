"""The French catalogue cannot drift: every message the code and templates use is in it, with a
translation that is not fuzzy or empty, keeps its placeholders, and follows French typography
(as GC Notify's CI does). The .po file is the source of truth; nothing else holds translations."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "tracker" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "_l": None,
    "lazy_gettext": None,
    "lazy_pgettext": ((1, "c"), 2),
    "N_": ((1, "c"), 2),
    "column": None,
    "said": None,  # sentences stored to be read later (importers/said.py)
    "said_plural": (1, 2),
    # Looked up once for a page, filled in on each row (tracker/catalogue.py).
    "sentence": None,
    "plural": (1, 2),
}
METHODS = [
    ("tracker/**.py", "python"),
    ("importers/**.py", "python"),
    ("templates/**.html", "jinja2"),
]
NBSP, NNBSP = "\u00a0", "\u202f"
PLACEHOLDER = re.compile(r"%\([a-zA-Z_0-9]+\)[sd]|%%")


def extracted() -> set[tuple[str | None, str]]:
    found = set()
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT),
        METHODS,
        keywords=KEYWORDS,
        options_map={"templates/**.html": {}},
        # Babel skips folders named "_*" unless told otherwise: templates/_macros holds text too.
        directory_filter=lambda path: not Path(path).name.startswith("."),
    ):
        del filename, lineno, comments
        singular = message[0] if isinstance(message, tuple) else message
        if singular:
            found.add((context, singular))
    return found


@pytest.fixture(scope="module")
def catalogue() -> Catalog:
    with PO.open("rb") as handle:
        return read_po(handle)


def translations(message: Message) -> list[str]:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return list(strings)


def in_catalogue(catalogue: Catalog) -> dict[tuple[str | None, str], Message]:
    return {(m.context, m.id[0] if isinstance(m.id, tuple) else m.id): m for m in catalogue if m.id}


def test_every_message_of_the_code_and_templates_has_a_french_translation(
    catalogue: Catalog,
) -> None:
    known = in_catalogue(catalogue)
    missing = sorted(str(key) for key in extracted() - set(known))
    assert missing == [], f"not in messages.po (run make messages, then translate): {missing}"


def test_no_translation_is_fuzzy_or_empty(catalogue: Catalog) -> None:
    bad = [
        m.id for m in catalogue if m.id and (m.fuzzy or not all(s.strip() for s in translations(m)))
    ]
    assert bad == []


def test_every_translation_keeps_the_placeholders_of_its_message(catalogue: Catalog) -> None:
    wrong = []
    for m in catalogue:
        if not m.id:
            continue
        sources = m.id if isinstance(m.id, tuple) else (m.id,)
        wanted = set(PLACEHOLDER.findall(" ".join(sources))) - {"%%"}
        forms = translations(m)
        for number, text in enumerate(forms):
            used = set(PLACEHOLDER.findall(text)) - {"%%"}
            # The singular of a plural may leave out the count ("Add this recipient").
            if not used <= wanted or (number == len(forms) - 1 and used != wanted):
                wrong.append(m.id)
            if "%" in text.replace("%%", "") and not PLACEHOLDER.search(text.replace("%%", "")):
                wrong.append(m.id)  # a bare % breaks Python formatting
    assert wrong == []


def typography_problems(text: str) -> list[str]:
    """French typography: a non-breaking space before : ; ? ! and inside « »."""
    found = []
    for match in re.finditer(r"[:;?!]", text):
        position = match.start()
        after = text[position + 1 : position + 2]
        before = text[position - 1 : position] if position else ""
        if match.group() == ":" and after and not after.isspace():
            continue  # a URL, a time, a placeholder's format: not punctuation
        if before not in (NBSP, NNBSP, ""):
            found.append(f"no non-breaking space before {match.group()!r} in {text!r}")
    for match in re.finditer("«", text):
        if text[match.end() : match.end() + 1] not in (NBSP, NNBSP):
            found.append(f"no non-breaking space after « in {text!r}")
    for match in re.finditer("»", text):
        if text[match.start() - 1 : match.start()] not in (NBSP, NNBSP):
            found.append(f"no non-breaking space before » in {text!r}")
    return found


def test_french_typography_non_breaking_spaces_before_high_punctuation_and_in_guillemets(
    catalogue: Catalog,
) -> None:
    problems = [
        p for m in catalogue if m.id for s in translations(m) for p in typography_problems(s)
    ]
    assert problems == []


def test_the_typography_check_catches_what_it_should() -> None:
    assert typography_problems("Objet : lettre")  # a plain space before the colon
    assert typography_problems("« lettre »")
    assert typography_problems("Vraiment?") == ["no non-breaking space before '?' in 'Vraiment?'"]
    assert typography_problems(f"Objet{NBSP}: «{NBSP}lettre{NBSP}» https://exemple.ca") == []


JINJA = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.S)
MARKUP = re.compile(r"<[^>]*>", re.S)
# The letter itself is in the recipient's language, not the reader's (formats/letters.py).
LETTER_TEMPLATES = {"letters/_letter.html", "letters/email.html"}
NOT_WORDS = {"Hilltrack", "lt", "gt", "nbsp"}


def text_outside_translation(template: Path) -> list[str]:
    source = MARKUP.sub(" ", JINJA.sub(" ", template.read_text(encoding="utf-8")))
    words = re.findall(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'\u2019-]+", source)
    return [word for word in words if word not in NOT_WORDS]


def test_no_template_shows_text_outside_a_translation_call() -> None:
    folder = ROOT / "templates"
    found = {
        str(path.relative_to(folder)): words
        for path in sorted(folder.rglob("*.html"))
        if str(path.relative_to(folder)) not in LETTER_TEMPLATES
        and (words := text_outside_translation(path))
    }
    assert found == {}


# The audit trail lists stored codes (field: value) for those who keep the system, not sentences.
CODE_TEMPLATES = {"admin/audit.html"}
ENTITY = re.compile(r"&#?\w+;")


def punctuation_outside_translation(template: Path) -> list[str]:
    """High punctuation written in a template around messages ("{{ label }}: {{ value }}"): in
    French it needs the no-break space the message would give it, so it belongs in the message."""
    source = template.read_text(encoding="utf-8")
    text = ENTITY.sub(" ", MARKUP.sub(" ", JINJA.sub(" ", source)))
    return [f"{match.group()!r}" for match in re.finditer(r"[:;!?]", text)]


def test_no_template_puts_high_punctuation_outside_a_message() -> None:
    folder = ROOT / "templates"
    found = {
        name: marks
        for path in sorted(folder.rglob("*.html"))
        if (name := str(path.relative_to(folder))) not in LETTER_TEMPLATES | CODE_TEMPLATES
        and (marks := punctuation_outside_translation(path))
    }
    assert found == {}


def test_the_punctuation_check_catches_what_it_should(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<h1>{{ _('Import') }}: <span title=\"a: b\">{{ x }}</span> &lt;</h1>")
    assert punctuation_outside_translation(page) == ["':'"]


def placeholders_in_markup(text: str) -> list[str]:
    """The placeholders of a sentence that sit inside a tag, other than as a quoted attribute
    value. Jinja's _() takes a template's sentence as markup and escapes only the values, so
    in "From %(name)s <%(address)s>" an address like "img/src=//x/@x" becomes an <img>."""
    found = []
    for match in PLACEHOLDER.finditer(text):
        before, after = text[: match.start()], text[match.end() :]
        if before.rfind("<") <= before.rfind(">"):
            continue  # between tags: escaped text
        if before.endswith('="') and after.startswith('"'):
            continue  # a quoted attribute value: escaped, quotes included
        found.append(f"{match.group()} in {text!r}")
    return found


def template_messages() -> set[str]:
    found = set()
    for _name, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "templates"),
        [("**.html", "jinja2")],
        keywords=KEYWORDS,
        directory_filter=lambda path: not Path(path).name.startswith("."),
    ):
        found.update(message if isinstance(message, tuple) else (message,))
    return {m for m in found if m}


def test_no_sentence_of_a_template_puts_a_value_inside_a_tag(catalogue: Catalog) -> None:
    known = {m.id[0] if isinstance(m.id, tuple) else m.id: m for m in catalogue if m.id}
    used = template_messages()
    problems = [p for text in sorted(used) for p in placeholders_in_markup(text)]
    problems += [
        p
        for text in sorted(used)
        if text in known
        for french in translations(known[text])
        for p in placeholders_in_markup(french)
    ]
    assert problems == []


def test_the_markup_check_catches_what_it_should() -> None:
    assert placeholders_in_markup("From %(name)s <%(address)s>") == [
        "%(address)s in 'From %(name)s <%(address)s>'"
    ]
    assert placeholders_in_markup("<a href=%(url)s>x</a>")
    assert placeholders_in_markup('<a title="%(a)s %(b)s">x</a>')
    assert placeholders_in_markup('<strong>%(num)d</strong> <a href="%(url)s">go</a>') == []
