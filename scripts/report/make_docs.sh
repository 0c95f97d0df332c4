#!/usr/bin/env bash
# Regenerates docs/report/ from a release build: ResNet-50's timing-only `npu run --html` page,
# screenshotted by headless Chromium: resnet50-report.png, the top of the page (configuration,
# totals, verification, plots), and resnet50-table.png, the title and the per-layer table (a copy
# of the page with the other sections hidden: headless Chromium ignores a #fragment when it
# takes a screenshot); and its plots as standalone SVG files (cycles by cause, roofline,
# utilization), cut out of the page's <figure data-plot=...> elements.
#
#   scripts/report/make_docs.sh            (SCRATCH=DIR to build in another scratch path)
#
# Needs Debian's chromium (apt-get install chromium) and python3 (standard library only).
set -euo pipefail
cd "$(dirname "$0")/../.."
scratch=${SCRATCH:-.build}
swift build -c release --scratch-path "$scratch" --product npu >/dev/null
npu="$scratch/release/npu"
out=docs/report
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

"$npu" run resnet50 --timing-only --html "$work/resnet50.html" >/dev/null

python3 - "$work/resnet50.html" "$out" "$work/table.html" <<'PY'
import re, sys
page, out, table = sys.argv[1], sys.argv[2], sys.argv[3]
html = open(page, encoding="utf-8").read()
with open(table, "w", encoding="utf-8") as f:
    f.write(html.replace("</head>", "<style>main > :not(header):not(#layers) { display: none; }</style>\n</head>", 1))
for plot in ["cycles", "roofline", "utilization"]:
    match = re.search(r'<figure class="plot" data-plot="%s">(<svg .*?</svg>)' % plot, html, re.S)
    if not match:
        sys.exit("no %s plot in %s" % (plot, page))
    # The page inlines each chart without its namespace (an HTML parser supplies it); a file needs it.
    svg = match.group(1).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    with open("%s/resnet50-%s.svg" % (out, plot), "w", encoding="utf-8") as f:
        f.write(svg + "\n")
PY

shoot() {  # shoot FILE.png HEIGHT URL
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="1400,$2" --screenshot="$1" "$3" \
        >/dev/null 2>&1
}
shoot "$out/resnet50-report.png" 2400 "file://$work/resnet50.html"
shoot "$out/resnet50-table.png" 1300 "file://$work/table.html"
ls -l "$out"
