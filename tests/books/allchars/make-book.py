#!/usr/bin/python3
"""Writes the allchars fixture book: every character of the ranges issue #9
asks for, one chapter per range. Run from anywhere; it writes beside itself.

"Common Extension B" is taken as the Extension B characters Noto Sans CJK SC
has (the forms in use in the Chinese-speaking world), read from the installed
font with fontTools (Debian's python3-fonttools)."""
import os, unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))

def assigned(lo, hi):
    return [chr(c) for c in range(lo, hi + 1)
            if unicodedata.category(chr(c)) not in ('Cn', 'Cs', 'Co', 'Cc')]

def ext_b_common():
    from fontTools.ttLib import TTFont
    f = TTFont('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', fontNumber=2, lazy=True)
    cmap = f.getBestCmap()
    return [chr(c) for c in sorted(cmap) if 0x20000 <= c <= 0x2A6DF]

def spaced(chars, n=10):
    """Letters in groups of n: words a line can break between."""
    return ' '.join(''.join(chars[i:i + n]) for i in range(0, len(chars), n))

def block(chars, n=40):
    """Han and Hangul need no spaces: one paragraph per n characters."""
    return '\n\n'.join(''.join(chars[i:i + n]) for i in range(0, len(chars), n))

EMOJI = ['\U0001F468\u200D\U0001F469\u200D\U0001F467',       # family: ZWJ sequence
         '\U0001F469\u200D\U0001F4BB', '\U0001F3F3\uFE0F\u200D\U0001F308',
         '\U0001F1E8\U0001F1F3', '\U0001F1FA\U0001F1F8', '\U0001F1EF\U0001F1F5',  # flags
         '\U0001F44D\U0001F3FD', '\U0001F44B\U0001F3FF', '\U0001F9D1\U0001F3FB',  # skin tones
         '\u2705', '\u274C', '\U0001F4DD', '\U0001F4A1', '\U0001F680', '\u2764\uFE0F']

def chapters():
    latin = [c for c in assigned(0xC0, 0x24F) if unicodedata.category(c).startswith('L')]
    latin += assigned(0x1E00, 0x1EFF)
    return [
        ('cjk-unified', 'CJK Unified Ideographs', block(assigned(0x4E00, 0x9FFF))),
        ('cjk-ext-a', 'CJK Extension A', block(assigned(0x3400, 0x4DBF))),
        ('cjk-ext-b', 'CJK Extension B (common)', block(ext_b_common())),
        ('cjk-symbols', 'CJK symbols and punctuation', spaced(assigned(0x3001, 0x303F), 8)),
        ('kana', 'Kana', block(assigned(0x3041, 0x30FF))),
        ('hangul', 'Hangul', block(assigned(0xAC00, 0xD7A3) + assigned(0x3131, 0x318E))),
        ('greek', 'Greek', spaced(assigned(0x370, 0x3FF))),
        ('cyrillic', 'Cyrillic', spaced(assigned(0x400, 0x4FF))),
        ('latin', 'Latin with diacritics', spaced(latin)),
        ('math', 'Mathematical Alphanumeric Symbols', spaced(assigned(0x1D400, 0x1D7FF))),
        ('emoji', 'Emoji', ' '.join(EMOJI + assigned(0x1F600, 0x1F64F))),
    ]

def main():
    os.makedirs(os.path.join(HERE, 'chapters'), exist_ok=True)
    summary = ['# Summary', '']
    for name, title, text in chapters():
        with open(os.path.join(HERE, 'chapters', name + '.md'), 'w', encoding='utf-8') as f:
            f.write('# %s\n\n%s\n' % (title, text))
        summary.append('- [%s](chapters/%s.md)' % (title, name))
    with open(os.path.join(HERE, 'SUMMARY.md'), 'w', encoding='utf-8') as f:
        f.write('\n'.join(summary) + '\n')
    with open(os.path.join(HERE, 'book.yaml'), 'w', encoding='utf-8') as f:
        f.write('title: Every character\nlang: zh-CN\n')

if __name__ == '__main__':
    main()
