#!/usr/bin/env python3
"""Merges gathered history rows into data/history.csv and the search gaps into
data/history_gaps.csv.

Usage: python3 data/sources/merge_history.py GATHER_DIR

GATHER_DIR holds history_*.csv (new rows, history columns plus `reliability`),
regrade_*.csv (a grade for rows already in data/history.csv) and gaps_*.csv. Rows
already present are kept in their order; a new row is added unless the same
(indicator, jurisdiction, year, value, source) is there; a row whose unit differs from
the unit the catalogue uses for that indicator and jurisdiction is not added to
history.csv but recorded in history_gaps.csv, so no figure is dropped silently. The
result is sorted by jurisdiction, indicator and year, input order kept within a year.
"""
import csv
import glob
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLUMNS = ["indicator", "jurisdiction", "year", "value", "unit", "bound", "source",
           "quote", "note", "reliability"]
GRADES = {"official", "press", "secondary"}


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def catalogue_units():
    units = {}
    for path in glob.glob(os.path.join(ROOT, "data/catalogue/*.csv")):
        for r in read(path):
            units.setdefault((r["indicator"], r["jurisdiction"]), r["unit"])
            if r.get("denominator"):
                units.setdefault((r["denominator"], r["jurisdiction"]), None)
    return units


def grade_by_rule(row):
    if row["source"].startswith("seed "):
        return "official", "graded by rule: the seed document itself"
    if ".gov.cn" in row["source"]:
        return "official", "graded by rule: a government site"
    return "secondary", "graded by rule: no grade found for this row"


def main(gather):
    history = os.path.join(ROOT, "data/history.csv")
    rows = read(history)
    regrade = {}
    for path in sorted(glob.glob(os.path.join(gather, "regrade_*.csv"))):
        for r in read(path):
            if r.get("reliability") in GRADES:
                key = (r["indicator"], r["jurisdiction"], r["year"], r["value"])
                regrade[key] = r["reliability"]
    for r in rows:
        if r.get("reliability") in GRADES:
            continue
        key = (r["indicator"], r["jurisdiction"], r["year"], r["value"])
        if key in regrade:
            r["reliability"] = regrade[key]
        else:
            r["reliability"], why = grade_by_rule(r)
            r["note"] = "; ".join(x for x in [r.get("note", ""), why] if x)
    seen = {(r["indicator"], r["jurisdiction"], r["year"], r["value"], r["source"]) for r in rows}
    units = catalogue_units()
    history_units = {}
    for r in rows:
        history_units.setdefault((r["indicator"], r["jurisdiction"]), r["unit"])
    gaps = []
    added = 0
    for path in sorted(glob.glob(os.path.join(gather, "history_*.csv"))):
        for r in read(path):
            key = (r["indicator"], r["jurisdiction"], r["year"], r["value"], r["source"])
            if key in seen:
                continue
            try:
                value = float(r["value"])
                int(r["year"])
            except ValueError:
                gaps.append([r["indicator"], r["jurisdiction"], r["quote"],
                             f"not a plain number or year: {r['value']!r}, {r['year']!r}"])
                continue
            if value != value or r.get("bound", "") not in {"", "lower", "upper", "estimate"}:
                gaps.append([r["indicator"], r["jurisdiction"], r["quote"], "malformed row"])
                continue
            if r.get("reliability") not in GRADES or not r.get("source") or not r.get("quote"):
                gaps.append([r["indicator"], r["jurisdiction"], r["quote"],
                             "row without a source, a quote or a reliability grade"])
                continue
            ik = (r["indicator"], r["jurisdiction"])
            want = units.get(ik) or history_units.get(ik)
            if want and r["unit"] != want:
                gaps.append([r["indicator"], r["jurisdiction"],
                             f"{r['year']}: {r['value']} {r['unit']} ({r['source']})",
                             f"published in {r['unit']}, the catalogue and history use {want}: not added"])
                continue
            history_units.setdefault(ik, r["unit"])
            rows.append({c: r.get(c, "") for c in COLUMNS})
            seen.add(key)
            added += 1
    order = {id(r): i for i, r in enumerate(rows)}
    rows.sort(key=lambda r: (r["jurisdiction"], r["indicator"], int(r["year"]), order[id(r)]))
    with open(history, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, COLUMNS, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in COLUMNS})
    for path in sorted(glob.glob(os.path.join(gather, "gaps_*.csv"))):
        for r in read(path):
            gaps.append([r["indicator"], r["jurisdiction"], r["searched"], r["reason"]])
    with open(os.path.join(ROOT, "data/history_gaps.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["indicator", "jurisdiction", "searched", "reason"])
        w.writerows(sorted(gaps, key=lambda g: (g[1], g[0])))
    print(f"{len(rows)} history rows ({added} added), {len(gaps)} gap rows")


if __name__ == "__main__":
    main(sys.argv[1])
