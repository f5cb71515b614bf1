"""A small flowing page layout for bilingual documents on A4.

`Page(lang)` keeps a cursor and starts new pages as needed. Bilingual blocks
put German in the left column and the client's language in the right one
(right-aligned and reordered for right-to-left languages); when the client
language is German the German text spans the page. Every text goes through
`text.draw_line`, so each script gets its own embedded font.

Document metadata never holds personal data: title, subject and creator name
the document kind, not the person (DOMAIN.md, data protection).
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

import i18n
from i18n import D_
from i18n import locale as loc
from i18n.bidi import isolate_ltr_runs

from . import text as T

MARGIN = 18 * mm
GUTTER = 8 * mm
BODY = 10.5
SMALL = 8
LEADING = 1.35
PAGE = D_("Page")


class Page:
    def __init__(self, lang: str, title_msgid: str, footer: str = "", gender: str | None = None):
        self.lang = loc.normalize(lang) or lang
        self.gender = gender  # the person's sex: picks gendered variants of texts about them (i18n.translate)
        self.rtl = loc.is_rtl(self.lang)
        self.bilingual = self.lang != "de"
        self.buf = io.BytesIO()
        table, default = T.scripts()  # registered before the canvas: no unembedded Helvetica anywhere
        self.c = Canvas(self.buf, pagesize=A4, pageCompression=1, lang=self.lang,
                        initialFontName=table[default].regular, initialFontSize=BODY)
        self.width, self.height = A4
        title = i18n.translate(title_msgid, "de")
        self.c.setTitle(title)
        self.c.setSubject(title_msgid)
        self.c.setAuthor("Integration Point Kreis Warendorf")
        self.c.setCreator("Sprechstunde")
        self.c.setKeywords([self.lang])
        self.footer = footer
        self.page_no = 1
        self._held: list[tuple[list[str], float, bool, float]] = []  # headings waiting for their first line
        self.y = self.height - MARGIN

    # -- geometry ------------------------------------------------------------
    @property
    def inner(self) -> float:
        return self.width - 2 * MARGIN

    @property
    def col(self) -> float:
        return (self.inner - GUTTER) / 2 if self.bilingual else self.inner

    def columns(self) -> list[tuple[float, float, str, bool]]:
        """(x, width, language, rtl) of the German and, if bilingual, the client column."""
        if not self.bilingual:
            return [(MARGIN, self.inner, "de", False)]
        return [(MARGIN, self.col, "de", False),
                (MARGIN + self.col + GUTTER, self.col, self.lang, self.rtl)]

    def ensure(self, height: float) -> None:
        if self.y - height < MARGIN + 10 * mm:
            self.new_page()

    def new_page(self) -> None:
        self._draw_footer()
        self.c.showPage()
        self.page_no += 1
        self.y = self.height - MARGIN

    def _draw_footer(self) -> None:
        self.c.setLineWidth(0.3)
        self.c.line(MARGIN, MARGIN + 4 * mm, self.width - MARGIN, MARGIN + 4 * mm)
        label = f"{i18n.translate(PAGE, 'de')} {self.page_no}"
        if self.bilingual:
            label = f"{i18n.translate(PAGE, self.lang)} {loc.format_number(self.page_no, self.lang)} · {label}"
        T.draw_line(self.c, MARGIN, MARGIN, self.footer, SMALL)
        T.draw_line(self.c, MARGIN, MARGIN, label, SMALL, align="right", box_width=self.inner)

    def finish(self) -> bytes:
        self._release(0)
        self._draw_footer()
        self.c.showPage()
        self.c.save()
        return self.buf.getvalue()

    # -- text in both languages ------------------------------------------------
    def tr(self, msgid: str, lang: str, **fmt) -> str:
        text = i18n.translate(msgid, lang, self.gender)
        return text.format(**fmt) if fmt else text

    def lines_height(self, n: int, size: float) -> float:
        return n * size * LEADING

    def text_block(self, x: float, w: float, y: float, text: str, size: float, bold: bool, rtl: bool) -> float:
        """Draw wrapped text from baseline y down; returns the height used.

        In a right-to-left column, Latin runs (a legal citation such as `§ 25 Abs. 2 AufenthG`,
        numbers) are isolates, so they keep their order (i18n.bidi)."""
        if rtl:
            text = isolate_ltr_runs(text)
        lines = T.wrap_lines(text, w, size, bold)
        for i, (line, before, after) in enumerate(lines):
            T.draw_line(self.c, x, y - i * size * LEADING, line, size, bold=bold, rtl=rtl,
                        align="right" if rtl else "left", box_width=w, before=before, after=after)
        return self.lines_height(len(lines), size)

    def _pair_height(self, texts: list[str], size: float, bold: bool) -> float:
        return max(self.lines_height(len(T.wrap(t, w, size, bold)), size)
                   for t, (_x, w, _l, _r) in zip(texts, self.columns(), strict=False))

    def hold(self, texts: list[str], size: float = BODY, bold: bool = True, gap: float = 2.5) -> None:
        """A heading that is drawn together with the next block: never alone at the foot of a page
        (reportlab's keepWithNext for our flowing page)."""
        self._held.append((texts, size, bold, gap))

    def _release(self, following: float) -> None:
        """Draw the held headings, on a new page if they and `following` points do not fit."""
        if not self._held:
            return
        held, self._held = self._held, []
        total = sum(self._pair_height(t, size, bold) + size + gap for t, size, bold, gap in held)
        self.ensure(total + following)
        for texts, size, bold, gap in held:
            self._draw_pair(texts, size, bold, gap)

    def pair(self, texts: list[str], size: float = BODY, bold: bool = False, gap: float = 2.5) -> None:
        """Texts for the columns (German first), side by side, starting at the cursor.

        A German-only document has one column: texts beyond the columns are not drawn."""
        self._release(min(self._pair_height(texts, size, bold), 3 * size * LEADING) + size)
        self._draw_pair(texts, size, bold, gap)

    def _draw_pair(self, texts: list[str], size: float, bold: bool, gap: float) -> None:
        cols = self.columns()
        height = self._pair_height(texts, size, bold)
        self.ensure(height + size)
        y = self.y - size
        for t, (x, w, _lang, rtl) in zip(texts, cols, strict=False):
            self.text_block(x, w, y, t, size, bold, rtl)
        self.y -= height + gap

    def bi(self, msgid: str, size: float = BODY, bold: bool = False, gap: float = 2.5, **fmt) -> None:
        """A translatable text in German and the client language."""
        self.pair([self.tr(msgid, lang, **fmt) for _x, _w, lang, _r in self.columns()], size, bold, gap)

    def title(self, msgid: str) -> None:
        self.bi(msgid, size=16, bold=True, gap=6)
        self.rule()

    def heading(self, msgid: str) -> None:
        """A section heading in both languages, kept with the first line under it."""
        if not self._held:
            self.y -= 4
        self.hold([self.tr(msgid, lang) for _x, _w, lang, _r in self.columns()], size=12, bold=True, gap=3)

    def rule(self, gap: float = 6) -> None:
        self.c.setLineWidth(0.5)
        self.c.line(MARGIN, self.y, self.width - MARGIN, self.y)
        self.y -= gap

    def field(self, label_msgid: str, value_de: str, value_tr: str | None = None, size: float = BODY) -> None:
        """`Label: value` in both columns (the value translated where it is a coded text)."""
        value_tr = value_de if value_tr is None else value_tr
        texts = []
        for _x, _w, lang, _r in self.columns():
            value = value_de if lang == "de" else value_tr
            texts.append(f"{self.tr(label_msgid, lang)}: {T.isolate(str(value))}")
        self.pair(texts, size=size, gap=1.5)

    def raw(self, text: str, size: float = BODY, bold: bool = False) -> None:
        """Text that is not translated (names, staff notes), across the page."""
        rtl = T.has_rtl(text)
        lines = T.wrap_lines(text, self.inner, size, bold)
        self._release(self.lines_height(min(len(lines), 3), size))
        self.ensure(self.lines_height(min(len(lines), 3), size))
        for line, before, after in lines:
            self.ensure(size * LEADING)
            T.draw_line(self.c, MARGIN, self.y - size, line, size, bold=bold, rtl=rtl,
                        align="right" if rtl else "left", box_width=self.inner, before=before, after=after)
            self.y -= size * LEADING

    def _box(self, x: float, top: float, size: float, checked: bool) -> None:
        box = size
        self.c.setLineWidth(0.8)
        by = top - size - 1
        self.c.rect(x, by, box, box)
        if checked:
            self.c.line(x + 2, by + 2, x + box - 2, by + box - 2)
            self.c.line(x + 2, by + box - 2, x + box - 2, by + 2)

    def checkbox(self, checked: bool, label_msgid: str, extra: str = "", size: float = BODY,
                 notes: dict[str, str] | None = None) -> None:
        """A ticked or empty box beside the label in each column (on the right-hand side of a
        right-to-left column); `notes` {lang: text} is added after the label, e.g. "refused"."""
        self.boxes(checked, [self.tr(label_msgid, lang) + extra + ((notes or {}).get(lang) or "")
                             for _x, _w, lang, _r in self.columns()], size)

    def boxes(self, checked: bool, texts: list[str], size: float = BODY) -> None:
        """A ticked or empty box beside each column's text (German first), after the held headings."""
        box = size
        self._release(size * 2.2)
        self.ensure(size * 2.2)
        shift = box + 4
        heights = []
        for (x, w, _lang, rtl), text in zip(self.columns(), texts, strict=False):
            self._box(x + w - box if rtl else x, self.y, size, checked)
            x0 = x if rtl else x + shift
            heights.append(self.text_block(x0, w - shift, self.y - size, text, size, False, rtl))
        self.y -= max(heights) + 3

    def signature_lines(self, labels: list[str]) -> None:
        """Lines to sign on, each with its caption in both languages."""
        self._release(40)
        for msgid in labels:
            self.ensure(40)
            self.y -= 26
            self.c.setLineWidth(0.6)
            self.c.line(MARGIN, self.y, MARGIN + self.inner, self.y)
            self.y -= 2
            self.bi(msgid, size=SMALL)

    def spacer(self, h: float = 6) -> None:
        self.y -= h

    def box_grid(self, cells: list[tuple[str, list[str]]], rows: int = 2, cols: int = 2) -> None:
        """A grid of titled boxes filling the rest of the page (the resource map's four fields)."""
        top = self.y
        bottom = MARGIN + 12 * mm
        cw = self.inner / cols
        ch = (top - bottom) / rows
        for i, (title_msgid, entries) in enumerate(cells):
            r, c = divmod(i, cols)
            x, y = MARGIN + c * cw, top - r * ch
            self.c.setLineWidth(0.8)
            self.c.rect(x, y - ch, cw, ch)
            pad = 3 * mm
            yy = y - pad
            for lang, rtl in [("de", False)] + ([(self.lang, self.rtl)] if self.bilingual else []):
                yy -= self.text_block(x + pad, cw - 2 * pad, yy - 12, self.tr(title_msgid, lang), 12, True, rtl)
            yy -= 14
            for entry in entries:
                lines = T.wrap("• " + entry, cw - 2 * pad, 9)
                if yy - len(lines) * 9 * LEADING < y - ch + pad:
                    T.draw_line(self.c, x + pad, yy - 9, "…", 9)
                    break
                yy -= self.text_block(x + pad, cw - 2 * pad, yy - 9, "• " + entry, 9, False, T.has_rtl(entry)) + 2
        self.y = bottom
