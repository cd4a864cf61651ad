"""Bytes -> text for every file decalque reads: one place for BOMs, UTF-16, GB18030, Big5,
Windows-1252 and binaries.

Translation teams receive files from Windows tools (UTF-16, BOM, CRLF) and Chinese systems
(GBK/GB18030). We detect rather than assume, and refuse binaries with a reason instead of
matching garbage. The encoding and BOM are remembered so a rewrite gives back the same bytes.
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass

from charset_normalizer import from_bytes

from glossary.errors import DecalqueError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Encodings charset-normalizer may propose that we trust for this domain's files. Anything else
# (e.g. a cp1250 guess for random bytes) is more likely a binary than a real document.
_TRUSTED = {
    "utf_8", "gb18030", "gbk", "gb2312", "big5", "big5hkscs", "utf_16", "utf_16_le", "utf_16_be",
    "cp1252", "latin_1", "iso8859_1", "iso8859_15", "ascii", "hz", "cp936", "cp950",
}



@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text with what is needed to encode it back identically."""

    text: str
    encoding: str
    bom: bytes = b""

    def encode(self, text: str) -> bytes:
        """Encode ``text`` the way the original file was encoded (same codec, same BOM)."""
        return self.bom + text.encode(self.encoding)


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM shows as NULs in every other byte of ASCII-range text."""
    if len(data) < 4 or len(data) % 2:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    half = len(data) // 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0e, 0x20), 0x7f])


def _control_ratio(text: str) -> float:
    """Share of control characters in the first 64K characters. Counted on the UTF-8 bytes
    (control characters are single bytes there, never part of a longer sequence): a C
    translate instead of a regex match per character."""
    if not text:
        return 0.0
    sample = text[:65536]
    data = sample.encode("utf-8", "surrogatepass")
    return (len(data) - len(data.translate(None, _CONTROL_BYTES))) / len(sample)


def _is_han_or_cjk_punctuation(ch: str) -> bool:
    return ("\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
            or "\u2000" <= ch <= "\u206f" or "\u3400" <= ch <= "\u4dbf" or ch == "\u00b7")


def _plausible_chinese(data: bytes, encoding: str, common: str) -> str | None:
    """Text in a double-byte Chinese ``encoding`` if the bytes decode strictly, most non-ASCII
    characters are Han characters or CJK punctuation, and most of those are in the ``common``
    character set (GB2312 for GB18030, Big5's own for Big5). Statistical detectors misread short
    GBK text as Japanese or Korean; and Windows-1252 English ("\x93cat\x94") decodes as
    GB18030 too, but into rare characters (揷at), which the common set rules out, as it rules
    out Big5 read as GB18030 and the reverse."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    wide = [ch for ch in text[:65536] if ord(ch) > 127]
    if not wide:
        return None
    han = [ch for ch in wide if _is_han_or_cjk_punctuation(ch)]
    if len(han) < 0.9 * len(wide) or _control_ratio(text) >= 0.01:
        return None
    usual = 0
    for ch in han:
        try:
            ch.encode(common)
            usual += 1
        except UnicodeEncodeError:
            pass
    return text if usual >= 0.8 * len(han) else None


def _plausible_cp1252(data: bytes) -> str | None:
    """Windows-1252 text (English or another Western language from a Windows tool: curly
    quotes, dashes, accented letters) if it decodes strictly and at least half the characters
    are ASCII: Chinese or other double-byte text read so is mostly non-ASCII."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    sample = text[:65536]
    wide = sum(1 for ch in sample if ord(ch) > 127)
    return text if wide <= 0.5 * len(sample) and _control_ratio(text) < 0.01 else None


def decode(data: bytes, path: str) -> Decoded:
    """Decode file bytes or raise :class:`DecalqueError` naming the file and the reason."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(encoding), encoding, bom)
            except UnicodeDecodeError as exc:
                raise DecalqueError(f"not valid {encoding} after its byte-order mark "
                                    f"(byte {exc.start + len(bom)})", path) from None
    if b"\x00" in data:
        guess = _looks_utf16(data)
        if guess:
            try:
                text = data.decode(guess)
            except UnicodeDecodeError:
                text = None
            if text is not None and _control_ratio(text) < 0.01:
                return Decoded(text, guess)
        raise DecalqueError("binary file (contains NUL bytes)", path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _control_ratio(text) > 0.05:
            raise DecalqueError("binary file (control characters)", path)
        return Decoded(text, "utf-8")
    for encoding, common in (("gb18030", "gb2312"), ("big5hkscs", "big5")):
        chinese = _plausible_chinese(data, encoding, common)
        if chinese is not None:
            return Decoded(chinese, encoding)
    western = _plausible_cp1252(data)
    if western is not None:
        return Decoded(western, "cp1252")
    best = from_bytes(data[:1_000_000]).best()
    if best is None or best.encoding not in _TRUSTED:
        raise DecalqueError("cannot detect the text encoding (not UTF-8, UTF-16, GB18030, Big5 "
                            "or Windows-1252)", path)
    encoding = "gb18030" if best.encoding in {"gbk", "gb2312", "cp936"} else best.encoding
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecalqueError(f"undecodable as {encoding} at byte {exc.start}", path) from None
    if _control_ratio(text) > 0.05:
        raise DecalqueError("binary file (control characters)", path)
    return Decoded(text, encoding)


def sample_cut(data: bytes) -> bytes:
    """A prefix of ``data`` that ends after a line break, so that decoding a sample never
    splits a multibyte character (UTF-8, GB18030 and UTF-16 in either byte order)."""
    index = data.rfind(b"\n")
    if index < 0:
        return data
    cut = index + 1
    if cut % 2 == 1 and data[cut:cut + 1] == b"\x00":  # UTF-16-LE: 0A 00
        cut += 1
    return data[:cut]


# Commands that need a whole file in memory (align, score, extract, glossary files, imports)
# refuse larger ones instead of swapping; ``check`` streams files over 32 MB and has no limit.
WHOLE_FILE_LIMIT_MB = 256


def whole_file_limit() -> int:
    """The limit in bytes; DECALQUE_MAX_FILE_MB overrides it for machines with more memory."""
    value = os.environ.get("DECALQUE_MAX_FILE_MB", "")
    megabytes = int(value) if value.isdigit() and int(value) > 0 else WHOLE_FILE_LIMIT_MB
    return megabytes * 1024 * 1024


def read_bytes(path: str, limit: int, too_big: str) -> bytes:
    """A file's bytes, at most ``limit``; a larger file raises ``too_big`` (one line), and I/O
    problems become one-line :class:`DecalqueError`s naming the file."""
    try:
        with open(path, "rb") as handle:
            # a read of n bytes allocates n first: ask for the file's own size (plus one, to see
            # growth) rather than the limit; sizeless files (pipes, /proc) read up to the limit
            size = os.fstat(handle.fileno()).st_size
            want = min(size, limit) + 1 if size > 0 else limit + 1
            data = handle.read(want)
            if want <= limit and len(data) == want:  # the file grew since fstat
                data += handle.read(limit + 1 - want)
    except IsADirectoryError:
        raise DecalqueError("is a directory", path) from None
    except FileNotFoundError:
        raise DecalqueError("no such file", path) from None
    except PermissionError:
        raise DecalqueError("permission denied", path) from None
    except OSError as exc:
        raise DecalqueError(f"cannot read: {exc.strerror or exc}", path) from None
    if len(data) > limit:
        raise DecalqueError(too_big, path)
    return data


def read_text(path: str) -> Decoded:
    """Read and decode a whole file (at most :func:`whole_file_limit` bytes)."""
    limit = whole_file_limit()
    data = read_bytes(path, limit, f"file is over the {limit // 2**20} MB limit for reading a "
                                   f"whole file (set DECALQUE_MAX_FILE_MB to raise it)")
    return decode(data, path)
