#ifndef GHB_TYPESET_H
#define GHB_TYPESET_H
/* The book's chapters set as a vertical list of boxes, with the notes their
   lines reference. Free of libharu: the PDF backend draws what this decides. */
#include "../book/book.h"
#include "../fonts/fontset.h"
#include "style.h"
#include "vlist.h"

typedef struct {
    vlist_t body;
    pnote_t *notes;
    size_t n_notes, cap_notes;
    int *note_of; /* book note index -> notes index, or -1 */
    stree_t tree; /* the logical structure; node 0 is the Document */
} typeset_t;

/* Sets every chapter. Characters no font has are reported as warnings. An
   internal link is followed by a page reference,「（见第 N 页）」: folios gives
   the printed page of each anchor and chapter (folios[anchor], then
   folios[n_anchors + chapter]), then the page each link starts on
   (folios[n_anchors + n_chapters + link], 0 unknown): a link on its target's
   page names no page. NULL on the first pass (then "0" holds the place).
   threads: 2 lets the book's second half be set on a thread of its own (#14;
   the same result), 1 keeps it on the calling thread. */
void typeset_book(book_t *b, fontset_t *fs, const print_t *ps, const int *folios, int threads,
                  typeset_t *out);
void typeset_free(typeset_t *t);

/* Sets one paragraph of plain text as boxes (used for front matter too).
   Returns the first box index. */
size_t typeset_text(vlist_t *out, fontset_t *fs, const print_t *ps, const char *text,
                    font_role role, float size, float pitch, float x, float w,
                    int align /* 0 left 1 centre 2 right */);

/* The pixel size of a PNG or JPEG file; false when it is neither or is damaged. */
bool image_pixel_size(const char *path, int *w, int *h);

#endif
