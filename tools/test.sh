#!/usr/bin/env bash
# Quick start, step 2: the whole test suite. Installs what is needed, builds the release tree,
# the ASan+UBSan tree (every non-LibTorch library) and the fuzz tree (clang, libFuzzer), runs
# every test in each, and checks the HTML pages in a real browser.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh release
tools/build.sh asan
tools/build.sh fuzz
jobs=$(nproc)
echo "== tests (release)"
ctest --test-dir build --output-on-failure -j "$jobs"
# The validation report and the explore page in headless Chromium at 1400 and 800 px
# (docs/validate.md, "Checked in a browser"); installs Debian's chromium when it is missing.
echo "== pages in a browser"
tools/browser_check.sh --enos build/tools/enos
# Leak detection is off: LeakSanitizer's tracer crashes at exit on SystemC's coroutine stacks.
echo "== tests (ASan+UBSan)"
ASAN_OPTIONS=detect_leaks=0:detect_stack_use_after_return=0 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs"
# Each libFuzzer target for a few seconds on its corpus (docs/fuzzing.md): a crash, a
# sanitizer report or a refusal other than SpecError fails here.
echo "== fuzz smoke runs (ASan+UBSan, libFuzzer)"
ctest --test-dir build-fuzz --output-on-failure -j "$jobs"
