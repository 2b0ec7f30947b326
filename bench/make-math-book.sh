#!/bin/bash
# Writes two books of one chapter each from the textbook formula fixture:
# OUT/math with N formulas (one-line ones inline in a sentence, the others as
# $$ displays) and OUT/plain with the same sentences and the formulas left out,
# so that the difference of their build times is what the formulas cost.
# usage: bench/make-math-book.sh OUT [N]   (default 500)
set -euo pipefail
out=$1 n=${2:-500}
fixture=$(dirname "$0")/../tests/data/math/textbook.tex
mkdir -p "$out/math" "$out/plain"
python3 - "$fixture" "$out" "$n" <<'PY'
import sys
fixture, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
blocks = [b.strip() for b in open(fixture, encoding='utf-8').read().split('\n\n')]
blocks = [b for b in blocks if b and not b.startswith('%')]
math, plain = ['# 公式\n'], ['# 公式\n']
for i in range(n):
    f = blocks[i % len(blocks)]
    if '\n' in f or '\\begin' in f:
        math.append('由此可得\n\n$$\n%s\n$$\n' % f)
        plain.append('由此可得\n')
    else:
        math.append('第 %d 个公式是 $%s$，它在正文中。\n' % (i, f))
        plain.append('第 %d 个公式是，它在正文中。\n' % i)
for kind, text in (('math', math), ('plain', plain)):
    with open('%s/%s/ch1.md' % (out, kind), 'w', encoding='utf-8') as fp:
        fp.write('\n'.join(text))
    with open('%s/%s/SUMMARY.md' % (out, kind), 'w', encoding='utf-8') as fp:
        fp.write('# Summary\n\n- [公式](ch1.md)\n')
    with open('%s/%s/book.yaml' % (out, kind), 'w', encoding='utf-8') as fp:
        fp.write('title: 公式\nlang: zh-Hans\n')
PY
