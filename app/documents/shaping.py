"""OpenType shaping of a PDF text run with HarfBuzz: the glyphs and positions reportlab draws.

reportlab draws code points; Arabic script needs the font's own joined forms
(GSUB) and mark positions (GPOS), and many of those glyphs have no code point
(Pashto `ښ ځ څ ګ ټ ډ ړ ږ ڼ ۍ`, Sorani `ڵ ڕ` have no presentation forms). So a
run is shaped with `uharfbuzz` (the HarfBuzz reference shaper, as in Qt) and
each glyph is given a key reportlab can draw: the character the font's cmap maps
to that glyph (the letter, or its presentation form), otherwise a private code
point (plane 15) that this font maps to the glyph. reportlab embeds the keys'
glyphs in its subsets and sets them with HarfBuzz's advances (`ShapedStr`, the
route of reportlab's own `shaping=True`, which cannot lay out right-to-left
lines). A glyph HarfBuzz moves off the pen position (a vowel mark) is drawn as
its outline; the text holds an empty glyph for it on the baseline (`shaped`).

The ToUnicode map of each subset gives every private key the letters it stands
for (`ShapingFont.addObjects`): a PDF reader extracts and copies letters and
presentation forms (NFKC gives the letters), as it did before HarfBuzz, never
private code points.

`shaped(text, font_name, rtl)` takes one run in logical order, in one font, at
one direction; the caller (app.documents.text) cuts the lines into such runs
after the bidi algorithm has ordered them, and draws them with `draw`.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import uharfbuzz as hb
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, ShapeData, ShapedStr, TTFont
from reportlab.pdfgen.canvas import FILL_NON_ZERO

# Not drawn and not in the extracted text: bidi controls and joiners, which HarfBuzz applies
# (ZWNJ in Farsi سه‌شنبه ends the joining) and then removes.
IGNORED = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u061c"
                                 "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_FIRST_KEY, _LAST_KEY = 0xF0000, 0xFFFFD  # Supplementary Private Use Area-A: no font we bundle maps it


class ShapingFont(TTFont):
    """A reportlab TrueType font that also draws HarfBuzz glyphs, with their letters in ToUnicode."""

    def __init__(self, name: str, filename: str):
        super().__init__(name, filename)
        face = hb.Face(hb.Blob(Path(filename).read_bytes()))
        self.hb_font = hb.Font(face)  # scale = units per em: positions in font units
        self.scale = 1000 / face.upem  # to reportlab's text space (1/1000 of the font size)
        self._keys: dict[tuple[int, str], str] = {}
        self._texts: dict[int, str] = {}  # private key -> the letters it stands for
        self._next = _FIRST_KEY
        self._key_lock = threading.Lock()
        # an empty glyph of no advance (the font's U+200B): the text of a glyph drawn as an outline
        empty = self.hb_font.get_nominal_glyph(0x200B)
        blank = empty is not None and not self.hb_font.get_glyph_h_advance(empty)
        self.empty_glyph = empty if blank and not self.hb_font.get_glyph_extents(empty).width else None

    def key(self, gid: int, text: str) -> str:
        """The character reportlab draws for glyph `gid` standing for `text`."""
        if len(text) == 1 and self.face.charToGlyph.get(ord(text)) == gid:
            return text
        key = self._keys.get((gid, text))
        if key is None:
            with self._key_lock:
                key = self._keys.get((gid, text))
                if key is None:
                    key = self._own_code(gid, text)
                if key is None:
                    if self._next > _LAST_KEY:
                        raise RuntimeError(f"{self.fontName}: no private code point left for glyph {gid}")
                    code, self._next = self._next, self._next + 1
                    self.face.charToGlyph[code] = gid
                    self.face.charWidths[code] = self.hb_font.get_glyph_h_advance(gid) * self.scale
                    self._texts[code] = text
                    key = self._keys[(gid, text)] = chr(code)
        return key

    def _own_code(self, gid: int, text: str) -> str | None:
        """The glyph's own code point if it stands for `text`: a presentation form (`ﺳ` for `س`
        initial, `ﻼ` for `لا`), which readers know and NFKC turns back into the letters."""
        letters = unicodedata.normalize("NFKC", text)
        for code in self.face.glyphToChar.get(gid, ()):
            if 0xFB50 <= code <= 0xFEFF and unicodedata.normalize("NFKC", chr(code)) == letters:
                self._keys[(gid, text)] = chr(code)
                return chr(code)
        return None

    def addObjects(self, doc):
        """reportlab's subsets, then the ToUnicode maps of those holding private keys rewritten."""
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        super().addObjects(doc)
        for n, subset in enumerate(subsets):
            if not any(code in self._texts for code in subset):
                continue
            base = (b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))).decode("pdfdoc")
            doc.idToObject["toUnicodeCMap:" + base].content = to_unicode_cmap(base, subset, self._texts)


@lru_cache(maxsize=1)
def _ligatures() -> dict[str, str]:
    """Letters -> the presentation form that stands for them (`لا` -> U+FEFB), Unicode's own table.

    A ligature glyph in a right-to-left line is given its presentation form in ToUnicode, not
    its letters: a PDF reader reverses a right-to-left line character by character, and
    would turn the letters of one glyph round (`لاسلیک` came out as `السلیک`). NFKC gives
    the letters back. Marks are left out: their forms carry a space."""
    out: dict[str, str] = {}
    for block in (range(0xFB50, 0xFE00), range(0xFE70, 0xFF00)):
        for cp in block:
            letters = unicodedata.normalize("NFKC", chr(cp))
            if len(letters) > 1 and not letters.startswith(" ") and unicodedata.category(chr(cp)) == "Lo":
                out.setdefault(letters, chr(cp))
    return out


def _letters(text: str, clusters: list[int], rtl: bool) -> list[str]:
    """The letters each glyph (visual order, with its cluster) stands for in ToUnicode.

    A glyph of one cluster gets the cluster's letters (ignorables left out; a ligature in a
    right-to-left run its presentation form, see `_ligatures`). A cluster of several glyphs
    (HarfBuzz merges a mark into its letter's cluster: `أُ`) shares them out in logical order,
    one letter per glyph, the rest to the last; a glyph left without one stands for U+200B."""
    starts = sorted(set(clusters))
    ends = dict(zip(starts, starts[1:] + [len(text)], strict=True))
    members: dict[int, list[int]] = {}
    for i, cluster in enumerate(clusters):
        members.setdefault(cluster, []).append(i)
    out = [""] * len(clusters)
    for cluster, glyphs in members.items():
        chars = text[cluster:ends[cluster]].translate(IGNORED)
        if rtl:
            glyphs = glyphs[::-1]  # visual order of a right-to-left run is the reverse of logical
        if len(glyphs) == 1:
            out[glyphs[0]] = _ligatures().get(chars, chars) if rtl and len(chars) > 1 else chars
            continue
        for j, g in enumerate(glyphs):
            out[g] = chars[j:] if j == len(glyphs) - 1 else chars[j:j + 1]
    return [chars or "\u200b" for chars in out]


def _utf16(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def to_unicode_cmap(name: str, subset: list[int], texts: dict[int, str]) -> str:
    """A ToUnicode CMap for one subset: code i -> the letters of its key (PDF 1.7, 9.10.3)."""
    pairs = [f"<{i:02X}> <{_utf16(texts.get(code, chr(code)))}>" for i, code in enumerate(subset)]
    blocks = []
    for start in range(0, len(pairs), 100):  # at most 100 entries per bfchar block
        chunk = pairs[start:start + 100]
        blocks += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        f"/CIDSystemInfo << /Registry ({name}) /Ordering ({name}) /Supplement 0 >> def",
        f"/CMapName /{name} def", "/CMapType 2 def",
        "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
        *blocks, "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"])


@dataclass(frozen=True)
class Run:
    """A shaped run: `glyphs` for reportlab's text (a ShapedStr), `advance` in 1/1000 of the size,
    and the glyphs HarfBuzz moves off the pen position (`marks`: glyph id and where it goes)."""
    glyphs: ShapedStr
    advance: float
    marks: tuple[tuple[int, float, float], ...]  # (glyph id, x from the run's start, y), 1/1000 of the size


@lru_cache(maxsize=16384)  # the same words and labels recur on every page and in every document
def shaped(text: str, font_name: str, rtl: bool) -> Run:
    """One run (logical order, one font) as it is drawn.

    The glyphs come in visual order (left to right); each glyph's key stands for its letters
    (`_letters`). A glyph HarfBuzz offsets (a vowel mark placed over its letter, `أُ` with the
    damma raised over the hamza) is drawn as an outline at its place (`draw`), and the text
    gets an empty glyph on the baseline that stands for its letters: moved text confuses
    readers' text extraction (PDFium broke `مُحَمَّد` over two lines at a raised mark)."""
    font = pdfmetrics.getFont(font_name)
    buf = hb.Buffer()
    buf.add_str(text)
    buf.direction = "rtl" if rtl else "ltr"
    buf.guess_segment_properties()  # script from the letters (Arab)
    buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS  # a mark is its own cluster
    buf.flags = hb.BufferFlags.REMOVE_DEFAULT_IGNORABLES
    hb.shape(font.hb_font, buf, {})
    infos, positions = buf.glyph_infos, buf.glyph_positions
    letters = _letters(text, [info.cluster for info in infos], rtl)
    scale = font.scale
    keys: list[str] = []
    data: list[ShapeData] = []
    marks: list[tuple[int, float, float]] = []
    pen = 0.0
    for info, pos, chars in zip(infos, positions, letters, strict=True):
        gid, advance = info.codepoint, pos.x_advance * scale
        dx, dy = pos.x_offset * scale, pos.y_offset * scale
        if (dx or dy) and font.empty_glyph is not None:
            marks.append((gid, pen + dx, dy))
            gid, dx, dy = font.empty_glyph, 0.0, 0.0
        key = font.key(gid, chars)
        keys.append(key)  # a font without an empty glyph: reportlab moves the glyph (text rise)
        data.append(ShapeData(info.cluster, advance, 0.0, dx, dy, font.face.charWidths.get(ord(key), advance)))
        pen += advance
    return Run(ShapedStr("".join(keys), shapeData=data), pen, tuple(marks))


class _PathPen:
    """Collects a glyph outline from HarfBuzz as path operations (cubic curves), 1/1000 of the size."""

    def __init__(self, scale: float):
        self.scale = scale
        self.ops: list[tuple] = []
        self._at = (0.0, 0.0)

    def moveTo(self, p):  # the pen protocol's names (fontTools, uharfbuzz)
        self._at = (p[0] * self.scale, p[1] * self.scale)
        self.ops.append(("moveTo", *self._at))

    def lineTo(self, p):
        self._at = (p[0] * self.scale, p[1] * self.scale)
        self.ops.append(("lineTo", *self._at))

    def curveTo(self, c1, c2, p):
        k = self.scale
        self._at = (p[0] * k, p[1] * k)
        self.ops.append(("curveTo", c1[0] * k, c1[1] * k, c2[0] * k, c2[1] * k, *self._at))

    def qCurveTo(self, c, p):  # a quadratic Bezier as the cubic it equals
        k = self.scale
        (x0, y0), (cx, cy), (x, y) = self._at, (c[0] * k, c[1] * k), (p[0] * k, p[1] * k)
        self.ops.append(("curveTo", x0 + 2 / 3 * (cx - x0), y0 + 2 / 3 * (cy - y0),
                         x + 2 / 3 * (cx - x), y + 2 / 3 * (cy - y), x, y))
        self._at = (x, y)

    def closePath(self):
        self.ops.append(("close",))


@lru_cache(maxsize=1024)
def outline(font_name: str, gid: int) -> tuple[tuple, ...]:
    """A glyph's outline as path operations, 1/1000 of the size (see `_PathPen`)."""
    font = pdfmetrics.getFont(font_name)
    pen = _PathPen(font.scale)
    font.hb_font.draw_glyph_with_pen(gid, pen)
    return tuple(pen.ops)


def draw(canvas, x: float, y: float, run: Run, font_name: str, size: float) -> None:
    """Draw a shaped run with its left end at x on baseline y (the canvas's fill colour)."""
    canvas.setFont(font_name, size)
    canvas.drawString(x, y, run.glyphs)
    if not run.marks:
        return
    k = size / 1000
    path = canvas.beginPath()
    for gid, dx, dy in run.marks:
        x0, y0 = x + dx * k, y + dy * k
        for op, *xy in outline(font_name, gid):
            if op == "close":
                path.close()
            else:
                getattr(path, op)(*(x0 + v * k if i % 2 == 0 else y0 + v * k for i, v in enumerate(xy)))
    canvas.drawPath(path, stroke=0, fill=1, fillMode=FILL_NON_ZERO)
