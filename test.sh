#!/bin/bash
# Command two: install what the tests need, then run the whole ctest suite twice:
# on a normal build with -Werror, and on an ASan+UBSan build (which also catches leaks).
set -euo pipefail
cd "$(dirname "$0")"
scripts/deps.sh test
for variant in build-test:OFF build-asan:ON; do
  dir=${variant%%:*} san=${variant##*:}
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DGHB_WERROR=ON -DGHB_SANITIZE="$san" >/dev/null
  cmake --build "$dir" -j"$(nproc)"
  echo "== ctest ($dir)"
  ctest --test-dir "$dir" --output-on-failure -j2
done
