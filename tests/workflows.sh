#!/bin/bash
# The GitHub workflows validate against the workflow schema (action-validator from
# npm, installed here), and the release job runs the README's own two commands.
# usage: workflows.sh SOURCE_DIR WORK_DIR
set -u
src=$1 work=$2
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

validator=$work/npm/node_modules/.bin/action-validator
if [ ! -x "$validator" ]; then
    mkdir -p "$work/npm"
    npm install --prefix "$work/npm" --no-audit --no-fund --silent @action-validator/cli@0.6.0 >/dev/null 2>&1 ||
        { echo "FAIL: cannot install @action-validator/cli from npm"; echo "0 passed, 1 failed"; exit 1; }
fi
for wf in "$src"/.github/workflows/*.yml; do
    "$validator" "$wf" >"$work/validator.txt" 2>&1 && ok || { bad "$wf does not validate"; cat "$work/validator.txt"; }
done
rel=$src/.github/workflows/release.yml
grep -qE '^\s+run: \./build\.sh$' "$rel" && ok || bad "the release job does not run ./build.sh"
grep -qE '^\s+run: \./test\.sh$' "$rel" && ok || bad "the release job does not run ./test.sh"
grep -q 'tags: \["v\*"\]' "$rel" && ok || bad "the release job is not triggered by v* tags"
grep -q 'SHA256SUMS' "$rel" && ok || bad "the release has no SHA256SUMS"
grep -q 'exec ./test.sh' "$src/.ci/run" && ok || bad ".ci/run does not run the README's test command"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
