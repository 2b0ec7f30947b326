#!/usr/bin/env python3
# Usage: missing-without-directives.py BOOK.pdf SOURCE_DIR
# missing_chars as pdf-audit.py counts it (../shared/tools), and again with the text of
# mdBook's {{#include}}-style directives and the hidden "# " lines of Rust blocks taken
# out of the source (mdBook prints neither): docs/BOOKS.md
import importlib.util, subprocess, sys, re, os, xml.etree.ElementTree as ET
# the shared audit beside the repository (or PDF_AUDIT=path)
AUDIT = os.environ.get('PDF_AUDIT') or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'tools', 'pdf-audit.py')
spec = importlib.util.spec_from_file_location('pa', AUDIT)
pa = importlib.util.module_from_spec(spec); spec.loader.exec_module(pa)
pdf, src_dir = sys.argv[1], sys.argv[2]
DIRECTIVE = re.compile(r'\{\{#\s*(include|rustdoc_include|playground|title)[^}]*\}\}')
HIDDEN = re.compile(r'^\s*#(?:\s|$)(?!\[)')
def texts(clean):
    out = []
    for f in pa.md_files([src_dir]):
        if os.path.basename(f) == 'SUMMARY.md': continue
        xml = pa.run('cmark-gfm', '-e', 'table', '-e', 'strikethrough', '-e', 'autolink', '--to', 'xml', f)
        root = ET.fromstring(re.sub(r'<!DOCTYPE[^>]*>', '', xml))
        for el in root.iter():
            tag = el.tag.split('}')[-1]
            if tag in ('text', 'code', 'code_block') and el.text:
                t = el.text
                if clean:
                    t = DIRECTIVE.sub('', t)
                    info = (el.get('info') or '').split(',')[0].strip()
                    if tag == 'code_block' and info in ('rust', ''):
                        t = '\n'.join(l for l in t.split('\n') if not HIDDEN.match(l))
                out.append(t)
    return pa.squash('\n'.join(out))
out = pa.squash(pa.run('pdftotext', pdf, '-'))
for clean in (False, True):
    s = texts(clean)
    m = pa.missing_chars(s, out)
    print('%s: missing %d of %d (%.2f %%)' % ('cleaned' if clean else 'as audited', m, len(s), 100.0 * m / len(s)))
