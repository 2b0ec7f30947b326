#!/usr/bin/env python3
"""Checks a press PDF (ghb-book pdf --press) against its default PDF.

usage: press_check.py PRESS.pdf DEFAULT.pdf [--bleed MM] [--x4] [--marks] [--render DIR]

- every page has a TrimBox the size of the default page, a BleedBox the bleed
  larger on each side, and a MediaBox holding both (larger with crop marks);
- an output intent /S /GTS_PDFX with /DestOutputProfile (spelt right) an ICC
  stream with /N 4; Info /GTS_PDFXVersion (and X-1a's conformance) and /Trapped;
  for X-4 the XMP names it; no annotations on any page;
- the outline's destinations point where the default file's do, measured from
  the TrimBox (the drawing is moved in by the bleed; so must they be);
- with --render: both files rendered grey at 40 dpi (the press file's view cut
  to its TrimBox) look the same page by page.
"""
import argparse
import os
import subprocess
import sys

import pikepdf

MM = 72 / 25.4
problems = []
LOOSE = False


def bad(m):
    problems.append(m)


def box(page, key):
    b = page.obj.get(key)
    return [float(x) for x in b] if b is not None else None


def pgm(path):
    data = open(path, "rb").read()
    parts = data.split(maxsplit=4)
    assert parts[0] == b"P5"
    w, h = int(parts[1]), int(parts[2])
    return w, h, data[len(data) - w * h:]


def render(pdf, out, cropbox):
    args = ["pdftoppm", "-gray", "-r", "40"] + (["-cropbox"] if cropbox else []) + [pdf, out]
    subprocess.run(args, check=True)
    d = os.path.dirname(out)
    return sorted(os.path.join(d, f) for f in os.listdir(d) if f.startswith(os.path.basename(out)))


def compare(press, default, work):
    # the press file seen through its trim: CropBox = TrimBox
    p = pikepdf.open(press)
    for page in p.pages:
        page.obj.CropBox = page.obj.TrimBox
    trimmed = os.path.join(work, "trimmed.pdf")
    p.save(trimmed)
    a = render(trimmed, os.path.join(work, "press"), True)
    b = render(default, os.path.join(work, "default"), False)
    if len(a) != len(b):
        bad(f"render: {len(a)} press pages, {len(b)} default pages")
        return
    worst = 0.0
    for i, (x, y) in enumerate(zip(a, b), 1):
        wa, ha, pa = pgm(x)
        wb, hb, pb = pgm(y)
        if abs(wa - wb) > 1 or abs(ha - hb) > 1:
            bad(f"render: page {i} is {wa}x{ha} in the press file, {wb}x{hb} by default")
            continue
        w, h = min(wa, wb), min(ha, hb)
        far = total = 0
        for r in range(h):
            ra, rb = pa[r * wa:r * wa + w], pb[r * wb:r * wb + w]
            for u, v in zip(ra, rb):
                dlt = abs(u - v)
                total += dlt
                far += dlt > 64
        mean = total / (w * h)
        worst = max(worst, mean)
        if os.environ.get("PRESS_DEBUG"):
            print(f"page {i}: mean {mean:.2f}, far {far}")
        if mean > (8.0 if LOOSE else 4.0) or far > (0.02 if LOOSE else 0.005) * w * h:
            bad(f"render: page {i} differs (mean {mean:.2f}, {far} pixels far off)")
    return worst


def outline_dests(pdf):
    """(title, page index, x, y) of every outline entry with an /XYZ destination."""
    pages = {p.objgen: i for i, p in enumerate(pdf.pages)}
    out = []
    with pdf.open_outline() as ol:
        todo = list(ol.root)
        while todo:
            it = todo.pop(0)
            todo[0:0] = list(it.children)
            d = it.destination
            if d is None and it.action is not None and "/D" in it.action:
                d = it.action.D
            if d is None or len(d) < 4 or str(d[1]) != "/XYZ":
                continue
            out.append((it.title, pages.get(d[0].objgen), float(d[2] or 0), float(d[3] or 0)))
    return out


def check_dests(press, default):
    a, b = outline_dests(press), outline_dests(default)
    if len(a) != len(b):
        bad(f"outline: {len(a)} /XYZ destinations in the press file, {len(b)} by default")
        return 0
    for (ta, pa, xa, ya), (tb, pb, xb, yb) in zip(a, b):
        t = box(press.pages[pa], "/TrimBox") if pa is not None else None
        if pa != pb or not t or abs(xa - t[0] - xb) > 0.05 or abs(ya - t[1] - yb) > 0.05:
            bad(f"outline '{ta}': press destination page {pa} ({xa:.1f}, {ya:.1f}) is not "
                f"page {pb} ({xb:.1f}, {yb:.1f}) inside the TrimBox {t}")
            break
    return len(a)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("press")
    ap.add_argument("default")
    ap.add_argument("--bleed", type=float, default=3)
    ap.add_argument("--x4", action="store_true")
    ap.add_argument("--marks", action="store_true")
    ap.add_argument("--render")
    ap.add_argument("--loose", action="store_true", help="pictures converted to CMYK")
    a = ap.parse_args()
    global LOOSE
    LOOSE = a.loose
    press, default = pikepdf.open(a.press), pikepdf.open(a.default)
    dw, dh = [float(x) for x in default.pages[0].mediabox][2:]
    bl = a.bleed * MM
    for n, page in enumerate(press.pages, 1):
        t, bb, mb = box(page, "/TrimBox"), box(page, "/BleedBox"), box(page, "/MediaBox")
        if not t or not bb:
            bad(f"page {n}: no TrimBox or BleedBox")
            continue
        if abs((t[2] - t[0]) - dw) > 0.05 or abs((t[3] - t[1]) - dh) > 0.05:
            bad(f"page {n}: TrimBox {t} is not the {dw:.1f} x {dh:.1f} page")
        if any(abs(x) > 0.05 for x in (t[0] - bb[0] - bl, t[1] - bb[1] - bl, bb[2] - t[2] - bl,
                                        bb[3] - t[3] - bl)):
            bad(f"page {n}: BleedBox {bb} is not {a.bleed} mm around the TrimBox {t}")
        if mb[0] > bb[0] or mb[1] > bb[1] or mb[2] < bb[2] or mb[3] < bb[3]:
            bad(f"page {n}: MediaBox {mb} does not hold the BleedBox")
        if a.marks and not (mb[2] - bb[2] > 5):
            bad(f"page {n}: no room for crop marks outside the bleed")
        if page.obj.get("/Annots"):
            bad(f"page {n}: annotations in a press file")
    oi = press.Root.get("/OutputIntents")
    if not oi or len(oi) < 1:
        bad("no /OutputIntents")
    else:
        i = oi[0]
        if str(i.get("/S")) != "/GTS_PDFX":
            bad(f"output intent /S {i.get('/S')}, not /GTS_PDFX")
        prof = i.get("/DestOutputProfile")
        if prof is None:
            bad("output intent without /DestOutputProfile (libharu spells it with a space)")
        elif int(prof.get("/N", 0)) != 4 or prof.read_bytes()[36:40] != b"acsp":
            bad("/DestOutputProfile is not a 4-component ICC profile")
    info = press.docinfo
    want = "PDF/X-4" if a.x4 else "PDF/X-1:2001"
    if str(info.get("/GTS_PDFXVersion", "")) != want:
        bad(f"Info /GTS_PDFXVersion {info.get('/GTS_PDFXVersion')}, not {want}")
    if not a.x4 and str(info.get("/GTS_PDFXConformance", "")) != "PDF/X-1a:2001":
        bad("Info /GTS_PDFXConformance is not PDF/X-1a:2001")
    if str(info.get("/Trapped", "")) not in ("/False", "/True"):
        bad("Info has no /Trapped")
    if a.x4:
        xmp = press.Root.Metadata.read_bytes().decode()
        if "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" not in xmp:
            bad("XMP does not name PDF/X-4")
    if "/ID" not in press.trailer:
        bad("no file /ID in the trailer")
    dests = check_dests(press, default)
    if not dests:
        bad("outline: no /XYZ destinations to compare")
    msg = f"{len(press.pages)} pages boxed, {dests} outline destinations inside the trim"
    if a.render:
        worst = compare(a.press, a.default, a.render)
        msg += f", renders match (worst page mean difference {worst or 0:.2f}/255)"
    print(msg)
    for p in problems:
        print("press:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
