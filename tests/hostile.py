#!/usr/bin/env python3
"""The hostile-input suite: books nobody should write, each of which must build
cleanly or fail with `path:line:col: error|warning` diagnostics -- never crash,
hang (10 s each), leak (under the sanitizer build) or read outside the book.

usage: hostile.py GHB_BOOK_BINARY WORK_DIR
"""
import os, re, shutil, subprocess, sys, zipfile

PNG_HEADER = b'\x89PNG\r\n\x1a\n'

def book(root, name, chapter=None, files=None, summary='- [A](a.md)\n', yaml=None):
    d = os.path.join(root, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    if summary is not None:
        open(os.path.join(d, 'SUMMARY.md'), 'w').write(summary)
    if chapter is not None:
        open(os.path.join(d, 'a.md'), 'wb').write(chapter if isinstance(chapter, bytes) else chapter.encode())
    if yaml is not None:
        open(os.path.join(d, 'book.yaml'), 'w').write(yaml)
    for rel, data in (files or {}).items():
        p = os.path.join(d, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        open(p, 'wb').write(data if isinstance(data, bytes) else data.encode())
    return d

def cases(root):
    """(name, book folder, expected exit 0/1 or None for either, regex the diagnostics must match)."""
    c = []
    add = lambda name, d, exit=None, diag=None: c.append((name, d, exit, diag))
    add('invalid utf-8, NUL, controls', book(root, 'utf8', b'# A\n\nok \xff\xfe bad \x00 nul \x01\x1b ctl\n'), 0,
        r'a\.md:3:4: warning: invalid UTF-8')
    add('3 MB line of Han', book(root, 'hanline', '汉字' * 500000 + '\n'), 0)
    add('200 KB Latin word', book(root, 'word', 'a' * 200000 + '\n'), 0)
    add('1000-deep list', book(root, 'deeplist', ''.join('  ' * i + '- x\n' for i in range(1000))), 0)
    add('5000-deep quote', book(root, 'deepquote', '>' * 5000 + ' x\n'), 0)
    add('3000 columns', book(root, 'widetable', '|' + 'a|' * 3000 + '\n|' + '-|' * 3000 + '\n' + ('|' + '汉|' * 3000 + '\n') * 3), 0)
    add('3000 rows', book(root, 'longtable', '|a|b|\n|-|-|\n' + '|行|值|\n' * 3000), 0)
    add('5000-line code block', book(root, 'code', '```\n' + ('x' * 400 + '\n') * 5000 + '```\n'), 0)
    add('emphasis bomb', book(root, 'emph', '*a **b ' * 20000 + '\n' + '_' * 30000 + '\n'), 0)
    add('link bomb', book(root, 'links', '[a](http://x.com/) ' * 20000 + '\n' + '[' * 20000 + '\n'), 0)
    # U+10FFFD (private use, plane 16): a character no font has (BabelStone Han covers 𠀀)
    add('emoji, ZWJ, astral, lone selectors', book(root, 'emoji', '# 表情\n\n国旗🇨🇳🇺🇸家庭👨‍👩‍👧𠀀𠀁\U0010FFFD\ufe0f孤立\u200d文\n'), 0,
        r'warning: no glyph for U\+10FFFD')
    add('missing chapter', book(root, 'nochapter', None, summary='- [A](a.md)\n'), 1, r'SUMMARY\.md:1:3: warning: missing chapter file')
    add('missing image', book(root, 'noimage', '# A\n\n![x](nope.png)\n'), 0, r'a\.md:3:1: warning: missing image')
    add('corrupt PNG', book(root, 'badpng', '# A\n\n![x](bad.png)\n', {'bad.png': PNG_HEADER + b'garbage' * 10}), 0,
        r'warning: .*bad\.png')
    add('corrupt JPEG', book(root, 'badjpg', '# A\n\n![x](bad.jpg)\n', {'bad.jpg': b'\xff\xd8\xff\xe0garbage'}), 0,
        r'warning: .*bad\.jpg')
    add('not an image', book(root, 'notimage', '# A\n\n![x](x.png)\n', {'x.png': 'hello'}), 0, r'warning: image .*x\.png.* is not')
    add('pictures in table cells: corrupt, missing, a tall one, 300 in one cell',
        book(root, 'cellimgs', '# A\n\n| a | b |\n|---|---|\n| ![x](bad.png) | ![y](nope.png) |\n'
             '| ![t](tall.svg) | ' + '![r](tall.svg)' * 300 + ' |\n',
             {'bad.png': PNG_HEADER + b'garbage' * 10,
              'tall.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="20000"/>'}), 0,
        r'warning: .*bad\.png')
    add('draw.io SVG with nested font and content attributes',
        book(root, 'drawio', '# A\n\n![d](d.svg)\n',
             {'d.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" content="&lt;x"><foreignObject>'
              '<div xmlns="http://www.w3.org/1999/xhtml">' + '<font color="red" face="x" size="9">' * 2000 + 'x' +
              '</font>' * 2000 + '</div></foreignObject></svg>'}), 0)
    add('malformed YAML', book(root, 'badyaml', '# A\n', yaml='title: [unclosed\n  - x: {\n'), 1, r'book\.yaml:\d+:\d+: error: bad YAML')
    add('YAML with wrong types and unknown keys', book(root, 'typesyaml', '# A\n', yaml='title: {a: 1}\nauthor-links: 3\nnonsense: 1\n'), 1,
        r"book\.yaml:1:8: error: 'title' must be a single value")
    add('empty book', book(root, 'empty', None, summary='# Empty\n'), 1, r'error: the book has no chapters')
    add('only headings', book(root, 'headings', '# A\n## B\n### C\n#### D\n##### E\n###### F\n'), 0)
    add('duplicate and dangling anchors', book(root, 'anchors', '# A\n\n<a id="x"></a>\n\n<a id="x"></a>\n\n## X\n\n## X\n\n[d](#nowhere) [e](a.md#gone)\n'), 0,
        r"warning: duplicate anchor 'x'")
    add('broken raw HTML', book(root, 'html', '<div><p>unclosed <b>x <script>alert(1)</script><svg><g/></svg> &bogus; &#0; '
        '<a href="javascript:x">j</a> <iframe src=x></iframe>\n\n<table><tr><td>cell\n'), 0)
    add('path escape', book(root, 'escape', '# A\n\n[p](../../../../etc/passwd) ![i](../../../../etc/passwd)\n{{#include ../../../../etc/passwd}}\n'), 0,
        r'warning: .*leaves the project folder')
    add('SUMMARY escape', book(root, 'sumescape', '# A\n', summary='- [A](a.md)\n- [P](../../../../etc/passwd)\n'), 0,
        r'SUMMARY\.md:2:3: warning: .* leaves the book folder')
    d = book(root, 'symlink', '# A\n\n![i](link.png)\n')
    os.symlink('/etc/passwd', os.path.join(d, 'link.png'))
    add('symlink escape', d, 0, r"warning: image 'link\.png' leaves the project folder")
    add('SUMMARY loops and repeats', book(root, 'loops', '# A\n', summary='- [A](a.md)\n  - [A again](a.md)\n- [A](a.md)\n- [S](SUMMARY.md)\n'), 0,
        r'loops back')
    return c

def main():
    binary, work = sys.argv[1], sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    env = dict(os.environ, ASAN_OPTIONS='exitcode=99:detect_leaks=1', UBSAN_OPTIONS='halt_on_error=1:exitcode=98')
    passed = failed = 0
    diag_re = re.compile(r'^[^:\n]+:\d+:\d+: (error|warning): ', re.M)
    for name, d, want, pattern in cases(work):
        out = d + '-out'
        try:
            r = subprocess.run([binary, 'all', '--book', d, '--out', out, '--quiet'], capture_output=True, text=True,
                               errors="replace", timeout=60, env=env)
            code, err = r.returncode, r.stderr
        except subprocess.TimeoutExpired:
            code, err = 'timeout', ''
        problems = []
        if code not in (0, 1):
            problems.append('exit %s' % code)
        if want is not None and code != want:
            problems.append('exit %s, want %s' % (code, want))
        if re.search(r'AddressSanitizer|LeakSanitizer|runtime error', err):
            problems.append('sanitizer report')
        if code == 1 and not re.search(r'^[^:\n]+:\d+:\d+: error: ', err, re.M):
            problems.append('failed without an error diagnostic')
        for line in err.splitlines():
            if not diag_re.match(line) and not line.startswith('ghb-book: '):
                problems.append('stray output: ' + line[:100])
                break
        if pattern and not re.search(pattern, err):
            problems.append('no diagnostic matching /%s/' % pattern)
        for f in (os.listdir(out) if os.path.isdir(out) else []):
            if f.endswith('.epub') and b'root:' in b''.join(zipfile.ZipFile(os.path.join(out, f)).read(n)
                                                            for n in zipfile.ZipFile(os.path.join(out, f)).namelist()):
                problems.append('/etc/passwd leaked into the EPUB')
        if problems:
            failed += 1
            print('FAIL %s: %s' % (name, '; '.join(problems)))
            print('   ' + '\n   '.join(err.splitlines()[:6]))
        else:
            passed += 1
    print('%d passed, %d failed' % (passed, failed))
    sys.exit(1 if failed else 0)

if __name__ == '__main__':
    main()
