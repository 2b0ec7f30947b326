/* The starter book of `ghb-book new`: its files as templates (one set per language), and
   a small figure drawn with libpng, so the book shows every convention and builds with
   no warnings. Templates name values as @KEY@ (see expand). */
#include "cli/starter.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/xalloc.h"
#include <errno.h>
#include <ftw.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    const char *path, *zh, *en; /* en NULL: zh serves both */
} template_t;

static const char book_yaml[] =
    "# Book metadata; every key is in `man ghb-book` (BOOK.YAML KEYS).\n"
    "title: @TITLE_YAML@\n"
    "author: @AUTHOR_YAML@\n"
    "lang: @LANG@\n"
    "date: @DATE@\n"
    "output: @OUTPUT@\n";

static const char gitignore[] = "# ghb-book's outputs\nout/\n";

static const char workflow[] =
    "# Builds the book on every push and pull request (the PDF and EPUB are kept as\n"
    "# workflow artifacts); on a tag v*, attaches them to that tag's GitHub release.\n"
    "name: book\n"
    "\n"
    "on:\n"
    "  push:\n"
    "    branches: [main]\n"
    "    tags: [\"v*\"]\n"
    "  pull_request:\n"
    "  workflow_dispatch:\n"
    "\n"
    "permissions:\n"
    "  contents: write\n"
    "\n"
    "jobs:\n"
    "  book:\n"
    "    runs-on: ubuntu-latest\n"
    "    steps:\n"
    "      - name: Check out\n"
    "        uses: actions/checkout@v4\n"
    "\n"
    "      - name: Build the PDF and EPUB\n"
    "        uses: @REPO@@v@VERSION@\n"
    "        with:\n"
    "          book: .\n";

static const char summary_zh[] = "# @TITLE@\n"
                                 "\n"
                                 "- [开始](chapters/01-start.md)\n"
                                 "- [写作约定](chapters/02-conventions.md)\n";
static const char summary_en[] = "# @TITLE@\n"
                                 "\n"
                                 "- [Getting started](chapters/01-start.md)\n"
                                 "- [Conventions](chapters/02-conventions.md)\n";

static const char start_zh[] =
    "# 开始\n"
    "\n"
    "这本书用 Markdown 写成，由 ghb-book 编译成印刷用的 PDF 和电子阅读器用的 EPUB。\n"
    "\n"
    "## 书的结构\n"
    "\n"
    "每一章是 `chapters/` 里的一个 Markdown 文件。章节的顺序写在 `SUMMARY.md` "
    "里，书名、作者和语言写在 `book.yaml` 里。\n"
    "\n"
    "## 生成与预览\n"
    "\n"
    "在书的文件夹里运行下面的命令，PDF 和 EPUB 就会出现在 `out/` 里：\n"
    "\n"
    "```sh\n"
    "ghb-book all --book .\n"
    "```\n"
    "\n"
    "写作时运行 `ghb-book watch --book .`，每次保存后都会重新生成。"
    "推送一个 `v1.0` 这样的标签，GitHub 就会把 PDF 和 EPUB 附到那个版本的发布页上。\n"
    "\n"
    "下一章[写作约定](02-conventions.md)列出了常用的写法。\n";

static const char start_en[] =
    "# Getting started\n"
    "\n"
    "This book is written in Markdown and compiled by ghb-book into a PDF for print and an "
    "EPUB for e-readers.\n"
    "\n"
    "## How the book is organized\n"
    "\n"
    "Each chapter is one Markdown file in `chapters/`. Their order is set in `SUMMARY.md`; "
    "the title, author and language are in `book.yaml`.\n"
    "\n"
    "## Building and previewing\n"
    "\n"
    "Run this in the book's folder, and the PDF and EPUB appear in `out/`:\n"
    "\n"
    "```sh\n"
    "ghb-book all --book .\n"
    "```\n"
    "\n"
    "While writing, run `ghb-book watch --book .`: every save rebuilds the book. Push a tag "
    "such as `v1.0` and GitHub attaches the PDF and EPUB to that release.\n"
    "\n"
    "The next chapter, [Conventions](02-conventions.md), shows what you can write.\n";

static const char conventions_zh[] =
    "# 写作约定\n"
    "\n"
    "## 链接\n"
    "\n"
    "外部链接照常书写，例如 [ghb-book 的代码仓库](https://github.com/@REPO@)。"
    "PDF 把网址印在页脚的注释里，EPUB 保留可以点击的链接。"
    "指向另一章的链接写文件名，例如[开始](01-start.md)。\n"
    "\n"
    "## 注释\n"
    "\n"
    "脚注的标记写在句末，注释的内容写在本章末尾。[^note]\n"
    "\n"
    "## 图片\n"
    "\n"
    "图片的路径相对于引用它的文件，方括号里写替代文字：\n"
    "\n"
    "![三根由低到高的彩色竖条](../images/figure.png)\n"
    "\n"
    "## 代码\n"
    "\n"
    "代码块注明语言：\n"
    "\n"
    "```python\n"
    "def greet(name):\n"
    "    return \"Hello, \" + name\n"
    "```\n"
    "\n"
    "[^note]: 这是一条脚注。PDF 把它印在本页页脚，EPUB 把它放在本章末尾。\n";

static const char conventions_en[] =
    "# Conventions\n"
    "\n"
    "## Links\n"
    "\n"
    "Write links as usual, such as [the ghb-book repository](https://github.com/@REPO@). "
    "The PDF prints the address in a note at the foot of the page; the EPUB keeps the link. "
    "A link to another chapter names its file: [Getting started](01-start.md).\n"
    "\n"
    "## Notes\n"
    "\n"
    "A footnote's mark goes at the end of the sentence, its text at the end of the "
    "chapter.[^note]\n"
    "\n"
    "## Images\n"
    "\n"
    "An image's path is relative to the file that shows it; the brackets hold its "
    "alternative text:\n"
    "\n"
    "![Three coloured bars, from short to tall](../images/figure.png)\n"
    "\n"
    "## Code\n"
    "\n"
    "Name the language of a code block:\n"
    "\n"
    "```python\n"
    "def greet(name):\n"
    "    return \"Hello, \" + name\n"
    "```\n"
    "\n"
    "[^note]: This is a footnote. The PDF prints it at the foot of the page, the EPUB at "
    "the end of the chapter.\n";

static const template_t templates[] = {
    {"book.yaml", book_yaml, NULL},
    {"SUMMARY.md", summary_zh, summary_en},
    {"chapters/01-start.md", start_zh, start_en},
    {"chapters/02-conventions.md", conventions_zh, conventions_en},
    {".gitignore", gitignore, NULL},
    {".github/workflows/book.yml", workflow, NULL},
};

/* A YAML double-quoted scalar. */
static void put_yaml(buf_t *b, const char *s) {
    buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') buf_putc(b, '\\');
        buf_putc(b, *s);
    }
    buf_putc(b, '"');
}

static void expand(buf_t *b, const char *t, const starter_t *st) {
    const struct {
        const char *key, *value;
    } vars[] = {{"@TITLE@", st->title},   {"@LANG@", st->lang},       {"@DATE@", st->date},
                {"@OUTPUT@", st->output}, {"@REPO@", st->repository}, {"@VERSION@", st->version}};
    while (*t) {
        if (*t == '@') {
            if (strncmp(t, "@TITLE_YAML@", 12) == 0 || strncmp(t, "@AUTHOR_YAML@", 13) == 0) {
                bool title = t[1] == 'T';
                put_yaml(b, title ? st->title : st->author);
                t += title ? 12 : 13;
                continue;
            }
            size_t k = 0, n = sizeof vars / sizeof vars[0];
            while (k < n && strncmp(t, vars[k].key, strlen(vars[k].key)) != 0)
                k++;
            if (k < n) {
                buf_puts(b, vars[k].value);
                t += strlen(vars[k].key);
                continue;
            }
        }
        buf_putc(b, *t++);
    }
}

static int make_parents(const char *dir, const char *rel) {
    char *path = path_join(dir, rel);
    for (char *s = path + strlen(dir) + 1; *s; s++) {
        if (*s != '/') continue;
        *s = '\0';
        int rc = mkdir(path, 0777);
        *s = '/';
        if (rc != 0 && errno != EEXIST) {
            free(path);
            return -1;
        }
    }
    free(path);
    return 0;
}

static int put_file(const char *dir, const char *rel, const void *data, size_t len, char *err,
                    size_t errlen) {
    char *path = path_join(dir, rel);
    FILE *f = make_parents(dir, rel) == 0 ? fopen(path, "wb") : NULL;
    bool ok = f && fwrite(data, 1, len, f) == len;
    if (f && fclose(f) != 0) ok = false;
    if (!ok) snprintf(err, errlen, "cannot write %s: %s", rel, strerror(errno));
    free(path);
    return ok ? 0 : -1;
}

/* The figure: three bars, short to tall, on a pale ground with a baseline. */
static int put_figure(const char *dir, const char *rel, char *err, size_t errlen) {
    enum { W = 300, H = 120 };
    static const unsigned char bars[3][3] = {
        {0x3B, 0x6E, 0xA5}, {0xE0, 0x8E, 0x2B}, {0x4C, 0x9A, 0x5B}};
    unsigned char *px = xmalloc((size_t)W * H * 3);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            unsigned char *p = px + ((size_t)y * W + x) * 3;
            p[0] = 0xF6, p[1] = 0xF4, p[2] = 0xEE;
            int bar = (x - 35) / 85, in = (x - 35) % 85;
            int top = H - 20 - 27 * (bar + 1);
            if (x >= 35 && bar < 3 && in < 60 && y >= top && y < H - 20) memcpy(p, bars[bar], 3);
            if (y >= H - 20 && y < H - 18 && x >= 25 && x < W - 25) p[0] = p[1] = p[2] = 0x44;
        }
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = W;
    img.height = H;
    img.format = PNG_FORMAT_RGB;
    png_alloc_size_t size = 0;
    int rc = -1;
    if (png_image_write_to_memory(&img, NULL, &size, 0, px, 0, NULL) && size) {
        void *mem = xmalloc(size);
        if (png_image_write_to_memory(&img, mem, &size, 0, px, 0, NULL))
            rc = put_file(dir, rel, mem, size, err, errlen);
        else
            snprintf(err, errlen, "cannot encode %s: %s", rel, img.message);
        free(mem);
    } else {
        snprintf(err, errlen, "cannot encode %s: %s", rel, img.message);
    }
    png_image_free(&img);
    free(px);
    return rc;
}

int starter_write(const char *dir, const starter_t *st, char *err, size_t errlen) {
    bool en = strcmp(st->lang, "en") == 0;
    for (size_t i = 0; i < sizeof templates / sizeof templates[0]; i++) {
        const template_t *t = &templates[i];
        buf_t b;
        buf_init(&b);
        expand(&b, en && t->en ? t->en : t->zh, st);
        int rc = put_file(dir, t->path, b.data, b.len, err, errlen);
        buf_free(&b);
        if (rc != 0) return -1;
    }
    return put_figure(dir, "images/figure.png", err, errlen);
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb, (void)flag;
    if (ftw->level > 0) remove(path);
    return 0;
}

void starter_remove(const char *dir, bool keep_dir) {
    nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    if (!keep_dir) rmdir(dir);
}
