#include "front.h"
#include "../util/buf.h"
#include "../util/xalloc.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static void add(front_matter_t *fm, size_t *cap, front_line_t l) {
    if (!l.text && !l.date && !l.url) return;
    XGROW(fm->v, *cap, fm->n);
    fm->v[fm->n++] = l;
}

char *front_isbn(const char *id) {
    if (!id) return NULL;
    if (strncasecmp(id, "urn:isbn:", 9) == 0)
        id += 9;
    else if (strncasecmp(id, "isbn:", 5) == 0)
        id += 5;
    else if (strncasecmp(id, "isbn ", 5) == 0)
        id += 5;
    size_t digits = 0;
    for (const char *p = id; *p; p++) {
        bool check_x = (*p == 'X' || *p == 'x') && p[1] == '\0' && digits == 9;
        if (isdigit((unsigned char)*p) || check_x)
            digits++;
        else if (*p != '-' && *p != ' ')
            return NULL;
    }
    return digits == 10 || digits == 13 ? xstrdup(id) : NULL;
}

void front_matter_build(const book_t *b, front_matter_t *fm) {
    const meta_t *m = &b->meta;
    memset(fm, 0, sizeof *fm);
    fm->lang = lang_kind_of(m->lang);
    size_t cap = 0;
    add(fm, &cap, (front_line_t){FRONT_TITLE, m->title, NULL, NULL});
    add(fm, &cap, (front_line_t){FRONT_SUBTITLE, m->subtitle, NULL, NULL});
    add(fm, &cap, (front_line_t){FRONT_AUTHOR, m->author, NULL, NULL});
    if (m->source_url)
        add(fm, &cap,
            (front_line_t){FRONT_SOURCE, m->source_text ? m->source_text : m->source_url, NULL,
                           m->source_url});
    for (size_t i = 0; i < m->n_author_links; i++)
        add(fm, &cap,
            (front_line_t){FRONT_AUTHOR_LINK, m->author_links[i].text, NULL,
                           m->author_links[i].url});
    add(fm, &cap,
        (front_line_t){FRONT_EDITION, m->version, m->date_text ? m->date_text : m->date,
                       m->version_url});
    add(fm, &cap, (front_line_t){FRONT_RIGHTS, m->rights, NULL, NULL});
    char *isbn = front_isbn(m->identifier);
    if (isbn) {
        buf_t s;
        buf_init(&s);
        buf_printf(&s, word(fm->lang, W_ISBN), isbn);
        free(isbn);
        fm->owned[0] = buf_detach(&s);
        add(fm, &cap, (front_line_t){FRONT_ISBN, fm->owned[0], NULL, NULL});
    }
    /* the build's date in UTC, so that every zone prints the same page */
    char date[32] = "";
    struct tm tm;
    if (gmtime_r(&m->epoch, &tm)) strftime(date, sizeof date, "%Y-%m-%d", &tm);
    buf_t s;
    buf_init(&s);
    buf_printf(&s, word(fm->lang, W_TYPESET_BY), GHB_VERSION, date);
    fm->owned[1] = buf_detach(&s);
    add(fm, &cap, (front_line_t){FRONT_IMPRINT, fm->owned[1], NULL, NULL});
}

void front_matter_free(front_matter_t *fm) {
    free(fm->v);
    free(fm->owned[0]);
    free(fm->owned[1]);
    memset(fm, 0, sizeof *fm);
}

const front_line_t *front_line(const front_matter_t *fm, front_kind kind) {
    for (size_t i = 0; i < fm->n; i++)
        if (fm->v[i].kind == kind) return &fm->v[i];
    return NULL;
}

static void entry(contents_t *c, contents_entry_t e) {
    XGROW(c->v, c->cap, c->n);
    c->v[c->n++] = e;
}

void contents_build(const book_t *b, int max_level, contents_t *c) {
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < b->n_chapters; i++) {
        const chapter_t *ch = &b->chapters[i];
        if (ch->part) entry(c, (contents_entry_t){ch->depth, ch->part, (int)i, -1, true});
        entry(c, (contents_entry_t){ch->depth, ch->title, (int)i, -1, false});
        for (size_t k = 0; k < ch->n_headings; k++) {
            const heading_t *h = &b->headings[ch->first_heading + k];
            int d = book_toc_depth(b, h, max_level);
            if (d)
                entry(c,
                      (contents_entry_t){ch->depth + d, h->text, (int)i, (long)h->anchor, false});
        }
    }
}

void contents_free(contents_t *c) {
    free(c->v);
    memset(c, 0, sizeof *c);
}
