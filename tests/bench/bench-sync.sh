#!/usr/bin/env bash
# Benchmark: sync throughput through a real rxdesk-server over HTTPS on 127.0.0.1.
# Workstation A (a demo clinic plus N generated signed prescriptions) pushes everything;
# workstation B, new and empty, pulls everything; then 1 % more prescriptions on A go the same
# way (the incremental case). The floor is SQLite itself in the same run: copying A's change
# log into a fresh file in one transaction, once for each side. Target: end to end within 4x
# of that floor and at least 20 000 prescriptions/s.
set -euo pipefail
cli="$1"
server="$2"
count="${3:-100000}"
dir=$(mktemp -d)
server_pid=
cleanup () { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
export XDG_DATA_HOME="$dir/data" XDG_STATE_HOME="$dir/state"
export SECRET_BACKEND=file SECRET_FILE_TEST_PATH="$dir/keyring.db" \
  SECRET_FILE_TEST_PASSWORD="${SECRET_FILE_TEST_PASSWORD:-bench}"
password="bench demo password 2026"
now () { date +%s.%N; }
json () { python3 -c "import json,sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }

echo "$password" | "$cli" --db "$dir/a.db" init --clinic Bench --demo --demo-password-stdin >/dev/null
"$cli" --db "$dir/a.db" demo generate --patients 1000 --prescriptions "$count" >/dev/null
entries=$(sqlite3 "$dir/a.db" "SELECT count(*) FROM change_log")

# the floor: the same rows into an SQLite file in one transaction, on each side
start=$(now)
for side in 1 2; do
  sqlite3 "$dir/floor$side.db" "ATTACH '$dir/a.db' AS a; BEGIN;
    CREATE TABLE log AS SELECT * FROM a.change_log; COMMIT;"
done
floor=$(python3 -c "print($(now) - $start)")

"$server" --listen 127.0.0.1:0 --data-dir "$dir/server" >"$dir/server.out" 2>"$dir/server.log" &
server_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$dir/server.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$dir/server.out")
pin=$("$server" --data-dir "$dir/server" fingerprint)
"$server" --data-dir "$dir/server" org create Bench --json >"$dir/org.json"
org=$(json org <"$dir/org.json")

echo "$password" | "$cli" --db "$dir/a.db" sync enrol --server "$url" --code "$(json code <"$dir/org.json")" \
  --pin "$pin" --as ayusuf --password-stdin >/dev/null
start=$(now)
"$cli" --db "$dir/a.db" --json sync now >"$dir/push.json"
push=$(python3 -c "print($(now) - $start)")

code=$("$server" --data-dir "$dir/server" org code "$org" --json | json code)
echo "$password" | "$cli" --db "$dir/b.db" sync enrol --server "$url" --code "$code" --pin "$pin" \
  --as ayusuf --password-stdin >/dev/null
start=$(now)
"$cli" --db "$dir/b.db" --json sync now >"$dir/pull.json"
pull=$(python3 -c "print($(now) - $start)")

# incremental: 1 % more prescriptions on A, to B
more=$(( count / 100 ))
"$cli" --db "$dir/a.db" demo generate --patients 10 --prescriptions "$more" >/dev/null
start=$(now)
"$cli" --db "$dir/a.db" --json sync now >/dev/null
"$cli" --db "$dir/b.db" --json sync now >/dev/null
incremental=$(python3 -c "print($(now) - $start)")

python3 - "$count" "$entries" "$floor" "$push" "$pull" "$more" "$incremental" <<'PY'
import sys
count, entries = int(sys.argv[1]), int(sys.argv[2])
floor, push, pull = float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
more, incremental = int(sys.argv[6]), float(sys.argv[7])
total = push + pull
rate = count / total
ratio = total / floor
print(f"sync: {count} prescriptions ({entries} change-log entries): push {push:.1f} s, "
      f"pull {pull:.1f} s, {rate:,.0f} prescriptions/s ({entries / total:,.0f} entries/s) "
      f"end to end; SQLite floor {floor:.1f} s, ratio {ratio:.1f}x")
print(f"sync incremental: {more} prescriptions A -> server -> B in {incremental:.1f} s "
      f"({more / incremental:,.0f} prescriptions/s)")
met = ratio <= 4 and rate >= 20000
print(f"targets (within 4x of the floor, 20 000 prescriptions/s): {'met' if met else 'MISSED'}")
sys.exit(0 if met else 1)
PY
