# The EC2 GPU check and watchdog (lib/deploy/boot/README.md), run by a timer every minute:
# - fewer GPUs than the plan (`nvidia-smi -L` prints one "GPU n: ..." line each) GPU_FAILURE_LIMIT
#   checks in a row: the node reports itself unhealthy (with REPORT_UNHEALTHY; otherwise it only logs);
# - the serving engine failing its health check longer than a restart takes (RESTART_GRACE_SECONDS):
#   unhealthy;
# - on a multi-node cluster, the set of running instances (rank → instance id) differs from the one
#   recorded when the engine started: the engine restarts, so that no node keeps serving or waiting
#   on a peer that is gone (workers wait for the new head in engine-env; a head whose workers are
#   missing waits for them or fails, and systemd retries it every 30 s).

# GPUs the driver lists; fails when nvidia-smi does.
gpu_count() {
  local out
  out=$(nvidia-smi -L 2>/dev/null) || return 1
  grep -c '^GPU [0-9]' <<<"$out" || true
}

# The plan's tensor/pipeline layout needs every GPU: a node with fewer never serves.
wait_for_gpus() {
  [[ "$GPU_CHECK" == nvidia ]] || return 0
  local i n=-1
  for ((i = 0; i < WAIT_TRIES; i++)); do
    n=$(gpu_count) || n=-1
    if ((n >= GPUS_PER_NODE)); then return 0; fi
    sleep "$POLL_SECONDS"
  done
  # -1: nvidia-smi itself fails (no driver).
  die "nvidia-smi lists $n GPU(s), the plan needs $GPUS_PER_NODE"
}

# Running instances of the cluster as sorted "rank<TAB>instance-id" lines.
cluster_members() {
  local out
  out=$(aws ec2 describe-instances \
    --filters "Name=tag:$CLUSTER_TAG_KEY,Values=$CLUSTER" Name=instance-state-name,Values=running \
    --query "Reservations[].Instances[].[Tags[?Key=='$RANK_TAG_KEY']|[0].Value,InstanceId]" --output text) || return 1
  sort <<<"$out"
}

# The serving engine's health, judged with a restart's patience: systemd restarts a failed engine
# and the reload takes minutes, so only a failure longer than RESTART_GRACE_SECONDS reports the node.
engine_stuck() {
  local now since
  now=$(date +%s)
  if curl -sf -m 5 -o /dev/null "$HEALTH_URL"; then rm -f "$STATE_DIR/unhealthy-since"; return 1; fi
  if ! since=$(cat "$STATE_DIR/unhealthy-since" 2>/dev/null); then
    printf '%s\n' "$now" >"$STATE_DIR/unhealthy-since"
    return 1
  fi
  ((now - since >= RESTART_GRACE_SECONDS)) || return 1
  report_unhealthy "engine failed $HEALTH_URL for $((now - since)) s (a restart may take $RESTART_GRACE_SECONDS s)"
}

watchdog() {
  local fails=0 now
  load_metadata
  if [[ "$GPU_CHECK" == nvidia ]]; then
    local n
    n=$(gpu_count) || n=-1
    if ((n < GPUS_PER_NODE)); then fails=$(($(cat "$STATE_DIR/gpu-failures" 2>/dev/null || echo 0) + 1)); fi
    printf '%s\n' "$fails" >"$STATE_DIR/gpu-failures"
    if ((fails >= GPU_FAILURE_LIMIT)); then
      report_unhealthy "fewer than $GPUS_PER_NODE GPUs $fails times in a row (last: $n): a GPU or the driver is gone"
      return 0
    fi
  fi
  if [[ "$SERVES_API" == 1 ]] && engine_stuck; then return 0; fi
  if ((NODES == 1)) || [[ ! -f "$RUN_DIR/peers" ]] || ! systemctl is-active --quiet "$UNIT.service"; then return 0; fi
  now=$(cluster_members) || { log 'watchdog: cannot read the cluster membership'; return 0; }
  if [[ "$now" != "$(cat "$RUN_DIR/peers")" ]]; then
    log "cluster membership changed since the engine started (now: $(tr '\t\n' '= ' <<<"$now")); restarting the engine"
    systemctl restart --no-block "$UNIT.service"
  fi
}
