/* The command tables of the TeX subset: symbols with their TeX atom class,
   big operators, named functions, accents, and the alphanumeric variants. */
#include "texmath.h"
#include <pthread.h>
#include <string.h>

static const msym_t syms[] = {
    /* Greek */
    {"alpha", 0x3B1, MC_ORD},
    {"beta", 0x3B2, MC_ORD},
    {"gamma", 0x3B3, MC_ORD},
    {"delta", 0x3B4, MC_ORD},
    {"epsilon", 0x3F5, MC_ORD},
    {"varepsilon", 0x3B5, MC_ORD},
    {"zeta", 0x3B6, MC_ORD},
    {"eta", 0x3B7, MC_ORD},
    {"theta", 0x3B8, MC_ORD},
    {"vartheta", 0x3D1, MC_ORD},
    {"iota", 0x3B9, MC_ORD},
    {"kappa", 0x3BA, MC_ORD},
    {"varkappa", 0x3F0, MC_ORD},
    {"lambda", 0x3BB, MC_ORD},
    {"mu", 0x3BC, MC_ORD},
    {"nu", 0x3BD, MC_ORD},
    {"xi", 0x3BE, MC_ORD},
    {"omicron", 0x3BF, MC_ORD},
    {"pi", 0x3C0, MC_ORD},
    {"varpi", 0x3D6, MC_ORD},
    {"rho", 0x3C1, MC_ORD},
    {"varrho", 0x3F1, MC_ORD},
    {"sigma", 0x3C3, MC_ORD},
    {"varsigma", 0x3C2, MC_ORD},
    {"tau", 0x3C4, MC_ORD},
    {"upsilon", 0x3C5, MC_ORD},
    {"phi", 0x3D5, MC_ORD},
    {"varphi", 0x3C6, MC_ORD},
    {"chi", 0x3C7, MC_ORD},
    {"psi", 0x3C8, MC_ORD},
    {"omega", 0x3C9, MC_ORD},
    {"Gamma", 0x393, MC_ORD},
    {"Delta", 0x394, MC_ORD},
    {"Theta", 0x398, MC_ORD},
    {"Lambda", 0x39B, MC_ORD},
    {"Xi", 0x39E, MC_ORD},
    {"Pi", 0x3A0, MC_ORD},
    {"Sigma", 0x3A3, MC_ORD},
    {"Upsilon", 0x3A5, MC_ORD},
    {"Phi", 0x3A6, MC_ORD},
    {"Psi", 0x3A8, MC_ORD},
    {"Omega", 0x3A9, MC_ORD},
    /* KaTeX's capitals that look like Latin letters (\Alpha is Α, upright) */
    {"Alpha", 0x391, MC_ORD},
    {"Beta", 0x392, MC_ORD},
    {"Epsilon", 0x395, MC_ORD},
    {"Zeta", 0x396, MC_ORD},
    {"Eta", 0x397, MC_ORD},
    {"Iota", 0x399, MC_ORD},
    {"Kappa", 0x39A, MC_ORD},
    {"Mu", 0x39C, MC_ORD},
    {"Nu", 0x39D, MC_ORD},
    {"Omicron", 0x39F, MC_ORD},
    {"Rho", 0x3A1, MC_ORD},
    {"Tau", 0x3A4, MC_ORD},
    {"Chi", 0x3A7, MC_ORD},
    {"varGamma", 0x393, MC_ORD},
    {"varDelta", 0x394, MC_ORD},
    {"varTheta", 0x398, MC_ORD},
    {"varLambda", 0x39B, MC_ORD},
    {"varPi", 0x3A0, MC_ORD},
    {"varSigma", 0x3A3, MC_ORD},
    {"varPhi", 0x3A6, MC_ORD},
    {"varPsi", 0x3A8, MC_ORD},
    {"varOmega", 0x3A9, MC_ORD},
    {"digamma", 0x3DD, MC_ORD},
    /* ordinary symbols */
    {"infty", 0x221E, MC_ORD},
    /* KaTeX's own names for the number sets (so-large-lm's \R) */
    {"R", 0x211D, MC_ORD},
    {"Reals", 0x211D, MC_ORD},
    {"reals", 0x211D, MC_ORD},
    {"Z", 0x2124, MC_ORD},
    {"N", 0x2115, MC_ORD},
    {"natnums", 0x2115, MC_ORD},
    {"Complex", 0x2102, MC_ORD},
    {"cnums", 0x2102, MC_ORD},
    {"partial", 0x2202, MC_ORD},
    {"nabla", 0x2207, MC_ORD},
    {"forall", 0x2200, MC_ORD},
    {"exists", 0x2203, MC_ORD},
    {"nexists", 0x2204, MC_ORD},
    {"emptyset", 0x2205, MC_ORD},
    {"varnothing", 0x2205, MC_ORD},
    {"neg", 0xAC, MC_ORD},
    {"lnot", 0xAC, MC_ORD},
    {"ell", 0x2113, MC_ORD},
    {"hbar", 0x210F, MC_ORD},
    {"hslash", 0x210F, MC_ORD},
    {"imath", 0x1D6A4, MC_ORD},
    {"jmath", 0x1D6A5, MC_ORD},
    {"aleph", 0x2135, MC_ORD},
    {"Re", 0x211C, MC_ORD},
    {"Im", 0x2111, MC_ORD},
    {"wp", 0x2118, MC_ORD},
    {"angle", 0x2220, MC_ORD},
    {"triangle", 0x25B3, MC_ORD},
    {"prime", 0x2032, MC_ORD},
    {"top", 0x22A4, MC_ORD},
    {"bot", 0x22A5, MC_ORD},
    {"square", 0x25A1, MC_ORD},
    {"Box", 0x25A1, MC_ORD},
    {"blacksquare", 0x25A0, MC_ORD},
    {"checkmark", 0x2713, MC_ORD},
    {"surd", 0x221A, MC_ORD},
    {"flat", 0x266D, MC_ORD},
    {"sharp", 0x266F, MC_ORD},
    {"natural", 0x266E, MC_ORD},
    {"clubsuit", 0x2663, MC_ORD},
    {"diamondsuit", 0x2662, MC_ORD},
    {"heartsuit", 0x2661, MC_ORD},
    {"spadesuit", 0x2660, MC_ORD},
    {"dagger", 0x2020, MC_BIN},
    {"ddagger", 0x2021, MC_BIN},
    {"cdots", 0x22EF, MC_INNER},
    {"ldots", 0x2026, MC_INNER},
    {"dots", 0x2026, MC_INNER},
    {"dotsc", 0x2026, MC_INNER},
    {"dotsb", 0x22EF, MC_INNER},
    {"dotsm", 0x22EF, MC_INNER},
    {"dotsi", 0x22EF, MC_INNER},
    {"dotso", 0x2026, MC_INNER},
    {"vdots", 0x22EE, MC_ORD},
    {"ddots", 0x22F1, MC_INNER},
    {"iddots", 0x22F0, MC_INNER},
    {"%", '%', MC_ORD},
    {"$", '$', MC_ORD},
    {"#", '#', MC_ORD},
    {"&", '&', MC_ORD},
    {"_", '_', MC_ORD},
    {"{", '{', MC_OPEN},
    {"}", '}', MC_CLOSE},
    {"lbrace", '{', MC_OPEN},
    {"rbrace", '}', MC_CLOSE},
    {"|", 0x2016, MC_ORD},
    {"backslash", '\\', MC_ORD},
    {"colon", ':', MC_PUNCT},
    {"langle", 0x27E8, MC_OPEN},
    {"rangle", 0x27E9, MC_CLOSE},
    {"lceil", 0x2308, MC_OPEN},
    {"rceil", 0x2309, MC_CLOSE},
    {"lfloor", 0x230A, MC_OPEN},
    {"rfloor", 0x230B, MC_CLOSE},
    {"lvert", '|', MC_OPEN},
    {"rvert", '|', MC_CLOSE},
    {"lVert", 0x2016, MC_OPEN},
    {"rVert", 0x2016, MC_CLOSE},
    {"vert", '|', MC_ORD},
    {"Vert", 0x2016, MC_ORD},
    {"lbrack", '[', MC_OPEN},
    {"rbrack", ']', MC_CLOSE},
    {"degree", 0xB0, MC_ORD},
    {"S", 0xA7, MC_ORD},
    {"P", 0xB6, MC_ORD},
    {"therefore", 0x2234, MC_REL},
    {"because", 0x2235, MC_REL},
    {"star", 0x22C6, MC_BIN},
    {"lozenge", 0x25CA, MC_ORD},
    {"mho", 0x2127, MC_ORD},
    {"complement", 0x2201, MC_ORD},
    /* binary operators */
    {"pm", 0xB1, MC_BIN},
    {"mp", 0x2213, MC_BIN},
    {"times", 0xD7, MC_BIN},
    {"div", 0xF7, MC_BIN},
    {"cdot", 0x22C5, MC_BIN},
    {"ast", 0x2217, MC_BIN},
    {"circ", 0x2218, MC_BIN},
    {"bullet", 0x2219, MC_BIN},
    {"oplus", 0x2295, MC_BIN},
    {"ominus", 0x2296, MC_BIN},
    {"otimes", 0x2297, MC_BIN},
    {"oslash", 0x2298, MC_BIN},
    {"odot", 0x2299, MC_BIN},
    {"cup", 0x222A, MC_BIN},
    {"cap", 0x2229, MC_BIN},
    {"wedge", 0x2227, MC_BIN},
    {"land", 0x2227, MC_BIN},
    {"vee", 0x2228, MC_BIN},
    {"lor", 0x2228, MC_BIN},
    {"setminus", 0x2216, MC_BIN},
    {"smallsetminus", 0x2216, MC_BIN},
    {"sqcup", 0x2294, MC_BIN},
    {"sqcap", 0x2293, MC_BIN},
    {"uplus", 0x228E, MC_BIN},
    {"diamond", 0x22C4, MC_BIN},
    {"bigtriangleup", 0x25B3, MC_BIN},
    {"bigtriangledown", 0x25BD, MC_BIN},
    {"triangleleft", 0x25C3, MC_BIN},
    {"triangleright", 0x25B9, MC_BIN},
    {"wr", 0x2240, MC_BIN},
    {"amalg", 0x2A3F, MC_BIN},
    {"cdotp", 0x22C5, MC_PUNCT},
    {"ldotp", '.', MC_PUNCT},
    {"centerdot", 0x22C5, MC_BIN},
    {"circledast", 0x229B, MC_BIN},
    {"boxplus", 0x229E, MC_BIN},
    {"boxtimes", 0x22A0, MC_BIN},
    {"odiv", 0x2A38, MC_BIN},
    {"intercal", 0x22BA, MC_BIN},
    /* relations */
    {"le", 0x2264, MC_REL},
    {"leq", 0x2264, MC_REL},
    {"ge", 0x2265, MC_REL},
    {"geq", 0x2265, MC_REL},
    {"leqslant", 0x2A7D, MC_REL},
    {"geqslant", 0x2A7E, MC_REL},
    {"ne", 0x2260, MC_REL},
    {"neq", 0x2260, MC_REL},
    {"approx", 0x2248, MC_REL},
    {"sim", 0x223C, MC_REL},
    {"simeq", 0x2243, MC_REL},
    {"equiv", 0x2261, MC_REL},
    {"cong", 0x2245, MC_REL},
    {"propto", 0x221D, MC_REL},
    {"in", 0x2208, MC_REL},
    {"notin", 0x2209, MC_REL},
    {"ni", 0x220B, MC_REL},
    {"owns", 0x220B, MC_REL},
    {"subset", 0x2282, MC_REL},
    {"supset", 0x2283, MC_REL},
    {"subseteq", 0x2286, MC_REL},
    {"supseteq", 0x2287, MC_REL},
    {"subsetneq", 0x228A, MC_REL},
    {"supsetneq", 0x228B, MC_REL},
    {"sqsubseteq", 0x2291, MC_REL},
    {"sqsupseteq", 0x2292, MC_REL},
    {"ll", 0x226A, MC_REL},
    {"gg", 0x226B, MC_REL},
    {"lesssim", 0x2272, MC_REL},
    {"gtrsim", 0x2273, MC_REL},
    {"perp", 0x22A5, MC_REL},
    {"parallel", 0x2225, MC_REL},
    {"nparallel", 0x2226, MC_REL},
    {"mid", 0x2223, MC_REL},
    {"nmid", 0x2224, MC_REL},
    {"models", 0x22A8, MC_REL},
    {"vdash", 0x22A2, MC_REL},
    {"dashv", 0x22A3, MC_REL},
    {"prec", 0x227A, MC_REL},
    {"succ", 0x227B, MC_REL},
    {"preceq", 0x2AAF, MC_REL},
    {"succeq", 0x2AB0, MC_REL},
    {"coloneqq", 0x2254, MC_REL},
    {"eqqcolon", 0x2255, MC_REL},
    {"triangleq", 0x225C, MC_REL},
    {"doteq", 0x2250, MC_REL},
    {"asymp", 0x224D, MC_REL},
    {"bowtie", 0x22C8, MC_REL},
    {"smile", 0x2323, MC_REL},
    {"frown", 0x2322, MC_REL},
    {"approxeq", 0x224A, MC_REL},
    {"lessgtr", 0x2276, MC_REL},
    {"leqq", 0x2266, MC_REL},
    {"geqq", 0x2267, MC_REL},
    {"nleq", 0x2270, MC_REL},
    {"ngeq", 0x2271, MC_REL},
    {"nsim", 0x2241, MC_REL},
    {"ncong", 0x2247, MC_REL},
    {"nless", 0x226E, MC_REL},
    {"ngtr", 0x226F, MC_REL},
    {"vDash", 0x22A8, MC_REL},
    {"Vdash", 0x22A9, MC_REL},
    {"sqsubset", 0x228F, MC_REL},
    {"sqsupset", 0x2290, MC_REL},
    {"eqsim", 0x2242, MC_REL},
    {"backsim", 0x223D, MC_REL},
    /* arrows */
    {"to", 0x2192, MC_REL},
    /* KaTeX's short names (halo2 writes \rarr, \lt) */
    {"rarr", 0x2192, MC_REL},
    {"larr", 0x2190, MC_REL},
    {"lrarr", 0x2194, MC_REL},
    {"Rarr", 0x21D2, MC_REL},
    {"Larr", 0x21D0, MC_REL},
    {"Lrarr", 0x21D4, MC_REL},
    {"lt", '<', MC_REL},
    /* KaTeX's other HTML-entity names (the Penumbra spec writes \isin 73 times) */
    {"isin", 0x2208, MC_REL},
    {"notni", 0x220C, MC_REL},
    {"sub", 0x2282, MC_REL},
    {"sube", 0x2286, MC_REL},
    {"supe", 0x2287, MC_REL},
    {"harr", 0x2194, MC_REL},
    {"lrArr", 0x21D4, MC_REL},
    {"hArr", 0x21D4, MC_REL},
    {"Harr", 0x21D4, MC_REL},
    {"lArr", 0x21D0, MC_REL},
    {"rArr", 0x21D2, MC_REL},
    {"uarr", 0x2191, MC_REL},
    {"darr", 0x2193, MC_REL},
    {"uArr", 0x21D1, MC_REL},
    {"Uarr", 0x21D1, MC_REL},
    {"dArr", 0x21D3, MC_REL},
    {"Darr", 0x21D3, MC_REL},
    {"plusmn", 0xB1, MC_BIN},
    {"sdot", 0x22C5, MC_BIN},
    {"bull", 0x2219, MC_BIN},
    {"Dagger", 0x2021, MC_BIN},
    {"infin", 0x221E, MC_ORD},
    {"empty", 0x2205, MC_ORD},
    {"exist", 0x2203, MC_ORD},
    {"alef", 0x2135, MC_ORD},
    {"alefsym", 0x2135, MC_ORD},
    {"weierp", 0x2118, MC_ORD},
    {"image", 0x2111, MC_ORD},
    {"real", 0x211C, MC_ORD},
    {"thetasym", 0x3D1, MC_ORD},
    {"sect", 0xA7, MC_ORD},
    {"clubs", 0x2663, MC_ORD},
    {"diamonds", 0x2662, MC_ORD},
    {"hearts", 0x2661, MC_ORD},
    {"spades", 0x2660, MC_ORD},
    {"gt", '>', MC_REL},
    {"rightarrow", 0x2192, MC_REL},
    {"leftarrow", 0x2190, MC_REL},
    {"gets", 0x2190, MC_REL},
    {"Rightarrow", 0x21D2, MC_REL},
    {"Leftarrow", 0x21D0, MC_REL},
    {"leftrightarrow", 0x2194, MC_REL},
    {"Leftrightarrow", 0x21D4, MC_REL},
    {"iff", 0x27FA, MC_REL},
    {"implies", 0x27F9, MC_REL},
    {"impliedby", 0x27F8, MC_REL},
    {"mapsto", 0x21A6, MC_REL},
    {"longmapsto", 0x27FC, MC_REL},
    {"uparrow", 0x2191, MC_REL},
    {"downarrow", 0x2193, MC_REL},
    {"updownarrow", 0x2195, MC_REL},
    {"Uparrow", 0x21D1, MC_REL},
    {"Downarrow", 0x21D3, MC_REL},
    {"longrightarrow", 0x27F6, MC_REL},
    {"longleftarrow", 0x27F5, MC_REL},
    {"longleftrightarrow", 0x27F7, MC_REL},
    {"Longrightarrow", 0x27F9, MC_REL},
    {"Longleftarrow", 0x27F8, MC_REL},
    {"Longleftrightarrow", 0x27FA, MC_REL},
    {"hookrightarrow", 0x21AA, MC_REL},
    {"hookleftarrow", 0x21A9, MC_REL},
    {"nearrow", 0x2197, MC_REL},
    {"searrow", 0x2198, MC_REL},
    {"swarrow", 0x2199, MC_REL},
    {"nwarrow", 0x2196, MC_REL},
    {"rightleftharpoons", 0x21CC, MC_REL},
    {"leftrightharpoons", 0x21CB, MC_REL},
    {"rightharpoonup", 0x21C0, MC_REL},
    {"leftharpoonup", 0x21BC, MC_REL},
    {"rightharpoondown", 0x21C1, MC_REL},
    {"leftharpoondown", 0x21BD, MC_REL},
    {"rightrightarrows", 0x21C9, MC_REL},
    {"leftleftarrows", 0x21C7, MC_REL},
    {"leftrightarrows", 0x21C6, MC_REL},
    {"rightleftarrows", 0x21C4, MC_REL},
    {"twoheadrightarrow", 0x21A0, MC_REL},
    {"rightsquigarrow", 0x21DD, MC_REL},
    {"leadsto", 0x21DD, MC_REL},
    {"circlearrowleft", 0x21BA, MC_REL},
    {"circlearrowright", 0x21BB, MC_REL},
    {"nrightarrow", 0x219B, MC_REL},
    {"nleftarrow", 0x219A, MC_REL},
    {"nRightarrow", 0x21CF, MC_REL},
    {"Lleftarrow", 0x21DA, MC_REL},
    {"Rrightarrow", 0x21DB, MC_REL},
};

/* An open-addressing hash of the symbol names, built on first use. */
enum { HASH_SIZE = 1024 };
static short sym_hash[HASH_SIZE]; /* 1 + index into syms, 0: empty */

static unsigned hash(const char *s) {
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void build_hash(void) {
    for (size_t i = 0; i < sizeof syms / sizeof *syms; i++) {
        unsigned h = hash(syms[i].name) % HASH_SIZE;
        while (sym_hash[h])
            h = (h + 1) % HASH_SIZE;
        sym_hash[h] = (short)(i + 1);
    }
}

/* once per process, whichever thread asks first (#14: two typeset at once) */
static pthread_once_t hash_once = PTHREAD_ONCE_INIT;

const msym_t *math_symbol(const char *name) {
    pthread_once(&hash_once, build_hash);
    for (unsigned h = hash(name) % HASH_SIZE; sym_hash[h]; h = (h + 1) % HASH_SIZE)
        if (strcmp(syms[sym_hash[h] - 1].name, name) == 0) return &syms[sym_hash[h] - 1];
    return NULL;
}

static const struct {
    msym_t s;
    bool limits;
} bigops[] = {
    {{"sum", 0x2211, MC_OP}, true},       {{"prod", 0x220F, MC_OP}, true},
    {{"coprod", 0x2210, MC_OP}, true},    {{"int", 0x222B, MC_OP}, false},
    {{"iint", 0x222C, MC_OP}, false},     {{"iiint", 0x222D, MC_OP}, false},
    {{"oint", 0x222E, MC_OP}, false},     {{"oiint", 0x222F, MC_OP}, false},
    {{"bigcup", 0x22C3, MC_OP}, true},    {{"bigcap", 0x22C2, MC_OP}, true},
    {{"bigoplus", 0x2A01, MC_OP}, true},  {{"bigotimes", 0x2A02, MC_OP}, true},
    {{"bigodot", 0x2A00, MC_OP}, true},   {{"bigvee", 0x22C1, MC_OP}, true},
    {{"bigwedge", 0x22C0, MC_OP}, true},  {{"bigsqcup", 0x2A06, MC_OP}, true},
    {{"biguplus", 0x2A04, MC_OP}, true},  {{"intop", 0x222B, MC_OP}, true},
    {{"smallint", 0x222B, MC_OP}, false},
};

const msym_t *math_bigop(const char *name, bool *limits) {
    for (size_t i = 0; i < sizeof bigops / sizeof *bigops; i++)
        if (bigops[i].s.name[0] == name[0] && strcmp(bigops[i].s.name, name) == 0) {
            *limits = bigops[i].limits;
            return &bigops[i].s;
        }
    return NULL;
}

bool math_function(const char *name, bool *limits) {
    static const char *lim[] = {"lim", "liminf", "limsup", "max",    "min",    "sup",    "inf",
                                "det", "Pr",     "gcd",    "argmax", "argmin", "injlim", "projlim"};
    static const char *nolim[] = {"sin",     "cos",    "tan",  "cot",  "sec",  "csc",  "arcsin",
                                  "arccos",  "arctan", "sinh", "cosh", "tanh", "coth", "log",
                                  "ln",      "lg",     "exp",  "arg",  "dim",  "ker",  "hom",
                                  "deg",     "sgn",    "tr",   "Tr",   "rank", "diag", "span",
                                  "softmax", "th",     "cov",  "Var",  "var",  "KL"};
    for (size_t i = 0; i < sizeof lim / sizeof *lim; i++)
        if (lim[i][0] == name[0] && strcmp(lim[i], name) == 0) return *limits = true;
    for (size_t i = 0; i < sizeof nolim / sizeof *nolim; i++)
        if (nolim[i][0] == name[0] && strcmp(nolim[i], name) == 0) {
            *limits = false;
            return true;
        }
    return false;
}

bool math_accent(const char *name, uint32_t *lcp, uint32_t *mcp, bool *under, bool *stretchy) {
    static const struct {
        const char *name;
        uint32_t layout, mathml;
        bool under, stretchy;
    } acc[] = {
        {"hat", 0x302, '^', false, false},
        {"widehat", 0x302, '^', false, true},
        {"check", 0x30C, 0x2C7, false, false},
        {"widecheck", 0x30C, 0x2C7, false, true},
        {"tilde", 0x303, '~', false, false},
        {"widetilde", 0x303, '~', false, true},
        {"bar", 0x304, 0xAF, false, false},
        {"overline", 0x305, 0xAF, false, true},
        {"underline", 0x332, '_', true, true},
        {"vec", 0x20D7, 0x2192, false, false},
        {"overrightarrow", 0x2192, 0x2192, false, true},
        {"overleftarrow", 0x2190, 0x2190, false, true},
        {"overleftrightarrow", 0x2194, 0x2194, false, true},
        {"dot", 0x307, 0x2D9, false, false},
        {"ddot", 0x308, 0xA8, false, false},
        {"dddot", 0x20DB, 0x20DB, false, false},
        {"acute", 0x301, 0xB4, false, false},
        {"grave", 0x300, '`', false, false},
        {"breve", 0x306, 0x2D8, false, false},
        {"mathring", 0x30A, 0x2DA, false, false},
        {"overbrace", 0x23DE, 0x23DE, false, true},
        {"underbrace", 0x23DF, 0x23DF, true, true},
        {"overparen", 0x23DC, 0x23DC, false, true},
        {"underparen", 0x23DD, 0x23DD, true, true},
        {"underrightarrow", 0x2192, 0x2192, true, true},
        {"underleftarrow", 0x2190, 0x2190, true, true},
    };
    for (size_t i = 0; i < sizeof acc / sizeof *acc; i++)
        if (acc[i].name[0] == name[0] && strcmp(acc[i].name, name) == 0) {
            *lcp = acc[i].layout;
            *mcp = acc[i].mathml;
            *under = acc[i].under;
            *stretchy = acc[i].stretchy;
            return true;
        }
    return false;
}

mclass math_char_class(uint32_t cp) {
    switch (cp) {
    case '+':
    case '-':
    case '*':
    case 0x2212:
    case 0xB1:
    case 0xD7:
    case 0xF7:
    case 0x22C5:
        return MC_BIN;
    case '=':
    case '<':
    case '>':
    case ':':
    case 0x2264:
    case 0x2265:
    case 0x2260:
    case 0x2192:
    case 0x2190:
    case 0x2208:
    case 0x2248:
    case 0x2261:
    case 0x221D:
        return MC_REL;
    case '(':
    case '[':
    case 0x27E8:
        return MC_OPEN;
    case ')':
    case ']':
    case '?':
    case '!':
    case 0x27E9:
        return MC_CLOSE;
    case ',':
    case ';':
    case 0xFF0C:
    case 0x3001:
        return MC_PUNCT;
    }
    if (cp >= 0x2190 && cp <= 0x21FF) return MC_REL;
    return MC_ORD;
}

uint32_t math_negate(uint32_t cp) {
    static const uint32_t pairs[][2] = {
        {'=', 0x2260},    {'<', 0x226E},    {'>', 0x226F},    {0x2208, 0x2209}, {0x2261, 0x2262},
        {0x2264, 0x2270}, {0x2265, 0x2271}, {0x223C, 0x2241}, {0x2245, 0x2247}, {0x2282, 0x2284},
        {0x2283, 0x2285}, {0x2286, 0x2288}, {0x2287, 0x2289}, {0x220B, 0x220C}, {0x2223, 0x2224},
        {0x2225, 0x2226}, {0x2243, 0x2244}, {0x2248, 0x2249}, {0x2192, 0x219B}, {0x2190, 0x219A},
        {0x21D2, 0x21CF}, {0x21D4, 0x21CE}, {0x2203, 0x2204}, {0x227A, 0x2280}, {0x227B, 0x2281},
        {0x22A2, 0x22AC}, {0x22A8, 0x22AD}};
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
        if (pairs[i][0] == cp) return pairs[i][1];
    return 0;
}

/* Letters with their own code points outside the Mathematical Alphanumeric block. */
static uint32_t hole(uint32_t cp, mvariant v) {
    static const struct {
        mvariant v;
        uint32_t from, to;
    } h[] = {{MV_DEFAULT, 'h', 0x210E}, {MV_ITALIC, 'h', 0x210E},  {MV_SCRIPT, 'B', 0x212C},
             {MV_SCRIPT, 'E', 0x2130},  {MV_SCRIPT, 'F', 0x2131},  {MV_SCRIPT, 'H', 0x210B},
             {MV_SCRIPT, 'I', 0x2110},  {MV_SCRIPT, 'L', 0x2112},  {MV_SCRIPT, 'M', 0x2133},
             {MV_SCRIPT, 'R', 0x211B},  {MV_SCRIPT, 'e', 0x212F},  {MV_SCRIPT, 'g', 0x210A},
             {MV_SCRIPT, 'o', 0x2134},  {MV_FRAKTUR, 'C', 0x212D}, {MV_FRAKTUR, 'H', 0x210C},
             {MV_FRAKTUR, 'I', 0x2111}, {MV_FRAKTUR, 'R', 0x211C}, {MV_FRAKTUR, 'Z', 0x2128},
             {MV_DOUBLE, 'C', 0x2102},  {MV_DOUBLE, 'H', 0x210D},  {MV_DOUBLE, 'N', 0x2115},
             {MV_DOUBLE, 'P', 0x2119},  {MV_DOUBLE, 'Q', 0x211A},  {MV_DOUBLE, 'R', 0x211D},
             {MV_DOUBLE, 'Z', 0x2124}};
    for (size_t i = 0; i < sizeof h / sizeof *h; i++)
        if (h[i].v == v && h[i].from == cp) return h[i].to;
    return 0;
}

uint32_t math_variant_cp(uint32_t cp, mvariant v) {
    /* offsets of capital A in U+1D400.. per variant (lowercase follows +26) */
    uint32_t base;
    switch (v) {
    case MV_DEFAULT:
    case MV_ITALIC:
        base = 0x1D434;
        break;
    case MV_BOLD:
        base = 0x1D400;
        break;
    case MV_BOLD_ITALIC:
        base = 0x1D468;
        break;
    case MV_SCRIPT:
        base = 0x1D49C;
        break;
    case MV_FRAKTUR:
        base = 0x1D504;
        break;
    case MV_DOUBLE:
        base = 0x1D538;
        break;
    case MV_SANS:
        base = 0x1D5A0;
        break;
    case MV_MONO:
        base = 0x1D670;
        break;
    default:
        return cp;
    }
    uint32_t hcp = hole(cp, v);
    if (hcp) return hcp;
    if (cp >= 'A' && cp <= 'Z') return base + (cp - 'A');
    if (cp >= 'a' && cp <= 'z') return base + 26 + (cp - 'a');
    if (cp >= '0' && cp <= '9') {
        switch (v) {
        case MV_BOLD:
        case MV_BOLD_ITALIC:
            return 0x1D7CE + (cp - '0');
        case MV_DOUBLE:
            return 0x1D7D8 + (cp - '0');
        case MV_SANS:
            return 0x1D7E2 + (cp - '0');
        case MV_MONO:
            return 0x1D7F6 + (cp - '0');
        default:
            return cp;
        }
    }
    /* Greek: italic and bold italic (lowercase 0x3B1..0x3C9, capitals 0x391..0x3A9) */
    if ((v == MV_DEFAULT || v == MV_ITALIC || v == MV_BOLD_ITALIC || v == MV_BOLD) && cp >= 0x391 &&
        cp <= 0x3C9 && cp != 0x3A2) {
        uint32_t g = v == MV_BOLD ? 0x1D6A8 : v == MV_BOLD_ITALIC ? 0x1D71C : 0x1D6E2;
        if (v == MV_DEFAULT && cp < 0x3B1) return cp; /* capital Greek stays upright */
        if (cp <= 0x3A9) return g + (cp - 0x391);
        return g + 26 + (cp - 0x3B1);
    }
    if (v == MV_DEFAULT || v == MV_ITALIC || v == MV_BOLD_ITALIC) {
        static const uint32_t vars[][2] = {{0x3F5, 0x1D716}, {0x3D1, 0x1D717}, {0x3F0, 0x1D718},
                                           {0x3D5, 0x1D719}, {0x3F1, 0x1D71A}, {0x3D6, 0x1D71B},
                                           {0x2202, 0x1D715}};
        for (size_t i = 0; i < sizeof vars / sizeof *vars; i++)
            if (vars[i][0] == cp) return vars[i][1] + (v == MV_BOLD_ITALIC ? 0x3A : 0);
    }
    return cp;
}
