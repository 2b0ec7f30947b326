#!/bin/bash
# Installing and packaging, as the release job does it, on a Release build of a copy of
# the source tree: `cmake --install` to a prefix, `cpack` a .deb (Depends from shlibdeps)
# and a .tar.gz; then the prefix is moved, the copied source and build trees are deleted,
# and the moved program builds the handbook from a HOME and folder of its own. Hiding the
# moved fonts must then break the PDF: the fonts came from the prefix, nowhere else.
# usage: install.sh SOURCE_DIR WORK_DIR
set -u
src=$1 work=$2
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
rm -rf "$work" && mkdir -p "$work/src" "$work/home" "$work/moved"

tar -C "$src" --exclude=./.git --exclude=./build --exclude='./build-*' --exclude=./out -cf - . |
    tar -C "$work/src" -xf - || { echo "FAIL: cannot copy the source tree"; exit 1; }
# the release job's configuration (.github/workflows/release.yml), but keeping the
# source-font fallback: deleting the copied tree below is what makes it unreachable
cmake -S "$work/src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
    -DGHB_ZSH_COMPLETION_DIR=share/zsh/vendor-completions >"$work/cmake.txt" 2>&1 &&
    cmake --build "$work/build" -j2 >>"$work/cmake.txt" 2>&1 || { cat "$work/cmake.txt"; echo "FAIL: Release build"; exit 1; }

prefix=$work/prefix
cmake --install "$work/build" --prefix "$prefix" >"$work/install.txt" 2>&1 && ok || { bad "cmake --install"; cat "$work/install.txt"; }
fonts=$(cd "$src/fonts" && ls *.ttf *.otf *.ttc LICENSE* 2>/dev/null)
[ -n "$fonts" ] && ok || bad "no fonts in the source tree"
for f in bin/ghb-book share/man/man1/ghb-book.1 share/bash-completion/completions/ghb-book \
    share/zsh/vendor-completions/_ghb-book $(printf 'share/ghb-book/fonts/%s\n' $fonts); do
    [ -s "$prefix/$f" ] && ok || bad "the install has no $f"
done
[ ! -e "$prefix/share/ghb-book/fonts/build-fonts.py" ] && ok || bad "the install holds build-fonts.py"

# packages
(cd "$work/build" && cpack -G "DEB;TGZ") >"$work/cpack.txt" 2>&1 && ok || { bad "cpack"; tail -20 "$work/cpack.txt"; }
mkdir -p "$work/packages" && cp "$work"/build/*.deb "$work"/build/*.tar.gz "$work/packages/" 2>/dev/null
deb=$(ls "$work"/packages/ghb-book_*_amd64.deb 2>/dev/null | head -n1)
tgz=$(ls "$work"/packages/ghb-book-*-linux-x86_64.tar.gz 2>/dev/null | head -n1)
[ -n "$deb" ] && ok || bad "cpack made no ghb-book_*_amd64.deb"
[ -n "$tgz" ] && ok || bad "cpack made no ghb-book-*-linux-x86_64.tar.gz"
if [ -n "$deb" ]; then
    dpkg-deb -c "$deb" >"$work/deb.txt"
    for f in usr/bin/ghb-book usr/share/man/man1/ghb-book.1 usr/share/bash-completion/completions/ghb-book \
        usr/share/zsh/vendor-completions/_ghb-book $(printf 'usr/share/ghb-book/fonts/%s\n' $fonts); do
        grep -q " \./$f\$" "$work/deb.txt" && ok || bad "the .deb has no /$f"
    done
    deps=$(dpkg-deb -f "$deb" Depends)
    echo "deb Depends: $deps"
    # librsvg2-2, libcairo2, libcurl4, libzip4, libgif7, libwebp7, libfontconfig1, liblcms2-2:
    # dlopen'ed, listed by hand (CPACK_DEBIAN_PACKAGE_DEPENDS)
    for lib in libc6 libhpdf libzip libharfbuzz libpng librsvg2-2 libcairo2 libcurl4 \
        libgif7 libwebp7 libfontconfig1 liblcms2-2; do
        grep -q "$lib" <<<"$deps" && ok || bad "the .deb's Depends lack $lib (shlibdeps)"
    done
    # a Release build links these from static archives when Debian has them
    # (CMakeLists.txt, GHB_STATIC_DEPS): whichever it links shared, Depends must name
    dpkg-deb -x "$deb" "$work/deb" && needed=$(ldd "$work/deb/usr/bin/ghb-book")
    for lib in libxml2 libyaml libicu libcmark-gfm libhyphen libjpeg libdeflate; do
        if grep -q "$lib" <<<"$needed"; then
            grep -q "$lib" <<<"$deps" && ok || bad "the program needs $lib but the .deb's Depends lack it"
        else
            ok
        fi
    done
fi
if [ -n "$tgz" ]; then
    tar -tzf "$tgz" >"$work/tgz.txt"
    for f in bin/ghb-book share/man/man1/ghb-book.1 $(printf 'share/ghb-book/fonts/%s\n' $fonts); do
        grep -qE "^ghb-book-[^/]+-linux-x86_64/$f\$" "$work/tgz.txt" && ok || bad "the .tar.gz has no $f"
    done
fi

# move the prefix, delete the copied source and build trees (keeping the handbook)
mv "$work/src/book" "$work/book"
mv "$prefix" "$work/moved/ghb" && rm -rf "$work/src" "$work/build"
moved=$work/moved/ghb
run() { (cd "$work/home" && env -u GHB_FONT_DIR HOME="$work/home" "$@"); }
run "$moved/bin/ghb-book" all --book "$work/book" --out "$work/out" --quiet >"$work/run.txt" 2>&1 && ok ||
    { bad "the moved program cannot build the handbook"; cat "$work/run.txt"; }
[ -s "$work/out/genai-handbook.pdf" ] && [ -s "$work/out/genai-handbook.epub" ] && ok || bad "no PDF or EPUB"
pdffonts "$work/out/genai-handbook.pdf" 2>/dev/null | grep -q NotoSerifCJK && ok || bad "the PDF embeds no Noto Serif CJK"
# through a symbolic link on PATH, as /usr/local/bin links often are
mkdir -p "$work/bin" && ln -s "$moved/bin/ghb-book" "$work/bin/gb"
rm -f "$work/out/genai-handbook.pdf"
run env PATH="$work/bin:$PATH" gb pdf --book "$work/book" --out "$work/out" --quiet >/dev/null 2>&1 &&
    [ -s "$work/out/genai-handbook.pdf" ] && ok || bad "the program run through a symlink cannot build the PDF"
# hide the moved fonts: the PDF must fail (no other fonts are reachable), GHB_FONT_DIR must fix it
mv "$moved/share/ghb-book/fonts" "$moved/fonts.hidden"
run "$moved/bin/ghb-book" pdf --book "$work/book" --out "$work/out2" --quiet >"$work/hidden.txt" 2>&1
[ $? = 1 ] && grep -q 'cannot read font' "$work/hidden.txt" && ok || bad "with its fonts hidden the program still found fonts"
run env GHB_FONT_DIR="$moved/fonts.hidden" "$moved/bin/ghb-book" pdf --book "$work/book" --out "$work/out2" --quiet >/dev/null 2>&1 &&
    ok || bad "GHB_FONT_DIR is not used"
mv "$moved/fonts.hidden" "$moved/share/ghb-book/fonts"
# the tarball is relocatable too
if [ -n "$tgz" ] && mkdir -p "$work/tgz" && tar -C "$work/tgz" -xzf "$tgz"; then
    run "$work"/tgz/ghb-book-*/bin/ghb-book pdf --book "$work/book" --out "$work/out3" --quiet >/dev/null 2>&1 &&
        [ -s "$work/out3/genai-handbook.pdf" ] && ok || bad "the unpacked .tar.gz cannot build the PDF"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
