# The EC2 node's main fragment (lib/deploy/user-data.ts renders it last, after the shared fragments
# and the AWS ones it calls). One script, one job per first argument:
# - no argument (cloud-init, first boot): check tools, read instance metadata over IMDSv2, wait for
#   the GPUs, start the CloudWatch agent, prepare the weights disk (hook prepare_storage), pull the
#   images, fetch the weights (hook mount_weights first), install itself and the units, start them.
#   Any failure exits non-zero before the unit exists, so the engine never starts on partial weights.
# - engine-env (ExecStartPre, every start): block the engine's cgroup from instance metadata, find
#   the head (workers), write the runtime variables and the API key (mode 600, tmpfs).
# - run-engine (ExecStart): exec docker run with the rank's argv and the awslogs log driver.
# - watchdog (timer, every minute): aws/watchdog.sh.
#
# Facts relied on:
# - IMDSv2: PUT /latest/api/token with X-aws-ec2-metadata-token-ttl-seconds, then send
#   X-aws-ec2-metadata-token (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-v2-how-it-works.html, confirmed).
# - Docker awslogs driver options awslogs-region/-group/-stream, mode=non-blocking,
#   max-buffer-size (https://docs.docker.com/engine/logging/drivers/awslogs/, confirmed).
STATE_DIR="$APP_DIR/state"
HEAD_WAIT_TRIES="${DEEPSEEK_IAC_HEAD_WAIT_TRIES:-360}"
LOG_NAME="rank $NODE_RANK"
DATA_DIR=''
REGION=''
INSTANCE_ID=''
LOCAL_IP=''

# Instance metadata over IMDSv2: a session token first, then the path.
imds() {
  local token
  token=$(curl -sSf --retry 5 -X PUT "$IMDS/latest/api/token" -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')
  curl -sSf --retry 5 -H "X-aws-ec2-metadata-token: $token" "$IMDS/latest/meta-data/$1"
}

load_metadata() {
  REGION=$(imds placement/region)
  INSTANCE_ID=$(imds instance-id)
  LOCAL_IP=$(imds local-ipv4)
  export AWS_DEFAULT_REGION="$REGION"
}

# Mark this instance unhealthy: its Auto Scaling group replaces it, grace period or not.
report_unhealthy() {
  if [[ "$REPORT_UNHEALTHY" != 1 ]]; then log "unhealthy (reporting is off): $1"; return 0; fi
  log "reporting $INSTANCE_ID unhealthy: $1"
  aws autoscaling set-instance-health --instance-id "$INSTANCE_ID" --health-status Unhealthy --no-should-respect-grace-period
}

# EXIT trap of bootstrap: a node whose boot failed asks to be replaced.
on_boot_exit() {
  local rc=$?
  if ((rc != 0)) && [[ -n "$INSTANCE_ID" ]]; then
    report_unhealthy "boot failed (exit $rc)" || log "could not report the failed boot"
  fi
}

read_secret() {
  aws secretsmanager get-secret-value --secret-id "$1" --query SecretString --output text
}

# Hook of write_engine_unit: the engine's unit pulls in its slice (block_imds).
engine_unit_extra() { printf 'Wants=%s\n' "$ENGINE_SLICE"; }

write_units() {
  write_engine_unit
  if [[ "$SERVES_API" == 1 ]]; then write_front_unit; fi
  write_minute_timer "$WATCHDOG" watchdog 'watchdog: GPU health and cluster membership'
}

bootstrap() {
  trap on_boot_exit EXIT
  step preflight
  local cmd
  for cmd in aws docker curl lsblk blkid; do
    command -v "$cmd" >/dev/null || die "$cmd is not installed on this AMI"
  done
  step metadata
  load_metadata
  step gpus
  wait_for_gpus
  start_agent || log "WARNING: the CloudWatch agent did not start: no GPU metrics or kernel log"
  step storage
  prepare_storage
  install -d -m 0700 "$STATE_DIR"
  printf '%s\n' "$DATA_DIR" >"$STATE_DIR/data-dir"
  step image
  retry 3 docker pull --quiet "$IMAGE" >/dev/null
  if [[ "$SERVES_API" == 1 ]]; then retry 3 docker pull --quiet "$FRONT_IMAGE" >/dev/null; fi
  step weights
  fetch_weights
  step unit
  install -D -m 0700 "${BASH_SOURCE[0]}" "$BIN"
  write_units
  step start
  systemctl daemon-reload
  if [[ "$SERVES_API" == 1 ]]; then systemctl enable "$FRONT.service"; fi
  systemctl enable --now --no-block "$UNIT.service" "$WATCHDOG.timer"
  trap - EXIT
  log "bootstrap complete; the engine starts under systemd unit $UNIT"
  publish_weights
}

# Workers: the head is the one running instance tagged with this cluster and rank 0.
discover_head() {
  local i ips found=()
  for ((i = 0; i < HEAD_WAIT_TRIES; i++)); do
    ips=$(aws ec2 describe-instances \
      --filters "Name=tag:$CLUSTER_TAG_KEY,Values=$CLUSTER" "Name=tag:$RANK_TAG_KEY,Values=0" Name=instance-state-name,Values=running \
      --query 'Reservations[].Instances[].PrivateIpAddress' --output text) || ips=''
    read -r -a found <<<"$ips" || true
    if ((${#found[@]} == 1)) && [[ "${found[0]}" =~ ^[0-9]+[.][0-9]+[.][0-9]+[.][0-9]+$ ]]; then
      printf '%s\n' "${found[0]}"
      return 0
    fi
    log "waiting for the head node of $CLUSTER (${#found[@]} candidates)"
    sleep "$POLL_SECONDS"
  done
  die "no head node of $CLUSTER found"
}

# The engine shares the host's network on multi-node nodes, where the metadata hop limit does not
# apply: it runs in its own slice and every packet from that cgroup to the metadata address is
# rejected, so engine code cannot read the node role's credentials. (Bridged engines are also held
# off by the hop limit of 1.)
block_imds() {
  local r=(OUTPUT -m cgroup --path "$ENGINE_SLICE" -d 169.254.169.254 -j REJECT)
  systemctl start "$ENGINE_SLICE"
  iptables -C "${r[@]}" 2>/dev/null || iptables -I "${r[@]}" || die "cannot block IMDS for the engine"
}

engine_env() {
  local data_dir head_addr
  block_imds
  data_dir=$(cat "$STATE_DIR/data-dir")
  [[ -f "$data_dir/models/$MODEL_ID/$MARKER" ]] || die "weights are not in $data_dir/models/$MODEL_ID (disk not mounted yet?)"
  load_metadata
  if ((NODE_RANK == 0)); then head_addr="$LOCAL_IP"; else head_addr=$(discover_head); fi
  write_runtime_env "$head_addr" "$LOCAL_IP"
  # The membership this engine starts with; the watchdog restarts the engine when it changes.
  if ((NODES > 1)); then cluster_members >"$RUN_DIR/peers" || die "cannot read the cluster membership"; fi
  write_secret_env "$API_KEY_SECRET_ID"
}

run_engine() {
  local data_dir head_addr
  data_dir=$(cat "$STATE_DIR/data-dir")
  load_metadata
  head_addr=$(sed -n 's/^HEAD_ADDR=//p' "$RUN_DIR/runtime.env")
  [[ -n "$head_addr" ]] || die "HEAD_ADDR missing from $RUN_DIR/runtime.env"
  fill_argv "$head_addr"
  exec docker run --rm --name "$CONTAINER" --cgroup-parent "$ENGINE_SLICE" \
    --env-file "$RUN_DIR/runtime.env" --env-file "$RUN_DIR/secret.env" \
    --log-driver awslogs --log-opt "awslogs-region=$REGION" --log-opt "awslogs-group=$LOG_GROUP" \
    --log-opt "awslogs-stream=$INSTANCE_ID/rank-$NODE_RANK" --log-opt mode=non-blocking --log-opt max-buffer-size=4m \
    -v "$data_dir/models:$MODEL_MOUNT:ro" -v "$data_dir/cache:/root/.cache" \
    "${DOCKER_OPTS[@]}" "$IMAGE" "${ARGV[@]}"
}

case "${1:-bootstrap}" in
  bootstrap) bootstrap ;;
  engine-env) engine_env ;;
  run-engine) run_engine ;;
  watchdog) watchdog ;;
  *) die "unknown subcommand $1" ;;
esac
