#!/bin/bash
# The text of a PDF as drawn: pdftotext after the formulas' ActualText spans
# (which give back their TeX) are taken out, so raw TeX that was never typeset
# can be told from typeset formulas.   usage: scripts/pdf-visible-text.sh PDF OUT.txt
set -euo pipefail
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
qpdf --qdf --object-streams=disable "$1" "$d/q.pdf"
python3 - "$d/q.pdf" "$d/r.pdf" <<'PY'
import re, sys
d = open(sys.argv[1], 'rb').read()
# hex UTF-16, or a literal string (ASCII TeX, its parens and backslashes escaped)
at = rb'(?:<[0-9A-Fa-f]*>|\((?:\\.|[^\\()])*\))'
d = re.sub(rb'/Span <</ActualText ' + at + rb'>> BDC\n(.*?)EMC\n', rb'\1', d, flags=re.S)
open(sys.argv[2], 'wb').write(d)
PY
fix-qdf "$d/r.pdf" >"$d/v.pdf"
pdftotext "$d/v.pdf" "$2"
