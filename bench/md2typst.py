#!/usr/bin/env python3
"""The handbook (or any plain book: headings, paragraphs, emphasis, links, lists,
block quotes, fenced code) as one Typst document, for bench/run.sh's comparison
with Typst 0.10 (#14: ghb-book >= 35x faster "in the same run"). Set as ghb-book
sets it: the page and body size of styles/print.yaml's defaults, the bundled
fonts (typst --font-path fonts), justified text, and each link's URL as a
footnote, so both tools do the same work on the same text.
usage: md2typst.py BOOK_DIR OUT.typ"""
import re
import sys
from pathlib import Path


def chapters(book):
    summary = (book / "SUMMARY.md").read_text(encoding="utf-8")
    return [book / m for m in re.findall(r"\]\(([^)]+\.md)\)", summary)]


def escape(text):
    return re.sub(r'([\\#*_`$<>@\[\]~"])', r"\\\1", text)


def inline(text):
    out, pos = [], 0
    pattern = re.compile(r"`([^`]+)`|\*\*(.+?)\*\*|\*(.+?)\*|\[([^\]]+)\]\(([^)\s]+)\)")
    for m in pattern.finditer(text):
        out.append(escape(text[pos:m.start()]))
        if m.group(1) is not None:
            out.append("#raw(" + '"' + m.group(1).replace("\\", "\\\\").replace('"', '\\"') + '"' + ")")
        elif m.group(2) is not None:
            out.append("#strong[" + inline(m.group(2)) + "]")
        elif m.group(3) is not None:
            out.append("#emph[" + inline(m.group(3)) + "]")
        else:
            url = m.group(5).replace("\\", "\\\\").replace('"', '\\"')
            out.append('#link("%s")[%s]#footnote[#link("%s")]' % (url, inline(m.group(4)), url))
        pos = m.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def convert(md):
    lines, out, i = md.splitlines(), [], 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            out.append("```" + line[3:].strip() + "\n" + "\n".join(lines[i + 1:j]) + "\n```")
            i = j + 1
            continue
        h = re.match(r"(#{1,6})\s+(.*)", line)
        item = re.match(r"\s*([-+*]|\d+\.)\s+(.*)", line)
        if h:
            out.append("=" * len(h.group(1)) + " " + inline(h.group(2)))
        elif item:
            out.append(("+ " if item.group(1)[0].isdigit() else "- ") + inline(item.group(2)))
        elif line.startswith(">"):
            out.append("#quote(block: true)[" + inline(line.lstrip("> ")) + "]")
        else:
            out.append(inline(line))
        i += 1
    return "\n".join(out)


def main():
    book, target = Path(sys.argv[1]), Path(sys.argv[2])
    head = """#set page(width: 185mm, height: 260mm, margin: (inside: 20mm, outside: 18mm, y: 22mm))
#set text(font: ("Noto Serif", "Noto Serif CJK SC"), size: 10.5pt, lang: "zh", region: "cn")
#set par(justify: true, leading: 0.9em, first-line-indent: 2em)
#show heading: set text(font: ("Noto Sans", "Noto Sans CJK SC"))
#show heading.where(level: 1): it => { pagebreak(weak: true); it }
#show raw: set text(font: ("Noto Sans Mono", "Noto Sans CJK SC"))
#set page(numbering: "1")
"""
    body = "\n\n".join(convert(p.read_text(encoding="utf-8")) for p in chapters(book))
    target.write_text(head + "\n" + body + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
