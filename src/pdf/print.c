#include "print.h"
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

static void set_key(pctx *c, const char *key, yaml_node_t *v) {
    print_t *p = c->p;
    if (strcmp(key, "press") == 0) return set_press(c, v);
    static const char *font_keys[ROLE_COUNT] = {
        "font-body", "font-sans",      "font-kai",       "font-mono",       "font-italic",
        "font-bold", "font-sans-bold", "font-mono-bold", "font-bold-italic", "font-math"};
    for (int r = 0; r < ROLE_COUNT; r++)
        if (strcmp(key, font_keys[r]) == 0) return set_fonts(c, v, key, (font_role)r);
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
                {"note-pitch", offsetof(print_t, note_pitch)}};
    for (size_t i = 0; i < sizeof lens / sizeof *lens; i++)
        if (strcmp(key, lens[i].key) == 0) {
            if (!length(s, p->body, (float *)((char *)p + lens[i].off)))
                bad(c, v, key, "is not a length (pt, mm or em)");
            return;
        }
    /* an error, not a warning: a misspelt key would print the book wrong */
    diag_add(c->d, DIAG_ERROR, c->file, (int)v->start_mark.line + 1, 1, "unknown key '%s'", key);
}

static int parse(print_t *p, const char *text, size_t len, const char *file, diags_t *d) {
    yaml_parser_t yp;
    yaml_document_t doc;
    yaml_parser_initialize(&yp);
    yaml_parser_set_input_string(&yp, (const unsigned char *)text, len);
    int rc = 0;
    if (!yaml_parser_load(&yp, &doc)) {
        diag_add(d, DIAG_ERROR, file, (int)yp.problem_mark.line + 1,
                 (int)yp.problem_mark.column + 1, "bad YAML: %s",
                 yp.problem ? yp.problem : "syntax error");
        yaml_parser_delete(&yp);
        return -1;
    }
    pctx c = {p, file, d, &doc};
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    /* body-size first: em lengths depend on it */
    for (int pass = 0; root && root->type == YAML_MAPPING_NODE && pass < 2; pass++)
        for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
             pr < root->data.mapping.pairs.top; pr++) {
            yaml_node_t *k = yaml_document_get_node(&doc, pr->key),
                        *v = yaml_document_get_node(&doc, pr->value);
            if (!k || !v || k->type != YAML_SCALAR_NODE) continue;
            bool is_body = strcmp((char *)k->data.scalar.value, "body-size") == 0;
            if (is_body == (pass == 0)) set_key(&c, (char *)k->data.scalar.value, v);
        }
    yaml_document_delete(&doc);
    yaml_parser_delete(&yp);
    return rc;
}

int print_load(print_t *p, const char *override, diags_t *d) {
    memset(p, 0, sizeof *p);
    int rc = parse(p, ghb_print_yaml, ghb_print_yaml_len, "styles/print.yaml", d);
    size_t len;
    char *text = override ? read_file(override, &len) : NULL;
    if (text) {
        rc |= parse(p, text, len, override, d);
        free(text);
    }
    if (p->lines < 1 || p->measure < p->body * 4 || p->pitch < p->body) {
        diag_add(d, DIAG_ERROR, override && text ? override : "styles/print.yaml", 1, 1,
                 "the text block must be at least 4 em wide, one line high, with a pitch of at "
                 "least 1 em");
        rc = -1;
    }
    return rc;
}

void print_free(print_t *p) {
    free(p->press.profile);
    for (int r = 0; r < ROLE_COUNT; r++)
        for (int k = 0; k < CHAIN_MAX; k++)
            free(p->fonts[r][k]);
}
