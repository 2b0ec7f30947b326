#ifndef GHB_STYLE_H
#define GHB_STYLE_H
/* The print style: page, text block, sizes, block geometry and fonts by role
   (styles/print.yaml, compiled in; a book may override any key with its own
   print.yaml). It belongs to the layout stage: the typesetter reads it, the PDF
   backend only passes it on (and reads the page size and press keys). */
#include "../fonts/fontset.h"
#include "../util/diag.h"
#include "../highlight/hl.h"
#include <stdbool.h>

typedef struct {
    float page_w, page_h, margin_top, margin_inner;
    float body, pitch, measure, indent;
    int lines, toc_depth;
    float h_size[6];
    float code_size, code_pitch, table_size, table_pitch, note_size, note_pitch;
    char *fonts[ROLE_COUNT][CHAIN_MAX];
    /* appended for #10: code highlighting */
    hl_theme_t code_theme; /* code-theme: print | grey | none */
    bool code_linenos;     /* code-line-numbers: every block numbered */
    /* press output (ghb-book pdf --press), keys under press: */
    struct {
        bool on;             /* set by the command line, not the style */
        float bleed;         /* pt on each side of the trim */
        bool crop_marks;     /* drawn outside the bleed */
        bool x4;             /* PDF/X-4, else PDF/X-1a:2001 */
        bool cmyk;           /* colour images to CMYK, else everything grey */
        char *profile;       /* the output intent's ICC profile (CMYK) */
        int n_gutter;        /* minimum inner margin by page count: */
        int gutter_pages[8]; /* from this many pages */
        float gutter[8];     /* this inner margin */
    } press;
    /* block geometry (#14) */
    float quote_indent; /* block-quote-indent: a block quote's inset from the left */
    float quote_right;  /* block-quote-right: its inset from the right (0: to the measure) */
    bool quote_rule;    /* block-quote-rule: a rule down its left inset */
    int quote_role;     /* block-quote-font: a font_role, or -1 (auto: Kai in CJK
                           books, the body face in Latin ones) */
    float list_indent;  /* list-indent: each list level's text from its parent's */
} print_t;

/* Reads the built-in style, then override (a path, may be NULL or missing). */
int print_load(print_t *p, const char *override, diags_t *d);
void print_free(print_t *p);

#endif
