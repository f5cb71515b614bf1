"""The PDF text layer: script runs with their own embedded font, right-to-left lines.

reportlab has no font fallback and no bidi (TECH-NOTES.md). So:

* fonts come from `resources/fonts/fonts.json` (Noto, embedded as subsets);
  every character is assigned to a script by the Unicode ranges there, and a
  character of no script (space, digit, punctuation) stays in the current run
  if that run's font has it, otherwise it goes to the default (Latin) font;
* Arabic-script text is reshaped (`arabic_reshaper`, presentation forms) and
  each *line* is reordered with the Unicode bidi algorithm (`python-bidi`,
  base direction from the paragraph language) after the paragraph has been
  broken into lines in logical order; the visual line is then cut into runs
  and drawn left to right;
* Ge'ez (Tigrinya) and Latin/Cyrillic need no shaping.

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

import arabic_reshaper
from bidi.algorithm import get_display
from bidi.mirror import MIRRORED
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS_DIR = Path(__file__).resolve().parent.parent.parent / "resources" / "fonts"
# Bidi controls, and joiners that have done their work in shaping (Farsi's ZWNJ in سه‌شنبه):
# none of them is drawn (Noto Sans Arabic has a visible glyph for ZWNJ).
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
                                        "\u200b\u200c\u200d\u2060\ufeff"))
_lock = threading.Lock()
# Vowel marks (harakat) are kept: translators write them (لطفاً, مسجّل) and names may carry them.
# They have zero advance in Noto Sans Arabic and sit over the preceding letter without GPOS.
# No Allah ligature (U+FDF2): it adds shadda and superscript alef that a name like عبدالله does not
# have, and Qt/HarfBuzz with the same font does not use it either. Lam-alef ligatures stay.
_reshaper = arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False, "support_ligatures": True,
                                                          "ARABIC LIGATURE ALLAH": False})
# Sorani ە and ێ are not in the reshaper's table, so they broke the joining (سە printed as س ە).
# Forms from encoded glyphs that look the same as the real ones (checked against HarfBuzz with
# Noto Sans Arabic): ە joins on the right only, its final glyph is heh's (U+FEEA); ێ is Farsi
# yeh (initial/medial with two dots below, final without) with a small v above (U+065A).
# ڵ and ڕ stay unjoined: no encoded form looks right (docs/languages.md, known gaps).
_reshaper.letters = {**_reshaper.letters,
                     "\u06d5": ("\u06d5", "", "", "\ufeea"),
                     "\u06ce": ("\u06ce", "\ufbfe\u065a", "\ufbff\u065a", "\ufbfd\u065a")}
# Shadda with a vowel, either order: one mark (U+FC5E–FC63, zero advance) stacks them as
# shaping would; drawn as two marks they overlap.
_SHADDA = dict(zip("\u064c\u064d\u064e\u064f\u0650\u0670", "\ufc5e\ufc5f\ufc60\ufc61\ufc62\ufc63", strict=True))
_SHADDA_RE = re.compile("\u0651([\u064c-\u0650\u0670])|([\u064c-\u0650\u0670])\u0651")


@dataclass(frozen=True)
class Script:
    key: str
    regular: str  # reportlab font names
    bold: str
    ranges: tuple[tuple[int, int], ...]
    rtl: bool
    cmap: frozenset


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
            for weight in ("regular", "bold"):
                name = f"Sprechstunde-{key}-{weight}"
                if name not in pdfmetrics.getRegisteredFontNames():
                    pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / entry[weight])))
                names.append(name)
            ranges = tuple(_code_range(r) for r in entry.get("ranges", ()))
            cmap = frozenset(pdfmetrics.getFont(names[0]).face.charToGlyph)
            out[key] = Script(key, names[0], names[1], ranges, bool(entry.get("rtl")), cmap)
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


@lru_cache(maxsize=16384)  # the same words and labels recur on every page and in every document
def shape(text: str) -> str:
    """Arabic letters in their joined presentation forms (logical order kept)."""
    if not has_rtl(text):
        return text
    return _SHADDA_RE.sub(lambda m: _SHADDA[m.group(1) or m.group(2)], _reshaper.reshape(text))


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


def _reorder(text: str, levels, base_level: int) -> str:
    """Rules L1 (trailing white space), L2 (reverse runs) and L4 (mirror at odd levels) for one line."""
    levels = list(levels)
    end = len(text)
    while end and text[end - 1] in " \t":
        end -= 1
        levels[end] = base_level
    chars = [MIRRORED.get(c, c) if lv % 2 else c for c, lv in zip(text, levels, strict=True)]
    order = list(range(len(chars)))
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
    return "".join(chars[i] for i in order)


def visual(line: str, rtl: bool, before: str = "", after: str = "") -> str:
    """One line of logical text in display order, ready to draw left to right.

    `before` and `after` are the rest of its paragraph (see `wrap_lines`): the levels are
    resolved over the whole paragraph and the line is reordered alone (rules L1-L2), so
    a comma or bracket at a line break takes its direction from the next line's words.
    """
    if not has_rtl(before + line + after):  # no right-to-left letters: nothing to reorder
        return line.translate(_BIDI_CONTROLS)
    shaped = shape(line)
    base = "R" if rtl else "L"
    pre = shape(before + " ") if before else ""  # lines break at spaces: shaping does not cross them
    post = shape(" " + after) if after else ""
    levels = _levels(pre + shaped + post, base)
    if levels is None:
        return get_display(shaped, base_dir=base).translate(_BIDI_CONTROLS)
    return _reorder(shaped, levels[len(pre):len(pre) + len(shaped)], 1 if rtl else 0).translate(_BIDI_CONTROLS)


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
    """Width of a text (logical order) drawn at `size`."""
    text = shape(text).translate(_BIDI_CONTROLS)
    return sum(_run_width(t, s.bold if bold else s.regular, size) for s, t in runs(text))


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

    `before`/`after`: the rest of the paragraph, for the bidi levels (`visual`)."""
    vis = visual(text, rtl, before, after)
    parts = [(s.bold if bold else s.regular, t) for s, t in runs(vis)]
    widths = [_run_width(t, font, size) for font, t in parts]
    total = sum(widths)
    x0 = x
    if align == "right":
        x = x + box_width - total
    elif align == "center":
        x = x + (box_width - total) / 2
    box = (x0, x0 + box_width) if box_width else None
    start = x
    for (font, t), w in zip(parts, widths, strict=True):
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
