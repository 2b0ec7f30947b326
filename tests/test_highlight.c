/* The highlighter: GtkSourceView definitions read for every language the
   issue names, aliases, tokens classed as a reader expects, unknown languages
   plain, and console prompts set apart. */
#include "check.h"
#include "highlight/hl.h"
#include <stdlib.h>

/* The class of the first byte of needle in text, as highlighted in lang. */
static int class_at(const char *lang, const char *text, const char *needle) {
    size_t len = strlen(text);
    unsigned char *cls = malloc(len + 1);
    hl_highlight(hl_language(lang, NULL), text, len, cls);
    const char *p = strstr(text, needle);
    int c = p ? cls[p - text] : -1;
    free(cls);
    return c;
}

int main(void) {
    /* every must-have language resolves to a definition that loads */
    const char *must[] = {"rust", "python", "javascript", "typescript", "jsx", "tsx", "c", "cpp",
                          "go", "java", "kotlin", "swift", "bash", "shell", "powershell", "json",
                          "yaml", "toml", "ini", "xml", "html", "css", "scss", "sql", "diff",
                          "dockerfile", "makefile", "cmake", "markdown", "latex", "lua", "ruby",
                          "php", "r", "scala", "haskell", "protobuf", "graphql", "nginx",
                          /* and more, to pass 40 */
                          "c#", "perl", "dart", "julia", "ocaml", "erlang", "fortran", "d",
                          "groovy", "vala", "tcl", "awk", "fsharp", "objc", "meson", "terraform"};
    size_t n = sizeof must / sizeof *must;
    CHECK(n >= 40);
    for (size_t i = 0; i < n; i++) {
        const char *id = hl_language(must[i], NULL);
        unsigned char cls[4];
        bool ok = id && hl_highlight(id, "x y", 3, cls);
        if (!ok) fprintf(stderr, "language %s: %s\n", must[i], id ? id : "no definition");
        CHECK(ok);
    }
    CHECK(hl_language("text", NULL) == NULL);
    CHECK(hl_language("nosuchlang", NULL) == NULL);
    CHECK_STR(hl_language("rust,ignore", NULL), "rust");
    CHECK_STR(hl_language("{.py}", NULL), "python3");
    CHECK_STR(hl_language("c++", NULL), "cpp");
    CHECK_STR(hl_language("yml", NULL), "yaml");
    CHECK_STR(hl_language("ts", NULL), "typescript");
    CHECK_STR(hl_language("sh", NULL), "sh");
    CHECK_STR(hl_language("rs", NULL), "rust");
    bool ln = false;
    hl_language("python linenos", &ln);
    CHECK(ln);
    hl_language("python", &ln);
    CHECK(!ln);
    /* what code_set asks without looking the language up (code-theme none) */
    CHECK(hl_linenos("c++ linenos"));
    CHECK(hl_linenos("{.python linenos=true}"));
    CHECK(!hl_linenos("rust"));
    CHECK(!hl_linenos(NULL));

    /* tokens */
    const char *rs = "fn main() {\n    let x: u32 = 42; // note\n    let s = \"hi\";\n}\n";
    CHECK(class_at("rust", rs, "fn") == HL_KEYWORD);
    CHECK(class_at("rust", rs, "let") == HL_KEYWORD);
    CHECK(class_at("rust", rs, "u32") == HL_TYPE);
    CHECK(class_at("rust", rs, "42") == HL_NUMBER);
    CHECK(class_at("rust", rs, "// note") == HL_COMMENT);
    CHECK(class_at("rust", rs, "\"hi\"") == HL_STRING);
    CHECK(class_at("rust", rs, "main") == HL_PLAIN);
    const char *c = "/* multi\n   line */\n#include <stdio.h>\nint f(void) { return 0x1f; }\n";
    CHECK(class_at("c", c, "line */") == HL_COMMENT); /* a comment over two lines */
    CHECK(class_at("c", c, "#include") == HL_PREPROC);
    CHECK(class_at("c", c, "int") == HL_TYPE);
    CHECK(class_at("c", c, "0x1f") == HL_NUMBER);
    CHECK(class_at("python", "def f():\n    return 'a'  # c\n", "def") == HL_KEYWORD);
    CHECK(class_at("python", "def f():\n    return 'a'  # c\n", "# c") == HL_COMMENT);
    CHECK(class_at("js", "const x = \"s\"; // c\n", "const") == HL_KEYWORD);
    CHECK(class_at("js", "const x = \"s\"; // c\n", "\"s\"") == HL_STRING);
    CHECK(class_at("yaml", "key: value # c\n", "# c") == HL_COMMENT);
    CHECK(class_at("diff", "-old\n+new\n", "-old") == HL_DELETED);
    CHECK(class_at("diff", "-old\n+new\n", "+new") == HL_INSERTED);
    CHECK(class_at("sql", "SELECT a FROM t;\n", "SELECT") == HL_KEYWORD);
    CHECK(class_at("nosuchlang", "fn main", "fn") == HL_PLAIN);

    /* console: the prompt grey, the command bold, the output plain */
    const char *con = "$ cargo build\n   Compiling demo\n";
    CHECK(class_at("console", con, "$") == HL_PROMPT);
    CHECK(class_at("console", con, "cargo") == HL_COMMAND);
    CHECK(class_at("console", con, "Compiling") == HL_PLAIN);

    /* the print theme reads in greyscale: bold keywords, italic comments, dark colours */
    hl_theme_t th;
    CHECK(hl_theme("print", &th));
    CHECK(th.face[HL_KEYWORD] & HL_FACE_BOLD);
    CHECK(th.face[HL_COMMENT] & HL_FACE_ITALIC);
    for (int k = 0; k < HL_COUNT; k++) {
        uint32_t col = th.color[k];
        double lum = 0.2126 * (col >> 16 & 255) + 0.7152 * (col >> 8 & 255) + 0.0722 * (col & 255);
        CHECK(k == HL_PROMPT || lum < 0.45 * 255);
    }
    CHECK(!hl_theme("sparkly", &th));
    hl_release();
    return check_done();
}
