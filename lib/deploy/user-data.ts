/**
 * The node boot script (EC2 user data), rendered from the plan. One bash script does three jobs,
 * chosen by its first argument:
 * - no argument (cloud-init, first boot): check tools, read instance metadata over IMDSv2, wait for
 *   the GPU driver, prepare the weights disk, pull the engine image, fetch the weights, install
 *   itself and a systemd unit, start the unit. Any failure (a failed download included) exits
 *   non-zero before the unit exists, so the engine never starts on partial weights.
 * - `engine-env` (systemd ExecStartPre, on every start): read the API key from Secrets Manager into
 *   a mode-600 file under the unit's root-only runtime directory (tmpfs), find the head node
 *   (workers: `aws ec2 describe-instances` on the cluster and rank-0 tags) and write the node's
 *   runtime variables.
 * - `run-engine` (systemd ExecStart): substitute `${HEAD_ADDR}` / `${NODE_RANK}` in the rank's
 *   argv and exec `docker run` with the awslogs log driver.
 * - `watchdog` (a systemd timer, every minute): after 3 consecutive `nvidia-smi` failures (a GPU
 *   fell off the bus, the driver died) the node marks itself unhealthy so its Auto Scaling group
 *   replaces it (with `reportUnhealthy`; otherwise it only logs); on a multi-node cluster, when the set of running instances (rank → instance id)
 *   differs from the one recorded when the engine started, it restarts the engine, so that no node
 *   keeps serving or waiting on a peer that is gone (workers wait for the new head in `engine-env`;
 *   a head whose workers are missing waits for them or fails, and systemd retries it every 30 s).
 *
 * Day-2 additions (each off unless its input is given): the CloudWatch agent started with its
 * configuration from an SSM parameter (installed from AWS's regional package bucket if the AMI lacks
 * it; a failure is logged, never fatal); a model store: a Hugging Face checkpoint is read from the
 * store when its completion marker is there, otherwise downloaded from Hugging Face and, on rank 0,
 * synced to the store after the engine has started (marker last; a failed upload is logged, the next
 * boot downloads again). With `reportUnhealthy`, a failed boot marks the instance unhealthy.
 *
 * Nothing secret is rendered: the script carries secret *ids* only. Values that may be adapter
 * tokens (secret ARNs, log group name) are shell-quoted like any other value.
 *
 * Host paths hang off `DEEPSEEK_IAC_ROOT` (empty on a real node) and the IMDS endpoint and poll
 * timings can be overridden through `DEEPSEEK_IAC_*` variables: tests run the script unprivileged
 * in a temporary directory with stub commands. cloud-init starts user data with none of them set.
 *
 * Facts relied on:
 * - IMDSv2: PUT /latest/api/token with X-aws-ec2-metadata-token-ttl-seconds, then send
 *   X-aws-ec2-metadata-token (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-v2-how-it-works.html, confirmed).
 * - Nitro exposes EBS volumes as NVMe devices whose model is "Amazon Elastic Block Store" and
 *   instance-store disks as "Amazon EC2 NVMe Instance Storage"; device names do not follow the
 *   block-device mapping (https://docs.aws.amazon.com/ebs/latest/userguide/nvme-ebs-volumes.html, confirmed).
 *   The data volume is therefore found by model and exact size.
 * - The Deep Learning AMIs mount instance-store NVMe at /opt/dlami/nvme themselves (release notes'
 *   `nvme_location: /opt/dlami/nvme`, https://docs.aws.amazon.com/dlami/latest/devguide/ , confirmed);
 *   on such an AMI the script waits for that mount instead of assembling the disks (which would race it).
 * - `aws s3 sync` parallelism is set through an AWS CLI config file (`s3.max_concurrent_requests`,
 *   `s3.multipart_chunksize`; https://docs.aws.amazon.com/cli/latest/topic/s3-config.html, confirmed).
 * - Hugging Face downloads run `huggingface_hub.snapshot_download` inside the engine image, which
 *   ships huggingface_hub (vLLM and SGLang load models through it); its Python API is the same in
 *   the 0.x and 1.x releases, unlike the CLI (`huggingface-cli` became `hf`). HF_TOKEN is read from
 *   the environment by huggingface_hub.
 * - Docker awslogs driver options awslogs-region/-group/-stream, mode=non-blocking,
 *   max-buffer-size (https://docs.docker.com/engine/logging/drivers/awslogs/, confirmed).
 */
import { gzipSync } from 'node:zlib';
import { shellQuote } from '../serving/container';
import type { Plan } from '../plan/types';
import { CLUSTER_TAG, RANK_TAG } from './naming';
import type { ModelSource } from './model-source';
import { engineContainer, NODE_VARIABLES } from './container-run';
import { API_FRONT_CONFIG_PATH, API_FRONT_IMAGE, API_FRONT_KEY_TEMPLATE_PATH, apiFrontKeyTemplate, apiFrontSpec, renderApiFrontConfig } from './api-front';
import { engineRestartGraceSeconds } from './health';

/** Where the weights land on a node. */
export type WeightsStorage =
  | { readonly kind: 'ebs'; readonly volumeGiB: number }
  | { readonly kind: 'instance-store' };

/** Everything the boot script of one node needs. Secret ids and the log group may be adapter tokens. */
export interface NodeUserDataInput {
  readonly plan: Plan;
  /** 0 = single node or head; 1 … nodes-1 = workers. */
  readonly rank: number;
  readonly clusterName: string;
  readonly modelSource: ModelSource;
  readonly storage: WeightsStorage;
  /** Secrets Manager id (ARN or name) of the API key. */
  readonly apiKeySecretId: string;
  /** Secrets Manager id of the Hugging Face token, when the repository needs one. */
  readonly huggingFaceTokenSecretId?: string;
  readonly logGroupName: string;
  /** One-line description for the script header (e.g. the plan summary). */
  readonly summary: string;
  /** Model store that caches a Hugging Face checkpoint (bucket name may be an adapter token). */
  readonly modelStore?: { readonly bucketName: string; readonly prefix: string };
  /** SSM parameter (name) holding the CloudWatch agent configuration; absent = no agent. */
  readonly agentConfigParameter?: string;
  /** A failed boot or a lost GPU marks the instance unhealthy (the role needs autoscaling:SetInstanceHealth); off = logged only. */
  readonly reportUnhealthy?: boolean;
  /**
   * FSx for Lustre holding the model store's checkpoint under `path` (DNS and mount name may be
   * adapter tokens): the node mounts that fileset as its model directory when the store's marker
   * is there, instead of copying the weights. Only rendered when given.
   */
  readonly fsxLustre?: { readonly dnsName: string; readonly mountName: string; readonly path: string };
  /**
   * Ship the static script body gzip-compressed (base64 in a heredoc, unpacked with `base64 -d | gzip -dc`
   * and run in the same shell) instead of as text. The blueprint asks for it only when the plain script
   * would exceed EC2's 16 KB user-data limit once its deploy-time values expand; the per-node
   * configuration stays plain text (it carries the deploy-time tokens).
   * @default false
   */
  readonly packBody?: boolean;
}

/**
 * systemd slice (cgroup) the engine container runs in (`docker run --cgroup-parent`): the metadata
 * block matches it. No dash: a dash would make it a child of another slice.
 */
export const ENGINE_SLICE = 'deepseekengine.slice';

/** EC2 user data is limited to 16 KB before base64 (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-add-user-data.html, confirmed). */
export const USER_DATA_MAX_BYTES = 16 * 1024;

/**
 * The longest value a deploy-time reference in the user data can become, bytes. A CDK token
 * renders as `${Token[TOKEN.123]}` and a cdktf one as `${TfToken[TOKEN.1]}` (~20 characters) at
 * synth, and CloudFormation or Terraform substitutes the real value later, so the size check
 * counts each token at these lengths (Pulumi passes resolved values: nothing to reserve).
 * - secret ARN: `arn:aws:secretsmanager:<region>:<account>:secret:` (~55) + a generated name
 *   (`<LogicalId>-<random>`, ~45) + `-XXXXXX`; 128 leaves margin.
 * - log group name generated by CloudFormation: `<stack>-<LogicalId>-<random>`; 160 covers a stack
 *   name of ~100 characters (name it yourself, or pass a literal, for longer ones).
 * - bucket name: at most 63 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
 * - FSx DNS name: `fs-<17 hex>.fsx.<region>.amazonaws.com`, ≤ 56; mount name: 8 characters.
 */
export const TOKEN_VALUE_MAX_BYTES = {
  secretArn: 128,
  logGroupName: 160,
  bucketName: 63,
  fsxDnsName: 64,
  fsxMountName: 8,
  ssmParameterName: 128,
} as const;
const UNRESOLVED_TOKEN = /\$\{(?:Tf)?Token\[[^\]]*\]\}/;

/** One value placed in the user data and the longest it can become at deploy time. */
export interface DeployTimeValue {
  readonly value: string;
  readonly maxBytes: number;
}

/**
 * User-data size once every value that is still an adapter token has expanded to its maximum:
 * each occurrence of such a value adds `maxBytes - its synth length` (never less than 0).
 */
export function userDataBytesAfterExpansion(userData: string, values: readonly DeployTimeValue[]): { readonly bytes: number; readonly tokens: number; readonly expandedBytes: number } {
  const bytes = Buffer.byteLength(userData, 'utf8');
  let tokens = 0;
  let expandedBytes = bytes;
  for (const v of new Map(values.map((x) => [x.value, x])).values()) {
    if (!UNRESOLVED_TOKEN.test(v.value)) continue;
    const occurrences = userData.split(v.value).length - 1;
    tokens += occurrences;
    expandedBytes += occurrences * Math.max(0, v.maxBytes - Buffer.byteLength(v.value, 'utf8'));
  }
  return { bytes, tokens, expandedBytes };
}

/** systemd unit and container name on the node. */
export const ENGINE_UNIT = 'deepseek-engine';

/**
 * systemd unit (and container) of the API front on the serving rank (lib/deploy/api-front.ts). It is
 * bound to the engine unit: it stops with it and starts with it, and reads the key from the engine's
 * root-only runtime directory.
 */
export const FRONT_UNIT = 'deepseek-front';

/** systemd service and timer of the node watchdog. */
export const WATCHDOG_UNIT = 'deepseek-watchdog';

/** Consecutive failed `nvidia-smi` checks (one a minute) before the watchdog reports the node unhealthy. */
export const GPU_FAILURES_BEFORE_UNHEALTHY = 3;

/** Where the CloudWatch agent's control script is installed by its package. */
export const CW_AGENT_CTL = '/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl';

/** File written next to the weights once a download completed; its presence skips the download on re-runs. */
export const WEIGHTS_COMPLETE_MARKER = '.deepseek-iac-complete';

const GiB = 2 ** 30;

/** The Python run in the engine image to download a Hugging Face snapshot: repo, revision ('' = default), target dir. */
const HF_DOWNLOAD_PY = [
  'import sys',
  'from huggingface_hub import snapshot_download',
  'snapshot_download(repo_id=sys.argv[1], revision=sys.argv[2] or None, local_dir=sys.argv[3], max_workers=16)',
].join('\n');

/** AWS CLI config for the weight download: more parallel parts than the default 10 × 8 MB. */
const AWS_S3_CONFIG = ['[default]', 's3 =', '  max_concurrent_requests = 32', '  multipart_chunksize = 64MB', ''].join('\n');

/** Render the boot script of one node. */
export function renderNodeUserData(input: NodeUserDataInput): string {
  const { plan, rank } = input;
  const nodes = plan.topology.nodes;
  if (!Number.isInteger(rank) || rank < 0 || rank >= nodes) throw new RangeError(`rank ${rank} is outside 0…${nodes - 1}`);
  const front = apiFrontSpec(plan);
  const container = engineContainer(plan, rank, { front });
  const src = input.modelSource;
  const role = nodes === 1 ? 'single node' : rank === 0 ? 'head' : 'worker';

  const config: [string, string][] = [
    ['CLUSTER', input.clusterName],
    ['NODE_RANK', String(rank)],
    ['NODES', String(nodes)],
    ['MODEL_ID', plan.model.id],
    ['MODEL_SOURCE_KIND', src.kind],
    ['MODEL_SOURCE', src.kind === 's3' ? src.uri : src.repoId],
    ['MODEL_REVISION', src.kind === 'huggingface' ? (src.revision ?? '') : ''],
    ['IMAGE', container.image],
    ['MODEL_MOUNT', container.modelMountPath],
    ['SERVES_API', container.servesApi ? '1' : '0'],
    ['API_KEY_ENV', plan.serving.apiKeyEnv],
    ['API_KEY_SECRET_ID', input.apiKeySecretId],
    ['HF_TOKEN_SECRET_ID', input.huggingFaceTokenSecretId ?? ''],
    ['LOG_GROUP', input.logGroupName],
    ['STORAGE_KIND', input.storage.kind],
    ['DATA_VOLUME_BYTES', input.storage.kind === 'ebs' ? String(input.storage.volumeGiB * GiB) : '0'],
    ['GPU_CHECK', plan.serving.container.gpuRuntime === 'nvidia' ? 'nvidia' : 'none'],
    ['GPUS_PER_NODE', String(plan.topology.gpusPerNode)],
    ['ENGINE_SLICE', ENGINE_SLICE],
    ['HEALTH_URL', `http://127.0.0.1:${plan.serving.port}${plan.serving.healthPath}`],
    ['RESTART_GRACE_SECONDS', String(engineRestartGraceSeconds(plan.storage.checkpointBytes))],
    ['HOST_IP_ENV', container.hostIpEnv ?? ''],
    ['FRONT', FRONT_UNIT],
    ['FRONT_IMAGE', container.servesApi ? API_FRONT_IMAGE : ''],
    ['CLUSTER_TAG_KEY', CLUSTER_TAG],
    ['RANK_TAG_KEY', RANK_TAG],
    ['UNIT', ENGINE_UNIT],
    ['MARKER', WEIGHTS_COMPLETE_MARKER],
    ['HF_DOWNLOAD_PY', HF_DOWNLOAD_PY],
    ['AWS_S3_CONFIG', AWS_S3_CONFIG],
    ['CACHE_BUCKET', input.modelStore?.bucketName ?? ''],
    ['CACHE_PREFIX', input.modelStore?.prefix ?? ''],
    ['CW_AGENT_CONFIG', input.agentConfigParameter ?? ''],
    ['WATCHDOG', WATCHDOG_UNIT],
    ['GPU_FAILURE_LIMIT', String(GPU_FAILURES_BEFORE_UNHEALTHY)],
    ['REPORT_UNHEALTHY', input.reportUnhealthy ? '1' : '0'],
    ...(input.fsxLustre ? [['FSX', `${input.fsxLustre.dnsName}@tcp:/${input.fsxLustre.mountName}${input.fsxLustre.path}`] as [string, string]] : []),
  ];

  const lines = [
    '#!/bin/bash',
    '# deepseek-iac node boot script, rendered from the deployment plan; do not edit by hand.',
    `# ${oneLine(input.summary)}`,
    `# node rank ${rank} of ${nodes} (${role})`,
    '# usage: node.sh [bootstrap|engine-env|run-engine|watchdog]',
    'set -Eeuo pipefail',
    '',
    '# ---- from the plan ----',
    ...config.map(([k, v]) => `readonly ${k}=${shellQuote(v)}`),
    // nginx's $variables and the template's ${KEY} are literal text for the front, hence single quotes.
    '# shellcheck disable=SC2016',
    `readonly FRONT_CONF=${shellQuote(container.servesApi ? renderApiFrontConfig(front) : '')}`,
    '# shellcheck disable=SC2016',
    `readonly FRONT_KEY_TEMPLATE=${shellQuote(container.servesApi ? apiFrontKeyTemplate(front) : '')}`,
    bashArray('DOCKER_OPTS', container.dockerOptions),
    '# run-engine fills ${HEAD_ADDR}/${NODE_RANK}; other ${...} expand in the container.',
    '# shellcheck disable=SC2016',
    bashArray('ENGINE_ARGV', container.argv),
    '',
    input.packBody ? packedBody(nodeScriptBody(input.fsxLustre !== undefined)) : nodeScriptBody(input.fsxLustre !== undefined),
  ];
  return lines.join('\n');
}

/** The static body of the node script (functions and the command dispatch), with the FSx steps when asked. */
export function nodeScriptBody(fsx: boolean): string {
  return fsx ? withFsx(RENDERED_BODY) : RENDERED_BODY;
}

/** Heredoc delimiter of a packed body (base64 never contains `_`). */
export const PACKED_BODY_DELIMITER = '__DEEPSEEK_IAC_BODY__';

/**
 * The body as gzip + base64 in a quoted heredoc, evaluated in this shell: the functions it defines
 * and its dispatch on "$@" behave as if inline. gzip's header carries no timestamp here (Node writes
 * mtime 0), so the same plan renders the same bytes.
 */
function packedBody(body: string): string {
  const b64 = gzipSync(Buffer.from(body, 'utf8'), { level: 9 }).toString('base64').replace(/.{1,76}/g, '$&\n').trimEnd();
  return [
    '# The script body, gzip-compressed to fit EC2\'s 16 KB user-data limit (nodeScriptBody in lib/deploy/user-data.ts).',
    `eval "$(base64 -d <<'${PACKED_BODY_DELIMITER}' | gzip -dc`,
    b64,
    PACKED_BODY_DELIMITER,
    ')"',
  ].join('\n');
}

/**
 * The script body as rendered: full-line comments are dropped (they stay in this source) and
 * leading indentation and blank lines removed, because EC2 caps user data at 16 KB and a multi-node rank's script
 * is close to it; shellcheck directives and the `# ---- section ----` markers (which readers of the
 * script rely on) stay. Indentation carries no meaning in the body: its heredocs (unit files) are
 * written flush left already.
 */
function stripComments(body: string): string {
  return body.split('\n').filter((l) => !/^\s*#(?! shellcheck | ---- )/.test(l)).map((l) => l.replace(/^[ \t]+/, '')).filter((l) => l !== '').join('\n');
}

function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ');
}

function bashArray(name: string, items: readonly string[]): string {
  if (items.length === 0) return `readonly ${name}=()`;
  // One line: user data is capped at 16 KB (see stripComments).
  return `readonly ${name}=(${items.map(shellQuote).join(' ')})`;
}

/** The node variables as shell-quoted literals, for the substitution in run_engine. */
const PH_HEAD = shellQuote(NODE_VARIABLES.headAddr);
const PH_RANK = shellQuote(NODE_VARIABLES.nodeRank);

/**
 * The fixed part of the script. Written as a template literal: every shell `${` is escaped as
 * `\${` and every shell backslash doubled; `bash -n` and shellcheck run on the rendered result in
 * the tests.
 */
const SCRIPT_BODY = `# ---- host paths and timings (overridable for tests only) ----
ROOT="\${DEEPSEEK_IAC_ROOT:-}"
IMDS="\${DEEPSEEK_IAC_IMDS:-http://169.254.169.254}"
POLL_SECONDS="\${DEEPSEEK_IAC_POLL_SECONDS:-10}"
WAIT_TRIES="\${DEEPSEEK_IAC_WAIT_TRIES:-60}"
HEAD_WAIT_TRIES="\${DEEPSEEK_IAC_HEAD_WAIT_TRIES:-360}"
CW_CTL="\${DEEPSEEK_IAC_CW_CTL:-${CW_AGENT_CTL}}"
APP_DIR="$ROOT/opt/deepseek-iac"
BIN="$APP_DIR/bin/node.sh"
STATE_DIR="$APP_DIR/state"
RUN_DIR="$ROOT/run/deepseek-iac"
UNIT_DIR="$ROOT/etc/systemd/system"
FSTAB="$ROOT/etc/fstab"
DEFAULT_DATA_DIR="$ROOT/mnt/deepseek-iac"
DLAMI_DIR="$ROOT/opt/dlami"
DLAMI_NVME="$DLAMI_DIR/nvme"
MD_DEVICE=/dev/md/deepseek-iac
CONTAINER="$UNIT"
DATA_DIR=''
REGION=''
INSTANCE_ID=''
LOCAL_IP=''
WEIGHTS_FROM=''

log() { printf '%s deepseek-iac[rank %s]: %s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$NODE_RANK" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }
step() { log "step $1"; }
trap 'log "failed (exit $?) at line $LINENO: $BASH_COMMAND"' ERR

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

# GPUs the driver lists (nvidia-smi -L prints one "GPU n: ..." line each); fails when nvidia-smi does.
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

# format_and_mount DEVICE DIR: ext4 unless the device already has a filesystem; mount; add to fstab.
format_and_mount() {
  local dev="$1" dir="$2" rc=0 uuid
  blkid -p "$dev" >/dev/null 2>&1 || rc=$?
  if ((rc == 2)); then
    # blkid exit 2: no signature at all, a blank disk.
    mkfs.ext4 -q -F -m 0 -L deepseek-data -E lazy_itable_init=1,lazy_journal_init=1,nodiscard "$dev"
  elif ((rc != 0)); then
    die "cannot probe $dev (blkid exit $rc)"
  fi
  mkdir -p "$dir"
  if ! mountpoint -q "$dir"; then mount -o noatime "$dev" "$dir"; fi
  uuid=$(blkid -s UUID -o value "$dev")
  [[ -n "$uuid" ]] || die "no filesystem UUID on $dev"
  if ! grep -qs "UUID=$uuid " "$FSTAB"; then
    printf 'UUID=%s %s ext4 defaults,noatime,nofail 0 2\\n' "$uuid" "\${dir#"$ROOT"}" >>"$FSTAB"
  fi
}

prepare_ebs() {
  local dev='' i
  for ((i = 0; i < WAIT_TRIES; i++)); do
    dev=$(lsblk -dbnpo NAME,SIZE,MODEL | awk -v size="$DATA_VOLUME_BYTES" '$2 == size && /Elastic Block Store/ { print $1; exit }')
    [[ -z "$dev" ]] || break
    sleep "$POLL_SECONDS"
  done
  [[ -n "$dev" ]] || die "no EBS volume of $DATA_VOLUME_BYTES bytes is attached"
  format_and_mount "$dev" "$DEFAULT_DATA_DIR"
  DATA_DIR="$DEFAULT_DATA_DIR"
}

prepare_instance_store() {
  local i dev disks=()
  if [[ -d "$DLAMI_DIR" ]]; then
    for ((i = 0; i < WAIT_TRIES; i++)); do
      if mountpoint -q "$DLAMI_NVME"; then
        DATA_DIR="$DLAMI_NVME/deepseek-iac"
        mkdir -p "$DATA_DIR"
        return 0
      fi
      sleep "$POLL_SECONDS"
    done
    die "$DLAMI_NVME was not mounted by the Deep Learning AMI"
  fi
  mapfile -t disks < <(lsblk -dnpo NAME,MODEL | awk '/Instance Storage/ { print $1 }')
  ((\${#disks[@]} > 0)) || die "no instance-store NVMe disk found"
  dev="\${disks[0]}"
  if ((\${#disks[@]} > 1)); then
    mdadm --create "$MD_DEVICE" --run --level=0 --raid-devices="\${#disks[@]}" "\${disks[@]}"
    dev="$MD_DEVICE"
  fi
  format_and_mount "$dev" "$DEFAULT_DATA_DIR"
  DATA_DIR="$DEFAULT_DATA_DIR"
}

download_from_hf() {
  local dir="$1" token='' env_args=()
  if [[ -n "$HF_TOKEN_SECRET_ID" ]]; then
    token=$(read_secret "$HF_TOKEN_SECRET_ID")
    env_args=(-e HF_TOKEN)
  fi
  # docker takes HF_TOKEN's value from its own environment: it never appears in an argv.
  HF_TOKEN="$token" docker run --rm --entrypoint python3 "\${env_args[@]}" -e HF_HUB_DISABLE_TELEMETRY=1 \\
    -v "$dir:/download" "$IMAGE" -c "$HF_DOWNLOAD_PY" "$MODEL_SOURCE" "$MODEL_REVISION" /download
}

s3_sync() {
  AWS_CONFIG_FILE="$APP_DIR/etc/aws-s3.conf" aws s3 sync "$1" "$2" --only-show-errors --exclude "$MARKER"
}

fetch_weights() {
  local dir="$DATA_DIR/models/$MODEL_ID"
  if [[ -f "$dir/$MARKER" ]]; then
    log "weights already complete in $dir"
    return 0
  fi
  mkdir -p "$dir" "$DATA_DIR/cache" "$APP_DIR/etc"
  printf '%s' "$AWS_S3_CONFIG" >"$APP_DIR/etc/aws-s3.conf"
  case "$MODEL_SOURCE_KIND" in
    s3) s3_sync "$MODEL_SOURCE" "$dir" ;;
    huggingface)
      # The store's copy counts only once its marker, uploaded last, is there.
      if [[ -n "$CACHE_BUCKET" ]] && aws s3api head-object --bucket "$CACHE_BUCKET" --key "$CACHE_PREFIX/$MARKER" >/dev/null 2>&1; then
        log "weights from the model store s3://$CACHE_BUCKET/$CACHE_PREFIX/"
        s3_sync "s3://$CACHE_BUCKET/$CACHE_PREFIX/" "$dir"
      else
        download_from_hf "$dir"
        WEIGHTS_FROM=huggingface
      fi
      ;;
    *) die "unknown model source kind $MODEL_SOURCE_KIND" ;;
  esac
  if [[ ! -f "$dir/config.json" ]]; then
    die "no config.json in $dir after downloading $MODEL_SOURCE"
  fi
  [[ -n "$(ls -A "$dir")" ]] || die "nothing downloaded from $MODEL_SOURCE"
  touch "$dir/$MARKER"
}

# Rank 0 fills the model store after a Hugging Face download; failure only costs the next boot a download.
publish_weights() {
  [[ -n "$CACHE_BUCKET" && "$WEIGHTS_FROM" == huggingface && "$NODE_RANK" == 0 ]] || return 0
  local dir="$DATA_DIR/models/$MODEL_ID" dest="s3://$CACHE_BUCKET/$CACHE_PREFIX/"
  if s3_sync "$dir" "$dest" && aws s3 cp "$dir/$MARKER" "$dest$MARKER" --only-show-errors; then
    log "weights published to $dest"
  else
    log "WARNING: publishing the weights to $dest failed; the next boot downloads from Hugging Face"
  fi
}

start_agent() {
  [[ -n "$CW_AGENT_CONFIG" ]] || return 0
  if [[ ! -x "$CW_CTL" ]]; then
    local deb="$APP_DIR/cwagent.deb"
    mkdir -p "$APP_DIR"
    curl -sSf --retry 5 -o "$deb" "https://amazoncloudwatch-agent-$REGION.s3.$REGION.amazonaws.com/ubuntu/amd64/latest/amazon-cloudwatch-agent.deb" || return 1
    dpkg -i -E "$deb" || return 1
  fi
  "$CW_CTL" -a fetch-config -m ec2 -s -c "ssm:$CW_AGENT_CONFIG"
}

write_unit() {
  local docker_bin
  docker_bin=$(command -v docker)
  install -d -m 0755 "$UNIT_DIR"
  cat >"$UNIT_DIR/$UNIT.service" <<EOF
[Unit]
Description=deepseek-iac engine: $MODEL_ID rank $NODE_RANK of $NODES
Wants=network-online.target
After=network-online.target docker.service
Requires=docker.service
Wants=$ENGINE_SLICE

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
  if [[ "$SERVES_API" == 1 ]]; then
    install -d -m 0755 "$APP_DIR/etc"
    printf '%s' "$FRONT_CONF" >"$APP_DIR/etc/front.conf"
    printf '%s' "$FRONT_KEY_TEMPLATE" >"$APP_DIR/etc/key.template"
    # The key comes from the engine's root-only env file (engine-env), never from argv or this script.
    cat >"$UNIT_DIR/$FRONT.service" <<EOF
[Unit]
BindsTo=$UNIT.service
After=$UNIT.service
[Service]
ExecStartPre=-$docker_bin rm -f $FRONT
ExecStart=$docker_bin run --rm --name $FRONT --network host --cgroup-parent $ENGINE_SLICE --env-file $RUN_DIR/secret.env -v $APP_DIR/etc/front.conf:${API_FRONT_CONFIG_PATH}:ro -v $APP_DIR/etc/key.template:${API_FRONT_KEY_TEMPLATE_PATH}:ro $FRONT_IMAGE
ExecStop=$docker_bin stop $FRONT
Restart=on-failure
[Install]
WantedBy=$UNIT.service
EOF
  fi
  cat >"$UNIT_DIR/$WATCHDOG.service" <<EOF
[Unit]
Description=deepseek-iac watchdog: GPU health and cluster membership

[Service]
Type=oneshot
Environment=DEEPSEEK_IAC_ROOT=$ROOT
ExecStart=$BIN watchdog
EOF
  cat >"$UNIT_DIR/$WATCHDOG.timer" <<EOF
[Unit]
Description=deepseek-iac watchdog every minute

[Timer]
OnActiveSec=60
OnUnitActiveSec=60

[Install]
WantedBy=timers.target
EOF
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
  case "$STORAGE_KIND" in
    ebs) prepare_ebs ;;
    instance-store) prepare_instance_store ;;
    *) die "unknown storage kind $STORAGE_KIND" ;;
  esac
  install -d -m 0700 "$STATE_DIR"
  printf '%s\\n' "$DATA_DIR" >"$STATE_DIR/data-dir"
  step image
  retry 3 docker pull --quiet "$IMAGE" >/dev/null
  if [[ "$SERVES_API" == 1 ]]; then retry 3 docker pull --quiet "$FRONT_IMAGE" >/dev/null; fi
  step weights
  fetch_weights
  step unit
  install -D -m 0700 "\${BASH_SOURCE[0]}" "$BIN"
  write_unit
  step start
  systemctl daemon-reload
  if [[ "$SERVES_API" == 1 ]]; then systemctl enable "$FRONT.service"; fi
  systemctl enable --now --no-block "$UNIT.service" "$WATCHDOG.timer"
  trap - EXIT
  log "bootstrap complete; the engine starts under systemd unit $UNIT"
  publish_weights
}

# Running instances of the cluster as sorted "rank<TAB>instance-id" lines.
cluster_members() {
  local out
  out=$(aws ec2 describe-instances \\
    --filters "Name=tag:$CLUSTER_TAG_KEY,Values=$CLUSTER" Name=instance-state-name,Values=running \\
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
    printf '%s\\n' "$now" >"$STATE_DIR/unhealthy-since"
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
    printf '%s\\n' "$fails" >"$STATE_DIR/gpu-failures"
    if ((fails >= GPU_FAILURE_LIMIT)); then
      report_unhealthy "fewer than $GPUS_PER_NODE GPUs $fails times in a row (last: $n): a GPU or the driver is gone"
      return 0
    fi
  fi
  if [[ "$SERVES_API" == 1 ]] && engine_stuck; then return 0; fi
  if ((NODES == 1)) || [[ ! -f "$RUN_DIR/peers" ]] || ! systemctl is-active --quiet "$UNIT.service"; then return 0; fi
  now=$(cluster_members) || { log 'watchdog: cannot read the cluster membership'; return 0; }
  if [[ "$now" != "$(cat "$RUN_DIR/peers")" ]]; then
    log "cluster membership changed since the engine started (now: $(tr '\\t\\n' '= ' <<<"$now")); restarting the engine"
    systemctl restart --no-block "$UNIT.service"
  fi
}

# Workers: the head is the one running instance tagged with this cluster and rank 0.
discover_head() {
  local i ips found=()
  for ((i = 0; i < HEAD_WAIT_TRIES; i++)); do
    ips=$(aws ec2 describe-instances \\
      --filters "Name=tag:$CLUSTER_TAG_KEY,Values=$CLUSTER" "Name=tag:$RANK_TAG_KEY,Values=0" Name=instance-state-name,Values=running \\
      --query 'Reservations[].Instances[].PrivateIpAddress' --output text) || ips=''
    read -r -a found <<<"$ips" || true
    if ((\${#found[@]} == 1)) && [[ "\${found[0]}" =~ ^[0-9]+[.][0-9]+[.][0-9]+[.][0-9]+$ ]]; then
      printf '%s\\n' "\${found[0]}"
      return 0
    fi
    log "waiting for the head node of $CLUSTER (\${#found[@]} candidates)"
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
  iptables -C "\${r[@]}" 2>/dev/null || iptables -I "\${r[@]}" || die "cannot block IMDS for the engine"
}

engine_env() {
  local data_dir head_addr key tmp
  block_imds
  data_dir=$(cat "$STATE_DIR/data-dir")
  [[ -f "$data_dir/models/$MODEL_ID/$MARKER" ]] || die "weights are not in $data_dir/models/$MODEL_ID (disk not mounted yet?)"
  load_metadata
  if ((NODE_RANK == 0)); then head_addr="$LOCAL_IP"; else head_addr=$(discover_head); fi
  install -d -m 0700 "$RUN_DIR"
  tmp=$(mktemp "$RUN_DIR/runtime.env.XXXXXX")
  {
    printf 'HEAD_ADDR=%s\\nNODE_RANK=%s\\nNODE_ADDR=%s\\n' "$head_addr" "$NODE_RANK" "$LOCAL_IP"
    if [[ -n "$HOST_IP_ENV" ]]; then printf '%s=%s\\n' "$HOST_IP_ENV" "$LOCAL_IP"; fi
  } >"$tmp"
  mv -f "$tmp" "$RUN_DIR/runtime.env"
  # The membership this engine starts with; the watchdog restarts the engine when it changes.
  if ((NODES > 1)); then cluster_members >"$RUN_DIR/peers" || die "cannot read the cluster membership"; fi
  # mktemp creates the file with mode 600; the key never leaves this root-only tmpfs directory.
  tmp=$(mktemp "$RUN_DIR/secret.env.XXXXXX")
  if [[ "$SERVES_API" == 1 ]]; then
    key=$(read_secret "$API_KEY_SECRET_ID")
    [[ -n "$key" && "$key" != *$'\\n'* ]] || die "the API key secret is empty or spans several lines"
    # The front compares the whole Authorization header; an RFC 6750 b64token keeps its config valid.
    [[ "$key" =~ ^[A-Za-z0-9._~+/-]+=*$ ]] || die "the API key may hold only A-Z a-z 0-9 - . _ ~ + / and trailing ="
    printf '%s=%s\\n' "$API_KEY_ENV" "$key" >"$tmp"
  fi
  mv -f "$tmp" "$RUN_DIR/secret.env"
}

run_engine() {
  local data_dir a argv=()
  # The node variables are literal text in the argv, hence single quotes.
  # shellcheck disable=SC2016
  local ph_head=${PH_HEAD} ph_rank=${PH_RANK}
  data_dir=$(cat "$STATE_DIR/data-dir")
  load_metadata
  HEAD_ADDR=$(sed -n 's/^HEAD_ADDR=//p' "$RUN_DIR/runtime.env")
  [[ -n "$HEAD_ADDR" ]] || die "HEAD_ADDR missing from $RUN_DIR/runtime.env"
  for a in "\${ENGINE_ARGV[@]}"; do
    a=\${a//"$ph_head"/"$HEAD_ADDR"}
    a=\${a//"$ph_rank"/"$NODE_RANK"}
    argv+=("$a")
  done
  exec docker run --rm --name "$CONTAINER" --cgroup-parent "$ENGINE_SLICE" \\
    --env-file "$RUN_DIR/runtime.env" --env-file "$RUN_DIR/secret.env" \\
    --log-driver awslogs --log-opt "awslogs-region=$REGION" --log-opt "awslogs-group=$LOG_GROUP" \\
    --log-opt "awslogs-stream=$INSTANCE_ID/rank-$NODE_RANK" --log-opt mode=non-blocking --log-opt max-buffer-size=4m \\
    -v "$data_dir/models:$MODEL_MOUNT:ro" -v "$data_dir/cache:/root/.cache" \\
    "\${DOCKER_OPTS[@]}" "$IMAGE" "\${argv[@]}"
}

case "\${1:-bootstrap}" in
  bootstrap) bootstrap ;;
  engine-env) engine_env ;;
  run-engine) run_engine ;;
  watchdog) watchdog ;;
  *) die "unknown subcommand $1" ;;
esac
`;

const RENDERED_BODY = stripComments(SCRIPT_BODY);

/**
 * Rendered only with FSx (user data is close to EC2's 16 KB limit). Mounts the linked checkpoint
 * fileset (`<dns>@tcp:/<mountname>/model`, Lustre subdirectory mount) on the model directory; if the
 * store's marker has not been imported yet it unmounts and the node copies the weights as without
 * FSx. The Lustre client must be on the AMI; otherwise `apt-get` tries the kernel's
 * `lustre-client-modules` package from the repositories the AMI has configured and the boot fails
 * with a clear message when that fails too. Mount options and the fstab line follow the FSx guide
 * (https://docs.aws.amazon.com/fsx/latest/LustreGuide/mount-fs-auto-mount-onreboot.html: `relatime,flock`
 * and `_netdev,x-systemd.automount` in fstab; from memory of that page, not re-read here: unconfirmed).
 */
const FSX_BODY = stripComments(`fsx_weights() {
  command -v mount.lustre >/dev/null || apt-get install -y -q "lustre-client-modules-$(uname -r)" || die "no Lustre client on this AMI (lustre-client-modules-$(uname -r))"
  mount -t lustre -o relatime,flock "$FSX" "$1"
  if [[ -f "$1/$MARKER" ]]; then
    printf '%s %s lustre relatime,flock,_netdev,x-systemd.automount 0 0\\n' "$FSX" "\${1#"$ROOT"}" >>"$FSTAB"
    log "weights from FSx $FSX"
    return 0
  fi
  umount "$1"
  return 1
}`);

/** Where fetch_weights tries FSx: after the model directory exists, before any copy. */
const FSX_ANCHOR = 'printf \'%s\' "$AWS_S3_CONFIG" >"$APP_DIR/etc/aws-s3.conf"\n';

/** The body with fsx_weights defined and called from fetch_weights. */
function withFsx(body: string): string {
  if (!body.includes(FSX_ANCHOR)) throw new Error('user-data: FSx anchor missing from the script body');
  return `${FSX_BODY}\n${body.replace(FSX_ANCHOR, `if fsx_weights "$dir"; then return 0; fi\n${FSX_ANCHOR}`)}`;
}
