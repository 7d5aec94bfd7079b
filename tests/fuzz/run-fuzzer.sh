#!/bin/sh
# Runs one libFuzzer target for a bounded time over a copy of its seed corpus (libFuzzer adds
# what it finds to the corpus it is given, and the tree's corpus must not change under a test
# run). A crash fails the test and leaves its input in the build directory: add that file to
# the target's corpus as the regression test. Usage: run-fuzzer.sh FUZZER CORPUS-DIR SECONDS
set -eu
fuzzer=$1
corpus=$2
seconds=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
cp -R "$corpus"/. "$work"/
exec "$fuzzer" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=1024 \
  -print_final_stats=1 -artifact_prefix="$(pwd)/crash-$(basename "$fuzzer")-" "$work"
