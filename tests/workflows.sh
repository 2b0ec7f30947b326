#!/bin/bash
# The GitHub workflows and the action validate against their schemas (action-validator
# from npm, installed here), and so do the README's copy-paste workflow and the one
# `ghb-book new` writes; the release job tests, packages and dogfoods the action.
# usage: workflows.sh SOURCE_DIR WORK_DIR [GHB_BOOK]
set -u
src=$1 work=$2 bin=${3:-}
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

validator=$work/npm/node_modules/.bin/action-validator
if [ ! -x "$validator" ]; then
    mkdir -p "$work/npm"
    npm install --prefix "$work/npm" --no-audit --no-fund --silent @action-validator/cli@0.6.0 >/dev/null 2>&1 ||
        { echo "FAIL: cannot install @action-validator/cli from npm"; echo "0 passed, 1 failed"; exit 1; }
fi
validate() { "$validator" "$1" >"$work/validator.txt" 2>&1 && ok || { bad "$1 does not validate"; cat "$work/validator.txt"; }; }
validate "$src/action.yml"
# the README's workflow for a book repository: the yaml block after its marker
awk '/<!-- book-workflow -->/ {on = 1; next} on && /^```yaml/ {inside = 1; next} inside && /^```/ {exit} inside' \
    "$src/README.md" >"$work/readme-book.yml"
[ -s "$work/readme-book.yml" ] && ok || bad "README.md has no book workflow after <!-- book-workflow -->"
grep -q "uses: .*ghb-book@" "$work/readme-book.yml" && ok || bad "README's book workflow does not use the action"
validate "$work/readme-book.yml"
if [ -n "$bin" ]; then
    rm -rf "$work/newbook"
    "$bin" new "$work/newbook" >/dev/null && ok || bad "ghb-book new failed"
    validate "$work/newbook/.github/workflows/book.yml"
fi
act=$src/action.yml
for key in book formats press strict version; do
    grep -qE "^  $key:" "$act" && ok || bad "action.yml has no input $key"
done
for key in pdf epub files; do
    grep -qE "^  $key:" "$act" && ok || bad "action.yml has no output $key"
done
grep -q 'inputs.version || github.action_ref' "$act" && ok || bad "action.yml's version does not default to its own ref"
grep -q "using: composite" "$act" && ok || bad "action.yml is not a composite action"
grep -q 'gh release upload "$TAG" "${files\[@\]}" --clobber' "$act" && ok || bad "action.yml does not attach with gh release upload --clobber"
grep -q "actions/upload-artifact@" "$act" && ok || bad "action.yml uploads no artifact"
for wf in "$src"/.github/workflows/*.yml; do
    "$validator" "$wf" >"$work/validator.txt" 2>&1 && ok || { bad "$wf does not validate"; cat "$work/validator.txt"; }
done
rel=$src/.github/workflows/release.yml
grep -qE '^\s+uses: \./$' "$rel" && ok || bad "the release job does not build the book with the action (uses: ./)"
grep -q 'cpack -G "DEB;TGZ"' "$rel" && ok || bad "the release job does not package ghb-book"
grep -q 'ghb-book_\*_amd64.deb' "$rel" && grep -q 'linux-x86_64.tar.gz' "$rel" && ok ||
    bad "the release does not attach the .deb and .tar.gz"
grep -qE '^\s+run: \./test\.sh$' "$rel" && ok || bad "the release job does not run ./test.sh"
grep -q 'tags: \["v\*"\]' "$rel" && ok || bad "the release job is not triggered by v* tags"
grep -q 'SHA256SUMS' "$rel" && ok || bad "the release has no SHA256SUMS"
grep -q 'exec ./test.sh' "$src/.ci/run" && ok || bad ".ci/run does not run the README's test command"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
