#ifndef GHB_HTMLSCAN_H
#define GHB_HTMLSCAN_H
#include <stddef.h>

/* Calls fn for every attribute of every start tag in an HTML fragment: a light
   scan, enough to find ids and image sources before the backends parse the HTML
   properly. off is the byte offset of the tag in html. */
typedef void (*html_attr_fn)(void *ctx, const char *tag, const char *attr, const char *value,
                             size_t off);
void html_scan_attrs(const char *html, html_attr_fn fn, void *ctx);

/* What ghb-book does with a raw HTML element of this (lower-case) name. */
typedef enum { TAG_KEEP, TAG_UNWRAP, TAG_DROP } tag_policy;
tag_policy html_tag_policy(const char *name);
#endif
