/**
 * The API front on Azure: the serving rank runs the shared nginx front (lib/deploy/api-front.ts) on
 * the plan's port, the engine listens on loopback one port up, and the internal load balancer's rule
 * and probe target the front. Only `/v1/…` with the key and the health path reach the engine.
 *
 * TLS: when the caller names a Key Vault certificate (`tlsCertificateSecretName`), the node reads the
 * certificate's backing secret (same name) with its managed identity at each engine start into the
 * engine unit's root-only runtime directory, and the front listens with `ssl` on the same port. The
 * certificate must be created with content type `application/x-pem-file`: its secret then holds the
 * private key and the certificate chain in one PEM (Microsoft Learn, "About Azure Key Vault
 * certificates", docs/azure-facts.md §4); nginx reads key and chain from that one file
 * (`ssl_certificate` / `ssl_certificate_key`, https://nginx.org/en/docs/http/ngx_http_ssl_module.html).
 * The load balancer's probe then speaks HTTPS (a Standard load balancer's HTTPS probe does not
 * validate the certificate; docs/azure-facts.md §10). Without a certificate the blueprint warns that
 * the API is served in plain text.
 *
 * This file only adds to the shared front: `renderApiFrontConfig` is used as is and the TLS lines are
 * inserted after its `listen` line.
 */
import type { Plan } from '../../plan/types';
import { API_FRONT_CONFIG_PATH, API_FRONT_IMAGE, API_FRONT_KEY_TEMPLATE_PATH, apiFrontKeyTemplate, apiFrontSpec, renderApiFrontConfig, type ApiFrontSpec } from '../api-front';

/** Where the PEM (key + chain) is mounted inside the front's container. */
export const AZURE_FRONT_TLS_PATH = '/etc/nginx/tls/tls.pem';

/** TLS versions the front accepts (nginx `ssl_protocols`). */
export const AZURE_FRONT_TLS_PROTOCOLS = ['TLSv1.2', 'TLSv1.3'] as const;

/** systemd unit and container name of the front on an Azure node. */
export const AZURE_FRONT_UNIT = 'deepseek-front';

/** The front of a plan on Azure, as the blueprint records it. */
export interface AzureFrontSpec {
  readonly image: string;
  /** The plan's port: clients, the load balancer rule and its probe use it. */
  readonly listenPort: number;
  /** Loopback port of the engine behind the front. */
  readonly enginePort: number;
  readonly engineHost: string;
  readonly healthPath: string;
  /** Key Vault certificate (its backing secret) the front serves TLS with, if any. */
  readonly tlsCertificateSecretName?: string;
  /** `https` with a certificate, else `http`. */
  readonly scheme: 'http' | 'https';
}

/** The Azure front of `plan`, with TLS when a certificate secret is named. */
export function azureFront(plan: Plan, tlsCertificateSecretName?: string): AzureFrontSpec {
  const f = apiFrontSpec(plan);
  return {
    image: API_FRONT_IMAGE, listenPort: f.listenPort, enginePort: f.enginePort, engineHost: f.engineHost, healthPath: f.healthPath,
    ...(tlsCertificateSecretName !== undefined ? { tlsCertificateSecretName } : {}),
    scheme: tlsCertificateSecretName !== undefined ? 'https' : 'http',
  };
}

/**
 * The front's nginx.conf: the shared configuration, and with `tls` the `listen` line gains `ssl`
 * followed by the certificate, key and protocol lines.
 * @throws Error when the shared configuration has no `listen <port>;` line to extend
 */
export function renderAzureFrontConfig(spec: ApiFrontSpec, tls: boolean, options: { readonly keyMapPath?: string; readonly tlsPath?: string } = {}): string {
  const base = renderApiFrontConfig(spec, options.keyMapPath !== undefined ? { keyMapPath: options.keyMapPath } : {});
  if (!tls) return base;
  const listen = `listen ${spec.listenPort};`;
  if (base.split('\n').filter((l) => l === listen).length !== 1) throw new Error(`the front configuration has no single "${listen}" line`);
  const pem = options.tlsPath ?? AZURE_FRONT_TLS_PATH;
  return base.replace(listen, [
    `listen ${spec.listenPort} ssl;`,
    `ssl_certificate ${pem};`,
    `ssl_certificate_key ${pem};`,
    `ssl_protocols ${AZURE_FRONT_TLS_PROTOCOLS.join(' ')};`,
  ].join('\n'));
}

/** The key map template of the shared front (the engine's key variable, rendered by the image's envsubst). */
export function azureFrontKeyTemplate(plan: Plan): string {
  return apiFrontKeyTemplate(apiFrontSpec(plan));
}

/** Paths inside the front's container (re-exported for the boot script). */
export const AZURE_FRONT_PATHS = { config: API_FRONT_CONFIG_PATH, keyTemplate: API_FRONT_KEY_TEMPLATE_PATH, tls: AZURE_FRONT_TLS_PATH } as const;

/**
 * Bash functions the Azure boot script calls (kept out of boot-script.ts): the CPU architecture
 * check, the front's systemd unit, the TLS certificate read, the boot failure report to syslog.
 * Every shell `${` is escaped as `\${` and every backslash doubled, as in the script body.
 */
export const AZURE_BOOT_EXTRAS = `# ---- architecture, API front, TLS (lib/deploy/azure/front.ts) ----
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
    sleep "\${DEEPSEEK_IAC_HEARTBEAT_SECONDS:-60}" &
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
ExecStart=$docker_bin run --rm --name $FRONT --network host --env-file $RUN_DIR/secret.env --log-driver syslog --log-opt syslog-facility=$ENGINE_FACILITY --log-opt tag=$FRONT -v $APP_DIR/etc/front.conf:$FRONT_CONF_PATH:ro -v $APP_DIR/etc/key.template:$FRONT_KEY_TEMPLATE_PATH:ro $tls_mount $FRONT_IMAGE
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
  local arm="\${DEEPSEEK_IAC_ARM:-https://management.azure.com}" token vm header rc=0
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
`;
