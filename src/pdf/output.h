#ifndef GHB_OUTPUT_H
#define GHB_OUTPUT_H
/* Writes a libharu document ourselves, in place of HPDF_SaveToStream, so that
   the file is small and written fast:
   - every stream libharu would deflate is deflated with libdeflate (deflate.h)
     on a second thread as soon as it is final, and its uncompressed bytes are
     freed then (a page's content when the next page starts), so the book's
     content is never held uncompressed as a whole; each gets a direct /Length;
   - when compact, every object that is not a stream goes into compressed object
     streams indexed by a cross-reference stream (PDF 1.5, ISO 32000-1
     7.5.7-7.5.8); otherwise the file has a classic cross-reference table
     (PDF/X-1a is PDF 1.3).
   Only the calling thread touches libharu; the second thread sees bytes only. */
#include "../util/buf.h"
#include <hpdf.h>
#include <stdbool.h>

typedef struct pdfout pdfout_t;

pdfout_t *pdfout_new(HPDF_Doc pdf);
/* A new page's content is written into a buffer of ours rather than
   libharu's memory stream (which copies byte by byte into 4 KB blocks). Call
   right after HPDF_AddPage, before anything is drawn on it. */
void pdfout_page_new(pdfout_t *o, HPDF_Page pg);
/* The page is drawn: closes what libharu would close at saving (an open path,
   text object or saved state) and queues its content for deflating. Nothing
   may be drawn on it afterwards. */
void pdfout_page_done(pdfout_t *o, HPDF_Page pg);
/* This stream is final (an image just loaded): queues it, so a book's
   pictures are not all held uncompressed until the end. NULL is ignored. */
void pdfout_stream_done(pdfout_t *o, void *stream);
/* Every stream written so far is final (fonts, images): queues them. */
void pdfout_streams_done(pdfout_t *o);
/* A stream whose bytes are made on the deflating thread, then deflated like
   the others (#14: a font's subset, while the pages are drawn). make(arg,
   raw) appends them to raw on whichever thread runs the job and frees arg;
   make(arg, NULL) only frees arg (the job never ran). make must touch nothing
   the calling thread changes meanwhile. Nothing may be written to d itself.
   With length1, d gets /Length1, the made bytes' count (a TrueType program's). */
typedef void (*pdfout_make_fn)(void *arg, buf_t *raw);
void pdfout_later(pdfout_t *o, HPDF_Dict d, pdfout_make_fn make, void *arg, bool length1);
/* Objects written as text by the caller, not built from libharu objects (a
   long book's structure tree would take about 2 KB of libharu memory an
   element). pdfout_reserve numbers one: *num for the caller's text, and a
   placeholder in libharu's list that libharu objects may refer to. Its text
   (the object's value, without "obj") is given once with pdfout_text. */
void *pdfout_reserve(pdfout_t *o, unsigned *num);
void pdfout_text(pdfout_t *o, unsigned num, const char *text, size_t len);
/* The object number of a libharu object already in the document (a page). */
unsigned pdfout_num(const void *obj);
/* Adds object num (reserved, given as text) to the page's /Annots array: a
   long book's link annotations as libharu objects took about 1 KB each, held
   to the end (#14). */
void pdfout_annot(pdfout_t *o, HPDF_Page pg, void *placeholder);
/* Appends the document to out; -1 when libharu failed writing an object or a
   stream changed after it was queued. */
int pdfout_write(pdfout_t *o, bool compact, buf_t *out);
void pdfout_free(pdfout_t *o);

#endif
