#include "../book/words.h"
#include "typeset.h"
#include "mathset.h"
#include "code.h"
#include "callout.h"
#include "cellimg.h"
#include "htmlnode.h"
#include "../book/callout.h"
#include "../book/words.h"
#include "../book/htmlscan.h"
#include "../book/mdutil.h"
#include "../book/words.h"
#include "../util/buf.h"
#include "../util/fsutil.h"
#include "../util/strmap.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include <cmark-gfm-core-extensions.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The placeholder a note number is set with; the drawing puts the page's own
   number (①, ②, ...) in its place, all of one width. */
#define NOTE_MARK "\xE2\x91\xA0"

typedef struct {
    book_t *b;
    fontset_t *fs;
    const print_t *ps;
    typeset_t *out;
    int ch;
    int para_id;
    float x, w;     /* the current block's left offset and width */
    font_role role; /* running text role: body, or Kai in quotes */
    bool in_list;   /* paragraphs without first-line indent */
    line_t marker;  /* a list marker waiting for its item's first line */
    float marker_x;
    int bullet; /* the marker is a drawn bullet (bullet_shape), or -1 for text */
    bool has_marker;
    strmap_t missing; /* "<chapter> <cp>" already reported */
    const int *folios;
    cmark_node *node;   /* the block being set, for diagnostics */
    bool latin;         /* the book's language is written in Latin letters */
    hyphenator_t *hyph; /* for the book's language, or NULL */
    mathset_t *ms;      /* the math path (NULL: no math font) */
    bool center;        /* #10: lines centred (HTML align=center) */
    int sn;             /* structure: the node blocks are added under */
    int tag;            /* structure: op tag of the lines being emitted */
    int marker_tag;     /* structure: op tag of a waiting text marker (its Lbl) */
    int sect;           /* structure: the chapter's Sect (notes go there) */
    int hlevel;         /* structure: the last heading level in the chapter */
} ts_t;

/* A paragraph in the book's language; hyphenate: its Latin words may take hyphens. */
static para_t *new_para(ts_t *t, float em, bool hyphenate) {
    para_t *p = para_new(t->fs, em);
    para_set_latin(p, t->latin);
    if (hyphenate) para_set_hyphenator(p, t->hyph);
    return p;
}

/* Headings and table heads: bold sans (Latin) and bold 黑体 (Noto Sans CJK SC Bold). */
static font_role head_role(const ts_t *t) {
    (void)t;
    return ROLE_SANS_BOLD;
}

/* Emphasis is italic and strong bold for Latin text; the roles' chains keep 楷体
   and 黑体 for Han text. */
static font_role emph_role(font_role r) {
    bool bold = r == ROLE_BOLD || r == ROLE_SANS_BOLD || r == ROLE_BOLD_ITALIC;
    return bold ? ROLE_BOLD_ITALIC : ROLE_ITALIC;
}

static font_role strong_role(font_role r) {
    switch (r) {
    case ROLE_SANS:
    case ROLE_SANS_BOLD:
        return ROLE_SANS_BOLD;
    case ROLE_ITALIC:
    case ROLE_BOLD_ITALIC:
        return ROLE_BOLD_ITALIC;
    case ROLE_MONO:
    case ROLE_MONO_BOLD:
        return ROLE_MONO_BOLD;
    default:
        return ROLE_BOLD;
    }
}

static bool is_bold(font_role r) {
    return r == ROLE_BOLD || r == ROLE_SANS_BOLD || r == ROLE_BOLD_ITALIC || r == ROLE_MONO_BOLD;
}

static float ascent(float pitch, float size) {
    return (pitch - size) / 2 + 0.88f * size;
}

/* ---------------------------------------------------------------- diagnostics */

/* Right-to-left scripts are set left to right for now: one warning per chapter. */
static void rtl_warning(ts_t *t, uint32_t cp) {
    char key[48];
    snprintf(key, sizeof key, "%d rtl", t->ch);
    if (strmap_get(&t->missing, key) >= 0) return;
    strmap_put(&t->missing, key, 1);
    int line = 1, col = 1;
    if (t->ch >= 0 && t->node) book_pos(t->b, t->ch, t->node, &line, &col);
    const char *msg = "right-to-left text (from U+%04X) is set left to right: not supported yet";
    if (t->ch >= 0)
        book_diag(t->b, DIAG_WARNING, t->ch, line, col, msg, (unsigned)cp);
    else
        diag_add(t->b->diags, DIAG_WARNING, "book.yaml", 1, 1, msg, (unsigned)cp);
}

static void missing(void *vctx, uint32_t cp, size_t index) {
    ts_t *t = vctx;
    (void)index;
    if (cp & PARA_RTL) return rtl_warning(t, cp & ~PARA_RTL);
    char key[48];
    snprintf(key, sizeof key, "%d %u", t->ch, (unsigned)cp);
    if (strmap_get(&t->missing, key) >= 0) return;
    strmap_put(&t->missing, key, 1);
    int line = 1, col = 1;
    if (t->ch >= 0 && t->node) book_pos(t->b, t->ch, t->node, &line, &col);
    char u[5] = {0};
    u[utf8_encode(cp, u)] = 0;
    if (t->ch >= 0)
        book_diag(t->b, DIAG_WARNING, t->ch, line, col, "no glyph for U+%04X '%s'", (unsigned)cp,
                  u);
    else
        diag_add(t->b->diags, DIAG_WARNING, "book.yaml", 1, 1, "no glyph for U+%04X '%s'",
                 (unsigned)cp, u);
}

/* ---------------------------------------------------------------- boxes */

static int snode(ts_t *t, srole_t role, const char *alt) {
    return stree_add(&t->out->tree, t->sn, role, alt);
}

static vbox_t *box(ts_t *t, float h) {
    vbox_t *b = vlist_add(&t->out->body, h);
    b->chapter = t->ch;
    b->src = t->node;
    return b;
}

static void space(ts_t *t, float h) {
    if (h <= 0) return;
    box(t, h)->discardable = true;
}

static void note_ids(vbox_t *b, const line_t *ln) {
    for (size_t i = 0; i < ln->n; i++) {
        if (ln->g[i].note < 0) continue;
        b->notes = xrealloc(b->notes, (b->n_notes + 1) * sizeof *b->notes);
        b->notes[b->n_notes++] = ln->g[i].note;
    }
}

/* Puts the waiting list marker on box b (the item's first line). */
static void attach_marker(ts_t *t, vbox_t *b, float pitch, float size) {
    if (t->bullet >= 0) {
        float d = size * 0.36f;
        op_t *m = vbox_op(b, OP_BULLET, t->marker_x, ascent(pitch, size) - size * 0.33f - d / 2);
        m->w = m->h = d;
        m->image = t->bullet;
    } else {
        op_t *m = vbox_op(b, OP_GLYPHS, t->marker_x, ascent(pitch, size));
        m->line = t->marker;
        m->tag = t->marker_tag;
    }
    t->has_marker = false;
}

/* Moves laid-out lines into boxes of height pitch, as one paragraph. */
static size_t emit_lines(ts_t *t, lines_t *ls, float x, float pitch, float size) {
    size_t first = t->out->body.n;
    int para = t->para_id++;
    for (size_t i = 0; i < ls->n; i++) {
        vbox_t *b = box(t, pitch);
        b->para = para;
        b->line_no = (int)i;
        b->line_count = (int)ls->n;
        /* the marker first: it is read (and tagged) before the item's text */
        if (i == 0 && t->has_marker) attach_marker(t, b, pitch, size);
        op_t *o = vbox_op(b, OP_GLYPHS, x, ascent(pitch, size));
        o->line = ls->lines[i];
        o->tag = t->tag;
        note_ids(b, &o->line);
        ls->lines[i].g = NULL;
        mathset_line(t->ms, b, b->n_ops - 1);
    }
    lines_free(ls);
    return first;
}

/* ---------------------------------------------------------------- notes */

static void note_text(ts_t *t, para_t *p, int id) {
    pstyle_t mark = {ROLE_BODY, t->ps->note_size, 0, -1, id, false};
    para_text(p, NOTE_MARK, strlen(NOTE_MARK), mark);
    para_text(p, " ", 1, (pstyle_t){ROLE_BODY, t->ps->note_size, 0, -1, -1, false});
}

static void inlines(ts_t *t, para_t *p, cmark_node *parent, pstyle_t base);

/* The note (at the page foot) for book note k, made on first reference. */
static int note_for(ts_t *t, size_t k) {
    if (t->out->note_of[k] >= 0) return t->out->note_of[k];
    typeset_t *o = t->out;
    XGROW(o->notes, o->cap_notes, o->n_notes);
    int id = (int)o->n_notes++;
    pnote_t *pn = &o->notes[id];
    memset(pn, 0, sizeof *pn);
    o->note_of[k] = id;
    const note_t *n = &t->b->notes[k];
    int note = stree_add(&o->tree, t->sect, S_NOTE, NULL);
    o->tree.v[note].attr = id;
    para_t *p = new_para(t, t->ps->note_size, false);
    para_set_ragged(p, true);
    note_text(t, p, id);
    pstyle_t st = {ROLE_BODY, t->ps->note_size, 0, -1, -1, false};
    if (n->kind == NOTE_URL) {
        pn->key = n->url;
        para_text(p, n->url, strlen(n->url), st);
    } else {
        for (cmark_node *c = cmark_node_first_child(n->def); c; c = cmark_node_next(c)) {
            if (c != cmark_node_first_child(n->def)) para_break(p);
            inlines(t, p, c, st);
        }
    }
    /* the lines after the first align with the text after the number */
    int f = fontset_pick(t->fs, ROLE_BODY, 0x2460);
    float hang = f < 0
                     ? 0
                     : (float)(fontset_advance(t->fs, f, 0x2460) + fontset_advance(t->fs, f, ' ')) *
                           t->ps->note_size;
    lines_t ls;
    para_layout(p, t->ps->measure - hang, -hang, &ls, missing, t);
    para_free(p);
    for (size_t i = 0; i < ls.n; i++) {
        vbox_t *b = vlist_add(&pn->lines, t->ps->note_pitch);
        op_t *op = vbox_op(b, OP_GLYPHS, hang, ascent(t->ps->note_pitch, t->ps->note_size));
        op->line = ls.lines[i];
        op->tag = TAG_OF(note);
        ls.lines[i].g = NULL;
        mathset_line(t->ms, b, b->n_ops - 1);
    }
    lines_free(&ls);
    return id;
}

/* ---------------------------------------------------------------- inline content */

/* Paper cannot be clicked: an internal link also names the page it leads to. */
static void page_ref(ts_t *t, para_t *p, cmark_node *link, pstyle_t st) {
    const link_t *l = book_link_of(t->b, link);
    if (!l || l->kind != LINK_INTERNAL) return;
    int folio = 0;
    if (t->folios)
        folio = l->target_anchor >= 0 ? t->folios[l->target_anchor]
                                      : t->folios[t->b->n_anchors + (size_t)l->target_chapter];
    char num[16], ref[128];
    snprintf(num, sizeof num, "%d", folio > 0 ? folio : 0);
    snprintf(ref, sizeof ref, word(lang_kind_of(t->b->meta.lang), W_PAGE_REF), num);
    st.link = (int)(l - t->b->links);
    para_text(p, ref, strlen(ref), st);
}

/* Walks the inline tree under parent with an explicit stack (emphasis bombs nest deep). */
static void inlines(ts_t *t, para_t *p, cmark_node *parent, pstyle_t base) {
    pstyle_t *stack = xmalloc(sizeof *stack * 64);
    size_t depth = 0, cap = 64;
    pstyle_t st = base;
    cmark_iter *it = cmark_iter_new(parent);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (n == parent) continue;
        cmark_node_type type = cmark_node_get_type(n);
        bool enter = ev == CMARK_EVENT_ENTER;
        bool container = type == CMARK_NODE_EMPH || type == CMARK_NODE_STRONG ||
                         type == CMARK_NODE_LINK || md_is(n, "strikethrough") ||
                         type == CMARK_NODE_CUSTOM_INLINE;
        if (container) {
            if (enter) {
                if (depth == cap) stack = xrealloc(stack, sizeof *stack * (cap *= 2));
                stack[depth++] = st;
                if (type == CMARK_NODE_EMPH) st.role = emph_role(st.role);
                if (md_is(n, "strikethrough")) st.strike = true;
                if (type == CMARK_NODE_STRONG) st.role = strong_role(st.role);
                if (type == CMARK_NODE_CUSTOM_INLINE) html_inline_style(n, &st);
                if (type == CMARK_NODE_LINK) {
                    const link_t *l = book_link_of(t->b, n);
                    st.link = l && l->kind != LINK_DEAD ? (int)(l - t->b->links) : -1;
                }
            } else if (depth) {
                st = stack[--depth];
                if (type == CMARK_NODE_LINK) page_ref(t, p, n, st);
            }
            continue;
        }
        if (!enter) continue;
        const char *lit = cmark_node_get_literal(n);
        switch (type) {
        case CMARK_NODE_TEXT:
            para_text(p, lit, strlen(lit), st);
            break;
        case CMARK_NODE_CODE: {
            if (mathset_inline(t->ms, p, n, st)) break;
            pstyle_t c = st;
            c.role = is_bold(st.role) ? ROLE_MONO_BOLD : ROLE_MONO;
            c.size = st.size * 0.9f;
            para_text_keep(p, lit, strlen(lit), c);
            break;
        }
        case CMARK_NODE_SOFTBREAK:
            para_text(p, " ", 1, st);
            break;
        case CMARK_NODE_LINEBREAK:
            para_break(p);
            break;
        case CMARK_NODE_FOOTNOTE_REFERENCE: {
            long k = (long)(uintptr_t)cmark_node_get_user_data(n) - 1;
            if (k < 0) break;
            pstyle_t m = st;
            m.size = st.size * 0.62f;
            m.rise = st.size * 0.38f;
            m.note = note_for(t, (size_t)k);
            m.link = -1;
            para_text(p, NOTE_MARK, strlen(NOTE_MARK), m);
            break;
        }
        case CMARK_NODE_IMAGE: {
            char *alt = md_plain_text(n);
            para_text(p, alt, strlen(alt), st);
            free(alt);
            cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
            break;
        }
        default:
            break;
        }
    }
    cmark_iter_free(it);
    free(stack);
}

static pstyle_t text_style(ts_t *t) {
    return (pstyle_t){t->role, t->ps->body, 0, -1, -1, false};
}

static void paragraph(ts_t *t, cmark_node *n, float indent) {
    para_t *p = new_para(t, t->ps->body, true);
    if (t->center) para_set_ragged(p, true), indent = 0;
    inlines(t, p, n, text_style(t));
    lines_t ls;
    para_layout(p, t->w, indent, &ls, missing, t);
    para_free(p);
    bool short_single = ls.n == 1 && ls.lines[0].natural < t->w - 0.55f * t->ps->body;
    t->tag = TAG_OF(snode(t, S_P, NULL));
    size_t first = emit_lines(t, &ls, t->x, t->ps->pitch, t->ps->body);
    for (size_t i = first; t->center && i < t->out->body.n; i++) {
        op_t *o = &t->out->body.v[i].ops[t->out->body.v[i].n_ops - 1];
        o->x += (t->w - o->line.natural) / 2;
    }
    /* a short one-line paragraph starts where the next one starts: without a little
       air the two read as one paragraph whose first line ends short */
    cmark_node *next = cmark_node_next(n);
    if (short_single && indent > 0 && next && cmark_node_get_type(next) == CMARK_NODE_PARAGRAPH)
        space(t, 0.25f * t->ps->pitch);
}

/* ---------------------------------------------------------------- blocks */

static void blocks(ts_t *t, cmark_node *parent);

/* Rounds a block's height up to whole lines, so body text stays on the grid. */
static void to_grid(ts_t *t, float used) {
    float p = t->ps->pitch, rest = ceilf(used / p - 0.001f) * p - used;
    if (rest > 0.01f) box(t, rest)->keep_with_next = true;
}

static void heading(ts_t *t, cmark_node *n, bool opener) {
    int level = cmark_node_get_heading_level(n);
    float size = t->ps->h_size[level - 1], lp = ceilf(size * 1.45f);
    float before = opener ? 3 * t->ps->pitch : level <= 2 ? t->ps->pitch : t->ps->pitch * 0.5f;
    float after = opener ? 2 * t->ps->pitch : level <= 2 ? t->ps->pitch * 0.5f : 0;
    /* only top-level chapters open a right-hand page; nested ones run on */
    bool top = opener && t->b->chapters[t->ch].depth == 0;
    vbox_t *sp = box(t, before);
    sp->discardable = !top;
    sp->new_page = sp->recto = top;
    sp->keep_with_next = true;
    para_t *p = new_para(t, size, false);
    inlines(t, p, n, (pstyle_t){head_role(t), size, 0, -1, -1, false});
    lines_t ls;
    para_layout(p, t->w, 0, &ls, missing, t);
    para_free(p);
    size_t nl = ls.n;
    /* heading levels do not skip (PDF/UA): a ### after a # is an H2 */
    int sl = level > t->hlevel + 1 ? t->hlevel + 1 : level;
    t->hlevel = sl;
    t->tag = TAG_OF(snode(t, (srole_t)(S_H1 + sl - 1), NULL));
    size_t first = emit_lines(t, &ls, t->x, lp, size);
    const heading_t *h = book_heading_of(t->b, n);
    for (size_t i = first; i < t->out->body.n; i++) {
        vbox_t *b = &t->out->body.v[i];
        b->keep_with_next = true;
        b->para = -1;
        if (i == first && h) {
            b->heading = (int)(h - t->b->headings);
            b->anchor = (int)h->anchor;
        }
    }
    box(t, after)->keep_with_next = true;
    to_grid(t, before + (float)nl * lp + after);
}

static int bullet_of(cmark_node *list, int depth, cmark_node *item) {
    if (md_is(item, "tasklist"))
        return cmark_gfm_extensions_get_tasklist_item_checked(item) ? BULLET_CHECKED : BULLET_BOX;
    if (cmark_node_get_list_type(list) == CMARK_ORDERED_LIST) return -1;
    return depth % 3 == 0 ? BULLET_DISC : depth % 3 == 1 ? BULLET_CIRCLE : BULLET_SQUARE;
}

static void set_marker(ts_t *t, cmark_node *list, int index, int depth, cmark_node *item) {
    if (t->has_marker && t->bullet < 0) free(t->marker.g);
    t->bullet = bullet_of(list, depth, item);
    t->has_marker = true;
    float em = t->ps->body;
    if (t->bullet >= 0) {
        /* task boxes are wider than bullets: they stand further out */
        t->marker_x = t->x - (t->bullet >= BULLET_BOX ? 1.1f : 0.86f) * em;
        return;
    }
    char num[32];
    snprintf(num, sizeof num, "%d.", cmark_node_get_list_start(list) + index);
    t->marker_tag = TAG_OF(snode(t, S_LBL, NULL));
    para_t *p = new_para(t, em, false);
    para_text(p, num, strlen(num), text_style(t));
    lines_t ls;
    para_layout(p, 1e5f, 0, &ls, missing, t);
    para_free(p);
    memset(&t->marker, 0, sizeof t->marker);
    if (ls.n) {
        t->marker = ls.lines[0];
        ls.lines[0].g = NULL;
    }
    t->marker_x = t->x - t->marker.natural - 0.4f * em;
    lines_free(&ls);
}

static void list(ts_t *t, cmark_node *n, int depth) {
    float indent = 2 * t->ps->body;
    float x = t->x, w = t->w;
    bool in_list = t->in_list;
    if (t->w - indent >= 4 * t->ps->body) t->x += indent, t->w -= indent;
    t->in_list = true;
    int sn = t->sn, l = snode(t, S_L, NULL);
    t->out->tree.v[l].attr = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
    int i = 0;
    for (cmark_node *item = cmark_node_first_child(n); item; item = cmark_node_next(item), i++) {
        /* a little air between items tells them apart from the lines of one paragraph */
        space(t, 0.25f * t->ps->pitch);
        t->sn = l;
        t->sn = snode(t, S_LI, NULL);
        set_marker(t, n, i, depth, item);
        t->sn = snode(t, S_LBODY, NULL);
        blocks(t, item);
        if (t->has_marker) /* an item with no text: its marker on a line of its own */
            attach_marker(t, box(t, t->ps->pitch), t->ps->pitch, t->ps->body);
    }
    t->x = x, t->w = w, t->in_list = in_list, t->sn = sn;
    space(t, 0.25f * t->ps->pitch);
}

static void code_block(ts_t *t, cmark_node *n) {
    code_env_t env = {
        t->fs, t->ps, t->ch, missing, t, t->para_id++, TAG_OF(snode(t, S_CODE, NULL))};
    code_set(&t->out->body, &env, cmark_node_get_literal(n), cmark_node_get_fence_info(n), t->x,
             t->w);
}

/* A callout (#10): its label beside a drawn icon, its blocks inset, all on a
   shaded frame with a bar down the left (src/layout/callout.c). */
static void callout(ts_t *t, cmark_node *n, int kind) {
    const print_t *ps = t->ps;
    const char *title = cmark_node_get_on_exit(n);
    const char *label = title && *title
                            ? title
                            : word(lang_kind_of(t->b->meta.lang), (word_id)(W_CALLOUT_NOTE + kind));
    float x = t->x, w = t->w, em = ps->body;
    font_role role = t->role;
    bool in_list = t->in_list;
    space(t, 0.5f * ps->pitch);
    size_t first = t->out->body.n;
    box(t, 0.3f * ps->pitch)->keep_with_next = true;
    t->x += 1.2f * em, t->w -= 1.7f * em;
    size_t lab = typeset_text(&t->out->body, t->fs, ps, label, ROLE_SANS, em, ps->pitch,
                              t->x + 1.5f * em, t->w - 1.5f * em, 0);
    for (size_t i = lab; i < t->out->body.n; i++) {
        t->out->body.v[i].chapter = t->ch;
        t->out->body.v[i].keep_with_next = true;
    }
    callout_icon(&t->out->body.v[lab], kind, t->x, (ps->pitch - 1.1f * em) / 2, 1.1f * em);
    t->in_list = true; /* no first-line indent inside */
    t->role = ROLE_BODY;
    blocks(t, n);
    box(t, 0.3f * ps->pitch);
    callout_frame(&t->out->body, first, t->out->body.n, x, w);
    t->x = x, t->w = w, t->role = role, t->in_list = in_list;
    space(t, 0.5f * ps->pitch);
}

/* A block from raw HTML (src/book/rawhtml.c): centred lines, a term in bold,
   a definition indented, a caption centred; anything else as its blocks. */
static void html_box(ts_t *t, cmark_node *n) {
    float x = t->x, w = t->w, em = t->ps->body;
    font_role role = t->role;
    bool center = t->center, in_list = t->in_list;
    switch (html_block_kind_of(n)) {
    case HB_CENTER:
    case HB_CAPTION:
        t->center = true;
        break;
    case HB_TERM:
        t->role = ROLE_SANS, t->in_list = true;
        break;
    case HB_DEFINITION:
        if (t->w > 8 * em) t->x += 2 * em, t->w -= 2 * em;
        t->in_list = true;
        break;
    case HB_PLAIN:
    case HB_FIGURE:
        break;
    }
    size_t first_box = t->out->body.n;
    cmark_node *first = cmark_node_first_child(n);
    if (first && md_is_inline(first)) /* a term, summary or caption: one paragraph */
        paragraph(t, n, 0);
    else
        blocks(t, n);
    if (html_block_kind_of(n) == HB_FIGURE) /* a figure keeps its caption on its page */
        for (size_t i = first_box; i + 1 < t->out->body.n; i++)
            t->out->body.v[i].keep_with_next = true;
    t->x = x, t->w = w, t->role = role, t->center = center, t->in_list = in_list;
}

static void rule(float x, float y, float w, float h, vbox_t *b) {
    op_t *o = vbox_op(b, OP_RULE, x, y);
    o->w = w, o->h = h, o->gray = 0.35f;
}

static void thematic_break(ts_t *t) {
    vbox_t *b = box(t, t->ps->pitch);
    rule(t->x + t->w * 0.375f, t->ps->pitch / 2, t->w * 0.25f, 0, b);
}

/* ---------------------------------------------------------------- tables */

typedef struct {
    lines_t lines;
    para_t *p; /* NULL for a cell of pictures only */
    float natural;
    cellimgs_t imgs;
} cell_t;

/* A cell's paragraph: ragged and broken only between words (its column is at
   least as wide as its longest word), so never hyphenated. */
static para_t *cell_para(ts_t *t, cmark_node *c, float size, bool head) {
    para_t *p = new_para(t, size, false);
    para_set_ragged(p, true);
    para_set_words_only(p, true);
    t->node = c;
    inlines(t, p, c, (pstyle_t){head ? head_role(t) : ROLE_BODY, size, 0, -1, -1, false});
    return p;
}

static void table(ts_t *t, cmark_node *n) {
    const print_t *ps = t->ps;
    int cols = cmark_gfm_extensions_get_table_columns(n);
    uint8_t *align = cmark_gfm_extensions_get_table_alignments(n);
    size_t rows = 0;
    for (cmark_node *r = cmark_node_first_child(n); r; r = cmark_node_next(r))
        rows++;
    if (!cols || !rows) return;
    cell_t *cells = xcalloc(rows * (size_t)cols, sizeof *cells);
    float pad = 0.4f * ps->table_size, size = ps->table_size;
    float *nat = xcalloc((size_t)cols, sizeof *nat), *least = xcalloc((size_t)cols, sizeof *least);
    size_t ri = 0;
    for (cmark_node *r = cmark_node_first_child(n); r; r = cmark_node_next(r), ri++) {
        bool head = md_is(r, "table_header");
        int ci = 0;
        for (cmark_node *c = cmark_node_first_child(r); c && ci < cols;
             c = cmark_node_next(c), ci++) {
            cell_t *cell = &cells[ri * (size_t)cols + (size_t)ci];
            cellimgs_collect(t->b, c, &cell->imgs);
            for (size_t k = 0; k < cell->imgs.n; k++)
                if (cell->imgs.v[k].w > cell->natural) cell->natural = cell->imgs.v[k].w;
            if (cell->imgs.only) {
                if (cell->natural + 2 * pad > nat[ci]) nat[ci] = cell->natural + 2 * pad;
                continue;
            }
            cell->p = cell_para(t, c, size, head);
            float word = para_min_width(cell->p) + 2 * pad;
            if (word > least[ci]) least[ci] = word;
            lines_t probe;
            para_layout(cell->p, 1e5f, 0, &probe, missing, t);
            for (size_t k = 0; k < probe.n; k++)
                if (probe.lines[k].natural > cell->natural) cell->natural = probe.lines[k].natural;
            lines_free(&probe);
            if (cell->natural + 2 * pad > nat[ci]) nat[ci] = cell->natural + 2 * pad;
        }
    }
    /* column widths from content. A table too wide gives each column at least
       its longest word (and 3 em), the rest in proportion to what each wants;
       when even the words do not fit, the whole table is set smaller. */
    float total = 0, floor_sum = 0;
    for (int c = 0; c < cols; c++) {
        least[c] = fminf(nat[c], fmaxf(least[c], 3 * size));
        total += nat[c], floor_sum += least[c];
    }
    float scale = 1;
    if (total > t->w) {
        if (floor_sum >= t->w) {
            scale = t->w / floor_sum;
            for (int c = 0; c < cols; c++)
                nat[c] = least[c] * scale;
        } else {
            float room = t->w - floor_sum, want = total - floor_sum;
            for (int c = 0; c < cols; c++)
                nat[c] = least[c] + room * (nat[c] - least[c]) / want;
        }
    }
    float pitch = ps->table_pitch * scale, tw = 0;
    for (int c = 0; c < cols; c++)
        tw += nat[c];
    float x0 = t->x + (t->w - tw) / 2;
    float max_h = ps->lines * ps->pitch * 0.6f; /* pictures in a row, with room for its text */
    space(t, 0.5f * ps->pitch);
    long header = -1;
    ri = 0;
    int sn = t->sn;
    t->sn = snode(t, S_TABLE, NULL);
    int tr = -1;
    for (cmark_node *r = cmark_node_first_child(n); r; r = cmark_node_next(r), ri++) {
        bool head = md_is(r, "table_header");
        tr = stree_add(&t->out->tree, t->sn, S_TR, NULL);
        size_t maxl = 1;
        for (int c = 0; c < cols; c++) {
            cell_t *cell = &cells[ri * (size_t)cols + (size_t)c];
            if (!cell->p) continue;
            if (scale < 1) {
                /* shrink the text with the table: set again at the smaller size */
                para_free(cell->p);
                cmark_node *cn = cmark_node_first_child(r);
                for (int k = 0; k < c && cn; k++)
                    cn = cmark_node_next(cn);
                cell->p = cell_para(t, cn, size * scale, head);
            }
            para_layout(cell->p, fmaxf(nat[c] - 2 * pad * scale, size * scale), 0, &cell->lines,
                        missing, t);
            if (cell->lines.n > maxl) maxl = cell->lines.n;
        }
        float inner = (float)maxl * pitch; /* the tallest cell's text and pictures */
        for (int c = 0; c < cols; c++) {
            const cell_t *cell = &cells[ri * (size_t)cols + (size_t)c];
            if (!cell->imgs.n) continue;
            float ih = (float)cell->lines.n * pitch + (cell->lines.n ? CELLIMG_GAP : 0) +
                       cellimgs_height(&cell->imgs, nat[c] - 2 * pad * scale, max_h);
            if (ih > inner) inner = ih;
        }
        float h = inner + 2 * pad * scale;
        vbox_t *b = box(t, h);
        b->repeat = head ? -1 : header;
        if (head) {
            header = (long)(t->out->body.n - 1);
            b->keep_with_next = true;
            op_t *bg = vbox_op(b, OP_RECT, x0, 0);
            bg->w = tw, bg->h = h, bg->gray = 0.9f;
        }
        float cx = x0;
        for (int c = 0; c < cols; c++) {
            cell_t *cell = &cells[ri * (size_t)cols + (size_t)c];
            int cn = stree_add(&t->out->tree, tr, head ? S_TH : S_TD, NULL);
            t->out->tree.v[cn].attr = head;
            for (size_t k = 0; k < cell->lines.n; k++) {
                line_t *ln = &cell->lines.lines[k];
                float room = nat[c] - 2 * pad * scale - ln->natural, dx = 0;
                if (align && align[c] == 'r') dx = room;
                if (align && align[c] == 'c') dx = room / 2;
                op_t *o = vbox_op(b, OP_GLYPHS, cx + pad * scale + (ln->justified ? 0 : dx),
                                  pad * scale + (float)k * pitch + ascent(pitch, size * scale));
                o->line = *ln;
                o->tag = TAG_OF(cn);
                note_ids(b, ln);
                ln->g = NULL;
                mathset_line(t->ms, b, b->n_ops - 1);
            }
            float iy =
                pad * scale + (float)cell->lines.n * pitch + (cell->lines.n ? CELLIMG_GAP : 0);
            cellimgs_draw(&cell->imgs, b, cx + pad * scale, iy, nat[c] - 2 * pad * scale, max_h,
                          &t->out->tree, cn);
            lines_free(&cell->lines);
            rule(cx, 0, 0, h, b);
            cx += nat[c];
        }
        rule(cx, 0, 0, h, b);
        rule(x0, 0, tw, 0, b);
        if (!cmark_node_next(r)) rule(x0, h, tw, 0, b);
    }
    t->sn = sn;
    for (size_t k = 0; k < rows * (size_t)cols; k++)
        para_free(cells[k].p), cellimgs_free(&cells[k].imgs);
    free(cells);
    free(nat);
    free(least);
    space(t, 0.5f * ps->pitch);
}

/* ---------------------------------------------------------------- images and HTML */

/* Draws an image centred on its own lines: its pixel size (96 an inch), or
   the width/height raw HTML asks for (ask_w/ask_h > 0, in pixels; one alone
   keeps the aspect), scaled down to the text width and the page. */
static void draw_image(ts_t *t, cmark_node *n, const image_t *im, float ask_w, float ask_h);

static void image_block(ts_t *t, cmark_node *n) {
    const image_t *im = book_image_of(t->b, n);
    if (im) draw_image(t, n, im, 0, 0);
}

static void draw_image(ts_t *t, cmark_node *n, const image_t *im, float ask_w, float ask_h) {
    int pw, ph;
    bool ok = image_pixel_size(im->file, &pw, &ph);
    if (!ok) {
        int line, col;
        book_pos(t->b, t->ch, n, &line, &col);
        book_diag(t->b, DIAG_WARNING, t->ch, line, col, "image '%s' cannot be decoded; left out",
                  im->path);
        return;
    }
    if (ask_w > 0 && ask_h <= 0) ask_h = ask_w * (float)ph / (float)pw;
    if (ask_h > 0 && ask_w <= 0) ask_w = ask_h * (float)pw / (float)ph;
    float w = (ask_w > 0 ? ask_w : (float)pw) * 0.75f, h = (ask_h > 0 ? ask_h : (float)ph) * 0.75f;
    float maxh = t->ps->lines * t->ps->pitch * 0.8f;
    if (w > t->w) h *= t->w / w, w = t->w;
    if (h > maxh) w *= maxh / h, h = maxh;
    float total = ceilf((h + t->ps->pitch * 0.5f) / t->ps->pitch) * t->ps->pitch;
    bool vector = im->src_type && strcmp(im->src_type, "image/svg+xml") == 0;
    if (t->ps->press.on && !vector && !t->folios && (float)pw * 72 / w < 299.5f) { /* first pass */
        int line, col;
        book_pos(t->b, t->ch, n, &line, &col);
        book_diag(t->b, DIAG_WARNING, t->ch, line, col,
                  "image '%s' is %.0f dpi at its printed size; print wants 300", im->path,
                  (double)((float)pw * 72 / w));
    }
    vbox_t *b = box(t, total);
    op_t *o = vbox_op(b, OP_IMAGE, t->x + (t->w - w) / 2, (total - h) / 2);
    o->w = w, o->h = h, o->image = (int)(im - t->b->images);
    /* a figure without alt text is described by its file name */
    char *alt = md_plain_text(n);
    o->tag = TAG_OF(snode(t, S_FIGURE, *alt ? alt : im->path));
    free(alt);
}

static void html_images(ts_t *t, cmark_node *n);

static void images_in(ts_t *t, cmark_node *para) {
    cmark_iter *it = cmark_iter_new(para);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *x = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER) continue;
        if (cmark_node_get_type(x) == CMARK_NODE_IMAGE) image_block(t, x);
        if (cmark_node_get_type(x) == CMARK_NODE_HTML_INLINE) html_images(t, x);
    }
    cmark_iter_free(it);
}

static bool only_images(cmark_node *para) {
    for (cmark_node *c = cmark_node_first_child(para); c; c = cmark_node_next(c)) {
        cmark_node_type ty = cmark_node_get_type(c);
        if (ty == CMARK_NODE_IMAGE || ty == CMARK_NODE_SOFTBREAK || ty == CMARK_NODE_LINEBREAK)
            continue;
        if (ty == CMARK_NODE_TEXT &&
            strspn(cmark_node_get_literal(c), " ") == strlen(cmark_node_get_literal(c)))
            continue;
        return false;
    }
    return true;
}

/* The <img> tags of raw HTML: source and asked size, grouped by tag offset. */
typedef struct {
    size_t off;
    char *src;
    float w, h;
} html_img_t;

typedef struct {
    html_img_t *v;
    size_t n, cap;
} html_imgs_t;

static float css_px(const char *v) {
    char *end;
    float f = strtof(v, &end);
    return f > 0 && (*end == '\0' || strncmp(end, "px", 2) == 0) ? f : 0; /* "50%" is not a size */
}

static void on_img_attr(void *vc, const char *tag, const char *attr, const char *value,
                        size_t off) {
    html_imgs_t *c = vc;
    if (strcmp(tag, "img") != 0) return;
    if (!c->n || c->v[c->n - 1].off != off) {
        XGROW(c->v, c->cap, c->n);
        c->v[c->n++] = (html_img_t){off, NULL, 0, 0};
    }
    html_img_t *im = &c->v[c->n - 1];
    if (strcmp(attr, "src") == 0 && !im->src) im->src = xstrdup(value);
    if (strcmp(attr, "width") == 0) im->w = css_px(value);
    if (strcmp(attr, "height") == 0) im->h = css_px(value);
}

/* Draws the images raw HTML names (the loader has indexed and checked them). */
static void html_images(ts_t *t, cmark_node *n) {
    html_imgs_t imgs = {0};
    html_scan_attrs(cmark_node_get_literal(n), on_img_attr, &imgs);
    for (size_t i = 0; i < imgs.n; i++) {
        image_t *im = imgs.v[i].src ? book_find_image(t->b, t->ch, imgs.v[i].src) : NULL;
        if (!im && imgs.v[i].src && url_has_scheme(imgs.v[i].src))
            for (size_t k = 0; k < t->b->n_images && !im; k++)
                if (strcmp(t->b->images[k].path, imgs.v[i].src) == 0) im = &t->b->images[k];
        if (im) draw_image(t, n, im, imgs.v[i].w, imgs.v[i].h);
        free(imgs.v[i].src);
    }
    free(imgs.v);
}

/* Raw HTML blocks: their text, without tags, then their images. */
static void html_block(ts_t *t, cmark_node *n) {
    const char *s = cmark_node_get_literal(n);
    buf_t b;
    buf_init(&b);
    bool in_tag = false;
    for (; *s; s++) {
        if (*s == '<')
            in_tag = true;
        else if (*s == '>')
            in_tag = false, buf_putc(&b, ' ');
        else if (!in_tag)
            buf_putc(&b, *s);
    }
    size_t k = 0;
    while (k < b.len && (b.data[k] == ' ' || b.data[k] == '\n'))
        k++;
    if (k < b.len) {
        para_t *p = new_para(t, t->ps->body, true);
        para_text(p, b.data + k, b.len - k, text_style(t));
        lines_t ls;
        para_layout(p, t->w, 0, &ls, missing, t);
        para_free(p);
        t->tag = TAG_OF(snode(t, S_P, NULL));
        emit_lines(t, &ls, t->x, t->ps->pitch, t->ps->body);
    }
    buf_free(&b);
    html_images(t, n);
}

/* In Latin books a paragraph that opens its chapter, section or quote starts
   flush left: an indent there marks nothing (English convention). */
static bool opens_latin(const ts_t *t, cmark_node *n) {
    cmark_node *prev = cmark_node_previous(n);
    return t->latin && (!prev || cmark_node_get_type(prev) == CMARK_NODE_HEADING ||
                        cmark_node_get_type(prev) == CMARK_NODE_THEMATIC_BREAK);
}

static void block(ts_t *t, cmark_node *n, int depth) {
    t->node = n;
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_PARAGRAPH:
        if (mathset_display(t->ms, &t->out->body, n, t->x, t->w, t->ps->pitch, t->ps->body, t->ch))
            break;
        if (!only_images(n)) paragraph(t, n, t->in_list || opens_latin(t, n) ? 0 : t->ps->indent);
        images_in(t, n);
        break;
    case CMARK_NODE_HEADING: {
        const heading_t *h = book_heading_of(t->b, n);
        bool opener = h && book_heading_opens_chapter(t->b, h);
        heading(t, n, opener);
        break;
    }
    case CMARK_NODE_LIST:
        list(t, n, depth);
        break;
    case CMARK_NODE_BLOCK_QUOTE: {
        float x = t->x, w = t->w;
        font_role role = t->role;
        if (t->w - 4 * t->ps->body >= 6 * t->ps->body)
            t->x += 2 * t->ps->body, t->w -= 4 * t->ps->body;
        t->role = t->latin ? ROLE_BODY : ROLE_KAI; /* Kai quotes are a Chinese convention */
        int sn = t->sn;
        t->sn = snode(t, S_BLOCKQUOTE, NULL);
        space(t, 0.5f * t->ps->pitch);
        blocks(t, n);
        space(t, 0.5f * t->ps->pitch);
        t->x = x, t->w = w, t->role = role, t->sn = sn;
        break;
    }
    case CMARK_NODE_CODE_BLOCK:
        code_block(t, n);
        break;
    case CMARK_NODE_HTML_BLOCK:
        html_block(t, n);
        break;
    case CMARK_NODE_THEMATIC_BREAK:
        thematic_break(t);
        break;
    case CMARK_NODE_FOOTNOTE_DEFINITION:
        break; /* set at the page foot */
    case CMARK_NODE_CUSTOM_BLOCK:
        if (callout_kind_of(n) >= 0)
            callout(t, n, callout_kind_of(n));
        else
            html_box(t, n);
        break;
    default:
        if (md_is(n, "table"))
            table(t, n);
        else
            blocks(t, n);
    }
}

static void blocks(ts_t *t, cmark_node *parent) {
    int depth = 0;
    for (cmark_node *a = parent; a; a = cmark_node_parent(a))
        depth += cmark_node_get_type(a) == CMARK_NODE_LIST;
    for (cmark_node *n = cmark_node_first_child(parent); n; n = cmark_node_next(n))
        block(t, n, depth);
}

/* A SUMMARY.md part ("# Part title"): its own right-hand page, the title set
   large a third of the way down. Its boxes belong to no chapter, so the
   chapter that follows still starts (and is found) on its own page. */
static void part_page(ts_t *t, const char *title) {
    size_t first = t->out->body.n;
    float size = t->ps->h_size[0] * 1.25f, lp = ceilf(size * 1.45f);
    vbox_t *sp = box(t, 8 * t->ps->pitch);
    sp->new_page = sp->recto = true;
    sp->keep_with_next = true;
    typeset_text(&t->out->body, t->fs, t->ps, title, ROLE_SANS, size, lp, 0, t->ps->measure, 1);
    for (size_t i = first; i < t->out->body.n; i++) {
        t->out->body.v[i].chapter = -1;
        t->out->body.v[i].para = -1;
    }
}

void typeset_book(book_t *b, fontset_t *fs, const print_t *ps, const int *folios, typeset_t *out) {
    memset(out, 0, sizeof *out);
    out->note_of = xmalloc((b->n_notes + 1) * sizeof *out->note_of);
    for (size_t i = 0; i < b->n_notes; i++)
        out->note_of[i] = -1;
    ts_t t = {.b = b, .fs = fs, .ps = ps, .out = out, .role = ROLE_BODY, .folios = folios};
    t.latin = !lang_is_cjk(lang_kind_of(b->meta.lang));
    /* Chinese books set their few Latin words without hyphens (a decision in DECISIONS.md) */
    if (t.latin)
        t.hyph = hyphenator_open(b->meta.lang, b->meta.hyphenation_exceptions,
                                 b->meta.n_hyphenation_exceptions);
    strmap_init(&t.missing);
    t.ms = mathset_new(b, fs);
    /* chapters nest as sections by their SUMMARY.md depth */
    int sects[16];
    sects[0] = stree_add(&out->tree, -1, S_DOCUMENT, NULL);
    for (int k = 1; k < 16; k++)
        sects[k] = sects[0];
    for (size_t c = 0; c < b->n_chapters; c++) {
        t.ch = (int)c;
        t.x = 0, t.w = ps->measure;
        int d = b->chapters[c].depth < 0    ? 0
                : b->chapters[c].depth > 14 ? 14
                                            : b->chapters[c].depth;
        t.sn = t.sect = sects[d + 1] = stree_add(&out->tree, sects[d], S_SECT, NULL);
        for (int k = d + 2; k < 16; k++)
            sects[k] = sects[d + 1];
        t.hlevel = 0;
        size_t first = out->body.n;
        const chapter_t *chap = &b->chapters[c];
        if (chap->part) part_page(&t, chap->part);
        first = out->body.n;
        cmark_node *doc = chap->doc;
        cmark_node *lead = cmark_node_first_child(doc);
        const heading_t *lh = lead && cmark_node_get_type(lead) == CMARK_NODE_HEADING
                                  ? book_heading_of(b, lead)
                                  : NULL;
        if (!lh || !book_heading_opens_chapter(b, lh)) {
            /* a chapter without its own title is headed by its SUMMARY.md title */
            cmark_node *hn = cmark_node_new(CMARK_NODE_HEADING);
            cmark_node_set_heading_level(hn, 1);
            cmark_node *tx = cmark_node_new(CMARK_NODE_TEXT);
            cmark_node_set_literal(tx, chap->title);
            cmark_node_append_child(hn, tx);
            heading(&t, hn, true);
            cmark_node_free(hn);
        }
        blocks(&t, doc);
        if (out->body.n > first && chap->depth == 0)
            out->body.v[first].new_page = out->body.v[first].recto = true;
    }
    if (t.has_marker && t.bullet < 0) free(t.marker.g);
    strmap_free(&t.missing);
    hyphenator_free(t.hyph);
    mathset_free(t.ms);
}

void typeset_free(typeset_t *t) {
    vlist_free(&t->body);
    for (size_t i = 0; i < t->n_notes; i++)
        vlist_free(&t->notes[i].lines);
    free(t->notes);
    free(t->note_of);
    stree_free(&t->tree);
    memset(t, 0, sizeof *t);
}

size_t typeset_text(vlist_t *out, fontset_t *fs, const print_t *ps, const char *text,
                    font_role role, float size, float pitch, float x, float w, int align) {
    para_t *p = para_new(fs, size);
    /* titles and front matter break between words only; centred lines stay ragged */
    para_set_words_only(p, true);
    para_set_ragged(p, align != 0);
    para_text(p, text, strlen(text), (pstyle_t){role, size, 0, -1, -1, false});
    lines_t ls;
    para_layout(p, w, 0, &ls, NULL, NULL);
    para_free(p);
    size_t first = out->n;
    for (size_t i = 0; i < ls.n; i++) {
        line_t *ln = &ls.lines[i];
        float dx = align == 1 ? (w - ln->natural) / 2 : align == 2 ? w - ln->natural : 0;
        if (ls.n > 1 && i + 1 < ls.n && align == 0) dx = 0;
        vbox_t *b = vlist_add(out, pitch);
        op_t *o = vbox_op(b, OP_GLYPHS, x + dx, ascent(pitch, size));
        o->line = *ln;
        ln->g = NULL;
    }
    lines_free(&ls);
    (void)ps;
    return first;
}
