"""What a stored file really is, by its first bytes rather than what the sender declared, and
the name it may be offered under."""

from __future__ import annotations

from tracker.rules.text import single_line

NAME_LIMIT = 200

SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
OFFICE = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def sniffed_type(data: bytes, declared: str) -> str:
    """The type the bytes show; a declared Office document must be a ZIP; plain text must read
    as UTF-8; anything else is application/octet-stream (offered only as a download)."""
    for magic, kind in SIGNATURES:
        if data.startswith(magic):
            return kind
    if declared in OFFICE and data.startswith(b"PK\x03\x04"):
        return declared
    if declared == "text/plain":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return "application/octet-stream"
        return "text/plain"
    return "application/octet-stream"


def safe_file_name(name: str, fallback: str = "attachment") -> str:
    """A file name that is only a name: one line without control or direction codes, no folder
    part (``../``, ``C:\\``), no leading dot, at most NAME_LIMIT characters with its extension
    kept. Used when an attachment is stored and again when it is downloaded."""
    name = single_line(name).replace("\\", "/").rpartition("/")[2]
    name = name.rpartition(":")[2] if len(name) > 1 and name[1] == ":" else name
    name = name.strip(" .") or fallback
    if len(name) > NAME_LIMIT:
        stem, dot, extension = name.rpartition(".")
        extension = extension[:20] if dot and stem else ""
        cut = NAME_LIMIT - len(extension) - (1 if extension else 0)
        name = f"{name[:cut].rstrip(' .')}.{extension}" if extension else name[:NAME_LIMIT]
    return name
