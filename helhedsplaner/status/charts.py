"""Charts drawn on the server as inline SVG: no JavaScript, no external library.

Each function takes plain numbers and returns a :class:`Chart`: the SVG markup,
a title and a description (the SVG's text alternative, tied to it with
``aria-labelledby``) and the data table the templates show beside it. The same
SVG goes into the page and the PDF status report.

The site's Content-Security-Policy forbids ``style`` attributes and elements,
so every colour is an SVG presentation attribute; elements also carry CSS
classes so that ``app.css`` can override the colours in forced-colours (high
contrast) mode. Colours meet WCAG AA against white (3:1 for graphics, 4.5:1
for text), and no series is told apart by colour alone: bars are solid or
hatched, lines solid with dots or dashed with squares, and every series is
named in a legend or at the end of its line.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from math import ceil, log10

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = "Helhed Sans, DejaVu Sans, Arial, sans-serif"
INK = "#1b1b1b"
MUTED = "#4a4a4a"
GRID = "#c9ced6"
BLUE = "#0b4f8a"  # 8.6:1 on white
GREEN = "#1d6b2f"  # 6.6:1 on white
GREY = "#4a4a4a"  # 8.9:1 on white


@dataclass
class Chart:
    """An SVG chart with its text alternative and its numbers as a table."""

    chart_id: str
    title: str
    description: str
    svg: SafeString
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    # The same chart drawn for a narrow screen (a phone, 400 % zoom): shown below 40rem
    # instead of ``svg``, whose text would shrink to a few pixels there. Its ids end "-n".
    narrow_svg: SafeString | None = None


NARROW = "-n"  # suffix of the narrow variant's chart id (the SVG ids must be unique on a page)


@dataclass
class Series:
    """One kind of bar or line: its name (legend) and its look."""

    name: str
    style: str  # bars: "solid" | "hatched" | "dark"; lines: "solid" | "dashed"


@dataclass
class BarGroup:
    """A labelled row of bars: (series index, value) for each bar drawn in the row."""

    label: str
    bars: list[tuple[int, Decimal]]


def _text(x, y, content, *, size=12, anchor="start", weight="normal", fill=INK, css="") -> str:
    extra = f' font-weight="{weight}"' if weight != "normal" else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" '
        f'text-anchor="{anchor}" fill="{fill}" class="chart-text {css}"{extra}>'
        f"{escape(content)}</text>"
    )


def _wrap(label: str, width: int) -> list[str]:
    """Split a label into at most two lines of about ``width`` characters."""
    if len(label) <= width:
        return [label]
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    return lines


def _safe(svg: str) -> SafeString:
    """Every text put into the SVG went through ``escape`` in :func:`_text` or :func:`_open`;
    the rest is numbers and fixed markup."""
    return mark_safe(svg)  # noqa: S308


def _open(chart_id: str, width: int, height: int, title: str, description: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
    )


def _hatch(chart_id: str) -> str:
    return (
        f'<defs><pattern id="{chart_id}-hatch" patternUnits="userSpaceOnUse" width="6" '
        f'height="6" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{GREEN}" stroke-width="3"/>'
        f"</pattern></defs>"
    )


def _bar_look(chart_id: str, style: str) -> tuple[str, str]:
    """(presentation attributes, css class) for a bar of the given style."""
    if style == "hatched":
        return (
            f'fill="url(#{chart_id}-hatch)" stroke="{GREEN}" stroke-width="2"',
            "bar bar-hatched",
        )
    if style == "dark":
        return f'fill="{GREY}"', "bar bar-dark"
    return f'fill="{BLUE}"', "bar bar-solid"


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    series: list[Series],
    groups: list[BarGroup],
    value_label,
    columns: list[str] | None = None,
    rows: list[list[str]] | None = None,
) -> Chart:
    """Horizontal bars, grouped by row label, scaled to the largest value.

    ``value_label`` formats a value for the label at the end of each bar. The narrow
    variant puts each row's label above its bars and the legend one series per line.
    """
    wide = _bar_svg(chart_id, title, description, series, groups, value_label, narrow=False)
    narrow = _bar_svg(
        chart_id + NARROW, title, description, series, groups, value_label, narrow=True
    )
    return Chart(
        chart_id, title, description, _safe(wide), columns or [], rows or [], _safe(narrow)
    )


def _bar_svg(chart_id, title, description, series, groups, value_label, *, narrow: bool) -> str:
    if narrow:
        width, label_width, value_width, size, wrap_at = 330, 0, 96, 14, 36
    else:
        width, label_width, value_width, size, wrap_at = 760, 250, 120, 12, 32
    line_height = size + 3
    bar_height, bar_gap, group_gap = size + 6, 4, size + 2
    plot_width = width - label_width - value_width
    largest = max((value for group in groups for _, value in group.bars), default=0) or 1

    parts = []
    used = sorted({index for group in groups for index, _ in group.bars})
    x, legend_y = 0, 6
    for index in used:
        look, css = _bar_look(chart_id, series[index].style)
        parts.append(f'<rect x="{x}" y="{legend_y}" width="16" height="14" {look} class="{css}"/>')
        parts.append(_text(x + 22, legend_y + 12, series[index].name, size=size))
        if narrow:
            legend_y += line_height + 4
        else:
            x += 44 + int(len(series[index].name) * 6.2)
    legend_height = legend_y + 10 if narrow else 30

    y = legend_height
    for group in groups:
        lines = _wrap(group.label, wrap_at)
        bars_height = len(group.bars) * bar_height + (len(group.bars) - 1) * bar_gap
        for number, line in enumerate(lines):
            parts.append(
                _text(0, y + size + number * line_height, line, size=size, css="chart-label")
            )
        if narrow:  # the label above, the bars below it
            bar_y = y + len(lines) * line_height + 4
            group_height = bar_y - y + bars_height
        else:
            bar_y = y
            group_height = max(bars_height, len(lines) * line_height)
        for index, value in group.bars:
            look, css = _bar_look(chart_id, series[index].style)
            length = max(float(value) / float(largest) * plot_width, 1 if value else 0)
            parts.append(
                f'<rect x="{label_width}" y="{bar_y}" width="{length:.1f}" '
                f'height="{bar_height}" {look} class="{css}"/>'
            )
            parts.append(
                _text(label_width + length + 6, bar_y + size + 1, value_label(value), size=size)
            )
            bar_y += bar_height + bar_gap
        y += group_height + group_gap
    parts.append(
        f'<line x1="{label_width}" y1="{legend_height - 4}" x2="{label_width}" '
        f'y2="{y - group_gap + 4}" stroke="{INK}" stroke-width="1" class="chart-axis"/>'
    )
    height = y - group_gap + 8
    svg = _open(chart_id, width, height, title, description) + _hatch(chart_id)
    return svg + "".join(parts) + "</svg>"


def _nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 or 10 times a power of ten at or above ``value``."""
    if value <= 0:
        return 1
    power = 10 ** int(log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _number(value, digits: int = 1) -> str:
    quantum = Decimal(1).scaleb(-digits)
    text = f"{Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP):f}"
    return text.replace(".", ",")


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    series: list[Series],
    values: list[dict[int, Decimal]],
    unit: str,
    band: tuple[int, int, str] | None = None,
    columns: list[str] | None = None,
    rows: list[list[str]] | None = None,
) -> Chart:
    """Lines over years, one per series, from 0 to a rounded maximum.

    ``values[i]`` holds series i's value per year; a missing year breaks the
    line. ``band`` shades a period of years (e.g. the plan period) with a label.
    The narrow variant is drawn smaller with larger text, so that it reads on a phone.
    """
    args = (title, description, series, values, unit, band)
    wide = _line_svg(chart_id, *args, narrow=False)
    narrow = _line_svg(chart_id + NARROW, *args, narrow=True)
    return Chart(
        chart_id, title, description, _safe(wide), columns or [], rows or [], _safe(narrow)
    )


def _line_svg(chart_id, title, description, series, values, unit, band, *, narrow: bool) -> str:
    if narrow:
        width, height, left, right, top, bottom, small, label, wrap_at = (
            *(310, 250, 40, 92, 24, 32),
            *(13, 13, 11),
        )
    else:
        width, height, left, right, top, bottom, small, label, wrap_at = (
            *(400, 230, 46, 96, 22, 30),
            *(10, 11, 13),
        )
    plot_w, plot_h = width - left - right, height - top - bottom
    years = sorted({year for per_year in values for year in per_year})
    if not years:
        years = [0]
    first, last = years[0], years[-1]
    span = max(last - first, 1)
    top_value = max((float(v) for s in values for v in s.values()), default=1) or 1
    step = _nice_ceiling(top_value / 4)
    ticks_y = ceil(top_value / step)
    ceiling = step * ticks_y

    def px(year):
        return left + (year - first) / span * plot_w

    def py(value):
        return top + plot_h - float(value) / ceiling * plot_h

    parts = []
    if band is not None:
        start, end, band_label = max(band[0], first), min(band[1], last), band[2]
        if start <= end:
            parts.append(
                f'<rect x="{px(start):.1f}" y="{top}" width="{max(px(end) - px(start), 2):.1f}" '
                f'height="{plot_h}" fill="#e4eaf1" class="chart-band"/>'
            )
            parts.append(_text(px(start) + 3, top - 6, band_label, size=small, fill=MUTED))
    digits = 0 if step == int(step) else 1
    for tick in range(ticks_y + 1):
        value = step * tick
        y = py(value)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1" class="chart-grid"/>'
        )
        parts.append(_text(left - 5, y + 4, _number(value, digits), size=small, anchor="end"))
    parts.append(_text(4, top - 6, unit, size=small, fill=MUTED))
    ticks = [year for year in years if (year - first) % 5 == 0]
    if last not in ticks and (not ticks or last - ticks[-1] >= 3):
        ticks.append(last)
    for year in ticks:
        parts.append(_text(px(year), height - bottom + 16, str(year), size=small, anchor="middle"))
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        f'stroke="{INK}" stroke-width="1" class="chart-axis"/>'
    )

    end_labels = []
    for index, (line_series, per_year) in enumerate(zip(series, values, strict=True)):
        dashed = line_series.style == "dashed"
        colour = GREY if dashed else BLUE
        css = "line line-dashed" if dashed else "line line-solid"
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        runs, run = [], []
        for year in range(first, last + 1):
            if year in per_year:
                run.append((px(year), py(per_year[year])))
            elif run:
                runs.append(run)
                run = []
        if run:
            runs.append(run)
        for points in runs:
            coordinates = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{coordinates}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5"{dash} class="{css}"/>'
            )
            for x, y in points:
                if dashed:
                    parts.append(
                        f'<rect x="{x - 2.5:.1f}" y="{y - 2.5:.1f}" width="5" height="5" '
                        f'fill="{colour}" class="marker marker-square"/>'
                    )
                else:
                    parts.append(
                        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}" '
                        f'class="marker marker-dot"/>'
                    )
        if per_year:
            final = max(per_year)
            end_labels.append([py(per_year[final]), line_series.name, index])
    # Keep the end labels apart when the lines end close together.
    end_labels.sort()
    for position in range(1, len(end_labels)):
        if end_labels[position][0] - end_labels[position - 1][0] < label + 3:
            end_labels[position][0] = end_labels[position - 1][0] + label + 3
    for y, name, _index in end_labels:
        for number, line in enumerate(_wrap(name, wrap_at)):
            parts.append(_text(left + plot_w + 6, y + 4 + number * (label + 1), line, size=label))

    return _open(chart_id, width, height, title, description) + "".join(parts) + "</svg>"
