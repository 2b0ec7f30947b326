#include "words.h"
#include <string.h>
#include <strings.h>

static const char *const words_zh_hans[W_COUNT] = {
    [W_CONTENTS] = "目录",
    [W_LANDMARKS] = "导览",
    [W_TITLE_PAGE] = "扉页",
    [W_BODY_START] = "正文",
    [W_COVER] = "封面",
    [W_NOTES] = "注释",
    [W_PAGE_LIST] = "页码",
    [W_SOURCE] = "来源：",
    [W_VERSION] = "版本 ",
    [W_TYPESET_BY] = "由 ghb-book %s 排版，构建日期 %s。",
    [W_PAGE_REF] = "（见第 %s 页）",
    [W_PAGE_REF_OPEN] = "（",
    [W_PAGE_REF_CLOSE] = "）",
    [W_MISSING_IMAGE] = "〔缺图：%s〕",
    [W_MISSING_INCLUDE] = "〔缺少包含文件：%s〕",
    [W_FIGURE] = "图 %s",
    [W_TABLE] = "表 %s",
    [W_LISTING] = "代码 %s",
    [W_EQUATION] = "式 %s",
    [W_LIST_OF_FIGURES] = "插图目录",
    [W_LIST_OF_TABLES] = "表格目录",
    [W_CALLOUT_NOTE] = "说明",
    [W_CALLOUT_TIP] = "提示",
    [W_CALLOUT_IMPORTANT] = "重要",
    [W_CALLOUT_WARNING] = "警告",
    [W_CALLOUT_CAUTION] = "注意",
    [W_MERMAID_UNRENDERED] = "（Mermaid 图，未渲染）",
    [W_PART] = "第 %s 部分",
    [W_A11Y_SUMMARY] =
        "本书结构完整，含导航目录与阅读顺序；外部链接以注释列出网址；图像附有替代文字。",
    [W_COLON] = "：",
    [W_NOTE_TEXT_URL_SEP] = "：",
    [W_LIST_SEP] = "、",
    [W_ISBN] = "ISBN %s",
    [W_EDITION_SEP] = "　",
    [W_LINK] = "链接",
    [W_GLOSSARY] = "术语表",
    [W_DETAILS] = "详情",
};

static const char *const words_zh_hant[W_COUNT] = {
    [W_CONTENTS] = "目錄",
    [W_LANDMARKS] = "導覽",
    [W_TITLE_PAGE] = "扉頁",
    [W_BODY_START] = "正文",
    [W_COVER] = "封面",
    [W_NOTES] = "註釋",
    [W_PAGE_LIST] = "頁碼",
    [W_SOURCE] = "來源：",
    [W_VERSION] = "版本 ",
    [W_TYPESET_BY] = "由 ghb-book %s 排版，建置日期 %s。",
    [W_PAGE_REF] = "（見第 %s 頁）",
    [W_PAGE_REF_OPEN] = "（",
    [W_PAGE_REF_CLOSE] = "）",
    [W_MISSING_IMAGE] = "〔缺圖：%s〕",
    [W_MISSING_INCLUDE] = "〔缺少引入檔案：%s〕",
    [W_FIGURE] = "圖 %s",
    [W_TABLE] = "表 %s",
    [W_LISTING] = "程式碼 %s",
    [W_EQUATION] = "式 %s",
    [W_LIST_OF_FIGURES] = "插圖目錄",
    [W_LIST_OF_TABLES] = "表格目錄",
    [W_CALLOUT_NOTE] = "說明",
    [W_CALLOUT_TIP] = "提示",
    [W_CALLOUT_IMPORTANT] = "重要",
    [W_CALLOUT_WARNING] = "警告",
    [W_CALLOUT_CAUTION] = "注意",
    [W_MERMAID_UNRENDERED] = "（Mermaid 圖，未算繪）",
    [W_PART] = "第 %s 部分",
    [W_A11Y_SUMMARY] =
        "本書結構完整，含導覽目錄與閱讀順序；外部連結以註釋列出網址；圖像附有替代文字。",
    [W_COLON] = "：",
    [W_NOTE_TEXT_URL_SEP] = "：",
    [W_LIST_SEP] = "、",
    [W_ISBN] = "ISBN %s",
    [W_EDITION_SEP] = "　",
    [W_LINK] = "連結",
    [W_GLOSSARY] = "詞彙表",
    [W_DETAILS] = "詳情",
};

static const char *const words_en[W_COUNT] = {
    [W_CONTENTS] = "Contents",
    [W_LANDMARKS] = "Landmarks",
    [W_TITLE_PAGE] = "Title page",
    [W_BODY_START] = "Start of content",
    [W_COVER] = "Cover",
    [W_NOTES] = "Notes",
    [W_PAGE_LIST] = "Pages",
    [W_SOURCE] = "Source: ",
    [W_VERSION] = "Version ",
    [W_TYPESET_BY] = "Typeset by ghb-book %s on %s.",
    [W_PAGE_REF] = " (see page %s)",
    [W_PAGE_REF_OPEN] = " (",
    [W_PAGE_REF_CLOSE] = ")",
    [W_MISSING_IMAGE] = "[missing image: %s]",
    [W_MISSING_INCLUDE] = "[missing include: %s]",
    [W_FIGURE] = "Figure %s",
    [W_TABLE] = "Table %s",
    [W_LISTING] = "Listing %s",
    [W_EQUATION] = "Equation %s",
    [W_LIST_OF_FIGURES] = "List of Figures",
    [W_LIST_OF_TABLES] = "List of Tables",
    [W_CALLOUT_NOTE] = "Note",
    [W_CALLOUT_TIP] = "Tip",
    [W_CALLOUT_IMPORTANT] = "Important",
    [W_CALLOUT_WARNING] = "Warning",
    [W_CALLOUT_CAUTION] = "Caution",
    [W_MERMAID_UNRENDERED] = "(Mermaid diagram, not rendered)",
    [W_PART] = "Part %s",
    [W_A11Y_SUMMARY] =
        "The book has structural navigation, a table of contents and a reading order; "
        "external links are listed with their addresses in notes; images have text "
        "alternatives.",
    [W_COLON] = ": ",
    [W_NOTE_TEXT_URL_SEP] = ": ",
    [W_LIST_SEP] = ", ",
    [W_ISBN] = "ISBN %s",
    [W_EDITION_SEP] = " · ",
    [W_LINK] = "link",
    [W_GLOSSARY] = "Glossary",
    [W_DETAILS] = "Details",
};

static const char *const *const tables[LANG_COUNT] = {words_zh_hans, words_zh_hant, words_en};

lang_kind lang_kind_of(const char *tag) {
    if (!tag || strncasecmp(tag, "zh", 2) != 0 || (tag[2] && tag[2] != '-' && tag[2] != '_'))
        return LANG_EN;
    const char *rest = tag + 2;
    if (strcasestr(rest, "hant") || strcasestr(rest, "-tw") || strcasestr(rest, "-hk") ||
        strcasestr(rest, "-mo") || strcasestr(rest, "_tw") || strcasestr(rest, "_hk"))
        return LANG_ZH_HANT;
    return LANG_ZH_HANS;
}

const char *word(lang_kind lang, word_id id) {
    if ((unsigned)lang >= LANG_COUNT || (unsigned)id >= W_COUNT) return "";
    const char *w = tables[lang][id];
    return w ? w : words_en[id] ? words_en[id] : "";
}

int lang_is_cjk(lang_kind lang) {
    return lang == LANG_ZH_HANS || lang == LANG_ZH_HANT;
}
