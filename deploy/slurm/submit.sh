#!/usr/bin/env bash
# Submits a goalcast run as a Slurm job array of N shards and a merge job that runs
# once every shard succeeded; prints the two job ids.
#
#   deploy/slurm/submit.sh N SHARD_ROOT OUT <goalcast run arguments, no --out>
#
# e.g. deploy/slurm/submit.sh 8 /scratch/hubei_shards out/hubei_2024 \
#        --catalogue data/catalogue/000_hubei_2024.csv --history data/history.csv \
#        --scenario data/scenarios/hubei_2024.toml --paths 100000000 --quantiles streaming
#
# Run it from the folder the input paths are relative to. Extra sbatch options (a
# partition, an account, a time limit) go in SBATCH_* variables, e.g. SBATCH_PARTITION.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
n="${1:?usage: submit.sh N SHARD_ROOT OUT <goalcast run arguments>}"
root="${2:?usage: submit.sh N SHARD_ROOT OUT <goalcast run arguments>}"
out="${3:?usage: submit.sh N SHARD_ROOT OUT <goalcast run arguments>}"
shift 3
array=$(sbatch --parsable --array="1-$n" "$here/shard.sbatch" "$root" "$@")
array="${array%%;*}"
merge=$(sbatch --parsable --dependency="afterok:$array" "$here/merge.sbatch" "$root" "$out")
merge="${merge%%;*}"
echo "shards: job array $array (1-$n); merge: job $merge (after every shard succeeded)"
echo "array=$array merge=$merge"
