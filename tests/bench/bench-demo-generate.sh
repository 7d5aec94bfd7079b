#!/usr/bin/env bash
# Benchmark: `rxdesk-cli demo generate` writing 100 000 signed prescriptions (and 1 000
# patients) into a demo clinic, through the same write path as real work (change log and
# audit included). Target: under 60 s. Prints the time and the rate.
set -euo pipefail
cli="$1"
count="${2:-100000}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export XDG_DATA_HOME="$dir/data" XDG_STATE_HOME="$dir/state"
# the demo's signing keys: libsecret's file backend, in this run's own folder
export SECRET_BACKEND=file SECRET_FILE_TEST_PATH="$dir/keyring.db" \
  SECRET_FILE_TEST_PASSWORD="${SECRET_FILE_TEST_PASSWORD:-bench}"

echo "bench demo password" | "$cli" --db "$dir/bench.db" init --clinic Bench --demo \
  --demo-password-stdin >/dev/null
start=$(date +%s.%N)
"$cli" --db "$dir/bench.db" demo generate --patients 1000 --prescriptions "$count" >/dev/null
end=$(date +%s.%N)
size=$(stat -c %s "$dir/bench.db")
python3 - "$start" "$end" "$count" "$size" <<'PY'
import sys
start, end, count, size = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
secs = end - start
print(f"demo generate: {count} prescriptions in {secs:.1f} s "
      f"({count / secs:,.0f} prescriptions/s), clinic file {size / 1e6:.0f} MB; "
      f"target under 60 s: {'met' if secs < 60 else 'MISSED'}")
sys.exit(0 if secs < 60 else 1)
PY
