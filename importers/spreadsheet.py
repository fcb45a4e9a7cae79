"""Reading a spreadsheet someone uploaded: any common encoding, every cell as text."""

from __future__ import annotations

import io

import pandas as pd

from importers.errors import FeedError


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM), else Excel's CP-1252, else Latin-1."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # every byte is a Latin-1 character: never fails


def read_frame(data: bytes, source: str, max_rows: int) -> pd.DataFrame:
    """The CSV as text cells with stripped headers; FeedError when it cannot be used."""
    if not data.strip():
        raise FeedError(source, "the file is empty")
    try:
        frame = pd.read_csv(
            io.StringIO(decode(data)),
            dtype=str,
            keep_default_na=False,
            skipinitialspace=True,
            nrows=max_rows + 1,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise FeedError(source, f"the file is not a readable CSV ({error})") from None
    if len(frame) > max_rows:
        raise FeedError(source, f"the file has more than {max_rows} rows; split it")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame
