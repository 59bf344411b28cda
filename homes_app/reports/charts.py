"""Charts drawn on the server as SVG: no script, and readable without sight of them.

Each chart is a list of shapes that Chart.svg writes out once, as a string, into an image with
a title and description (role="img", aria-labelledby), every text and attribute escaped as the
template would (a template loop over hundreds of shapes cost a fifth of a big report's page);
the page puts a table of the same numbers beside it. Colours are set by attributes, never
inline style, because the Content-Security-Policy refuses inline styles.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

from ..common.html import joined

# GOV.UK Design System colours, distinguishable in print as well; the council line is black.
PALETTE = ("#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#b58840", "#f499be",
           "#28a197", "#6f72af", "#912b88", "#85994b", "#505a5f")
COUNCIL_COLOUR = "#0b0c0c"
WIDTH, PLOT_H, LEFT, TOP, RIGHT = 760, 260, 56, 16, 40


@dataclass
class Shape:
    element: str  # line, text, rect, polyline, circle
    attrs: dict
    text: str = ""


@dataclass
class Chart:
    title: str
    desc: str
    width: int
    height: int
    shapes: list[Shape] = field(default_factory=list)

    def svg(self, number: int) -> Markup:
        """The chart as an SVG image; `number` (its place on the page) keeps the ids of its
        title and description unique there, and the same on every render of the page."""
        shapes = joined(piece for shape in self.shapes for piece in _pieces(shape))
        return _SVG.format(width=self.width, height=self.height, n=number, title=self.title,
                           desc=self.desc, shapes=shapes)


# Markup.format and joined() escape every value put in, as the template would; the shapes
# (hundreds at a time) are joined in one pass, which is cheaper than a format each.
_SVG = Markup(
    '<svg class="app-chart" viewBox="0 0 {width} {height}" role="img" '
    'aria-labelledby="chart-{n}-title chart-{n}-desc" xmlns="http://www.w3.org/2000/svg" '
    'font-family="GDS Transport, arial, sans-serif" data-test="chart">\n'
    '<title id="chart-{n}-title">{title}</title>\n<desc id="chart-{n}-desc">{desc}</desc>\n'
    '{shapes}</svg>')
_LT, _SP, _EQ, _QUOTE, _GT = Markup("<"), Markup(" "), Markup('="'), Markup('"'), Markup(">")
_END, _TEXT_END = Markup("/>\n"), Markup("</text>\n")


def _pieces(shape: Shape):
    yield _LT
    yield shape.element
    for name, value in shape.attrs.items():
        yield from (_SP, name, _EQ, value, _QUOTE)
    if shape.element == "text":
        yield from (_GT, shape.text, _TEXT_END)
    else:
        yield _END


def _el(element: str, text: str = "", **attrs) -> Shape:
    return Shape(element, {k.replace("_", "-"): v for k, v in attrs.items()}, text)


def _frame(title: str, desc: str, height: int, body: list[Shape]) -> Chart:
    return Chart(title, desc, WIDTH, height, body)


def _scale(values: Sequence[float | None], top: float | None, unit: str = "") -> float:
    """A round upper bound for the y axis; percentages run to 100 at least."""
    highest = max([v for v in values if v is not None] + [top or 0, 100 if unit == "%" else 1])
    step = 10 ** math.floor(math.log10(highest))
    top = math.ceil(highest / step) * step
    # Counts: four whole-number gridlines, never "1.5 discharges".
    return math.ceil(top / 4) * 4 if unit == "" and top < 40 else top


def _axes(y_max: float, unit: str, x_labels: Sequence[str], x_of) -> list[Shape]:
    out, plot_w = [], WIDTH - LEFT - RIGHT
    for i in range(5):
        value = y_max * i / 4
        y = TOP + PLOT_H - PLOT_H * i / 4
        out.append(_el("line", x1=LEFT, x2=LEFT + plot_w, y1=_r(y), y2=_r(y),
                       stroke="#b1b4b6", stroke_width=1))
        out.append(_el("text", _number(value, unit), x=LEFT - 6, y=_r(y + 4),
                       text_anchor="end", font_size=12, fill="#0b0c0c"))
    every = max(1, math.ceil(len(x_labels) / 12))
    for i, label in enumerate(x_labels):
        if i % every == 0:
            out.append(_el("text", label, x=_r(x_of(i)), y=TOP + PLOT_H + 18,
                           text_anchor="middle", font_size=12, fill="#0b0c0c"))
    return out


def _number(value: float, unit: str) -> str:
    if unit == "%":
        return f"{value:g}%"
    if unit == "£":
        return f"£{value:,.0f}"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _legend(names: Sequence[str], colours: Sequence[str], y0: int) -> tuple[list[Shape], int]:
    out, per_row, col_w = [], 3, (WIDTH - LEFT) // 3
    for i, (name, colour) in enumerate(zip(names, colours, strict=True)):
        x, y = LEFT + (i % per_row) * col_w, y0 + (i // per_row) * 20
        out.append(_el("rect", x=x, y=y - 10, width=14, height=10, fill=colour))
        out.append(_el("text", name[:40], x=x + 20, y=y, font_size=12, fill="#0b0c0c"))
    return out, y0 + math.ceil(len(names) / per_row) * 20


def _colours(names: Sequence[str], council_last: bool) -> list[Shape]:
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(names))]
    if council_last and names:
        colours[-1] = COUNCIL_COLOUR
    return colours


def line_chart(title: str, desc: str, x_labels: Sequence[str],
               series: Sequence[tuple[str, Sequence[float | None]]], target: float | None = None,
               unit: str = "%", council_last: bool = True) -> Chart:
    """One line per series over the x labels; a gap where a value is None; a dashed target."""
    y_max = _scale([v for _, values in series for v in values], target, unit)
    plot_w = WIDTH - LEFT - RIGHT
    step = plot_w / max(1, len(x_labels) - 1)

    def x_of(i):
        return LEFT + (step * i if len(x_labels) > 1 else plot_w / 2)

    def y_of(v):
        return TOP + PLOT_H - PLOT_H * v / y_max

    body = _axes(y_max, unit, x_labels, x_of)
    names = [name for name, _ in series]
    colours = _colours(names, council_last)
    for (_name, values), colour in zip(series, colours, strict=True):
        width = 3 if colour == COUNCIL_COLOUR else 2
        for run in _runs(values):
            points = " ".join(f"{x_of(i):.1f},{y_of(v):.1f}" for i, v in run)
            body.append(_el("polyline", points=points, fill="none", stroke=colour,
                            stroke_width=width))
            body.extend(_el("circle", cx=_r(x_of(i)), cy=_r(y_of(v)), r=3, fill=colour)
                        for i, v in run)
    if target is not None:
        body.extend(_target_line(y_of(target), target, unit))
    legend, height = _legend(names + (["Target"] if target is not None else []),
                             colours + (["#505a5f"] if target is not None else []),
                             TOP + PLOT_H + 44)
    return _frame(title, desc, height, body + legend)


def _target_line(y: float, target: float, unit: str, label: str = "Target") -> list[Shape]:
    return [_el("line", x1=LEFT, x2=WIDTH - RIGHT, y1=_r(y), y2=_r(y), stroke="#505a5f",
                stroke_width=2, stroke_dasharray="6 4"),
            # A white halo keeps the label readable where it crosses a bar.
            _el("text", f"{label} {_number(target, unit)}", x=WIDTH - RIGHT, y=_r(y - 4),
                text_anchor="end", font_size=12, fill="#0b0c0c", stroke="#ffffff",
                stroke_width=3, paint_order="stroke")]


def _r(v: float) -> float:
    return round(v, 1)


def _runs(values: Sequence[float | None]):
    """Stretches of consecutive known values, as (index, value) pairs."""
    run = []
    for i, v in enumerate(values):
        if v is None:
            if run:
                yield run
            run = []
        else:
            run.append((i, v))
    if run:
        yield run


def bar_chart(title: str, desc: str, categories: Sequence[str],
              series: Sequence[tuple[str, Sequence[float | None]]], target: float | None = None,
              unit: str = "", stacked: bool = False,
              targets: Sequence[tuple[str, float]] = ()) -> Chart:
    """Bars per category: side by side, or stacked (e.g. shifts by how they were covered)."""
    if stacked:
        sums = [sum(v or 0 for v in column) for column in zip(*(s[1] for s in series),
                                                               strict=True)]
        y_max = _scale(sums, target, unit)
    else:
        y_max = _scale([v for _, values in series for v in values] + [v for _, v in targets],
                       target, unit)
    plot_w = WIDTH - LEFT - RIGHT
    slot = plot_w / max(1, len(categories))
    bar_w = min(80.0, slot * 0.8 / (1 if stacked else max(1, len(series))))

    def y_of(v):
        return TOP + PLOT_H - PLOT_H * v / y_max

    body = _axes(y_max, unit, categories, lambda i: LEFT + slot * (i + 0.5))
    colours = _colours([name for name, _ in series], council_last=False)
    base = [0.0] * len(categories)
    for k, ((_name, values), colour) in enumerate(zip(series, colours, strict=True)):
        for i, v in enumerate(values):
            if not v:
                continue
            group = bar_w * (1 if stacked else len(series))  # centred in its slot
            x = LEFT + slot * (i + 0.5) - group / 2 + (0 if stacked else k * bar_w)
            bottom = base[i] if stacked else 0
            top = bottom + v
            body.append(_el("rect", x=_r(x), y=_r(y_of(top)), width=_r(bar_w),
                            height=_r(y_of(bottom) - y_of(top)), fill=colour))
            if stacked:
                base[i] = top
    if target is not None:
        body.extend(_target_line(y_of(target), target, unit))
    for label, value in targets:
        body.extend(_target_line(y_of(value), value, unit, label))
    legend, height = _legend([name for name, _ in series], colours, TOP + PLOT_H + 44)
    return _frame(title, desc, height, body + legend)
