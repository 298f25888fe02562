"""A source's text shown whole, with each quoted passage highlighted where the validator found it.

The validator matches quotes in the normalised text (provenance.normalise: NFC, whitespace runs made one
space); the reader should see the text with its lines. So the text is kept in NFC with its line breaks,
and every offset in the normalised text is mapped back to it.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

from markupsafe import Markup, escape

from ..validation.provenance import locate_quote, normalise


class SourceText:
    def __init__(self, raw: str):
        self.display = unicodedata.normalize("NFC", raw)
        pieces, offsets, position = [], [], 0
        for space in re.finditer(r"\s+", self.display):
            pieces.append(self.display[position:space.start()] + " ")
            offsets.extend(range(position, space.start() + 1))
            position = space.end()
        pieces.append(self.display[position:])
        offsets.extend(range(position, len(self.display)))
        normalised = "".join(pieces)
        skipped = len(normalised) - len(normalised.lstrip())
        self.normalised = normalised.strip()
        self._offsets = offsets[skipped:skipped + len(self.normalised)]
        if self.normalised != normalise(raw):  # the one rule lives in provenance.py; this must reproduce it
            raise RuntimeError("the site's whitespace mapping differs from provenance.normalise; please report this bug")

    def locate(self, quote: str) -> list[tuple[int, int]] | None:
        """Spans of the quote's fragments in the displayed text; None when the validator would not find it."""
        spans = locate_quote(quote, self.normalised)
        if isinstance(spans, str):
            return None
        return [(self._offsets[start], self._offsets[end - 1] + 1) for start, end in spans]

    def render(self, passages: list) -> Markup:
        """The text as paragraphs (one per line), each quoted stretch in a <mark> naming its passages, and a
        numbered link before each passage's first word: the anchor a row's quote link lands on, which links
        on to the list of rows citing that passage."""
        starts: dict[int, list] = {}
        bounds = {0, len(self.display)}
        for passage in passages:
            starts.setdefault(passage.spans[0][0], []).append(passage)
            for start, end in passage.spans:
                bounds.update((start, end))
        for line in re.finditer(r"\n", self.display):
            bounds.update((line.start(), line.end()))
        cuts = sorted(bounds)
        covering = _coverage(cuts, passages)
        html, paragraph = [], []
        for left, right, numbers in zip(cuts, cuts[1:], covering):
            piece = self.display[left:right]
            if piece == "\n":
                html.append(_paragraph(paragraph))
                paragraph = []
                continue
            for passage in starts.get(left, []):
                paragraph.append(f'<a class="passage-number" id="{passage.anchor}" href="#cited-{passage.number}" '
                                 f'aria-label="passage {passage.number}: rows citing it">{passage.number}</a>')
            if numbers:
                names = " ".join(f"q{n}" for n in sorted(numbers))
                paragraph.append(f'<mark data-passages="{names}">{escape(piece)}</mark>')
            else:
                paragraph.append(str(escape(piece)))
        html.append(_paragraph(paragraph))
        return Markup("\n".join(h for h in html if h))


def _paragraph(parts: list[str]) -> str:
    return f"<p>{''.join(parts)}</p>" if "".join(parts).strip() else ""


def _coverage(cuts: list[int], passages: list) -> list[set[int]]:
    """For each stretch between two cuts, the numbers of the passages whose fragments cover it."""
    covering: list[set[int]] = [set() for _ in cuts]
    for passage in passages:
        for start, end in passage.spans:
            for stretch in range(bisect_right(cuts, start) - 1, bisect_right(cuts, end - 1)):
                covering[stretch].add(passage.number)
    return covering
