"""Text helpers for e-mail: decoding bytes whatever the charset claims, HTML to text, quoted replies."""

from __future__ import annotations

import codecs
import functools
import html as htmllib
import re

from lxml import etree

# C0 controls other than tab, line feed and carriage return, DEL, and lone surrogates: PostgreSQL
# refuses NUL in text, and none of these is anything a person wrote.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Unix line ends, no control characters, no trailing spaces, at most one blank line in a row."""
    text = _CONTROL_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def clean_line(text: str) -> str:
    """A header value: one line, single spaces, no control characters."""
    return " ".join(_CONTROL_RE.sub("", text).split())


def _codec(charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        name = codecs.lookup(charset.strip().strip('"').lower()).name
    except (LookupError, ValueError):
        return None
    # Mail labelled Latin-1 is nearly always Windows-1252 (curly quotes, euro sign): the same
    # letters, plus printable characters where Latin-1 has invisible controls.
    return "cp1252" if name == "iso8859-1" else name


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Decode text whose declared charset may be missing, unknown or wrong; never raises.

    The declared charset is tried first, then UTF-8; if neither reads cleanly the text is decoded
    with replacement characters (or as Windows-1252, the usual mislabelled charset) rather than
    refused.
    """
    declared = _codec(charset)
    for candidate in (declared, "utf-8"):
        if candidate is None or candidate == "ascii":
            continue
        try:
            return data.decode(candidate)
        except UnicodeDecodeError:
            continue
    try:
        return data.decode("ascii")
    except UnicodeDecodeError:
        pass
    if declared not in (None, "ascii", "utf-8"):
        return data.decode(declared, errors="replace")
    as_utf8 = data.decode("utf-8", errors="replace")
    if any(ord(char) > 127 and char != "\ufffd" for char in as_utf8):
        return as_utf8  # UTF-8 with a few damaged bytes
    # No UTF-8 sequence at all: the usual truth behind a missing or wrong label is Windows-1252.
    return data.decode("cp1252", errors="replace")


# --- HTML -------------------------------------------------------------------------------------

# The most HTML converted for one body part: the converter is linear, and this bounds it. The rest
# is not lost: the message is kept as received (see `ingest.py`) and the text says it was cut.
MAX_HTML_CHARS = 3_000_000
HTML_CUT_NOTE = "[… the rest of this HTML message was too long to read here]"

_DROP_TAGS = frozenset({"script", "style", "head", "title", "noscript", "template", "svg", "object", "iframe"})
_PARAGRAPH_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "pre", "hr"})
_LINE_TAGS = frozenset({"div", "li", "tr", "dt", "dd", "section", "article", "header", "footer", "address"})
_SPACE_RE = re.compile(r"\s+")
_TAG_RE = re.compile(r"<[^<>]*>?")


def html_to_text(html: str) -> str:
    """Readable text from an HTML mail body: no scripts or styles, paragraphs and line breaks kept.

    One pass over the tree lxml (libxml2) builds, so the time grows with the size of the body and
    nothing else (the previous converter inserted markers into the tree, quadratic in the number
    of blocks: 20,000 `<div>`s took 92 s). A body libxml2 gives up on (nested deeper than its
    limit) is read without its layout rather than losing its words.
    """
    cut = len(html) > MAX_HTML_CHARS
    html = _CONTROL_RE.sub("", html[:MAX_HTML_CHARS])
    pieces = _html_pieces(html)
    if pieces is None:
        text = htmllib.unescape(_TAG_RE.sub(" ", html))
        pieces = [_SPACE_RE.sub(" ", text)]
    text = _BREAKS_RE.sub(_breaks, "".join(pieces))
    text = clean_text("\n".join(_quoted_lines(text.split("\n"))))
    return f"{text}\n\n{HTML_CUT_NOTE}" if cut else text


def _html_pieces(html: str) -> list[str] | None:
    """The text with block markers (below), or None when libxml2 could not read the whole body."""
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, encoding="utf-8")
    try:
        root = etree.fromstring(html.encode("utf-8"), parser)
    except (etree.ParserError, etree.XMLSyntaxError):
        root = None
    if any(error.level_name == "FATAL" for error in parser.error_log):
        return None
    if root is None:
        return []
    out: list[str] = []
    append = out.append
    fold = _SPACE_RE.sub
    dropping = preformatted = 0
    links: list[tuple[str, int]] = []
    # Written inline, not through helpers: this loop runs twice per element of the body.
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _DROP_TAGS:
                dropping += 1
            elif not dropping:
                marker = _OPEN_MARKERS.get(tag)
                if marker is not None:
                    append(marker)
                elif tag == "a":
                    links.append((str(element.get("href") or "").strip(), len(out)))
                elif tag == "pre":
                    append(_PARAGRAPH)
                    preformatted += 1
            text = element.text
        else:
            if tag in _DROP_TAGS:
                dropping -= 1
            elif not dropping:
                marker = _CLOSE_MARKERS.get(tag)
                if marker is not None:
                    append(marker)
                elif tag == "a" and links:
                    _link_address(out, *links.pop())
                elif tag == "pre":
                    append(_PARAGRAPH)
                    preformatted -= 1
            text = element.tail
        if text and not dropping:
            append(text if preformatted else fold(" ", text))
    return out


def _link_address(out: list[str], href: str, start: int) -> None:
    """A link whose text is not its address: the address is written after the text."""
    text = " ".join("".join(out[start:]).split())
    if href.startswith(("http://", "https://")) and text and href.rstrip("/") != text.rstrip("/"):
        out.append(f" ({href})")


# Block boundaries are marked while walking the tree and turned into line breaks at the end, so
# that nested blocks (<div><p>...</p></div>) give one blank line, not four.
_LINE, _PARAGRAPH = "\x01", "\x02"
# Quoted text (<blockquote>, how HTML replies quote) is written the plain-text way, with `>`.
_QUOTE_OPEN, _QUOTE_CLOSE = "\x03", "\x04"
_BREAKS_RE = re.compile(r"[ \t]*[\n\x01\x02][\s\x01\x02]*")
# What each tag writes where it opens and where it closes (<pre> and <a> are handled apart).
_OPEN_MARKERS = {
    "br": "\n",
    "li": _LINE + "- ",
    "blockquote": _PARAGRAPH + _QUOTE_OPEN,
    "td": " ",
    "th": " ",
    **dict.fromkeys(_LINE_TAGS - {"li"}, _LINE),
    **dict.fromkeys(_PARAGRAPH_TAGS - {"pre"}, _PARAGRAPH),
}
_CLOSE_MARKERS = {
    "li": _LINE,
    "blockquote": _QUOTE_CLOSE + _PARAGRAPH,
    "td": " ",
    "th": " ",
    **dict.fromkeys(_LINE_TAGS - {"li"}, _LINE),
    **dict.fromkeys(_PARAGRAPH_TAGS - {"pre"}, _PARAGRAPH),
}


def _breaks(match: re.Match[str]) -> str:
    return _break_run(match.group())


@functools.lru_cache(maxsize=1024)
def _break_run(run: str) -> str:
    """A block boundary is one line break (two for a paragraph); a <br> counts only inside a block:
    `text<br></div>` ends one line, `<div><br></div>` is an empty line of its own. (The same few
    runs recur all through a body, hence the cache.)"""
    markers = [run.index(marker) for marker in (_LINE, _PARAGRAPH) if marker in run]
    if not markers:
        return "\n" * run.count("\n")
    base = 2 if _PARAGRAPH in run else 1
    return "\n" * (base + run[min(markers) :].count("\n"))


def _quoted_lines(lines: list[str]) -> list[str]:
    if not any(_QUOTE_OPEN in line for line in lines):
        # Nothing quoted (most mail): each line's spaces folded, that is all.
        return [" ".join(line.split()) for line in lines]
    out: list[str] = []
    depth = 0
    for line in lines:
        opens, closes = line.count(_QUOTE_OPEN), line.count(_QUOTE_CLOSE)
        content = " ".join(line.replace(_QUOTE_OPEN, " ").replace(_QUOTE_CLOSE, " ").split())
        depth += opens
        if content:
            out.append(f"{'>' * depth} {content}" if depth else content)
        elif depth and out and out[-1].startswith(">") and out[-1].strip(">"):
            out.append(">" * depth)  # a blank line inside a quote, after something quoted
        elif not depth:
            out.append("")
        if closes:
            while out and out[-1] and not out[-1].strip(">"):
                out.pop()  # no empty quote lines at the end of a quote
        depth = max(0, depth - closes)
    return out


# --- Quoted replies ----------------------------------------------------------------------------

# "On Mon, 2 Nov 2026 at 10:00, Care team <care@example.com> wrote:" and its cousins; mail
# clients wrap it over two or three lines, so it is matched on the lines joined.
_ATTRIBUTION_RE = re.compile(
    r"^(On\b.{1,300}\bwrote|Am\b.{1,300}\bschrieb|Le\b.{1,300}\ba écrit|El\b.{1,300}\bescribió)\s*:$",
    re.IGNORECASE,
)
_SEPARATOR_RE = re.compile(r"^(-{2,}\s*(Original Message|Forwarded message)\s*-{2,}|_{20,})$", re.IGNORECASE)
_HEADER_BLOCK_RE = re.compile(r"^(From|Sent|Date|To|Subject|Cc|De|Von|Envoyé|Gesendet|Objet|Betreff)\s*:", re.I)


def _is_attribution(lines: list[str], index: int) -> bool:
    for span in (1, 2, 3):
        joined = " ".join(part.strip() for part in lines[index : index + span])
        if _ATTRIBUTION_RE.match(joined):
            return True
    return False


def _is_outlook_header(lines: list[str], index: int) -> bool:
    """`From: ...` followed by more mail headers: the top of a message quoted Outlook-style."""
    if not re.match(r"^(From|De|Von)\s*:", lines[index].strip(), re.IGNORECASE):
        return False
    following = [line.strip() for line in lines[index + 1 : index + 5] if line.strip()]
    return sum(1 for line in following if _HEADER_BLOCK_RE.match(line)) >= 2


def _quote_start(lines: list[str]) -> int | None:
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(">"):
            continue
        if _SEPARATOR_RE.match(stripped) or _is_outlook_header(lines, index):
            return index
        if _is_attribution(lines, index) and _quote_follows(lines, index):
            return index
    return None


def _quote_follows(lines: list[str], index: int) -> bool:
    """Clients that write "On ... wrote:" quote with `>`; without that it may be the customer's own words."""
    return any(line.strip().startswith(">") for line in lines[index + 1 : index + 5])


def strip_quoted(text: str) -> tuple[str, bool]:
    """The new part of a reply, and whether anything was removed.

    Cut where the quoted earlier message starts (an "On ... wrote:" line, an Outlook header block,
    or the trailing run of `>` lines), but only when something the customer wrote remains above
    it: answers written between quoted lines are kept whole.
    """
    lines = text.split("\n")
    start = _quote_start(lines)
    if start is not None:
        above = [line for line in lines[:start] if not line.strip().startswith(">")]
        if any(line.strip() for line in above):
            return clean_text("\n".join(lines[:start])), True
    end = len(lines)
    while end > 0 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith(">")):
        end -= 1
    if end == len(lines) or not any(line.lstrip().startswith(">") for line in lines[end:]):
        return text, False
    # Drop the attribution line(s) just above the trailing quote too.
    for span in (1, 2, 3):
        if end - span >= 0 and _is_attribution(lines, end - span):
            end -= span
            break
    kept = clean_text("\n".join(lines[:end]))
    if not kept:
        return text, False
    return kept, True
