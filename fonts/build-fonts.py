#!/usr/bin/python3
"""Regenerates fonts/ from Debian's font packages.

Needs: fonts-noto-cjk fonts-lxgw-wenkai fonts-noto-core fonts-noto-mono fonts-dejavu-core
python3-fonttools (run with Debian's /usr/bin/python3).

The Han fonts are cut to GBK (every character Python's gbk codec decodes), all
of CJK Unified Ideographs (U+4E00-9FFF, which holds the 通用规范汉字表's
characters in that block), every character of the books in book/, ASCII,
Latin-1, General Punctuation, CJK Symbols and Punctuation, kana and the
full-width forms. Outlines stay as they are: CFF stays CFF (ghb-book embeds it
as FontFile3/CIDFontType0C), TrueType stays TrueType. LXGW WenKai keeps every
one of these characters it has. The regular Latin fonts are copied whole; the
italic and bold faces are cut to Latin, Greek, Cyrillic and punctuation
(LATIN_FACES), keeping their layout features (kerning, ligatures).
"""
import glob, os, shutil, sys
from fontTools.ttLib import TTFont
from fontTools import subset

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

def charset():
    cps = set()
    for hi in range(0x81, 0xFF):
        for lo in range(0x40, 0xFF):
            try:
                cps.update(ord(c) for c in bytes([hi, lo]).decode('gbk'))
            except UnicodeDecodeError:
                pass
    for r in ((0x20, 0x7F), (0xA0, 0x100), (0x2000, 0x2070), (0x3000, 0x3100), (0xFF00, 0xFFF0),
              (0x2190, 0x2200), (0x2460, 0x2500), (0x25A0, 0x2600), (0x2610, 0x2613),
              (0x4E00, 0xA000), (0x31C0, 0x31F0), (0x3200, 0x3300), (0xFE30, 0xFE50)):
        cps.update(range(*r))
    for md in glob.glob(os.path.join(ROOT, 'book', '**', '*.md'), recursive=True):
        cps.update(ord(c) for c in open(md, encoding='utf-8').read())
    return cps

def cut(src, number, out, cps):
    font = TTFont(src, fontNumber=number, lazy=False)
    opts = subset.Options()
    opts.layout_features = ['vert', 'vrt2', 'halt', 'palt', 'kern']
    opts.name_IDs = ['*']
    opts.name_languages = ['*']
    opts.notdef_outline = True
    opts.hinting = False
    opts.desubroutinize = False  # subroutines keep the files small; hb-subset inlines them
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=cps)
    sub.subset(font)
    font.save(os.path.join(HERE, out))
    print('%-36s %6.2f MB' % (out, os.path.getsize(os.path.join(HERE, out)) / 1e6))

# Latin, Greek and Cyrillic with their diacritics, punctuation, super- and subscripts,
# currency, letterlike symbols, number forms, arrows and the ligatures block.
LATIN_RANGES = ((0x20, 0x7F), (0xA0, 0x530), (0x1D00, 0x1DC0), (0x1E00, 0x2000), (0x2000, 0x2200),
                (0x2C60, 0x2C80), (0xA720, 0xA800), (0xFB00, 0xFB07), (0xFFFC, 0xFFFE))
LATIN_FACES = ('NotoSerif-Italic.ttf', 'NotoSerif-Bold.ttf', 'NotoSerif-BoldItalic.ttf',
               'NotoSans-Bold.ttf', 'NotoSansMono-Bold.ttf')

def cut_latin(src, out):
    """A Latin face cut to LATIN_RANGES, unhinted, all its layout features kept."""
    font = TTFont(src, lazy=False)
    opts = subset.Options()
    opts.layout_features = ['*']
    opts.name_IDs = ['*']
    opts.name_languages = ['*']
    opts.notdef_outline = True
    opts.hinting = False
    opts.glyph_names = False
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=[c for lo, hi in LATIN_RANGES for c in range(lo, hi)])
    sub.subset(font)
    font.save(os.path.join(HERE, out))
    print('%-36s %6.2f MB' % (out, os.path.getsize(os.path.join(HERE, out)) / 1e6))

def main():
    cps = charset()
    cjk = '/usr/share/fonts/opentype/noto/'
    jobs = [(cjk + 'NotoSerifCJK-Regular.ttc', 2, 'NotoSerifCJKsc-Regular.otf'),
            (cjk + 'NotoSansCJK-Regular.ttc', 2, 'NotoSansCJKsc-Regular.otf'),
            (cjk + 'NotoSansCJK-Bold.ttc', 2, 'NotoSansCJKsc-Bold.otf'),
            ('/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf', 0, 'LXGWWenKai-Regular.ttf')]
    only = sys.argv[1:]
    for src, n, out in jobs:
        if not only or out in only:
            cut(src, n, out, cps)
    noto = '/usr/share/fonts/truetype/noto/'
    for f in ('NotoSerif-Regular.ttf', 'NotoSans-Regular.ttf', 'NotoSansMono-Regular.ttf'):
        shutil.copy(noto + f, os.path.join(HERE, f))
    for f in LATIN_FACES:
        if not only or f in only:
            cut_latin(noto + f, f)
    shutil.copy('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', os.path.join(HERE, 'DejaVuSans.ttf'))
    for pkg, name in (('fonts-noto-cjk', 'LICENSE-NotoCJK.txt'), ('fonts-lxgw-wenkai', 'LICENSE-LXGWWenKai.txt'),
                      ('fonts-noto-core', 'LICENSE-Noto.txt'), ('fonts-dejavu-core', 'LICENSE-DejaVu.txt')):
        shutil.copy('/usr/share/doc/%s/copyright' % pkg, os.path.join(HERE, name))

if __name__ == '__main__':
    main()
