#ifndef GHB_CLUSTERS_H
#define GHB_CLUSTERS_H
/* The text of each shaped cluster of several glyphs, found by its glyphs. A
   glyph's ToUnicode entry is one text, the first it was drawn for; a cluster
   such as Devanagari नि (vowel sign drawn before the consonant) or ता needs its
   own text, which the PDF gives it as ActualText (pdf/fontembed.c). */
#include <stddef.h>
#include <stdint.h>

typedef struct clusters clusters_t;

clusters_t *clusters_new(void);
void clusters_free(clusters_t *c);
/* Keeps text for the glyph sequence gids of font; the first text given stays. */
void clusters_add(clusters_t *c, int font, const uint32_t *gids, size_t ng, const uint32_t *text,
                  size_t nt);
/* The text kept for gids of font; its length, 0 when none. */
size_t clusters_find(const clusters_t *c, int font, const uint32_t *gids, size_t ng,
                     const uint32_t **text);

#endif
