#ifndef GHB_EPUB_AUTOSPACE_H
#define GHB_EPUB_AUTOSPACE_H
#include <libxml/tree.h>

/* Puts a thin space (U+2009) between Han and Latin letters or digits that touch,
   within one block, across inline elements: the fallback for reading systems
   without CSS text-autospace (which adds nothing where a space already is).
   Code, note markers and page-break markers are left alone. Returns false when
   a page slot (pageslot.h) sits inside a run of text, where a marker would have
   parted the run. */
bool epub_autospace(xmlNodePtr body);

#endif
