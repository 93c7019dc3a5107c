#!/usr/bin/env bash
# Screenshots of the HTML report at desktop (1280 px) and narrow (420 px) widths, taken with
# headless Chromium (Debian's `chromium`): the top of the page, then the screening section
# with the strongest pair open side by side (report.html#pair-1), the convergence section and
# the draft messages.
#
#   scripts/screenshots.sh [REPORT.html] [OUT_DIR]
#
# Without a report, runs the main job on the bundled corpus into target/screenshots/run and
# shoots its report.html. Writes OUT_DIR/report-{desktop,narrow}.png and
# OUT_DIR/{pair,convergence,messages}-{desktop,narrow}.png (default OUT_DIR:
# target/screenshots). Needs chromium (apt-get install -y chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

out_dir=${2:-target/screenshots}
mkdir -p "$out_dir"
report=${1:-}
if [ -z "$report" ]; then
    cargo run -q --release -p rapporteur-cli -- --quiet run --out "$out_dir/run" >/dev/null
    report="$out_dir/run/report.html"
fi
report=$(realpath "$report")
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "chromium not installed (apt-get install -y chromium)" >&2
    exit 1
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

shoot() { # name width height [page] [#fragment]
    "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --user-data-dir="$profile" --window-size="$2,$3" \
        --screenshot="$(realpath "$out_dir")/$1.png" "file://${4:-$report}${5:-}" 2>/dev/null
    echo "$out_dir/$1.png"
}
shoot report-desktop 1280 ${DESKTOP_HEIGHT:-2400}
shoot report-narrow 420 ${NARROW_HEIGHT:-3200}
# Headless Chromium paints only part of a scrolled page, so each section is shot from a copy
# of the report that shows that section alone and does not scroll (the copy is the report
# plus a style and a script in <head>; the report itself is not changed).
for part in pair:screening:#pair-1 convergence:convergence: messages:messages:; do
    IFS=: read -r name section fragment <<<"$part"
    copy="$profile/$name.html"
    sed "s#</head>#<style>main > section:not(\#$section) { display: none; } header { position: static; }</style><script>Element.prototype.scrollIntoView = function () {};</script></head>#" \
        "$report" >"$copy"
    shoot "$name-desktop" 1280 1800 "$copy" "$fragment"
    shoot "$name-narrow" 420 2400 "$copy" "$fragment"
done
