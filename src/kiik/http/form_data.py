"""A posted form, URL-encoded or `multipart/form-data` (a form with a file), read with the standard
library: the fields (each one's first value) and the files sent with it.

`multipart/form-data` (RFC 7578) is a MIME multipart body; `email`'s parser reads it once the
request's Content-Type is put in front as a header. No extra dependency for the few pages that take
a document beside their fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from urllib.parse import parse_qs


@dataclass(frozen=True)
class UploadedFile:
    filename: str
    media_type: str
    content: bytes


@dataclass(frozen=True)
class PostedForm:
    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)


def read_form(content_type: str, body: bytes) -> PostedForm:
    """The form in `body`; a multipart part with a file name is a file (an empty file input sends
    one with no name and no bytes, which counts as no file)."""
    if not content_type.lower().startswith("multipart/form-data"):
        parsed = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        return PostedForm({name: values[0] for name, values in parsed.items()})
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    fields: dict[str, str] = {}
    files: dict[str, UploadedFile] = {}
    if not message.is_multipart():
        return PostedForm()
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        content = part.get_payload(decode=True)
        data = content if isinstance(content, bytes) else b""
        filename = part.get_filename()
        if filename is None:
            fields.setdefault(name, data.decode(part.get_content_charset() or "utf-8", "replace"))
        elif filename or data:
            files.setdefault(name, UploadedFile(filename, part.get_content_type(), data))
    return PostedForm(fields, files)
