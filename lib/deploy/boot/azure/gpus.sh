# The Azure GPU check and health report (lib/deploy/boot/README.md).
#
# Facts relied on (docs/azure-facts.md §6): `nvidia-smi -L` prints one `GPU n:` line per GPU; the
# amdgpu KFD topology lists one node per CPU socket (gpu_id 0) and one per GPU (gpu_id ≠ 0) under
# /sys/class/kfd/kfd/topology/nodes.
# ---- GPUs ----
KFD_NODES="$ROOT/sys/class/kfd/kfd/topology/nodes"

gpu_count() {
  local n=0 f
  case "$GPU_VENDOR" in
    nvidia) n=$(nvidia-smi -L 2>/dev/null | grep -c '^GPU ' || true) ;;
    amd)
      for f in "$KFD_NODES"/*/gpu_id; do
        [[ -f "$f" ]] || continue
        if [[ "$(cat "$f")" != 0 ]]; then n=$((n + 1)); fi
      done
      ;;
  esac
  printf '%s\n' "$n"
}

# The node must show exactly the plan's GPUs: fewer means a failed GPU, more a different VM size.
check_gpus() {
  local i n=0
  for ((i = 0; i < WAIT_TRIES; i++)); do
    n=$(gpu_count)
    if ((n == EXPECTED_GPUS)); then
      log "GPU check: $n $GPU_VENDOR GPUs, as planned"
      return 0
    fi
    sleep "$POLL_SECONDS"
  done
  report_failure "GPU check: found $n $GPU_VENDOR GPUs, the plan needs $EXPECTED_GPUS"
  die "GPU check: found $n $GPU_VENDOR GPUs, the plan needs $EXPECTED_GPUS"
}

gpu_metrics() {
  case "$GPU_VENDOR" in
    nvidia) nvidia-smi --query-gpu=index,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw --format=csv,noheader,nounits ;;
    amd) rocm-smi --showuse --showmemuse --showtemp --showpower --csv ;;
  esac
}

# Every minute: GPU count and engine health, and one line of GPU metrics per GPU, to syslog
# facility HEALTH_FACILITY (Log Analytics `Syslog` table).
health() {
  local n engine=worker line
  n=$(gpu_count)
  if [[ "$SERVES_API" == 1 ]]; then
    # Through the front (the certificate is not what this checks, hence -k).
    if curl -sfk -o /dev/null --max-time 5 "$HEALTH_SCHEME://127.0.0.1:$API_PORT$HEALTH_PATH"; then engine=healthy; else engine=unhealthy; fi
  elif systemctl is-active --quiet "$UNIT.service"; then
    engine=running
  fi
  if ((n != EXPECTED_GPUS)); then
    logger -p "$HEALTH_FACILITY.err" -t "$HEALTH_TAG" "gpus=$n expected=$EXPECTED_GPUS engine=$engine: GPU missing"
  else
    logger -p "$HEALTH_FACILITY.info" -t "$HEALTH_TAG" "gpus=$n expected=$EXPECTED_GPUS engine=$engine"
  fi
  gpu_repair "$n"
  while IFS= read -r line; do
    logger -p "$HEALTH_FACILITY.info" -t "$GPU_TAG" "$line"
  done < <(gpu_metrics 2>/dev/null || true)
}
