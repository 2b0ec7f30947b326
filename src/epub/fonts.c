#include "fonts.h"
#include "../book/words.h"
#include "../layout/style.h"
#include "../util/fsutil.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include <hb-subset.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

fontset_t *epub_print_fonts(const book_t *b, const char *font_dir, diags_t *d) {
    print_t ps;
    char *override = path_join(b->root, "print.yaml");
    int rc = print_load(&ps, path_exists(override) ? override : NULL, d);
    free(override);
    if (rc != 0) return NULL;
    const char *chains[ROLE_COUNT][CHAIN_MAX] = {{0}};
    for (int r = 0; r < ROLE_COUNT; r++)
        for (int k = 0; k < CHAIN_MAX; k++)
            chains[r][k] = ps.fonts[r][k];
    fontset_t *fs = fontset_open(font_dir, chains, d);
    print_free(&ps);
    return fs;
}

/* The text roles of the EPUB style sheet, each drawn by one role of the print
   style. The selectors and the families after ours repeat book.css, so that
   a character no subset has falls back as it would without embedding. */
typedef enum {
    T_BODY,
    T_ITALIC,
    T_BOLD,
    T_BOLD_ITALIC,
    T_HEAD,
    T_KAI,
    T_MONO,
    T_MONO_BOLD,
    T_N
} trole;

static const struct {
    font_role print;
    const char *name, *weight, *style, *selectors, *fallback;
} troles[T_N] = {
    {ROLE_BODY, "body", "normal", "normal", "html",
     "\"Songti SC\", \"STSong\", \"Noto Serif CJK SC\", \"Source Han Serif SC\", \"SimSun\", "
     "serif"},
    {ROLE_ITALIC, "italic", "normal", "italic", "em, i", "serif"},
    {ROLE_BOLD, "bold", "bold", "normal", "strong, b",
     "\"Heiti SC\", \"STHeiti\", \"Noto Sans CJK SC\", \"Source Han Sans SC\", sans-serif"},
    {ROLE_BOLD_ITALIC, "bolditalic", "bold", "italic",
     "strong em, strong i, b em, b i, em strong, i b", "serif"},
    {ROLE_SANS_BOLD, "head", "bold", "normal", "h1, h2, h3, h4, h5, h6",
     "\"Heiti SC\", \"STHeiti\", \"Noto Sans CJK SC\", \"Source Han Sans SC\", sans-serif"},
    {ROLE_KAI, "kai", "normal", "normal", ":lang(zh) em, :lang(zh) i, blockquote",
     "\"Kaiti SC\", \"STKaiti\", \"LXGW WenKai\", \"KaiTi\", serif"},
    {ROLE_MONO, "mono", "normal", "normal", "code, pre, kbd, samp",
     "\"DejaVu Sans Mono\", \"Menlo\", \"Consolas\", monospace"},
    {ROLE_MONO_BOLD, "monobold", "bold", "normal",
     "strong code, b code, h1 code, h2 code, h3 code, h4 code, h5 code, h6 code",
     "\"DejaVu Sans Mono\", \"Menlo\", \"Consolas\", monospace"},
};

struct epub_fonts {
    const book_t *b;
    const char *dir;
    fontset_t *fs;
    bool latin;                       /* a Latin book: quotes and dashes take the Latin font */
    bool zh;                          /* :lang(zh) rules apply */
    hb_set_t *chars[FONT_MAX];        /* what each font draws, all roles together */
    bool uses[T_N][FONT_MAX];         /* which fonts each text role draws with */
    int order[T_N][FONT_MAX], n[T_N]; /* in order of first use */
};

static void add_char(epub_fonts_t *f, trole r, uint32_t cp) {
    if (cp < 0x20 || cp == 0x2009) return; /* control characters; the thin space of autospace */
    font_role pr = troles[r].print;
    int font = f->latin ? fontset_pick_latin(f->fs, pr, cp) : fontset_pick(f->fs, pr, cp);
    if (font < 0 || font >= FONT_MAX || fontset_is_system(f->fs, font) ||
        fontset_is_color(f->fs, font))
        return;
    if (!f->chars[font]) f->chars[font] = hb_set_create();
    hb_set_add(f->chars[font], cp);
    if (!f->uses[r][font]) {
        f->uses[r][font] = true;
        f->order[r][f->n[r]++] = font;
    }
}

static void add_text(epub_fonts_t *f, trole r, const char *s) {
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (!k)
            k = 1;
        else
            add_char(f, r, cp);
        i += k;
    }
}

epub_fonts_t *epub_fonts_open(const book_t *b, const char *font_dir) {
    if (!font_dir) return NULL;
    diags_t quiet; /* the fonts' problems are the PDF build's to report */
    diags_init(&quiet);
    fontset_t *fs = epub_print_fonts(b, font_dir, &quiet);
    int errors = quiet.errors;
    diags_free(&quiet);
    if (!fs || errors) {
        if (fs) fontset_free(fs);
        return NULL;
    }
    epub_fonts_t *f = xcalloc(1, sizeof *f);
    f->b = b;
    f->dir = font_dir;
    f->fs = fs;
    f->latin = !lang_is_cjk(lang_kind_of(b->meta.lang));
    f->zh = strncmp(b->meta.lang, "zh", 2) == 0;
    /* what the style sheet and the reader add: list numbers and bullets, the
       h5 diamond, note brackets */
    add_text(f, T_BODY, "0123456789.,:;()[]\xe2\x80\xa2\xe2\x97\xa6\xe2\x96\xaa\xc2\xa0");
    add_text(f, T_HEAD, "0123456789.\xe2\x97\x86\xc2\xa0");
    return f;
}

typedef struct {
    bool em, strong, head, code, quote;
} ctx_t;

static trole role_of(const epub_fonts_t *f, ctx_t c) {
    if (c.code) return c.strong || c.head ? T_MONO_BOLD : T_MONO;
    if (c.em) return f->zh ? T_KAI : c.strong ? T_BOLD_ITALIC : T_ITALIC;
    if (c.strong) return T_BOLD;
    if (c.head) return T_HEAD;
    if (c.quote) return T_KAI;
    return T_BODY;
}

static bool is(const xmlNode *n, const char *const *names) {
    for (; *names; names++)
        if (strcmp((const char *)n->name, *names) == 0) return true;
    return false;
}

static void scan(epub_fonts_t *f, xmlNodePtr n, ctx_t c) {
    static const char *const em[] = {"em", "i", NULL}, *const strong[] = {"strong", "b", NULL},
                             *const head[] = {"h1", "h2", "h3", "h4", "h5", "h6", NULL},
                             *const code[] = {"code", "pre", "kbd", "samp", NULL},
                             *const skip[] = {"math", "script", "style", "head", NULL};
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content) add_text(f, role_of(f, c), (const char *)n->content);
        } else if (n->type == XML_ELEMENT_NODE && !is(n, skip)) {
            ctx_t k = c;
            k.em |= is(n, em);
            k.strong |= is(n, strong);
            k.head |= is(n, head);
            k.code |= is(n, code);
            k.quote |= strcmp((const char *)n->name, "blockquote") == 0;
            scan(f, n->children, k);
        }
    }
}

void epub_fonts_scan(epub_fonts_t *f, const char *xhtml, size_t len) {
    xmlDocPtr d = xmlReadMemory(xhtml, (int)len, NULL, "UTF-8",
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!d) return;
    scan(f, xmlDocGetRootElement(d), (ctx_t){0});
    xmlFreeDoc(d);
}

/* The licence file that comes with a bundled font, NULL for a font whose
   licence we do not know (it is then not embedded). */
static const char *licence_of(const char *file) {
    static const struct {
        const char *prefix, *licence;
    } map[] = {{"NotoSansCJK", "LICENSE-NotoCJK.txt"},
               {"NotoSerifCJK", "LICENSE-NotoCJK.txt"},
               {"Noto", "LICENSE-Noto.txt"},
               {"LXGWWenKai", "LICENSE-LXGWWenKai.txt"},
               {"DejaVu", "LICENSE-DejaVu.txt"}};
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strncmp(file, map[i].prefix, strlen(map[i].prefix)) == 0) return map[i].licence;
    return NULL;
}

/* A subset with the characters cps of face, or NULL. Hinting goes (reading
   systems render at screen sizes with their own hinting); the layout tables
   stay, for kerning and the like. Of the names only the copyright, licence
   and licence URL stay: a subset is a modified font, and the OFL keeps a
   Reserved Font Name (LXGW) off modified fonts. */
static hb_blob_t *subset(hb_face_t *face, const hb_set_t *cps) {
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in) return NULL;
    hb_set_union(hb_subset_input_unicode_set(in), cps);
    hb_set_t *names = hb_subset_input_set(in, HB_SUBSET_SETS_NAME_ID);
    hb_set_clear(names);
    hb_set_add(names, 0);
    hb_set_add(names, 13);
    hb_set_add(names, 14);
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
    hb_face_t *sub = hb_subset_or_fail(face, in);
    hb_subset_input_destroy(in);
    if (!sub) return NULL;
    hb_blob_t *blob = hb_face_reference_blob(sub);
    hb_face_destroy(sub);
    return blob;
}

static void push(epub_file_t **v, size_t *n, size_t *cap, char *href, char *data, size_t len,
                 const char *type) {
    XGROW(*v, *cap, *n);
    (*v)[(*n)++] = (epub_file_t){href, data, len, type};
}

static bool have_file(epub_file_t *v, size_t n, const char *href) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].href, href) == 0) return true;
    return false;
}

/* Subsets the font into the package; false when it cannot be embedded. */
static bool embed(epub_fonts_t *f, int font, epub_file_t **v, size_t *n, size_t *cap,
                  char href[64]) {
    const char *file = fontset_file(f->fs, font), *lic = licence_of(file);
    const char *dot = strrchr(file, '.');
    bool otf = dot && strcmp(dot, ".otf") == 0, ttf = dot && strcmp(dot, ".ttf") == 0;
    if (!lic || !(otf || ttf)) return false;
    char lhref[64];
    snprintf(lhref, sizeof lhref, "fonts/%s", lic);
    if (!have_file(*v, *n, lhref)) {
        char *path = path_join(f->dir, lic);
        size_t len;
        char *text = read_file(path, &len);
        free(path);
        if (!text) return false; /* no licence to ship with it: not embedded */
        push(v, n, cap, xstrdup(lhref), text, len, "text/plain");
    }
    hb_blob_t *blob = subset(fontset_hb_face(f->fs, font), f->chars[font]);
    unsigned len = 0;
    const char *data = blob ? hb_blob_get_data(blob, &len) : NULL;
    if (!data || !len) {
        hb_blob_destroy(blob);
        return false;
    }
    snprintf(href, 64, "fonts/font%02d.%s", font, otf ? "otf" : "ttf");
    char *copy = xmalloc(len);
    memcpy(copy, data, len);
    hb_blob_destroy(blob);
    push(v, n, cap, xstrdup(href), copy, len, otf ? "font/otf" : "font/ttf");
    return true;
}

size_t epub_fonts_finish(epub_fonts_t *f, epub_file_t **out) {
    epub_file_t *v = NULL;
    size_t n = 0, cap = 0;
    char hrefs[FONT_MAX][64] = {{0}};
    for (int font = 0; font < FONT_MAX; font++)
        if (f->chars[font] && !embed(f, font, &v, &n, &cap, hrefs[font])) hrefs[font][0] = '\0';
    buf_t css;
    buf_init(&css);
    buf_puts(&css, "/* The print edition's fonts, subset to the characters this book uses. */\n");
    for (int r = 0; r < T_N; r++)
        for (int i = 0; i < f->n[r]; i++) {
            int font = f->order[r][i];
            if (!hrefs[font][0]) continue;
            buf_printf(&css,
                       "@font-face { font-family: \"ghb-%s-%d\"; src: url(\"%s\"); "
                       "font-weight: %s; font-style: %s; }\n",
                       troles[r].name, font, hrefs[font], troles[r].weight, troles[r].style);
        }
    for (int r = 0; r < T_N; r++) {
        if (!f->n[r]) continue;
        buf_printf(&css, "%s { font-family: ", troles[r].selectors);
        for (int i = 0; i < f->n[r]; i++)
            if (hrefs[f->order[r][i]][0])
                buf_printf(&css, "\"ghb-%s-%d\", ", troles[r].name, f->order[r][i]);
        buf_printf(&css, "%s; }\n", troles[r].fallback);
    }
    size_t len = css.len;
    push(&v, &n, &cap, xstrdup(EPUB_FONTS_CSS), buf_detach(&css), len, "text/css");
    *out = v;
    return n;
}

void epub_fonts_free(epub_fonts_t *f) {
    if (!f) return;
    for (int i = 0; i < FONT_MAX; i++)
        hb_set_destroy(f->chars[i]);
    fontset_free(f->fs);
    free(f);
}
