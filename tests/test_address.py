"""Forms of address: the September 2023 letter's 15 recipients, and the rules by kind."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from importers.names import fold
from tracker.models import RoleKind
from tracker.rules.address import Addressee, address_line, salutation

LETTER = Path(__file__).parent / "fixtures" / "demo" / "letter-2023-09-07-recipients.csv"
HONORIFICS = {"The Right Honourable": "Right Hon.", "The Honourable": "Hon."}
KINDS = {
    "committee_chair": RoleKind.COMMITTEE_CHAIR,
    "committee_vice_chair": RoleKind.COMMITTEE_VICE_CHAIR,
}
PRIME_MINISTER = "Prime Minister of Canada"


def letter_rows() -> list[dict[str, str]]:
    with LETTER.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def addressee_from(row: dict[str, str]) -> Addressee:
    kind = KINDS.get(row["kind"]) or RoleKind(row["kind"])
    if row["title_as_addressed"] == PRIME_MINISTER:
        kind = RoleKind.PRIME_MINISTER
    return Addressee(
        given_name=row["given_name"],
        family_name=row["family_name"],
        honorific=HONORIFICS.get(row["honorific"]),
        courtesy_title="Mr." if row["honorific"] == "His Excellency" else None,
        kind=kind,
        title=row["title_as_addressed"],
        organisation=row["organisation"],
        is_mp=kind not in {RoleKind.DIPLOMAT, RoleKind.PUBLIC_SERVANT},
    )


@pytest.mark.parametrize("row", letter_rows(), ids=lambda r: f"{r['order']}-{r['family_name']}")
def test_generated_lines_match_the_2023_letter_without_post_nominals(row: dict[str, str]) -> None:
    generated = address_line(addressee_from(row), post_nominals=False)
    if row["family_name"] == "Bergeron":
        # The letter dropped the accent from Stéphane; everything else is the same.
        assert fold(generated) == fold(row["addressed_as"])
        assert generated.startswith("Stéphane Bergeron, Vice-Chair")
    else:
        assert generated == row["addressed_as"]


EXPECTED_SALUTATIONS = {
    "Trudeau": ("Dear Prime Minister", "Bonjour"),
    "Freeland": ("Dear Minister Freeland", "Bonjour"),
    "Joly": ("Dear Minister Joly", "Bonjour"),
    "Rae": ("Dear Ambassador", "Excellence"),
    "Ehsassi": ("Dear Ali Ehsassi", "Bonjour"),
    "Corbin": ("Dear Louise Corbin", "Bonjour"),
}


@pytest.mark.parametrize("family", EXPECTED_SALUTATIONS)
def test_salutations_for_the_letter_use_roles_and_never_guess_gender(family: str) -> None:
    row = next(r for r in letter_rows() if r["family_name"] == family)
    english, french = EXPECTED_SALUTATIONS[family]
    assert salutation(addressee_from(row)) == english
    assert salutation(addressee_from(row), "fr") == french


JOLY = Addressee(
    "Mélanie", "Joly", "Hon.", "Ms.", RoleKind.MINISTER, "Minister of Foreign Affairs", is_mp=True
)
EHSASSI = Addressee(
    "Ali",
    "Ehsassi",
    None,
    "Mr.",
    RoleKind.COMMITTEE_CHAIR,
    "Chair of the Standing Committee on Foreign Affairs and International Development",
    is_mp=True,
)
TRUDEAU = Addressee(
    "Justin",
    "Trudeau",
    "Right Hon.",
    "Mr.",
    RoleKind.PRIME_MINISTER,
    "Prime Minister of Canada",
    is_mp=True,
)
FORMER_MINISTER_BACKBENCH = Addressee(
    "Rob", "Oliphant", "Hon.", None, RoleKind.MP, None, is_mp=True
)
SENATOR = Addressee("Ratna", "Omidvar", None, "Ms.", RoleKind.SENATOR, "Senator")
AMBASSADOR = Addressee(
    "Jane", "Doe", None, "Ms.", RoleKind.DIPLOMAT, "Ambassador of Canada to Armenia"
)
DEPUTY_MINISTER = Addressee(
    "Sam",
    "Roe",
    None,
    None,
    RoleKind.PUBLIC_SERVANT,
    "Deputy Minister of Foreign Affairs",
    "Global Affairs Canada",
)


@pytest.mark.parametrize(
    ("who", "line", "english", "french_line", "french"),
    [
        (
            TRUDEAU,
            "The Right Honourable Justin Trudeau, P.C., M.P., Prime Minister of Canada",
            "Dear Prime Minister",
            "Le très honorable Justin Trudeau, C.P., député, premier ministre du Canada",
            "Monsieur le Premier Ministre",
        ),
        (
            JOLY,
            "The Honourable Mélanie Joly, P.C., M.P., Minister of Foreign Affairs",
            "Dear Minister Joly",
            "L'honorable Mélanie Joly, C.P., députée, Minister of Foreign Affairs",
            "Madame la Ministre",
        ),
        (
            EHSASSI,
            "Mr. Ali Ehsassi, M.P., Chair of the Standing Committee on Foreign Affairs "
            "and International Development",
            "Dear Mr. Ehsassi",
            "M. Ali Ehsassi, député, président du Comité permanent des affaires étrangères et "
            "du développement international",
            "Monsieur le Député",
        ),
        (
            FORMER_MINISTER_BACKBENCH,
            "The Honourable Rob Oliphant, P.C., M.P.",
            "Dear Rob Oliphant",
            "L'honorable Rob Oliphant, C.P., député",
            "Bonjour",
        ),
        (
            SENATOR,
            "The Honourable Ratna Omidvar, Senator",
            "Dear Senator Omidvar",
            "L'honorable Ratna Omidvar, Senator",
            "Madame la Sénatrice",
        ),
        (
            AMBASSADOR,
            "Her Excellency Jane Doe, Ambassador of Canada to Armenia",
            "Dear Ambassador",
            "Son Excellence Jane Doe, Ambassador of Canada to Armenia",
            "Excellence",
        ),
        (
            DEPUTY_MINISTER,
            "Sam Roe, Deputy Minister of Foreign Affairs, Global Affairs Canada",
            "Dear Deputy Minister",
            "Sam Roe, Deputy Minister of Foreign Affairs, Global Affairs Canada",
            "Bonjour",
        ),
    ],
)
def test_forms_of_address_by_kind_in_english_and_french(
    who: Addressee, line: str, english: str, french_line: str, french: str
) -> None:
    assert address_line(who) == line
    assert salutation(who) == english
    assert address_line(who, "fr") == french_line
    assert salutation(who, "fr") == french


def test_honourable_is_never_used_with_the_surname_alone() -> None:
    for who in (JOLY, TRUDEAU, FORMER_MINISTER_BACKBENCH, SENATOR):
        assert "Honourable " + who.family_name not in address_line(who)
        assert "Honourable" not in salutation(who)


def test_a_french_address_line_uses_the_french_title_the_feed_gives() -> None:
    from tracker.rules.address import Addressee, address_line

    anand = Addressee(
        "Anita",
        "Anand",
        honorific="Hon.",
        courtesy_title="Ms.",
        kind=RoleKind.MINISTER,
        title="Minister of Foreign Affairs",
        title_fr="Ministre des Affaires étrangères",
        is_mp=True,
    )
    assert address_line(anand, "fr") == (
        "L'honorable Anita Anand, C.P., députée, ministre des Affaires étrangères"
    )
    untranslated = Addressee("Anita", "Anand", kind=RoleKind.MINISTER, title="Minister of X")
    assert address_line(untranslated, "fr").endswith(", Minister of X")  # never machine-translated


# The French titles the ministries' French export gives for the letter's ministers (the House's
# own wording); the other titles come from rules (the Prime Minister, standing committees) or
# stay in English, as no French source gives them.
FEED_FRENCH_TITLES = {
    "Freeland": "Vice-première ministre et ministre des Finances",
    "Joly": "Ministre des Affaires étrangères",
    "Ng": "Ministre du Commerce international, de la Promotion des exportations, de la Petite "
    "Entreprise et du Développement économique",
    "Sajjan": "Ministre du Développement international et ministre responsable de l'Agence de "
    "développement économique du Pacifique Canada",
}
FAAE = "du Comité permanent des affaires étrangères et du développement international"
FRENCH_LINES = {
    "Trudeau": "Le très honorable Justin Trudeau, C.P., député, premier ministre du Canada",
    "Freeland": "L'honorable Chrystia Freeland, C.P., député, vice-première ministre et "
    "ministre des Finances",
    "Joly": "L'honorable Mélanie Joly, C.P., député, ministre des Affaires étrangères",
    "Rae": "Son Excellence Robert Rae, Permanent Representative of Canada to the United Nations",
    "Ehsassi": f"Ali Ehsassi, député, président {FAAE}",
    "Genuis": f"Garnett Genuis, député, vice-président {FAAE}",
    "Bergeron": f"Stéphane Bergeron, député, vice-président {FAAE}",
    "Oliphant": "L'honorable Rob Oliphant, C.P., député, Parliamentary Secretary to the "
    "Minister of Foreign Affairs",
    "Sarai": "Randeep Sarai, député, président du Comité permanent de la justice et des droits "
    "de la personne",
    "Sidhu": "Maninder Sidhu, député, Parliamentary Secretary to the Minister of Foreign Affairs",
    "Ng": "L'honorable Mary Ng, C.P., député, ministre du Commerce international, de la "
    "Promotion des exportations, de la Petite Entreprise et du Développement économique",
    "Sajjan": "L'honorable Harjit S. Sajjan, C.P., député, ministre du Développement "
    "international et ministre responsable de l'Agence de développement économique du "
    "Pacifique Canada",
    "Virani": "Arif Virani, député, Parliamentary Secretary to the Minister of International "
    "Trade, Export Promotion, Small Business and Economic Development",
    "Vandenbeld": "Anita Vandenbeld, député, Parliamentary Secretary to the Minister of "
    "International Development",
    "Corbin": "Louise Corbin, Deputy Director Eastern Europe and Eurasia Division (ECE), "
    "Global Affairs Canada",
}


@pytest.mark.parametrize("row", letter_rows(), ids=lambda r: f"{r['order']}-{r['family_name']}")
def test_the_letters_15_recipients_in_french_never_guess_and_never_machine_translate(
    row: dict[str, str],
) -> None:
    """In French: the article and "député" without a stated courtesy title take the usual
    generic form (the feminine only from a stated one); a title is French where a source or
    the House's own names give it, English otherwise."""
    from dataclasses import replace

    who = replace(addressee_from(row), title_fr=FEED_FRENCH_TITLES.get(row["family_name"]))
    assert address_line(who, "fr") == FRENCH_LINES[row["family_name"]]


def test_feminine_french_forms_come_only_from_a_stated_courtesy_title() -> None:
    from dataclasses import replace

    row = next(r for r in letter_rows() if r["family_name"] == "Ehsassi")
    stated = replace(addressee_from(row), given_name="Ana", courtesy_title="Ms.")
    assert address_line(stated, "fr").startswith("Mme Ana Ehsassi, députée, présidente du Comité")
    assert salutation(stated, "fr") == "Madame la Députée"
    prime = replace(TRUDEAU, courtesy_title="Ms.")
    assert address_line(prime, "fr").startswith("La très honorable")
    assert address_line(prime, "fr").endswith("première ministre du Canada")
