#!/bin/bash
# `ghb-book watch` rebuilds after a save (also in a folder made after it started), does not
# rebuild because of its own outputs (here inside the book folder), a broken save
# leaves the last good output as it was, and a build that crashes ends only itself. Bounded waits: a hang guard, not a timing test
# (bench/watch.sh measures save-to-file time).
# usage: watch.sh GHB_BOOK WORK_DIR
set -u
bin=$1 work=$2
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
rm -rf "$work" && mkdir -p "$work"
cd "$work" || exit 1
book=$work/b
"$bin" new "$book" --lang en --title 'Watched' >/dev/null || { echo "FAIL: new"; exit 1; }
pdf=$book/out/b.pdf epub=$book/out/b.epub log=$work/watch.log

# --strict is passed on to each build (the starter book has no warning to fail on)
"$bin" watch --book "$book" --out "$book/out" --strict >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
# wait_for SECONDS COMMAND...: polls every 50 ms
wait_for() {
    local end=$((SECONDS + $1))
    shift
    until "$@"; do
        [ $SECONDS -ge $end ] && return 1
        sleep 0.05
    done
}
builds() { grep -c 'watch: built in' "$log"; }
pdf_has() { pdftotext "$pdf" - 2>/dev/null | grep -q "$1"; }
changed() { [ "$(stat -c %y "$pdf" 2>/dev/null)" != "$1" ]; }

wait_for 120 test -s "$pdf" -a -s "$epub" && ok || bad "no first build"
wait_for 60 grep -q 'watch: watching' "$log" && ok || bad "watch did not start watching"
m=$(stat -c %y "$pdf")

# a save rebuilds
echo 'A sentence with the word zeppelin.' >>"$book/chapters/01-start.md"
wait_for 60 changed "$m" && ok || bad "no rebuild after a save"
wait_for 10 pdf_has zeppelin && ok || bad "the rebuilt PDF lacks the saved text"

# its own outputs (inside the book folder) start no further build
wait_for 30 grep -q 'after a change to' "$log"
n=$(builds)
sleep 1.5
[ "$(builds)" = "$n" ] && ok || bad "watch rebuilds by itself (its outputs trigger it)"

# a folder made after watch started is watched too
mkdir "$book/extra"
sleep 0.3
printf '# Extra\n\nFirst words.\n' >"$book/extra/c.md"
echo '- [Extra](extra/c.md)' >>"$book/SUMMARY.md"
wait_for 60 pdf_has 'First words' && ok || bad "no rebuild with the new chapter"
m=$(stat -c %y "$pdf")
sleep 0.2
echo 'Then a word in the new folder: quokka.' >>"$book/extra/c.md"
wait_for 60 changed "$m" && wait_for 10 pdf_has quokka && ok || bad "no rebuild after a save in a new folder"

# a broken save keeps the last good output
wait_for 30 test "$(builds)" -ge 3
cp "$pdf" "$work/good.pdf" && cp "$epub" "$work/good.epub"
# (a problem in one place of a chapter is only a warning now; an unreadable
# configuration is still an error)
cp "$book/book.yaml" "$work/book.yaml"
printf 'title: [unclosed\n' >>"$book/book.yaml"
wait_for 60 grep -q 'build failed' "$log" && ok || bad "the broken save was not reported"
grep -q 'bad YAML' "$log" && ok || bad "the broken save's diagnostics were not printed"
cmp -s "$pdf" "$work/good.pdf" && cmp -s "$epub" "$work/good.epub" && ok || bad "a broken save changed the output"
[ -z "$(find "$book/out" -name '.*')" ] && ok || bad "a temporary file was left in the output folder"

# a build that crashes (SIGABRT sent to the forked build; ASan would catch a SEGV) is reported; the watcher
# goes on, and the next save builds again
n=$(builds) crashed=
cp "$work/book.yaml" "$book/book.yaml"
more_builds() { [ "$(builds)" -gt "$n" ]; } # (a function: wait_for evaluates its arguments once)
wait_for 60 more_builds || bad "no build after the configuration was repaired"
for try in 1 2 3 4 5 6 7 8 9 10; do
    echo "Crash try $try." >>"$book/chapters/01-start.md"
    child=
    end=$((SECONDS + 10))
    while [ -z "$child" ] && [ $SECONDS -lt $end ]; do
        child=$(pgrep -P "$pid" | head -1)
        [ -z "$child" ] && sleep 0.005
        [ -z "$child" ] && grep -q "Crash try $try" <(pdftotext "$pdf" - 2>/dev/null) && break
    done
    if [ -n "$child" ] && kill -ABRT "$child" 2>/dev/null; then
        wait_for 30 grep -q 'build failed (exit 134)' "$log" && crashed=1 && break
    fi
    wait_for 30 pdf_has "Crash try $try"
done
[ -n "$crashed" ] && ok || bad "a crashed build was not reported as such"
kill -0 "$pid" 2>/dev/null && ok || bad "the watcher died with its build"
echo 'After the crash: wombat.' >>"$book/chapters/01-start.md"
wait_for 60 pdf_has wombat && ok || bad "no rebuild after a crashed build"

kill "$pid" && wait "$pid" 2>/dev/null
kill -0 "$pid" 2>/dev/null && bad "watch did not stop on SIGTERM" || ok
trap - EXIT
grep 'watch: built in' "$log" | tail -3
echo "$pass passed, $fail failed"
[ "$fail" = 0 ] || cat "$log"
[ "$fail" = 0 ]
