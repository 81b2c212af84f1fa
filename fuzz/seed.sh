#!/usr/bin/env bash
# Seeds every target's corpus (fuzz/corpus/<target>/, git-ignored) from the repository's golden
# inputs and bundled TOML files, at run time, so the repository stays small. The portal target
# is seeded from trimmed captures when the portal data is on the machine (PORTAL_DATA).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
golden=$root/tests/golden/input
portal=${PORTAL_DATA:-/work/shared/portal-data/phu-tho-2026-09}
c=$here/corpus
mkdir -p "$c"/{csv_bytes,json_records,xlsx_bytes,parquet_bytes,arrow_ipc_bytes,profile_toml,swap_toml,column_map_toml,period_and_dates,portal_capture_json}

cp "$golden"/*.csv "$golden"/*.txt "$c/csv_bytes/"
cp "$golden"/*.json "$golden"/*.jsonl "$c/json_records/"
cp "$golden"/*.xlsx "$c/xlsx_bytes/"
cp "$golden"/*.parquet "$c/parquet_bytes/"
cp "$golden"/*.arrow "$c/arrow_ipc_bytes/"
cp "$root"/crates/chiso/profiles/*.toml "$c/profile_toml/"
cp "$root"/crates/chiso-calendar/data/*.toml "$c/swap_toml/"
# Regression inputs found by earlier campaigns seed their target again.
for f in "$root"/crates/chiso-io/tests/fuzz_regressions/*; do
  [ -f "$f" ] || continue
  t=$(basename "$f"); t=${t%%--*}
  [ -d "$c/$t" ] && cp "$f" "$c/$t/"
done

cat > "$c/column_map_toml/docs.toml" <<'TOML'
[dossier]
"Số biên nhận" = "dossier_id"
"Ngày nhận HS" = "received_at"
[procedure]
"Mã số TTHC" = "procedure_code"
TOML
printf '[unit]\n"Tên đơn vị" = "unit_name"\n[petition]\n"x" = "y"\n' > "$c/column_map_toml/other.toml"

i=0
for s in 2026 2026-Q3 2026-q1 2026-H2 2026-09 2026-01-01..2026-03-31 "2026-02-29" \
  "2026-09-26T11:00" "2026-09-26 11:00:00.5" "01/09/2026 08:30" "01/09/2026" \
  "2026-09-01T08:30:00+07:00" "2026-09-01T01:30:00Z" "2026-09-01 01:30:00 UTC" \
  "45000.5" "20260901083000" "20260901" "1e999" "có" "true" "-"; do
  printf '%s' "$s" > "$c/period_and_dates/seed-$i"; i=$((i + 1))
done

if [ -d "$portal" ] && command -v python3 >/dev/null; then
  python3 - "$portal" "$c/portal_capture_json" <<'PY'
import json, pathlib, sys
src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for f in sorted(src.glob("*/*.json")):
    try:
        v = json.loads(f.read_text())
    except Exception:
        continue
    d = v.get("data") if isinstance(v, dict) else None
    if not isinstance(d, dict):
        continue
    for k in ("children", "evaluation"):
        if isinstance(d.get(k), list):
            d[k] = d[k][:2]
    (out / f"{f.parent.name}-{f.stem}.json").write_text(json.dumps(v, ensure_ascii=False))
PY
fi
echo "seeded: $(for d in "$c"/*/; do printf '%s=%s ' "$(basename "$d")" "$(ls "$d" | wc -l)"; done)"
