"""One recipient's letter as a PDF (ReportLab, installed from wheels: no system packages).

The font is Source Sans Pro (SIL Open Font License), embedded: it has a glyph for every Latin
letter in the officials' names, and for French typography (guillemets, the apostrophe, the
narrow no-break space).
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import font_source_sans_pro
from markdown_it import MarkdownIt
from markdown_it.token import Token
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from tracker.formats.letters import LetterText

FONT = "HilltrackSans"
_markdown = MarkdownIt("commonmark", {"html": False})
SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")


@cache
def _register_fonts() -> None:
    folder = Path(font_source_sans_pro.font_directory)
    faces = {
        FONT: "SourceSansPro-Regular.ttf",
        f"{FONT}-Bold": "SourceSansPro-Bold.ttf",
        f"{FONT}-Italic": "SourceSansPro-It.ttf",
        f"{FONT}-BoldItalic": "SourceSansPro-BoldIt.ttf",
    }
    for name, filename in faces.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / filename)))
    pdfmetrics.registerFontFamily(
        FONT,
        normal=FONT,
        bold=f"{FONT}-Bold",
        italic=f"{FONT}-Italic",
        boldItalic=f"{FONT}-BoldItalic",
    )


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=15, alignment=TA_LEFT)
    return {
        "body": ParagraphStyle("para", parent=base, spaceAfter=8),
        "line": base,
        "subject": ParagraphStyle("subject", parent=base, fontName=f"{FONT}-Bold", spaceAfter=10),
        "h": ParagraphStyle("h", parent=base, fontName=f"{FONT}-Bold", fontSize=12, spaceAfter=6),
        "quote": ParagraphStyle("quote", parent=base, leftIndent=18, spaceAfter=8),
        "code": ParagraphStyle("code", parent=base, fontName="Courier", fontSize=9, leading=12),
    }


def _inline(tokens: list[Token] | None) -> str:
    """Markdown inline tokens as ReportLab's paragraph markup, every text escaped."""
    out: list[str] = []
    closers: list[str] = []  # what each open link closes with
    for token in tokens or []:
        kind = token.type
        if kind == "text":
            out.append(escape(token.content))
        elif kind == "code_inline":
            out.append(f'<font face="Courier">{escape(token.content)}</font>')
        elif kind in ("softbreak",):
            out.append(" ")
        elif kind == "hardbreak":
            out.append("<br/>")
        elif kind in ("strong_open", "strong_close"):
            out.append("<b>" if kind.endswith("open") else "</b>")
        elif kind in ("em_open", "em_close"):
            out.append("<i>" if kind.endswith("open") else "</i>")
        elif kind == "link_open":
            href = str(token.attrs.get("href", ""))
            safe = href.lower().startswith(SAFE_LINK_SCHEMES)
            out.append(f'<a href="{escape(href, {chr(34): "&quot;"})}">' if safe else "<u>")
            closers.append("</a>" if safe else "</u>")
        elif kind == "link_close":
            out.append(closers.pop() if closers else "")
        elif kind == "image":
            out.append(escape(token.content))
    return "".join(out)


def _body(markdown_text: str, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The letter's Markdown body as flowables: paragraphs, headings, lists, quotes, rules."""
    flowables: list[Flowable] = []
    lists: list[dict[str, Any]] = []  # the open lists, innermost last: ordered? next number
    quote_depth = 0
    tokens = _markdown.parse(markdown_text)
    for index, token in enumerate(tokens):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrs.get("start", 1) or 1)
            lists.append({"ordered": kind.startswith("ordered"), "n": start})
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "blockquote_open":
            quote_depth += 1
        elif kind == "blockquote_close":
            quote_depth -= 1
        elif kind == "hr":
            flowables.append(HRFlowable(width="100%", thickness=0.5, spaceBefore=4, spaceAfter=8))
        elif kind in ("code_block", "fence"):
            flowables.append(
                Paragraph(escape(token.content).replace("\n", "<br/>"), styles["code"])
            )
        elif kind == "inline":
            opener = tokens[index - 1].type if index else ""
            text = _inline(token.children)
            if opener == "heading_open":
                flowables.append(Paragraph(text, styles["h"]))
                continue
            style = styles["quote"] if quote_depth else styles["body"]
            if lists:
                current = lists[-1]
                first_in_item = index >= 2 and tokens[index - 2].type == "list_item_open"
                bullet = ""
                if first_in_item:
                    bullet = f"{current['n']}." if current["ordered"] else "•"
                    current["n"] += 1
                indent = 18 * len(lists)
                style = ParagraphStyle(
                    f"li{len(lists)}",
                    parent=style,
                    leftIndent=indent,
                    bulletIndent=indent - 14,
                    bulletFontName=FONT,
                    spaceAfter=3,
                )
                flowables.append(Paragraph(text, style, bulletText=bullet or None))
            else:
                flowables.append(Paragraph(text, style))
    return flowables


# -- Layout: the signature block and the pages after the first (letter-address) -------------
TWO_COLUMNS_FROM = 12  # a longer list of signatories is set in two columns, row by row
MARGIN = 2.5 * cm


class _Signatories(Table):  # type: ignore[misc]  # ReportLab is untyped
    """The signatories, never split so that one stands alone at the foot or the head of a
    page: a split that would leave a single row moves a second one with it."""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(availWidth, availHeight)
        if len(parts) == 2 and len(parts[1]._cellvalues) == 1:
            parts = super().split(availWidth, availHeight - self._rowHeights[-1] - 1)
        if len(parts) == 2 and len(parts[0]._cellvalues) < 2:
            return []  # all of them on the next page
        return parts


def _signature_block(
    letter: LetterText, styles: dict[str, ParagraphStyle], last: Flowable | None
) -> list[Flowable]:
    """The close and the signatories, kept on one page with the body's last paragraph: a page
    never holds only signatories, and the close never parts from the first of them."""
    names = [Paragraph(escape(name), styles["line"]) for name in letter.signatories]
    columns = 2 if len(names) > TWO_COLUMNS_FROM else 1
    rows = [names[i : i + columns] for i in range(0, len(names), columns)]
    if rows and len(rows[-1]) < columns:
        rows[-1].append(Paragraph("", styles["line"]))
    block: list[Flowable] = [last] if last is not None else []
    block += [Spacer(1, 6), Paragraph(escape(letter.closing), styles["body"]), Spacer(1, 10)]
    if rows:
        table = _Signatories(rows, colWidths=[(LETTER[0] - 2 * MARGIN) / columns] * columns)
        table.setStyle(
            TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")])
        )
        block.append(table)
    return [KeepTogether(block)]


def _numbered_canvas(letter: LetterText) -> type[Canvas]:
    """A canvas that holds every page until the last, so that each page after the first can
    say "Page 2 of 3" with the letter's short running header (ReportLab's two-pass recipe)."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # ReportLab is untyped
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for state in self._held:
                self.__dict__.update(state)
                if self._pageNumber > 1:
                    self.setFont(FONT, 9)
                    self.setFillGray(0.35)
                    top = LETTER[1] - MARGIN + 0.9 * cm
                    self.drawString(MARGIN, top, letter.running_header(self._pageNumber, total))
                super().showPage()
            super().save()

    return NumberedCanvas


# -- end of layout ------------------------------------------------------------------------


def letter_pdf(letter: LetterText) -> bytes:
    """The letter as a PDF on Letter paper, with the date, address, salutation, body and signers."""
    _register_fonts()
    styles = _styles()
    story: list[Flowable] = [Paragraph(escape(letter.date_line), styles["line"]), Spacer(1, 14)]
    story += [Paragraph(escape(line), styles["line"]) for line in letter.address_lines]
    story += [Spacer(1, 14), Paragraph(escape(letter.subject_line), styles["subject"])]
    story.append(Paragraph(escape(letter.greeting), styles["body"]))
    body = _body(letter.body, styles)
    story += body[:-1]
    story += _signature_block(letter, styles, body[-1] if body else None)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=letter.subject,
        author=letter.signatories[0] if letter.signatories else "",
        lang=letter.language,
        invariant=True,  # the same letter gives the same bytes (no timestamp, no random id)
    )
    document.build(story, canvasmaker=_numbered_canvas(letter))
    return buffer.getvalue()
