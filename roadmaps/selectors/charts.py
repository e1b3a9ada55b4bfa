"""Server-rendered SVG charts, each with an accessible name and description; the pages always
show the same data in a table next to them (INS-OPEN-DATA: no chart only a mouse can read)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 48
# DSFR colours: blue France, a warm orange for the territory, red Marianne for the target.
SERIES_STYLES = (
    {"stroke": "#000091", "dash": ""},
    {"stroke": "#b34000", "dash": "6 3"},
    {"stroke": "#18753c", "dash": "2 3"},
)
TARGET_STROKE = "#ce0500"


def _n(value: float) -> str:
    return f"{value:.1f}"


def fmt(value) -> str:
    if value is None:
        return "—"
    value = Decimal(value)
    places = 0 if value == value.to_integral_value() else 2
    return number_format(value, decimal_pos=places, force_grouping=True)


@dataclass
class Series:
    label: str
    points: dict[date, Decimal] = field(default_factory=dict)


@dataclass
class LineChart:
    """Values over time of one indicator: the committee's own and the territory's."""

    key: str
    title: str
    unit: str
    series: list[Series]
    target: Decimal | None = None
    target_due: date | None = None

    @property
    def periods(self) -> list[date]:
        return sorted({p for s in self.series for p in s.points})

    @property
    def has_values(self) -> bool:
        return any(s.points for s in self.series)

    def table_rows(self) -> list[tuple[date, list[str]]]:
        return [(p, [fmt(s.points.get(p)) for s in self.series]) for p in self.periods]

    def description(self) -> str:
        parts = []
        for s in self.series:
            if s.points:
                periods = sorted(s.points)
                first, last = periods[0], periods[-1]
                parts.append(
                    f"{s.label} : {fmt(s.points[first])} au {first:%d/%m/%Y}, "
                    f"{fmt(s.points[last])} au {last:%d/%m/%Y}"
                )
        if self.target is not None:
            due = f" à atteindre au {self.target_due:%d/%m/%Y}" if self.target_due else ""
            parts.append(f"cible {fmt(self.target)}{due}")
        return " ; ".join(parts) + (f" ({self.unit})." if parts else "Aucune valeur.")

    def svg(self) -> SafeString:
        periods = self.periods
        if not periods:
            return mark_safe("")
        values = [v for s in self.series for v in s.points.values()]
        if self.target is not None:
            values.append(self.target)
        low = min(Decimal(0), *values)
        high = max(values)
        if high == low:
            high = low + 1
        high = high + (high - low) * Decimal("0.1")
        plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

        def x(period: date) -> float:
            if len(periods) == 1:
                return LEFT + plot_w / 2
            return LEFT + plot_w * periods.index(period) / (len(periods) - 1)

        def y(value) -> float:
            return TOP + plot_h * float((high - Decimal(value)) / (high - low))

        parts = []
        for tick in (low, (low + high) / 2, high):
            parts.append(
                format_html(
                    '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#ddd"/>'
                    '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#3a3a3a">{}</text>',
                    LEFT,
                    WIDTH - RIGHT,
                    _n(y(tick)),
                    _n(y(tick)),
                    LEFT - 6,
                    _n(y(tick) + 4),
                    fmt(round(tick)),
                )
            )
        for period in {periods[0], periods[-1]}:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#3a3a3a">{}</text>',
                    _n(x(period)),
                    HEIGHT - BOTTOM + 16,
                    f"{period:%m/%Y}",
                )
            )
        if self.target is not None:
            parts.append(
                format_html(
                    '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" '
                    'stroke-width="2" stroke-dasharray="8 4"/>',
                    LEFT,
                    WIDTH - RIGHT,
                    _n(y(self.target)),
                    _n(y(self.target)),
                    TARGET_STROKE,
                )
            )
        legend = []
        for index, series in enumerate(self.series):
            style = SERIES_STYLES[index % len(SERIES_STYLES)]
            ordered = sorted(series.points)
            if ordered:
                points = " ".join(f"{x(p):.1f},{y(series.points[p]):.1f}" for p in ordered)
                parts.append(
                    format_html(
                        '<polyline fill="none" stroke="{}" stroke-width="2.5" '
                        'stroke-dasharray="{}" points="{}"/>',
                        style["stroke"],
                        style["dash"],
                        points,
                    )
                )
                parts.append(
                    format_html_join(
                        "",
                        '<circle cx="{}" cy="{}" r="3" fill="{}"/>',
                        ((_n(x(p)), _n(y(series.points[p])), style["stroke"]) for p in ordered),
                    )
                )
            legend.append((series.label, style["stroke"], style["dash"]))
        if self.target is not None:
            legend.append(("Cible", TARGET_STROKE, "8 4"))
        for index, (label, stroke, dash) in enumerate(legend):
            lx = LEFT + index * 180
            parts.append(
                format_html(
                    '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2.5" '
                    'stroke-dasharray="{}"/><text x="{}" y="{}" font-size="11" fill="#161616">{}</text>',
                    lx,
                    lx + 24,
                    HEIGHT - 12,
                    HEIGHT - 12,
                    stroke,
                    dash,
                    lx + 30,
                    HEIGHT - 8,
                    label[:28],
                )
            )
        return format_html(
            '<svg class="cte-chart" viewBox="0 0 {} {}" role="img" '
            'aria-labelledby="chart-{}-title chart-{}-desc" focusable="false">'
            '<title id="chart-{}-title">{}</title><desc id="chart-{}-desc">{}</desc>{}</svg>',
            WIDTH,
            HEIGHT,
            self.key,
            self.key,
            self.key,
            f"{self.title} ({self.unit})",
            self.key,
            self.description(),
            mark_safe("".join(parts)),
        )


@dataclass
class BarChart:
    """A breakdown by typology at one date: one bar per category."""

    key: str
    title: str
    unit: str
    period: date
    bars: list[tuple[str, Decimal]]

    def description(self) -> str:
        items = ", ".join(f"{label} : {fmt(value)}" for label, value in self.bars)
        return f"Au {self.period:%d/%m/%Y} — {items} ({self.unit})."

    def svg(self) -> SafeString:
        if not self.bars:
            return mark_safe("")
        high = max((v for _l, v in self.bars), default=Decimal(1)) or Decimal(1)
        row, label_w = 26, 200
        height = row * len(self.bars) + 8
        plot_w = WIDTH - label_w - 80
        parts = []
        for index, (label, value) in enumerate(self.bars):
            y = 4 + index * row
            width = max(1.0, plot_w * float(max(Decimal(0), value) / high))
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#161616">{}</text>'
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="#000091"/>'
                    '<text x="{}" y="{}" font-size="11" fill="#161616">{}</text>',
                    label_w - 6,
                    y + 15,
                    label[:34],
                    label_w,
                    y + 3,
                    _n(width),
                    row - 8,
                    _n(label_w + width + 4),
                    y + 15,
                    fmt(value),
                )
            )
        return format_html(
            '<svg class="cte-chart" viewBox="0 0 {} {}" role="img" '
            'aria-labelledby="chart-{}-title chart-{}-desc" focusable="false">'
            '<title id="chart-{}-title">{}</title><desc id="chart-{}-desc">{}</desc>{}</svg>',
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
