#!/bin/bash
# Libraries on demand (#14): librsvg (+cairo, GIO) and libcurl are dlopen'ed the
# first time a book has an SVG or a remote image to fetch, libgif and libwebp
# on its first GIF or WebP, fontconfig (+expat) on the first character no
# bundled font has, lcms2 on a press PDF's first picture; never at start-up.
# When one cannot be loaded the book still builds, with a warning and the
# placeholder. The dynamic loader's own log (LD_DEBUG=files) says what was loaded.
# usage: lazylibs.sh GHB_BOOK_BINARY FIXTURES_DIR
set -u
bin=$1 fx=$2
. "$(dirname "$0")/lib.sh"
export XDG_CACHE_HOME="$work/cache"

# run NAME ARGS...: runs ghb-book, keeping stderr in $work/NAME.err and the
# names of the shared objects it loaded (one per line) in $work/NAME.libs
run() {
    local name=$1; shift
    mkdir -p "$work/ld-$name"
    LD_DEBUG=files LD_DEBUG_OUTPUT="$work/ld-$name/log" "$bin" "$@" >"$work/$name.out" 2>"$work/$name.err"
    rc=$?
    cat "$work/ld-$name"/log.* | sed -n 's/.*file=\([^ ]*\) .*/\1/p' | sort -u >"$work/$name.libs"
}
loaded() { grep -q "^$2" "$work/$1.libs"; }
want_loaded() { loaded "$1" "$2" && ok || bad "$1: $2 not loaded"; }
want_unloaded() { loaded "$1" "$2" && bad "$1: $2 loaded" || ok; }
heavy="librsvg-2.so libcairo.so libgio-2.0.so libcurl.so libpango"
light="libfontconfig.so libexpat.so libgif.so libwebp.so liblcms2.so"

# not linked at all: the binary's own dependencies do not name them
deps=$(ldd "$bin")
for l in $heavy $light libzip.so; do
    grep -q "$l" <<<"$deps" && bad "ldd lists $l" || ok
done

run version --version
[ "$rc" = 0 ] && ok || bad "--version exit $rc"
for l in $heavy $light; do want_unloaded version "$l"; done
# the log itself works: libc is listed
want_loaded version libc.so.6

# a book with PNG, JPEG, GIF and WebP only: the images fixture without its SVG
# files and remote images (a reference left behind would warn: no warnings wanted)
cp -r "$fx/images" "$work/plain"
sed -i '/\.svg\|PORT/d' "$work/plain"/*.md
rm -f "$work/plain"/pics/*.svg
run plain all --quiet --book "$work/plain" --out "$work/plain-out"
[ "$rc" = 0 ] && ok || { bad "plain book exit $rc"; cat "$work/plain.err"; }
[ ! -s "$work/plain.err" ] && ok || bad "plain book warns: $(cat "$work/plain.err")"
for l in $heavy libfontconfig.so libexpat.so liblcms2.so; do want_unloaded plain "$l"; done
want_loaded plain libgif.so.7
want_loaded plain libwebp.so.7
[ "$(pdfimages -list "$work"/plain-out/*.pdf 2>/dev/null | awk 'NR>2 && $3=="image"' | wc -l)" -ge 4 ] && ok ||
    bad "plain book: its images are not drawn"
# the GIF's first frame (24 x 12 pixels) and the WebP (16 x 16) are in the PDF
pdfimages -list "$work"/plain-out/*.pdf 2>/dev/null >"$work/plain.images"
for size in "24 12" "16 16"; do
    awk -v s="$size" 'NR>2 && $3=="image" && $4" "$5==s' "$work/plain.images" | grep -q . && ok ||
        bad "plain book: no $size image (GIF, WebP): $(cat "$work/plain.images")"
done

# PNG and JPEG alone: libgif and libwebp stay unloaded
cp -r "$work/plain" "$work/png"
sed -i '/\.gif\|\.webp/d' "$work/png"/*.md
rm -f "$work/png"/pics/*.gif "$work/png"/pics/*.webp
run png pdf --quiet --book "$work/png" --out "$work/png-out"
[ "$rc" = 0 ] && [ ! -s "$work/png.err" ] && ok || bad "png book: exit $rc, $(cat "$work/png.err")"
for l in $heavy $light; do want_unloaded png "$l"; done

# a character no bundled font has (Devanagari) loads fontconfig, and an
# installed font draws it; press output loads lcms2
printf '\nHindi: नमस्ते\n' >>"$work/png/pictures.md"
run fallback pdf --quiet --press --book "$work/png" --out "$work/fallback-out"
[ "$rc" = 0 ] && ok || { bad "fallback book exit $rc"; cat "$work/fallback.err"; }
grep -q 'no glyph' "$work/fallback.err" && bad "fallback: $(cat "$work/fallback.err")" || ok
want_loaded fallback libfontconfig.so.1
want_loaded fallback liblcms2.so.2
pdffonts "$work"/fallback-out/*-press.pdf 2>/dev/null | grep -q Devanagari && ok ||
    bad "fallback: no Devanagari font in the PDF"

# the SVG loads librsvg and cairo, and is drawn at 300 dpi (375 x 188 px); an
# --offline build with nothing cached never loads libcurl
cp -r "$fx/images" "$work/svg"
run svg all --quiet --offline --book "$work/svg" --out "$work/svg-out"
[ "$rc" = 0 ] && ok || { bad "svg book exit $rc"; cat "$work/svg.err"; }
want_loaded svg librsvg-2.so.2
want_loaded svg libcairo.so.2
want_unloaded svg libcurl.so
pdfimages -list "$work"/svg-out/*.pdf 2>/dev/null | awk 'NR>2 && $3=="image" && $4==375 && $5==188' | grep -q . &&
    ok || bad "svg book: the SVG raster is missing"
grep -q 'cannot be drawn' "$work/svg.err" && bad "svg book: $(cat "$work/svg.err")" || ok

# a remote image to fetch loads libcurl (a closed port: the fetch fails, with a warning)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cp -r "$work/plain" "$work/remote"
echo "Remote: ![R](http://127.0.0.1:$port/r.png)" >>"$work/remote/pictures.md"
run remote all --quiet --book "$work/remote" --out "$work/remote-out"
[ "$rc" = 0 ] && ok || { bad "remote book exit $rc"; cat "$work/remote.err"; }
want_loaded remote libcurl.so.4
want_unloaded remote librsvg-2.so
grep -q "remote image 'http://127.0.0.1:$port/r.png' not embedded" "$work/remote.err" && ok ||
    bad "remote book: no warning for the unreachable image: $(cat "$work/remote.err")"

# libraries that cannot be loaded (a broken file found first on LD_LIBRARY_PATH):
# one warning each, the placeholder, exit 0; --strict makes it fatal
mkdir -p "$work/broken"
for l in librsvg-2.so.2 libcurl.so.4 libgif.so.7 libwebp.so.7 libfontconfig.so.1 liblcms2.so.2; do
    echo "not a library" >"$work/broken/$l"
done
cp -r "$fx/images" "$work/nolib"
sed -i "s/PORT/$port/g" "$work/nolib/pictures.md"
printf '\nHindi: नमस्ते\n' >>"$work/nolib/pictures.md"
LD_LIBRARY_PATH="$work/broken" "$bin" all --quiet --book "$work/nolib" --out "$work/nolib-out" 2>"$work/nolib.err"
rc=$?
[ "$rc" = 0 ] && ok || { bad "nolib exit $rc"; cat "$work/nolib.err"; }
grep -q "pictures.md:11:9: warning: image 'pics/diagram.svg' cannot be drawn: librsvg-2.so.2 is not available" \
    "$work/nolib.err" && ok || bad "nolib: no librsvg warning: $(cat "$work/nolib.err")"
grep -q "pictures.md:7:[0-9]*: warning: image 'pics/anim.gif' cannot be drawn: libgif.so.7 is not available" \
    "$work/nolib.err" && ok || bad "nolib: no libgif warning: $(cat "$work/nolib.err")"
grep -q "pictures.md:9:[0-9]*: warning: image 'pics/green.webp' cannot be drawn: libwebp.so.7 is not available" \
    "$work/nolib.err" && ok || bad "nolib: no libwebp warning: $(cat "$work/nolib.err")"
grep -q "pictures.md:15:[0-9]*: warning: remote image 'http://127.0.0.1:$port/remote.png' not embedded (libcurl.so.4 is not available" \
    "$work/nolib.err" && ok || bad "nolib: no libcurl warning: $(cat "$work/nolib.err")"
# without fontconfig no installed font is searched: the character is reported missing
grep -q "warning: no glyph for U+0928" "$work/nolib.err" && ok ||
    bad "nolib: no missing-glyph warning without fontconfig: $(cat "$work/nolib.err")"
nolib_text=$(pdftotext "$work"/nolib-out/*.pdf - 2>/dev/null)
for p in diagram.svg anim.gif green.webp; do
    grep -q "missing image: pics/$p" <<<"$nolib_text" && ok || bad "nolib: no placeholder for $p in the PDF"
done
grep -q 'missing image' <<<"$(unzip -p "$work"/nolib-out/*.epub '*.xhtml' 2>/dev/null)" && ok ||
    bad "nolib: no placeholder in the EPUB"
# press output without lcms2: the pictures converted by luminance, one warning each
LD_LIBRARY_PATH="$work/broken" "$bin" pdf --press --quiet --offline --book "$work/nolib" --out "$work/nolib-press" \
    2>"$work/nolib-press.err"
rc=$?
[ "$rc" = 0 ] && ok || { bad "nolib --press exit $rc"; cat "$work/nolib-press.err"; }
grep -q "red.png:1:1: warning: image converted to grey without its ICC profile: liblcms2.so.2 is not available" \
    "$work/nolib-press.err" && ok || bad "nolib --press: no lcms2 warning: $(cat "$work/nolib-press.err")"
[ "$(pdfimages -list "$work"/nolib-press/*-press.pdf 2>/dev/null | awk 'NR>2 && $3=="image" && $6=="gray"' | wc -l)" -ge 2 ] &&
    ok || bad "nolib --press: the pictures are not drawn in grey"
LD_LIBRARY_PATH="$work/broken" "$bin" pdf --quiet --strict --offline --book "$work/nolib" --out "$work/nolib-strict" 2>/dev/null
[ "$?" = 1 ] && ok || bad "nolib --strict: want exit 1"

finish
