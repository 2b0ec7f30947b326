#include "output.h"
#include "deflate.h"
#include "../util/xalloc.h"
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Objects per object stream: more compress better, fewer make a reader
   inflate less to reach one object (measured: docs/DECISIONS.md). */
#define OBJSTM_MAX 200
#define ID_MASK 0x00FFFFFFu

typedef struct {
    uint8_t type; /* 0 free, 1 at byte offset a, 2 object b of object stream a */
    uint32_t a, b;
} xent_t;

typedef struct {
    HPDF_Doc pdf;
    bool compact;
    buf_t *out;
    HPDF_Stream to_out, to_body; /* libharu writers into out and body */
    buf_t body, index;           /* the object stream being filled */
    uint32_t *members;           /* its objects */
    size_t n_members;
    xent_t *x; /* per object number */
    size_t n_x, cap_x;
    uint8_t *dropped; /* per object of libharu's (n_lib): a /Length we wrote directly */
    size_t n_lib;
    deflater_t *z;
    buf_t raw, packed; /* scratch */
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

/* A memory stream's bytes in one piece (libharu keeps them in 4 KB blocks). */
static const char *stream_bytes(writer_t *w, HPDF_Stream s, size_t *len) {
    HPDF_UINT n = HPDF_MemStream_GetBufCount(s), l = 0;
    if (n <= 1) {
        const char *p = n ? (const char *)HPDF_MemStream_GetBufPtr(s, 0, &l) : "";
        *len = p ? l : 0;
        return p ? p : "";
    }
    w->raw.len = 0;
    for (HPDF_UINT i = 0; i < n; i++) {
        const char *p = (const char *)HPDF_MemStream_GetBufPtr(s, i, &l);
        if (p) buf_put(&w->raw, p, l);
    }
    *len = w->raw.len;
    return w->raw.data;
}

/* A stream libharu would deflate: we deflate it and write its /Length
   directly, so its separate length object is not written. */
static void write_deflated(writer_t *w, HPDF_Dict d) {
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
    size_t len;
    const char *data = stream_bytes(w, d->stream, &len);
    w->packed.len = 0;
    deflater_put(w->z, data, len, &w->packed);
    buf_printf(w->out, "/Filter /FlateDecode\n/Length %zu\n>>\nstream\r\n", w->packed.len);
    buf_put(w->out, w->packed.data, w->packed.len);
    buf_puts(w->out, "\nendstream");
    if (d->after_write_fn) check(w, d->after_write_fn(d));
}

static bool is_stream(const void *obj) {
    const HPDF_Obj_Header *h = obj;
    return (h->obj_class & HPDF_OCLASS_ANY) == HPDF_OCLASS_DICT && ((HPDF_Dict)obj)->stream;
}

static void write_direct(writer_t *w, uint32_t num, void *obj) {
    w->x[num] = (xent_t){1, (uint32_t)w->out->len, 0};
    buf_printf(w->out, "%u 0 obj\n", num);
    HPDF_Dict d = obj;
    if (is_stream(obj) && d->filter == HPDF_STREAM_FILTER_FLATE_DECODE && !d->filterParams &&
        d->stream->type == HPDF_STREAM_MEMORY)
        write_deflated(w, d);
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
    w->packed.len = 0;
    deflater_put(w->z, w->index.data, w->index.len, &w->packed);
    w->x[num] = (xent_t){1, (uint32_t)w->out->len, 0};
    buf_printf(w->out,
               "%u 0 obj\n<</Type /ObjStm /N %zu /First %zu /Filter /FlateDecode /Length %zu>>\n"
               "stream\n",
               num, w->n_members, first, w->packed.len);
    buf_put(w->out, w->packed.data, w->packed.len);
    buf_puts(w->out, "\nendstream\nendobj\n");
    w->index.len = w->body.len = 0;
    w->n_members = 0;
}

static void write_packed(writer_t *w, uint32_t num, void *obj) {
    buf_printf(&w->index, "%u %zu ", num, w->body.len);
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
    deflater_put(w->z, w->raw.data, w->raw.len, &w->packed);
    buf_printf(w->out, "%u 0 obj\n<<\n/Type /XRef\n/Size %zu\n/W [1 %d 2]\n", num, w->n_x, w2);
    trailer_entries(w);
    buf_printf(w->out,
               "/Filter /FlateDecode\n/DecodeParms <</Columns %d /Predictor 12>>\n/Length %zu\n>>\n"
               "stream\n",
               cols, w->packed.len);
    buf_put(w->out, w->packed.data, w->packed.len);
    buf_printf(w->out, "\nendstream\nendobj\nstartxref\n%u\n%%%%EOF\n", w->x[num].a);
}

int pdf_output(HPDF_Doc pdf, bool compact, buf_t *out) {
    static const char *const version[] = {"1.2", "1.3", "1.4", "1.5", "1.6", "1.7"};
    int v = pdf->pdf_version < HPDF_VER_EOF ? (int)pdf->pdf_version : (int)HPDF_VER_17;
    if (compact && v < HPDF_VER_15) v = HPDF_VER_15;
    writer_t w = {.pdf = pdf, .compact = compact, .out = out};
    w.to_out = HPDF_CallbackWriter_New(pdf->mmgr, to_buf, out);
    w.to_body = HPDF_CallbackWriter_New(pdf->mmgr, to_buf, &w.body);
    w.z = deflater_new(PDF_DEFLATE_LEVEL);
    HPDF_Xref xref = pdf->xref;
    size_t n = xref->entries->count;
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
    if (compact)
        xref_stream(&w);
    else
        link_free(&w), classic_xref(&w);
    int rc = w.failed || !w.to_out || !w.to_body ? -1 : 0;
    if (w.to_out) HPDF_Stream_Free(w.to_out);
    if (w.to_body) HPDF_Stream_Free(w.to_body);
    deflater_free(w.z);
    buf_free(&w.body), buf_free(&w.index), buf_free(&w.raw), buf_free(&w.packed);
    free(w.members), free(w.x), free(w.dropped);
    return rc;
}
