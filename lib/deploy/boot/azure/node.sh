# The Azure node's main fragment (lib/deploy/azure/boot-script.ts renders it last). One script,
# one job per first argument, like the EC2 one:
# - no argument (cloud-init, first boot): check tools, check the GPU count against the plan (the
#   boot fails when it differs), format and mount the managed data disk found by its LUN, pull the
#   engine image, download the weights onto the data disk once, install itself with a systemd unit
#   for the engine and a timer for health reports, start them.
# - engine-env (ExecStartPre, every start): stage the weights on the local NVMe (azure/disks.sh),
#   read the API key from Key Vault with the VM's managed identity into a mode-600 file in the
#   unit's root-only runtime directory (tmpfs), and write the node's runtime variables.
# - run-engine (ExecStart): substitute ${HEAD_ADDR} / ${NODE_RANK} (static private addresses: no
#   discovery call) and exec docker run with the syslog log driver (facility local0), which the
#   Azure Monitor agent ships to Log Analytics.
# - health (timer, every minute): azure/gpus.sh.
#
# Facts relied on (docs/azure-facts.md):
# - §4 IMDS managed-identity token: GET http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=…
#   with header `Metadata: true`; `client_id` only needed with several user-assigned identities
#   (the request names none: with exactly one user-assigned identity on the VM, IMDS uses it).
# - §4 Key Vault Get Secret: GET {vaultBaseUrl}/secrets/{name}?api-version=7.4, bearer token for
#   resource https://vault.azure.net; the JSON's `value` is the secret.
# ---- Azure node ----
LOG_NAME="$CLUSTER rank $NODE_RANK"
DATA_DIR="$ROOT/mnt/deepseek-data"
STATE_DIR="$APP_DIR/state"

# ---- Key Vault through the VM's managed identity ----
json_field() {
  python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

read_secret() {
  local token header
  token=$(curl -sSf --retry 5 -H 'Metadata: true' \
    "$IMDS/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net" | json_field access_token) || return 1
  install -d -m 0700 "$RUN_DIR"
  header=$(mktemp "$RUN_DIR/auth.XXXXXX")
  printf 'Authorization: Bearer %s\n' "$token" >"$header"
  curl -sSf --retry 5 -H @"$header" "${KEY_VAULT_URI%/}/secrets/$1?api-version=7.4" | json_field value || { rm -f "$header"; return 1; }
  rm -f "$header"
}

# Hook of write_secret_env: the front compares the whole Authorization header; an RFC 6750
# b64token keeps its config valid.
api_key_check() {
  [[ "$1" =~ ^[A-Za-z0-9._~+/-]+=*$ ]] || die "the API key may hold only A-Z a-z 0-9 - . _ ~ + / and trailing ="
}

# Hook of write_engine_unit: the engine's unit pulls in its slice (block_imds).
engine_unit_extra() { printf 'Wants=%s\n' "$ENGINE_SLICE"; }

# The engine may run code that came with its checkpoint: keep it from the VM identity's tokens
# (Key Vault, the repair role). Host-network containers (the engine on multi-node ranks, the front)
# run in their own slice, whose packets to the metadata address are rejected; bridged containers
# reach it through Docker's NAT, so Docker's DOCKER-USER chain rejects theirs. The boot script and
# the health timer run in system.slice and keep the identity.
block_imds() {
  local slice=(OUTPUT -m cgroup --path "$ENGINE_SLICE" -d 169.254.169.254 -j REJECT)
  local bridged=(DOCKER-USER -d 169.254.169.254 -j REJECT)
  systemctl start "$ENGINE_SLICE"
  iptables -C "${slice[@]}" 2>/dev/null || iptables -I "${slice[@]}" || die "cannot block instance metadata for the engine slice"
  iptables -C "${bridged[@]}" 2>/dev/null || iptables -I "${bridged[@]}" || die "cannot block instance metadata for bridged containers"
}

# ---- weights ----
fetch_weights() {
  local dir="$DATA_DIR/models/$MODEL_ID"
  if [[ -f "$dir/$MARKER" ]]; then
    log "weights already on the data disk"
    return 0
  fi
  mkdir -p "$dir" "$DATA_DIR/cache"
  retry 3 download_from_hf "$dir" -v "$DATA_DIR/cache:/root/.cache"
  [[ -f "$dir/config.json" ]] || die "no config.json in $dir after downloading $MODEL_SOURCE"
  touch "$dir/$MARKER"
}

bootstrap() {
  local cmd
  start_boot_heartbeat
  step preflight
  for cmd in docker curl python3 lsblk blkid mkfs.ext4 logger; do
    command -v "$cmd" >/dev/null || die "$cmd is not installed on this image"
  done
  step arch
  check_arch
  step gpus
  check_gpus
  step storage
  prepare_data_disk
  step image
  retry 3 docker pull --quiet "$IMAGE" >/dev/null
  if [[ "$SERVES_API" == 1 ]]; then retry 3 docker pull --quiet "$FRONT_IMAGE" >/dev/null; fi
  step weights
  fetch_weights
  step unit
  install -D -m 0700 "${BASH_SOURCE[0]}" "$BIN"
  write_engine_unit
  write_minute_timer "$HEALTH_UNIT" health 'health report: GPU count, engine health, GPU metrics'
  write_front_unit "$(command -v docker)"
  step start
  systemctl daemon-reload
  if [[ "$SERVES_API" == 1 ]]; then systemctl enable "$FRONT.service"; fi
  systemctl enable --now --no-block "$UNIT.service" "$HEALTH_UNIT.timer"
  log "bootstrap complete; the engine starts under systemd unit $UNIT"
}

engine_env() {
  local models
  block_imds
  models=$(stage_weights)
  write_runtime_env "$HEAD_ADDR_STATIC" "$NODE_ADDR" "MODELS_DIR=$models"
  write_secret_env "$API_KEY_SECRET"
  fetch_tls_cert
}

run_engine() {
  local models
  models=$(sed -n 's/^MODELS_DIR=//p' "$RUN_DIR/runtime.env")
  [[ -n "$models" ]] || die "MODELS_DIR missing from $RUN_DIR/runtime.env"
  fill_argv "$HEAD_ADDR_STATIC"
  exec docker run --rm --name "$CONTAINER" --cgroup-parent "$ENGINE_SLICE" \
    --env-file "$RUN_DIR/runtime.env" --env-file "$RUN_DIR/secret.env" \
    --log-driver syslog --log-opt "syslog-facility=$ENGINE_FACILITY" --log-opt "tag=$ENGINE_TAG" \
    -v "$models:$MODEL_MOUNT:ro" -v "$DATA_DIR/cache:/root/.cache" \
    "${DOCKER_OPTS[@]}" "$IMAGE" "${ARGV[@]}"
}

case "${1:-bootstrap}" in
  bootstrap) bootstrap ;;
  engine-env) engine_env ;;
  run-engine) run_engine ;;
  health) health ;;
  *) die "unknown subcommand $1" ;;
esac
