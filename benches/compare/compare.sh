#!/usr/bin/env bash
# Throughput of the "full job" (N paths x T years of lognormal growth, per-year
# hit fraction and 5/50/95 % level quantiles): NumPy against goalcast, run one
# after the other on the same machine.  See README.md in this directory.
#
# Environment overrides:
#   PATHS (1000000)  YEARS (10)  REPEAT (3)  SEED (42)
#   ROUNDS (3)                rounds of every run below, interleaved, so that a slow
#                             spell of a shared machine hits all of them alike; each
#                             figure is the best of its rounds
#   NUMPY_THREADS ("1 2")     thread counts for numpy_full_job.py (the first is the baseline)
#   GOALCAST_THREADS ("1 2")  thread counts for goalcast's full_job example
#   NUMPY_ARGS ("")           extra arguments for numpy_full_job.py (e.g. "--variant sort")
#   LIMIT (1)                 also run goalcast's limit probe (generator + normal sampler
#                             alone) and hit counting alone on 1 thread, and print the
#                             full job's and the hit counting's fractions of the limit
#                             (and of the limit with each path's generator seeded), the
#                             streaming histograms' stage timed alone, a full-job
#                             path-step split into hit counting and quantiles, and what
#                             12x NumPy would leave the quantiles
#   BASELINE_CMD              command prefix of an earlier goalcast's full_job (e.g. main's
#                             binary, built as README.md says): its limit probe and full job
#                             (1 thread) run in every round too, so that the new figures are
#                             given as fractions of the old limit as well, from the same run
#   PYTHON (python3)
#   GOALCAST_CMD              command prefix for goalcast's side; the script appends
#                             "--paths N --years T --seed S --threads K --repeat R".
#                             Default: cargo run --release --quiet --example full_job --
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PATHS="${PATHS:-1000000}"
YEARS="${YEARS:-10}"
REPEAT="${REPEAT:-3}"
SEED="${SEED:-42}"
NUMPY_THREADS="${NUMPY_THREADS:-1 2}"
GOALCAST_THREADS="${GOALCAST_THREADS:-1 2}"
NUMPY_ARGS="${NUMPY_ARGS:-}"
PYTHON="${PYTHON:-python3}"
LIMIT="${LIMIT:-1}"
ROUNDS="${ROUNDS:-3}"

if ! "$PYTHON" -c 'import numpy' 2>/dev/null; then
    echo "numpy not found; installing it with pip ..." >&2
    "$PYTHON" -m pip install --quiet numpy
fi

if [[ -z "${GOALCAST_CMD:-}" ]]; then
    # Build first so that compiling never overlaps a timed run.
    (cd "$ROOT" && cargo build --release --quiet --example full_job)
    GOALCAST_CMD="cargo run --release --quiet --example full_job --"
fi

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

# Keep only the JSON line of a run's stdout (the last line starting with '{').
json_line() { grep '^{' | tail -n 1; }

echo "full job: paths=$PATHS years=$YEARS seed=$SEED repeat=$REPEAT rounds=$ROUNDS (best of all)" >&2
for round in $(seq "$ROUNDS"); do
    for k in $NUMPY_THREADS; do
        echo "round $round: numpy, $k thread(s) ..." >&2
        # shellcheck disable=SC2086
        "$PYTHON" "$HERE/numpy_full_job.py" --paths "$PATHS" --years "$YEARS" --seed "$SEED" \
            --repeat "$REPEAT" --threads "$k" $NUMPY_ARGS | json_line >> "$OUT/numpy_$k.json"
    done
    for k in $GOALCAST_THREADS; do
        echo "round $round: goalcast, $k thread(s) ..." >&2
        # shellcheck disable=SC2086
        (cd "$ROOT" && $GOALCAST_CMD --paths "$PATHS" --years "$YEARS" --seed "$SEED" \
            --threads "$k" --repeat "$REPEAT") | json_line >> "$OUT/goalcast_$k.json"
    done
    if [[ "$LIMIT" == 1 ]]; then
        echo "round $round: goalcast's limit probe and hit counting alone, 1 thread ..." >&2
        (cd "$ROOT" && $GOALCAST_CMD --limit --paths "$PATHS" --years "$YEARS" --seed "$SEED" \
            --repeat "$REPEAT") | json_line >> "$OUT/limit.json"
        (cd "$ROOT" && $GOALCAST_CMD --quantiles none --paths "$PATHS" --years "$YEARS" \
            --seed "$SEED" --threads 1 --repeat "$REPEAT") | json_line >> "$OUT/hits_1.json"
    fi
    if [[ -n "${BASELINE_CMD:-}" ]]; then
        echo "round $round: the baseline's limit probe and full job, 1 thread ..." >&2
        (cd "$ROOT" && $BASELINE_CMD --limit --paths "$PATHS" --years "$YEARS" --seed "$SEED" \
            --repeat "$REPEAT") | json_line >> "$OUT/old_limit.json"
        (cd "$ROOT" && $BASELINE_CMD --quantiles streaming --paths "$PATHS" --years "$YEARS" \
            --seed "$SEED" --threads 1 --repeat "$REPEAT") | json_line >> "$OUT/old_goalcast_1.json"
    fi
done

"$PYTHON" - "$OUT" "$PATHS" "$YEARS" "$NUMPY_THREADS" "$GOALCAST_THREADS" <<'PY'
import json, math, os, sys

out, paths, years = sys.argv[1], int(float(sys.argv[2])), int(sys.argv[3])
np_threads = [int(k) for k in sys.argv[4].split()]
gc_threads = [int(k) for k in sys.argv[5].split()]
KEYS = ("hit_fraction", "q05", "q50", "q95")

def best(name):
    """The fastest of a run's rounds (one JSON line per round), or None."""
    path = os.path.join(out, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        lines = [json.loads(line) for line in f if line.strip()]
    if not lines:
        sys.exit(f"error: no JSON line from {name[:-5]} (see its output above)")
    return max(lines, key=lambda r: r.get("path_steps_per_sec", r.get("normals_per_sec", 0)))

def best_by(key, name="limit.json"):
    """The limit round fastest by `key` (each of the probe's figures is judged
    separately), or None where no round reports it (an older build's probe)."""
    path = os.path.join(out, name)
    with open(path) as f:
        lines = [json.loads(line) for line in f if line.strip()]
    return max((r[key] for r in lines if key in r), default=None)

def load(name):
    r = best(name)
    if r is None:
        sys.exit(f"error: no output from {name[:-5]}")
    for key in ("path_steps_per_sec", "seconds") + KEYS:
        if key not in r:
            sys.exit(f"error: {name[:-5]}: key {key!r} missing")
    for key in KEYS:
        if len(r[key]) != years:
            sys.exit(f"error: {name[:-5]}: {key} has {len(r[key])} entries, expected {years}")
    if int(r.get("paths", paths)) != paths or int(r.get("years", years)) != years:
        sys.exit(f"error: {name[:-5]} ran paths={r.get('paths')} years={r.get('years')}")
    return r

runs = [("numpy", k, load(f"numpy_{k}.json")) for k in np_threads]
runs += [("goalcast", k, load(f"goalcast_{k}.json")) for k in gc_threads]
np_by = {k: r for i, k, r in runs if i == "numpy"}
gc_by = {k: r for i, k, r in runs if i == "goalcast"}
base = runs[0][2]["path_steps_per_sec"]

print()
print(f"full job: {paths:.3g} paths x {years} years = {paths * years:.3g} path-steps")
print(f"{'impl':<9} {'threads':>7} {'seconds':>9} {'path-steps/s':>13} {'vs numpy ' + str(np_threads[0]) + 't':>11}")
for impl, k, r in runs:
    rate = r["path_steps_per_sec"]
    k_run = int(r.get("threads", k))  # what the program says it used
    print(f"{impl:<9} {k_run:>7} {r['seconds']:>9.4f} {rate:>13.4g} {rate / base:>11.2f}")
print()
for k in gc_threads:
    if k in np_by:
        ratio = gc_by[k]["path_steps_per_sec"] / np_by[k]["path_steps_per_sec"]
        print(f"goalcast/numpy, {k} thread(s) each: {ratio:.2f}")
if 1 in gc_by and 2 in gc_by:
    print(f"goalcast speed-up 1 -> 2 threads: "
          f"{gc_by[2]['path_steps_per_sec'] / gc_by[1]['path_steps_per_sec']:.2f}")
if 1 in np_by and 2 in np_by:
    print(f"numpy    speed-up 1 -> 2 threads: "
          f"{np_by[2]['path_steps_per_sec'] / np_by[1]['path_steps_per_sec']:.2f}")
if best("limit.json") is not None and 1 in gc_by:
    limit = best("limit.json")["normals_per_sec"]
    seeded = best_by("seeded_normals_per_sec")
    hits = best("hits_1.json")["path_steps_per_sec"]
    full = gc_by[1]["path_steps_per_sec"]
    print(f"limit (generator + normal sampler alone, 1 thread): {limit:.4g} normals/s")
    if seeded:
        print(f"limit with each path's generator seeded (T draws per seeding): "
              f"{seeded:.4g} normals/s")
    old = best("old_limit.json")
    old_seeded = best_by("seeded_normals_per_sec", "old_limit.json") if old else None
    old_full = best("old_goalcast_1.json")
    if old:
        print(f"old limit (the baseline's probe): {old['normals_per_sec']:.4g} normals/s, "
              f"seeded {old_seeded:.4g} normals/s")
    if old_full:
        rate = old_full["path_steps_per_sec"]
        print(f"baseline full job, 1 thread: {rate:.4g} path-steps/s = "
              f"{rate / old_seeded:.0%} of the old seeded limit; new full job ÷ baseline: "
              f"{full / rate:.2f}")
    for label, rate in (("full job, 1 thread:    ", full), ("hit counting, 1 thread:", hits)):
        line = f"{label} {rate:.4g} path-steps/s = {rate / limit:.0%} of the limit"
        if seeded:
            line += f", {rate / seeded:.0%} of the seeded limit"
        if old:
            line += (f"; old limit: {rate / old['normals_per_sec']:.0%}, "
                     f"old seeded limit: {rate / old_seeded:.0%}")
        print(line)
    # Where a full-job path-step goes, and what the quantiles may cost for a given ratio.
    histogram = best_by("histogram_values_per_sec")
    if histogram:
        print(f"streaming histograms' stage alone (binning and counting, 1 thread): "
              f"{histogram:.4g} values/s = {1e9 / histogram:.2f} ns a value")
    print(f"full job, 1 thread: {1e9 / full:.2f} ns a path-step = hit counting "
          f"{1e9 / hits:.2f} ns + quantiles {1e9 / full - 1e9 / hits:.2f} ns")
    if 2 in gc_by and 1 in np_by:
        speedup = gc_by[2]["path_steps_per_sec"] / full
        ceiling = hits * speedup / np_by[1]["path_steps_per_sec"]
        print(f"with quantiles costing nothing, at this run's 1 -> 2 speed-up: "
              f"{ceiling:.1f}x numpy (1 thread)")
        budget = 1e9 * speedup / (12 * np_by[1]["path_steps_per_sec"]) - 1e9 / hits
        print(f"12x numpy (1 thread) on 2 threads leaves the quantiles {budget:.2f} ns "
              f"a path-step")

# Agreement (different random numbers: Monte Carlo error only).
# Hit fractions: |difference| <= 4 standard errors of the difference (pooled
# binomial); quantiles: relative difference <= 1 %.
a = runs[0][2]
b = gc_by[gc_threads[0]]
na, nb = int(a.get("paths", paths)), int(b.get("paths", paths))
ok = True
print()
print(f"agreement, numpy ({np_threads[0]} thread) vs goalcast ({gc_threads[0]} thread):")
print(f"{'year':>4} {'hit numpy':>10} {'hit gc':>10} {'z':>6} {'q05 rel':>9} {'q50 rel':>9} {'q95 rel':>9}")
for t in range(years):
    ha, hb = a["hit_fraction"][t], b["hit_fraction"][t]
    p = (ha * na + hb * nb) / (na + nb)
    se = math.sqrt(p * (1 - p) * (1 / na + 1 / nb))
    z = (hb - ha) / se if se > 0 else (0.0 if hb == ha else math.inf)
    rel = [b[k][t] / a[k][t] - 1 for k in ("q05", "q50", "q95")]
    good = abs(z) <= 4 and all(abs(x) <= 0.01 for x in rel)
    ok &= good
    print(f"{t + 1:>4} {ha:>10.6f} {hb:>10.6f} {z:>+6.2f} "
          + " ".join(f"{x:>+9.2e}" for x in rel) + ("" if good else "  <-- FAIL"))
print("agreement (|z| <= 4 for hit fractions, <= 1 % for quantiles): " + ("PASS" if ok else "FAIL"))

# Each side against the closed form (informational: tells which side is off).
ZP = {"q05": -1.6448536269514722, "q50": 0.0, "q95": 1.6448536269514722}
def vs_closed_form(r, n):
    zmax = qmax = 0.0
    for t in range(1, years + 1):
        m = math.log(100.0) + t * math.log(1.12)
        sd = 0.08 * math.sqrt(t)
        p = 0.5 * math.erfc((math.log(300.0) - m) / sd / math.sqrt(2.0))
        se = math.sqrt(p * (1 - p) / n)
        d = r["hit_fraction"][t - 1] - p
        zmax = max(zmax, abs(d) / se if se > 0 else (0.0 if abs(d) < 0.5 / n else math.inf))
        for k, zp in ZP.items():
            qmax = max(qmax, abs(r[k][t - 1] / math.exp(m + zp * sd) - 1))
    return zmax, qmax
for label, r, n in ((f"numpy ({np_threads[0]}t)", a, na), (f"goalcast ({gc_threads[0]}t)", b, nb)):
    zmax, qmax = vs_closed_form(r, n)
    print(f"closed form, {label:<14}: max |z| hit {zmax:5.2f}, max quantile rel. err {qmax:.2e}")

# goalcast's numbers should not depend on its thread count (informational).
if len(gc_by) > 1:
    ref = gc_by[gc_threads[0]]
    same = all(all(r[k] == ref[k] for k in KEYS) for r in gc_by.values())
    print("goalcast results identical across thread counts: " + ("yes" if same else "no"))
sys.exit(0 if ok else 1)
PY
