#include "style.h"
#include "../util/fsutil.h"
#include "../util/xalloc.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

extern const char ghb_print_yaml[];
extern const size_t ghb_print_yaml_len;

/* "10.5pt", "185mm", "2em" or a bare number (pt). em needs the body size. */
static bool length(const char *s, float body, float *out) {
    char *end;
    double v = strtod(s, &end);
    if (end == s) return false;
    while (*end == ' ')
        end++;
    if (!*end || strcmp(end, "pt") == 0)
        *out = (float)v;
    else if (strcmp(end, "mm") == 0)
        *out = (float)(v * 72.0 / 25.4);
    else if (strcmp(end, "em") == 0)
        *out = (float)v * body;
    else
        return false;
    return *out >= 0 && *out < 1e5f;
}

typedef struct {
    print_t *p;
    const char *file;
    diags_t *d;
    yaml_document_t *doc;
} pctx;

static void bad(pctx *c, yaml_node_t *n, const char *key, const char *why) {
    diag_add(c->d, DIAG_ERROR, c->file, (int)n->start_mark.line + 1, (int)n->start_mark.column + 1,
             "'%s': %s", key, why);
}

/* true/yes or false/no; anything else is an error, not a silent "no". */
static void set_flag(pctx *c, yaml_node_t *v, const char *key, bool *out) {
    const char *s = v->type == YAML_SCALAR_NODE ? (const char *)v->data.scalar.value : "";
    if (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0)
        *out = true;
    else if (strcmp(s, "false") == 0 || strcmp(s, "no") == 0)
        *out = false;
    else
        bad(c, v, key, "must be true or false");
}

static void set_fonts(pctx *c, yaml_node_t *v, const char *key, font_role r) {
    if (v->type != YAML_SEQUENCE_NODE) {
        bad(c, v, key, "must be a list of font files");
        return;
    }
    for (int k = 0; k < CHAIN_MAX; k++) {
        free(c->p->fonts[r][k]);
        c->p->fonts[r][k] = NULL;
    }
    int k = 0;
    for (yaml_node_item_t *i = v->data.sequence.items.start;
         i < v->data.sequence.items.top && k < CHAIN_MAX - 1; i++) {
        yaml_node_t *f = yaml_document_get_node(c->doc, *i);
        if (f && f->type == YAML_SCALAR_NODE)
            c->p->fonts[r][k++] = xstrdup((char *)f->data.scalar.value);
    }
}

/* press: { bleed, crop-marks, standard, colour, profile, gutter: {pages: length} } */
static void set_press(pctx *c, yaml_node_t *v) {
    if (v->type != YAML_MAPPING_NODE) return bad(c, v, "press", "must be a mapping");
    for (yaml_node_pair_t *pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = yaml_document_get_node(c->doc, pr->key),
                    *x = yaml_document_get_node(c->doc, pr->value);
        if (!k || !x || k->type != YAML_SCALAR_NODE) continue;
        const char *key = (const char *)k->data.scalar.value;
        const char *s = x->type == YAML_SCALAR_NODE ? (const char *)x->data.scalar.value : "";
        if (strcmp(key, "gutter") == 0 && x->type == YAML_MAPPING_NODE) {
            int n = 0;
            for (yaml_node_pair_t *g = x->data.mapping.pairs.start;
                 g < x->data.mapping.pairs.top && n < 8; g++) {
                yaml_node_t *gk = yaml_document_get_node(c->doc, g->key),
                            *gv = yaml_document_get_node(c->doc, g->value);
                if (!gk || !gv || gk->type != YAML_SCALAR_NODE || gv->type != YAML_SCALAR_NODE ||
                    !length((char *)gv->data.scalar.value, c->p->body, &c->p->press.gutter[n]))
                    return bad(c, x, "press.gutter", "must map page counts to lengths");
                c->p->press.gutter_pages[n++] = atoi((char *)gk->data.scalar.value);
            }
            c->p->press.n_gutter = n;
        } else if (strcmp(key, "bleed") == 0) {
            if (!length(s, c->p->body, &c->p->press.bleed) || c->p->press.bleed > 36)
                bad(c, x, "press.bleed", "is not a length up to 12.7mm");
        } else if (strcmp(key, "crop-marks") == 0) {
            set_flag(c, x, "press.crop-marks", &c->p->press.crop_marks);
        } else if (strcmp(key, "standard") == 0) {
            if (strcmp(s, "pdf/x-4") != 0 && strcmp(s, "pdf/x-1a") != 0)
                bad(c, x, "press.standard", "must be pdf/x-1a or pdf/x-4");
            c->p->press.x4 = strcmp(s, "pdf/x-4") == 0;
        } else if (strcmp(key, "colour") == 0) {
            if (strcmp(s, "gray") != 0 && strcmp(s, "cmyk") != 0)
                bad(c, x, "press.colour", "must be gray or cmyk");
            c->p->press.cmyk = strcmp(s, "cmyk") == 0;
        } else if (strcmp(key, "profile") == 0) {
            free(c->p->press.profile);
            c->p->press.profile = xstrdup(s);
        } else {
            /* an error, not a warning: a misspelt key would print the book wrong */
            diag_add(c->d, DIAG_ERROR, c->file, (int)k->start_mark.line + 1,
                     (int)k->start_mark.column + 1, "unknown key 'press.%s'", key);
        }
    }
}

/* Font roles by name: font-NAME keys, and block-quote-font's value. */
static const char *const role_names[ROLE_COUNT] = {"body",        "sans", "kai",       "mono",
                                                   "italic",      "bold", "sans-bold", "mono-bold",
                                                   "bold-italic", "math"};

static void set_quote_font(pctx *c, yaml_node_t *v) {
    const char *s = (const char *)v->data.scalar.value;
    if (strcmp(s, "auto") == 0) {
        c->p->quote_role = -1;
        return;
    }
    for (int r = 0; r < ROLE_COUNT; r++)
        if (strcmp(s, role_names[r]) == 0 && r != ROLE_MATH) {
            c->p->quote_role = r;
            return;
        }
    bad(c, v, "block-quote-font",
        "must be auto or a text font role (body, kai, sans, italic, ...)");
}

static void set_key(pctx *c, const char *key, yaml_node_t *v) {
    print_t *p = c->p;
    if (strcmp(key, "press") == 0) return set_press(c, v);
    for (int r = 0; r < ROLE_COUNT; r++)
        if (strncmp(key, "font-", 5) == 0 && strcmp(key + 5, role_names[r]) == 0)
            return set_fonts(c, v, key, (font_role)r);
    if (strcmp(key, "heading-sizes") == 0) {
        int k = 0;
        if (v->type == YAML_SEQUENCE_NODE)
            for (yaml_node_item_t *i = v->data.sequence.items.start;
                 i < v->data.sequence.items.top && k < 6; i++) {
                yaml_node_t *x = yaml_document_get_node(c->doc, *i);
                if (x && x->type == YAML_SCALAR_NODE &&
                    length((char *)x->data.scalar.value, p->body, &p->h_size[k]))
                    k++;
            }
        if (k != 6) bad(c, v, key, "must list six lengths");
        return;
    }
    if (v->type != YAML_SCALAR_NODE) return bad(c, v, key, "must be a single value");
    const char *s = (const char *)v->data.scalar.value;
    if (strcmp(key, "lines") == 0 || strcmp(key, "toc-depth") == 0) {
        char *end;
        long n = strtol(s, &end, 10);
        if (end == s || *end) n = 0; /* "20x" is not a number */
        if (n < 1 || n > 200) return bad(c, v, key, "must be a whole number from 1 to 200");
        *(strcmp(key, "lines") == 0 ? &p->lines : &p->toc_depth) = (int)n;
        return;
    }
    if (strcmp(key, "code-theme") == 0) {
        if (!hl_theme(s, &p->code_theme)) bad(c, v, key, "must be print, grey or none");
        return;
    }
    if (strcmp(key, "block-quote-font") == 0) return set_quote_font(c, v);
    if (strcmp(key, "block-quote-rule") == 0) {
        set_flag(c, v, key, &p->quote_rule);
        return;
    }
    if (strcmp(key, "code-line-numbers") == 0) {
        set_flag(c, v, key, &p->code_linenos);
        return;
    }
    static const struct {
        const char *key;
        size_t off;
    } lens[] = {{"page-width", offsetof(print_t, page_w)},
                {"page-height", offsetof(print_t, page_h)},
                {"margin-top", offsetof(print_t, margin_top)},
                {"margin-inner", offsetof(print_t, margin_inner)},
                {"body-size", offsetof(print_t, body)},
                {"line-pitch", offsetof(print_t, pitch)},
                {"measure", offsetof(print_t, measure)},
                {"indent", offsetof(print_t, indent)},
                {"code-size", offsetof(print_t, code_size)},
                {"code-pitch", offsetof(print_t, code_pitch)},
                {"table-size", offsetof(print_t, table_size)},
                {"table-pitch", offsetof(print_t, table_pitch)},
                {"note-size", offsetof(print_t, note_size)},
                {"note-pitch", offsetof(print_t, note_pitch)},
                {"block-quote-indent", offsetof(print_t, quote_indent)},
                {"block-quote-right", offsetof(print_t, quote_right)},
                {"list-indent", offsetof(print_t, list_indent)}};
    for (size_t i = 0; i < sizeof lens / sizeof *lens; i++)
        if (strcmp(key, lens[i].key) == 0) {
            if (!length(s, p->body, (float *)((char *)p + lens[i].off)))
                bad(c, v, key, "is not a length (pt, mm or em)");
            return;
        }
    /* an error, not a warning: a misspelt key would print the book wrong */
    diag_add(c->d, DIAG_ERROR, c->file, (int)v->start_mark.line + 1, 1, "unknown key '%s'", key);
}

/* One style document, parsed; root is NULL when the YAML is bad (reported). */
typedef struct {
    yaml_document_t doc;
    yaml_node_t *root;
    const char *file;
} sdoc_t;

static void load_doc(sdoc_t *s, const char *text, size_t len, const char *file, diags_t *d) {
    yaml_parser_t yp;
    yaml_parser_initialize(&yp);
    yaml_parser_set_input_string(&yp, (const unsigned char *)text, len);
    s->file = file;
    s->root = NULL;
    if (!yaml_parser_load(&yp, &s->doc)) {
        diag_add(d, DIAG_ERROR, file, (int)yp.problem_mark.line + 1,
                 (int)yp.problem_mark.column + 1, "bad YAML: %s",
                 yp.problem ? yp.problem : "syntax error");
        yaml_parser_delete(&yp);
        return;
    }
    yaml_parser_delete(&yp);
    s->root = yaml_document_get_root_node(&s->doc);
    if (!s->root) { /* an empty file overrides nothing */
        yaml_document_delete(&s->doc);
        return;
    }
    if (s->root->type != YAML_MAPPING_NODE) {
        diag_add(d, DIAG_ERROR, file, (int)s->root->start_mark.line + 1,
                 (int)s->root->start_mark.column + 1, "a print style must be a mapping of keys");
        yaml_document_delete(&s->doc);
        s->root = NULL;
    }
}

/* The keys of s that are (body pass) or are not body-size. */
static void apply(print_t *p, sdoc_t *s, bool body_pass, diags_t *d) {
    if (!s->root) return;
    pctx c = {p, s->file, d, &s->doc};
    for (yaml_node_pair_t *pr = s->root->data.mapping.pairs.start;
         pr < s->root->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = yaml_document_get_node(&s->doc, pr->key),
                    *v = yaml_document_get_node(&s->doc, pr->value);
        if (!k || !v || k->type != YAML_SCALAR_NODE) continue;
        bool is_body = strcmp((char *)k->data.scalar.value, "body-size") == 0;
        if (is_body == body_pass) set_key(&c, (char *)k->data.scalar.value, v);
    }
}

int print_load(print_t *p, const char *override, diags_t *d) {
    memset(p, 0, sizeof *p);
    p->quote_role = -1;
    int errors = d->errors;
    sdoc_t docs[2];
    int n = 0;
    load_doc(&docs[n++], ghb_print_yaml, ghb_print_yaml_len, "styles/print.yaml", d);
    size_t len;
    char *text = override ? read_file(override, &len) : NULL;
    bool own = text != NULL;
    if (own) load_doc(&docs[n++], text, len, override, d);
    /* body-size from every document first: an em is the final body size, also
       for the built-in style's em lengths when a book changes only body-size */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < n; i++)
            apply(p, &docs[i], pass == 0, d);
    for (int i = 0; i < n; i++)
        if (docs[i].root) yaml_document_delete(&docs[i].doc);
    free(text);
    if (p->lines < 1 || p->measure < p->body * 4 || p->pitch < p->body) {
        diag_add(d, DIAG_ERROR, own ? override : "styles/print.yaml", 1, 1,
                 "the text block must be at least 4 em wide, one line high, with a pitch of at "
                 "least 1 em");
    }
    /* any error in a style is fatal: a book is not printed with half its style.
       On failure p holds nothing to free (print_free on it is harmless). */
    if (d->errors == errors) return 0;
    print_free(p);
    memset(p, 0, sizeof *p);
    return -1;
}

void print_free(print_t *p) {
    free(p->press.profile);
    for (int r = 0; r < ROLE_COUNT; r++)
        for (int k = 0; k < CHAIN_MAX; k++)
            free(p->fonts[r][k]);
}
