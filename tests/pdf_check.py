#!/usr/bin/env python3
"""Checks that a ghb-book PDF's references land where they should.

usage: pdf_check.py BOOK.pdf [--expect-internal N] [--min-entries N]

- page labels: roman from the first page, then arabic from 1
- every TOC entry's printed page number equals the page label of the outline
  entry with the same title
- every internal (GoTo) link in the body lands on a page, and where the link's
  line prints "(见第 N 页)", N is the label of the page it lands on
- every note number set in a page's text has its note at that page's foot
Prints "N passed, N failed".
"""
import json, re, subprocess, sys

passed = failed = 0

def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print('FAIL:', what)

def run(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True).stdout

def roman(n):
    out = ''
    for v, s in ((1000, 'm'), (900, 'cm'), (500, 'd'), (400, 'cd'), (100, 'c'), (90, 'xc'), (50, 'l'),
                 (40, 'xl'), (10, 'x'), (9, 'ix'), (5, 'v'), (4, 'iv'), (1, 'i')):
        while n >= v:
            out += s
            n -= v
    return out

def main():
    pdf = sys.argv[1]
    arg = lambda name, default: int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default
    expect_internal = arg('--expect-internal', None)
    min_entries = arg('--min-entries', 10)
    js = json.loads(run('qpdf', '--json=2', pdf))
    npages = len(js['pages'])
    # page labels
    ranges = js.get('pagelabels', [])
    check(len(ranges) >= 2 and ranges[0]['label'].get('/S') == '/r' and ranges[1]['label'].get('/S') == '/D'
          and ranges[1]['label'].get('/St', 1) == 1, 'page labels run roman, then arabic from 1: %s' % ranges)
    labels = []
    for i in range(npages):
        r = max((r for r in ranges if r['index'] <= i), key=lambda r: r['index'])
        n = i - r['index'] + r['label'].get('/St', 1)
        labels.append(roman(n) if r['label'].get('/S') == '/r' else str(n))
    # outline
    flat = []
    def walk(items):
        for it in items:
            flat.append((it['title'], it.get('destpageposfrom1')))
            walk(it.get('kids', []))
    walk(js.get('outlines', []))
    check(len(flat) >= min_entries, 'outline has entries (%d)' % len(flat))
    dest_of = {}
    for title, pos in flat:
        dest_of.setdefault(title, pos)
    # the TOC: lines "title .... N" on the roman pages
    front = ranges[1]['index'] if len(ranges) >= 2 else 0
    toc_text = run('pdftotext', '-layout', '-f', '1', '-l', str(front), pdf, '-')
    entries = re.findall(r'^\s*(\S.*?)\s*(?:\.\s*)+\s*(\d+)\s*$', toc_text, re.M)
    check(len(entries) >= min_entries, 'the TOC lists entries (%d)' % len(entries))
    for title, num in entries:
        key = re.sub(r'\s+', '', title)
        match = [pos for t, pos in flat if re.sub(r'\s+', '', t) == key]
        check(match and labels[match[0] - 1] == num,
              'TOC "%s" says page %s, the outline lands on %s' % (title, num, match and labels[match[0] - 1]))
    # links
    objs = {}
    for entry in js['qpdf'][1:]:
        for k, v in entry.items():
            objs[k.replace('obj:', '')] = v.get('value', v)
    page_pos = {p['object']: i for i, p in enumerate(js['pages'])}
    def dest_page(ann):
        d = ann.get('/Dest')
        if isinstance(d, str):
            d = objs.get(d)
        return page_pos.get(d[0]) if isinstance(d, list) and d else None
    internal = front_links = 0
    for i, p in enumerate(js['pages']):
        page = objs.get(p['object'], {})
        annots = page.get('/Annots', [])
        if isinstance(annots, str):
            annots = objs.get(annots, [])
        text = run('pdftotext', '-layout', '-f', str(i + 1), '-l', str(i + 1), pdf, '-')
        for a in annots:
            ann = objs.get(a, {}) if isinstance(a, str) else a
            if not ann.get('/Dest'):
                continue
            internal += i >= front
            front_links += i < front
            check(dest_page(ann) is not None, 'an internal link on page %s has a destination page' % labels[i])
        refs = re.findall(r'见第\s*(\d+)\s*页', text)
        for n in refs:
            check(any(dest_page(objs.get(a, {})) is not None and labels[dest_page(objs.get(a, {}))] == n
                      for a in annots if isinstance(a, str)),
                  'page %s prints (见第 %s 页) and a link there lands on page %s' % (labels[i], n, n))
        # notes: marks in the body, notes at the foot
        lines = text.splitlines()
        foot = {l.strip()[0] for l in lines if l.strip()[:1] and '\u2460' <= l.strip()[0] <= '\u2473'
                and re.match(r'^\s*[\u2460-\u2473]\s+\S', l)}
        body_marks = set(c for l in lines if not re.match(r'^\s*[\u2460-\u2473]\s+\S', l)
                         for c in l if '\u2460' <= c <= '\u2473')
        if i >= front:
            check(body_marks <= foot, 'page %s: marks %s have notes %s' % (labels[i], sorted(body_marks), sorted(foot)))
    check(front_links >= len(entries), 'every TOC entry is a link (%d links, %d entries)' % (front_links, len(entries)))
    if expect_internal is not None:
        check(internal >= expect_internal, 'internal links: %d, expected at least %d' % (internal, expect_internal))
    print('%d passed, %d failed' % (passed, failed))
    sys.exit(1 if failed else 0)

if __name__ == '__main__':
    main()
