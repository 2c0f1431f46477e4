#!/usr/bin/env bash
# Whole-process cost of `goalcast run` on the five seed documents (PERFORMANCE.md):
# wall time and peak memory at several path counts, with and without --analysis, and the
# fixed cost of a run (inputs, tables, charts) measured at 1,000 paths.
#
#   bash benches/cost/run_costs.sh                 # PATHS="1000 100000 1000000" REPEAT=3
#   PATHS="1000 100000" REPEAT=5 bash benches/cost/run_costs.sh
#
# Prints one CSV line per (document, paths, analysis): the median wall time of REPEAT
# runs, the largest peak resident set (`/usr/bin/time -f %M`), the goals simulated and
# the scenarios (baseline + variants) of the run.
set -euo pipefail
cd "$(dirname "$0")/../.."
PATHS=${PATHS:-"1000 100000 1000000"}
REPEAT=${REPEAT:-3}
BIN=${BIN:-target/release/goalcast}
[ -n "${SKIP_BUILD:-}" ] || cargo build --release --quiet --bin goalcast
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (Debian package time)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
runs=(000_hubei_2024:hubei_2024 001_ezhou_2029:ezhou_2029 002_hubei_manufacturing_2025:hubei_manufacturing_2025
      003_hubei_sci_tech_2025:hubei_sci_tech_2025 004_huangshi_2030:huangshi_2030)
echo "document,paths,analysis,median_seconds,peak_mb,goals_simulated,scenarios"
for paths in $PATHS; do
  for analysis in no yes; do
    for r in "${runs[@]}"; do
      cat=${r%%:*} scen=${r##*:}
      flags=()
      [ "$analysis" = yes ] && flags+=(--analysis)
      times=() peak=0
      for _ in $(seq "$REPEAT"); do
        /usr/bin/time -f "%e %M" -o "$tmp/time" "$BIN" run --catalogue "data/catalogue/$cat.csv" \
          --history data/history.csv --scenario "data/scenarios/$scen.toml" --paths "$paths" \
          "${flags[@]}" --out "$tmp/out" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
        read -r s kb < <(tail -1 "$tmp/time")
        times+=("$s")
        (( kb > peak )) && peak=$kb
      done
      median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
      read -r goals scenarios < <(python3 - "$tmp/out" <<'PY'
import csv, os, sys
out = sys.argv[1]
rows = list(csv.DictReader(open(os.path.join(out, "summary.csv"), encoding="utf-8-sig")))
goals = sum(r["status"] == "simulated" for r in rows)
path = os.path.join(out, "scenarios.csv")
scenarios = len({r["scenario"] for r in csv.DictReader(open(path, encoding="utf-8-sig"))}) if os.path.exists(path) else 1
print(goals, scenarios)
PY
)
      echo "$scen,$paths,$analysis,$median,$(awk -v k="$peak" 'BEGIN {printf "%.1f", k / 1024}'),$goals,$scenarios"
    done
  done
done
