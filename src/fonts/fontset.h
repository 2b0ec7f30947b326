#ifndef GHB_FONTSET_H
#define GHB_FONTSET_H
/* The bundled fonts, their metrics (from HarfBuzz, not libharu) and the
   characters each build uses. The layout engine measures through this; the PDF
   backend subsets what was used and embeds it. */
#include "../util/diag.h"
#include <hb.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    ROLE_BODY,
    ROLE_SANS,
    ROLE_KAI,
    ROLE_MONO,
    ROLE_ITALIC,      /* emphasis: Latin italic, Han in 楷体 */
    ROLE_BOLD,        /* strong: Latin bold serif, Han in 黑体 */
    ROLE_SANS_BOLD,   /* strong in headings and table heads; Latin books' headings */
    ROLE_MONO_BOLD,   /* inline code inside strong */
    ROLE_BOLD_ITALIC, /* emphasis inside strong and strong inside emphasis */
    ROLE_MATH,        /* TeX math: an OpenType MATH font (#11) */
    ROLE_COUNT
} font_role;

#define FONT_MAX 48
#define CHAIN_MAX 8

typedef struct fontset fontset_t;

/* Opens the fonts named by the role chains from folder dir. Each chain lists
   file names in order: the first that has a character draws it (CJK-wide
   characters try the chain's first Han font first). */
fontset_t *fontset_open(const char *dir, const char *const chains[ROLE_COUNT][CHAIN_MAX],
                        diags_t *d);
void fontset_free(fontset_t *fs);
/* A fontset for a second typesetting thread (#14): the same fonts under the same
   numbers (HarfBuzz's faces shared), caches of its own, and the uses it records
   kept in order for fontset_join. It opens no installed font: a character only
   one has makes it refuse (fontset_fork_refused), and its work must be done
   again on fs, in order, since which font that is and its number depend on
   the order characters are met in. */
fontset_t *fontset_fork(const fontset_t *fs);
bool fontset_fork_refused(const fontset_t *fork);
/* Records fork's uses in fs as if made there, in their order, after fs's own:
   the first text a glyph keeps and the clusters are then those of one thread
   doing both parts in turn. fork is not changed (the caller frees it). */
void fontset_join(fontset_t *fs, const fontset_t *fork);
int fontset_count(const fontset_t *fs);
const char *fontset_file(const fontset_t *fs, int font);
/* The font that draws cp in role, or -1 when no font has it: the role's chain,
   the other bundled fonts, then the fonts installed on the machine (found
   through fontconfig, unless GHB_NO_SYSTEM_FONTS is set). */
int fontset_pick(fontset_t *fs, font_role role, uint32_t cp);
/* As fontset_pick, a colour font first (cp before an emoji presentation selector). */
int fontset_pick_emoji(fontset_t *fs, font_role role, uint32_t cp);
/* The font that draws cp in role as Latin text: the chain in order, without the
   Han-first rule, so that ’ “ ” — … in English take the Latin font. -1 when none. */
int fontset_pick_latin(fontset_t *fs, font_role role, uint32_t cp);
/* Advance of cp in font, in ems. */
double fontset_advance(fontset_t *fs, int font, uint32_t cp);
/* The font's own glyph for cp (its cmap), 0 when it has none. */
uint32_t fontset_gid(fontset_t *fs, int font, uint32_t cp);
/* Advance of glyph gid in font, in ems. */
double fontset_glyph_advance(fontset_t *fs, int font, uint32_t gid);
/* Records that cp is drawn with font as its cmap glyph (for subsetting and the
   ToUnicode map); returns that glyph. */
uint32_t fontset_use(fontset_t *fs, int font, uint32_t cp);
/* Records that glyph gid of font is drawn for the n characters text (a shaped
   cluster; n may be 0 for the second and later glyphs of a cluster). The first
   text recorded for a glyph is the one it keeps. */
void fontset_use_glyph(fontset_t *fs, int font, uint32_t gid, const uint32_t *text, size_t n);
bool fontset_used(const fontset_t *fs, int font);
/* The glyphs of font drawn so far (original glyph ids). */
const hb_set_t *fontset_glyphs(const fontset_t *fs, int font);
/* The text recorded for glyph gid of font; its length (0: none). */
size_t fontset_glyph_text(const fontset_t *fs, int font, uint32_t gid, const uint32_t **text);
/* The text of a cluster drawn as the ng glyphs gids of font (recorded by
   fontset_use_glyph: the first with its text, the rest with none); its
   length, 0 when no such cluster of several glyphs or characters was recorded. */
size_t fontset_cluster_text(fontset_t *fs, int font, const uint32_t *gids, size_t ng,
                            const uint32_t **text);
/* HarfBuzz's face and font (scale: font units) of font, owned by the fontset. */
hb_face_t *fontset_hb_face(const fontset_t *fs, int font);
/* Lets the pages of the font's file that have been read go (#14: a CJK font's
   subset reads megabytes of it once); they are read again if needed. */
void fontset_drop_pages(fontset_t *fs, int font);
hb_font_t *fontset_hb_font(const fontset_t *fs, int font);
/* The folder of the bundled fonts: $GHB_FONT_DIR, else ../share/ghb-book/fonts beside
   the program (an installed, relocatable prefix), else the build's source tree. Caller frees. */
char *fontset_default_dir(const char *argv0);

/* Characters drawn from installed (not bundled) fonts, in order of first use:
   the i-th in *cp and *font. Returns how many there are. */
size_t fontset_supplied(const fontset_t *fs, size_t i, uint32_t *cp, int *font);
bool fontset_is_system(const fontset_t *fs, int font);
/* A colour bitmap font (CBDT): its glyphs are drawn as images. */
bool fontset_is_color(const fontset_t *fs, int font);
/* For a colour glyph used with text: the outline glyph that carries that text
   invisibly under the image. */
bool fontset_carrier(const fontset_t *fs, int font, uint32_t gid, int *cfont, uint32_t *cgid);
/* The family name of a system font, the file name of a bundled one. */
const char *fontset_family(const fontset_t *fs, int font);

#endif
