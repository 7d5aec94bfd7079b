#!/usr/bin/env bash
# Benchmark: the inventory window over 100 000 products. Writes a formulary of that many
# products (real drug names, made-up strengths), then runs bench-inventory, which makes the
# clinic, opens the window and scrolls to the end. Needs a display: run under xvfb-run.
set -euo pipefail
bench="$1"
count="${2:-100000}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

python3 - "$dir/medicines.csv" "$dir/synonyms.csv" "$count" <<'PY'
import sys
medicines, synonyms, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
forms = ["tablet", "capsule", "oral solution", "injection", "cream"]
with open(medicines, "w") as out:
    out.write("id,inn,atc,form,strength,route,pack_sizes,pack_unit,pack_prices_minor,"
              "rx_only,controlled,eml\n")
    for i in range(count):
        drug = "benchdrug%05d" % (i // 5)
        form = forms[i % 5]
        strength = "%d mg" % (5 * (1 + i % 5))
        code = "%s-%dmg-%s" % (drug, 5 * (1 + i % 5), form.replace(" ", "-"))
        out.write("%s,%s,N02BE01,%s,%s,oral,28,unit,%d,1,0,0\n"
                  % (code, drug, form, strength, 100 + i % 900))
with open(synonyms, "w") as out:
    out.write("inn,name,kind\n")
PY

export GDK_DEBUG="${GDK_DEBUG:-gl-disable}"
"$bench" "$dir/medicines.csv" "$dir/synonyms.csv"
