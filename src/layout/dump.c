#include "dump.h"
#include "../util/utf8.h"
#include <string.h>

/* Lengths to 0.01 pt, with -0.00 printed as 0.00. */
static double pt(float v) {
    double d = (double)v;
    return d > -0.005 && d < 0.005 ? 0.0 : d;
}

static void put_cp(buf_t *out, uint32_t cp) {
    if (cp == '"' || cp == '\\') {
        buf_printf(out, "\\%c", (char)cp);
    } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0xFFFC) {
        buf_printf(out, "\\u%04X", (unsigned)cp); /* controls and object placeholders */
    } else {
        char u[4];
        buf_put(out, u, utf8_encode(cp, u));
    }
}

static const char *font_name(const fontset_t *fs, int font) {
    if (font < 0 || !fs) return "-";
    const char *f = fontset_family(fs, font);
    const char *slash = f ? strrchr(f, '/') : NULL;
    return slash ? slash + 1 : f ? f : "?";
}

/* A glyph continues the run before it when nothing it is drawn with changes. */
static bool same_run(const glyph_t *a, const glyph_t *b) {
    return a->font == b->font && a->size == b->size && a->rise == b->rise && a->link == b->link &&
           a->note == b->note && a->strike == b->strike && a->under == b->under &&
           a->mark == b->mark && a->color == b->color && a->face == b->face;
}

static void dump_runs(const line_t *ln, const fontset_t *fs, buf_t *out) {
    for (size_t i = 0; i < ln->n;) {
        size_t j = i + 1;
        while (j < ln->n && same_run(&ln->g[i], &ln->g[j]))
            j++;
        const glyph_t *g = &ln->g[i], *e = &ln->g[j - 1];
        buf_printf(out, "      run %.2f..%.2f %s %.2f", pt(g->x), pt(e->x + e->adv),
                   font_name(fs, g->font), pt(g->size));
        if (pt(g->rise) != 0) buf_printf(out, " rise=%.2f", pt(g->rise));
        if (g->link >= 0) buf_printf(out, " link=%d", g->link);
        if (g->note >= 0) buf_printf(out, " note=%d", g->note);
        if (g->strike) buf_puts(out, " strike");
        if (g->under) buf_puts(out, " under");
        if (g->mark) buf_puts(out, " mark");
        if (g->color) buf_printf(out, " color=%06X", (unsigned)g->color);
        if (g->face) buf_printf(out, " face=%u", (unsigned)g->face);
        buf_puts(out, " \"");
        for (size_t k = i; k < j; k++)
            if (ln->g[k].nchars || k == i) put_cp(out, ln->g[k].cp);
        buf_puts(out, "\"\n");
        i = j;
    }
}

static void dump_tag(int tag, const stree_t *tree, buf_t *out) {
    if (tag == TAG_ARTIFACT)
        buf_puts(out, " artifact");
    else if (tag > 0 && tree && (size_t)(tag - 1) < tree->n)
        buf_printf(out, " tag=%s#%d", srole_name(tree->v[tag - 1].role), tag - 1);
}

static void dump_op(const op_t *o, const stree_t *tree, const fontset_t *fs, buf_t *out) {
    static const char *kinds[] = {"glyphs", "rect", "rule", "image", "bullet"};
    buf_printf(out, "    %s x=%.2f y=%.2f", kinds[o->kind], pt(o->x), pt(o->y));
    switch (o->kind) {
    case OP_GLYPHS:
        buf_printf(out, " w=%.2f natural=%.2f%s%s%s", pt(o->line.width), pt(o->line.natural),
                   o->line.justified ? " justified" : "",
                   o->line.word_continues ? " continues" : "",
                   o->line.hyphenated ? " hyphenated" : "");
        break;
    case OP_RECT:
    case OP_RULE:
        buf_printf(out, " w=%.2f h=%.2f gray=%.2f", pt(o->w), pt(o->h), pt(o->gray));
        break;
    case OP_IMAGE:
    case OP_BULLET:
        buf_printf(out, " w=%.2f h=%.2f image=%d", pt(o->w), pt(o->h), o->image);
        break;
    }
    dump_tag(o->tag, tree, out);
    if (o->actual) buf_printf(out, " actual=\"%s\"", o->actual);
    buf_putc(out, '\n');
    if (o->kind == OP_GLYPHS) dump_runs(&o->line, fs, out);
}

void vlist_dump(const vlist_t *l, const stree_t *tree, const fontset_t *fs, buf_t *out) {
    for (size_t i = 0; i < l->n; i++) {
        const vbox_t *b = &l->v[i];
        buf_printf(out, "box %zu h=%.2f", i, pt(b->height));
        if (b->para >= 0)
            buf_printf(out, " para=%d line=%d/%d", b->para, b->line_no, b->line_count);
        if (b->discardable) buf_puts(out, " discardable");
        if (b->keep_with_next) buf_puts(out, " keep");
        if (b->new_page) buf_puts(out, b->recto ? " new-page=recto" : " new-page");
        if (b->heading >= 0) buf_printf(out, " heading=%d", b->heading);
        if (b->anchor >= 0) buf_printf(out, " anchor=%d", b->anchor);
        if (b->repeat >= 0) buf_printf(out, " repeat=%ld", b->repeat);
        if (b->chapter >= 0) buf_printf(out, " chapter=%d", b->chapter);
        for (size_t k = 0; k < b->n_notes; k++)
            buf_printf(out, "%s%d", k ? "," : " notes=", b->notes[k]);
        buf_putc(out, '\n');
        for (size_t k = 0; k < b->n_ops; k++)
            dump_op(&b->ops[k], tree, fs, out);
    }
}

void typeset_dump(const typeset_t *ts, const fontset_t *fs, buf_t *out) {
    buf_puts(out, "== body\n");
    vlist_dump(&ts->body, &ts->tree, fs, out);
    for (size_t i = 0; i < ts->n_notes; i++) {
        buf_printf(out, "== note %zu%s%s\n", i, ts->notes[i].key ? " key=" : "",
                   ts->notes[i].key ? ts->notes[i].key : "");
        vlist_dump(&ts->notes[i].lines, &ts->tree, fs, out);
    }
    buf_puts(out, "== structure\n");
    for (size_t i = 0; i < ts->tree.n; i++) {
        const snode_t *s = &ts->tree.v[i];
        buf_printf(out, "%zu %s parent=%d", i, srole_name(s->role), s->parent);
        if (s->attr) buf_printf(out, " attr=%d", s->attr);
        if (s->alt) buf_printf(out, " alt=\"%s\"", s->alt);
        buf_putc(out, '\n');
    }
}
