#!/bin/bash
# The EPUB as readers get it: Ace by DAISY (the EPUB accessibility checker) finds
# no critical, serious or moderate issue, epubcheck finds nothing, and headless
# Chromium at 400 and 800 px shows nothing wider than the screen and no note
# markers that touch (epub_reader.js). Ace and puppeteer come from npm into a
# cache folder on first use; Chromium is Debian's. Screenshots and Ace reports are
# kept in WORK_DIR.
# usage: epub_reader.sh GHB_BOOK_BINARY SOURCE_DIR WORK_DIR
set -u
bin=$1 src=$2 out=$3
. "$(dirname "$0")/lib.sh"

node_dir=${XDG_CACHE_HOME:-$HOME/.cache}/ghb-book-test
mkdir -p "$node_dir" "$out"
(
    flock 9
    if [ ! -x "$node_dir/node_modules/.bin/ace-puppeteer" ] || [ ! -d "$node_dir/node_modules/puppeteer" ]; then
        echo "installing @daisy/ace and puppeteer into $node_dir" >&2
        ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix "$node_dir" \
            --no-audit --no-fund --silent @daisy/ace puppeteer >"$work/npm.txt" 2>&1 || { cat "$work/npm.txt"; exit 1; }
    fi
) 9>"$node_dir/.lock" || { bad "cannot install @daisy/ace and puppeteer from npm"; finish; exit 1; }
[ -x /usr/bin/chromium ] || { bad "Debian chromium is not installed"; finish; exit 1; }

# Counts Ace's findings by impact; prints the rules that failed.
ace_gate() { # report.json
    python3 - "$1" <<'PY'
import collections, json, sys
r = json.load(open(sys.argv[1]))
count, rules = collections.Counter(), collections.Counter()
for doc in r["assertions"]:
    for a in doc.get("assertions", []):
        t = a["earl:test"]
        count[t["earl:impact"]] += 1
        rules[(t["earl:impact"], t["dct:title"], doc["earl:testSubject"]["url"])] += 1
print("ace: " + ", ".join(f"{n} {k}" for k, n in sorted(count.items())) if count else "ace: no findings")
bad = {k: n for k, n in count.items() if k in ("critical", "serious", "moderate")}
for (imp, rule, url), n in sorted(rules.items()):
    if imp in bad: print(f"  {imp} {rule} x{n} in {url}")
sys.exit(1 if bad else 0)
PY
}

check_book() { # name, book dir, further options
    local name=$1 book=$2 dir=$out/$1
    rm -rf "$dir" && mkdir -p "$dir"
    "$bin" epub --book "$book" --out "$dir" --quiet ${3:-} 2>"$dir/diag.txt" && ok || { bad "$name: build"; cat "$dir/diag.txt"; return; }
    local epub
    epub=$(ls "$dir"/*.epub)
    java -jar /usr/share/java/epubcheck.jar "$epub" >"$dir/epubcheck.txt" 2>&1
    if [ $? = 0 ] && ! grep -qE "^(FATAL|ERROR|WARNING|USAGE)" "$dir/epubcheck.txt"; then ok; else
        bad "$name: epubcheck"; cat "$dir/epubcheck.txt"; fi
    (cd "$node_dir" && PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium timeout 300 \
        node_modules/.bin/ace-puppeteer -f -s -o "$dir/ace" "$epub") >"$dir/ace.txt" 2>&1
    if [ -f "$dir/ace/report.json" ]; then
        ace_gate "$dir/ace/report.json" && ok || bad "$name: Ace findings"
    else
        bad "$name: Ace did not run"; tail -20 "$dir/ace.txt"
    fi
    python3 -c "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])" "$epub" "$dir/unpacked"
    timeout 300 node "$(dirname "$0")/epub_reader.js" "$node_dir/node_modules" "$dir/unpacked" "$dir/screens" &&
        ok || bad "$name: what readers see (screens in $dir/screens)"
}

check_book handbook "$src/book"
# the reader fixtures (the loader's layout fixtures need books.sh's set-up, and
# Ace takes half a minute a book)
for b in "$src"/tests/books/reader-*/; do
    check_book "$(basename "$b")" "$b"
done
# math: MathML, and long inline formulas written in parts (Ace reads the wrapper)
check_book math "$src/tests/books/math"
# with the print fonts embedded: Ace, epubcheck and Chromium load every subset
check_book reader-zh-fonts "$src/tests/books/reader-zh" --embed-fonts
[ -n "$(ls "$out"/reader-zh-fonts/unpacked/EPUB/fonts/*.[ot]tf 2>/dev/null)" ] && ok ||
    bad "reader-zh-fonts: no fonts in the package"
finish
