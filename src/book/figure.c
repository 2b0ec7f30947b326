#include "figure.h"
#include "crossref.h"
#include "mdutil.h"
#include "rawhtml.h"
#include "words.h"
#include "../util/buf.h"
#include "../util/xalloc.h"
#include "../util/xmlesc.h"
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------- pandoc attributes */

/* {#id .class key=value key="a value"}: what captions and listings use. */
typedef struct {
    char *id, *caption, *title, *cls, *file, *number;
    bool linenos;
} attrs_t;

static void attrs_free(attrs_t *a) {
    free(a->id), free(a->caption), free(a->title), free(a->cls), free(a->file);
    free(a->number);
    memset(a, 0, sizeof *a);
}

static void attr_set(char **slot, const char *v, size_t n) {
    free(*slot);
    *slot = xstrndup(v, n);
}

/* Reads the tokens of s[0..n) (the text between the braces, or an info string). */
static void attrs_parse(const char *s, size_t n, attrs_t *a) {
    size_t i = 0;
    while (i < n) {
        while (i < n && (isspace((unsigned char)s[i]) || strchr(",{}", s[i])))
            i++;
        size_t k = i;
        while (k < n && !isspace((unsigned char)s[k]) && !strchr("=,{}", s[k]))
            k++;
        const char *name = s + i;
        size_t nl = k - i;
        const char *val = NULL;
        size_t vl = 0;
        if (k < n && s[k] == '=') {
            k++;
            if (k < n && (s[k] == '"' || s[k] == '\'')) {
                char q = s[k++];
                val = s + k;
                while (k < n && s[k] != q)
                    k++;
                vl = (size_t)(s + k - val);
                if (k < n) k++;
            } else {
                val = s + k;
                while (k < n && !isspace((unsigned char)s[k]) && !strchr(",{}", s[k]))
                    k++;
                vl = (size_t)(s + k - val);
            }
        }
        if (!val && nl > 1 && name[0] == '#') attr_set(&a->id, name + 1, nl - 1);
        if (!val && nl > 1 && name[0] == '.') {
            if (!strncmp(name, ".numberLines", nl) || !strncmp(name, ".number-lines", nl))
                a->linenos = true;
            else if (!a->cls)
                attr_set(&a->cls, name + 1, nl - 1);
        }
        if (!val && nl == 7 && !strncmp(name, "linenos", 7)) a->linenos = true;
        if (val && nl == 7 && !strncmp(name, "caption", 7)) attr_set(&a->caption, val, vl);
        if (val && nl == 5 && !strncmp(name, "title", 5)) attr_set(&a->title, val, vl);
        if (val && nl == 9 && !strncmp(name, "file-name", 9)) attr_set(&a->file, val, vl);
        if (val && nl == 5 && !strncmp(name, "label", 5)) attr_set(&a->id, val, vl);
        if (val && nl == 6 && !strncmp(name, "number", 6)) attr_set(&a->number, val, vl);
        i = k > i ? k : i + 1;
    }
}

/* The "{…}" that ends s (spaces after it allowed), or NULL; *len is its length. */
static const char *trailing_braces(const char *s, size_t *len) {
    size_t l = strlen(s);
    while (l && isspace((unsigned char)s[l - 1]))
        l--;
    if (!l || s[l - 1] != '}') return NULL;
    for (size_t k = l; k-- > 0;)
        if (s[k] == '{') {
            if (k + 1 >= l - 1 || (s[k + 1] != '#' && s[k + 1] != '.')) return NULL;
            *len = l - k;
            return s + k;
        }
    return NULL;
}

/* Removes a trailing {…} from a text node into a (true when there was one). */
static bool take_trailing_attrs(cmark_node *t, attrs_t *a) {
    if (!t || cmark_node_get_type(t) != CMARK_NODE_TEXT) return false;
    const char *s = cmark_node_get_literal(t);
    size_t bl;
    const char *br = trailing_braces(s, &bl);
    if (!br) return false;
    attrs_parse(br + 1, bl - 2, a);
    size_t keep = (size_t)(br - s);
    while (keep && isspace((unsigned char)s[keep - 1]))
        keep--;
    char *rest = xstrndup(s, keep);
    cmark_node_set_literal(t, rest);
    free(rest);
    return true;
}

/* ---------------------------------------------------------------- the registry */

typedef struct {
    book_t *b;
    int ch;
    lang_kind lang;
    int count[3];
    cmark_node **dead; /* nodes freed once the pass is over */
    size_t n_dead, cap_dead;
} pass_t;

static const word_id kind_word[] = {W_FIGURE, W_TABLE, W_LISTING};
static const char *const kind_key[] = {"figure", "table", "listing"};

static void bury(pass_t *p, cmark_node *n) {
    cmark_node_unlink(n);
    XGROW(p->dead, p->cap_dead, p->n_dead);
    p->dead[p->n_dead++] = n;
}

static cmark_node *custom_block(const char *enter, const char *exit) {
    cmark_node *n = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
    cmark_node_set_on_enter(n, enter);
    cmark_node_set_on_exit(n, exit);
    return n;
}

static cmark_node *text(cmark_node_type type, const char *s) {
    cmark_node *t = cmark_node_new(type);
    cmark_node_set_literal(t, s);
    return t;
}

/* Numbers an item, registers it, and fills caption (a figcaption or an HTML
   <caption>) with the anchor, the number and the caption's inlines (moved
   from the children of from, or the text plain). */
static void number_as(pass_t *p, xref_kind kind, cmark_node *node, cmark_node *caption,
                      cmark_node *from, const char *plain, const char *label, const char *given) {
    book_t *b = p->b;
    int n = ++p->count[kind], chn;
    char num[32], key[64];
    if (given) /* the author's own number (mdBook's <Listing number="2-2">), as the text cites it */
        snprintf(num, sizeof num, "%s", given);
    else if ((chn = book_chapter_number(b, p->ch)) == 0) /* a preface's: Figure 1 */
        snprintf(num, sizeof num, "%d", n);
    else /* the chapter's place among the numbered ones, not among all files */
        snprintf(num, sizeof num, p->lang == LANG_EN ? "%d.%d" : "%d-%d", chn, n);
    snprintf(key, sizeof key, "%s-%s", kind_key[kind], num);
    if (label && strmap_get(&b->xref_labels, label) >= 0) {
        int line, col;
        book_pos(b, p->ch, node, &line, &col);
        book_diag(b, DIAG_WARNING, p->ch, line, col, "label '%s' used twice; this one is '%s'",
                  label, key);
        label = NULL;
    }
    const char *anchor = label ? label : key;
    buf_t s;
    buf_init(&s);
    buf_puts(&s, "<a id=\"");
    xml_escape_attr(&s, anchor);
    buf_puts(&s, "\"></a>");
    cmark_node_prepend_child(caption, text(CMARK_NODE_HTML_INLINE, s.data));
    s.len = 0;
    buf_printf(&s, word(p->lang, kind_word[kind]), num);
    bool has_text = (from && cmark_node_first_child(from)) || (plain && *plain);
    if (has_text) buf_puts(&s, p->lang == LANG_EN ? " " : "\xE3\x80\x80");
    cmark_node *number_text = text(CMARK_NODE_TEXT, s.data);
    size_t number_len = s.len;
    cmark_node_append_child(caption, number_text);
    buf_free(&s);
    char *cap_text = NULL;
    if (from) {
        cap_text = md_plain_text(from);
        cmark_node *k;
        while ((k = cmark_node_first_child(from)))
            cmark_node_append_child(caption, k);
    } else {
        cap_text = xstrdup(plain ? plain : "");
        if (plain && *plain) cmark_node_append_child(caption, text(CMARK_NODE_TEXT, plain));
    }
    XGROW(b->xrefs, b->cap_xrefs, b->n_xrefs);
    b->xrefs[b->n_xrefs] = (xref_t){kind,
                                    p->ch,
                                    xstrdup(num),
                                    cap_text,
                                    xstrdup(anchor),
                                    -1,
                                    node,
                                    from ? number_text : NULL,
                                    number_len};
    if (label) strmap_put(&b->xref_labels, label, (long)b->n_xrefs);
    cmark_node_set_user_data(node, (void *)(uintptr_t)(b->n_xrefs + 1));
    b->n_xrefs++;
}

static void number(pass_t *p, xref_kind kind, cmark_node *node, cmark_node *caption,
                   cmark_node *from, const char *plain, const char *label) {
    number_as(p, kind, node, caption, from, plain, label, NULL);
}

/* Wraps el in <figure class="cls"> with a new figcaption before or after it;
   returns the figcaption. */
static cmark_node *wrap(cmark_node *el, const char *cls, bool caption_first, cmark_node **fig) {
    char enter[64];
    snprintf(enter, sizeof enter, "<figure class=\"%s\">", cls);
    *fig = custom_block(enter, "</figure>");
    cmark_node *fc = custom_block("<figcaption>", "</figcaption>");
    cmark_node_insert_before(el, *fig);
    if (caption_first) cmark_node_append_child(*fig, fc);
    cmark_node_append_child(*fig, el); /* the element keeps its source position */
    if (!caption_first) cmark_node_append_child(*fig, fc);
    return fc;
}

/* ---------------------------------------------------------------- figures */

static bool blank_text(cmark_node *n) {
    if (cmark_node_get_type(n) == CMARK_NODE_SOFTBREAK) return true;
    if (cmark_node_get_type(n) != CMARK_NODE_TEXT) return false;
    const char *s = cmark_node_get_literal(n);
    return strspn(s, " \t") == strlen(s);
}

static bool is_attr_text(cmark_node *n) {
    size_t l;
    if (cmark_node_get_type(n) != CMARK_NODE_TEXT) return false;
    const char *s = cmark_node_get_literal(n), *br = trailing_braces(s, &l);
    return br && strspn(s, " \t") == (size_t)(br - s);
}

/* The paragraph's one image, when it holds nothing else but a {#fig:x}; else NULL. */
static cmark_node *lone_image(cmark_node *p) {
    cmark_node *img = NULL;
    for (cmark_node *k = cmark_node_first_child(p); k; k = cmark_node_next(k)) {
        if (cmark_node_get_type(k) == CMARK_NODE_IMAGE && !img)
            img = k;
        else if (!blank_text(k) && !(img && is_attr_text(k) && !cmark_node_next(k)))
            return NULL;
    }
    return img;
}

static bool figure_place(cmark_node *p) {
    cmark_node *parent = cmark_node_parent(p);
    /* top-level paragraphs and those in quotes and callouts, not list items or tables */
    cmark_node_type pt = parent ? cmark_node_get_type(parent) : CMARK_NODE_NONE;
    const char *e = pt == CMARK_NODE_CUSTOM_BLOCK ? cmark_node_get_on_enter(parent) : NULL;
    return pt == CMARK_NODE_DOCUMENT || pt == CMARK_NODE_BLOCK_QUOTE ||
           (e && strncmp(e, "callout", 7) == 0);
}

/* A copy of an inline node and what it holds: a formula stays a formula (its
   user data marks it for the math pass), emphasis stays emphasis; anything else
   becomes its text. */
static cmark_node *copy_inline(cmark_node *n) {
    cmark_node_type t = cmark_node_get_type(n);
    switch (t) {
    case CMARK_NODE_TEXT:
    case CMARK_NODE_CODE: {
        cmark_node *c = text(t, cmark_node_get_literal(n));
        if (t == CMARK_NODE_CODE) cmark_node_set_user_data(c, cmark_node_get_user_data(n));
        return c;
    }
    case CMARK_NODE_HTML_INLINE: /* not in the alt text either */
        return text(CMARK_NODE_TEXT, "");
    case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK:
        return text(CMARK_NODE_TEXT, " ");
    case CMARK_NODE_EMPH:
    case CMARK_NODE_STRONG: {
        cmark_node *c = cmark_node_new(t);
        for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k))
            cmark_node_append_child(c, copy_inline(k));
        return c;
    }
    default: {
        char *s = md_plain_text(n);
        cmark_node *c = text(CMARK_NODE_TEXT, s);
        free(s);
        return c;
    }
    }
}

static void figure(pass_t *p, cmark_node *para) {
    cmark_node *img = lone_image(para);
    attrs_t a = {0};
    take_trailing_attrs(cmark_node_last_child(para), &a);
    const char *title = cmark_node_get_title(img);
    char *alt = md_plain_text(img);
    const char *cap = a.caption ? a.caption : title && *title ? title : alt;
    cmark_node *fig, *fc = wrap(para, "figure", false, &fig);
    if (!*cap && !a.id) {
        /* nothing to say and nothing to name it by: a picture set apart, without
           a number ("图 6-3" alone under each of hands-on-ml's 355 formula
           pictures), as pandoc makes figures of pictures with alt text only */
        cmark_node_unlink(fc);
        cmark_node_free(fc);
        free(alt);
        attrs_free(&a);
        return;
    }
    /* a caption from the alt text keeps its inlines: $x$ in it is typeset */
    cmark_node *from = NULL, *doc = NULL;
    if (cap == alt && cmark_node_first_child(img)) {
        from = cmark_node_new(CMARK_NODE_PARAGRAPH);
        for (cmark_node *k = cmark_node_first_child(img); k; k = cmark_node_next(k))
            cmark_node_append_child(from, copy_inline(k));
    } else if (cap && strchr(cap, '$')) { /* {caption="… $x$ …"} or a title: its formulas too */
        doc = md_parse(cap, strlen(cap));
        cmark_node *para = cmark_node_first_child(doc);
        if (para && cmark_node_get_type(para) == CMARK_NODE_PARAGRAPH && !cmark_node_next(para))
            from = para;
    }
    number(p, XREF_FIGURE, fig, fc, from, cap, a.id);
    if (doc)
        cmark_node_free(doc);
    else if (from)
        cmark_node_free(from);
    free(alt);
    attrs_free(&a);
}

/* ---------------------------------------------------------------- tables */

/* The length of a caption paragraph's prefix ("Table: ", ": ", "表："), or 0. */
static size_t caption_prefix(const char *s) {
    static const char *const pre[] = {"Table:", "table:", ":", "表：", "表:", NULL};
    for (size_t i = 0; pre[i]; i++) {
        size_t l = strlen(pre[i]);
        if (strncmp(s, pre[i], l)) continue;
        if (l == 1 && s[1] != ' ') continue; /* ": x", not ":x" */
        while (s[l] == ' ')
            l++;
        return l;
    }
    return 0;
}

static bool is_caption_para(cmark_node *n) {
    if (!n || cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH) return false;
    cmark_node *t = cmark_node_first_child(n);
    return t && cmark_node_get_type(t) == CMARK_NODE_TEXT &&
           caption_prefix(cmark_node_get_literal(t)) > 0;
}

static void strip_prefix(cmark_node *para) {
    cmark_node *t = cmark_node_first_child(para);
    const char *s = cmark_node_get_literal(t);
    char *rest = xstrdup(s + caption_prefix(s));
    cmark_node_set_literal(t, rest);
    free(rest);
}

/* cmark-gfm reads "Table: x" right under the rows as one more row: a caption
   row is a last row whose first cell has the prefix and whose others are empty. */
static cmark_node *caption_row(cmark_node *table) {
    cmark_node *row = cmark_node_last_child(table);
    if (!row || row == cmark_node_first_child(table)) return NULL;
    cmark_node *c = cmark_node_first_child(row);
    cmark_node *t = c ? cmark_node_first_child(c) : NULL;
    if (!t || cmark_node_get_type(t) != CMARK_NODE_TEXT ||
        !caption_prefix(cmark_node_get_literal(t)))
        return NULL;
    for (cmark_node *k = cmark_node_next(c); k; k = cmark_node_next(k))
        if (cmark_node_first_child(k)) return NULL;
    return row;
}

static void table(pass_t *p, cmark_node *tbl) {
    cmark_node *cap = NULL, *row = caption_row(tbl);
    if (is_caption_para(cmark_node_next(tbl)))
        cap = cmark_node_next(tbl);
    else if (is_caption_para(cmark_node_previous(tbl)))
        cap = cmark_node_previous(tbl);
    else if (row)
        cap = cmark_node_first_child(row); /* the cell holds the inlines */
    if (!cap) return;
    strip_prefix(cap);
    attrs_t a = {0};
    take_trailing_attrs(cmark_node_last_child(cap), &a);
    cmark_node *fig, *fc = wrap(tbl, "table", true, &fig);
    number(p, XREF_TABLE, fig, fc, cap, NULL, a.id);
    bury(p, cap == cmark_node_first_child(row) ? row : cap);
    attrs_free(&a);
}

/* A raw-HTML table (custom nodes from rawhtml.c) with a <caption>. */
static void html_table(pass_t *p, cmark_node *tbl) {
    char tag[16];
    for (cmark_node *k = cmark_node_first_child(tbl); k; k = cmark_node_next(k)) {
        if (cmark_node_get_type(k) != CMARK_NODE_CUSTOM_BLOCK ||
            strcmp(rawhtml_tag(k, tag, sizeof tag), "caption"))
            continue;
        attrs_t a = {0};
        take_trailing_attrs(cmark_node_last_child(k), &a);
        /* the caption's inlines move behind the number */
        cmark_node *tmp = cmark_node_new(CMARK_NODE_PARAGRAPH);
        cmark_node *c;
        while ((c = cmark_node_first_child(k)))
            cmark_node_append_child(tmp, c);
        number(p, XREF_TABLE, tbl, k, tmp, NULL, a.id);
        cmark_node_free(tmp);
        attrs_free(&a);
        return;
    }
}

/* ---------------------------------------------------------------- listings */

static bool has_listing_attrs(const attrs_t *a) {
    return a->id || a->caption || a->title || a->file;
}

/* The code block's caption attributes, its info string cut back to the
   language (and linenos) so both backends read the language as before. */
static void info_attrs(cmark_node *code, attrs_t *a) {
    const char *info = cmark_node_get_fence_info(code);
    if (!info || !*info) return;
    attrs_parse(info, strlen(info), a);
    const char *br = strchr(info, '{');
    if (!has_listing_attrs(a)) return;
    buf_t lang;
    buf_init(&lang);
    if (a->cls && (!br || br == info))
        buf_puts(&lang, a->cls);
    else
        buf_put(&lang, info, strcspn(info, " \t,{"));
    if (a->linenos) buf_puts(&lang, " linenos");
    cmark_node_set_fence_info(code, lang.data);
    buf_free(&lang);
}

/* A listing's caption: its text as Markdown (mdBook renders `code` in it),
   then its file name. A paragraph node, or NULL when there is neither. */
static cmark_node *listing_caption(pass_t *p, const attrs_t *a) {
    const char *cap = a->caption ? a->caption : a->title;
    if (!cap && !a->file) return NULL;
    cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
    if (cap) {
        cmark_node *doc = md_parse(cap, strlen(cap));
        cmark_node *first = cmark_node_first_child(doc), *k;
        if (first && cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH)
            while ((k = cmark_node_first_child(first)))
                cmark_node_append_child(para, k);
        else /* a caption that parses as another block ("1. x") is its text */
            cmark_node_append_child(para, text(CMARK_NODE_TEXT, cap));
        md_own_literals(para); /* they point into the parsed block, freed here */
        cmark_node_free(doc);
    }
    if (a->file) {
        buf_t f;
        buf_init(&f);
        if (cap)
            buf_printf(&f, "%s%s%s", word(p->lang, W_PAGE_REF_OPEN), a->file,
                       word(p->lang, W_PAGE_REF_CLOSE));
        else
            buf_puts(&f, a->file);
        cmark_node_append_child(para, text(CMARK_NODE_TEXT, f.data));
        buf_free(&f);
    }
    return para;
}

static void listing(pass_t *p, cmark_node *code, attrs_t *a) {
    cmark_node *cap = listing_caption(p, a);
    cmark_node *fig, *fc = wrap(code, "listing", true, &fig);
    number_as(p, XREF_LISTING, fig, fc, cap, NULL, a->id, a->number);
    if (cap) cmark_node_free(cap);
}

static bool starts_with_ci(const char *s, const char *pre) {
    return strncasecmp(s, pre, strlen(pre)) == 0;
}

/* The '>' that ends the tag s opens, outside quoted values (rust-book's
   caption="… `Rc<T>`" holds one), or NULL. */
static const char *tag_end(const char *s) {
    for (char q = 0; *s; s++) {
        if (q) {
            if (*s == q) q = 0;
        } else if (*s == '"' || *s == '\'') {
            q = *s;
        } else if (*s == '>') {
            return s;
        }
    }
    return NULL;
}

/* mdBook's <Listing caption="…" file-name="…"> … </Listing> around a code block. */
static void listing_wrapper(pass_t *p, cmark_node *open) {
    const char *s = cmark_node_get_literal(open);
    cmark_node *code = cmark_node_next(open), *close = code ? cmark_node_next(code) : NULL;
    if (!code || cmark_node_get_type(code) != CMARK_NODE_CODE_BLOCK) return;
    /* rawhtml.c has already removed a "</Listing>" block of its own (it maps to nothing) */
    if (close && (cmark_node_get_type(close) != CMARK_NODE_HTML_BLOCK ||
                  !starts_with_ci(cmark_node_get_literal(close), "</listing>")))
        close = NULL;
    const char *end = tag_end(s);
    attrs_t a = {0};
    attrs_parse(s + 8, end ? (size_t)(end - s - 8) : strlen(s + 8), &a);
    attrs_t info = {0};
    info_attrs(code, &info); /* a label in the fence still counts */
    if (!a.id && info.id) a.id = xstrdup(info.id);
    listing(p, code, &a);
    attrs_free(&a), attrs_free(&info);
    bury(p, open);
    if (close) bury(p, close);
}

/* ---------------------------------------------------------------- the pass */

static void visit(pass_t *p, cmark_node *n) {
    char tag[16];
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_PARAGRAPH:
        if (lone_image(n) && figure_place(n)) figure(p, n);
        break;
    case CMARK_NODE_CODE_BLOCK: {
        cmark_node *prev = cmark_node_previous(n);
        if (prev && cmark_node_get_type(prev) == CMARK_NODE_HTML_BLOCK &&
            starts_with_ci(cmark_node_get_literal(prev), "<listing"))
            break; /* the wrapper numbers it */
        attrs_t a = {0};
        info_attrs(n, &a);
        if (has_listing_attrs(&a)) listing(p, n, &a);
        attrs_free(&a);
        break;
    }
    case CMARK_NODE_HTML_BLOCK:
        if (starts_with_ci(cmark_node_get_literal(n), "<listing")) listing_wrapper(p, n);
        break;
    case CMARK_NODE_CUSTOM_BLOCK:
        if (!strcmp(rawhtml_tag(n, tag, sizeof tag), "table")) html_table(p, n);
        break;
    default:
        if (md_is(n, "table")) table(p, n);
    }
}

static bool block_node(cmark_node *n) {
    return !md_is_inline(n) && cmark_node_get_type(n) != CMARK_NODE_DOCUMENT;
}

void figure_pass(book_t *b, int ch) {
    pass_t p = {b, ch, lang_kind_of(b->meta.lang), {0}, NULL, 0, 0};
    /* a section's numbers go on from its chapter's */
    int *counts = book_numbering(&b->fig_numbering, b, ch);
    memcpy(p.count, counts, sizeof p.count);
    /* the autolink extension splits text at ':' ("Table: x") */
    cmark_consolidate_text_nodes(b->chapters[ch].doc);
    crossref_equations(b->chapters[ch].doc); /* the math pass, next, links \eqref */
    /* the blocks first, in document order: the pass moves and removes them */
    cmark_node **v = NULL;
    size_t n = 0, cap = 0;
    cmark_iter *it = cmark_iter_new(b->chapters[ch].doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *x = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || !block_node(x)) continue;
        XGROW(v, cap, n);
        v[n++] = x;
    }
    cmark_iter_free(it);
    for (size_t i = 0; i < n; i++) {
        /* a caption paragraph or wrapper taken by an earlier item is out of the tree */
        cmark_node *root = v[i];
        while (cmark_node_parent(root))
            root = cmark_node_parent(root);
        if (cmark_node_get_type(root) == CMARK_NODE_DOCUMENT) visit(&p, v[i]);
    }
    free(v);
    memcpy(counts, p.count, sizeof p.count);
    for (size_t k = 0; k < p.n_dead; k++)
        cmark_node_free(p.dead[k]);
    free(p.dead);
}

void figure_anchors(book_t *b, int ch) {
    for (size_t i = 0; i < b->n_xrefs; i++) {
        xref_t *x = &b->xrefs[i];
        if (x->chapter != ch) continue;
        buf_t k;
        buf_init(&k);
        buf_printf(&k, "%d %s", ch, x->label);
        x->anchor = strmap_get(&b->anchor_keys, k.data);
        buf_free(&k);
    }
}

const xref_t *book_xref_of(const book_t *b, cmark_node *n) {
    uintptr_t u = (uintptr_t)cmark_node_get_user_data(n);
    if (!u || u > b->n_xrefs || b->xrefs[u - 1].node != n) return NULL;
    return &b->xrefs[u - 1];
}

void figure_free(book_t *b) {
    for (size_t i = 0; i < b->n_xrefs; i++)
        free(b->xrefs[i].number), free(b->xrefs[i].caption), free(b->xrefs[i].label);
    free(b->xrefs);
    strmap_free(&b->xref_labels);
}
