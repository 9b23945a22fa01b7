# Shared by the AWS and Azure boot scripts (lib/deploy/boot/README.md): host paths, logging, retries,
# and formatting a data disk. Rendered first: the `# ---- host paths` line marks where the
# per-node header ends (test/conformance/observed.ts reads the header up to it).
#
# Host paths hang off DEEPSEEK_IAC_ROOT (empty on a real node) and the metadata endpoint and poll
# timings can be overridden through DEEPSEEK_IAC_* variables: the tests run the script unprivileged
# in a temporary directory with stub commands. cloud-init starts it with none of them set.
# ---- host paths and timings (overridable for tests only) ----
ROOT="${DEEPSEEK_IAC_ROOT:-}"
IMDS="${DEEPSEEK_IAC_IMDS:-http://169.254.169.254}"
POLL_SECONDS="${DEEPSEEK_IAC_POLL_SECONDS:-10}"
WAIT_TRIES="${DEEPSEEK_IAC_WAIT_TRIES:-60}"
APP_DIR="$ROOT/opt/deepseek-iac"
BIN="$APP_DIR/bin/node.sh"
RUN_DIR="$ROOT/run/deepseek-iac"
UNIT_DIR="$ROOT/etc/systemd/system"
FSTAB="$ROOT/etc/fstab"
CONTAINER="$UNIT"

# LOG_NAME (set by the cloud's main fragment) names the node in every line.
log() { printf '%s deepseek-iac[%s]: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$LOG_NAME" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }
step() { log "step $1"; }
trap 'log "failed (exit $?) at line $LINENO: $BASH_COMMAND"' ERR

# retry N COMMAND...: run COMMAND up to N times, POLL_SECONDS apart.
retry() {
  local tries="$1" i
  shift
  for ((i = 1; i <= tries; i++)); do
    if "$@"; then return 0; fi
    log "attempt $i/$tries failed: $*"
    if ((i < tries)); then sleep "$POLL_SECONDS"; fi
  done
  return 1
}

# format_and_mount DEVICE DIR [LABEL]: ext4 (label deepseek-data by default) unless the device
# already has a filesystem; mount; add to fstab by UUID (nofail: a lost disk does not stop the boot).
format_and_mount() {
  local dev="$1" dir="$2" label="${3:-deepseek-data}" rc=0 uuid
  blkid -p "$dev" >/dev/null 2>&1 || rc=$?
  if ((rc == 2)); then
    # blkid exit 2: no signature at all, a blank disk.
    mkfs.ext4 -q -F -m 0 -L "$label" -E lazy_itable_init=1,lazy_journal_init=1,nodiscard "$dev"
  elif ((rc != 0)); then
    die "cannot probe $dev (blkid exit $rc)"
  fi
  mkdir -p "$dir"
  if ! mountpoint -q "$dir"; then mount -o noatime "$dev" "$dir"; fi
  uuid=$(blkid -s UUID -o value "$dev")
  [[ -n "$uuid" ]] || die "no filesystem UUID on $dev"
  if ! grep -qs "UUID=$uuid " "$FSTAB"; then
    printf 'UUID=%s %s ext4 defaults,noatime,nofail 0 2\n' "$uuid" "${dir#"$ROOT"}" >>"$FSTAB"
  fi
}
