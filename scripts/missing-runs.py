#!/usr/bin/env python3
# Usage: missing-runs.py BOOK.pdf SOURCE_DIR [--listed] [--runs]
# Where pdf-audit.py's missing_chars (../shared/tools, or PDF_AUDIT=path) come from:
# the same source text, 6-gram rule and pdftotext output, each source character
# labelled: `directive` (mdBook's {{#include …}}-style text, which mdBook replaces),
# `hidden` (the hidden "# " lines of Rust blocks, which mdBook does not print either)
# or `text`; the missing text is then split by a rough reading of its run:
# `quotes` (straight quotes, --, ... the PDF prints as curly quotes, dashes, …),
# `emoji` (gemoji :shortcodes: printed as the emoji), `tex` (runs in or next to TeX: `\\` and `_x_` inside formulas are Markdown escapes
# and emphasis to the audit's cmark), `other`. --listed counts only the files the
# book's contents list (SUMMARY.md or _sidebar.md, and the README a docsify site
# opens on) instead of every .md of a folder without SUMMARY.md; --runs lists the
# runs of `text` characters with their file. docs/BOOKS.md has the figures.
import collections, importlib.util, os, re, sys, xml.etree.ElementTree as ET
HERE = os.path.dirname(os.path.abspath(__file__))
AUDIT = os.environ.get('PDF_AUDIT') or next(
    (p for p in (os.path.join(HERE, up, 'shared', 'tools', 'pdf-audit.py') for up in ('../..', '../../..'))
     if os.path.isfile(p)), 'pdf-audit.py')
spec = importlib.util.spec_from_file_location('pa', AUDIT)
pa = importlib.util.module_from_spec(spec); spec.loader.exec_module(pa)
DIRECTIVE = re.compile(r'\{\{[#%][^}]*\}\}')  # mdBook's, and mdbook-course's {{%…}}
HIDDEN = re.compile(r'^\s*#(?:\s|$)(?!\[)')

def files_of(src, listed):
    files = [f for f in pa.md_files([src]) if os.path.basename(f) != 'SUMMARY.md']
    side = os.path.join(src, '_sidebar.md')
    if listed and os.path.isfile(side):
        names = re.findall(r'\]\(([^)#\s]+)', open(side, encoding='utf-8').read())
        keep = {os.path.normpath(os.path.join(src, n.lstrip('/') + ('' if n.endswith('.md') else '.md')))
                for n in names} | {os.path.join(src, 'README.md')}
        files = [f for f in files if os.path.normpath(f) in keep]
    return files

def labelled(files):
    chars, owner = [], []
    for fi, f in enumerate(files):
        xml = pa.run('cmark-gfm', '-e', 'table', '-e', 'strikethrough', '-e', 'autolink', '--to', 'xml', f)
        for el in ET.fromstring(re.sub(r'<!DOCTYPE[^>]*>', '', xml)).iter():
            tag = el.tag.split('}')[-1]
            if tag not in ('text', 'code', 'code_block') or not el.text:
                continue
            t = el.text + '\n'
            cat = ['text'] * len(t)
            for m in DIRECTIVE.finditer(t):
                cat[m.start():m.end()] = ['directive'] * (m.end() - m.start())
            info = (el.get('info') or '').split(',')[0].strip()
            if tag == 'code_block' and (info == '' or info.startswith('rust')):
                pos = 0
                for line in t.split('\n'):
                    if HIDDEN.match(line):
                        for k in range(pos, pos + len(line)):
                            if cat[k] == 'text': cat[k] = 'hidden'
                    pos += len(line) + 1
            for k, c in enumerate(t):
                if not c.isspace():
                    chars.append(c); owner.append((fi, cat[k]))
    return ''.join(chars), owner

def kind(s, i, j):
    run, ctx = s[i:j], s[max(0, i - 12):j + 12]
    if '\\' in ctx or '$' in ctx: return 'tex'
    if re.search(r':[a-z0-9_+-]+:', ctx): return 'emoji'
    if re.search(r'["\'`]|--|\.\.\.', run) or len(re.sub(r'\W', '', run)) <= 2: return 'quotes'
    return 'other'

def main():
    pdf, src = sys.argv[1], sys.argv[2]
    files = files_of(src, '--listed' in sys.argv)
    s, owner = labelled(files)
    out = pa.squash(pa.run('pdftotext', pdf, '-'))
    grams = {out[i:i + 6] for i in range(len(out) - 5)}
    cov = [False] * len(s)
    for i in range(len(s) - 5):
        if s[i:i + 6] in grams: cov[i:i + 6] = [True] * 6
    total = cov.count(False)
    print('missing %d of %d (%.2f %%) over %d files' % (total, len(s), 100.0 * total / max(1, len(s)), len(files)))
    cats = collections.Counter(o[1] for o in owner)
    miss = collections.Counter(owner[k][1] for k in range(len(s)) if not cov[k])
    for c in ('directive', 'hidden', 'text'):
        print('  %-9s %6d missing of %7d' % (c, miss[c], cats[c]))
    kinds, runs, i = collections.Counter(), [], 0
    while i < len(s):
        if cov[i] or owner[i][1] != 'text': i += 1; continue
        j = i
        while j < len(s) and not cov[j] and owner[j][1] == 'text': j += 1
        kinds[kind(s, i, j)] += j - i; runs.append((i, j)); i = j
    print('  text: ' + ', '.join('%s %d' % (k, kinds[k]) for k in ('quotes', 'tex', 'emoji', 'other')))
    if '--runs' in sys.argv:
        for i, j in runs:
            print('%5d %-6s %s: %s[%s]%s' % (j - i, kind(s, i, j), os.path.relpath(files[owner[i][0]], src),
                                         s[max(0, i - 12):i], s[i:j][:300], s[j:j + 12]))

main()
