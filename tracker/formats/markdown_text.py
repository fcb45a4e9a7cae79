"""Letter text written in Markdown, as plain text for an e-mail's text part: the markup gone,
lists kept, every paragraph wrapped at 72 columns (markdown-it-py's tree, textwrap's lines)."""

from __future__ import annotations

import textwrap

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

WIDTH = 72
_markdown = MarkdownIt("commonmark", {"html": False})


def markdown_text(source: str, width: int = WIDTH) -> str:
    """``source`` as plain text: paragraphs wrapped, lists as "- " or "1. " with a hanging
    indent, quotes as "> ", code kept as it is, links as "text (address)"."""
    return "\n".join(_blocks(SyntaxTreeNode(_markdown.parse(source)).children, width))


def wrap(text: str, width: int = WIDTH) -> list[str]:
    """``text`` in lines of at most ``width`` columns; a word or address longer stays whole
    (never broken), and the no-break spaces of French typography are not break points."""
    lines: list[str] = []
    for line in text.split("\n"):
        lines += textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False) or [""]
    return lines


def _blocks(nodes: list[SyntaxTreeNode], width: int, *, tight: bool = False) -> list[str]:
    lines: list[str] = []
    for node in nodes:
        block = _block(node, width)
        if lines and block and not tight:
            lines.append("")
        lines += block
    return lines


def _block(node: SyntaxTreeNode, width: int) -> list[str]:
    kind = node.type
    if kind in ("paragraph", "heading"):
        return wrap(_inline(node.children[0]) if node.children else "", width)
    if kind in ("bullet_list", "ordered_list"):
        return _list(node, width)
    if kind == "blockquote":
        return [f"> {line}".rstrip() for line in _blocks(node.children, width - 2)]
    if kind in ("code_block", "fence"):
        return ["    " + line for line in node.content.rstrip("\n").split("\n")]
    if kind == "hr":
        return ["* * *"]
    return _blocks(node.children, width)


def _list(node: SyntaxTreeNode, width: int) -> list[str]:
    number = int(node.attrs.get("start", 1) or 1)
    # A tight list (no blank line between its items in the source) stays tight.
    tight = all(p.hidden for item in node.children for p in item.children if p.type == "paragraph")
    lines: list[str] = []
    for item in node.children:
        marker = f"{number}. " if node.type == "ordered_list" else "- "
        number += 1
        indent = " " * len(marker)
        body = _blocks(item.children, width - len(marker), tight=tight)
        if lines and not tight:
            lines.append("")
        lines += [
            (marker if n == 0 else indent if line else "") + line for n, line in enumerate(body)
        ]
    return lines


def _inline(node: SyntaxTreeNode) -> str:
    parts: list[str] = []
    for child in node.children:
        kind = child.type
        if kind in ("text", "code_inline"):
            parts.append(child.content)
        elif kind == "softbreak":
            parts.append(" ")
        elif kind == "hardbreak":
            parts.append("\n")
        elif kind == "link":
            text, href = _inline(child), str(child.attrs.get("href", ""))
            shown = href.removeprefix("mailto:")
            parts.append(text if text in (href, shown) else f"{text} ({shown})")
        elif kind == "image":
            parts.append(child.content)
        else:  # emphasis, strong: their text without the marks
            parts.append(_inline(child))
    return "".join(parts)
