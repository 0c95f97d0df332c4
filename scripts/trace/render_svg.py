#!/usr/bin/env python3
"""Renders an `npu run --trace` / `npu exec --trace` file (Chrome Trace Event Format) as an SVG
timeline: one row per track with events (load, compute: array, compute: vector, store, DRAM,
host) with its slices as rectangles coloured by name and host operations as triangles, then one row per counter (DRAM bandwidth, NBin/SB/NBout
bytes) as a step line scaled to its maximum. Python standard library only.

    python3 scripts/trace/render_svg.py TRACE.json -o OUT.svg [--start US] [--end US] [--width PX]

--start / --end select a window in microseconds (default: the whole trace). Slices narrower
than a pixel that touch a neighbour of the same name are drawn as one rectangle, so a trace of
thousands of instructions stays a small file.
"""
import argparse
import hashlib
import json
import sys
from xml.sax.saxutils import escape

ROW = 26          # slice row height, px
COUNTER_ROW = 44  # counter row height, px
LABEL = 160       # left margin for row labels, px
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac", "#86bcb6", "#d37295", "#a0cbe8", "#ffbe7d", "#8cd17d", "#f1ce63"]


def colour(name):
    """A stable colour per slice name (the same layer or mnemonic is the same colour everywhere)."""
    return PALETTE[int(hashlib.md5(name.encode()).hexdigest(), 16) % len(PALETTE)]


def load(path):
    with open(path) as f:
        trace = json.load(f)
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    names, order, slices, instants, counters = {}, {}, {}, {}, {}
    for e in events:
        ph, tid = e["ph"], e.get("tid")
        if ph == "M" and e["name"] == "thread_name":
            names[tid] = e["args"]["name"]
        elif ph == "M" and e["name"] == "thread_sort_index":
            order[tid] = e["args"]["sort_index"]
        elif ph == "X":
            slices.setdefault(tid, []).append((e["ts"], e["ts"] + e["dur"], e["name"]))
        elif ph == "i":
            instants.setdefault(tid, []).append((e["ts"], e["name"]))
        elif ph == "C":
            for key, value in e["args"].items():
                counters.setdefault(e["name"], {}).setdefault(key, []).append((e["ts"], value))
    threads = sorted(set(slices) | set(instants), key=lambda t: (order.get(t, t), t))   # tracks with events
    meta = trace.get("otherData", {}) if isinstance(trace, dict) else {}
    return meta, [(names.get(t, str(t)), slices.get(t, []), instants.get(t, [])) for t in threads], counters


def render(path, start, end, width):
    meta, tracks, counters = load(path)
    times = [s[1] for _, ss, _ in tracks for s in ss] + [i[0] for _, _, ii in tracks for i in ii]
    times += [t for series in counters.values() for points in series.values() for t, _ in points]
    start = 0.0 if start is None else start
    end = (max(times) if times else 1.0) if end is None else end
    span = max(end - start, 1e-9)
    plot = width - LABEL - 10

    def x(t):
        return LABEL + (min(max(t, start), end) - start) / span * plot

    height = 40 + ROW * len(tracks) + COUNTER_ROW * sum(len(s) for s in counters.values()) + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="Helvetica, Arial, sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>']
    title = " ".join(str(meta[k]) for k in ("model", "program", "config") if k in meta)
    detail = meta.get("detail", "")
    out.append(f'<text x="8" y="16" font-size="13" font-weight="bold">{escape(title)}</text>')
    out.append(f'<text x="{LABEL}" y="16" fill="#555">{start:.1f}-{end:.1f} µs, one slice per '
               f'{escape(detail[:-1] if detail.endswith("s") else detail or "event")}</text>')
    y = 28
    for name, slices, instants in tracks:
        out.append(f'<text x="8" y="{y + ROW / 2 + 4}">{escape(name)}</text>')
        out.append(f'<line x1="{LABEL}" x2="{width - 10}" y1="{y + ROW - 1}" y2="{y + ROW - 1}" stroke="#eee"/>')
        pending = None  # [x0, x1, name]
        rects = []
        for s, e, n in sorted(slices):
            if e < start or s > end:
                continue
            x0, x1 = x(s), x(e)
            if pending and n == pending[2] and x0 - pending[1] < 1.0 and (x1 - x0 < 1.0 or pending[1] - pending[0] < 1.0):
                pending[1] = max(pending[1], x1)
                continue
            if pending:
                rects.append(pending)
            pending = [x0, x1, n]
        if pending:
            rects.append(pending)
        for x0, x1, n in rects:
            w = max(x1 - x0, 0.5)
            out.append(f'<rect x="{x0:.2f}" y="{y + 3}" width="{w:.2f}" height="{ROW - 7}" fill="{colour(n)}">'
                       f'<title>{escape(n)}</title></rect>')
            if w > 7 * len(n):
                out.append(f'<text x="{x0 + 3:.2f}" y="{y + ROW / 2 + 3}" fill="white" font-size="10">{escape(n)}</text>')
        for t, n in instants:
            if start <= t <= end:
                cx = x(t)
                out.append(f'<path d="M{cx:.2f},{y + 4} l5,{ROW - 9} h-10 z" fill="#333"><title>{escape(n)}</title></path>')
        y += ROW
    for name, series in counters.items():
        for key, points in series.items():
            peak = max((v for _, v in points), default=0) or 1
            out.append(f'<text x="8" y="{y + COUNTER_ROW / 2}" font-size="10">{escape(name)}</text>')
            detail = f"{key}, max {peak:g}" if len(series) > 1 else f"max {peak:g}"
            out.append(f'<text x="8" y="{y + COUNTER_ROW / 2 + 12}" font-size="9" fill="#777">{escape(detail)}</text>')
            base = y + COUNTER_ROW - 6
            coords, value = [], 0
            for t, v in sorted(points):
                if t > end:
                    break
                if t >= start:
                    coords.append(f"{x(t):.2f},{base - value / peak * (COUNTER_ROW - 12):.2f}")
                value = v
                coords.append(f"{x(max(t, start)):.2f},{base - value / peak * (COUNTER_ROW - 12):.2f}")
            coords.append(f"{x(end):.2f},{base - value / peak * (COUNTER_ROW - 12):.2f}")
            out.append(f'<polyline points="{" ".join(coords)}" fill="none" stroke="#4e79a7" stroke-width="1"/>')
            out.append(f'<line x1="{LABEL}" x2="{width - 10}" y1="{base}" y2="{base}" stroke="#ddd"/>')
            y += COUNTER_ROW
    # Time axis: about eight ticks at a round step.
    step = 10 ** len(str(int(span / 8))) / 10 if span >= 8 else span / 8
    for factor in (1, 2, 5, 10):
        if span / (step * factor) <= 10:
            step *= factor
            break
    tick = (start // step + 1) * step if start % step else start
    while tick <= end + 1e-9:
        tx = x(tick)
        out.append(f'<line x1="{tx:.2f}" x2="{tx:.2f}" y1="28" y2="{y}" stroke="#ccc" stroke-dasharray="2,3"/>')
        out.append(f'<text x="{tx:.2f}" y="{y + 14}" text-anchor="middle" fill="#555">{tick:g} µs</text>')
        tick += step
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trace")
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--start", type=float, help="window start, µs")
    parser.add_argument("--end", type=float, help="window end, µs")
    parser.add_argument("--width", type=int, default=1200)
    args = parser.parse_args()
    try:
        svg = render(args.trace, args.start, args.end, args.width)
    except (OSError, ValueError, KeyError) as error:
        sys.exit(f"render_svg.py: {args.trace}: {error}")
    with open(args.output, "w") as f:
        f.write(svg)


if __name__ == "__main__":
    main()
