#!/bin/bash
# Save-to-new-file time of `ghb-book watch` on the handbook (Release build): appends a
# line to a chapter, then waits for the output's mtime to change; prints the median and
# the worst of RUNS saves, for `watch pdf` and `watch all` (the last file written).
# usage: bench/watch.sh [RUNS]   (default 15)
#        GHB_BIN=path/to/ghb-book bench/watch.sh   times that binary (e.g. an older one,
#        to compare before and after in the same minute) instead of building one
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-15}
if [ -z "${GHB_BIN:-}" ]; then
    cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
    cmake --build build-bench -j"$(nproc)" >/dev/null
fi
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
bin=$(realpath "${GHB_BIN:-build-bench/ghb-book}")
for fmt in pdf all; do
    rm -rf "$tmp/book" "$tmp/out" && cp -r book "$tmp/book"
    "$bin" watch "$fmt" --book "$tmp/book" --out "$tmp/out" --quiet 2>"$tmp/watch-$fmt.log" &
    pid=$!
    python3 - "$tmp" "$runs" "$fmt" <<'PY'
import os, statistics, sys, time
tmp, runs, fmt = sys.argv[1], int(sys.argv[2]), sys.argv[3]
pdf = os.path.join(tmp, "out", "genai-handbook.pdf")
chapter = os.path.join(tmp, "book", "chapters", "00-introduction.md")
def mtime():
    try: return os.stat(pdf).st_mtime_ns
    except FileNotFoundError: return None
end = time.time() + 60
while mtime() is None and time.time() < end: time.sleep(0.01)
log = os.path.join(tmp, "watch-%s.log" % fmt)
while "watching" not in open(log).read() and time.time() < end: time.sleep(0.01)
lat = []
for i in range(runs):
    time.sleep(0.4)
    m = mtime()
    t0 = time.monotonic()
    with open(chapter, "a") as f: f.write("\n测试第 %d 次保存。\n" % i)
    while mtime() == m:
        if time.monotonic() - t0 > 10: sys.exit("no rebuild within 10 s")
        time.sleep(0.001)
    lat.append((time.monotonic() - t0) * 1000)
import re
cpu = [float(m) for m in re.findall(r"built in \d+ ms \((\d+) ms CPU\) after", open(log).read())]
print("watch %-3s handbook: save to new PDF: median %.0f ms, worst %.0f ms (%d saves); "
      "CPU per build: median %.0f ms; load average %.1f" %
      (fmt, statistics.median(lat), max(lat), runs, statistics.median(cpu) if cpu else -1,
       os.getloadavg()[0]))
PY
    kill "$pid"; wait "$pid" 2>/dev/null || true
done
