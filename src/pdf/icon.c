#include "icon.h"
#include <math.h>

static void bang(HPDF_Page pg, float cx, float top, float bottom, float lw) {
    HPDF_Page_SetLineWidth(pg, lw);
    HPDF_Page_MoveTo(pg, cx, top);
    HPDF_Page_LineTo(pg, cx, bottom + (top - bottom) * 0.38f);
    HPDF_Page_Stroke(pg);
    HPDF_Page_Circle(pg, cx, bottom + (top - bottom) * 0.12f, lw * 0.7f);
    HPDF_Page_Fill(pg);
}

static void polygon(HPDF_Page pg, float cx, float cy, float r, int n, float turn) {
    for (int i = 0; i <= n; i++) {
        float a = turn + 6.2831853f * (float)i / (float)n;
        float px = cx + r * cosf(a), py = cy + r * sinf(a);
        if (i == 0)
            HPDF_Page_MoveTo(pg, px, py);
        else
            HPDF_Page_LineTo(pg, px, py);
    }
    HPDF_Page_Stroke(pg);
}

void icon_draw(HPDF_Page pg, int kind, float x, float y, float d) {
    float r = d / 2, cx = x + r, cy = y - r, lw = d * 0.1f;
    HPDF_Page_SetGrayStroke(pg, 0.2f);
    HPDF_Page_SetGrayFill(pg, 0.2f);
    HPDF_Page_SetLineWidth(pg, lw);
    switch (kind) {
    case 0: /* note: a circled i */
        HPDF_Page_Circle(pg, cx, cy, r - lw / 2);
        HPDF_Page_Stroke(pg);
        HPDF_Page_Circle(pg, cx, cy + r * 0.45f, lw * 0.7f);
        HPDF_Page_Fill(pg);
        HPDF_Page_MoveTo(pg, cx, cy + r * 0.15f);
        HPDF_Page_LineTo(pg, cx, cy - r * 0.55f);
        HPDF_Page_Stroke(pg);
        break;
    case 1: /* tip: a lamp, a circle on a short base */
        HPDF_Page_Circle(pg, cx, cy + r * 0.2f, r * 0.68f);
        HPDF_Page_Stroke(pg);
        HPDF_Page_MoveTo(pg, cx - r * 0.35f, cy - r * 0.75f);
        HPDF_Page_LineTo(pg, cx + r * 0.35f, cy - r * 0.75f);
        HPDF_Page_Stroke(pg);
        break;
    case 2: /* important: a speech box with ! */
        HPDF_Page_Rectangle(pg, x + lw / 2, y - d * 0.8f, d - lw, d * 0.8f - lw / 2);
        HPDF_Page_Stroke(pg);
        bang(pg, cx, y - d * 0.15f, y - d * 0.7f, lw);
        break;
    case 3: /* warning: a triangle with ! */
        HPDF_Page_MoveTo(pg, cx, y - lw / 2);
        HPDF_Page_LineTo(pg, x + d - lw / 2, y - d + lw / 2);
        HPDF_Page_LineTo(pg, x + lw / 2, y - d + lw / 2);
        HPDF_Page_ClosePathStroke(pg);
        bang(pg, cx, y - d * 0.35f, y - d * 0.88f, lw);
        break;
    default: /* caution: an octagon with ! */
        polygon(pg, cx, cy, r - lw / 2, 8, 0.3926991f);
        bang(pg, cx, cy + r * 0.55f, cy - r * 0.6f, lw);
        break;
    }
    HPDF_Page_SetGrayStroke(pg, 0);
    HPDF_Page_SetGrayFill(pg, 0);
}
