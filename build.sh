#!/bin/bash
# Command one: install what the build needs, build ghb-book, compile the book into out/ (PDF and EPUB).
set -euo pipefail
cd "$(dirname "$0")"
scripts/deps.sh build
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build -j"$(nproc)"
build/ghb-book all --book book --out out
