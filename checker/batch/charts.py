"""Small inline SVG charts for the HTML report (no scripts, no external assets).

Every chart is an ``<svg role="img">`` with a ``<title>`` and ``<desc>`` naming the numbers,
and every bar carries its count as text, so the chart reads without colour and prints.
"""

from __future__ import annotations

from html import escape


def _fmt(n: float) -> str:
    return f"{n:,.0f}" if float(n).is_integer() else f"{n:,.1f}"


def column_chart(
    labels: list[str],
    counts: list[int],
    *,
    title: str,
    x_label: str = "",
    colour: str = "#3b6ea8",
    width: int = 300,
    height: int = 180,
) -> str:
    """Vertical bars (a histogram): one column per bin, counts above the bars."""
    n = max(1, len(counts))
    top, bottom, left, right = 18, 38, 6, 6
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(counts) if counts and max(counts) > 0 else 1
    slot = plot_w / n
    bar_w = max(2.0, slot * 0.78)
    desc = "; ".join(f"{lab}: {c}" for lab, c in zip(labels, counts))
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>",
    ]
    base = top + plot_h
    parts.append(
        f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" stroke="#555" stroke-width="1"/>'
    )
    step = max(1, (n + 5) // 6)  # label at most about six bins so they do not collide
    for i, (lab, c) in enumerate(zip(labels, counts)):
        h = plot_h * c / peak
        x = left + i * slot + (slot - bar_w) / 2
        y = base - h
        if c:
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" '
                f'font-size="10">{c}</text>'
            )
        if i % step == 0:
            parts.append(
                f'<text x="{left + i * slot + slot / 2:.1f}" y="{base + 13}" '
                f'text-anchor="middle" font-size="9.5">{escape(lab)}</text>'
            )
    if x_label:
        parts.append(
            f'<text x="{width / 2:.1f}" y="{height - 4}" text-anchor="middle" '
            f'font-size="10.5" fill="#333">{escape(x_label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def share_bars(
    rows: list[tuple[str, int, int]], *, title: str, colour: str = "#c0392b", width: int = 520
) -> str:
    """Horizontal bars of a share: ``(label, part, whole)`` per row, with "part of whole"."""
    row_h, label_w, right = 26, 200, 96
    height = row_h * max(1, len(rows)) + 8
    plot_w = width - label_w - right
    desc = "; ".join(f"{lab}: {p} of {w}" for lab, p, w in rows)
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>",
    ]
    for i, (lab, p, w) in enumerate(rows):
        y = 4 + i * row_h
        share = p / w if w else 0.0
        parts.append(f'<text x="0" y="{y + 16}" font-size="12">{escape(lab)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{plot_w}" height="16" fill="#eee"/>')
        if share:
            parts.append(
                f'<rect x="{label_w}" y="{y + 4}" width="{plot_w * share:.1f}" '
                f'height="16" fill="{colour}"/>'
            )
        text = f"{share:.0%} ({p}/{w})" if w else "n/a"
        parts.append(
            f'<text x="{label_w + plot_w + 6}" y="{y + 16}" font-size="12">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def before_after(
    groups: list[tuple[str, int, int]],
    *,
    title: str,
    width: int = 680,
    colours: tuple[str, str] = ("#9aa7b8", "#2f6fb0"),
) -> str:
    """Paired horizontal bars, one pair a row: ``(label, before, after)``; each bar carries
    its count, and a legend names the two."""
    row_h, label_w, right = 40, 300, 40
    top = 22
    height = top + row_h * max(1, len(groups)) + 4
    plot_w = width - label_w - right
    peak = max([1] + [max(b, a) for _, b, a in groups])
    desc = "; ".join(f"{lab}: {b} before, {a} now" for lab, b, a in groups)
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>",
        f'<rect x="{label_w}" y="4" width="12" height="10" fill="{colours[0]}"/>'
        f'<text x="{label_w + 16}" y="13" font-size="12">round 1</text>'
        f'<rect x="{label_w + 90}" y="4" width="12" height="10" fill="{colours[1]}"/>'
        f'<text x="{label_w + 106}" y="13" font-size="12">now</text>',
    ]
    for i, (lab, b, a) in enumerate(groups):
        y = top + i * row_h
        parts.append(f'<text x="0" y="{y + 21}" font-size="12">{escape(lab)}</text>')
        for j, (value, colour) in enumerate(((b, colours[0]), (a, colours[1]))):
            w = plot_w * value / peak
            yy = y + 3 + j * 16
            if value:
                parts.append(
                    f'<rect x="{label_w}" y="{yy}" width="{w:.1f}" height="14" fill="{colour}"/>'
                )
            parts.append(
                f'<text x="{label_w + w + 4:.1f}" y="{yy + 11}" font-size="11">{value}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
