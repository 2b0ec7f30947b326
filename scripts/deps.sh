#!/bin/bash
# Installs the Debian/Ubuntu packages a task needs, as root or through sudo.
# usage: scripts/deps.sh build|test
set -euo pipefail
build_pkgs=(build-essential cmake pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev
  libhpdf-dev libzip-dev libxml2-dev libyaml-dev libharfbuzz-dev libicu-dev libpng-dev
  librsvg2-dev libgif-dev libwebp-dev libcurl4-openssl-dev libfreetype-dev fonts-lmodern)
# libhyphen and the English patterns hyphenate Latin words (read at run time)
build_pkgs+=(libhyphen-dev hyphen-en-us)
# fontconfig finds installed fonts for characters the bundled ones lack (#9)
build_pkgs+=(libfontconfig-dev fonts-noto-cjk fonts-noto-core fonts-noto-color-emoji fonts-symbola)
# BabelStone Han covers all of Ext A (U+4DB6-4DBF came in Unicode 13; Noto CJK 2.004 lacks them)
build_pkgs+=(fonts-babelstone-han)
# epubcheck and a JRE validate the EPUB; poppler, mupdf and qpdf check the PDF (and
# serve the shared scorecard with cmark-gfm); valgrind checks memory; npm brings
# the workflow validator; groff checks the man page; dpkg-dev gives cpack's .deb its
# Depends (dpkg-shlibdeps); chromium renders the EPUB for Ace and the reader test
# (pikepdf also reads the PDF page labels the EPUB page list must match).
# syntax highlighting: PCRE2 and GtkSourceView's language definitions (read at run time)
build_pkgs+=(libpcre2-dev libgtksourceview-5-common)
test_pkgs=(epubcheck default-jre-headless python3 cmark-gfm poppler-utils mupdf-tools qpdf valgrind
  python3-pikepdf curl groff dpkg-dev chromium)
# press output: lcms2 and libjpeg convert images, libgs-common has the ICC profiles
build_pkgs+=(liblcms2-dev libjpeg-dev libgs-common)
# every PDF stream is deflated with libdeflate
build_pkgs+=(libdeflate-dev)
# a Release build links libxml2 statically, and with it liblzma (CMakeLists.txt)
build_pkgs+=(liblzma-dev)
# the EPUB cover's rows are deflated by zlib itself (src/epub/cover.c)
build_pkgs+=(zlib1g-dev)

pkgs=("${build_pkgs[@]}")
if [ "${1:-build}" = test ]; then
  pkgs+=("${test_pkgs[@]}")
  command -v npm >/dev/null || pkgs+=(npm)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} = 0 ] && exit 0

if [ "$(id -u)" = 0 ]; then sudo=(); else sudo=(sudo); fi
echo "deps: installing ${missing[*]}" >&2
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
