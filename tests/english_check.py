#!/usr/bin/env python3
"""Checks an English book's PDF (tests/books/english) is set as Latin text.

usage: english_check.py PDF
Reads every character with its font from `mutool draw -F stext` and asserts:
quotes and apostrophes beside Latin text are drawn with a Latin font at Latin
width, those beside Han text with the CJK font; emphasis is italic and strong
bold; words are hyphenated with a hyphen at line ends (never identifiers);
table heads and the title page break only between words.
"""
import re, subprocess, sys
import xml.etree.ElementTree as ET

fails = []
def check(cond, what):
    if not cond:
        fails.append(what)

def pages(pdf):
    xml = subprocess.run(['mutool', 'draw', '-q', '-F', 'stext', '-o', '-', pdf],
                         capture_output=True, text=True, check=True).stdout
    out = []
    for page in ET.fromstring(xml).iter('page'):
        lines = []
        for line in page.iter('line'):
            chars = []
            for font in line.iter('font'):
                for ch in font.iter('char'):
                    q = [float(v) for v in ch.get('quad').split()]
                    chars.append({'c': ch.get('c'), 'font': font.get('name'), 'size': float(font.get('size')),
                                  'x0': q[0], 'x1': q[2]})
            if chars:
                lines.append(chars)
        out.append(lines)
    return out

def text(line):
    return ''.join(c['c'] for c in line)

HAN = re.compile('[\u3400-\u9fff]')
cjk_font = lambda f: 'CJK' in f or 'WenKai' in f

def main():
    pdf = sys.argv[1]
    book = pages(pdf)
    lines = [l for p in book for l in p]

    # quotes and apostrophes: Latin beside Latin text, full-width beside Han text
    latin_q = han_q = apostrophes = 0
    for l in lines:
        for i, c in enumerate(l):
            if c['c'] not in '\u2018\u2019\u201c\u201d':
                continue
            near = ''.join(x['c'] for x in l[max(0, i - 1):i + 2])
            if HAN.search(near):
                han_q += 1
                check(cjk_font(c['font']), 'quote beside Han text not full-width: %r in %s' % (near, c['font']))
            else:
                latin_q += 1
                check(not cjk_font(c['font']), 'quote in Latin text drawn with %s: %r' % (c['font'], text(l)[:60]))
            if c['c'] == '\u2019' and 0 < i < len(l) - 1 and l[i - 1]['c'].isalpha() and l[i + 1]['c'].isalpha():
                apostrophes += 1
                gap = l[i + 1]['x0'] - c['x1']
                width = c['x1'] - c['x0']
                # the font's kerning (shaped with HarfBuzz) may pull the next letter in
                check(-0.1 * c['size'] < gap < 0.3 and width < 0.5 * c['size'],
                      'apostrophe set wide (%.2f pt gap, %.2f pt wide) in %r' % (gap, width, text(l)[:60]))
    check(latin_q >= 20 and apostrophes >= 10, 'too few Latin quotes/apostrophes found (%d, %d)' % (latin_q, apostrophes))
    check(han_q >= 2, 'the quotes around Han text were not found full-width (%d)' % han_q)

    # emphasis italic, strong bold
    def font_of(phrase):
        for l in lines:
            t = text(l)
            k = t.find(phrase)
            if k >= 0:
                return {c['font'] for c in l[k:k + len(phrase)] if c['c'] != ' '}
        return None
    for phrase in ('hard won', 'emphasis is italic', 'internationalization'):
        f = font_of(phrase)
        check(f is not None and all('Italic' in x for x in f), 'emphasis %r not italic: %s' % (phrase, f))
    for phrase in ('Strong importance is bold', 'typesetting system'):
        f = font_of(phrase)
        check(f is not None and all('Bold' in x and 'Sans' not in x for x in f), 'strong %r not bold serif: %s' % (phrase, f))

    # hyphenation: lines ending in a hyphen continue the word on the next line
    words = set(re.findall(r'[A-Za-z]+', open(sys.argv[2], encoding='utf-8').read())) if len(sys.argv) > 2 else set()
    hyphenated = 0
    for p in book:
        for a, b in zip(p, p[1:]):
            ta, tb = text(a).rstrip(), text(b).lstrip()
            m = re.search(r'([A-Za-z]+)-$', ta)
            n = re.match(r'[A-Za-z]+', tb)
            if not m or not n or a[-1]['size'] != 10.5:
                continue
            whole = m.group(1) + n.group(0)
            if words and whole in words:
                hyphenated += 1
                check(a[-1]['font'] == a[-2]['font'] and not cjk_font(a[-1]['font']),
                      'hyphen of %s not in its word\'s font' % whole)
                check(whole.lower() not in ('tokenization',) or m.group(1).lower() in ('to', 'token', 'tokeniza'),
                      'tokenization broken against the exception list: %s-%s' % (m.group(1), n.group(0)))
            for ident in ('documentBuilderFactory', 'parse', 'GPT4Turbo', 'UNESCO'):
                check(not ident.startswith(whole[:len(m.group(1))]) or whole != ident,
                      'identifier %s hyphenated' % ident)
    check(hyphenated >= 3, 'fewer than 3 hyphenated line ends (%d)' % hyphenated)
    # identifiers may break after _ . / (no hyphen added), never inside a word with a hyphen
    joined = ''.join(text(l) for l in lines)
    for ident in ('parse_document_tree', 'documentBuilderFactory', 'GPT4Turbo', 'UNESCO',
                  'src/layout/hyphen.c'):
        check(ident in joined, 'identifier %s hyphenated or cut' % ident)

    # table heads: every word whole on one line
    head = [text(l) for l in lines if any('Sans-Bold' in c['font'] for c in l) and l[0]['size'] < 10]
    for w in ('Operator', 'Characteristic', 'Behaviour', 'Associativity', 'Typical', 'Precedence',
              'Level', 'Representative', 'Programming', 'Languages'):
        check(any(re.search(r'\b%s\b' % w, t) for t in head), 'table head word %r split or missing: %s' % (w, head))

    # the title page: the title's words whole, in the bold sans
    title = 'The Internationalization of Typesetting: Notes on Language, Measure and Tokenization'
    first = [text(l) for l in book[0]]
    got = ' '.join(first).split()
    for w in title.split():
        check(w in got, 'title word %r split on the title page: %s' % (w, first))
    check(any('Sans-Bold' in c['font'] for l in book[0] for c in l), 'the title is not bold sans')

    for f in fails:
        print('FAIL:', f)
    print('english_check: %d failure(s)' % len(fails))
    return 1 if fails else 0

if __name__ == '__main__':
    sys.exit(main())
