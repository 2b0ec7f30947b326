#!/bin/bash
# Text extraction gives back shaped clusters whole (#9): in Devanagari दुनिया the
# vowel sign of नि is drawn before its consonant, and a glyph's ToUnicode entry is
# the first text it was drawn for, so without ActualText pdftotext read दुनिनया.
# Also ligatures (ffi), Hangul and Thai. Needs fonts-noto-core (scripts/deps.sh).
# usage: cluster_text.sh GHB_BOOK_BINARY
set -u
bin=$1
. "$(dirname "$0")/lib.sh"

mkdir -p "$work/b/chapters"
printf 'title: Clusters\nlang: en\n' >"$work/b/book.yaml"
printf '# Clusters\n\n- [A](chapters/a.md)\n' >"$work/b/SUMMARY.md"
words="नमस्ते दुनिया किताब कि नि office affine 안녕하세요 สวัสดี"
printf '# A\n\n%s\n\nदुनिया नि कि\n' "$words" >"$work/b/chapters/a.md"
"$bin" pdf --book "$work/b" --out "$work/o" --quiet 2>"$work/err" && ok || { bad "build"; cat "$work/err"; }
pdftotext "$work"/o/*.pdf "$work/t.txt" && ok || bad "pdftotext"
for w in $words; do
    grep -qF -- "$w" "$work/t.txt" && ok || bad "'$w' not extracted whole: $(grep -m1 -F "${w:0:1}" "$work/t.txt")"
done
grep -qF "दुनिनया" "$work/t.txt" && bad "a cluster's consonant read twice" || ok
qpdf --check "$work"/o/*.pdf >/dev/null && ok || bad "qpdf --check"
# the tagged text (ActualText of a run with word spaces, what screen readers read)
# spells clusters whole too: every glyph of a cluster carries its first character
qpdf --qdf --object-streams=disable "$work"/o/*.pdf "$work/q.pdf" && ok || bad "qpdf --qdf"
python3 - "$work/q.pdf" "नमस्ते दुनिया किताब कि नि office affine" <<'PY' && ok || bad "ActualText of the run"
import re, sys
data = open(sys.argv[1], 'rb').read().decode('latin-1')
texts = [bytes.fromhex(h).decode('utf-16-be')
         for h in re.findall(r'/ActualText <(?:feff|FEFF)([0-9a-fA-F]*)>', data)]
want = sys.argv[2]
if not any(want in t for t in texts):
    print('no ActualText holds', want, 'in', texts)
    sys.exit(1)
PY
finish
