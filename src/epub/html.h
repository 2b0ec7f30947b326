#ifndef GHB_EPUB_HTML_H
#define GHB_EPUB_HTML_H
#include "../book/book.h"
#include "../layout/pagemap.h"
#include "../util/buf.h"
#include "pageslot.h"

/* Renders chapter ch as the HTML of its body: the content, then its notes (link
   URLs and Markdown footnotes) as EPUB 3 footnote asides. Raw HTML is copied
   through; epub_xhtml() makes the result well-formed. */
void epub_chapter_html(const book_t *b, int ch, buf_t *out);
/* The same with a page-break marker before the block where each printed page of
   the chapter starts (pages may be NULL). */
void epub_chapter_html_paged(const book_t *b, int ch, const pagemap_t *pages, buf_t *out);
/* The same before the page map is known: a page slot (pageslot.h) wherever
   markers may go, recorded in slots. */
void epub_chapter_html_slots(const book_t *b, int ch, pageslots_t *slots, buf_t *out);
/* The title page: title, subtitle, author and their links, version and date. */
void epub_titlepage_html(const book_t *b, buf_t *out);
/* The marker where printed page p starts: an empty span with the page's label. */
void epub_page_marker(buf_t *out, const pagestart_t *p);
/* "ch01.xhtml" for chapter 0. Caller frees. */
char *epub_chapter_file(int ch);

#endif
