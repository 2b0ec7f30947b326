#ifndef GHB_EPUB_XMLW_H
#define GHB_EPUB_XMLW_H
/* Shorthands for libxml2's xmlTextWriter, as the OPF, nav and NCX writers use it. */
#include <libxml/xmlwriter.h>

#define EL(w, name) xmlTextWriterStartElement(w, BAD_CAST(name))
#define END(w) xmlTextWriterEndElement(w)
#define ATTR(w, name, value) xmlTextWriterWriteAttribute(w, BAD_CAST(name), BAD_CAST(value))
#define TEXT(w, s) xmlTextWriterWriteString(w, BAD_CAST(s))

#endif
