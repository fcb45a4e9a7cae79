"""Canada's provinces and territories in English and French (their official names)."""

from __future__ import annotations

PROVINCES_FR = {
    "Alberta": "Alberta",
    "British Columbia": "Colombie-Britannique",
    "Manitoba": "Manitoba",
    "New Brunswick": "Nouveau-Brunswick",
    "Newfoundland and Labrador": "Terre-Neuve-et-Labrador",
    "Northwest Territories": "Territoires du Nord-Ouest",
    "Nova Scotia": "Nouvelle-Écosse",
    "Nunavut": "Nunavut",
    "Ontario": "Ontario",
    "Prince Edward Island": "Île-du-Prince-Édouard",
    "Quebec": "Québec",
    "Saskatchewan": "Saskatchewan",
    "Yukon": "Yukon",
}
PROVINCES_EN = {french: english for english, french in PROVINCES_FR.items()}


def province_name(name: str, language: str) -> str:
    """``name`` (in either language, as the feeds give it) in ``language``; a name neither
    list knows stays as it is."""
    english = PROVINCES_EN.get(name, name)
    if language == "fr":
        return PROVINCES_FR.get(english, name)
    return english if english in PROVINCES_FR else name
