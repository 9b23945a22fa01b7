# The Azure node's architecture check, API front, TLS certificate, boot heartbeat and self-repair
# (lib/deploy/azure/front.ts decides the front, repair.ts the repair limits). Needs the header's
# EXPECTED_MACHINE, FRONT*, TLS_CERT_SECRET, GPU_FAILURE_LIMIT, MAX_REDEPLOYS, REDEPLOY_API_VERSION
# and read_secret / json_field (azure/node.sh).
# The image and the engine image must match the VM's CPUs (arm64 on Grace sizes).
check_arch() {
  local machine
  machine=$(uname -m)
  [[ "$machine" == "$EXPECTED_MACHINE" ]] || die "CPU architecture: the VM is $machine, the plan needs $EXPECTED_MACHINE"
  log "CPU architecture: $machine, as planned"
}

# Failures the boot cannot recover from also go to syslog, where the Log Analytics alert sees them.
report_failure() {
  logger -p "$HEALTH_FACILITY.err" -t "$HEALTH_TAG" "boot failed: $*" 2>/dev/null || true
}

# While the boot runs (the download can take hours) say so once a minute: the node-silent alert
# counts these lines, the engine alerts do not. On exit the heartbeat stops, and a failed boot
# reports its status (the gpu-missing alert matches "boot failed").
boot_heartbeat() {
  local pid=''
  # A TERM interrupts the wait: the sleep goes too, no orphan is left behind.
  trap 'if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null; fi; exit 0' TERM
  while :; do
    sleep "${DEEPSEEK_IAC_HEARTBEAT_SECONDS:-60}" &
    pid=$!
    wait "$pid"
    logger -p "$HEALTH_FACILITY.info" -t "$HEALTH_TAG" "booting" 2>/dev/null || true
  done
}

start_boot_heartbeat() {
  # Detached from the script's output: cloud-init (and a test) waits until that output closes.
  boot_heartbeat </dev/null >/dev/null 2>&1 &
  HEARTBEAT_PID=$!
  trap 'rc=$?; kill "$HEARTBEAT_PID" 2>/dev/null || true; if ((rc != 0)); then report_failure "bootstrap exited with status $rc"; fi' EXIT
}

write_front_unit() {
  local docker_bin="$1" tls_mount=''
  [[ "$SERVES_API" == 1 ]] || return 0
  install -d -m 0755 "$APP_DIR/etc"
  printf '%s' "$FRONT_CONF" >"$APP_DIR/etc/front.conf"
  printf '%s' "$FRONT_KEY_TEMPLATE" >"$APP_DIR/etc/key.template"
  if [[ -n "$TLS_CERT_SECRET" ]]; then tls_mount="-v $RUN_DIR/tls.pem:$FRONT_TLS_PATH:ro"; fi
  # The key comes from the engine's root-only env file (engine-env), never from argv or this script.
  cat >"$UNIT_DIR/$FRONT.service" <<EOF
[Unit]
Description=deepseek-iac API front: /v1 with the key and the health path, nothing else
BindsTo=$UNIT.service
After=$UNIT.service

[Service]
ExecStartPre=-$docker_bin rm -f $FRONT
ExecStart=$docker_bin run --rm --name $FRONT --network host --cgroup-parent $ENGINE_SLICE --env-file $RUN_DIR/secret.env --log-driver syslog --log-opt syslog-facility=$ENGINE_FACILITY --log-opt tag=$FRONT -v $APP_DIR/etc/front.conf:$FRONT_CONF_PATH:ro -v $APP_DIR/etc/key.template:$FRONT_KEY_TEMPLATE_PATH:ro $tls_mount $FRONT_IMAGE
ExecStop=$docker_bin stop $FRONT
Restart=on-failure
RestartSec=10

[Install]
WantedBy=$UNIT.service
EOF
}

# ---- self-repair (lib/deploy/azure/repair.ts) ----
# A managed-identity token for another resource than the vault (read_secret asks for the vault's).
imds_token() {
  curl -sSf --retry 5 -H 'Metadata: true' "$IMDS/metadata/identity/oauth2/token?api-version=2018-02-01&resource=$1" | json_field access_token
}

# Ask Azure Resource Manager to redeploy this VM (shut down, move to another host, power on).
redeploy_self() {
  local arm="${DEEPSEEK_IAC_ARM:-https://management.azure.com}" token vm header rc=0
  token=$(imds_token 'https%3A%2F%2Fmanagement.azure.com%2F') || return 1
  vm=$(curl -sSf -H 'Metadata: true' "$IMDS/metadata/instance/compute/resourceId?api-version=2021-02-01&format=text") || return 1
  [[ "$vm" == /subscriptions/*/providers/Microsoft.Compute/virtualMachines/* ]] || return 1
  install -d -m 0700 "$STATE_DIR"
  header=$(mktemp "$STATE_DIR/auth.XXXXXX")
  printf 'Authorization: Bearer %s\n' "$token" >"$header"
  curl -sSf -X POST -H @"$header" -H 'Content-Length: 0' "$arm$vm/redeploy?api-version=$REDEPLOY_API_VERSION" >/dev/null || rc=$?
  rm -f "$header"
  return "$rc"
}

# Count consecutive checks with GPUs missing; at the limit redeploy this VM, at most MAX_REDEPLOYS times.
gpu_repair() {
  local n="$1" count redeploys
  install -d -m 0700 "$STATE_DIR"
  if ((n == EXPECTED_GPUS)); then
    rm -f "$STATE_DIR/gpu-failures"
    return 0
  fi
  count=$(($(cat "$STATE_DIR/gpu-failures" 2>/dev/null || echo 0) + 1))
  printf '%s\n' "$count" >"$STATE_DIR/gpu-failures"
  ((count >= GPU_FAILURE_LIMIT)) || return 0
  redeploys=$(wc -l <"$STATE_DIR/redeploys" 2>/dev/null || echo 0)
  if ((redeploys >= MAX_REDEPLOYS)); then
    logger -p "$HEALTH_FACILITY.err" -t "$HEALTH_TAG" "gpus=$n expected=$EXPECTED_GPUS: GPU missing after $redeploys redeploys; not redeploying again, replace this VM"
    return 0
  fi
  rm -f "$STATE_DIR/gpu-failures"
  date -u +%Y-%m-%dT%H:%M:%SZ >>"$STATE_DIR/redeploys"
  logger -p "$HEALTH_FACILITY.err" -t "$HEALTH_TAG" "gpus=$n expected=$EXPECTED_GPUS: GPU missing for $count checks; redeploying this VM to another host"
  redeploy_self || logger -p "$HEALTH_FACILITY.err" -t "$HEALTH_TAG" "redeploy request failed"
}

# The Key Vault certificate's secret (PEM: key and chain) into the runtime directory, mode 600.
fetch_tls_cert() {
  local tmp
  [[ "$SERVES_API" == 1 && -n "$TLS_CERT_SECRET" ]] || return 0
  tmp=$(mktemp "$RUN_DIR/tls.pem.XXXXXX")
  read_secret "$TLS_CERT_SECRET" >"$tmp" || { rm -f "$tmp"; die "cannot read certificate $TLS_CERT_SECRET from $KEY_VAULT_URI (created with content type application/x-pem-file?)"; }
  if ! grep -q -- '-----BEGIN CERTIFICATE-----' "$tmp" || ! grep -q -- 'PRIVATE KEY-----' "$tmp"; then
    rm -f "$tmp"
    die "certificate $TLS_CERT_SECRET is not a PEM with key and certificate"
  fi
  mv -f "$tmp" "$RUN_DIR/tls.pem"
}
