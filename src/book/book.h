#ifndef GHB_BOOK_H
#define GHB_BOOK_H
/* The book model: metadata, chapters with their cmark-gfm trees, and one
   book-wide index of headings, anchors, links, notes and images. The loader
   builds it; both backends only read it. book_free releases everything. */
#include "../util/diag.h"
#include "include.h"
#include "../util/strmap.h"
#include <cmark-gfm.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

typedef struct {
    char *text, *url;
} meta_link_t;

typedef struct {
    char *title, *subtitle, *author, *lang, *date, *date_text, *version, *version_url;
    char *identifier, *rights, *description, *publisher, *cover, *keywords;
    char *source_text, *source_url;
    char *output; /* base name of the output files */
    meta_link_t *author_links;
    size_t n_author_links;
    time_t epoch; /* build timestamp: SOURCE_DATE_EPOCH, else the book's date */
    bool identifier_derived;
    time_t source_epoch; /* the loader's fallback date: last git commit, else newest source file */
    char **hyphenation_exceptions; /* book.yaml hyphenation-exceptions: words with hyphens */
    size_t n_hyphenation_exceptions;
    char **authors; /* each author on its own (author joins them for display) */
    size_t n_authors;
    bool epub_embed_fonts;          /* book.yaml epub-fonts: embed (or --embed-fonts) */
    bool list_figures, list_tables; /* #10: book.yaml lists: [figures, tables] */
} meta_t;

/* Figures, tables, listings (count[0..2]) or equations (count[0]) number on
   through a chapter's sub-chapters: the top-level chapter counted (1 + its
   index, 0: none yet) and the counts so far (src/book/figure.c, mathmd.c). */
typedef struct {
    int top;
    int count[3];
} numbering_t;

typedef struct {
    char *path;   /* relative to the book folder, normalized */
    char *title;  /* from SUMMARY.md (or the first heading) */
    int depth;    /* nesting in SUMMARY.md, 0 = top */
    int sum_line; /* where SUMMARY.md names it (0 when implied) */
    char *src;    /* the source bytes, cleaned, includes expanded */
    size_t len;
    size_t *line_off; /* byte offset of each line start of src */
    int n_lines;
    linemap_t map; /* where each line of src came from */
    cmark_node *doc;
    size_t first_heading, n_headings; /* range in book_t.headings */
    size_t first_note, n_notes;       /* range in book_t.notes */
    char *part;                       /* the SUMMARY part heading this chapter opens, or NULL */
    bool unnumbered; /* a prefix or suffix chapter, or the README that opens the book */
} chapter_t;

typedef struct {
    int chapter;
    char *key;    /* what Markdown links name (GitHub-style slug or raw HTML id) */
    char *id;     /* what outputs write: an XML name, unique in its chapter */
    long heading; /* index in headings (its slug, or an id written in it), or -1 */
    /* raw HTML's id or <a name>: the HTML node it stands in, else NULL. Only
       ever compared with the live tree's nodes (a later pass may replace the
       node), never followed: see pagemap_anchor_boxes */
    const struct cmark_node *node;
} anchor_t;

typedef struct {
    int chapter;
    int level;
    char *text; /* plain text of the heading */
    size_t anchor;
    cmark_node *node;
} heading_t;

typedef enum { LINK_EXTERNAL, LINK_INTERNAL, LINK_DEAD } link_kind;

/* One link node of the tree (cmark user_data points here). */
typedef struct {
    int chapter;
    link_kind kind;
    char *url;          /* external: the target as written; internal: as written */
    int target_chapter; /* internal */
    long target_anchor; /* internal: index in anchors, or -1 for the chapter's start */
    long note;          /* index in notes, or -1 when the link needs no note */
    bool shows_url;     /* its visible text is its own URL */
} link_t;

typedef enum { NOTE_URL, NOTE_FOOTNOTE } note_kind;

/* A note at the end of a chapter: a link's URL or a Markdown footnote. */
typedef struct {
    int chapter;
    note_kind kind;
    int number;      /* 1-based within the chapter */
    const char *url; /* NOTE_URL: borrowed from the link */
    cmark_node *def; /* NOTE_FOOTNOTE: the definition node */
    cmark_node *ref; /* the reference (link or footnote reference) */
} note_t;

typedef struct {
    char *path;         /* relative to the book folder (a remote image: its URL) */
    char *media_type;   /* what the EPUB package holds (WebP becomes PNG) */
    char *package_name; /* e.g. "images/img003.png" */
    char *file;         /* the file to read: in the book, or the remote image's cache copy */
    char *src_type;     /* the file's own (sniffed) media type, for the decoders */
} image_t;

/* One formula of the book: a CODE node whose user_data is 1 + its index here. */
typedef struct mathinfo {
    int chapter;
    bool display;
    char *number;      /* "2.3" or the \tag text; NULL when unnumbered */
    char *id;          /* the anchor of a numbered display ("eq-3-12"); NULL otherwise */
    cmark_node *node;  /* literal: the TeX source (the book's macros expanded) */
    char *written;     /* the TeX as written when the book's macros changed it, else NULL:
                          KaTeX's copy-tex and annotation give that (book_math_tex) */
    struct math *math; /* the parsed formula (src/math/texmath.h), owned unless shared */
    bool shared;       /* math is an earlier formula's with the same TeX (parsed once) */
    long anchor;       /* a numbered display: its index in anchors (id is its id); else -1 */
    long link;         /* \eqref{key} or \ref{key} alone: its index in links, else -1 */
    /* align, gather...: each row's number (NULL for \notag), id and anchor; the
       fields above are then the first numbered row's */
    struct mathrow {
        char *number, *id;
        long anchor;
    } * rows;
    int n_rows;
} mathinfo_t;

typedef struct {
    char *root;      /* the folder holding SUMMARY.md (the book folder, or its src/ for mdBook) */
    char *meta_file; /* book.yaml as shown in diagnostics */
    long cover;      /* index in images of the cover (book.yaml cover-image), or -1 */
    meta_t meta;
    chapter_t *chapters;
    size_t n_chapters, cap_chapters;
    heading_t *headings;
    size_t n_headings, cap_headings;
    anchor_t *anchors;
    size_t n_anchors, cap_anchors;
    link_t *links;
    size_t n_links, cap_links;
    note_t *notes;
    size_t n_notes, cap_notes;
    image_t *images;
    size_t n_images, cap_images;
    strmap_t anchor_keys, anchor_ids; /* "<chapter> <key or id>" -> index in anchors */
    diags_t *diags;                   /* borrowed */
    char *project; /* the project root (folder of the configuration): file access stops here */
    char *prefix;  /* root relative to project ("src", or "" when they are the same) */
    bool offline;  /* remote images come from the cache only */
    bool docsify;  /* a docsify site: raw HTML's relative paths are the site root's */
    struct fetch_memo *fetch_memo; /* hosts that could not be reached (image/fetch.h) */
    strmap_t unshown_images;       /* remote images already reported as not embedded */
    /* math (src/book/mathmd.c): one entry per math node, in document order */
    struct mathinfo *maths;
    size_t n_maths, cap_maths;
    strmap_t math_labels;         /* \label key -> index in maths */
    strmap_t math_sources;        /* TeX -> index in maths of its first, diagnostic-free parse */
    strmap_t math_ref_links;      /* \ref key inside a larger formula -> index in links */
    int mermaid_blocks;           /* appended for #10: Mermaid blocks (one warning per book) */
    struct texmacros *tex_macros; /* the book's KaTeX macros (texmacro.h), or NULL */
    /* #10: numbered figures, tables and listings (src/book/figure.c), in book order */
    struct xref *xrefs;
    size_t n_xrefs, cap_xrefs;
    strmap_t xref_labels; /* pandoc-crossref label ("fig:x") -> index in xrefs */
    numbering_t fig_numbering, eq_numbering;
    /* appended: the sizes pictures ask for in docsify's ':size=' (docsopt.c) */
    struct image_ask *image_asks;
    size_t n_image_asks, cap_image_asks;
    /* appended: the contents page a README-only book follows (loader.c), or NULL;
       links to it are set as text without a warning */
    char *contents_page;
    /* appended: picture path -> index in anchors of the place a link to the
       picture file lands (index.c, picture_anchor), or -2 when no page shows it */
    strmap_t picture_anchors;
} book_t;

typedef enum { XREF_FIGURE, XREF_TABLE, XREF_LISTING } xref_kind;

/* One numbered figure, table or listing. Its node (a custom block <figure>,
   or a raw-HTML <table>) has user_data 1 + its index here. */
typedef struct xref {
    xref_kind kind;
    int chapter;
    char *number;  /* "2.1" / "2-1" */
    char *caption; /* the caption's own text, without the number */
    char *label;   /* its anchor's key: the pandoc-crossref label ("fig:x"), else "figure-2.1" */
    long anchor;   /* index in anchors of the caption's <a id>, or -1 */
    cmark_node *node;
    /* the caption's text node that starts with its number ("图 2-1　", number_len
       bytes) when inlines follow it, else NULL: mathmd_plain_titles reads them
       once formulas are set (text merged into that node later is the caption's) */
    cmark_node *number_text;
    size_t number_len;
} xref_t;

/* Loads the book in folder root. Never returns NULL: problems go to diags
   (check diags->errors). The caller frees with book_free. */
book_t *book_load(const char *root, diags_t *diags);
/* The same, with options: offline (no network fetches for remote images). */
book_t *book_load_opts(const char *root, diags_t *diags, bool offline);
/* Called by the loader as soon as a book's language is known, before its
   chapters are parsed (the CLI starts loading the hyphenation patterns then:
   #14). NULL: none. Process-wide; set it before loading. */
typedef void (*book_lang_hook_t)(const char *lang);
void book_on_language(book_lang_hook_t hook);
/* Called by the loader as each chapter is parsed, with its index (the CLI
   queues its code blocks for highlighting ahead: #10). Process-wide. */
typedef void (*book_chapter_hook_t)(const book_t *b, size_t chapter);
void book_on_chapter(book_chapter_hook_t hook);
/* Resolves ref made in the root-relative folder dir, confined to the project
   (a leading "/" means root, as mdBook and docsify read it). *rel is
   root-relative and may climb out of root ("../listings/x.rs") but never out
   of the project. Same results as ref_resolve. */
int book_resolve(const book_t *b, const char *dir, const char *ref, char **rel);
/* book_resolve for a picture: in a docsify book a path missing beside its
   chapter is the site root's (the browser reads raw HTML's src that way). */
int book_resolve_picture(const book_t *b, const char *dir, const char *ref, char **rel);
void book_free(book_t *b);
/* A book of one chapter from Markdown in memory (for fuzzing and tests): file
   references in it are reported missing. */
book_t *book_from_markdown(const char *text, size_t len, diags_t *diags);

/* cmark user_data on heading, link and image nodes holds 1 + the index into
   these arrays (indexes survive the arrays growing). NULL when there is none. */
/* The index a node's user data holds, or -1. */
long book_node_index(cmark_node *n);
heading_t *book_heading_of(const book_t *b, cmark_node *n);
link_t *book_link_of(const book_t *b, cmark_node *n);
image_t *book_image_of(const book_t *b, cmark_node *n);
/* The size a Markdown picture asks for (docsify's ':size=650', ':size=50x100',
   ':size=40%'): CSS pixels, a percentage of the text width as its negative,
   0 for a side not given (htmlimg_size reads them). False when it asks none. */
bool book_image_ask(const book_t *b, cmark_node *n, float *w, float *h);
/* The loader's: records what picture n asks for, or forgets it (the node is
   replaced: a picture not fetched becomes a link). */
void book_add_image_ask(book_t *b, cmark_node *n, float w, float h);
void book_forget_image_ask(book_t *b, cmark_node *n);
/* The formula a math node holds, or NULL for any other node (mathmd.c). */
const mathinfo_t *book_math_of(const book_t *b, cmark_node *n);
/* A formula's TeX as its author wrote it (macros unexpanded): its text layer
   and the EPUB's TeX annotation. */
const char *book_math_tex(const mathinfo_t *mi);
/* The numbered display with a \label key, or NULL. */
const mathinfo_t *book_math_label(const book_t *b, const char *key);
/* What \eqref{key} shows ("2.3", the row's own in an align), or NULL; id and
   anchor (may be NULL) get the equation's anchor. */
const char *book_math_ref(const book_t *b, const char *key, const char **id, long *anchor);
/* The numbered figure, table or listing a node is, or NULL. */
const xref_t *book_xref_of(const book_t *b, cmark_node *n);
/* Whether a heading is its chapter's own title: a level-1 heading opening the file. */
bool book_heading_opens_chapter(const book_t *b, const heading_t *h);
/* How far below its chapter's entry a heading stands in the contents (1 for
   level 1 and 2, 2 for level 3, ...), or 0 when it has no entry: the chapter's
   own title, deeper than max_level, or inside a list or quote. */
int book_toc_depth(const book_t *b, const heading_t *h, int max_level);
/* The number figures and equations of chapter ch take: its top-level
   chapter's place among the numbered ones (1, 2, …), 0 in an unnumbered one. */
int book_chapter_number(const book_t *b, int ch);
/* The counts chapter ch's numbering goes on from: nm's, or zeros when ch opens
   another top-level chapter than the last one counted. Chapters are counted in
   order; the caller writes its counts back. */
int *book_numbering(numbering_t *nm, const book_t *b, int ch);
/* The image a reference from chapter ch names (Markdown or raw HTML), or NULL. */
image_t *book_find_image(const book_t *b, int ch, const char *ref);
/* The node's source position, walking up to the nearest positioned ancestor. */
void book_pos(const book_t *b, int chapter, cmark_node *n, int *line, int *col);
/* Reports a diagnostic at a chapter's line and byte column (chapter -1: book.yaml). */
void book_diag(const book_t *b, diag_sev sev, int chapter, int line, int bytecol, const char *fmt,
               ...) __attribute__((format(printf, 6, 7)));
/* A view of b whose diagnostics go to d: the same chapters, index and metadata,
   shared and read-only. Backends take the book and a sink separately (the one
   error contract, docs/ARCHITECTURE.md); this is how they hand the sink to the
   stages below them, which report through book_diag. */
book_t book_with_sink(const book_t *b, diags_t *d);
/* Makes the book safe to read from several threads at once: cmark-gfm turns a
   node's text into a C string the first time it is asked for (a write), so
   every such string is made here, before the threads start. */
void book_share(const book_t *b);
/* The path as the user should see it (book folder + relative path); caller frees. */
char *book_display_path(const book_t *b, const char *rel);

#endif
