/* ghb-book: compiles a folder of Markdown chapters into an EPUB (and PDF). */
#include "highlight/hl.h"
#include "book/mdext.h"
#include "book/book.h"
#include "book/langs.h"
#include "cli/commands.h"
#include "epub/epub.h"
#include "fonts/fontset.h"
#include "layout/hyphen.h"
#include "layout/style.h"
#include "pdf/pdf.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/xalloc.h"
#include <errno.h>
#include <hpdf.h>
#include <libxml/parser.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    const char *command, *book, *out;
    bool quiet;
    bool press;       /* pdf: the press file (<name>-press.pdf) */
    bool strict;      /* every warning is an error: exit 1, nothing written */
    bool offline;     /* remote images are not fetched (the cache is still used) */
    bool embed_fonts; /* epub: subsets of the print fonts in the package */
} options;

static const char usage[] =
    "usage: ghb-book pdf|epub|all|check [--book DIR] [--out DIR] [--quiet] [--strict] [--offline]\n"
    "                                   [--embed-fonts]\n"
    "       ghb-book new DIR [--title T] [--author A] [--lang zh-CN|en]\n"
    "       ghb-book watch [pdf|epub|all] [--book DIR] [--out DIR] [--quiet]\n"
    "       ghb-book --help | --version\n"
    "\n"
    "  epub     build the EPUB 3 into the output folder\n"
    "  pdf      build the print PDF into the output folder\n"
    "  all      build both\n"
    "  check    run every diagnostic, write nothing\n"
    "  new      start a book in DIR (missing or empty): book.yaml, SUMMARY.md, two\n"
    "           chapters, .gitignore, a GitHub workflow\n"
    "  watch    build, then rebuild on every save in the book folder\n"
    "\n"
    "  --book DIR   the book folder (default: book)\n"
    "  --out DIR    where outputs go (default: out)\n"
    "  --quiet      no progress lines on stderr\n"
    "  --press      pdf: the file for a printer, <name>-press.pdf (print.yaml press:)\n"
    "  --strict     treat every warning as an error (exit 1, write nothing)\n"
    "  --offline    do not fetch remote images (use only the cache)\n"
    "  --embed-fonts  epub: embed subsets of the print fonts (book.yaml epub-fonts: embed)\n"
    "\n"
    "Diagnostics are printed as path:line:col: error|warning: message.\n"
    "Exit status: 0 success, 1 errors in the book or its outputs, 2 bad usage.\n";

static int parse_args(int argc, char **argv, options *o) {
    *o = (options){NULL, "book", "out", false, false, false, false, false};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            exit(0);
        } else if (strcmp(a, "--version") == 0) {
            printf("ghb-book %s (libharu %s)\n", GHB_VERSION, HPDF_GetVersion());
            exit(0);
        } else if (strcmp(a, "--press") == 0) {
            o->press = true;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            o->quiet = true;
        } else if (strcmp(a, "--strict") == 0) {
            o->strict = true;
        } else if (strcmp(a, "--offline") == 0) {
            o->offline = true;
        } else if (strcmp(a, "--embed-fonts") == 0) {
            o->embed_fonts = true;
        } else if ((strcmp(a, "--book") == 0 || strcmp(a, "--out") == 0) && i + 1 < argc) {
            *(strcmp(a, "--book") == 0 ? &o->book : &o->out) = argv[++i];
        } else if (strncmp(a, "--book=", 7) == 0) {
            o->book = a + 7;
        } else if (strncmp(a, "--out=", 6) == 0) {
            o->out = a + 6;
        } else if (!o->command && a[0] != '-') {
            o->command = a;
        } else {
            fprintf(stderr, "ghb-book: error: unexpected argument '%s'\n%s", a, usage);
            return -1;
        }
    }
    const char *cmds[] = {"pdf", "epub", "all", "check"};
    for (size_t i = 0; o->command && i < 4; i++)
        if (strcmp(o->command, cmds[i]) == 0) return 0;
    fprintf(stderr, "ghb-book: error: %s\n%s", o->command ? "unknown command" : "no command given",
            usage);
    return -1;
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* #14: a Release build leaves its memory to the OS when the process ends: the
   book, the PDF's objects and fonts are not freed piece by piece first (about
   5 M instructions, 1 ms, of the handbook's PDF). Debug and sanitizer builds
   free everything, so leaks stay visible; GHB_FREE_AT_EXIT does it in any
   build (the valgrind tests). */
static bool free_at_exit(void) {
#ifdef GHB_EXIT_WITHOUT_FREE
    return getenv("GHB_FREE_AT_EXIT") != NULL;
#else
    return true;
#endif
}

static void on_signal(int sig) {
    write_atomic_cleanup();
    signal(sig, SIG_DFL);
    raise(sig);
}

static int make_dir(const char *dir, diags_t *d) {
    char *p = xstrdup(dir);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = '\0';
        mkdir(p, 0777);
        *s = '/';
    }
    int rc = 0;
    if (mkdir(p, 0777) != 0 && errno != EEXIST) {
        diag_add(d, DIAG_ERROR, dir, 1, 1, "cannot create the output folder: %s", strerror(errno));
        rc = -1;
    }
    free(p);
    return rc;
}

static int write_output(const options *o, const book_t *b, const char *ext, const buf_t *data,
                        diags_t *d, double t0) {
    if (make_dir(o->out, d) != 0) return -1;
    buf_t name;
    buf_init(&name);
    buf_printf(&name, "%s%s.%s", b->meta.output,
               o->press && strcmp(ext, "pdf") == 0 ? "-press" : "", ext);
    char *path = path_join(o->out, name.data);
    buf_free(&name);
    char err[512];
    int rc = write_atomic(path, data->data, data->len, err, sizeof err);
    if (rc != 0)
        diag_add(d, DIAG_ERROR, path, 1, 1, "%s", err);
    else if (!o->quiet)
        fprintf(stderr, "ghb-book: wrote %s (%zu bytes, %.1f ms)\n", path, data->len,
                now_ms() - t0);
    free(path);
    return rc;
}

static void progress(const options *o, const book_t *b) {
    if (o->quiet) return;
    fprintf(stderr,
            "ghb-book: loaded %s: %zu chapters, %zu headings, %zu links, %zu notes, %zu images\n",
            b->root, b->n_chapters, b->n_headings, b->n_links, b->n_notes, b->n_images);
    for (size_t i = 0; i < b->n_chapters; i++) {
        const chapter_t *c = &b->chapters[i];
        fprintf(stderr, "ghb-book:   chapter %zu/%zu %s: %s (%zu headings, %zu notes)\n", i + 1,
                b->n_chapters, c->path, c->title, c->n_headings, c->n_notes);
    }
}

/* #10, #14: the code blocks are highlighted ahead, on a thread of their own,
   while the rest of the book is parsed (the second core is idle then; while the
   book is typeset it no longer is). Only for a build that highlights: the EPUB
   always does, the PDF unless its print style's code theme is "none" (asked
   once the book's folder is known: the first chapter). */
static enum { AHEAD_UNKNOWN, AHEAD_ON, AHEAD_OFF } ahead;
static bool ahead_epub; /* the build writes an EPUB */

static bool print_highlights(const book_t *b) {
    char *override = path_join(b->root, "print.yaml");
    diags_t quiet; /* the PDF build reports the style's problems */
    diags_init(&quiet);
    print_t ps;
    bool on =
        print_load(&ps, path_exists(override) ? override : NULL, &quiet) == 0 && !ps.code_theme.off;
    print_free(&ps);
    diags_free(&quiet);
    free(override);
    return on;
}

static void code_ahead(const book_t *b, size_t chapter) {
    if (ahead == AHEAD_UNKNOWN) ahead = ahead_epub || print_highlights(b) ? AHEAD_ON : AHEAD_OFF;
    if (ahead == AHEAD_OFF) return;
    cmark_iter *it = cmark_iter_new(b->chapters[chapter].doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_CODE_BLOCK) continue;
        const char *text = cmark_node_get_literal(n);
        if (text) hl_ahead(cmark_node_get_fence_info(n), text, strlen(text));
    }
    cmark_iter_free(it);
}

/* The print edition's page starts, for the EPUB's page list, made on a thread
   of their own while the EPUB writes what needs no page numbers. The layout's
   own warnings belong to the PDF build, so they are not repeated here, and
   without fonts the EPUB simply has no page list. But the print style is part
   of the book: a problem in its print.yaml is reported whichever output is built. */
typedef struct {
    const book_t *b;
    char *fonts;
    diags_t quiet; /* the layout's diagnostics: the thread's own sink */
    diags_t *d;    /* the run's, written by the EPUB's thread only */
    pagemap_t pages;
    pthread_t thread;
    bool running, waited;
} pagejob_t;

static void *page_job(void *arg) {
    pagejob_t *j = arg;
    pdf_pagemap(j->b, j->fonts, &j->quiet, &j->pages); /* on failure, pages is left empty */
    return NULL;
}

static const pagemap_t *page_job_wait(void *arg) {
    pagejob_t *j = arg;
    if (j->waited) return &j->pages;
    if (j->running) pthread_join(j->thread, NULL);
    j->running = false, j->waited = true;
    char *style = path_join(j->b->root, "print.yaml");
    for (size_t i = 0; i < j->quiet.n; i++) {
        const diag_t *x = &j->quiet.v[i];
        if (strcmp(x->file, style) == 0)
            diag_add(j->d, x->sev, x->file, x->line, x->col, "%s", x->msg);
    }
    free(style);
    diags_free(&j->quiet);
    return &j->pages;
}

static void page_job_start(pagejob_t *j, const book_t *b, const char *argv0, diags_t *d) {
    *j = (pagejob_t){.b = b, .fonts = fontset_default_dir(argv0), .d = d};
    diags_init(&j->quiet);
    book_share(b);   /* both threads read the trees */
    xmlInitParser(); /* both may parse: libxml2 sets itself up once, before threads */
    j->running = pthread_create(&j->thread, NULL, page_job, j) == 0;
    if (!j->running) page_job(j); /* no thread: the same work, first */
}

/* Both backends run into memory; nothing is written until the whole run is
   known to be clean, so a failed (or --strict) build leaves no partial output. */
/* pdf_pages: the PDF's page map when the PDF was built first (`all`), else NULL. */
static int build_epub(const options *o, const book_t *b, const char *argv0,
                      const pagemap_t *pdf_pages, diags_t *d, buf_t *out) {
    if (!o->quiet) fprintf(stderr, "ghb-book: epub: writing %zu documents\n", b->n_chapters + 2);
    pagejob_t job;
    if (!pdf_pages) page_job_start(&job, b, argv0, d);
    char *fonts = fontset_default_dir(argv0);
    epub_opts_t eo = {pdf_pages, fonts, pdf_pages ? NULL : page_job_wait, &job};
    int rc = epub_build(b, &eo, d, out);
    free(fonts);
    if (!pdf_pages) {
        page_job_wait(&job); /* when the EPUB did not ask (an error first) */
        free(job.fonts);
        pagemap_free(&job.pages);
    }
    return rc;
}

static int build_pdf(const options *o, const book_t *b, const char *argv0, pagemap_t *pages,
                     diags_t *d, buf_t *out) {
    if (!o->quiet) fprintf(stderr, "ghb-book: pdf: typesetting, paginating, drawing\n");
    char *fonts = fontset_default_dir(argv0);
    /* with pages, the EPUB is built next: what the PDF holds goes first */
    pdf_opts_t po = {fonts, o->press, pages, !pages && !free_at_exit()};
    int rc = pdf_build(b, &po, d, out);
    free(fonts);
    return rc;
}

/* GitBook's LANGS.md (#8): each language folder is a book of its own, built
   in turn as if named with --book (the loader adds the folder to the file names). */
static int build_languages(int argc, char **argv, const char *top, char **langs, size_t n) {
    char **args = xcalloc((size_t)argc + 3, sizeof *args);
    memcpy(args, argv, (size_t)argc * sizeof *args);
    args[argc] = "--book"; /* the last --book wins */
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char *dir = path_join(top, langs[i]);
        args[argc + 1] = dir;
        int r = cmd_build(argc + 2, args);
        rc = r > rc ? r : rc;
        free(dir);
        free(langs[i]);
    }
    free(langs);
    free(args);
    return rc;
}

int cmd_build(int argc, char **argv) {
    options o;
    if (parse_args(argc, argv, &o) != 0) return 2;
    char **langs;
    size_t n_langs = langs_list(o.book, &langs);
    if (n_langs) return build_languages(argc, argv, o.book, langs, n_langs);
    signal(SIGXFSZ, SIG_IGN); /* a file-size limit must fail a write, not kill us mid-file */
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);
    double t0 = now_ms();
    diags_t d;
    diags_init(&d);
    d.echo = stderr;
    d.strict = o.strict;
    /* the hyphenation patterns load, and the code is highlighted, while the
       chapters are parsed */
    book_on_language(hyphen_prefetch);
    hl_ahead_join(); /* a LANGS.md book's language before this one */
    ahead = AHEAD_UNKNOWN;
    ahead_epub = strcmp(o.command, "pdf") != 0;
    book_on_chapter(code_ahead);
    book_t *b = book_load_opts(o.book, &d, o.offline);
    hl_ahead_done();
    if (o.embed_fonts) b->meta.epub_embed_fonts = true;
    progress(&o, b);
    int rc = d.errors ? 1 : 0;
    bool check = strcmp(o.command, "check") == 0;
    /* check runs both backends too, so it reports exactly what `all` reports */
    bool want_epub = check || strcmp(o.command, "epub") == 0 || strcmp(o.command, "all") == 0;
    bool want_pdf = check || strcmp(o.command, "pdf") == 0 || strcmp(o.command, "all") == 0;
    if (check) pdf_report_supplied(stdout); /* which installed font supplies what (#9) */
    buf_t epub, pdf;
    buf_init(&epub);
    buf_init(&pdf);
    /* with both, the PDF goes first and lends the EPUB its pages (one layout) */
    pagemap_t pages = {0};
    if (rc == 0 && want_pdf && build_pdf(&o, b, argv[0], want_epub ? &pages : NULL, &d, &pdf) != 0)
        rc = 1;
    if (rc == 0 && want_epub &&
        build_epub(&o, b, argv[0], want_pdf ? &pages : NULL, &d, &epub) != 0)
        rc = 1;
    pagemap_free(&pages);
    if (d.errors) rc = 1;
    if (rc == 0 && !check && want_epub && write_output(&o, b, "epub", &epub, &d, t0) != 0) rc = 1;
    if (rc == 0 && !check && want_pdf && write_output(&o, b, "pdf", &pdf, &d, t0) != 0) rc = 1;
    if (!o.quiet || d.errors)
        fprintf(stderr, "ghb-book: %s: %d error(s), %d warning(s)\n", o.command, d.errors,
                d.warnings);
    if (!free_at_exit()) return rc; /* the process ends now: see free_at_exit */
    buf_free(&epub);
    buf_free(&pdf);
    book_free(b);
    hl_release();     /* languages compiled for this run */
    hyphen_release(); /* the patterns, and a prefetch no typesetting waited for */
    gemoji_release(); /* the shortcode table */
    diags_free(&d);
    return rc;
}

int main(int argc, char **argv) {
    /* commands with their own options */
    if (argc > 1 && strcmp(argv[1], "new") == 0) return cmd_new(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "watch") == 0) return cmd_watch(argc - 1, argv + 1);
    return cmd_build(argc, argv);
}
