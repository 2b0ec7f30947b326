#!/usr/bin/env python3
"""A subset of the Matterhorn Protocol (PDF/UA-1) checked with pikepdf, and the
reading order of the structure tree checked against the book's source.

usage: pdfua_check.py PDF [--expect P,H1,...] [--book DIR]

Checks (Matterhorn checkpoint numbers in brackets):
- catalog: /MarkInfo /Marked true [06-001], /Lang [11-006], /ViewerPreferences
  /DisplayDocTitle true [07-001], /StructTreeRoot with /ParentTree [01-006]; PDF 1.7 header;
- XMP metadata with pdfuaid:part 1 [06-002] and dc:title [06-003];
- the structure element types listed with --expect are present [09-*];
- every Figure and Formula has /Alt [13-004, 17-002]; every Note has a unique /ID [19-003/4];
- content streams: every text-showing operator, image and path painting sits in marked
  content with an MCID or in an Artifact, never both [01-001..01-005];
- every MCID on a page is claimed by the element the ParentTree names for it and
  every page with MCIDs has /StructParents;
- every annotation has /StructParent, the ParentTree gives a Link element whose /K holds an
  OBJR to it [28-011], link annotations have /Contents [28-002]; pages have /Tabs /S [28-004];
- every font is embedded [31-*];
- with --book: `pdfinfo -struct-text` holds the source's lines in order and no running head.
"""
import argparse
import re
import subprocess
import sys

import pikepdf

problems = []


def bad(msg):
    problems.append(msg)


def name(x):
    return str(x) if x is not None else None


def walk_struct(root):
    """Yields (elem, parent) depth first, in /K order."""
    stack = [(root.get("/K"), root)]
    out = []
    while stack:
        k, parent = stack.pop()
        if k is None:
            continue
        if isinstance(k, pikepdf.Array):
            for x in reversed(list(k)):
                stack.append((x, parent))
            continue
        if isinstance(k, pikepdf.Dictionary) and "/S" in k and name(k.get("/Type")) != "/MCR":
            out.append((k, parent))
            stack.append((k.get("/K"), k))
    return out


def check_catalog(pdf, path):
    root = pdf.Root
    with open(path, "rb") as f:
        head = f.read(8)
    if head != b"%PDF-1.7":
        bad(f"header {head!r}, not PDF 1.7")
    mi = root.get("/MarkInfo")
    if mi is None or not bool(mi.get("/Marked", False)):
        bad("catalog: no /MarkInfo /Marked true")
    if not str(root.get("/Lang", "")):
        bad("catalog: no /Lang")
    vp = root.get("/ViewerPreferences")
    if vp is None or not bool(vp.get("/DisplayDocTitle", False)):
        bad("catalog: no /ViewerPreferences /DisplayDocTitle true")
    str_root = root.get("/StructTreeRoot")
    if str_root is None or "/ParentTree" not in str_root:
        bad("catalog: no /StructTreeRoot with /ParentTree")
    meta = root.get("/Metadata")
    if meta is None:
        bad("catalog: no XMP /Metadata")
    else:
        xmp = meta.read_bytes().decode("utf-8", "replace")
        if not re.search(r"<pdfuaid:part>1</pdfuaid:part>", xmp):
            bad("XMP: no pdfuaid:part 1")
        if "<dc:title>" not in xmp:
            bad("XMP: no dc:title")
    return str_root


def parent_tree_map(str_root):
    nums = {}

    def collect(node):
        if "/Nums" in node:
            arr = list(node.Nums)
            for i in range(0, len(arr), 2):
                nums[int(arr[i])] = arr[i + 1]
        for kid in node.get("/Kids", []):
            collect(kid)

    collect(str_root.ParentTree)
    return nums


def check_struct(pdf, str_root, expect):
    elems = walk_struct(str_root)
    types = {name(e.S)[1:] for e, _ in elems}
    for t in expect:
        if t not in types:
            bad(f"structure: no {t} element")
    ids = set()
    for e, _ in elems:
        s = name(e.S)
        if s in ("/Figure", "/Formula") and not str(e.get("/Alt", "")).strip():
            bad(f"structure: a {s[1:]} without /Alt")
        if s == "/Note":
            i = str(e.get("/ID", ""))
            if not i:
                bad("structure: a Note without /ID")
            elif i in ids:
                bad(f"structure: Note /ID {i} repeated")
            ids.add(i)
    return elems, types


TEXT_OPS = {"Tj", "TJ", "'", '"'}
PAINT_OPS = {"f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "Do", "sh"}


def check_content(pdf, nums):
    untagged = 0
    mcids_total = 0
    for pno, page in enumerate(pdf.pages, 1):
        stack = []  # (tag, mcid or None)
        mcids = []
        for operands, op in pikepdf.parse_content_stream(page):
            op = str(op)
            if op in ("BDC", "BMC"):
                tag = str(operands[0])
                mcid = None
                if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
                    mcid = operands[1].get("/MCID")
                in_art = any(t == "/Artifact" for t, _ in stack)
                in_tag = any(m is not None for _, m in stack)
                if tag == "/Artifact" and in_tag:
                    bad(f"page {pno}: an Artifact inside tagged content")
                if mcid is not None and in_art:
                    bad(f"page {pno}: tagged content inside an Artifact")
                if mcid is not None:
                    mcids.append(int(mcid))
                stack.append((tag, mcid))
            elif op == "EMC":
                if not stack:
                    bad(f"page {pno}: EMC without BDC")
                else:
                    stack.pop()
            elif op in TEXT_OPS or op in PAINT_OPS:
                ok = any(t == "/Artifact" or m is not None for t, m in stack)
                if not ok:
                    untagged += 1
                    if untagged <= 5:
                        bad(f"page {pno}: '{op}' outside marked content and artifacts")
        if stack:
            bad(f"page {pno}: unbalanced marked content")
        mcids_total += len(mcids)
        if len(set(mcids)) != len(mcids):
            bad(f"page {pno}: an MCID used twice")
        if mcids:
            sp = page.obj.get("/StructParents")
            if sp is None:
                bad(f"page {pno}: MCIDs but no /StructParents")
                continue
            arr = nums.get(int(sp))
            if arr is None:
                bad(f"page {pno}: /StructParents {sp} not in the ParentTree")
                continue
            for m in mcids:
                if m >= len(arr):
                    bad(f"page {pno}: MCID {m} beyond its ParentTree entry")
                    continue
                k = arr[m].get("/K")
                ks = list(k) if isinstance(k, pikepdf.Array) else [k]
                found = any(
                    (isinstance(x, int) and int(x) == m)
                    or (isinstance(x, pikepdf.Dictionary) and x.get("/MCID") is not None and int(x.MCID) == m
                        and x.Pg.objgen == page.obj.objgen)
                    for x in ks)
                if not found:
                    bad(f"page {pno}: MCID {m}'s element does not claim it")
        if name(page.obj.get("/Tabs")) != "/S":
            bad(f"page {pno}: no /Tabs /S")
    if untagged > 5:
        bad(f"... {untagged} operators outside marked content in all")
    return mcids_total


def check_annots(pdf, nums):
    n = 0
    for pno, page in enumerate(pdf.pages, 1):
        for a in page.obj.get("/Annots", []):
            if name(a.get("/Subtype")) in ("/Popup",):
                continue
            n += 1
            sp = a.get("/StructParent")
            if sp is None:
                bad(f"page {pno}: an annotation without /StructParent")
                continue
            el = nums.get(int(sp))
            if el is None or name(el.get("/S")) != "/Link":
                bad(f"page {pno}: annotation /StructParent {sp} does not lead to a Link")
                continue
            k = el.get("/K")
            ks = list(k) if isinstance(k, pikepdf.Array) else [k]
            if not any(isinstance(x, pikepdf.Dictionary) and name(x.get("/Type")) == "/OBJR"
                       and x.Obj.objgen == a.objgen for x in ks):
                bad(f"page {pno}: the Link holds no OBJR to its annotation")
            if name(a.get("/Subtype")) == "/Link" and not str(a.get("/Contents", "")):
                bad(f"page {pno}: a link annotation without /Contents")
    return n


def check_fonts(pdf):
    for pno, page in enumerate(pdf.pages, 1):
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        for key in fonts.keys():
            f = fonts[key]
            descs = [f]
            if "/DescendantFonts" in f:
                descs = list(f.DescendantFonts)
            for d in descs:
                fd = d.get("/FontDescriptor")
                if fd is None or not any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    bad(f"page {pno}: font {key} not embedded")


# ---------------------------------------------------------------- reading order

def struct_text(path, dump=None):
    """The structure tree's text in order, without Note subtrees, and the notes' text
    (from `pdfinfo -struct-text`, or its output saved in dump: poppler renders the
    page once per MCID, which takes a while)."""
    if dump:
        out = open(dump, encoding="utf-8").read()
    else:
        out = subprocess.run(["pdfinfo", "-struct-text", path], capture_output=True, text=True).stdout
    body, notes = [], []
    skip = None
    for line in out.splitlines():
        ind = len(line) - len(line.lstrip(" "))
        s = line.strip()
        if skip is not None and ind > skip:
            if s.startswith('"'):
                notes.append(s[1:-1])
            continue
        skip = None
        if re.match(r"Note\b", s):
            skip = ind
            continue
        if s.startswith('"') and s.endswith('"'):
            body.append(s[1:-1])
    return body, notes


def squash(s):
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf]", "", s)  # note marks
    s = re.sub(r"（见第\d+页）", "", s)  # page references the typesetter adds
    return s


def source_lines(book):
    summary = open(f"{book}/SUMMARY.md", encoding="utf-8").read()
    for rel in re.findall(r"\]\(([^)]+\.md)\)", summary):
        txt = subprocess.run(["cmark-gfm", "-e", "table", "-e", "strikethrough", "-e", "tasklist",
                              "-e", "footnotes", "-e", "autolink", "-t", "plaintext", "--width", "0",
                              f"{book}/{rel}"], capture_output=True, text=True).stdout
        for line in txt.splitlines():
            if line.lstrip().startswith("[^") or "|" in line or "<" in line or "&" in line:
                continue
            line = re.sub(r"^\s*([-*+]|\d+\.)\s+(\[[ xX]\]\s*)?", "", line)
            line = re.sub(r"\[\^[^\]]*\]", "", line)
            yield squash(line.replace("~", ""))


def check_order(path, book, alts, dump):
    strings, _ = struct_text(path, dump)
    strings = [squash(x) for x in strings]
    body = "".join(strings)
    pos, found, missing, back = 0, 0, [], 0
    for line in source_lines(book):
        rest = line
        for alt in alts:  # a picture's alt text is its /Alt, not text
            rest = rest.replace(alt, "") if alt else rest
        if len(line) < 4 or not rest:
            continue
        probe = line[:8]
        at = body.find(probe, pos)
        if at < 0:
            if body.find(probe) >= 0:
                back += 1
                if back <= 3:
                    bad(f"reading order: '{probe}' comes earlier than the text before it")
            else:
                missing.append(probe)
            continue
        found += 1
        pos = at + len(probe)
    if found < 10:
        bad(f"reading order: only {found} source lines found in the structure text")
    if missing:
        bad(f"reading order: {len(missing)} source lines not in the structure text, e.g. {missing[:3]}")
    # running heads: a page's head line (title and folio) never enters the structure text
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", path], capture_output=True,
                                                            text=True).stdout).group(1))
    pdf = pikepdf.open(path)
    heads = 0
    for i in range(1, pages + 1):
        ops = pikepdf.parse_content_stream(pdf.pages[i - 1])
        first = next((o for o in ops if str(o[1]) in ("BDC", "BMC")), None)
        if not first or str(first[0][0]) != "/Artifact" or "/Header" not in str(first[0][1:]):
            continue
        text = subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), path, "-"],
                              capture_output=True, text=True).stdout
        lines = [squash(x) for x in text.splitlines() if x.strip()][:2]
        if len(lines) < 2:
            continue
        folio, head = (lines[0], lines[1]) if lines[0].isdigit() else (lines[1], lines[0])
        if not folio.isdigit():
            continue
        heads += 1
        pairs = zip(strings, strings[1:])
        if any((x, y) in ((head, folio), (folio, head)) for x, y in pairs):
            bad(f"reading order: page {i}'s running head '{head}' {folio} is in the structure text")
    return found, heads


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pdf")
    ap.add_argument("--expect", default="Document,Sect,H1,P")
    ap.add_argument("--book")
    ap.add_argument("--struct-text", help="pdfinfo -struct-text's output for PDF, if already made")
    a = ap.parse_args()
    pdf = pikepdf.open(a.pdf)
    str_root = check_catalog(pdf, a.pdf)
    if str_root is None:
        print("\n".join(problems))
        return 1
    nums = parent_tree_map(str_root)
    elems, types = check_struct(pdf, str_root, [t for t in a.expect.split(",") if t])
    mcids = check_content(pdf, nums)
    annots = check_annots(pdf, nums)
    check_fonts(pdf)
    summary = f"{len(elems)} elements ({len(types)} types), {mcids} MCIDs, {annots} annotations"
    if a.book:
        alts = {squash(str(e.get("/Alt", ""))) for e, _ in elems}
        found, heads = check_order(a.pdf, a.book, alts, a.struct_text)
        summary += f", {found} source lines in order, {heads} running heads kept out"
    print(summary)
    for p in problems:
        print("pdfua:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
