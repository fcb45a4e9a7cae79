"""One recipient's letter as plain data, and as the text part of its e-mail.

The same ``Letter`` feeds the preview page, the e-mail's text and HTML parts and the PDF, so
what a coordinator previews is what the official receives.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from tracker.formats.markdown_text import markdown_text, wrap
from tracker.rules.campaign_text import LOCALES
from tracker.rules.dates import long_day

NO_GENDER_OPENING = "Bonjour"
# French typography: a narrow no-break space before « ; : ! ? » marks.
NNBSP = "\u202f"
APOSTROPHE = "\u2019"  # the typographic apostrophe of French text


@dataclass(frozen=True)
class LetterText:
    """Everything on one recipient's letter, in the recipient's language."""

    language: str
    dated: dt.date
    subject: str
    address_lines: tuple[str, ...]
    salutation: str
    body: str  # Markdown
    signatories: tuple[str, ...]  # in order, the lead author first
    recipient_name: str

    @property
    def date_line(self) -> str:
        return long_day(self.dated, LOCALES.get(self.language, "en_CA"))

    @property
    def subject_line(self) -> str:
        if self.language == "fr":
            return f"Objet{NNBSP}: {self.subject}"
        return f"Re: {self.subject}"

    @property
    def greeting(self) -> str:
        return f"{self.salutation},"

    @property
    def closing(self) -> str:
        if self.language != "fr":
            return "Sincerely,"
        if self.salutation == NO_GENDER_OPENING:
            return f"Veuillez agréer l{APOSTROPHE}expression de notre haute considération."
        # The formal French close repeats the salutation: "Veuillez agréer, Madame la Ministre, …"
        return (
            f"Veuillez agréer, {self.salutation}, l{APOSTROPHE}expression de notre haute "
            "considération."
        )

    def running_header(self, page: int, pages: int) -> str:
        """The line at the head of each page after the first, in the letter's language."""
        if self.language == "fr":
            return f"Page {page} sur {pages} · Lettre à {self.recipient_name}, {self.date_line}"
        return f"Page {page} of {pages} · Letter to {self.recipient_name}, {self.date_line}"

    @property
    def signed_by_heading(self) -> str:
        return "Signataires" if self.language == "fr" else "Signed by"


def split_title(addressed_as: str, *titles: str | None) -> tuple[str, ...]:
    """'The Honourable X, Minister of Y' → ('The Honourable X', 'Minister of Y'): an address
    block puts the title on its own line. ``titles`` are the forms the line may end with (the
    English title, the French one); a title the line does not hold is not added: the block
    stays in the line's one language, as the line was written or corrected."""
    for title in titles:
        suffix = f", {title}"
        if title and addressed_as.endswith(suffix) and len(addressed_as) > len(suffix):
            return (addressed_as[: -len(suffix)], title)
    return (addressed_as,)


def letter_plain_text(letter: LetterText) -> str:
    """The letter as the text part of its e-mail: the Markdown body as plain text, every line
    at most 72 columns (a word longer than that stays whole)."""
    parts = [
        letter.date_line,
        "\n".join(line for text in letter.address_lines for line in wrap(text)),
        "\n".join(wrap(letter.subject_line)),
        letter.greeting,
        markdown_text(letter.body),
        "\n".join(wrap(letter.closing)),
        "\n".join(line for name in letter.signatories for line in wrap(name)),
    ]
    return "\n\n".join(part for part in parts if part.strip()) + "\n"


def letter_file_name(position: int, name: str) -> str:
    """'03-melanie-joly.pdf': the recipient's place on the letter and their name, in letters
    every file system and mail client keeps."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "recipient"
    return f"{position:02d}-{slug[:60]}.pdf"
