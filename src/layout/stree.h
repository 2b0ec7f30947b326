#ifndef GHB_STREE_H
#define GHB_STREE_H
/* The logical structure of what the typesetter sets (Tagged PDF's structure
   tree, free of libharu): the typesetter adds nodes as it walks the book and
   stamps each drawing operation with the node it belongs to (op_t.tag); the
   PDF backend writes the tree, in the order the content is drawn. */
#include <stddef.h>

typedef enum {
    S_DOCUMENT,
    S_PART,
    S_SECT,
    S_H1, /* S_H1 + level - 1 up to S_H6 */
    S_H2,
    S_H3,
    S_H4,
    S_H5,
    S_H6,
    S_P,
    S_L,
    S_LI,
    S_LBL,
    S_LBODY,
    S_TABLE,
    S_TR,
    S_TH,
    S_TD,
    S_FIGURE,
    S_FORMULA,
    S_CODE,
    S_BLOCKQUOTE,
    S_NOTE,
    S_REFERENCE,
    S_LINK,
    S_TOC,
    S_TOCI,
    S_CAPTION,
    S_SPAN,
    S_COUNT
} srole_t;

/* op_t.tag: 0 no node (the backend decides by the operation's kind), TAG_ARTIFACT
   for decoration, else 1 + the node's index. */
#define TAG_ARTIFACT (-1)
#define TAG_OF(node) ((node) + 1)

typedef struct {
    srole_t role;
    int parent; /* index, -1 for the root */
    char *alt;  /* Figure, Formula: the alternate description (owned) */
    int attr;   /* L: 1 ordered, 0 not; TH, TD: STREE_CELL; Note: the note id */
} snode_t;

/* A table cell's attr: a header (bit 0; TH), the header of its row rather than
   of its column (bit 1), and its colspan and rowspan (each less one, up to 1023). */
#define STREE_CELL(head, row_head, cols, rows)                                                     \
    ((head) | (row_head) << 1 | ((cols)-1) << 2 | ((rows)-1) << 12)
#define STREE_CELL_ROW_HEAD(a) (((a) >> 1) & 1)
#define STREE_CELL_COLS(a) ((((a) >> 2) & 1023) + 1)
#define STREE_CELL_ROWS(a) ((((a) >> 12) & 1023) + 1)

typedef struct {
    snode_t *v;
    size_t n, cap;
} stree_t;

/* Adds a node under parent; returns its index. alt is copied (may be NULL). */
int stree_add(stree_t *t, int parent, srole_t role, const char *alt);
void stree_free(stree_t *t);
/* The standard structure type's name ("P", "H1", ...). */
const char *srole_name(srole_t r);

#endif
