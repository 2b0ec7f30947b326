#!/usr/bin/python3
"""The EPUB's page list follows the PDF edition: its labels are the PDF's page
labels (read with pikepdf from /PageLabels), in order, the roman front matter
included (the title page and the pages after it in title.xhtml, the contents in
nav.xhtml); each names a page-break
marker (epub:type pagebreak, role doc-pagebreak, aria-label = the label); the
NCX pageList agrees; and text from each printed page is found in the EPUB right
after that page's marker (block granularity: from its marker to the one after
next).
usage: epub_pages.py GHB_BOOK BOOK_DIR WORK_DIR"""
import html, os, re, subprocess, sys, zipfile
import pikepdf

ghb, book, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
passed = failed = 0


def check(ok, msg):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL:", msg)
    return ok


subprocess.run([ghb, "all", "--book", book, "--out", work, "--quiet"], check=True)
epubs = [f for f in os.listdir(work) if f.endswith(".epub")]
name = epubs[0][:-5]
pdf = pikepdf.open(os.path.join(work, name + ".pdf"))
labels = [p.label for p in pdf.pages]
body = labels[labels.index("1"):] if "1" in labels else []
z = zipfile.ZipFile(os.path.join(work, name + ".epub"))
nav = z.read("EPUB/nav.xhtml").decode()
m = re.search(r'<nav epub:type="page-list"[^>]*role="doc-pagelist".*?</nav>', nav, re.S)
check(m, "nav.xhtml has no page-list nav with role doc-pagelist")
entries = re.findall(r'<a href="([^"#]+)#([^"]+)">([^<]+)</a>', m.group(0) if m else "")
check([e[2] for e in entries] == labels and body,
      f"page-list labels {[e[2] for e in entries][:8]}... are not the PDF's {labels[:8]}... "
      f"({len(entries)} against {len(labels)})")
frontmatter = labels[:len(labels) - len(body)]
check([e[0] for e in entries[:len(frontmatter)]] ==
      ["title.xhtml"] * min(2, len(frontmatter)) + ["nav.xhtml"] * (len(frontmatter) - 2),
      f"the front matter's pages are not in title.xhtml and nav.xhtml: {entries[:len(frontmatter)]}")
nav_body = nav.split("<body>", 1)[-1]
check(all(nav_body.find(f'id="page.{l}"') < nav_body.find('<nav epub:type="toc"') for l in frontmatter[2:]),
      "the contents pages' markers do not come before the toc nav")
entries_all, entries = entries, entries[len(frontmatter):]
# `epub` alone runs the layout itself; `all` lends it the PDF's: the same pages
alone = os.path.join(work, "alone")
subprocess.run([ghb, "epub", "--book", book, "--out", alone, "--quiet"], check=True)
check(zipfile.ZipFile(os.path.join(alone, name + ".epub")).read("EPUB/nav.xhtml").decode() == nav,
      "epub alone gives another page list than all")
ncx = z.read("EPUB/toc.ncx").decode()
check(re.findall(r'<pageTarget [^>]*value="([^"]+)"', ncx) == body, "the NCX pageList differs")
check(len(re.findall(r'<pageTarget [^>]*type="front"', ncx)) == len(frontmatter),
      "the NCX pageList lacks the front matter")
opf = z.read("EPUB/content.opf").decode()
for feature in ("printPageNumbers", "pageBreakMarkers", "pageNavigation"):
    check(f">{feature}<" in opf, f"no accessibilityFeature {feature}")
check('property="source-of">pagination<' in opf, "no pagination source (dc:source + source-of)")

# the cover: its own page first in the spine, named for EPUB 2 readers, a landmark;
# drawn from the title (a picture with text, not a flat colour) when the book has none
spine = re.findall(r'<itemref idref="([^"]+)"', opf)
check(spine[:1] == ["cover"] and 'href="cover.xhtml"' in opf, f"the spine does not open with cover.xhtml: {spine[:3]}")
cm = re.search(r'<meta name="cover" content="([^"]+)"/>', opf)
item = re.search(r'<item id="%s" href="([^"]+)" media-type="([^"]+)" properties="cover-image"/>' % (cm.group(1) if cm else "-"), opf)
check(cm and item, "no <meta name=\"cover\"> naming the cover-image item")
check('epub:type="cover" href="cover.xhtml"' in nav, "no cover landmark")
cover = z.read("EPUB/cover.xhtml").decode()
check(item and f'src="{item.group(1)}"' in cover and 'role="doc-cover"' in cover, "cover.xhtml does not show the cover image")
if item and item.group(1) == "images/cover.png":
    import zlib
    png = z.read("EPUB/images/cover.png")
    w, h = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    idat = b"".join(png[i + 8:i + 8 + int.from_bytes(png[i:i + 4], "big")]
                    for i in [m.start() - 4 for m in re.finditer(b"IDAT", png)])
    raw = zlib.decompress(idat)
    colours = {raw[k:k + 3] for k in range(1, len(raw) - 3, 3 * 97)}
    check((w, h) == (1200, 1800) and len(colours) > 8, f"the drawn cover is {w}x{h} with {len(colours)} colours")

# the page-list is in reading order (epubcheck NAV-011): spine order, then place in the document
spine_files = {}
for idref in re.findall(r'<itemref idref="([^"]+)"', opf):
    it = re.search(r'<item id="%s" href="([^"]+)"' % re.escape(idref), opf)
    if it:
        spine_files[it.group(1)] = len(spine_files)
places = []
for f, frag, label in entries_all:
    doc = z.read("EPUB/" + f).decode()
    places.append((spine_files.get(f, -1), doc.find(f'id="{frag}"')))
check(all(a <= b for a, b in zip(places, places[1:])) and all(p[1] >= 0 for p in places),
      "the page-list is not in reading order")


# each chapter's text with the markers in it, letters only
docs, marks = {}, {}
for f in {e[0] for e in entries}:
    x = z.read("EPUB/" + f).decode()
    x = x.split('<section class="notes"')[0]
    for span in re.findall(r'<span [^>]*epub:type="pagebreak"[^>]*>', x):
        label = re.search(r'aria-label="([^"]+)"', span).group(1)
        check(re.search(r'role="doc-pagebreak"', span) and f'id="page.{label}"' in span,
              f"marker {span} lacks its role or id")
    x = re.sub(r'<span [^>]*id="page\.(\d+)"[^>]*?(/>|></span>)', lambda g: f"\x01{g.group(1)}\x02", x)
    x = html.unescape(re.sub(r"<[^>]+>", "", x.split("<body>", 1)[-1]))
    docs[f] = x
order = [(e[0], e[1][5:]) for e in entries]


def letters(s):
    return "".join(c for c in s if c.isalpha())


front = len(labels) - len(body)
for i, (f, label) in enumerate(order):
    text = docs[f]
    at = text.find(f"\x01{label}\x02")
    if not check(at >= 0, f"no marker for page {label} in {f}"):
        continue
    end = len(text)
    if i + 2 < len(order) and order[i + 2][0] == f:
        end = text.find(f"\x01{order[i + 2][1]}\x02")
    window = letters(re.sub("\x01\\d+\x02", "", text[at:end]))
    page = subprocess.run(["pdftotext", "-f", str(front + i + 1), "-l", str(front + i + 1), "-layout",
                           os.path.join(work, name + ".pdf"), "-"], capture_output=True, text=True).stdout
    lines = [l for l in page.splitlines() if l.strip()][1:-1]  # running head, folio
    flat = letters("".join(lines))
    if len(flat) < 30:  # a chapter opener or blank page: nothing to compare
        continue
    snippets = [flat[int(len(flat) * k):int(len(flat) * k) + 6] for k in (0.1, 0.25, 0.4)]
    check(any(s in window for s in snippets),
          f"page {label}: none of {snippets} follows its marker in {f}")
print(f"{passed} passed, {failed} failed ({len(body)} pages)")
sys.exit(1 if failed else 0)
