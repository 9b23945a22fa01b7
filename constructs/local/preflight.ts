/**
 * preflight.sh: run on the target host before starting anything. It checks what the plan assumes —
 * GPU count, model and free memory (nvidia-smi / rocm-smi), driver or ROCm present, RAM for a CPU
 * plan, free disk for the weights, Docker and the GPU container runtime, RDMA devices for
 * multi-node — prints one line per check and exits 1 at the first hard failure.
 *
 * Tool outputs parsed:
 * - `nvidia-smi --query-gpu=name,memory.total,memory.free,driver_version --format=csv,noheader,nounits`:
 *   one line per GPU, `name, total MiB, free MiB, driver` (nvidia-smi --help-query-gpu).
 * - `rocm-smi --showproductname --showmeminfo vram --csv`: a `device,…` header, then one `cardN,…`
 *   row per GPU; columns are found by header name ("VRAM Total Memory (B)", "VRAM Total Used Memory (B)"),
 *   and the product name anywhere in the row (rocm_smi.py formatCsv removes commas inside values).
 * - `df -Pk DIR` (POSIX: 4th field of line 2 = available KiB), `du -sk DIR`, `free -b` (`Mem:` total
 *   and available bytes), `nproc`, `docker info --format …`, `docker compose version`,
 *   `getent group NAME` (`name:x:GID:members`).
 */
import { GPUS, type GpuId, type Plan } from '../../lib';
import { DEFAULT_MODELS_DIR, groupGidVariable, hardwareSummary, llamacppThreads } from './launch';
import { checkLocalOptions } from '../../lib/deploy/options-check';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

/**
 * How each GPU model names itself in nvidia-smi / rocm-smi, as an upper-case awk ERE matched against
 * the upper-cased name (e.g. "NVIDIA H100 80GB HBM3", "NVIDIA A100-SXM4-80GB", "AMD Instinct MI300X").
 * The free-memory check guards the rest, so the patterns stay lenient about form factor.
 */
export const GPU_NAME_PATTERN: Readonly<Record<GpuId | 'custom', string>> = {
  a10g: 'A10G',
  l4: 'L4( |$)',
  l40s: 'L40S',
  l20: 'L20( |$)',
  'a100-40gb': 'A100.*40GB',
  'a100-80gb': 'A100.*80GB',
  h100: 'H100',
  h800: 'H800',
  h20: 'H20( |$)',
  h200: 'H200',
  b200: 'B200',
  b300: 'B300',
  gb200: 'GB200',
  gb300: 'GB300',
  'rtx-pro-6000': 'RTX PRO 6000',
  mi300x: 'MI300X',
  mi325x: 'MI325X',
  mi355x: 'MI355X',
  // A described GPU has no catalog name: any GPU passes, the free-memory check guards the rest.
  custom: '.',
};

/** Options of {@link renderPreflight}. */
export interface PreflightOptions {
  /** What starts the containers: Docker (compose or systemd) gets checked; under Kubernetes it is skipped. @default 'docker' */
  readonly runtime?: 'docker' | 'kubernetes';
  /** Default host folder for the weights (`MODELS_DIR` overrides it at run time). @default /srv/models */
  readonly modelsDir?: string;
}

/** Quote a value for a bash single-quoted string. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

const HELPERS = `pass() { printf 'PASS  %s\\n' "$1"; }
info() { printf 'INFO  %s\\n' "$1"; }
warn() { printf 'WARN  %s\\n' "$1"; }
fail() { printf 'FAIL  %s\\n' "$1"; exit 1; }`;

const NVIDIA_CHECKS = `check_gpus() {
  command -v nvidia-smi >/dev/null 2>&1 || fail "nvidia-smi not found: install the NVIDIA driver (the plan needs \${REQUIRED_GPUS} x \${GPU_LABEL})"
  local gpus
  if ! gpus="$(nvidia-smi --query-gpu=name,memory.total,memory.free,driver_version --format=csv,noheader,nounits 2>&1)"; then
    fail "nvidia-smi failed (is the driver loaded?): \${gpus}"
  fi
  local driver count matching enough
  driver="$(printf '%s\\n' "$gpus" | awk -F', *' 'NR == 1 { print $4 }')"
  pass "NVIDIA driver \${driver}"
  count="$(printf '%s\\n' "$gpus" | awk 'NF > 0 { n++ } END { print n + 0 }')"
  [ "$count" -ge "$REQUIRED_GPUS" ] || fail "found \${count} GPU(s), the plan needs \${REQUIRED_GPUS} x \${GPU_LABEL}"
  pass "\${count} GPU(s) found, the plan needs \${REQUIRED_GPUS}"
  matching="$(printf '%s\\n' "$gpus" | awk -F', *' -v pat="$GPU_PATTERN" 'toupper($1) ~ pat { n++ } END { print n + 0 }')"
  [ "$matching" -ge "$REQUIRED_GPUS" ] || fail "\${matching} GPU(s) are \${GPU_LABEL}, the plan needs \${REQUIRED_GPUS} (found: $(printf '%s\\n' "$gpus" | awk -F', *' 'NR == 1 { print $1 }'))"
  pass "\${matching} x \${GPU_LABEL}"
  enough="$(printf '%s\\n' "$gpus" | awk -F', *' -v pat="$GPU_PATTERN" -v need="$REQUIRED_FREE_MIB" 'toupper($1) ~ pat && $3 + 0 >= need + 0 { n++ } END { print n + 0 }')"
  [ "$enough" -ge "$REQUIRED_GPUS" ] || fail "only \${enough} GPU(s) have \${REQUIRED_FREE_MIB} MiB free, the engine allocates that much on each of \${REQUIRED_GPUS}: stop what else uses them"
  pass "\${enough} GPU(s) with at least \${REQUIRED_FREE_MIB} MiB free"
}`;

const AMD_CHECKS = `check_gpus() {
  command -v rocm-smi >/dev/null 2>&1 || fail "rocm-smi not found: install ROCm (the plan needs \${REQUIRED_GPUS} x \${GPU_LABEL})"
  local table
  if ! table="$(rocm-smi --showproductname --showmeminfo vram --csv 2>&1)"; then
    fail "rocm-smi failed (is the amdgpu driver loaded?): \${table}"
  fi
  pass "ROCm: rocm-smi answers"
  local count matching enough
  count="$(printf '%s\\n' "$table" | awk '/^card[0-9]+,/ { n++ } END { print n + 0 }')"
  [ "$count" -ge "$REQUIRED_GPUS" ] || fail "found \${count} GPU(s), the plan needs \${REQUIRED_GPUS} x \${GPU_LABEL}"
  pass "\${count} GPU(s) found, the plan needs \${REQUIRED_GPUS}"
  matching="$(printf '%s\\n' "$table" | awk -v pat="$GPU_PATTERN" '/^card[0-9]+,/ && toupper($0) ~ pat { n++ } END { print n + 0 }')"
  [ "$matching" -ge "$REQUIRED_GPUS" ] || fail "\${matching} GPU(s) are \${GPU_LABEL}, the plan needs \${REQUIRED_GPUS}"
  pass "\${matching} x \${GPU_LABEL}"
  enough="$(printf '%s\\n' "$table" | awk -F, -v pat="$GPU_PATTERN" -v need="$REQUIRED_FREE_BYTES" '
    /^device,/ { for (i = 1; i <= NF; i++) { if ($i == "VRAM Total Memory (B)") t = i; if ($i == "VRAM Total Used Memory (B)") u = i } next }
    /^card[0-9]+,/ && t && u && toupper($0) ~ pat && $t - $u >= need + 0 { n++ }
    END { print n + 0 }')"
  [ "$enough" -ge "$REQUIRED_GPUS" ] || fail "only \${enough} GPU(s) have \${REQUIRED_FREE_GIB} GiB of VRAM free, the engine allocates that much on each of \${REQUIRED_GPUS}: stop what else uses them"
  pass "\${enough} GPU(s) with at least \${REQUIRED_FREE_GIB} GiB free"
}`;

const CPU_CHECKS = `check_ram() {
  local total available cores
  total="$(free -b | awk '/^Mem:/ { print $2 }')"
  available="$(free -b | awk '/^Mem:/ { print $7 }')"
  [ -n "$total" ] || fail "could not read RAM from free -b"
  [ "$total" -ge "$REQUIRED_RAM_BYTES" ] || fail "RAM $((total / 1073741824)) GiB, the plan needs \${REQUIRED_RAM_GIB} GiB (weights + KV cache + reserve)"
  pass "RAM $((total / 1073741824)) GiB, the plan needs \${REQUIRED_RAM_GIB} GiB"
  if [ "\${available:-0}" -lt "$REQUIRED_RAM_BYTES" ]; then
    warn "only $((available / 1073741824)) GiB available now: free memory before loading the model"
  fi
  cores="$(nproc)"
  if [ "$cores" -lt "$THREADS" ]; then
    warn "\${cores} CPU(s) online, llama.cpp is set to \${THREADS} threads"
  else
    pass "\${cores} CPU(s) online for \${THREADS} llama.cpp threads"
  fi
}`;

const DISK_CHECK = `check_disk() {
  local target avail_kib have_kib=0 need_kib
  target="$MODELS_DIR"
  while [ ! -d "$target" ]; do target="$(dirname "$target")"; done
  avail_kib="$(df -Pk "$target" | awk 'NR == 2 { print $4 }')"
  [ -n "$avail_kib" ] || fail "could not read free space of \${target} from df"
  if [ -d "$MODELS_DIR/$MODEL_ID" ]; then
    have_kib="$(du -sk "$MODELS_DIR/$MODEL_ID" | awk '{ print $1 }')"
  fi
  need_kib=$((REQUIRED_DISK_GIB * 1048576 - have_kib))
  if [ "$need_kib" -lt 0 ]; then need_kib=0; fi
  [ "$avail_kib" -ge "$need_kib" ] || fail "$((avail_kib / 1048576)) GiB free under \${target}, the weights need $((need_kib / 1048576)) GiB more (volume \${REQUIRED_DISK_GIB} GiB, $((have_kib / 1048576)) GiB already in \${MODELS_DIR}/\${MODEL_ID})"
  pass "$((avail_kib / 1048576)) GiB free under \${target} for \${MODELS_DIR}/\${MODEL_ID} (volume \${REQUIRED_DISK_GIB} GiB)"
}`;

const DOCKER_CHECK = `check_docker() {
  command -v docker >/dev/null 2>&1 || fail "docker not found: install Docker Engine"
  local version
  if ! version="$(docker info --format '{{.ServerVersion}}' 2>&1)"; then
    fail "the Docker daemon does not answer: \${version}"
  fi
  pass "Docker Engine \${version}"
  if docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null 2>&1; then
    pass "Docker Compose available"
  else
    warn "no Docker Compose: start the engine with the systemd unit instead of compose.yaml"
  fi
}`;

const NVIDIA_RUNTIME_CHECK = `check_gpu_runtime() {
  local runtimes
  runtimes="$(docker info --format '{{json .Runtimes}}' 2>/dev/null || true)"
  if printf '%s' "$runtimes" | grep -q '"nvidia"' || command -v nvidia-ctk >/dev/null 2>&1 || command -v nvidia-container-runtime-hook >/dev/null 2>&1; then
    pass "NVIDIA Container Toolkit present (docker --gpus)"
  else
    fail "NVIDIA Container Toolkit not found: install nvidia-container-toolkit and run nvidia-ctk runtime configure --runtime=docker"
  fi
}`;

/**
 * ROCm containers need the device nodes; groups the image may lack (compose/systemd take them from
 * `<GROUP>_GID`, launch.ts groupGidVariable) get the host's numeric GID printed as a hint.
 */
function amdRuntimeCheck(groups: readonly string[]): string {
  const hints = groups
    .map((g) => [g, groupGidVariable(g)] as const)
    .filter((pair): pair is readonly [string, string] => pair[1] !== undefined)
    .map(([g, v]) => `  if gid="$(getent group ${g} | cut -d: -f3)" && [ -n "$gid" ]; then
    info "host group ${g} has GID \${gid}: if the image lacks it (docker: Unable to find group ${g}), set ${v}=\${gid} in .env or the unit's EnvironmentFile"
  fi`);
  return [
    'check_gpu_runtime() {',
    '  [ -e "$DEV_DIR/kfd" ] || fail "${DEV_DIR}/kfd missing: the amdgpu kernel driver (ROCm) is not loaded"',
    '  [ -d "$DEV_DIR/dri" ] || fail "${DEV_DIR}/dri missing: no GPU render nodes to pass to the container"',
    '  pass "ROCm devices ${DEV_DIR}/kfd and ${DEV_DIR}/dri present"',
    ...(hints.length > 0 ? ['  local gid', ...hints] : []),
    '}',
  ].join('\n');
}

const RDMA_CHECK = `check_rdma() {
  [ -d "$DEV_DIR/infiniband" ] || fail "\${DEV_DIR}/infiniband missing: the plan links \${NODES} nodes over RDMA (InfiniBand/RoCE); install the RDMA drivers"
  pass "RDMA devices in \${DEV_DIR}/infiniband"
}`;

/** preflight.sh text for a plan. */
export function renderPreflight(plan: Plan, options: PreflightOptions = {}): string {
  checkLocalOptions(options);
  const t = plan.topology;
  const runtime = options.runtime ?? 'docker';
  const cpu = t.gpu === 'cpu';
  const vars: [string, string | number][] = [
    ['MODEL_ID', plan.model.id],
    ['REQUIRED_DISK_GIB', plan.storage.volumeGiB],
  ];
  if (t.nodes > 1) vars.push(['NODES', t.nodes]);
  if (cpu) {
    vars.push(['REQUIRED_RAM_BYTES', plan.memory.perGpuBytes], ['REQUIRED_RAM_GIB', Math.ceil(plan.memory.perGpuBytes / GiB)], ['THREADS', llamacppThreads(plan)]);
  } else {
    vars.push(['REQUIRED_GPUS', t.gpusPerNode], ['GPU_PATTERN', GPU_NAME_PATTERN[t.gpu]], ['GPU_LABEL', gpuLabel(plan)]);
    // The engine allocates utilization × visible memory at start and refuses to start with less free.
    const budget = plan.memory.budgetBytesPerGpu;
    if (t.gpuVendor === 'nvidia') vars.push(['REQUIRED_FREE_MIB', Math.ceil(budget / MiB)]);
    else vars.push(['REQUIRED_FREE_BYTES', Math.ceil(budget)], ['REQUIRED_FREE_GIB', (budget / GiB).toFixed(1)]);
  }

  const functions = [HELPERS, DISK_CHECK];
  const calls: string[] = [];
  if (cpu) {
    functions.push(CPU_CHECKS);
    calls.push('check_ram');
  } else {
    functions.push(t.gpuVendor === 'nvidia' ? NVIDIA_CHECKS : AMD_CHECKS);
    calls.push('check_gpus');
  }
  calls.push('check_disk');
  if (runtime === 'docker') {
    functions.push(DOCKER_CHECK);
    calls.push('check_docker');
    if (!cpu) {
      functions.push(t.gpuVendor === 'nvidia' ? NVIDIA_RUNTIME_CHECK : amdRuntimeCheck(plan.serving.container.groupAdd));
      calls.push('check_gpu_runtime');
    }
  } else {
    calls.push(`info "container runtime not checked: Kubernetes runs the pods (see the GPU device plugin's allocatable resources on the nodes)"`);
  }
  if (t.nodes > 1) {
    functions.push(RDMA_CHECK);
    calls.push('check_rdma');
  }

  const usesDevices = t.nodes > 1 || (runtime === 'docker' && t.gpuVendor === 'amd');
  return [
    '#!/usr/bin/env bash',
    `# Preflight for ${plan.model.displayName} on ${hardwareSummary(plan)} (${plan.engine}), generated by deepseek-iac from the plan.`,
    `# Checks what the plan assumes on this host, one line per check, and exits 1 at the first failure.`,
    ...(t.nodes > 1 ? [`# Run it on each of the ${t.nodes} nodes.`] : []),
    '# Usage: MODELS_DIR=<folder that holds the weights> ./preflight.sh',
    'set -euo pipefail',
    '',
    // The default is a quoted assignment of its own: it never reaches the shell as code.
    `DEFAULT_MODELS_DIR=${shellQuote(options.modelsDir ?? DEFAULT_MODELS_DIR)}`,
    'MODELS_DIR="${MODELS_DIR:-$DEFAULT_MODELS_DIR}"',
    ...(usesDevices
      ? ['# Where device nodes are looked up; override only to check from inside a container or chroot.', 'DEV_DIR="${PREFLIGHT_DEV_DIR:-/dev}"']
      : []),
    ...vars.map(([k, v]) => `${k}=${typeof v === 'number' ? String(v) : shellQuote(v)}`),
    '',
    functions.join('\n\n'),
    '',
    ...calls,
    `printf 'OK    %s\\n' "all checks passed"`,
    '',
  ].join('\n');
}

function gpuLabel(plan: Plan): string {
  const gpu = plan.topology.gpu;
  return gpu === 'cpu' ? 'CPU' : gpu === 'custom' ? 'described GPU' : GPUS[gpu].name;
}
