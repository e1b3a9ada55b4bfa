"""Server-rendered SVG bar charts of amounts, each with an accessible name and a description
that says the same as the chart; the pages always show the table of the same data next to it.
No JavaScript, no external library."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from funders.formatting import euros, percent

WIDTH = 720
LABEL_WIDTH = 250
ROW = 28
# DSFR « bleu France », with the amount written beside each bar (colour is never the only cue).
BAR = "#000091"


@dataclass
class AmountChart:
    key: str
    title: str
    bars: list[tuple[str, Decimal, Decimal | None]]  # label, amount, share

    @classmethod
    def from_breakdown(cls, breakdown) -> "AmountChart":
        return cls(
            key=breakdown.key,
            title=breakdown.title,
            bars=[(row.label, row.committed, row.share) for row in breakdown.rows],
        )

    def description(self) -> str:
        if not self.bars:
            return "Aucune ligne de financement."
        items = "; ".join(
            f"{label} : {euros(amount)}" + (f" ({percent(share)})" if share is not None else "")
            for label, amount, share in self.bars
        )
        return f"{items}."

    def svg(self) -> SafeString:
        if not self.bars:
            return mark_safe("")
        high = max((amount for _label, amount, _share in self.bars), default=Decimal(0))
        plot = WIDTH - LABEL_WIDTH - 170
        parts = []
        for index, (label, amount, share) in enumerate(self.bars):
            y = 6 + index * ROW
            width = 1.0 if not high else max(1.0, plot * float(amount / high))
            text = euros(amount) + (f" — {percent(share)}" if share is not None else "")
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="#161616">{}</text>'
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                    '<text x="{}" y="{}" font-size="12" fill="#161616">{}</text>',
                    LABEL_WIDTH - 8,
                    y + 15,
                    label if len(label) <= 38 else label[:37] + "…",
                    LABEL_WIDTH,
                    y + 2,
                    f"{width:.1f}",
                    ROW - 10,
                    BAR,
                    f"{LABEL_WIDTH + width + 6:.1f}",
                    y + 15,
                    text,
                )
            )
        height = 12 + ROW * len(self.bars)
        return format_html(
            '<svg class="cte-chart" viewBox="0 0 {} {}" role="img" '
            'aria-labelledby="graph-{}-titre graph-{}-desc" focusable="false">'
            '<title id="graph-{}-titre">{}</title><desc id="graph-{}-desc">{}</desc>{}</svg>',
            WIDTH,
            height,
            self.key,
            self.key,
            self.key,
            self.title,
            self.key,
            self.description(),
            mark_safe("".join(parts)),
        )
