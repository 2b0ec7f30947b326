#!/usr/bin/env python3
"""Writes a code-heavy book for the highlighting benchmark (#10): 30 chapters of
prose and fenced blocks in several languages, 10,000 code lines in all (about
300 pages). usage: make-code-book.py OUT_DIR [theme] [prose]  (theme: print.yaml
code-theme; prose: extra paragraphs of explanation per listing, 0 by default; 2 gives
the 600-page book with 10,000 code lines that issue #10 measures on)"""
import os, sys

out = sys.argv[1]
theme = sys.argv[2] if len(sys.argv) > 2 else "print"
prose = int(sys.argv[3]) if len(sys.argv) > 3 else 0
explain = ("The listing above is one of many in this chapter. Each function takes its "
           "argument, scales it by a constant and returns the result, so that the reader "
           "can follow the data from the call to the value printed on the console. Notice "
           "how the names follow the same pattern in every language, and how the comments "
           "say why a line is there rather than what it does. ")
os.makedirs(os.path.join(out, "chapters"), exist_ok=True)
samples = {
    "rust": ['fn f{i}(x: u32) -> u32 {{', '    let y = x * {i}; // scale', '    println!("{{}}", y);',
             '    y + 1', '}}'],
    "python": ['def f{i}(x):', '    """Doc {i}."""', '    return [v * {i} for v in range(x)]  # list', ''],
    "c": ['static int f{i}(const char *s) {{', '    /* count */', '    return (int)strlen(s) + 0x{i:x};', '}}'],
    "js": ['export const f{i} = (x) => {{', '  return `v${{x}}` + "{i}"; // js', '}};'],
    "yaml": ['key{i}: value # c', 'list:', '  - {i}', '  - "s"'],
    "console": ['$ cargo build --release -j {i}', '   Compiling crate v0.{i}.0'],
}
langs = list(samples)
lines, blocks = 0, 0
chapters = []
for ch in range(30):
    name = f"ch{ch:02d}.md"
    chapters.append(name)
    with open(os.path.join(out, "chapters", name), "w") as f:
        f.write(f"# Chapter {ch + 1}\n\n")
        while lines < (ch + 1) * 10000 // 30:
            lang = langs[blocks % len(langs)]
            f.write("Some prose before the listing, explaining what the code does and why.\n\n")
            f.write(f"```{lang}\n")
            for rep in range(4):
                for l in samples[lang]:
                    f.write(l.format(i=blocks * 4 + rep) + "\n")
                    lines += 1
            f.write("```\n\n")
            for _ in range(prose):
                f.write(explain * 2 + "\n\n")
            blocks += 1
with open(os.path.join(out, "SUMMARY.md"), "w") as f:
    f.write("# Summary\n\n" + "".join(f"- [Chapter {i + 1}](chapters/{c})\n" for i, c in enumerate(chapters)))
with open(os.path.join(out, "book.yaml"), "w") as f:
    f.write("title: Code Bench\nauthor: Bench\nlang: en\ndate: 2024-01-01\noutput: code\n")
with open(os.path.join(out, "print.yaml"), "w") as f:
    f.write(f"code-theme: {theme}\n")
print(f"{lines} code lines in {blocks} blocks")
