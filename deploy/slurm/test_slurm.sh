#!/usr/bin/env bash
# End-to-end test of sharded runs on a real Slurm: installs Debian's slurm-wlm and munge
# if missing, starts munged and a single-node cluster (slurmctld + slurmd, a slurm.conf
# generated for this host's CPUs and memory, cgroup-free so that it runs in a
# container), submits a goalcast run as a job array of shards and the merge that
# depends on it (deploy/slurm/submit.sh), waits, checks that the merged folder equals
# the unsharded run byte for byte (diff -r), prints the log and stops the daemons.
#
#   deploy/slurm/test_slurm.sh [SHARDS] [PATHS]      (defaults: 4 shards, 50000 paths)
#
# Needs root (apt, daemons). Exit status 0 only if the outputs are identical.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"
shards="${1:-4}"
paths="${2:-50000}"
started=$(date +%s)
log() { echo "[test_slurm $(date -u +%T)] $*"; }

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  log "installing slurm-wlm and munge"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends slurm-wlm munge
fi
log "$(slurmd -V), $(munged --version 2>&1 | head -1)"

log "building goalcast (release)"
cargo build --release --quiet --bin goalcast
export GOALCAST="$repo/target/release/goalcast"

work="$(mktemp -d /tmp/goalcast-slurm.XXXXXX)"
conf="$work/etc"
mkdir -p "$conf" "$work/state" "$work/spool" "$work/log"
our_munged=""
cleanup() {
  set +e
  for pidfile in "$work/slurmd.pid" "$work/slurmctld.pid"; do
    [ -s "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
  done
  [ -n "$our_munged" ] && [ -s /run/munge/munged.pid ] && kill "$(cat /run/munge/munged.pid)" 2>/dev/null
  sleep 1
  log "daemons stopped"
}
trap cleanup EXIT

# munge: a key if there is none, and the daemon if it is not running.
if [ ! -s /etc/munge/munge.key ]; then
  log "creating /etc/munge/munge.key"
  mungekey --create --force 2>/dev/null || dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
fi
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  mkdir -p /run/munge /var/log/munge /var/lib/munge && chown munge:munge /run/munge /var/log/munge /var/lib/munge
  runuser -u munge -- /usr/sbin/munged
  our_munged=yes
  log "munged started"
fi
munge -n | unmunge >/dev/null && log "munge works"

# slurm.conf for this host: its real CPUs and memory (slurmd -C), no cgroups.
host="$(hostname -s)"
node="$(slurmd -C | head -1 | sed "s/^NodeName=[^ ]*/NodeName=$host/")"
cat >"$conf/slurm.conf" <<CONF
ClusterName=goalcast-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SlurmdTimeout=60
$node State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$conf/slurm.conf"
log "slurm.conf: $node"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 60); do
  sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)' && break
  sleep 1
done
sinfo

run_args=(--catalogue data/catalogue/000_hubei_2024.csv --history data/history.csv
  --scenario data/scenarios/hubei_2024.toml --paths "$paths" --seed 20261204 --report)

# Everything runs from the repository with the same (relative) input paths, as the
# manifests record them and as the merge reads them again.
log "unsharded reference run ($paths paths)"
"$GOALCAST" run "${run_args[@]}" --out "$work/whole" >"$work/whole.log" 2>&1
grep -v -m1 "^warning: " "$work/whole.log"

log "submitting $shards shards and the merge"
submitted="$(deploy/slurm/submit.sh "$shards" "$work/shards" "$work/merged" "${run_args[@]}")"
echo "$submitted"
array_job="$(echo "$submitted" | sed -n 's/^array=\([0-9]*\).*/\1/p')"
merge_job="$(echo "$submitted" | sed -n 's/.*merge=\([0-9]*\).*/\1/p')"
squeue
for _ in $(seq 1200); do
  [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break
  sleep 1
done
log "queue empty"
for f in goalcast-shard-"$array_job"_*.out goalcast-merge-"$merge_job".out; do
  [ -f "$f" ] || continue
  echo "----- $f"
  grep -v '^warning: ' "$f"
  mv "$f" "$work/"
done
if [ ! -f "$work/merged/manifest.json" ]; then
  log "FAIL: the merge job $merge_job wrote no run"
  tail -20 "$work/log/slurmctld.log"
  exit 1
fi
if diff -r "$work/whole" "$work/merged"; then
  log "PASS: $(ls "$work/merged" | wc -l) files of the merge of $shards Slurm shards equal the unsharded run byte for byte"
else
  log "FAIL: the merged run differs from the unsharded run"
  exit 1
fi
log "took $(( $(date +%s) - started )) s"
