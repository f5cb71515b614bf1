"""The PDF text layer: script runs with their own embedded font, right-to-left lines.

reportlab has no font fallback, no bidi and no right-to-left shaping of its own. So:

* fonts come from `resources/fonts/fonts.json` (Noto, embedded as subsets);
  every character is assigned to a script by the Unicode ranges there, and a
  character of no script (space, digit, punctuation) stays in the current run
  if that run's font has it, otherwise it goes to the default (Latin) font;
* a paragraph is broken into lines in logical order; each *line* is ordered
  with the Unicode bidi algorithm (`python-bidi`, levels resolved over the
  whole paragraph, base direction from the paragraph language) and cut into
  segments in display order: one font, one direction, contiguous in the text
  (`segments`);
* a segment of a shaped script (Arabic script: `"shaped"` in fonts.json, by
  default the right-to-left ones) is shaped by HarfBuzz in logical order
  (app.documents.shaping): joined letters for Arabic, Farsi, Dari, Pashto and
  Sorani, marks placed by the font; the other segments (Latin, Cyrillic,
  Ge'ez, digits) are drawn as characters, mirrored at right-to-left levels.

`drawn_lines()` lists, while its block runs, every line drawn (`DrawnLine`: its
text, where it starts and ends, the box it was set in, the page width): the
layout check of tests/app/test_documents_pseudo.py, which renders every
document with the longer pseudo translation and asserts no line leaves its
column or the page.
"""

from __future__ import annotations

import json
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bidi.mirror import MIRRORED
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from . import shaping

FONTS_DIR = Path(__file__).resolve().parent.parent.parent / "resources" / "fonts"
# Bidi controls: they order the line and are never drawn.
_CONTROLS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Joiners (Farsi's ZWNJ in سه‌شنبه) steer HarfBuzz in a shaped segment; elsewhere they are
# dropped (Noto Sans Arabic has a visible glyph for ZWNJ). Neither is drawn.
_BIDI_CONTROLS = shaping.IGNORED
_lock = threading.Lock()


@dataclass(frozen=True)
class Script:
    key: str
    regular: str  # reportlab font names
    bold: str
    ranges: tuple[tuple[int, int], ...]
    rtl: bool
    cmap: frozenset
    shaped: bool  # drawn through HarfBuzz (app.documents.shaping)


def _code_range(text: str) -> tuple[int, int]:
    """A fonts.json range such as "0600-06FF" as (first, last) code point."""
    lo, hi = text.split("-")
    return int(lo, 16), int(hi, 16)


@lru_cache(maxsize=1)
def scripts() -> tuple[dict[str, Script], str]:
    """The bundled scripts, registered with reportlab once; returns ({key: Script}, default key)."""
    with _lock:
        table = json.loads((FONTS_DIR / "fonts.json").read_text("utf-8"))
        out: dict[str, Script] = {}
        for key, entry in table["scripts"].items():
            if "same_as" in entry:
                continue
            names = []
            rtl = bool(entry.get("rtl"))
            shaped = bool(entry.get("shaped", rtl))
            for weight in ("regular", "bold"):
                name = f"Sprechstunde-{key}-{weight}"
                if name not in pdfmetrics.getRegisteredFontNames():
                    kind = shaping.ShapingFont if shaped else TTFont
                    pdfmetrics.registerFont(kind(name, str(FONTS_DIR / entry[weight])))
                names.append(name)
            ranges = tuple(_code_range(r) for r in entry.get("ranges", ()))
            cmap = frozenset(pdfmetrics.getFont(names[0]).face.charToGlyph)
            out[key] = Script(key, names[0], names[1], ranges, rtl, cmap, shaped)
        return out, table["default"]


@lru_cache(maxsize=8192)  # a few hundred distinct characters per document, asked for millions of times
def script_of(ch: str) -> str | None:
    """The script key whose ranges contain `ch`, or None (neutral or default script)."""
    cp = ord(ch)
    table, _default = scripts()
    for s in table.values():
        for lo, hi in s.ranges:
            if lo <= cp <= hi:
                return s.key
    return None


def runs(text: str) -> list[tuple[Script, str]]:
    """`text` (visual or logical order) cut into runs of one font each."""
    table, default = scripts()
    out: list[tuple[Script, str]] = []
    current: Script | None = None
    buf: list[str] = []
    for ch in text:
        key = script_of(ch)
        if key is not None:
            target = table[key]
        elif current is not None and ord(ch) in current.cmap:
            target = current
        else:
            target = table[default]
        if target is not current and current is not None and buf:
            out.append((current, "".join(buf)))
            buf = []
        current = target
        buf.append(ch)
    if buf and current is not None:  # `current` is set whenever `buf` holds a character
        out.append((current, "".join(buf)))
    return out


@lru_cache(maxsize=1)
def _rtl_letters() -> re.Pattern:
    """A character class of the right-to-left scripts' ranges (fonts.json)."""
    table, _d = scripts()
    ranges = "".join(f"\\U{lo:08x}-\\U{hi:08x}" for s in table.values() if s.rtl for lo, hi in s.ranges)
    return re.compile(f"[{ranges}]") if ranges else re.compile("(?!)")


def has_rtl(text: str) -> bool:
    return _rtl_letters().search(text) is not None


@lru_cache(maxsize=256)  # every line of a paragraph asks for the same paragraph's levels
def _levels(text: str, base: str) -> tuple[int, ...] | None:
    """Resolved bidi embedding levels per character, from python-bidi's Rust implementation.

    It implements the whole Unicode bidi algorithm, bracket pairs (rule N0) included,
    which the pure-Python `bidi.algorithm` lacks: there `ملف (Rechtskreis): SGB II`
    came out as `Rechtskreis): SGB II) ملف`. The levels are only exposed in its debug
    output (per UTF-8 byte); None if that is not available, then the caller falls back.
    """
    try:
        from bidi import get_display as uba
        debug = uba(text, base_dir=base, debug=True)
        body = debug.split("levels: [", 1)[1].split("]", 1)[0]
    except (ImportError, TypeError, AttributeError, IndexError):
        return None
    per_byte = [int(n) for n in re.findall(r"Level\(\s*(\d+)", body)]
    out, pos = [], 0
    for ch in text:
        if pos >= len(per_byte):
            return None
        out.append(per_byte[pos])
        pos += len(ch.encode("utf-8"))
    return tuple(out) if pos == len(per_byte) else None


def _levels_pure(text: str, base: str) -> tuple[int, ...]:
    """The levels from the pure-Python `bidi.algorithm` (no bracket pairs, no isolates): the fallback."""
    from bidi import algorithm as uba

    storage = uba.get_empty_storage()
    storage["base_level"] = uba.PARAGRAPH_LEVELS[base]
    storage["base_dir"] = base
    uba.get_embedding_levels(text, storage)
    chars = list(storage["chars"])  # rule X9 takes the explicit controls out of storage["chars"]
    uba.explicit_embed_and_overrides(storage)
    uba.resolve_weak_types(storage)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    return tuple(c["level"] for c in chars)


def _display_order(text: str, levels: list[int], base_level: int) -> list[int]:
    """Rules L1 (trailing white space to the base level, in `levels`) and L2 (reverse runs) for
    one line: the indices of `text` in display order, left to right."""
    end = len(text)
    while end and text[end - 1] in " \t":
        end -= 1
        levels[end] = base_level
    order = list(range(len(text)))
    odd = [lv for lv in levels if lv % 2]
    for level in range(max(levels, default=0), min(odd, default=1 << 8) - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order


@dataclass(frozen=True)
class Segment:
    """A piece of a line in one font. Shaped: `text` in logical order, `rtl` its direction
    (HarfBuzz lays it out). Not shaped: `text` in display order, mirrored, ready to draw."""
    script: Script
    text: str
    rtl: bool

    @property
    def display(self) -> str:
        """The characters left to right (shaped segments: the letters, unjoined)."""
        if self.script.shaped:
            text = self.text.translate(_BIDI_CONTROLS)
            return "".join(MIRRORED.get(c, c) for c in reversed(text)) if self.rtl else text
        return self.text


@lru_cache(maxsize=8192)  # lines repeat across documents and languages (labels, headings)
def segments(line: str, rtl: bool, before: str = "", after: str = "") -> tuple[Segment, ...]:
    """One line of logical text as segments in display order, drawn left to right.

    `before` and `after` are the rest of its paragraph (see `wrap_lines`): the levels are
    resolved over the whole paragraph and the line is reordered alone (rules L1-L2), so
    a comma or bracket at a line break takes its direction from the next line's words.
    """
    if not has_rtl(before + line + after):  # no right-to-left letters: nothing to reorder
        return tuple(Segment(s, t.translate(_BIDI_CONTROLS), False)
                     for s, t in runs(line.translate(_BIDI_CONTROLS)))
    base = "R" if rtl else "L"
    pre = before + " " if before else ""  # lines break at spaces
    post = " " + after if after else ""
    levels = _levels(pre + line + post, base) or _levels_pure(pre + line + post, base)
    kept = [i for i, c in enumerate(line) if c not in _CONTROLS]
    chars = "".join(line[i] for i in kept)
    lv = [levels[len(pre) + i] for i in kept]
    order = _display_order(chars, lv, 1 if rtl else 0)
    script_at: list[Script] = []
    for s, t in runs(chars):
        script_at += [s] * len(t)
    out: list[Segment] = []
    piece: list[tuple[str, bool]] = []
    script: Script | None = None
    odd = False
    last = -2
    for i in order:
        s, o = script_at[i], lv[i] % 2 == 1
        # a shaped segment is contiguous in the text and of one direction; the others only one font
        same = s is script and (not s.shaped or (o == odd and i == (last - 1 if o else last + 1)))
        if piece and script is not None and not same:
            out.append(_segment(script, piece, odd))
            piece = []
        script, odd, last = s, o, i
        piece.append((chars[i], o))
    if piece and script is not None:
        out.append(_segment(script, piece, odd))
    return tuple(seg for seg in out if seg.text)


def _segment(script: Script, piece: list[tuple[str, bool]], odd: bool) -> Segment:
    """The characters of one segment (display order, each with its level odd or not) as a Segment."""
    if script.shaped:
        text = "".join(c for c, _o in piece)
        return Segment(script, text[::-1] if odd else text, odd)
    text = "".join(MIRRORED.get(c, c) if o else c for c, o in piece)
    return Segment(script, text.translate(_BIDI_CONTROLS), False)


def visual(line: str, rtl: bool, before: str = "", after: str = "") -> str:
    """One line in display order, as characters left to right (see `segments`; the letters of
    shaped segments unjoined): what the order tests read."""
    return "".join(seg.display for seg in segments(line, rtl, before, after))


def isolate(value: str) -> str:
    """A value set into a sentence (name, place, date) as a bidi isolate (FSI … PDI, like HTML's
    <bdi>): it keeps its own direction, so `الاسم: Karim O.` does not print as `.Karim O :الاسم`."""
    return f"\u2068{value}\u2069" if value else value


@lru_cache(maxsize=32768)
def _run_width(text: str, font: str, size: float) -> float:
    """reportlab's width of a run in one font (pure Python without its C accelerator: cached)."""
    return pdfmetrics.stringWidth(text, font, size)


@lru_cache(maxsize=32768)  # line breaking measures every word, and most words recur
def width(text: str, size: float, bold: bool = False) -> float:
    """Width of a text (logical order) drawn at `size`; a shaped run as HarfBuzz sets it."""
    total = 0.0
    for s, t in runs("".join(c for c in text if c not in _CONTROLS)):
        font = s.bold if bold else s.regular
        if s.shaped:
            total += shaping.shaped(t, font, s.rtl).advance * size / 1000
        else:
            total += _run_width(t.translate(_BIDI_CONTROLS), font, size)
    return total


def wrap(text: str, max_width: float, size: float, bold: bool = False) -> list[str]:
    """Break logical text into lines that fit `max_width` (explicit newlines kept)."""
    lines: list[str] = []
    space = width(" ", size, bold)
    for para in str(text).split("\n"):
        words = para.split(" ")
        line: list[str] = []
        line_w = 0.0
        for word in words:
            w = width(word, size, bold)
            if line and line_w + space + w > max_width:
                lines.append(" ".join(line))
                line, line_w = [], 0.0
            while not line and w > max_width and len(word) > 1:  # one over-long word: cut it
                cut = len(word)
                while cut > 1 and width(word[:cut], size, bold) > max_width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
                w = width(word, size, bold)
            line.append(word)
            line_w = w if len(line) == 1 else line_w + space + w
        lines.append(" ".join(line))
    return lines


def wrap_lines(text: str, max_width: float, size: float, bold: bool = False) -> list[tuple[str, str, str]]:
    """`wrap`, each line with the text before and after it in its paragraph (for `draw_line`)."""
    out = []
    for para in str(text).split("\n"):
        lines = wrap(para, max_width, size, bold)
        out += [(line, " ".join(lines[:i]), " ".join(lines[i + 1:])) for i, line in enumerate(lines)]
    return out


def draw_line(canvas, x: float, y: float, text: str, size: float, *, bold: bool = False,
              rtl: bool = False, align: str = "left", box_width: float = 0.0,
              before: str = "", after: str = "") -> float:
    """Draw one line (logical order) at baseline y; align left/right/center within box_width. Returns its width.

    `before`/`after`: the rest of the paragraph, for the bidi levels (`segments`)."""
    parts: list[tuple[str, str | shaping.Run]] = []
    widths: list[float] = []
    for seg in segments(text, rtl, before, after):
        font = seg.script.bold if bold else seg.script.regular
        if seg.script.shaped:  # glyphs and positions from HarfBuzz
            run = shaping.shaped(seg.text, font, seg.rtl)
            parts.append((font, run))
            widths.append(run.advance * size / 1000)
        else:
            parts.append((font, seg.text))
            widths.append(_run_width(seg.text, font, size))
    total = sum(widths)
    x0 = x
    if align == "right":
        x = x + box_width - total
    elif align == "center":
        x = x + (box_width - total) / 2
    box = (x0, x0 + box_width) if box_width else None
    start = x
    for (font, t), w in zip(parts, widths, strict=True):
        if isinstance(t, shaping.Run):
            shaping.draw(canvas, x, y, t, font, size)
        else:
            canvas.setFont(font, size)
            canvas.drawString(x, y, t)
        x += w
    seen = getattr(_drawn, "lines", None)
    if seen is not None:
        seen.append(DrawnLine(text, start, start + total, box, canvas._pagesize[0], canvas.getPageNumber(), y))
    return total


@dataclass(frozen=True)
class DrawnLine:
    text: str
    left: float
    right: float
    box: tuple[float, float] | None  # the column or box the line was aligned in, if any
    page_width: float
    page: int
    baseline: float


_drawn = threading.local()


@contextmanager
def drawn_lines():
    """`with drawn_lines() as lines:` every line drawn in this thread meanwhile is appended to `lines`."""
    _drawn.lines = []
    try:
        yield _drawn.lines
    finally:
        del _drawn.lines
