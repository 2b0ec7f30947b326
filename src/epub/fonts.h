#ifndef GHB_EPUB_FONTS_H
#define GHB_EPUB_FONTS_H
/* The print style's fonts in the EPUB (epub-fonts: embed, --embed-fonts):
   subsets of the bundled fonts holding just the characters each text role of
   the book draws, a style sheet fonts.css that names them before the usual
   families, and the fonts' licences. */
#include "../book/book.h"
#include "../fonts/fontset.h"
#include "../util/buf.h"

/* The print style's fonts (print.yaml of the book over the built-in style),
   opened from font_dir; NULL when they cannot be. Problems go to d. */
fontset_t *epub_print_fonts(const book_t *b, const char *font_dir, diags_t *d);

typedef struct epub_fonts epub_fonts_t;

/* NULL when the fonts cannot be opened (no font folder). */
epub_fonts_t *epub_fonts_open(const book_t *b, const char *font_dir);
/* Records the characters of a finished content document, each under the role
   (body, italic, bold, sans, Kai, mono) that the style sheet gives its text. */
void epub_fonts_scan(epub_fonts_t *f, const char *xhtml, size_t len);

/* A file of the package: path under EPUB/, bytes (malloc'd) and media type. */
typedef struct {
    char *href, *data;
    size_t len;
    const char *media_type;
} epub_file_t;

/* Makes the subsets, their licences and fonts.css (always the last file);
   returns how many files *out holds (the caller frees the array and hrefs,
   and takes the data). */
size_t epub_fonts_finish(epub_fonts_t *f, epub_file_t **out);
void epub_fonts_free(epub_fonts_t *f);

/* Where the style sheet that names the embedded fonts sits (under EPUB/). */
#define EPUB_FONTS_CSS "fonts.css"

#endif
