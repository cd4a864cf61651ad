"""The one document reader: decode, mask markup, and map offsets to line:col.

Matching runs on ``masked``, a copy of the text of the same length in which Markdown/HTML
markup, code and URLs are blanked with spaces (line breaks kept; a block element's tag, such as
</p> or <td>, becomes a line break and spaces, as it ends a line on the rendered page).
Offsets found there are offsets in the original text, so positions, fixes and suppressions need
no mapping.
"""

from __future__ import annotations

import bisect
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import PurePath

from glossary.encoding import Decoded, decode, read_text, sample_cut
from glossary.errors import DecalqueError

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})

_WEB = r"(?:https?|ftp)://[^\s<>\"'）)\]]+|www\.[^\s<>\"'）)\]]+"
_EMAIL = r"[\w.+-]+@[\w-]+\.[\w.-]+"
_URL = _WEB + "|" + _EMAIL
_MD_PATTERNS = re.compile(
    "|".join([
        r"\A---\r?\n.*?\n---[ \t]*(?=\r?\n|\Z)",           # YAML front matter
        r"^[ \t]{0,3}(?P<fence>```+|~~~+)[^\n]*\n.*?(?:^[ \t]{0,3}(?P=fence)[ \t]*$|\Z)",
        r"^(?:    |\t)[^\n]*$",                            # indented code line
        r"<!--.*?-->",                                     # comments (suppressions read raw)
        r"(?P<tick>`+)(?:(?!(?P=tick)).)+?(?P=tick)",      # inline code
        r"\]\([^)\n]*\)",                                  # link target ](...)
        r"^\s*\[[^\]\n]+\]:[^\n]*$",                       # reference definition
        r"</?[A-Za-z][^>\n]*>",                            # inline HTML tag
        _URL,
    ]),
    re.DOTALL | re.MULTILINE,
)
_HTML_PATTERNS = re.compile(
    "|".join([
        r"<!--.*?-->",
        r"<(script|style|pre|code)\b.*?</\1\s*>",
        r"<[^>]*>",
        r"&[#\w]+;",
        _URL,
    ]),
    re.DOTALL | re.IGNORECASE,
)
_TEXT_PATTERNS = re.compile(_URL)
_TEXT_WEB = re.compile(_WEB)
_NOT_NEWLINE = re.compile(r"[^\r\n]")


def _blank(match: re.Match[str]) -> str:
    return _NOT_NEWLINE.sub(" ", match.group())


# HTML elements that end a line of rendered text: their tags blank to a line break and spaces,
# so that a heading, paragraph or cell ends its sentence for the rules that look back for one.
_BLOCK_TAG = re.compile(
    r"</?(?:address|article|aside|blockquote|body|br|caption|dd|div|dl|dt|figcaption|figure|"
    r"footer|form|h[1-6]|head|header|hr|html|li|main|nav|ol|p|section|table|tbody|td|tfoot|th|"
    r"thead|title|tr|ul)\b[^>]*>", re.IGNORECASE)


def _blank_markup(match: re.Match[str]) -> str:
    blank = _NOT_NEWLINE.sub(" ", match.group())
    if blank[0] == " " and _BLOCK_TAG.fullmatch(match.group()):
        return "\n" + blank[1:]
    return blank


def kind_of(path: str) -> str:
    """'md', 'html' or 'txt', from the file name (stdin and unknown suffixes are text)."""
    suffix = PurePath(path).suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        return "md"
    if suffix in HTML_SUFFIXES:
        return "html"
    return "txt"


def mask(text: str, kind: str) -> str:
    """Blank markup, code and URLs with spaces; same length, line breaks kept (block tags add
    one)."""
    if kind == "md":
        return _MD_PATTERNS.sub(_blank_markup, text)
    if kind == "html":
        return _HTML_PATTERNS.sub(_blank_markup, text)
    # plain text: skip the regex scan entirely when nothing URL-like can be present
    if "@" in text:
        return _TEXT_PATTERNS.sub(_blank, text)
    if (":" in text and "://" in text) or "www." in text:  # ':' alone is a fast memchr
        return _TEXT_WEB.sub(_blank, text)
    return text


@dataclass(frozen=True)
class Document:
    """A decoded document: original text, masked text for matching, and a line index."""

    path: str
    text: str
    kind: str = "txt"
    encoding: str = "utf-8"
    bom: bytes = b""
    masked: str = ""
    first_line: int = 1
    first_col: int = 1  # column of the first character (a chunk may start mid-line)
    _line_starts: list[int] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def from_text(cls, text: str, path: str = "<stdin>", kind: str | None = None,
                  decoded: Decoded | None = None, first_line: int = 1,
                  first_col: int = 1) -> Document:
        kind = kind or kind_of(path)
        return cls(
            path=path, text=text, kind=kind,
            encoding=decoded.encoding if decoded else "utf-8",
            bom=decoded.bom if decoded else b"",
            masked=mask(text, kind), first_line=first_line, first_col=first_col,
        )

    def line_starts(self) -> list[int]:
        if not self._line_starts:
            # line lengths from one split: far cheaper than a regex match object per line
            starts = [0]
            starts.extend(accumulate(len(line) + 1 for line in self.text.split("\n")[:-1]))
            self._line_starts.extend(starts)
        return self._line_starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset; columns count characters, and a CRLF
        line's ``\\r`` belongs to the line end, so columns agree with LF files."""
        starts = self.line_starts()
        index = bisect.bisect_right(starts, offset) - 1
        col = offset - starts[index] + 1
        return index + self.first_line, col + (self.first_col - 1 if index == 0 else 0)

    def span(self, start: int, end: int) -> tuple[int, int, int, int]:
        """``position`` of both ends of a span at once (line, col, end_line, end_col): one
        index lookup, and one bisect when the span ends on its first line (the usual case)."""
        starts = self._line_starts or self.line_starts()
        index = bisect.bisect_right(starts, start) - 1
        end_index = index
        if index + 1 < len(starts) and starts[index + 1] <= end:
            end_index = bisect.bisect_right(starts, end) - 1
        shift = self.first_col - 1
        col = start - starts[index] + 1 + (shift if index == 0 else 0)
        end_col = end - starts[end_index] + 1 + (shift if end_index == 0 else 0)
        return index + self.first_line, col, end_index + self.first_line, end_col

    def line_text(self, line: int) -> str:
        """The text of a 1-based line without its line ending."""
        starts = self.line_starts()
        line -= self.first_line - 1
        if not 1 <= line <= len(starts):
            return ""
        end = starts[line] if line < len(starts) else len(self.text)
        return self.text[starts[line - 1]:end].rstrip("\r\n")

    def encode(self, text: str) -> bytes:
        """Bytes for a rewritten version of this document, in its own encoding and BOM."""
        return Decoded(self.text, self.encoding, self.bom).encode(text)


# Files larger than this are checked in chunks so memory does not grow with the file.
STREAM_THRESHOLD = 32 * 1024 * 1024
CHUNK_CHARS = 4 * 1024 * 1024


def _cut_point(text: str) -> int:
    """Where to end a chunk: after a blank line if there is one in the second half, else after
    the last line break, else after the last space (a file can be one huge line)."""
    half = len(text) // 2
    for sep in ("\n\n", "\r\n\r\n", "\n", ". ", "。", "; ", " "):
        index = text.rfind(sep, half)
        if index >= 0:
            return index + len(sep)
    return len(text)


def iter_chunks(path: str, chunk_chars: int | None = None) -> Iterator[Document]:
    """Stream a large file as Documents of about ``chunk_chars`` characters, cut at paragraph
    or line boundaries, each knowing its first line number. Encoding is detected on the first
    megabyte; a decoding error later on raises DecalqueError with the file name."""
    try:
        with open(path, "rb") as handle:
            sample = handle.read(1 << 20)
    except OSError as exc:
        raise DecalqueError(f"cannot read: {exc.strerror}", path) from None
    meta = decode(sample_cut(sample), path)
    chunk_chars = chunk_chars or CHUNK_CHARS
    kind = kind_of(path)
    first_line = 1
    first_col = 1
    carry = ""
    try:
        with open(path, "rb") as raw:
            raw.seek(len(meta.bom))
            stream = io.TextIOWrapper(raw, encoding=meta.encoding, errors="strict", newline="")
            while True:
                block = stream.read(chunk_chars)
                if not block:
                    break
                text = carry + block
                cut = _cut_point(text)
                chunk, carry = text[:cut], text[cut:]
                yield Document.from_text(chunk, path, kind, meta, first_line, first_col)
                newlines = chunk.count("\n")
                first_col = (len(chunk) - chunk.rfind("\n") if newlines
                             else first_col + len(chunk))
                first_line += newlines
    except UnicodeDecodeError as exc:
        raise DecalqueError(f"undecodable as {meta.encoding} after line {first_line} "
                            f"({exc.reason})", path) from None
    except OSError as exc:
        raise DecalqueError(f"cannot read: {exc.strerror}", path) from None
    if carry:
        yield Document.from_text(carry, path, kind, meta, first_line, first_col)


def read_document(path: str) -> Document:
    """Read a file into a Document; raises DecalqueError (one line) if it cannot be read."""
    decoded = read_text(path)
    return Document.from_text(decoded.text, path, decoded=decoded)
