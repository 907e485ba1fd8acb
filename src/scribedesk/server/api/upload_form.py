"""Read a multipart upload as it streams in: the audio straight into the store's spool
file under the size limit, the few form fields into memory under their own limits.

The route reads the body only after the sign-in and the role were checked from the
headers, so nobody without the right to upload can make the service receive one.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from scribedesk.server.errors import Invalid, TooLarge, UnsupportedMedia

#: The form fields an upload has, each far shorter than this.
MAX_FIELD_BYTES = 8 << 10
MAX_PARTS = 16
#: Spool writes are gathered to this size before one goes to the disk (in a thread).
_WRITE_AT = 1 << 20


@dataclass
class Received:
    """An upload as it arrived: its form fields and the audio spooled to ``path``."""

    fields: dict[str, str] = field(default_factory=dict)
    filename: str | None = None
    path: Path | None = None
    size: int = 0
    sha256: str = ""


class _Reader:
    """python-multipart's callbacks, collecting fields and the one file part."""

    def __init__(self, spool: BinaryIO, limit: int, field_limit: int = MAX_FIELD_BYTES) -> None:
        self.spool = spool
        self.limit = limit
        self.field_limit = field_limit
        self.received = Received()
        self.digest = hashlib.sha256()
        self.pending = bytearray()
        self.parts = 0
        self._header_name = b""
        self._header_value = b""
        self._disposition = b""
        self._name = ""
        self._is_file = False
        self._data = bytearray()

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self._part_begin,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
            "on_header_field": self._header_field,
            "on_header_value": self._header_val,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
        }

    def _part_begin(self) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise Invalid(f"An upload has at most {MAX_PARTS} form parts.")
        self._disposition, self._is_file, self._data = b"", False, bytearray()

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _header_val(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]
        if len(self._header_value) > MAX_FIELD_BYTES:
            raise Invalid("A form part's header is too long.")

    def _header_end(self) -> None:
        if self._header_name.lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name = self._header_value = b""

    def _headers_finished(self) -> None:
        _kind, options = parse_options_header(self._disposition)
        if b"name" not in options:
            raise Invalid('Every form part needs a Content-Disposition with a "name".')
        self._name = _text(options[b"name"], "a form field's name")
        self._is_file = self._name == "file"
        if self._is_file:
            if self.received.filename is not None:
                raise Invalid("Upload one audio file at a time.")
            raw = options.get(b"filename", b"upload")
            self.received.filename = _text(raw, "the file name") or "upload"

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if not self._is_file:
            self._data += chunk
            if len(self._data) > self.field_limit:
                raise Invalid(f"The form field {self._name!r} is too long.")
            return
        self.received.size += len(chunk)
        if self.received.size > self.limit:
            raise TooLarge(
                f"The audio file is larger than the limit of {self.limit // (1 << 20)} MB."
            )
        self.digest.update(chunk)
        self.pending += chunk

    def _part_end(self) -> None:
        if not self._is_file:
            self.received.fields[self._name] = _text(bytes(self._data), f"{self._name!r}")


def _text(raw: bytes, what: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Invalid(f"{what.capitalize()} is not UTF-8 text.") from None
    if "\x00" in text:
        raise Invalid(f"{what.capitalize()} must not contain NUL characters.")
    return text


async def receive_upload(
    request: Request, spool_dir: Path, limit: int, field_limit: int = MAX_FIELD_BYTES
) -> Received:
    """Stream ``request``'s multipart body: the ``file`` part to a new file in
    ``spool_dir`` (at most ``limit`` bytes), the other parts as text. The caller owns
    ``Received.path`` and deletes it. Raises TooLarge, Invalid or UnsupportedMedia."""
    kind, params = parse_options_header(request.headers.get("content-type"))
    if kind != b"multipart/form-data":
        raise UnsupportedMedia("Upload the audio as multipart/form-data with a 'file' part.")
    if not params.get(b"boundary"):
        raise Invalid("The multipart Content-Type has no boundary.")
    fd, name = await run_in_threadpool(tempfile.mkstemp, ".upload", None, str(spool_dir))
    path, spool = Path(name), os.fdopen(fd, "wb")
    reader = _Reader(spool, limit, field_limit)
    try:
        parser = MultipartParser(params[b"boundary"], reader.callbacks())  # type: ignore[arg-type]
        async for chunk in request.stream():
            parser.write(chunk)
            if len(reader.pending) >= _WRITE_AT:
                await run_in_threadpool(spool.write, bytes(reader.pending))
                reader.pending.clear()
        parser.finalize()
        await run_in_threadpool(spool.write, bytes(reader.pending))
    except MultipartParseError as exc:
        await run_in_threadpool(_discard, spool, path)
        raise Invalid(f"The multipart body is malformed: {exc}.") from None
    except BaseException:
        await run_in_threadpool(_discard, spool, path)
        raise
    await run_in_threadpool(spool.close)
    received = reader.received
    if received.filename is None:
        path.unlink(missing_ok=True)
        raise Invalid("The upload has no 'file' part with the audio.")
    received.path, received.sha256 = path, reader.digest.hexdigest()
    return received


def _discard(spool: BinaryIO, path: Path) -> None:
    spool.close()
    path.unlink(missing_ok=True)
