# Shared by the shell tests: a scratch folder removed on exit, and pass/fail counts
# reported as "N passed, N failed" by finish.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
finish() {
    echo "$pass passed, $fail failed"
    [ "$fail" = 0 ]
}
