"""Loading a SOURCE of `digest import`: a file, `-` (standard input) or an http(s) URL, decoded
to text with its kind (HTML or plain text). Every failure is an ImportProblem naming the source."""

from __future__ import annotations

import codecs
import os
import re
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .. import __version__
from ..core.urls import parse_url
from .model import ImportProblem

# A news page with its scripts and styles is a few hundred kilobytes, rarely over 3 MB; a
# bigger file is not one article (and would take the extractor seconds).
MAX_BYTES = 10 * 1024 * 1024
# seconds for a URL: connecting, and the whole download; DIGEST_IMPORT_TIMEOUT changes it
TIMEOUT = 20.0
TIMEOUT_ENV = "DIGEST_IMPORT_TIMEOUT"
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
_HTML_START = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])",
                         re.IGNORECASE | re.DOTALL)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# What a browser decodes a declared charset as (the WHATWG Encoding Standard's labels): pages
# that say gb2312 are written in GBK (of 69 real Chinese pages, 8 that declared gb2312 held
# characters GB2312 lacks, and 6 of them could not be imported), Shift_JIS and EUC-KR pages in
# Microsoft's supersets, ISO-8859-1 and ASCII ones in windows-1252
_AS_BROWSERS_READ = {
    **dict.fromkeys(
        ("gb2312", "gb_2312", "gb_2312-80", "gbk", "x-gbk", "chinese", "csgb2312", "csiso58gb231280",
         "iso-ir-58"),
        "gb18030",
    ),
    **dict.fromkeys(("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"), "big5hkscs"),
    **dict.fromkeys(
        ("shift_jis", "shift-jis", "sjis", "ms_kanji", "csshiftjis", "windows-31j", "x-sjis", "ms932"),
        "cp932",
    ),
    **dict.fromkeys(
        ("euc-kr", "euc_kr", "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601", "korean",
         "csksc56011987", "iso-ir-149", "windows-949"),
        "cp949",
    ),
    **dict.fromkeys(
        ("iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1", "ascii", "us-ascii", "ansi_x3.4-1968",
         "cp819", "ibm819", "csisolatin1", "iso-ir-100"),
        "cp1252",
    ),
    **dict.fromkeys(("iso-8859-9", "iso8859-9", "latin5", "l5", "iso-ir-148"), "cp1254"),
    **dict.fromkeys(("tis-620", "iso-8859-11", "iso8859-11", "dos-874"), "cp874"),
}


@dataclass(frozen=True)
class Loaded:
    name: str  # as shown in messages: the path, "standard input" or the URL
    text: str
    html: bool
    page_url: str | None = None  # the URL it was fetched from, after redirects
    warnings: tuple[str, ...] = ()  # what reading it found (bytes its charset could not read)


def timeout() -> float:
    raw = os.environ.get(TIMEOUT_ENV, "")
    try:
        value = float(raw)
    except ValueError:
        return TIMEOUT
    return value if value > 0 else TIMEOUT


def is_url(source: str) -> bool:
    """An http(s) URL with a host that urllib can split ('http://[::1' is not one)."""
    parts = parse_url(source)
    return source.lower().startswith(("http://", "https://")) and parts is not None and bool(parts.hostname)


def load(source: str, stdin: BinaryIO) -> Loaded:
    if source == "-":
        data = stdin.read(MAX_BYTES + 1)
        return _decoded("standard input", data, None, None)
    if is_url(source):
        return _fetch(source)
    path = Path(source)
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_BYTES:
                raise ImportProblem(_too_large(source, size))
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ImportProblem(f"{source}: no such file") from None
    except IsADirectoryError:
        raise ImportProblem(f"{source}: is a folder, not a page") from None
    except OSError as exc:
        raise ImportProblem(f"{source}: cannot read it ({exc.strerror or exc})") from None
    html = path.suffix.lower() in HTML_SUFFIXES or None
    return _decoded(source, data, None, html)


def _fetch(url: str) -> Loaded:
    import urllib.error  # only for URLs: http.client and email are a tenth of the start-up
    import urllib.request

    limit = timeout()
    request = urllib.request.Request(url, headers={
        "User-Agent": f"digest/{__version__} (digest import)",
        "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5",
    })
    deadline = time.monotonic() + limit
    try:
        with urllib.request.urlopen(request, timeout=limit) as response:  # redirects are followed
            final = response.geturl()
            content_type = response.headers.get("Content-Type", "")
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > MAX_BYTES:
                raise ImportProblem(_too_large(url, int(length)))
            chunks: list[bytes] = []
            size = 0
            while size <= MAX_BYTES:
                if time.monotonic() > deadline:
                    raise ImportProblem(f"{url}: no complete answer within {limit:g} s "
                                        f"({TIMEOUT_ENV} sets it)")
                chunk = response.read(64 * 1024)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
    except urllib.error.HTTPError as exc:
        raise ImportProblem(f"{url}: the server answered {exc.code} {exc.reason}") from None
    except TimeoutError:
        raise ImportProblem(f"{url}: no answer within {limit:g} s ({TIMEOUT_ENV} sets it)") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            raise ImportProblem(f"{url}: no answer within {limit:g} s ({TIMEOUT_ENV} sets it)") from None
        raise ImportProblem(f"{url}: cannot fetch it ({reason})") from None
    except (OSError, ValueError) as exc:  # a reset connection, a malformed URL or header
        raise ImportProblem(f"{url}: cannot fetch it ({exc})") from None
    data = b"".join(chunks)
    kind = content_type.split(";")[0].strip().lower()
    html = {"text/html": True, "application/xhtml+xml": True, "text/plain": False}.get(kind)
    match = _HEADER_CHARSET.search(content_type)
    return _decoded(url, data, match.group(1) if match else None, html, final)


def _too_large(name: str, size: int | None) -> str:
    """`size` is None when the source was read only up to the limit (a stream)."""
    said = f"{size / (1024 * 1024):.1f} MB, more" if size is not None else "more"
    return (f"{name}: {said} than the {MAX_BYTES // (1024 * 1024)} MB a news page can be; "
            "save the article's own page or paste its text")


def _decoded(name: str, data: bytes, declared: str | None, html: bool | None,
             page_url: str | None = None) -> Loaded:
    if len(data) > MAX_BYTES:
        raise ImportProblem(_too_large(name, None))
    if not data.strip():
        raise ImportProblem(f"{name}: empty; there is nothing to import")
    if html is None:
        html = _HTML_START.match(data[:4096]) is not None
    text, warning = _decode(name, data, declared, html)
    if _binary(text):
        raise ImportProblem(f"{name}: binary data, not a page or text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Loaded(name, text, html, page_url, (warning,) if warning else ())


def _decode(name: str, data: bytes, declared: str | None, html: bool) -> tuple[str, str | None]:
    """The byte order mark first, then the charset the server or the page declares (as browsers
    read it), then UTF-8; then the declared charset with a few bytes it cannot read shown as
    U+FFFD, as a browser shows them (and a warning); then charset_normalizer's guess (in the
    import extra) when it is installed."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _try(data, encoding) or _undecodable(name, data, encoding), None
    if b"\x00" in data[:8192]:
        raise ImportProblem(f"{name}: binary data, not a page or text")
    candidates = [declared] if declared else []
    if html and not declared:
        meta = _META_CHARSET.search(data[:8192])
        if meta:
            candidates.append(meta.group(1).decode("ascii", "replace"))
    candidates = [_AS_BROWSERS_READ.get(c.strip().lower(), c) for c in candidates]
    for encoding in [*candidates, "utf-8"]:
        text = _try(data, encoding)
        if text is not None:
            return text, None
    for encoding in candidates:
        mended = _mended(data, encoding)
        if mended is not None:
            return mended
    try:
        from charset_normalizer import from_bytes  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        # browsers read an HTML page that declares nothing as windows-1252; text has no such rule
        return (_try(data, "cp1252") if html else None) or _undecodable(name, data, "utf-8"), None
    best = from_bytes(data).best()
    # a guess whose words fit no language (coherence 0) is a guess at noise, not a decoding
    if best is None or not best.coherence:
        return _undecodable(name, data, "utf-8"), None
    return str(best), None


def _mended(data: bytes, encoding: str) -> tuple[str, str] | None:
    """The text in its declared charset when only a few bytes (one in a thousand characters,
    at least three) do not fit it: a page cut in the middle of a character, a stray byte."""
    try:
        text = data.decode(encoding, errors="replace")
    except LookupError:
        return None
    bad = text.count("\ufffd")
    if bad > max(3, len(text) // 1000):
        return None
    what = f"{bad} bytes that the page's charset ({encoding}) cannot read are" if bad > 1 else (
        f"a byte that the page's charset ({encoding}) cannot read is")
    return text, f"{what} shown as \ufffd, as a browser shows them: check the draft there"


def _try(data: bytes, encoding: str) -> str | None:
    try:
        codecs.lookup(encoding)
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None


def _undecodable(name: str, data: bytes, encoding: str) -> str:
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start]
        raise ImportProblem(f"{name}: line {line}: not {encoding.upper()} text (byte 0x{byte:02x}); "
                            "save it as UTF-8") from None
    raise ImportProblem(f"{name}: cannot decode it as {encoding}")  # pragma: no cover - decoded above


def _binary(text: str) -> bool:
    """Control characters other than tab, newline, carriage return and form feed in the first
    8,000 characters: an image or an archive that happened to decode."""
    sample = text[:8000]
    controls = len(_CONTROL.findall(sample))
    return controls > max(2, len(sample) // 200)
