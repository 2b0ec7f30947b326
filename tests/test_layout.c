/* Unit tests of the paragraph layout engine: one crafted paragraph per rule of
   typography.md, checking line contents and positions. No PDF is involved. */
#include "check.h"
#include "layout/htmlimg.h"
#include "layout/para.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include <math.h>
#include <stdlib.h>

static fontset_t *fs;
static const float EM = 10.5f;

static pstyle_t body(void) {
    return (pstyle_t){ROLE_BODY, EM, 0, -1, -1, false};
}

static void missing_count(void *ctx, uint32_t cp, size_t i) {
    (void)cp, (void)i;
    ++*(int *)ctx;
}

/* Lays text out at width em*w_em; returns the lines. */
static lines_t layout(const char *text, float w_em, float indent_em, int *missing) {
    para_t *p = para_new(fs, EM);
    para_text(p, text, strlen(text), body());
    lines_t l;
    int dummy = 0;
    para_layout(p, w_em * EM, indent_em * EM, &l, missing_count, missing ? missing : &dummy);
    para_free(p);
    return l;
}

static char *line_text(const line_t *ln) {
    buf_t b;
    buf_init(&b);
    char u[4];
    for (size_t i = 0; i < ln->n; i++)
        buf_put(&b, u, utf8_encode(ln->g[i].cp, u));
    return buf_detach(&b);
}

static void dump(const lines_t *l) {
    for (size_t i = 0; i < l->n; i++) {
        char *t = line_text(&l->lines[i]);
        fprintf(stderr, "  %2zu [%6.2f/%6.2f] %s\n", i, l->lines[i].natural, l->lines[i].width, t);
        free(t);
    }
}

static uint32_t first_cp(const line_t *ln) {
    return ln->n ? ln->g[0].cp : 0;
}
static uint32_t last_cp(const line_t *ln) {
    return ln->n ? ln->g[ln->n - 1].cp : 0;
}

/* Every line but the last fills the measure: its last glyph ends at the right
   edge, or, for a closing mark set half-width, half an em before it. */
static bool justified(const lines_t *l) {
    for (size_t i = 0; i + 1 < l->n; i++) {
        const line_t *ln = &l->lines[i];
        const glyph_t *g = &ln->g[ln->n - 1];
        float end = g->x + g->adv;
        bool ok = fabsf(end - ln->width) < 0.05f || fabsf(end - 0.5f * g->size - ln->width) < 0.05f;
        if (!ok) {
            dump(l);
            fprintf(stderr, "line %zu ends at %.2f, measure %.2f\n", i, end, ln->width);
            return false;
        }
    }
    return true;
}

static bool nothing_past(const lines_t *l) {
    for (size_t i = 0; i < l->n; i++)
        for (size_t k = 0; k < l->lines[i].n; k++) {
            const glyph_t *g = &l->lines[i].g[k];
            if (g->x < -0.01f || g->x + g->adv > l->lines[i].width + 0.5f * g->size + 0.05f)
                return false;
        }
    return true;
}

static const char *no_start = "、，。．；：？！”’」』）》〉";
static const char *no_end = "“‘「『（《〈";

static bool utf8_has(const char *set, uint32_t cp) {
    char u[5] = {0};
    u[utf8_encode(cp, u)] = 0;
    return cp && strstr(set, u) != NULL;
}

static void test_kinsoku(void) {
    /* rules 1 and 2: commas, stops and closing marks never start a line; opening marks never end
     * one */
    const char *t =
        "一二三四五六七八九十，一二三四五六七八九，“一二三四五六七八”（一二三四五六）一二三四五六七"
        "八九十。"
        "《一二三四》一二三四五六七八九十、一二三四五六七八九十！一二三四五六七八九十？一二三。";
    for (float w = 8; w <= 14; w += 1) {
        lines_t l = layout(t, w, 0, NULL);
        bool ok = true;
        for (size_t i = 0; i < l.n; i++) {
            if (i > 0 && utf8_has(no_start, first_cp(&l.lines[i]))) ok = false;
            if (i + 1 < l.n && utf8_has(no_end, last_cp(&l.lines[i]))) ok = false;
        }
        if (!ok) dump(&l);
        CHECK(ok);
        CHECK(justified(&l));
        CHECK(nothing_past(&l));
        lines_free(&l);
    }
}

static void test_dash_ellipsis_unbroken(void) {
    /* rule 4: —— and …… stay whole */
    const char *t =
        "一二三四五六七——八九十一二三四五六七八……九十一二三四五六——七八九十一二三四五……六七八九十";
    for (float w = 6; w <= 12; w += 1) {
        lines_t l = layout(t, w, 0, NULL);
        bool ok = true;
        for (size_t i = 0; i + 1 < l.n; i++) {
            uint32_t a = last_cp(&l.lines[i]), b = first_cp(&l.lines[i + 1]);
            if (a == b && (a == 0x2014 || a == 0x2026)) ok = false;
        }
        if (!ok) dump(&l);
        CHECK(ok);
        lines_free(&l);
    }
}

static void test_han_latin_space(void) {
    /* rule 6: a quarter em (at least an eighth) between Han and Latin, none at line edges */
    const char *t = "使用GPT-4o模型和 Claude 3 Opus 模型，以及2024年的LLM技术栈进行测试和比较";
    lines_t l = layout(t, 12, 0, NULL);
    bool ok = true;
    for (size_t i = 0; i < l.n; i++) {
        const line_t *ln = &l.lines[i];
        for (size_t k = 1; k < ln->n; k++) {
            const glyph_t *a = &ln->g[k - 1], *b = &ln->g[k];
            bool ha = cp_is_han(a->cp), hb = cp_is_han(b->cp);
            bool la = a->cp < 0x80 && a->cp > ' ', lb = b->cp < 0x80 && b->cp > ' ';
            if (((ha && lb) || (la && hb)) && b->x - (a->x + a->adv) < EM / 8 - 0.01f) ok = false;
        }
    }
    if (!ok) dump(&l);
    CHECK(ok);
    CHECK(justified(&l));
    lines_free(&l);
}

static void test_punctuation_compression(void) {
    /* rule 5: adjacent full-width marks take 1.5 em, not 2 */
    lines_t l = layout("他说：“好。”（注）", 40, 0, NULL);
    CHECK(l.n == 1);
    const line_t *ln = &l.lines[0];
    for (size_t k = 1; k < ln->n; k++) {
        uint32_t a = ln->g[k - 1].cp, b = ln->g[k].cp;
        if ((a == 0x3002 && b == 0x201D) || (a == 0x201D && b == 0xFF08))
            CHECK(fabsf(ln->g[k].x - ln->g[k - 1].x - 0.5f * EM) < 0.05f);
    }
    lines_free(&l);
}

static void test_line_end_half_width(void) {
    /* a closing mark at a line end is set half-width: its ink ends at the measure */
    const char *t =
        "一二三四五六七八九，一二三四五六七八九，一二三四五六七八九，一二三四五六七八九。";
    lines_t l = layout(t, 9.5f, 0, NULL);
    bool seen = false;
    for (size_t i = 0; i + 1 < l.n; i++) {
        const line_t *ln = &l.lines[i];
        if (last_cp(ln) == 0xFF0C) {
            seen = true;
            CHECK(fabsf(ln->g[ln->n - 1].x + 0.5f * EM - ln->width) < 0.05f);
        }
    }
    if (!seen) dump(&l);
    CHECK(seen);
    lines_free(&l);
}

static void test_no_lone_char(void) {
    /* rule 8: the last line holds at least two Han characters */
    for (int n = 20; n <= 60; n++) {
        buf_t b;
        buf_init(&b);
        for (int i = 0; i < n; i++)
            buf_puts(&b, i % 7 == 6 ? "，" : "字");
        buf_puts(&b, "。");
        lines_t l = layout(b.data, 10, 2, NULL);
        const line_t *last = &l.lines[l.n - 1];
        int han = 0;
        for (size_t k = 0; k < last->n; k++)
            han += cp_is_han(last->g[k].cp);
        if (han < 2) dump(&l);
        CHECK(han >= 2);
        CHECK(justified(&l));
        lines_free(&l);
        buf_free(&b);
    }
}

static void test_urls_break(void) {
    /* rule 11: a long URL breaks after / or before . - _ ? and never passes the margin */
    const char *t =
        "见 https://finance.yahoo.com/news/customer-demand-nvidia-chips-far-013826675.html?x=1&y=2 "
        "一文";
    lines_t l = layout(t, 14, 0, NULL);
    CHECK(l.n >= 3);
    CHECK(nothing_past(&l));
    for (size_t i = 0; i + 1 < l.n; i++) {
        uint32_t a = last_cp(&l.lines[i]), b = first_cp(&l.lines[i + 1]);
        bool ok = a == '/' || a == '=' || a == '&' || (b && strchr(".,-_~?#%=&", (int)b)) ||
                  cp_is_han(b) || cp_is_han(a) || a == 0x89C1;
        if (!ok) {
            dump(&l);
            fprintf(stderr, "break between U+%04X and U+%04X\n", a, b);
        }
        CHECK(ok);
    }
    lines_free(&l);
}

static void test_numbers_and_units(void) {
    /* rule 4: digits, number+unit and percentages stay together */
    const char *t = "一二三四五六七八九十一二三100%"
                    "四五六七八九十一二三四5ms五六七八九十一二三2024年的12345678数字";
    for (float w = 5; w <= 12; w += 1) {
        lines_t l = layout(t, w, 0, NULL);
        bool ok = true;
        for (size_t i = 0; i + 1 < l.n; i++) {
            uint32_t a = last_cp(&l.lines[i]), b = first_cp(&l.lines[i + 1]);
            if (a >= '0' && a <= '9' && ((b >= '0' && b <= '9') || b == '%' || b == 'm'))
                ok = false;
        }
        if (!ok) dump(&l);
        CHECK(ok);
        lines_free(&l);
    }
}

static void test_hostile_text(void) {
    /* flag emoji, ZWJ sequences, astral Han and lone variation selectors: reported, never fatal */
    int missing = 0;
    lines_t l = layout(
        "国旗🇨🇳🇺🇸和家庭👨‍👩‍👧以及𠀀𠀁还有\xEF\xB8\x8F孤立的"
        "选"
        "择"
        "符",
        5, 0, &missing);
    CHECK(l.n >= 1);
    /* only 𠀀 and 𠀁 may be reported, and only when no font on the machine has
       them (BabelStone Han does): flags, ZWJ sequences and selectors never are */
    int expected =
        (fontset_pick(fs, ROLE_BODY, 0x20000) < 0) + (fontset_pick(fs, ROLE_BODY, 0x20001) < 0);
    CHECK(missing == expected);
    CHECK(nothing_past(&l));
    lines_free(&l);
    /* a 20000-character Latin word still fits, broken in emergency */
    char *word = xmalloc(20001);
    memset(word, 'a', 20000);
    word[20000] = 0;
    l = layout(word, 20, 0, NULL);
    CHECK(l.n > 10);
    CHECK(nothing_past(&l));
    lines_free(&l);
    free(word);
}

static void test_squeeze_before_push(void) {
    /* rule 3: the comma after 九 may not start a line; squeezing the blank half of
       the comma inside the line makes room for it, rather than pushing 九 down */
    lines_t l = layout("一二三四，五六七八九，十一二三四五六七八。", 10, 0, NULL);
    CHECK(l.n >= 2);
    if (l.n >= 2) {
        const line_t *a = &l.lines[0];
        CHECK(a->n == 11 && last_cp(a) == 0xFF0C && a->g[a->n - 2].cp == 0x4E5D);
        if (!(a->n == 11 && last_cp(a) == 0xFF0C)) dump(&l);
    }
    lines_free(&l);
}

static void test_hard_break_and_han_space(void) {
    /* a hard line break ends a line (set ragged); a space between Han words stays */
    para_t *p = para_new(fs, EM);
    para_text(p, "第一章 链接", strlen("第一章 链接"), body());
    para_break(p);
    para_text(p, "下一行", strlen("下一行"), body());
    lines_t l;
    para_layout(p, 30 * EM, 0, &l, NULL, NULL);
    para_free(p);
    CHECK(l.n == 2);
    if (l.n == 2) {
        CHECK(!l.lines[0].justified);
        CHECK(l.lines[0].n == 5 && fabsf(l.lines[0].g[3].x - (3 * EM + 0.5f * EM)) < 0.05f);
    }
    lines_free(&l);
}

/* ---------------------------------------------------------------- Latin text */

/* The code-point index of the first occurrence of needle in s. */
static size_t cp_index(const char *s, const char *needle) {
    const char *at = strstr(s, needle);
    return at ? utf8_count(s, (size_t)(at - s)) : (size_t)-1;
}

static para_t *latin_para(const char *text, bool latin, const hyphenator_t *h) {
    para_t *p = para_new(fs, EM);
    para_set_latin(p, latin);
    para_set_hyphenator(p, h);
    para_text(p, text, strlen(text), body());
    return p;
}

static void test_quotes_by_context(void) {
    /* English: apostrophes and quotes beside Latin text are Latin; around Han, full-width */
    const char *en =
        "We\xE2\x80\x99ll say \xE2\x80\x9Chello,\xE2\x80\x9D not \xE2\x80\x9C\xE6\x8E\x92"
        "\xE7\x89\x88\xE2\x80\x9D \xE2\x80\x94 ok";
    para_t *p = latin_para(en, true, NULL);
    lines_t l;
    para_layout(p, 60 * EM, 0, &l, NULL, NULL);
    CHECK(para_is_latin(p, cp_index(en, "\xE2\x80\x99ll")));
    CHECK(para_is_latin(p, cp_index(en, "\xE2\x80\x9Chello")));
    CHECK(para_is_latin(p, cp_index(en, "\xE2\x80\x9D not")));
    CHECK(!para_is_latin(p, cp_index(en, "\xE2\x80\x9C\xE6\x8E\x92")));
    CHECK(para_is_latin(p, cp_index(en, "\xE2\x80\x94")));
    /* "We’ll": the apostrophe is narrow and the l follows it at once */
    const line_t *ln = &l.lines[0];
    CHECK(ln->n > 4 && ln->g[2].cp == 0x2019 && ln->g[2].adv < 0.4f * EM &&
          fabsf(ln->g[3].x - (ln->g[2].x + ln->g[2].adv)) < 0.01f);
    lines_free(&l);
    para_free(p);
    /* Chinese: quotes around Latin words inside Han text stay full-width; a quoted
       English title between Latin words is Latin */
    const char *zh = "\xE4\xBB\x96\xE8\xAF\xB4\xE2\x80\x9CTransformer\xE2\x80\x9D\xE5\xBE\x88"
                     "\xE5\xA5\xBD\xEF\xBC\x8C\xE8\xA7\x81 \xE2\x80\x9C"
                     "Attention Is All\xE2\x80\x9D by X";
    p = latin_para(zh, false, NULL);
    para_layout(p, 60 * EM, 0, &l, NULL, NULL);
    CHECK(!para_is_latin(p, cp_index(zh, "\xE2\x80\x9CT")));
    CHECK(!para_is_latin(p, cp_index(zh, "\xE2\x80\x9D\xE5\xBE\x88")));
    CHECK(para_is_latin(p, cp_index(zh, "\xE2\x80\x9C"
                                        "Attention")));
    CHECK(para_is_latin(p, cp_index(zh, "\xE2\x80\x9D by")));
    lines_free(&l);
    para_free(p);
}

static void test_hyphenation(void) {
    char *ex[] = {"to-ken-iza-tion"};
    hyphenator_t *h = hyphenator_open("en-US", ex, 1);
    CHECK(h != NULL); /* needs hyphen-en-us */
    if (!h) return;
    const char *word = "tokenization";
    uint32_t w[16];
    bool after[16];
    for (size_t i = 0; word[i]; i++)
        w[i] = (uint32_t)word[i];
    /* the exception list wins over the patterns ("to-k-eniza-tion") */
    CHECK(hyphenate(h, w, 12, after) == 3 && after[1] && after[4] && after[7] && !after[2]);
    w[0] = 'T'; /* case does not matter */
    CHECK(hyphenate(h, w, 12, after) == 3 && after[1]);
    const char *hy = "hyphenation";
    for (size_t i = 0; hy[i]; i++)
        w[i] = (uint32_t)hy[i];
    CHECK(hyphenate(h, w, 11, after) > 0 && !after[0] && !after[9]); /* 2 before, 3 after */
    /* a narrow paragraph of long words breaks some with a hyphen, inside the measure */
    const char *text = "Internationalization and characteristically incomprehensible "
                       "responsibilities overwhelmingly complicate documentation.";
    para_t *p = latin_para(text, true, h);
    lines_t l;
    para_layout(p, 14 * EM, 0, &l, NULL, NULL);
    int hyphens = 0;
    for (size_t i = 0; i + 1 < l.n; i++) {
        const line_t *ln = &l.lines[i];
        if (last_cp(ln) != '-') continue;
        hyphens++;
        CHECK(ln->natural <= ln->width + 0.05f);
        CHECK(ln->n >= 2 && ln->g[ln->n - 1].font == ln->g[ln->n - 2].font);
    }
    CHECK(hyphens >= 1);
    CHECK(justified(&l));
    lines_free(&l);
    para_free(p);
    /* identifiers, code and words with digits are never hyphenated */
    const char *code = "documentBuilderFactory parse_document_tree GPT4Turbo UNESCO "
                       "src/layout/hyphenation.c example.documentation";
    p = latin_para(code, true, h);
    para_layout(p, 8 * EM, 0, &l, NULL, NULL);
    bool any = false;
    for (size_t i = 0; i < para_length(p); i++)
        any |= para_can_hyphenate_after(p, i);
    CHECK(!any);
    lines_free(&l);
    para_free(p);
    hyphenator_free(h);
}

static void test_words_only(void) {
    const char *text = "Representative Programming Languages";
    para_t *p = latin_para(text, true, NULL);
    para_set_words_only(p, true, false);
    para_set_ragged(p, true);
    float widest = para_min_width(p);
    /* narrower than "Representative": the words stand whole, one per line */
    lines_t l;
    para_layout(p, widest * 0.8f, 0, &l, NULL, NULL);
    CHECK(l.n == 3);
    if (l.n != 3) fprintf(stderr, "widest %f lines %zu\n", widest, l.n), dump(&l);
    if (l.n == 3) {
        char *t = line_text(&l.lines[0]);
        CHECK_STR(t, "Representative");
        free(t);
        CHECK(fabsf(l.lines[0].natural - widest) < 0.01f);
    }
    lines_free(&l);
    para_free(p);
}

static void test_code_breaks(void) {
    /* Latin text: inline code breaks after _ . / before letters, never before ] or ) */
    para_t *p = para_new(fs, EM);
    para_set_latin(p, true);
    const char *lead = "see ", *code = "&s[..] parse_document_tree a.b 0.10.1";
    para_text(p, lead, strlen(lead), body());
    para_text_keep(p, code, strlen(code), body());
    lines_t l;
    para_layout(p, 60 * EM, 0, &l, NULL, NULL);
    size_t base = strlen(lead);
    CHECK(!para_can_break_before(p, base + 5));                      /* ] after .. */
    CHECK(para_can_break_before(p, base + strlen("&s[..] parse_"))); /* d after _ */
    CHECK(para_can_break_before(p, base + strlen("&s[..] parse_document_tree a."))); /* b */
    CHECK(!para_can_break_before(p, base + strlen("&s[..] pa")));
    /* a version stays whole: no break after a dot between digits */
    CHECK(!para_can_break_before(p, base + strlen("&s[..] parse_document_tree a.b 0.")));
    CHECK(!para_can_break_before(p, base + strlen("&s[..] parse_document_tree a.b 0.10.")));
    lines_free(&l);
    para_free(p);
}

/* Chinese text: a line broken at a space inside inline code drops that space
   (TeX's discardable glue), so the line still ends at the margin; a long
   identifier may break before a camelCase capital. */
static void test_code_space_in_han(void) {
    const char *lead = "接下来使用命令", *code = "docker compose up -d --build web",
               *tail = "启动所有服务并查看日志，CustomSmartPointer 的输出在后面。";
    for (int w = 10; w <= 30; w++) {
        para_t *p = para_new(fs, EM);
        para_text(p, lead, strlen(lead), body());
        para_text_keep(p, code, strlen(code), body());
        para_text(p, tail, strlen(tail), body());
        lines_t l;
        para_layout(p, (float)w * EM, 0, &l, NULL, NULL);
        CHECK(justified(&l));
        for (size_t i = 0; i < l.n; i++)
            CHECK(l.lines[i].n && last_cp(&l.lines[i]) != ' ' && first_cp(&l.lines[i]) != ' ');
        lines_free(&l);
        para_free(p);
    }
    para_t *p = para_new(fs, EM);
    const char *a = "我们在", *id = "CustomSmartPointer";
    para_text(p, a, strlen(a), body());
    para_text_keep(p, id, strlen(id), body());
    lines_t l;
    para_layout(p, 30 * EM, 0, &l, NULL, NULL);
    CHECK(para_can_break_before(p, 3 + strlen("Custom")));
    CHECK(!para_can_break_before(p, 3 + strlen("Cust")));
    lines_free(&l);
    para_free(p);
}

/* An unbreakable object wider than the measure (a long formula) makes one
   overfull line, not a break between every two characters of the paragraph. */
static void test_overfull_object(void) {
    para_t *p = para_new(fs, EM);
    const char *a = "已观测到的可能取值为", *b = "共十七个值，根据式可知此时依次取一到十六。";
    para_text(p, a, strlen(a), body());
    para_object(p, 40 * EM, 0, body());
    para_text(p, b, strlen(b), body());
    lines_t l;
    para_layout(p, 20 * EM, 0, &l, NULL, NULL);
    CHECK(l.n >= 2 && l.n <= 4);
    if (l.n > 4) dump(&l);
    lines_free(&l);
    para_free(p);
}

/* <img width="25%"> was drawn at its own size (ml-interviews-book, happy-llm):
   a percentage is of the room there is; pixels are 0.75 pt */
static void test_img_percent(void) {
    htmlimgs_t imgs;
    htmlimgs_scan("<img src=a.png width=\"25%\"><img src=b.png style=\"border:0; width: 50%\">"
                  "<img src=c.png width=\"200\">",
                  &imgs);
    CHECK(imgs.n == 3);
    float w, h;
    htmlimg_size(imgs.v[0].w, imgs.v[0].h, 400, 800, 400, &w, &h);
    CHECK(fabsf(w - 100) < 0.01f && fabsf(h - 50) < 0.01f);
    htmlimg_size(imgs.v[1].w, imgs.v[1].h, 400, 800, 400, &w, &h);
    CHECK(fabsf(w - 200) < 0.01f);
    htmlimg_size(imgs.v[2].w, imgs.v[2].h, 400, 800, 400, &w, &h);
    CHECK(fabsf(w - 150) < 0.01f);
    htmlimgs_free(&imgs);
}

int main(void) {
    const char *chains[ROLE_COUNT][CHAIN_MAX] = {
        {"NotoSerif-Regular.ttf", "NotoSerifCJKsc-Regular.otf"},
        {"NotoSans-Regular.ttf", "NotoSansCJKsc-Regular.otf"},
        {"LXGWWenKai-Regular.ttf", "NotoSerifCJKsc-Regular.otf"},
        {"NotoSansMono-Regular.ttf", "NotoSansCJKsc-Regular.otf"}};
    diags_t d;
    diags_init(&d);
    char *dir = fontset_default_dir(NULL);
    fs = fontset_open(dir, chains, &d);
    free(dir);
    CHECK(d.errors == 0);
    test_kinsoku();
    test_dash_ellipsis_unbroken();
    test_han_latin_space();
    test_punctuation_compression();
    test_line_end_half_width();
    test_no_lone_char();
    test_urls_break();
    test_numbers_and_units();
    test_hostile_text();
    test_hard_break_and_han_space();
    test_squeeze_before_push();
    test_quotes_by_context();
    test_hyphenation();
    test_words_only();
    test_code_breaks();
    test_code_space_in_han();
    test_overfull_object();
    test_img_percent();
    fontset_free(fs);
    para_release();
    diags_free(&d);
    return check_done();
}
