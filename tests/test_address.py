"""Forms of address: the September 2023 letter's 15 recipients, and the rules by kind."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from importers.names import fold
from tracker.models import AddressForm, FrenchOpening, Official, Role, RoleKind
from tracker.rules.address import (
    Addressee,
    address_line,
    addressee_for,
    missing_french,
    salutation,
)

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
    "Trudeau": ("Dear Prime Minister", "Madame, Monsieur"),
    "Freeland": ("Dear Minister Freeland", "Madame, Monsieur"),
    "Joly": ("Dear Minister Joly", "Madame, Monsieur"),
    "Rae": ("Dear Ambassador", "Monsieur l'Ambassadeur"),
    "Ehsassi": ("Dear Ali Ehsassi", "Madame, Monsieur"),
    "Corbin": ("Dear Louise Corbin", "Madame, Monsieur"),
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
            "L'honorable Mélanie Joly, C.P., députée",
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
            "Madame, Monsieur",
        ),
        (
            SENATOR,
            "The Honourable Ratna Omidvar, Senator",
            "Dear Senator Omidvar",
            "L'honorable Ratna Omidvar, sénatrice",
            "Madame la Sénatrice",
        ),
        (
            AMBASSADOR,
            "Her Excellency Jane Doe, Ambassador of Canada to Armenia",
            "Dear Ambassador",
            "Son Excellence Jane Doe",
            "Madame l'Ambassadrice",
        ),
        (
            DEPUTY_MINISTER,
            "Sam Roe, Deputy Minister of Foreign Affairs, Global Affairs Canada",
            "Dear Deputy Minister",
            "Sam Roe",
            "Madame, Monsieur",
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
    assert address_line(untranslated, "fr") == "Anita Anand"  # never English, never translated
    assert missing_french(untranslated) == ["Minister of X"]


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
    "Rae": "Son Excellence Robert Rae",
    "Ehsassi": f"Ali Ehsassi, député, président {FAAE}",
    "Genuis": f"Garnett Genuis, député, vice-président {FAAE}",
    "Bergeron": f"Stéphane Bergeron, député, vice-président {FAAE}",
    "Oliphant": "L'honorable Rob Oliphant, C.P., député",
    "Sarai": "Randeep Sarai, député, président du Comité permanent de la justice et des droits "
    "de la personne",
    "Sidhu": "Maninder Sidhu, député",
    "Ng": "L'honorable Mary Ng, C.P., député, ministre du Commerce international, de la "
    "Promotion des exportations, de la Petite Entreprise et du Développement économique",
    "Sajjan": "L'honorable Harjit S. Sajjan, C.P., député, ministre du Développement "
    "international et ministre responsable de l'Agence de développement économique du "
    "Pacifique Canada",
    "Virani": "Arif Virani, député",
    "Vandenbeld": "Anita Vandenbeld, député",
    "Corbin": "Louise Corbin",
}


@pytest.mark.parametrize("row", letter_rows(), ids=lambda r: f"{r['order']}-{r['family_name']}")
def test_the_letters_15_recipients_in_french_never_guess_and_never_machine_translate(
    row: dict[str, str],
) -> None:
    """In French: the article and "député" without a known form of address take the usual
    generic form; a title is French where a source or the House's own names give it, and left
    out otherwise (one language per address block)."""
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


# -- Every role kind, for a woman, a man and an unknown form of address -------------------------
# FORMS-OF-ADDRESS.md's tables. Each kind: the addressee (no form yet), then the salutations
# in English and French for Madame, Monsieur and not known (the campaign's neutral opening).

FAAE_EN = "the Standing Committee on Foreign Affairs and International Development"
ROLE_KINDS: dict[RoleKind, tuple[Addressee, tuple[str, str, str], tuple[str, str, str]]] = {
    RoleKind.PRIME_MINISTER: (
        Addressee(
            "Sam",
            "Roy",
            "Right Hon.",
            None,
            RoleKind.PRIME_MINISTER,
            "Prime Minister of Canada",
            is_mp=True,
        ),
        ("Dear Prime Minister", "Dear Prime Minister", "Dear Prime Minister"),
        ("Madame la Première Ministre", "Monsieur le Premier Ministre", "Madame, Monsieur"),
    ),
    RoleKind.MINISTER: (
        Addressee(
            "Sam",
            "Roy",
            "Hon.",
            None,
            RoleKind.MINISTER,
            "Minister of Finance",
            is_mp=True,
            title_fr="Ministre des Finances",
        ),
        ("Dear Minister Roy", "Dear Minister Roy", "Dear Minister Roy"),
        ("Madame la Ministre", "Monsieur le Ministre", "Madame, Monsieur"),
    ),
    RoleKind.SECRETARY_OF_STATE: (
        Addressee(
            "Sam",
            "Roy",
            "Hon.",
            None,
            RoleKind.SECRETARY_OF_STATE,
            "Secretary of State (Nature)",
            is_mp=True,
            title_fr="Secrétaire d\u2019État (Nature)",
        ),
        ("Dear Minister Roy", "Dear Minister Roy", "Dear Minister Roy"),
        ("Madame la Ministre", "Monsieur le Ministre", "Madame, Monsieur"),
    ),
    RoleKind.PARLIAMENTARY_SECRETARY: (
        Addressee(
            "Sam",
            "Roy",
            None,
            None,
            RoleKind.PARLIAMENTARY_SECRETARY,
            "Parliamentary Secretary to the Minister of Finance",
            is_mp=True,
            title_fr="Secrétaire parlementaire du ministre des Finances",
        ),
        ("Dear Ms. Roy", "Dear Mr. Roy", "Dear Sam Roy"),
        ("Madame la Députée", "Monsieur le Député", "Madame, Monsieur"),
    ),
    RoleKind.COMMITTEE_CHAIR: (
        Addressee(
            "Sam", "Roy", None, None, RoleKind.COMMITTEE_CHAIR, f"Chair of {FAAE_EN}", is_mp=True
        ),
        ("Dear Ms. Roy", "Dear Mr. Roy", "Dear Sam Roy"),
        ("Madame la Députée", "Monsieur le Député", "Madame, Monsieur"),
    ),
    RoleKind.COMMITTEE_VICE_CHAIR: (
        Addressee(
            "Sam",
            "Roy",
            None,
            None,
            RoleKind.COMMITTEE_VICE_CHAIR,
            f"Vice-Chair of {FAAE_EN}",
            is_mp=True,
        ),
        ("Dear Ms. Roy", "Dear Mr. Roy", "Dear Sam Roy"),
        ("Madame la Députée", "Monsieur le Député", "Madame, Monsieur"),
    ),
    RoleKind.COMMITTEE_MEMBER: (
        Addressee(
            "Sam", "Roy", None, None, RoleKind.COMMITTEE_MEMBER, f"Member of {FAAE_EN}", is_mp=True
        ),
        ("Dear Ms. Roy", "Dear Mr. Roy", "Dear Sam Roy"),
        ("Madame la Députée", "Monsieur le Député", "Madame, Monsieur"),
    ),
    RoleKind.MP: (
        Addressee(
            "Sam", "Roy", None, None, RoleKind.MP, "Member of Parliament for Willowdale", is_mp=True
        ),
        ("Dear Ms. Roy", "Dear Mr. Roy", "Dear Sam Roy"),
        ("Madame la Députée", "Monsieur le Député", "Madame, Monsieur"),
    ),
    RoleKind.HOUSE_OFFICER: (
        Addressee(
            "Sam", "Roy", None, None, RoleKind.HOUSE_OFFICER, "Chief Government Whip", is_mp=True
        ),
        ("Dear Ms. Roy", "Dear Mr. Roy", "Dear Sam Roy"),
        ("Madame la Députée", "Monsieur le Député", "Madame, Monsieur"),
    ),
    RoleKind.SENATOR: (
        Addressee("Sam", "Roy", None, None, RoleKind.SENATOR, "Senator"),
        ("Dear Senator Roy", "Dear Senator Roy", "Dear Senator Roy"),
        ("Madame la Sénatrice", "Monsieur le Sénateur", "Madame, Monsieur"),
    ),
    RoleKind.DIPLOMAT: (
        Addressee("Sam", "Roy", None, None, RoleKind.DIPLOMAT, "Ambassador of Canada to Armenia"),
        ("Dear Ambassador", "Dear Ambassador", "Dear Ambassador"),
        ("Madame l'Ambassadrice", "Monsieur l'Ambassadeur", "Excellence"),
    ),
    RoleKind.PUBLIC_SERVANT: (
        Addressee(
            "Sam",
            "Roy",
            None,
            None,
            RoleKind.PUBLIC_SERVANT,
            "Deputy Minister of Foreign Affairs",
            "Global Affairs Canada",
            title_fr="Sous-ministre des Affaires étrangères",
            organisation_fr="Affaires mondiales Canada",
        ),
        ("Dear Deputy Minister", "Dear Deputy Minister", "Dear Deputy Minister"),
        ("Madame la Sous-ministre", "Monsieur le Sous-ministre", "Madame, Monsieur"),
    ),
    RoleKind.OTHER: (
        Addressee(
            "Sam",
            "Roy",
            None,
            None,
            RoleKind.OTHER,
            "Deputy Director",
            title_fr="Directrice adjointe",
        ),
        ("Dear Ms. Roy", "Dear Mr. Roy", "Dear Sam Roy"),
        ("Madame", "Monsieur", "Madame, Monsieur"),
    ),
}
FORMS = (AddressForm.MADAME, AddressForm.MONSIEUR, None)


def test_the_table_covers_every_role_kind() -> None:
    assert set(ROLE_KINDS) == set(RoleKind)


@pytest.mark.parametrize("kind", list(ROLE_KINDS), ids=str)
@pytest.mark.parametrize("form", FORMS, ids=lambda f: str(f or "unknown"))
def test_salutations_in_both_languages_follow_the_role_and_the_form_of_address(
    kind: RoleKind, form: AddressForm | None
) -> None:
    who, english, french = ROLE_KINDS[kind]
    who = replace(who, form=form)
    assert salutation(who) == english[FORMS.index(form)]
    assert salutation(who, "fr") == french[FORMS.index(form)]


@pytest.mark.parametrize("kind", list(ROLE_KINDS), ids=str)
@pytest.mark.parametrize("form", [*FORMS, AddressForm.NEITHER], ids=lambda f: str(f or "unknown"))
def test_a_french_address_block_holds_no_english_title(
    kind: RoleKind, form: AddressForm | None
) -> None:
    who = replace(ROLE_KINDS[kind][0], form=form)
    line = address_line(who, "fr")
    assert who.title and who.title not in line
    assert "Honourable" not in line and "M.P." not in line and "P.C." not in line
    assert (who.organisation or "\0") not in line


def test_the_neutral_french_opening_is_the_campaigns_choice() -> None:
    who = ROLE_KINDS[RoleKind.MINISTER][0]
    assert salutation(who, "fr") == "Madame, Monsieur"
    assert salutation(who, "fr", FrenchOpening.BONJOUR) == "Bonjour"
    neither = replace(who, form=AddressForm.NEITHER)
    assert salutation(neither, "fr", FrenchOpening.BONJOUR) == "Bonjour"
    assert salutation(neither) == "Dear Minister Roy"
    assert address_line(replace(neither, honorific=None), "en").startswith("Sam Roy, M.P.")


FRENCH_ADDRESS_LINES = {
    # kind: (Madame, Monsieur, not known)
    RoleKind.PRIME_MINISTER: (
        "La très honorable Sam Roy, C.P., députée, première ministre du Canada",
        "Le très honorable Sam Roy, C.P., député, premier ministre du Canada",
        "Le très honorable Sam Roy, C.P., député, premier ministre du Canada",
    ),
    RoleKind.MINISTER: (
        "L'honorable Sam Roy, C.P., députée, ministre des Finances",
        "L'honorable Sam Roy, C.P., député, ministre des Finances",
        "L'honorable Sam Roy, C.P., député, ministre des Finances",
    ),
    RoleKind.SECRETARY_OF_STATE: (
        "L'honorable Sam Roy, C.P., députée, secrétaire d\u2019État (Nature)",
        "L'honorable Sam Roy, C.P., député, secrétaire d\u2019État (Nature)",
        "L'honorable Sam Roy, C.P., député, secrétaire d\u2019État (Nature)",
    ),
    RoleKind.PARLIAMENTARY_SECRETARY: (
        "Mme Sam Roy, députée, secrétaire parlementaire du ministre des Finances",
        "M. Sam Roy, député, secrétaire parlementaire du ministre des Finances",
        "Sam Roy, député, secrétaire parlementaire du ministre des Finances",
    ),
    RoleKind.COMMITTEE_CHAIR: (
        f"Mme Sam Roy, députée, présidente {FAAE}",
        f"M. Sam Roy, député, président {FAAE}",
        f"Sam Roy, député, président {FAAE}",
    ),
    RoleKind.COMMITTEE_VICE_CHAIR: (
        f"Mme Sam Roy, députée, vice-présidente {FAAE}",
        f"M. Sam Roy, député, vice-président {FAAE}",
        f"Sam Roy, député, vice-président {FAAE}",
    ),
    RoleKind.SENATOR: (
        "L'honorable Sam Roy, sénatrice",
        "L'honorable Sam Roy, sénateur",
        "L'honorable Sam Roy, sénateur",
    ),
    RoleKind.PUBLIC_SERVANT: (
        "Mme Sam Roy, sous-ministre des Affaires étrangères, Affaires mondiales Canada",
        "M. Sam Roy, sous-ministre des Affaires étrangères, Affaires mondiales Canada",
        "Sam Roy, sous-ministre des Affaires étrangères, Affaires mondiales Canada",
    ),
}


@pytest.mark.parametrize("kind", list(FRENCH_ADDRESS_LINES), ids=str)
@pytest.mark.parametrize("form", FORMS, ids=lambda f: str(f or "unknown"))
def test_french_address_lines_take_the_feminine_only_where_the_form_is_known(
    kind: RoleKind, form: AddressForm | None
) -> None:
    who = replace(ROLE_KINDS[kind][0], form=form)
    assert address_line(who, "fr") == FRENCH_ADDRESS_LINES[kind][FORMS.index(form)]


# -- Honours as of the letter's date ----------------------------------------------------------


def ehsassi(privy_council_on: dt.date | None = None) -> Official:
    """Ali Ehsassi: an MP since 2015, chair of FAAE in 2023, a minister from March 2025 (the
    ministries export), "Hon." in the 2026 members feed."""
    official = Official(
        given_name="Ali",
        family_name="Ehsassi",
        honorific="Hon.",
        address_form=AddressForm.MONSIEUR,
        privy_council_on=privy_council_on,
    )
    official.roles = [
        Role(
            kind=RoleKind.MP,
            title="Member of Parliament for Willowdale",
            start_on=dt.date(2015, 10, 19),
        ),
        Role(
            kind=RoleKind.COMMITTEE_CHAIR,
            title=f"Chair of {FAAE_EN}",
            start_on=dt.date(2022, 2, 1),
            end_on=dt.date(2025, 3, 23),
        ),
        Role(
            kind=RoleKind.MINISTER,
            start_on=dt.date(2025, 3, 14),
            end_on=dt.date(2025, 5, 12),
            title="Minister of Government Transformation, Public Services and Procurement",
        ),
    ]
    return official


def test_a_letter_before_the_privy_council_appointment_gives_no_honours() -> None:
    official = ehsassi()
    chair = official.roles[1]
    before = addressee_for(official, chair, dt.date(2023, 9, 7))
    assert address_line(before) == f"Mr. Ali Ehsassi, M.P., Chair of {FAAE_EN}"
    assert address_line(before, "fr") == f"M. Ali Ehsassi, député, président {FAAE}"
    assert salutation(before) == "Dear Mr. Ehsassi"
    assert salutation(before, "fr") == "Monsieur le Député"


def test_a_letter_after_the_privy_council_appointment_gives_them() -> None:
    official = ehsassi()
    member = official.roles[0]
    after = addressee_for(official, member, dt.date(2025, 9, 1))
    assert address_line(after).startswith("The Honourable Ali Ehsassi, P.C., M.P.")
    assert address_line(after, "fr") == "L'honorable Ali Ehsassi, C.P., député"
    assert salutation(after, "fr") == "Monsieur le Député"


def test_a_date_a_coordinator_enters_decides_over_the_ministerial_roles() -> None:
    official = ehsassi(privy_council_on=dt.date(2023, 1, 10))
    chair = official.roles[1]
    sworn = addressee_for(official, chair, dt.date(2023, 9, 7))
    assert address_line(sworn).startswith("The Honourable Ali Ehsassi, P.C., M.P., Chair")
    assert address_line(sworn, "fr").startswith("L'honorable Ali Ehsassi, C.P., député, président")


def test_member_of_parliament_only_on_the_days_they_sat() -> None:
    official = ehsassi()
    official.roles[0].end_on = dt.date(2025, 3, 23)  # did not run again, say
    later = addressee_for(official, None, dt.date(2025, 9, 1))
    assert address_line(later) == "The Honourable Ali Ehsassi, P.C."
    assert address_line(later, "fr") == "L'honorable Ali Ehsassi, C.P."
    assert salutation(later, "fr") == "Monsieur"


def test_the_form_of_address_comes_from_the_official_never_from_the_first_name() -> None:
    official = ehsassi()
    official.address_form = None
    unknown = addressee_for(official, official.roles[1], dt.date(2023, 9, 7))
    assert salutation(unknown, "fr") == "Madame, Monsieur"
    assert address_line(unknown) == f"Ali Ehsassi, M.P., Chair of {FAAE_EN}"


@pytest.mark.parametrize("form", FORMS, ids=lambda f: str(f or "unknown"))
def test_honours_follow_the_privy_council_date_for_a_woman_a_man_and_the_unknown(
    form: AddressForm | None,
) -> None:
    official = ehsassi()
    official.address_form = form
    chair = official.roles[1]
    before = addressee_for(official, chair, dt.date(2025, 3, 13))
    after = addressee_for(official, chair, dt.date(2025, 3, 14))
    member = {AddressForm.MADAME: "députée"}.get(form, "député")
    english = {AddressForm.MADAME: "Ms. ", AddressForm.MONSIEUR: "Mr. "}.get(form, "")
    french = {AddressForm.MADAME: "Mme ", AddressForm.MONSIEUR: "M. "}.get(form, "")
    assert address_line(before).startswith(f"{english}Ali Ehsassi, M.P., Chair of")
    assert address_line(before, "fr").startswith(f"{french}Ali Ehsassi, {member}, pr")
    assert address_line(after).startswith("The Honourable Ali Ehsassi, P.C., M.P., Chair of")
    assert address_line(after, "fr").startswith(f"L'honorable Ali Ehsassi, C.P., {member}, pr")
    assert salutation(after, "fr") == salutation(before, "fr")  # the role decides, not honours


@pytest.mark.parametrize(
    "kind", ["committee_chair", "committee_vice_chair", "parliamentary_secretary"]
)
def test_an_office_only_a_member_holds_is_greeted_as_a_member_without_their_term_on_record(
    kind: str,
) -> None:
    """The directory often starts with the current Parliament: the 2023 chair is on record,
    the term that covered it is not. The office says they sat that day."""
    official = Official(
        given_name="Randeep", family_name="Sarai", address_form=AddressForm.MONSIEUR
    )
    office = Role(kind=RoleKind(kind), title="Chair", start_on=dt.date(2023, 9, 7))
    official.roles = [
        office,
        Role(kind=RoleKind.MP, title="Member", start_on=dt.date(2025, 4, 28)),
    ]
    who = addressee_for(official, office, dt.date(2023, 9, 7))
    assert salutation(who, "fr") == "Monsieur le Député"
    assert "député" in address_line(who, "fr")


def test_a_senator_chairing_a_joint_committee_is_not_greeted_as_a_member() -> None:
    official = Official(given_name="Ana", family_name="Senne", address_form=AddressForm.MADAME)
    chair = Role(kind=RoleKind.COMMITTEE_CHAIR, title="Joint chair", start_on=dt.date(2023, 1, 1))
    official.roles = [
        chair,
        Role(kind=RoleKind.SENATOR, title="Senator", start_on=dt.date(2020, 1, 1)),
    ]
    who = addressee_for(official, chair, dt.date(2023, 9, 7))
    assert salutation(who, "fr") == "Madame"
    assert "députée" not in address_line(who, "fr")
