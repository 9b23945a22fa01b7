/**
 * The Azure node boot script (VM custom data; cloud-init runs a custom-data script that starts with
 * `#!` once per instance). One bash script, one job per first argument, like the AWS user data
 * (lib/deploy/user-data.ts), whose container launch it reuses (`engineContainer`):
 * - no argument (cloud-init, first boot): check tools, check the GPU count against the plan (the
 *   boot fails when it differs), format and mount the managed data disk found by its LUN, pull the
 *   engine image, download the weights onto the data disk once, install itself with a systemd unit
 *   for the engine and a timer for health reports, start them.
 * - `engine-env` (ExecStartPre, every start): stage the weights on the local NVMe (the load cache;
 *   the NVMe is wiped when the VM is deallocated, so it is re-assembled and re-filled when empty),
 *   read the API key from Key Vault with the VM's managed identity into a mode-600 file in the
 *   unit's root-only runtime directory (tmpfs), and write the node's runtime variables.
 * - `run-engine` (ExecStart): substitute `${HEAD_ADDR}` / `${NODE_RANK}` (static private addresses:
 *   no discovery call) and exec `docker run` with the syslog log driver (facility local0), which
 *   the Azure Monitor agent ships to Log Analytics.
 * - `health` (timer, every minute): GPU count and engine health, and one line of GPU metrics per
 *   GPU, to syslog facility local1 (Log Analytics `Syslog` table).
 *
 * Added from front.ts (AZURE_BOOT_EXTRAS): the CPU architecture check before the GPU check, the
 * API front's unit on the serving rank (engine on loopback, nginx on the plan's port), the TLS
 * certificate read at engine start, boot failures to syslog, and the health timer's self-repair
 * (repair.ts: redeploy the VM after repeated GPU loss).
 *
 * Nothing secret is rendered: the script names the vault and the secret, never a value. The token
 * request names no identity: with exactly one user-assigned identity on the VM, IMDS uses it.
 *
 * Facts relied on (docs/azure-facts.md):
 * - §4 IMDS managed-identity token: GET http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=…
 *   with header `Metadata: true`; `client_id` only needed with several user-assigned identities.
 * - §4 Key Vault Get Secret: GET {vaultBaseUrl}/secrets/{name}?api-version=7.4, bearer token for
 *   resource https://vault.azure.net; the JSON's `value` is the secret.
 * - §5 Data disks appear as /dev/disk/azure/scsi1/lun<N> (udev rules of the Azure Linux images);
 *   on NVMe-attached disk controllers as /dev/disk/azure/data/by-lun/<N> (azure-vm-utils rules, unconfirmed).
 * - §5 Local NVMe disks report the model "Microsoft NVMe Direct Disk"; the AMD and Azure DeepSeek
 *   guides for ND MI300X v5 assemble them as RAID0 under /mnt/resource_nvme (reused when mounted).
 * - §6 GPU count: `nvidia-smi -L` prints one `GPU n:` line per GPU; the amdgpu KFD topology lists one
 *   node per CPU socket (gpu_id 0) and one per GPU (gpu_id ≠ 0) under /sys/class/kfd/kfd/topology/nodes.
 *
 * Host paths hang off DEEPSEEK_IAC_ROOT and IMDS and poll timings are overridable through
 * DEEPSEEK_IAC_* variables, so the tests can run the script unprivileged with stub commands.
 */
import { shellQuote } from '../../serving/container';
import type { Plan } from '../../plan/types';
import { engineContainer, NODE_VARIABLES } from '../container-run';
import type { HuggingFaceModelSource } from '../model-source';
import { ENGINE_UNIT, WEIGHTS_COMPLETE_MARKER } from '../user-data';
import { apiFrontSpec } from '../api-front';
import { AZURE_BOOT_EXTRAS, AZURE_FRONT_PATHS, AZURE_FRONT_UNIT, azureFront, azureFrontKeyTemplate, renderAzureFrontConfig } from './front';
import { GPU_FAILURES_BEFORE_REDEPLOY, MAX_SELF_REDEPLOYS, REDEPLOY_API_VERSION } from './repair';

/** Azure custom data limit: 65535 bytes before base64 ("the maximum length of the binary array is 65535 bytes"; docs/azure-facts.md §5). */
export const CUSTOM_DATA_MAX_BYTES = 65_535;

/** systemd service and timer of the health reporter. */
export const HEALTH_UNIT = 'deepseek-health';

/** Syslog facilities the script logs to: engine output and health/GPU lines. */
export const SYSLOG_FACILITIES = { engine: 'local0', health: 'local1' } as const;

/** Syslog tags of the engine, the health report and the GPU metrics. */
export const SYSLOG_TAGS = { engine: 'deepseek-engine', health: 'deepseek-health', gpu: 'deepseek-gpu' } as const;

/** Everything the boot script of one node needs (all plain strings: no adapter tokens). */
export interface AzureBootInput {
  readonly plan: Plan;
  readonly rank: number;
  readonly clusterName: string;
  readonly modelSource: HuggingFaceModelSource;
  /** LUN of the managed data disk holding the weights. */
  readonly dataDiskLun: number;
  /** Size of the data disk, GiB (for the log line; the disk is found by its LUN). */
  readonly dataDiskGiB: number;
  /** `https://<vault>.vault.azure.net`. */
  readonly keyVaultUri: string;
  readonly apiKeySecretName: string;
  /** Key Vault secret holding a Hugging Face token, when the repository needs one. */
  readonly huggingFaceTokenSecretName?: string;
  /** Static private address of rank 0 (the head). */
  readonly headAddress: string;
  /** Static private address of this node. */
  readonly nodeAddress: string;
  /** Stage the weights on the local NVMe before each start (the blueprint checks that they fit). */
  readonly useLocalNvmeCache: boolean;
  /** Extra `docker run` options for the InfiniBand fabric (multi-node). */
  readonly fabricDockerOptions: readonly string[];
  /** Environment for the engine container over InfiniBand (replaces the EFA-oriented defaults). */
  readonly fabricEnv: Readonly<Record<string, string>>;
  /** One line for the header. */
  readonly summary: string;
  /** Key Vault certificate whose secret (PEM) the API front serves TLS with. @default none: plain HTTP, with a blueprint warning */
  readonly tlsCertificateSecretName?: string;
}

/** snapshot_download inside the engine image (as on AWS): repo, revision ('' = default), target dir. */
const HF_DOWNLOAD_PY = [
  'import sys',
  'from huggingface_hub import snapshot_download',
  'snapshot_download(repo_id=sys.argv[1], revision=sys.argv[2] or None, local_dir=sys.argv[3], max_workers=16)',
].join('\n');

/**
 * `docker run` options for the rank with the fabric environment applied: `-e` pairs whose key the
 * fabric sets are replaced (the AWS defaults aim at EFA), then the fabric's options appended.
 */
export function azureDockerOptions(options: readonly string[], fabricEnv: Readonly<Record<string, string>>, fabricOptions: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < options.length; i++) {
    if (options[i] === '-e' && i + 1 < options.length && Object.prototype.hasOwnProperty.call(fabricEnv, options[i + 1].split('=')[0])) {
      i++;
      continue;
    }
    out.push(options[i]);
  }
  for (const [k, v] of Object.entries(fabricEnv)) out.push('-e', `${k}=${v}`);
  return [...out, ...fabricOptions];
}

/** Render the boot script of one node. */
export function renderAzureBootScript(input: AzureBootInput): string {
  const { plan, rank } = input;
  const nodes = plan.topology.nodes;
  if (!Number.isInteger(rank) || rank < 0 || rank >= nodes) throw new RangeError(`rank ${rank} is outside 0…${nodes - 1}`);
  // The serving rank's engine binds loopback behind the API front (lib/deploy/azure/front.ts).
  const frontSpec = apiFrontSpec(plan);
  const front = azureFront(plan, input.tlsCertificateSecretName);
  const container = engineContainer(plan, rank, { front: frontSpec });
  const vendor = plan.topology.gpuVendor;
  if (vendor !== 'nvidia' && vendor !== 'amd') throw new Error(`no GPU check for vendor ${vendor}`);
  const role = nodes === 1 ? 'single node' : rank === 0 ? 'head' : 'worker';
  const config: [string, string][] = [
    ['CLUSTER', input.clusterName],
    ['NODE_RANK', String(rank)],
    ['NODES', String(nodes)],
    ['MODEL_ID', plan.model.id],
    ['MODEL_REPO', input.modelSource.repoId],
    ['MODEL_REVISION', input.modelSource.revision ?? ''],
    ['IMAGE', container.image],
    ['MODEL_MOUNT', container.modelMountPath],
    ['SERVES_API', container.servesApi ? '1' : '0'],
    ['API_PORT', String(plan.serving.port)],
    ['HEALTH_PATH', plan.serving.healthPath],
    ['API_KEY_ENV', plan.serving.apiKeyEnv],
    ['KEY_VAULT_URI', input.keyVaultUri],
    ['API_KEY_SECRET', input.apiKeySecretName],
    ['HF_TOKEN_SECRET', input.huggingFaceTokenSecretName ?? ''],
    ['GPU_VENDOR', vendor],
    ['EXPECTED_GPUS', String(plan.topology.gpusPerNode)],
    ['HEAD_ADDR_STATIC', input.headAddress],
    ['NODE_ADDR', input.nodeAddress],
    ['HOST_IP_ENV', container.hostIpEnv ?? ''],
    ['DATA_DISK_LUN', String(input.dataDiskLun)],
    ['NVME_CACHE', input.useLocalNvmeCache ? '1' : '0'],
    ['UNIT', ENGINE_UNIT],
    ['HEALTH_UNIT', HEALTH_UNIT],
    ['MARKER', WEIGHTS_COMPLETE_MARKER],
    ['HF_DOWNLOAD_PY', HF_DOWNLOAD_PY],
    ['ENGINE_FACILITY', SYSLOG_FACILITIES.engine],
    ['HEALTH_FACILITY', SYSLOG_FACILITIES.health],
    ['ENGINE_TAG', SYSLOG_TAGS.engine],
    ['HEALTH_TAG', SYSLOG_TAGS.health],
    ['GPU_TAG', SYSLOG_TAGS.gpu],
    ['EXPECTED_MACHINE', plan.topology.cpuArchitecture === 'arm64' ? 'aarch64' : 'x86_64'],
    ['FRONT', AZURE_FRONT_UNIT],
    ['FRONT_IMAGE', container.servesApi ? front.image : ''],
    ['FRONT_CONF_PATH', AZURE_FRONT_PATHS.config],
    ['FRONT_KEY_TEMPLATE_PATH', AZURE_FRONT_PATHS.keyTemplate],
    ['FRONT_TLS_PATH', AZURE_FRONT_PATHS.tls],
    ['TLS_CERT_SECRET', container.servesApi ? (input.tlsCertificateSecretName ?? '') : ''],
    ['HEALTH_SCHEME', front.scheme],
    ['GPU_FAILURE_LIMIT', String(GPU_FAILURES_BEFORE_REDEPLOY)],
    ['MAX_REDEPLOYS', String(MAX_SELF_REDEPLOYS)],
    ['REDEPLOY_API_VERSION', REDEPLOY_API_VERSION],
  ];
  return [
    '#!/bin/bash',
    '# deepseek-iac Azure node boot script (cloud-init custom data), rendered from the deployment plan; do not edit by hand.',
    `# ${input.summary.replace(/[\r\n]+/g, ' ')}`,
    `# node rank ${rank} of ${nodes} (${role}); data disk LUN ${input.dataDiskLun}, ${input.dataDiskGiB} GiB`,
    '# usage: node.sh [bootstrap|engine-env|run-engine|health]',
    'set -Eeuo pipefail',
    '',
    '# ---- from the plan ----',
    ...config.map(([k, v]) => `readonly ${k}=${shellQuote(v)}`),
    // nginx's $variables and the template's ${KEY} are literal text for the front, hence single quotes.
    '# shellcheck disable=SC2016',
    `readonly FRONT_CONF=${shellQuote(container.servesApi ? renderAzureFrontConfig(frontSpec, front.scheme === 'https') : '')}`,
    '# shellcheck disable=SC2016',
    `readonly FRONT_KEY_TEMPLATE=${shellQuote(container.servesApi ? azureFrontKeyTemplate(plan) : '')}`,
    bashArray('DOCKER_OPTS', azureDockerOptions(container.dockerOptions, input.fabricEnv, input.fabricDockerOptions)),
    '# ${HEAD_ADDR} / ${NODE_RANK} are substituted by run-engine; other ${...} expand inside the container.',
    '# shellcheck disable=SC2016',
    bashArray('ENGINE_ARGV', container.argv),
    '',
    BODY.replace('# ---- GPUs ----', `${AZURE_BOOT_EXTRAS}\n# ---- GPUs ----`),
  ].join('\n');
}

function bashArray(name: string, items: readonly string[]): string {
  if (items.length === 0) return `readonly ${name}=()`;
  return [`readonly ${name}=(`, ...items.map((i) => `  ${shellQuote(i)}`), ')'].join('\n');
}

const PH_HEAD = shellQuote(NODE_VARIABLES.headAddr);
const PH_RANK = shellQuote(NODE_VARIABLES.nodeRank);

/** The fixed part: every shell `${` is escaped as `\${`, every shell backslash doubled. */
const BODY = `# ---- host paths and timings (overridable for tests only) ----
ROOT="\${DEEPSEEK_IAC_ROOT:-}"
IMDS="\${DEEPSEEK_IAC_IMDS:-http://169.254.169.254}"
POLL_SECONDS="\${DEEPSEEK_IAC_POLL_SECONDS:-10}"
WAIT_TRIES="\${DEEPSEEK_IAC_WAIT_TRIES:-60}"
APP_DIR="$ROOT/opt/deepseek-iac"
STATE_DIR="$APP_DIR/state"
BIN="$APP_DIR/bin/node.sh"
RUN_DIR="$ROOT/run/deepseek-iac"
UNIT_DIR="$ROOT/etc/systemd/system"
FSTAB="$ROOT/etc/fstab"
DISK_DIR="$ROOT/dev/disk/azure/scsi1"
DISK_BY_LUN="$ROOT/dev/disk/azure/data/by-lun"
KFD_NODES="$ROOT/sys/class/kfd/kfd/topology/nodes"
DATA_DIR="$ROOT/mnt/deepseek-data"
RESOURCE_NVME="$ROOT/mnt/resource_nvme"
NVME_DIR="$ROOT/mnt/deepseek-nvme"
MD_DEVICE=/dev/md/deepseek-cache
CONTAINER="$UNIT"
CACHE_DIR=''

log() { printf '%s deepseek-iac[%s rank %s]: %s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$CLUSTER" "$NODE_RANK" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }
step() { log "step $1"; }
trap 'log "failed (exit $?) at line $LINENO: $BASH_COMMAND"' ERR

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

# ---- GPUs ----
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
  printf '%s\\n' "$n"
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

# ---- disks ----
format_and_mount() {
  local dev="$1" dir="$2" label="$3" rc=0 uuid
  blkid -p "$dev" >/dev/null 2>&1 || rc=$?
  if ((rc == 2)); then
    mkfs.ext4 -q -F -m 0 -L "$label" -E lazy_itable_init=1,lazy_journal_init=1,nodiscard "$dev"
  elif ((rc != 0)); then
    die "blkid failed on $dev (exit $rc)"
  fi
  mkdir -p "$dir"
  if ! mountpoint -q "$dir"; then mount -o noatime "$dev" "$dir"; fi
  uuid=$(blkid -s UUID -o value "$dev")
  if ! grep -q "UUID=$uuid " "$FSTAB" 2>/dev/null; then
    printf 'UUID=%s %s ext4 defaults,noatime,nofail 0 2\\n' "$uuid" "\${dir#"$ROOT"}" >>"$FSTAB"
  fi
}

# The data disk by LUN: SCSI-attached (ND v5) under scsi1/, NVMe-attached (newer sizes) under data/by-lun/.
prepare_data_disk() {
  local i dev candidate
  for ((i = 0; i < WAIT_TRIES; i++)); do
    for candidate in "$DISK_DIR/lun$DATA_DISK_LUN" "$DISK_BY_LUN/$DATA_DISK_LUN"; do
      if [[ -e "$candidate" ]]; then dev="$candidate"; break 2; fi
    done
    sleep "$POLL_SECONDS"
  done
  [[ -n "\${dev:-}" ]] || die "no data disk at LUN $DATA_DISK_LUN ($DISK_DIR/lun$DATA_DISK_LUN or $DISK_BY_LUN/$DATA_DISK_LUN)"
  format_and_mount "$dev" "$DATA_DIR" deepseek-data
}

nvme_devices() {
  lsblk -dn -o NAME,MODEL | awk '/NVMe Direct Disk/ { print "/dev/" $1 }'
}

# The load cache: the image's /mnt/resource_nvme when mounted, else the local NVMe disks (RAID0
# when several). Empty CACHE_DIR = no local NVMe; the engine then reads from the data disk.
prepare_cache() {
  local devs=()
  if mountpoint -q "$RESOURCE_NVME"; then
    CACHE_DIR="$RESOURCE_NVME/deepseek-iac"
    mkdir -p "$CACHE_DIR"
    return 0
  fi
  mapfile -t devs < <(nvme_devices)
  case \${#devs[@]} in
    0) CACHE_DIR=''; log "no local NVMe: the engine reads the weights from the data disk"; return 0 ;;
    1) format_and_mount "\${devs[0]}" "$NVME_DIR" deepseek-nvme ;;
    *)
      if [[ ! -e "$MD_DEVICE" ]]; then mdadm --create "$MD_DEVICE" --run --level=0 --raid-devices="\${#devs[@]}" "\${devs[@]}"; fi
      format_and_mount "$MD_DEVICE" "$NVME_DIR" deepseek-nvme
      ;;
  esac
  CACHE_DIR="$NVME_DIR"
}

# Copy the weights from the data disk to the cache unless it holds them; echo the models directory to mount.
stage_weights() {
  local src="$DATA_DIR/models/$MODEL_ID" dst
  [[ -f "$src/$MARKER" ]] || die "weights are not on the data disk ($src)"
  if [[ "$NVME_CACHE" != 1 ]] || ! prepare_cache >&2 || [[ -z "$CACHE_DIR" ]]; then
    printf '%s\\n' "$DATA_DIR/models"
    return 0
  fi
  dst="$CACHE_DIR/models/$MODEL_ID"
  if [[ ! -f "$dst/$MARKER" ]]; then
    log "staging the weights on local NVMe ($CACHE_DIR)"
    rm -rf "$dst"
    mkdir -p "$dst"
    cp -a "$src/." "$dst/"
  fi
  printf '%s\\n' "$CACHE_DIR/models"
}

# ---- Key Vault through the VM's managed identity ----
json_field() {
  python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

read_secret() {
  local token header
  token=$(curl -sSf --retry 5 -H 'Metadata: true' \\
    "$IMDS/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net" | json_field access_token) || return 1
  install -d -m 0700 "$RUN_DIR"
  header=$(mktemp "$RUN_DIR/auth.XXXXXX")
  printf 'Authorization: Bearer %s\\n' "$token" >"$header"
  curl -sSf --retry 5 -H @"$header" "\${KEY_VAULT_URI%/}/secrets/$1?api-version=7.4" | json_field value || { rm -f "$header"; return 1; }
  rm -f "$header"
}

# ---- weights ----
fetch_weights() {
  local dir="$DATA_DIR/models/$MODEL_ID" token=''
  if [[ -f "$dir/$MARKER" ]]; then
    log "weights already on the data disk"
    return 0
  fi
  mkdir -p "$dir" "$DATA_DIR/cache"
  if [[ -n "$HF_TOKEN_SECRET" ]]; then token=$(read_secret "$HF_TOKEN_SECRET") || die "cannot read the Hugging Face token from Key Vault"; fi
  HF_TOKEN="$token" retry 3 docker run --rm --entrypoint python3 -e HF_TOKEN \\
    -v "$dir:/download" -v "$DATA_DIR/cache:/root/.cache" "$IMAGE" -c "$HF_DOWNLOAD_PY" "$MODEL_REPO" "$MODEL_REVISION" /download
  [[ -f "$dir/config.json" ]] || die "no config.json in $dir after downloading $MODEL_REPO"
  touch "$dir/$MARKER"
}

write_units() {
  local docker_bin
  docker_bin=$(command -v docker)
  install -d -m 0755 "$UNIT_DIR"
  cat >"$UNIT_DIR/$UNIT.service" <<EOF
[Unit]
Description=deepseek-iac engine: $MODEL_ID rank $NODE_RANK of $NODES
Wants=network-online.target
After=network-online.target docker.service
Requires=docker.service

[Service]
Type=simple
Environment=DEEPSEEK_IAC_ROOT=$ROOT
RuntimeDirectory=deepseek-iac
RuntimeDirectoryMode=0700
ExecStartPre=-$docker_bin rm -f $CONTAINER
ExecStartPre=$BIN engine-env
ExecStart=$BIN run-engine
ExecStop=$docker_bin stop --time 60 $CONTAINER
Restart=on-failure
RestartSec=30
TimeoutStartSec=infinity
TimeoutStopSec=120

[Install]
WantedBy=multi-user.target
EOF
  cat >"$UNIT_DIR/$HEALTH_UNIT.service" <<EOF
[Unit]
Description=deepseek-iac health report: GPU count, engine health, GPU metrics

[Service]
Type=oneshot
Environment=DEEPSEEK_IAC_ROOT=$ROOT
ExecStart=$BIN health
EOF
  cat >"$UNIT_DIR/$HEALTH_UNIT.timer" <<EOF
[Unit]
Description=deepseek-iac health report every minute

[Timer]
OnActiveSec=60
OnUnitActiveSec=60

[Install]
WantedBy=timers.target
EOF
  write_front_unit "$docker_bin"
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
  install -D -m 0700 "\${BASH_SOURCE[0]}" "$BIN"
  write_units
  step start
  systemctl daemon-reload
  if [[ "$SERVES_API" == 1 ]]; then systemctl enable "$FRONT.service"; fi
  systemctl enable --now --no-block "$UNIT.service" "$HEALTH_UNIT.timer"
  log "bootstrap complete; the engine starts under systemd unit $UNIT"
}

engine_env() {
  local models key tmp
  models=$(stage_weights)
  install -d -m 0700 "$RUN_DIR"
  tmp=$(mktemp "$RUN_DIR/runtime.env.XXXXXX")
  {
    printf 'HEAD_ADDR=%s\\nNODE_RANK=%s\\nNODE_ADDR=%s\\nMODELS_DIR=%s\\n' "$HEAD_ADDR_STATIC" "$NODE_RANK" "$NODE_ADDR" "$models"
    if [[ -n "$HOST_IP_ENV" ]]; then printf '%s=%s\\n' "$HOST_IP_ENV" "$NODE_ADDR"; fi
  } >"$tmp"
  mv -f "$tmp" "$RUN_DIR/runtime.env"
  tmp=$(mktemp "$RUN_DIR/secret.env.XXXXXX")
  if [[ "$SERVES_API" == 1 ]]; then
    key=$(read_secret "$API_KEY_SECRET") || die "cannot read secret $API_KEY_SECRET from $KEY_VAULT_URI (stored yet?)"
    [[ -n "$key" && "$key" != *$'\\n'* ]] || die "the API key secret is empty or spans several lines"
    # The front compares the whole Authorization header; an RFC 6750 b64token keeps its config valid.
    [[ "$key" =~ ^[A-Za-z0-9._~+/-]+=*$ ]] || die "the API key may hold only A-Z a-z 0-9 - . _ ~ + / and trailing ="
    printf '%s=%s\\n' "$API_KEY_ENV" "$key" >"$tmp"
  fi
  mv -f "$tmp" "$RUN_DIR/secret.env"
  fetch_tls_cert
}

run_engine() {
  local a models argv=()
  # The node variables are literal text in the argv, hence single quotes.
  # shellcheck disable=SC2016
  local ph_head=${PH_HEAD} ph_rank=${PH_RANK}
  models=$(sed -n 's/^MODELS_DIR=//p' "$RUN_DIR/runtime.env")
  [[ -n "$models" ]] || die "MODELS_DIR missing from $RUN_DIR/runtime.env"
  for a in "\${ENGINE_ARGV[@]}"; do
    a=\${a//"$ph_head"/"$HEAD_ADDR_STATIC"}
    a=\${a//"$ph_rank"/"$NODE_RANK"}
    argv+=("$a")
  done
  exec docker run --rm --name "$CONTAINER" \\
    --env-file "$RUN_DIR/runtime.env" --env-file "$RUN_DIR/secret.env" \\
    --log-driver syslog --log-opt "syslog-facility=$ENGINE_FACILITY" --log-opt "tag=$ENGINE_TAG" \\
    -v "$models:$MODEL_MOUNT:ro" -v "$DATA_DIR/cache:/root/.cache" \\
    "\${DOCKER_OPTS[@]}" "$IMAGE" "\${argv[@]}"
}

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

case "\${1:-bootstrap}" in
  bootstrap) bootstrap ;;
  engine-env) engine_env ;;
  run-engine) run_engine ;;
  health) health ;;
  *) die "unknown subcommand $1" ;;
esac
`;
