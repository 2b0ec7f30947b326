#include "output.h"
#include "deflate.h"
#include "pdfnum.h"
#include "../util/xalloc.h"
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Objects per object stream: more compress better, fewer make a reader
   inflate less to reach one object. */
#define OBJSTM_MAX 200
#define ID_MASK 0x00FFFFFFu
/* Uncompressed bytes queued for the worker at most: beyond, the calling thread
   deflates too. Without a bound, a worker starved of its core (a loaded
   machine) let a 20x book's pages pile up raw: 258 MB instead of 117 (#14). */
#define PENDING_MAX (4u << 20)

/* ---------------------------------------------------------------- deflating on a second thread */

typedef enum { JOB_PENDING, JOB_RUNNING, JOB_DONE } job_state;

typedef struct {
    buf_t raw, packed;
    job_state state;
    bool image;          /* pixels: deflated at PDF_DEFLATE_LEVEL_IMAGES */
    bool length1;        /* its dictionary gets /Length1 raw_len (pdfout_later) */
    size_t raw_len;      /* the uncompressed bytes' count, kept once they are freed */
    pdfout_make_fn make; /* makes raw first (pdfout_later), NULL once run */
    void *arg;
} job_t;

/* A thread's compressors: one for text-like streams, one for pictures (made
   for the first picture). */
typedef struct {
    deflater_t *text, *image;
} zset_t;

static deflater_t *zfor(zset_t *z, bool image) {
    if (!image) return z->text;
    if (!z->image) z->image = deflater_new(PDF_DEFLATE_LEVEL_IMAGES);
    return z->image;
}

static zset_t zset_new(void) {
    return (zset_t){deflater_new(PDF_DEFLATE_LEVEL), NULL};
}

static void zset_free(zset_t *z) {
    deflater_free(z->text), deflater_free(z->image);
}

struct pdfout {
    HPDF_Doc pdf;
    zset_t z; /* the calling thread's */
    job_t **jobs;
    size_t n_jobs, cap_jobs, next; /* next: where the worker looks for work */
    size_t pending;                /* raw bytes of the jobs not begun */
    size_t *job_of;                /* object number -> 1 + its job, 0: none */
    size_t cap_job_of;
    pthread_t worker;
    bool threaded, quit;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    buf_t texts;     /* objects given as text (pdfout_text), one after another */
    size_t *text_at; /* object number -> 1 + where its text starts, 0: none */
    size_t *text_len;
    size_t cap_text;
    buf_t **page_bufs; /* the pages' contents (pdfout_page_new), freed at the end */
    size_t n_page_bufs, cap_page_bufs;
};

static void run(job_t *j, zset_t *z) {
    if (j->make) j->make(j->arg, &j->raw), j->make = NULL;
    j->raw_len = j->raw.len;
    deflater_put(zfor(z, j->image), j->raw.data, j->raw.len, &j->packed);
    buf_free(&j->raw);
    /* it waits for writing at about a quarter of the room deflating needed */
    j->packed.data = xrealloc(j->packed.data, j->packed.len + 1);
    j->packed.cap = j->packed.len + 1;
}

/* Runs a pending job with the lock released (held on entry and on return),
   then wakes whoever waits for results. */
static void run_unlocked(pdfout_t *o, job_t *j, zset_t *z) {
    j->state = JOB_RUNNING;
    o->pending -= j->raw.len;
    pthread_mutex_unlock(&o->mu);
    run(j, z);
    pthread_mutex_lock(&o->mu);
    j->state = JOB_DONE;
    pthread_cond_broadcast(&o->done);
}

/* Takes the oldest job still pending; the calling thread takes the newest
   while it waits (pdfout_write), so the two rarely want the same one. */
static void *worker(void *arg) {
    pdfout_t *o = arg;
    zset_t z = zset_new();
    pthread_mutex_lock(&o->mu);
    for (;;) {
        while (o->next < o->n_jobs && o->jobs[o->next]->state != JOB_PENDING)
            o->next++;
        if (o->next < o->n_jobs) {
            run_unlocked(o, o->jobs[o->next++], &z);
        } else if (o->quit) {
            break;
        } else {
            pthread_cond_wait(&o->work, &o->mu);
        }
    }
    pthread_mutex_unlock(&o->mu);
    zset_free(&z);
    return NULL;
}

pdfout_t *pdfout_new(HPDF_Doc pdf) {
    pdfout_t *o = xcalloc(1, sizeof *o);
    o->pdf = pdf;
    o->z = zset_new();
    pthread_mutex_init(&o->mu, NULL);
    pthread_cond_init(&o->work, NULL);
    pthread_cond_init(&o->done, NULL);
    /* without a thread the calling one deflates everything at writing */
    o->threaded = pthread_create(&o->worker, NULL, worker, o) == 0;
    return o;
}

void pdfout_free(pdfout_t *o) {
    if (!o) return;
    if (o->threaded) {
        pthread_mutex_lock(&o->mu);
        o->quit = true;
        pthread_cond_signal(&o->work);
        pthread_mutex_unlock(&o->mu);
        pthread_join(o->worker, NULL);
    }
    for (size_t i = 0; i < o->n_jobs; i++) {
        if (o->jobs[i]->make) o->jobs[i]->make(o->jobs[i]->arg, NULL); /* never run */
        buf_free(&o->jobs[i]->raw), buf_free(&o->jobs[i]->packed);
        free(o->jobs[i]);
    }
    free(o->jobs), free(o->job_of);
    buf_free(&o->texts), free(o->text_at), free(o->text_len);
    for (size_t i = 0; i < o->n_page_bufs; i++)
        buf_free(o->page_bufs[i]), free(o->page_bufs[i]);
    free(o->page_bufs);
    zset_free(&o->z);
    pthread_mutex_destroy(&o->mu);
    pthread_cond_destroy(&o->work);
    pthread_cond_destroy(&o->done);
    free(o);
}

/* A job's result, deflated by this thread when the worker has not begun it.
   While the worker is on it, this thread deflates the newest pending job. */
static job_t *result(pdfout_t *o, size_t k) {
    pthread_mutex_lock(&o->mu);
    job_t *j = o->jobs[k];
    while (j->state != JOB_DONE) {
        job_t *take = j->state == JOB_PENDING ? j : NULL;
        for (size_t i = o->n_jobs; !take && i-- > k + 1;)
            if (o->jobs[i]->state == JOB_PENDING) take = o->jobs[i];
        if (!take) {
            pthread_cond_wait(&o->done, &o->mu);
            continue;
        }
        run_unlocked(o, take, &o->z);
    }
    pthread_mutex_unlock(&o->mu);
    return j;
}

static bool is_stream(const void *obj) {
    const HPDF_Obj_Header *h = obj;
    return (h->obj_class & HPDF_OCLASS_ANY) == HPDF_OCLASS_DICT && ((HPDF_Dict)obj)->stream;
}

/* A page's content goes into a buf_t of ours (pdfout_page_new). */
static HPDF_STATUS to_page(HPDF_Stream s, const HPDF_BYTE *p, HPDF_UINT n) {
    buf_put(s->attr, (const char *)p, n);
    return HPDF_OK;
}

static bool page_stream(const HPDF_Stream s) {
    return s->type == HPDF_STREAM_CALLBACK && s->write_fn == to_page;
}

/* A stream libharu would deflate (and nothing else): we deflate it instead. */
static bool ours(const HPDF_Dict d) {
    return d->filter == HPDF_STREAM_FILTER_FLATE_DECODE && !d->filterParams &&
           (d->stream->type == HPDF_STREAM_MEMORY || page_stream(d->stream)) &&
           (d->header.obj_id & HPDF_OTYPE_INDIRECT);
}

void pdfout_page_new(pdfout_t *o, HPDF_Page pg) {
    HPDF_PageAttr attr = pg->attr;
    HPDF_Dict d = attr->contents;
    if (!d || !d->stream || d->stream != attr->stream || d->stream->size) return;
    buf_t *b = xcalloc(1, sizeof *b);
    HPDF_Stream s = HPDF_CallbackWriter_New(o->pdf->mmgr, to_page, b);
    if (!s) {
        free(b);
        return;
    }
    XGROW(o->page_bufs, o->cap_page_bufs, o->n_page_bufs);
    o->page_bufs[o->n_page_bufs++] = b;
    HPDF_Stream_Free(d->stream);
    d->stream = attr->stream = s;
}

static size_t job_of(const pdfout_t *o, HPDF_Dict d) {
    size_t num = d->header.obj_id & ID_MASK;
    return num < o->cap_job_of ? o->job_of[num] : 0;
}

static void add(pdfout_t *o, HPDF_Dict d, job_t *j);

/* Moves a final stream's bytes out of libharu (freeing its 4 KB blocks) into
   a job for the worker. */
static void queue(pdfout_t *o, HPDF_Dict d) {
    if (!ours(d) || job_of(o, d)) return;
    job_t *j = xcalloc(1, sizeof *j);
    if (page_stream(d->stream)) { /* its bytes change hands: no copy */
        buf_t *b = d->stream->attr;
        j->raw = *b;
        *b = (buf_t){0};
        d->stream->size = 0;
        if (!j->raw.data) buf_putc(&j->raw, 0), j->raw.len = 0;
        /* while queued it holds what it needs, not what doubling left (in place) */
        j->raw.data = xrealloc(j->raw.data, j->raw.len + 1);
        j->raw.cap = j->raw.len + 1;
        add(o, d, j);
        return;
    }
    HPDF_UINT n = HPDF_MemStream_GetBufCount(d->stream), l = 0;
    size_t size = 0; /* sized once: doubling left up to half of it unused while queued */
    for (HPDF_UINT i = 0; i < n; i++)
        if (HPDF_MemStream_GetBufPtr(d->stream, i, &l)) size += l;
    j->raw.data = xmalloc(size + 1);
    j->raw.cap = size + 1;
    j->raw.data[0] = 0;
    for (HPDF_UINT i = 0; i < n; i++) {
        const char *p = (const char *)HPDF_MemStream_GetBufPtr(d->stream, i, &l);
        if (p) buf_put(&j->raw, p, l);
    }
    HPDF_MemStream_FreeData(d->stream);
    HPDF_Name sub = HPDF_Dict_GetItem(d, "Subtype", HPDF_OCLASS_NAME);
    j->image = sub && strcmp(sub->value, "Image") == 0;
    add(o, d, j);
}

void pdfout_later(pdfout_t *o, HPDF_Dict d, pdfout_make_fn make, void *arg, bool length1) {
    if (!ours(d) || job_of(o, d) || d->stream->size) {
        make(arg, NULL);
        return;
    }
    job_t *j = xcalloc(1, sizeof *j);
    j->make = make, j->arg = arg, j->length1 = length1;
    add(o, d, j);
}

/* Hands a job over: the worker runs the oldest first. Returns its index. */
static size_t add_job(pdfout_t *o, job_t *j) {
    pthread_mutex_lock(&o->mu);
    XGROW(o->jobs, o->cap_jobs, o->n_jobs);
    size_t k = o->n_jobs;
    o->jobs[o->n_jobs++] = j;
    o->pending += j->raw.len;
    pthread_cond_signal(&o->work);
    /* the worker is behind: this thread takes the newest jobs (the worker the oldest) */
    for (size_t i = o->n_jobs; o->threaded && o->pending > PENDING_MAX && i-- > o->next;) {
        job_t *take = o->jobs[i];
        if (take->state != JOB_PENDING) continue;
        run_unlocked(o, take, &o->z);
    }
    pthread_mutex_unlock(&o->mu);
    return k;
}

/* A stream's job: known by the stream's object number. */
static void add(pdfout_t *o, HPDF_Dict d, job_t *j) {
    size_t num = d->header.obj_id & ID_MASK;
    XGROW(o->job_of, o->cap_job_of, num);
    o->job_of[num] = add_job(o, j) + 1;
}

void pdfout_page_done(pdfout_t *o, HPDF_Page pg) {
    if (pg->before_write_fn) pg->before_write_fn(pg); /* ET, Q: what saving would add */
    HPDF_PageAttr attr = pg->attr;
    if (attr->contents) queue(o, attr->contents);
}

void pdfout_stream_done(pdfout_t *o, void *stream) {
    if (stream && is_stream(stream)) queue(o, stream);
}

static bool is_page(const void *obj) {
    return ((const HPDF_Obj_Header *)obj)->obj_class == (HPDF_OCLASS_DICT | HPDF_OSUBCLASS_PAGE);
}

void pdfout_streams_done(pdfout_t *o) {
    HPDF_Xref xref = o->pdf->xref;
    for (HPDF_UINT i = 1; i < xref->entries->count; i++) {
        HPDF_XrefEntry e = HPDF_Xref_GetEntry(xref, i);
        if (e && e->obj && is_stream(e->obj)) queue(o, e->obj);
    }
}

/* ---------------------------------------------------------------- objects as text */

void *pdfout_reserve(pdfout_t *o, unsigned *num) {
    HPDF_Null n = HPDF_Null_New(o->pdf->mmgr);
    if (!n || HPDF_Xref_Add(o->pdf->xref, n) != HPDF_OK) {
        *num = 0;
        return NULL;
    }
    *num = n->header.obj_id & ID_MASK;
    return n;
}

void pdfout_text(pdfout_t *o, unsigned num, const char *text, size_t len) {
    if (!num) return;
    if (num >= o->cap_text) {
        size_t cap = o->cap_text;
        XGROW(o->text_at, cap, num);
        XGROW(o->text_len, o->cap_text, num);
    }
    o->text_at[num] = o->texts.len + 1;
    o->text_len[num] = len;
    buf_put(&o->texts, text, len);
}

unsigned pdfout_num(const void *obj) {
    return ((const HPDF_Obj_Header *)obj)->obj_id & ID_MASK;
}

void pdfout_annot(pdfout_t *o, HPDF_Page pg, void *placeholder) {
    if (!placeholder) return;
    HPDF_Array a = HPDF_Dict_GetItem(pg, "Annots", HPDF_OCLASS_ARRAY);
    if (!a) {
        a = HPDF_Array_New(o->pdf->mmgr);
        if (!a || HPDF_Dict_Add(pg, "Annots", a) != HPDF_OK) return;
    }
    HPDF_Array_Add(a, placeholder);
}

static const char *text_of(const pdfout_t *o, size_t num, size_t *len) {
    if (num >= o->cap_text || !o->text_at[num]) return NULL;
    *len = o->text_len[num];
    return o->texts.data + o->text_at[num] - 1;
}

/* ---------------------------------------------------------------- writing */

typedef struct {
    uint8_t type; /* 0 free, 1 at byte offset a, 2 object b of object stream a */
    uint32_t a, b;
} xent_t;

/* An object stream, deflated by whichever thread is free (#14): its place in
   the file is kept (at: the bytes written before it) and it goes in there
   once the rest is written (splice). */
typedef struct {
    size_t at, job, n, first;
    uint32_t num;
} objstm_t;

typedef struct {
    pdfout_t *o;
    HPDF_Doc pdf;
    buf_t *out;
    HPDF_Stream to_out, to_body; /* libharu writers into out and body */
    buf_t body, index;           /* the object stream being filled */
    uint32_t *members;           /* its objects */
    size_t n_members;
    xent_t *x; /* per object number */
    size_t n_x, cap_x;
    uint8_t *dropped; /* per object of libharu's (n_lib): a /Length we wrote directly */
    size_t n_lib;
    buf_t raw, packed; /* scratch */
    objstm_t *stms;    /* the object streams, in the order of the file */
    size_t n_stms, cap_stms;
    bool failed;
} writer_t;

static HPDF_STATUS to_buf(HPDF_Stream s, const HPDF_BYTE *p, HPDF_UINT n) {
    buf_put(s->attr, (const char *)p, n);
    return HPDF_OK;
}

static uint32_t new_object(writer_t *w) {
    XGROW(w->x, w->cap_x, w->n_x);
    w->x[w->n_x] = (xent_t){0, 0, 0};
    return (uint32_t)w->n_x++;
}

static void check(writer_t *w, HPDF_STATUS st) {
    if (st != HPDF_OK) w->failed = true;
}

/* A stream we deflated: its dictionary with a direct /Length, so libharu's
   separate length object is not written. */
static void write_deflated(writer_t *w, HPDF_Dict d, job_t *j) {
    if (d->stream->size) w->failed = true; /* written to after it was queued */
    buf_puts(w->out, "<<\n");
    if (d->before_write_fn) check(w, d->before_write_fn(d));
    for (HPDF_UINT i = 0; i < d->list->count; i++) {
        HPDF_DictElement el = HPDF_List_ItemAt(d->list, i);
        HPDF_Obj_Header *h = el->value;
        if (!h || (h->obj_id & HPDF_OTYPE_HIDDEN) || strcmp(el->key, "Filter") == 0) continue;
        if (strcmp(el->key, "Length") == 0) {
            if ((h->obj_id & HPDF_OTYPE_INDIRECT) && (h->obj_id & ID_MASK) < w->n_lib)
                w->dropped[h->obj_id & ID_MASK] = 1;
            continue;
        }
        check(w, HPDF_Stream_WriteEscapeName(w->to_out, el->key));
        buf_putc(w->out, ' ');
        check(w, HPDF_Obj_Write(el->value, w->to_out, NULL));
        buf_putc(w->out, '\n');
    }
    if (d->write_fn) check(w, d->write_fn(d, w->to_out));
    if (j->length1) buf_printf(w->out, "/Length1 %zu\n", j->raw_len);
    buf_printf(w->out, "/Filter /FlateDecode\n/Length %zu\n>>\nstream\r\n", j->packed.len);
    buf_put(w->out, j->packed.data, j->packed.len);
    buf_free(&j->packed); /* the output holds it now */
    buf_puts(w->out, "\nendstream");
    if (d->after_write_fn) check(w, d->after_write_fn(d));
}

static void write_direct(writer_t *w, uint32_t num, void *obj) {
    w->x[num] = (xent_t){1, (uint32_t)w->out->len, 0};
    put_uint(w->out, num);
    buf_puts(w->out, " 0 obj\n");
    size_t k = is_stream(obj) ? job_of(w->o, obj) : 0, len;
    const char *text = text_of(w->o, num, &len);
    if (text)
        buf_put(w->out, text, len);
    else if (k)
        write_deflated(w, obj, result(w->o, k - 1));
    else
        check(w, HPDF_Obj_WriteValue(obj, w->to_out, NULL));
    buf_puts(w->out, "\nendobj\n");
}

static void flush_objstm(writer_t *w) {
    if (!w->n_members) return;
    uint32_t num = new_object(w);
    for (size_t i = 0; i < w->n_members; i++)
        w->x[w->members[i]] = (xent_t){2, num, (uint32_t)i};
    size_t first = w->index.len;
    buf_put(&w->index, w->body.data, w->body.len);
    job_t *j = xcalloc(1, sizeof *j);
    j->raw = w->index; /* its bytes change hands */
    w->index = (buf_t){0};
    XGROW(w->stms, w->cap_stms, w->n_stms);
    w->stms[w->n_stms++] = (objstm_t){w->out->len, add_job(w->o, j), w->n_members, first, num};
    w->body.len = 0;
    w->n_members = 0;
}

/* One object stream's text, deflated. */
static void objstm_text(writer_t *w, const objstm_t *m, buf_t *t) {
    const job_t *j = result(w->o, m->job);
    t->len = 0;
    buf_printf(t,
               "%u 0 obj\n<</Type /ObjStm /N %zu /First %zu /Filter /FlateDecode /Length %zu>>\n"
               "stream\n",
               m->num, m->n, m->first, j->packed.len);
    buf_put(t, j->packed.data, j->packed.len);
    buf_puts(t, "\nendstream\nendobj\n");
}

/* The object streams go into their places, the bytes after each moved up in
   place (the output is not held twice), and the offsets after them with it. */
static void splice(writer_t *w) {
    if (!w->n_stms) return;
    buf_t *out = w->out;
    buf_t *texts = xcalloc(w->n_stms, sizeof *texts);
    size_t total = 0;
    for (size_t k = 0; k < w->n_stms; k++) {
        objstm_text(w, &w->stms[k], &texts[k]);
        buf_free(&result(w->o, w->stms[k].job)->packed); /* the text holds it now */
        total += texts[k].len;
    }
    size_t old = out->len;
    if (out->cap < old + total + 1) {
        out->data = xrealloc(out->data, old + total + 1);
        out->cap = old + total + 1;
    }
    size_t shift = total;
    for (size_t k = w->n_stms; k-- > 0;) {
        const objstm_t *m = &w->stms[k];
        size_t end = k + 1 < w->n_stms ? w->stms[k + 1].at : old;
        memmove(out->data + m->at + shift, out->data + m->at, end - m->at);
        shift -= texts[k].len;
        memcpy(out->data + m->at + shift, texts[k].data, texts[k].len);
        w->x[m->num] = (xent_t){1, (uint32_t)(m->at + shift), 0};
    }
    out->len = old + total;
    out->data[out->len] = '\0';
    /* objects written directly come in the order of their offsets */
    size_t k = 0, before = 0;
    for (size_t i = 0; i < w->n_lib; i++) {
        if (w->x[i].type != 1) continue;
        while (k < w->n_stms && w->stms[k].at <= w->x[i].a)
            before += texts[k++].len;
        w->x[i].a += (uint32_t)before;
    }
    for (size_t k2 = 0; k2 < w->n_stms; k2++)
        buf_free(&texts[k2]);
    free(texts);
}

static void write_packed(writer_t *w, uint32_t num, void *obj) {
    put_uint(&w->index, num);
    buf_putc(&w->index, ' ');
    put_uint(&w->index, w->body.len);
    buf_putc(&w->index, ' ');
    size_t len;
    const char *text = text_of(w->o, num, &len);
    if (text)
        buf_put(&w->body, text, len);
    else
        check(w, HPDF_Obj_WriteValue(obj, w->to_body, NULL));
    buf_putc(&w->body, '\n');
    w->members[w->n_members++] = num;
    if (w->n_members == OBJSTM_MAX) flush_objstm(w);
}

/* Free entries chain from object 0 to each next free one (7.5.4). */
static void link_free(writer_t *w) {
    uint32_t last = 0;
    w->x[0] = (xent_t){0, 0, 65535};
    for (uint32_t i = 1; i < w->n_x; i++)
        if (w->x[i].type == 0) w->x[last].a = i, last = i;
}

/* The trailer's entries besides /Size: /Root, /Info and whatever libharu put
   there (/ID for press output). */
static void trailer_entries(writer_t *w) {
    HPDF_Doc pdf = w->pdf;
    buf_printf(w->out, "/Root %u 0 R\n", (unsigned)(pdf->catalog->header.obj_id & ID_MASK));
    if (pdf->info)
        buf_printf(w->out, "/Info %u 0 R\n", (unsigned)(pdf->info->header.obj_id & ID_MASK));
    HPDF_Dict t = pdf->trailer;
    for (HPDF_UINT i = 0; t && i < t->list->count; i++) {
        HPDF_DictElement el = HPDF_List_ItemAt(t->list, i);
        if (!strcmp(el->key, "Root") || !strcmp(el->key, "Info") || !strcmp(el->key, "Size") ||
            !strcmp(el->key, "Prev"))
            continue;
        check(w, HPDF_Stream_WriteEscapeName(w->to_out, el->key));
        buf_putc(w->out, ' ');
        check(w, HPDF_Obj_Write(el->value, w->to_out, NULL));
        buf_putc(w->out, '\n');
    }
}

static void classic_xref(writer_t *w) {
    size_t at = w->out->len;
    buf_printf(w->out, "xref\n0 %zu\n", w->n_x);
    for (size_t i = 0; i < w->n_x; i++)
        buf_printf(w->out, "%010u %05u %c\r\n", w->x[i].a, w->x[i].b, w->x[i].type ? 'n' : 'f');
    buf_printf(w->out, "trailer\n<<\n/Size %zu\n", w->n_x);
    trailer_entries(w);
    buf_printf(w->out, ">>\nstartxref\n%zu\n%%%%EOF\n", at);
}

static int bytes_for(uint32_t v) {
    int n = 1;
    while (n < 4 && v >> (8 * n))
        n++;
    return n;
}

/* The cross-reference stream, rows differenced with the PNG Up predictor so
   that the offsets compress. */
static void xref_stream(writer_t *w) {
    uint32_t num = new_object(w);
    w->x[num] = (xent_t){1, (uint32_t)w->out->len, 0};
    link_free(w);
    uint32_t max = 0;
    for (size_t i = 0; i < w->n_x; i++)
        if (w->x[i].a > max) max = w->x[i].a;
    int w2 = bytes_for(max), cols = 1 + w2 + 2;
    unsigned char prev[8] = {0}, row[8];
    w->raw.len = 0;
    for (size_t i = 0; i < w->n_x; i++) {
        row[0] = w->x[i].type;
        for (int k = 0; k < w2; k++)
            row[1 + k] = (unsigned char)(w->x[i].a >> (8 * (w2 - 1 - k)));
        row[1 + w2] = (unsigned char)(w->x[i].b >> 8), row[2 + w2] = (unsigned char)w->x[i].b;
        buf_putc(&w->raw, 2);
        for (int k = 0; k < cols; k++)
            buf_putc(&w->raw, (char)(unsigned char)(row[k] - prev[k]));
        memcpy(prev, row, (size_t)cols);
    }
    w->packed.len = 0;
    deflater_put(w->o->z.text, w->raw.data, w->raw.len, &w->packed);
    buf_printf(w->out, "%u 0 obj\n<<\n/Type /XRef\n/Size %zu\n/W [1 %d 2]\n", num, w->n_x, w2);
    trailer_entries(w);
    buf_printf(w->out,
               "/Filter /FlateDecode\n/DecodeParms <</Columns %d /Predictor 12>>\n/Length %zu\n>>\n"
               "stream\n",
               cols, w->packed.len);
    buf_put(w->out, w->packed.data, w->packed.len);
    buf_printf(w->out, "\nendstream\nendobj\nstartxref\n%u\n%%%%EOF\n", w->x[num].a);
}

int pdfout_write(pdfout_t *o, bool compact, buf_t *out) {
    static const char *const version[] = {"1.2", "1.3", "1.4", "1.5", "1.6", "1.7"};
    HPDF_Doc pdf = o->pdf;
    HPDF_Xref xref = pdf->xref;
    size_t n = xref->entries->count;
    for (size_t i = 1; i < n; i++) { /* pages the caller did not finish, then the rest */
        HPDF_XrefEntry e = HPDF_Xref_GetEntry(xref, (HPDF_UINT)i);
        if (e && e->obj && is_page(e->obj)) pdfout_page_done(o, e->obj);
    }
    pdfout_streams_done(o);
    int v = pdf->pdf_version < HPDF_VER_EOF ? (int)pdf->pdf_version : (int)HPDF_VER_17;
    if (compact && v < HPDF_VER_15) v = HPDF_VER_15;
    writer_t w = {.o = o, .pdf = pdf, .out = out};
    w.to_out = HPDF_CallbackWriter_New(pdf->mmgr, to_buf, out);
    w.to_body = HPDF_CallbackWriter_New(pdf->mmgr, to_buf, &w.body);
    w.members = xmalloc(OBJSTM_MAX * sizeof *w.members);
    w.dropped = xcalloc(n + 1, 1);
    w.n_lib = n;
    for (size_t i = 0; i < n; i++)
        new_object(&w);
    /* a comment of bytes above 127 marks the file binary (7.5.2) */
    buf_printf(out, "%%PDF-%s\n%%\xE2\xE3\xCF\xD3\n", version[v]);
    for (uint32_t i = 1; i < n && w.to_out && w.to_body; i++) {
        HPDF_XrefEntry e = HPDF_Xref_GetEntry(xref, i);
        if (!e || e->entry_typ == HPDF_FREE_ENTRY || !e->obj || w.dropped[i]) continue;
        if (!compact || is_stream(e->obj))
            write_direct(&w, i, e->obj);
        else
            write_packed(&w, i, e->obj);
    }
    flush_objstm(&w);
    splice(&w);
    if (compact)
        xref_stream(&w);
    else
        link_free(&w), classic_xref(&w);
    int rc = w.failed || !w.to_out || !w.to_body ? -1 : 0;
    if (w.to_out) HPDF_Stream_Free(w.to_out);
    if (w.to_body) HPDF_Stream_Free(w.to_body);
    buf_free(&w.body), buf_free(&w.index), buf_free(&w.raw), buf_free(&w.packed);
    free(w.members), free(w.x), free(w.dropped), free(w.stms);
    return rc;
}
