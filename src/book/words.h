#ifndef GHB_WORDS_H
#define GHB_WORDS_H
/* Every word ghb-book generates (not the author's text), one table per
   language. Backends never write a language's words inline: they ask here.
   To add a word: a key in word_id and its text in each table of words.c. */

typedef enum { LANG_ZH_HANS, LANG_ZH_HANT, LANG_EN, LANG_COUNT } lang_kind;

typedef enum {
    W_CONTENTS,        /* the contents' heading */
    W_LANDMARKS,       /* EPUB landmarks nav */
    W_TITLE_PAGE,      /* landmark */
    W_BODY_START,      /* landmark */
    W_COVER,           /* cover page / landmark */
    W_NOTES,           /* heading of a chapter's notes */
    W_PAGE_LIST,       /* EPUB page-list nav */
    W_SOURCE,          /* "Source: " before the original's address */
    W_VERSION,         /* "Version " */
    W_TYPESET_BY,      /* printf: ghb-book version, date */
    W_PAGE_REF,        /* printf %s: the printed page, after an internal link */
    W_PAGE_REF_OPEN,   /* around a parenthetical aside: "（" / " (" */
    W_PAGE_REF_CLOSE,  /* "）" / ")" */
    W_MISSING_IMAGE,   /* printf %s: path; placeholder for an image that cannot be shown */
    W_MISSING_INCLUDE, /* printf %s: path */
    W_FIGURE,          /* printf %s: number, "图 2-1" / "Figure 2.1" */
    W_TABLE,           /* printf %s: number */
    W_LISTING,         /* printf %s: number */
    W_EQUATION,        /* printf %s: number */
    W_LIST_OF_FIGURES,
    W_LIST_OF_TABLES,
    W_CALLOUT_NOTE,
    W_CALLOUT_TIP,
    W_CALLOUT_IMPORTANT,
    W_CALLOUT_WARNING,
    W_CALLOUT_CAUTION,
    W_MERMAID_UNRENDERED,
    W_PART,              /* printf %s: part number, when a part has no title */
    W_A11Y_SUMMARY,      /* schema:accessibilitySummary */
    W_COLON,             /* after a label: "：" / ": " */
    W_NOTE_TEXT_URL_SEP, /* between a link's text and its URL in a note: "：" / ": " */
    W_LIST_SEP,          /* between items of a run-in list: "、" / ", " */
    W_ISBN,              /* printf %s: the number, "ISBN 978-…" */
    W_EDITION_SEP,       /* between the version and the date on the title page */
    W_LINK,              /* a link's description when it has no text (PDF /Contents) */
    W_GLOSSARY,          /* GitBook GLOSSARY.md's chapter title */
    W_DETAILS, /* the summary of a raw-HTML <details> that has none (what browsers show) */
    W_COUNT
} word_id;

/* The table for a BCP 47 tag: zh-TW, zh-HK, zh-MO and zh-Hant* are
   traditional, other zh* simplified, anything else English. */
lang_kind lang_kind_of(const char *bcp47);
/* The word in a language; never NULL. */
const char *word(lang_kind lang, word_id id);
/* Whether the language sets text as Chinese (full-width punctuation, no spaces). */
int lang_is_cjk(lang_kind lang);

#endif
