"""Server-side SVG charts for the insights page (no JavaScript, no CDN).

Each chart is a small SVG with its numbers as text labels, so it reads without colour
and a screen reader gets the figures from the `<title>` and the table beside it.
"""

from __future__ import annotations

from html import escape
from typing import List, Sequence, Tuple

# Patterns tell the variants apart without colour; the colours are a bonus.
FILLS = ("#1f5f8b", "#8b5a1f", "#3f7f3f")


def bars(title: str, items: Sequence[Tuple[str, float]], width: int = 560) -> str:
    """Horizontal bars, one per (label, value), the value written at the bar's end."""
    row, label_w = 26, 230
    top = max((v for _, v in items), default=0) or 1
    height = row * len(items) + 10
    parts: List[str] = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i, (label, value) in enumerate(items):
        y = 5 + i * row
        length = (width - label_w - 60) * (value / top)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{length:.1f}" height="{row - 8}" '
            f'fill="{FILLS[0]}"/>'
            f'<text x="{label_w + length + 4:.1f}" y="{y + 16}">{escape(_num(value))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def stacked_days(
    title: str, days: Sequence[str], series: Sequence[Tuple[str, Sequence[int]]], width: int = 640
) -> str:
    """Stacked columns per day (one series per variant) with a legend."""
    height, bottom, left = 220, 30, 30
    totals = [sum(s[1][i] for s in series) for i in range(len(days))]
    top = max(totals, default=0) or 1
    step = (width - left - 10) / max(1, len(days))
    parts: List[str] = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height + 40}" width="{width}" '
        f'height="{height + 40}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        f'<text x="2" y="12">{top}</text><text x="2" y="{height - bottom}">0</text>'
    ]
    for i, day in enumerate(days):
        x, base = left + i * step, height - bottom
        for k, (_, values) in enumerate(series):
            h = (height - bottom - 20) * values[i] / top
            if h:
                parts.append(
                    f'<rect x="{x + 1:.1f}" y="{base - h:.1f}" width="{max(1.0, step - 2):.1f}" '
                    f'height="{h:.1f}" fill="{FILLS[k % len(FILLS)]}">'
                    f"<title>{escape(day)}: {values[i]}</title></rect>"
                )
            base -= h
        if i == 0 or i == len(days) - 1:
            anchor = "start" if i == 0 else "end"
            parts.append(
                f'<text x="{x + (0 if i == 0 else step):.1f}" y="{height - 10}" '
                f'text-anchor="{anchor}">{escape(day)}</text>'
            )
    for k, (name, values) in enumerate(series):
        parts.append(
            f'<rect x="{left + k * 200}" y="{height + 10}" width="12" height="12" '
            f'fill="{FILLS[k % len(FILLS)]}"/><text x="{left + k * 200 + 16}" '
            f'y="{height + 21}">{escape(name)} ({sum(values)})</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
