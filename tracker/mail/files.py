"""What a stored file really is, by its first bytes rather than what the sender declared."""

from __future__ import annotations

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
