"""Reading a spreadsheet someone uploaded: its encoding found (and said), every cell as text,
and files that are not CSV refused with a plain reason."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from importers.errors import FeedError
from importers.said import said

if TYPE_CHECKING:  # pandas loads in a second: imported where a CSV is read
    import pandas as pd

# Encodings a person can choose when the guess is wrong, with the names they know them by.
ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "cp1252": said("Windows-1252 (Western Europe, Excel on Windows)"),
    "mac_roman": said("Mac OS Roman (older Excel on a Mac)"),
    "latin-1": said("ISO-8859-1 (Latin-1)"),
}
# The first bytes of files people upload by mistake.
NOT_CSV = (
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or another ZIP file"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"%PDF", "a PDF"),
)
BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig", "utf-8"),
    (b"\xff\xfe", "utf-16", "utf-16"),
    (b"\xfe\xff", "utf-16", "utf-16"),
)
# Letters and marks French and English text is made of: a legacy encoding that turns them into
# these reads the file right; one that turns them into the symbols below reads it wrong.
LIKELY = set("àâäçéèêëîïôöùûüÿœæ«»\u2019\u201c\u201d\u2013\u2014\u2026")
UNLIKELY = set("ŽžŠšƒ‰†‡™¬√∫≈∆◊ıÆØ\u02c6\u02dc")
CAPITAL_INSIDE_WORD = re.compile(r"[a-z][ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜÁÍÓÚ]")


@dataclass(frozen=True)
class Decoded:
    """A file's text, the encoding it was read as, and how that was decided."""

    text: str
    encoding: str  # a key of ENCODINGS
    how: str  # "its byte-order mark", "valid UTF-8", "a guess", "your choice"

    @property
    def label(self) -> str:
        return ENCODINGS.get(self.encoding, self.encoding)


def _refuse_non_csv(data: bytes, source: str) -> None:
    for magic, what in NOT_CSV:
        if data.startswith(magic):
            raise FeedError(
                source,
                said(
                    "this file is %(what)s, not a CSV. In your spreadsheet, choose Save As (or "
                    "Download) and the “CSV UTF-8” format, then upload that file",
                    what=what,
                ),
            )


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a byte-order mark: text of ASCII letters has a NUL in every pair."""
    sample = data[:4000]
    if len(sample) < 4 or sample.count(0) < len(sample) // 3:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    return "utf-16-le" if odd > even else "utf-16-be"


def _plausibility(text: str) -> int:
    return (
        sum(2 for ch in text if ch in LIKELY)
        - sum(3 for ch in text if ch in UNLIKELY)
        - 3 * len(CAPITAL_INSIDE_WORD.findall(text))
    )


def _legacy(data: bytes) -> tuple[str, str]:
    """The 8-bit encoding whose reading of the file looks most like French or English."""
    readings = []
    for encoding in ("cp1252", "mac_roman"):
        try:
            readings.append((_plausibility(text := data.decode(encoding)), encoding, text))
        except UnicodeDecodeError:
            continue  # cp1252 leaves five bytes undefined
    if not readings:
        return data.decode("latin-1"), "latin-1"  # every byte is a Latin-1 character
    _, encoding, text = max(readings, key=lambda r: r[0])
    return text, encoding


def decode(data: bytes, source: str = "spreadsheet", encoding: str | None = None) -> Decoded:
    """The file's text: as ``encoding`` when a person chose one, else by its byte-order mark,
    else UTF-16 or UTF-8 when it is that, else the likelier of Windows and Mac Western."""
    _refuse_non_csv(data, source)
    if encoding:
        if encoding not in ENCODINGS:
            raise FeedError(
                source,
                said("%(encoding)s is not an encoding Hilltrack reads", encoding=repr(encoding)),
            )
        codec = "utf-8-sig" if encoding == "utf-8" else encoding
        try:
            return Decoded(data.decode(codec), encoding, said("your choice"))
        except UnicodeDecodeError:
            raise FeedError(
                source,
                said(
                    "the file is not valid %(encoding)s; choose another encoding",
                    encoding=ENCODINGS[encoding],
                ),
            ) from None
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            return Decoded(data.decode(codec), name, said("its byte-order mark"))
    if (codec16 := _utf16_without_bom(data)) is not None:
        try:
            return Decoded(data.decode(codec16), "utf-16", said("its layout"))
        except UnicodeDecodeError:
            pass
    try:
        return Decoded(data.decode("utf-8"), "utf-8", said("valid UTF-8"))
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise FeedError(source, said("this file holds binary data, not the text of a CSV"))
    text, legacy = _legacy(data)
    return Decoded(text, legacy, said("a guess"))


def read_frame(
    data: bytes, source: str, max_rows: int, encoding: str | None = None
) -> pd.DataFrame:
    """The CSV as text cells with stripped headers; FeedError when it cannot be used."""
    import pandas as pd

    if not data.strip():
        raise FeedError(source, said("the file is empty"))
    try:
        frame = pd.read_csv(
            io.StringIO(decode(data, source, encoding).text),
            dtype=str,
            keep_default_na=False,
            skipinitialspace=True,
            nrows=max_rows + 1,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise FeedError(
            source, said("the file is not a readable CSV (%(error)s)", error=str(error))
        ) from None
    if len(frame) > max_rows:
        raise FeedError(source, said("the file has more than %(max)s rows; split it", max=max_rows))
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame
