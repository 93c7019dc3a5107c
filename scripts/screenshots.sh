#!/usr/bin/env bash
# Screenshots of the HTML report at desktop (1280 px) and narrow (420 px) widths, taken with
# headless Chromium (Debian's `chromium`).
#
#   scripts/screenshots.sh [REPORT.html] [OUT_DIR]
#
# Without a report, runs the main job on the bundled corpus into target/screenshots/run and
# shoots its report.html. Writes OUT_DIR/report-desktop.png and OUT_DIR/report-narrow.png
# (default OUT_DIR: target/screenshots). Needs chromium (apt-get install -y chromium).
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

shoot() { # name width height
    "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --user-data-dir="$profile" --window-size="$2,$3" \
        --screenshot="$(realpath "$out_dir")/report-$1.png" "file://$report" 2>/dev/null
    echo "$out_dir/report-$1.png"
}
shoot desktop 1280 ${DESKTOP_HEIGHT:-2400}
shoot narrow 420 ${NARROW_HEIGHT:-3200}
