/* The highlighter searches a context's candidates as one alternation: the
   result must be the candidates' own, in order. A grammar written for the
   test mixes what may share the alternation (keywords, plain regexes) with
   what may not (a once-only candidate, a numbered back-reference, whose
   number shifts, a # comment under an inline x option, which would swallow
   the alternatives after it). */
#include "check.h"
#include "highlight/hl.h"
#include <stdlib.h>
#include <unistd.h>

static const char *const lang =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<language id=\"alt\" name=\"Alt\" version=\"2.0\" _section=\"Other\">\n"
    "  <styles>\n"
    "    <style id=\"keyword\" map-to=\"def:keyword\"/>\n"
    "    <style id=\"string\" map-to=\"def:string\"/>\n"
    "    <style id=\"comment\" map-to=\"def:comment\"/>\n"
    "    <style id=\"number\" map-to=\"def:number\"/>\n"
    "  </styles>\n"
    "  <definitions>\n"
    "    <context id=\"alt\">\n"
    "      <include>\n"
    "        <context id=\"once\" style-ref=\"comment\" "
    "once-only=\"true\"><match>@</match></context>\n"
    "        <context id=\"quoted\" style-ref=\"number\"><match>\\Qa+b</match></context>\n"
    "        <context id=\"num\" style-ref=\"number\"><match>([0-9])+</match></context>\n"
    "        <context id=\"pair\" style-ref=\"string\"><match>([\"'])x\\1</match></context>\n"
    "        <context id=\"kw\" "
    "style-ref=\"keyword\"><keyword>if</keyword><keyword>then</keyword></context>\n"
    "        <context id=\"late\" style-ref=\"string\"><match>then|else</match></context>\n"
    "        <context id=\"xword\" style-ref=\"comment\"><match>(?x) w o r d # a "
    "comment</match></context>\n"
    "        <context id=\"xlast\" style-ref=\"number\"><match extended=\"true\">l a s "
    "t</match></context>\n"
    "      </include>\n"
    "    </context>\n"
    "  </definitions>\n"
    "</language>\n";

int main(void) {
    char dir[] = "/tmp/ghb-hlalt-XXXXXX";
    if (!mkdtemp(dir)) return 1;
    char path[64];
    snprintf(path, sizeof path, "%s/alt.lang", dir);
    FILE *f = fopen(path, "w");
    if (!f) return 1;
    fputs(lang, f);
    fclose(f);
    setenv("GHB_LANG_DIR", dir, 1);
    hl_release(); /* forget any folder read before */

    const char *text = "@ @ if a+b 'x' 'x\" 12 then else word last";
    size_t len = strlen(text);
    unsigned char cls[64];
    CHECK(hl_highlight(hl_language("alt", NULL), text, len, cls));
    /* the once-only candidate starts once: the second @ is plain */
    CHECK(cls[0] == HL_COMMENT);
    CHECK(cls[2] == HL_PLAIN);
    CHECK(cls[4] == HL_KEYWORD && cls[5] == HL_KEYWORD);
    /* \Q quotes: "a+b" itself matches */
    CHECK(cls[7] == HL_NUMBER && cls[8] == HL_NUMBER && cls[9] == HL_NUMBER);
    /* the back-reference: 'x' is a string, 'x" is not */
    CHECK(cls[11] == HL_STRING && cls[13] == HL_STRING);
    CHECK(cls[15] == HL_PLAIN && cls[17] == HL_PLAIN);
    CHECK(cls[19] == HL_NUMBER && cls[20] == HL_NUMBER);
    /* two candidates at one place: the first in order (the keyword) wins */
    CHECK(cls[22] == HL_KEYWORD && cls[25] == HL_KEYWORD);
    CHECK(cls[27] == HL_STRING && cls[30] == HL_STRING);
    /* a # comment under an inline x option: inside an alternation it would
       swallow the alternatives after it */
    CHECK(cls[32] == HL_COMMENT && cls[35] == HL_COMMENT);
    CHECK(cls[37] == HL_NUMBER && cls[40] == HL_NUMBER);

    hl_release();
    unlink(path);
    rmdir(dir);
    return check_done();
}
