"""House of Commons committees: the short names the profile XML uses, with their acronyms.

The profile feed names a committee without its acronym or "Standing Committee on" prefix;
coalitions know them by acronym (FAAE, JUST), so the importer stores both.
"""

from __future__ import annotations

from importers.names import fold

STANDING = {
    "Access to Information, Privacy and Ethics": "ETHI",
    "Agriculture and Agri-Food": "AGRI",
    "Canadian Heritage": "CHPC",
    "Citizenship and Immigration": "CIMM",
    "Environment and Sustainable Development": "ENVI",
    "Finance": "FINA",
    "Fisheries and Oceans": "FOPO",
    "Foreign Affairs and International Development": "FAAE",
    "Government Operations and Estimates": "OGGO",
    "Health": "HESA",
    "Human Resources, Skills and Social Development and the Status of Persons with Disabilities": (
        "HUMA"
    ),
    "Indigenous and Northern Affairs": "INAN",
    "Industry and Technology": "INDU",
    "International Trade": "CIIT",
    "Justice and Human Rights": "JUST",
    "National Defence": "NDDN",
    "Natural Resources": "RNNR",
    "Official Languages": "LANG",
    "Procedure and House Affairs": "PROC",
    "Public Accounts": "PACP",
    "Public Safety and National Security": "SECU",
    "Science and Research": "SRSR",
    "Status of Women": "FEWO",
    "Transport, Infrastructure and Communities": "TRAN",
    "Veterans Affairs": "ACVA",
}
SPECIAL = {
    "Canada-People's Republic of China Relationship": "CACN",
    "Canada-China Relations": "CACN",
}
JOINT = {
    "Library of Parliament": "BILI",
    "Scrutiny of Regulations": "REGS",
}

_BY_FOLDED = {
    fold(name): (kind, name, acronym)
    for kind, table in (("Standing", STANDING), ("Special", SPECIAL), ("Joint", JOINT))
    for name, acronym in table.items()
}


def describe(short_name: str) -> tuple[str, str | None]:
    """The committee's full name and acronym, e.g. 'Standing Committee on Justice ...', 'JUST'."""
    found = _BY_FOLDED.get(fold(short_name))
    if found is None:
        named = "committee" in short_name.casefold()
        return (short_name if named else f"Committee on {short_name}"), None
    kind, name, acronym = found
    if kind == "Joint":
        return f"Standing Joint Committee for the {name}", acronym
    return f"{kind} Committee on {name}", acronym


def by_acronym(acronym: str) -> str | None:
    """The full name of the House committee with this acronym, e.g. 'FAAE' -> 'Standing
    Committee on Foreign Affairs and International Development'."""
    for _kind, name, known in _BY_FOLDED.values():
        if known == acronym.upper():
            return describe(name)[0]
    return None


# Every House committee whose Members page an import reads.
ACRONYMS = sorted({acronym for _kind, _name, acronym in _BY_FOLDED.values()})


# The standing committees' French names after "Comité permanent" (the House's own names).
FRENCH = {
    "ETHI": "de l'accès à l'information, de la protection des renseignements personnels et de "
    "l'éthique",
    "AGRI": "de l'agriculture et de l'agroalimentaire",
    "CHPC": "du patrimoine canadien",
    "CIMM": "de la citoyenneté et de l'immigration",
    "ENVI": "de l'environnement et du développement durable",
    "FINA": "des finances",
    "FOPO": "des pêches et des océans",
    "FAAE": "des affaires étrangères et du développement international",
    "OGGO": "des opérations gouvernementales et des prévisions budgétaires",
    "HESA": "de la santé",
    "HUMA": "des ressources humaines, du développement des compétences, du développement "
    "social et de la condition des personnes handicapées",
    "INAN": "des affaires autochtones et du Nord",
    "INDU": "de l'industrie et de la technologie",
    "CIIT": "du commerce international",
    "JUST": "de la justice et des droits de la personne",
    "NDDN": "de la défense nationale",
    "RNNR": "des ressources naturelles",
    "LANG": "des langues officielles",
    "PROC": "de la procédure et des affaires de la Chambre",
    "PACP": "des comptes publics",
    "SECU": "de la sécurité publique et nationale",
    "SRSR": "de la science et de la recherche",
    "FEWO": "de la condition féminine",
    "TRAN": "des transports, de l'infrastructure et des collectivités",
    "ACVA": "des anciens combattants",
}


def french_name(english: str) -> str | None:
    """'Foreign Affairs and International Development' → "Comité permanent des affaires
    étrangères et du développement international", for a standing committee the House names."""
    acronym = STANDING.get(english)
    if acronym is None or acronym not in FRENCH:
        return None
    return f"Comité permanent {FRENCH[acronym]}"


# The special and joint committees' French names, whole (the House's own names).
FRENCH_OTHERS = {
    "CACN": "Comité spécial sur la relation entre le Canada et la République populaire de Chine",
    "BILI": "Comité mixte permanent de la Bibliothèque du Parlement",
    "REGS": "Comité mixte permanent d'examen de la réglementation",
}


def french_by_acronym(acronym: str | None) -> str | None:
    """The French name of a House committee, by acronym (FAAE -> "Comité permanent des
    affaires étrangères et du développement international"), or None where not known."""
    key = (acronym or "").upper()
    french = FRENCH.get(key)
    return f"Comité permanent {french}" if french else FRENCH_OTHERS.get(key)
