import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { renderPreflight, shellQuote } from '../../../constructs/local/preflight';
import { shellcheckBatch } from '../../helpers/tool-batch';
import { testWithTool } from '../../helpers/tools';
import { SHAPE_IDS, planOf } from './shapes';

const STUBS = resolve(__dirname, '../../fixtures/preflight/bin');
const GiB = 2 ** 30;

/** Every shape's script for both runtimes, linted in one shellcheck run (helpers/tool-batch.ts). */
const LINT_CASES = SHAPE_IDS.flatMap((id) => [[id, 'docker'], [id, 'kubernetes']] as const);
const lint = shellcheckBatch(['--shell=bash', '--severity=style']);
for (const [id, runtime] of LINT_CASES) lint.add(`${id} (${runtime})`, () => renderPreflight(planOf(id), { runtime }));

describe('preflight.sh passes shellcheck', () => {
  testWithTool('shellcheck', 'shellcheck of preflight.sh').each(LINT_CASES)('%s (%s)', (id, runtime) => {
    expect(lint.resultOf(`${id} (${runtime})`).problems).toEqual([]);
  });
});

/** A host as the stubs describe it: tool outputs (by stub key), device nodes, weights already present. */
interface Host {
  readonly outputs: Readonly<Record<string, string>>;
  /** Stub tools on PATH (others fall through to /usr/bin, or are absent). */
  readonly tools: readonly string[];
  readonly devices?: readonly ('kfd' | 'dri' | 'infiniband')[];
  /** KiB already in MODELS_DIR/<model id> (creates the folder and answers du). */
  readonly presentKiB?: number;
}

interface Run {
  readonly status: number | null;
  readonly lines: string[];
  readonly stderr: string;
  readonly stubDir: string;
}

function runPreflight(script: string, host: Host, modelId: string): Run {
  const root = mkdtempSync(join(tmpdir(), 'pf-run-'));
  const bin = join(root, 'bin');
  const stubDir = join(root, 'stub');
  const models = join(root, 'models');
  const dev = join(root, 'dev');
  for (const d of [bin, stubDir, models, dev]) mkdirSync(d);
  symlinkSync(join(STUBS, '_stub.sh'), join(bin, '_stub.sh'));
  for (const tool of host.tools) symlinkSync(join(STUBS, tool), join(bin, tool));
  for (const [key, text] of Object.entries(host.outputs)) writeFileSync(join(stubDir, `${key}.out`), text);
  for (const d of host.devices ?? []) {
    if (d === 'kfd') writeFileSync(join(dev, 'kfd'), '');
    else mkdirSync(join(dev, d));
  }
  if (host.presentKiB !== undefined) {
    mkdirSync(join(models, modelId));
    writeFileSync(join(stubDir, 'du.out'), `${host.presentKiB}\t${join(models, modelId)}\n`);
  }
  const file = join(root, 'preflight.sh');
  writeFileSync(file, script, { mode: 0o755 });
  const r = spawnSync('bash', [file], {
    env: { PATH: `${bin}:/usr/bin:/bin`, STUB_DIR: stubDir, MODELS_DIR: models, PREFLIGHT_DEV_DIR: dev },
    encoding: 'utf8',
  });
  return { status: r.status, lines: r.stdout.trim().split('\n'), stderr: r.stderr, stubDir };
}

// ---- tool outputs -------------------------------------------------------------------------------

/**
 * nvidia-smi CSV (noheader, nounits) of one GPU. An H100 SXM shows 81,559 MiB total in nvidia-smi
 * (lib/catalog/gpu-visible-memory.ts, modal-labs PR #2797); idle, about 0.5 GiB of it is used.
 */
const h100 = (freeMiB = 81_004) => `NVIDIA H100 80GB HBM3, 81559, ${freeMiB}, 570.124.06`;
const a100 = () => 'NVIDIA A100-SXM4-80GB, 81920, 81400, 570.124.06';
const lines = (n: number, line: () => string) => `${Array.from({ length: n }, line).join('\n')}\n`;

/**
 * rocm-smi --showproductname --showmeminfo vram --csv: a `device,` header and one row per card
 * (rocm_smi.py formatCsv). MI300X: 192 GiB HBM3 = 206,158,430,208 bytes; ~0.3 GB used when idle.
 */
function rocmSmi(cards: number, usedBytes = 297_304_064): string {
  const header = 'device,Card Series,Card Model,Card Vendor,Card SKU,Subsystem ID,Device Rev,Node ID,GUID,GFX Version,VRAM Total Memory (B),VRAM Total Used Memory (B)';
  const rows = Array.from({ length: cards }, (_, i) => `card${i},AMD Instinct MI300X,0x74a1,Advanced Micro Devices Inc. [AMD/ATI],M3000100,0x74a1,0x00,${i + 2},${28851 + i},gfx942,206158430208,${usedBytes}`);
  return `${[header, ...rows].join('\n')}\n`;
}

/** df -Pk: POSIX header and one line; field 4 is available KiB. */
const df = (availGiB: number) => `Filesystem     1024-blocks       Used  Available Capacity Mounted on\n/dev/nvme0n1p1  3750000000    1048576 ${availGiB * 1048576}       1% /srv\n`;

/** free -b: `Mem:` total … available. */
const free = (totalBytes: number, availableBytes: number) =>
  `               total        used        free      shared  buff/cache   available\nMem:    ${totalBytes} 8000000000 ${availableBytes - 2000000000} 1000000 2000000000 ${availableBytes}\nSwap:              0           0           0\n`;

const DOCKER_OK = {
  'docker-version': '27.5.1\n',
  'docker-compose': 'Docker Compose version v2.32.4\n',
  'docker-runtimes': '{"io.containerd.runc.v2":{"path":"runc"},"nvidia":{"path":"nvidia-container-runtime"},"runc":{"path":"runc"}}\n',
};
const DOCKER_NO_TOOLKIT = { ...DOCKER_OK, 'docker-runtimes': '{"io.containerd.runc.v2":{"path":"runc"},"runc":{"path":"runc"}}\n' };

const NVIDIA_TOOLS = ['nvidia-smi', 'df', 'du', 'docker'];
const AMD_TOOLS = ['rocm-smi', 'df', 'du', 'docker', 'getent'];
const CPU_TOOLS = ['free', 'nproc', 'df', 'du', 'docker'];

const verdict = (run: Run) => run.lines.map((l) => l.slice(0, 5).trim());

// ---- NVIDIA: 8 × H100, R1-Distill-Llama-70B (volume 500 GiB) ---------------------------------------

describe('preflight on an NVIDIA host (8 × H100 for R1-Distill-Llama-70B)', () => {
  const plan = planOf('nvidia-8gpu');
  const script = renderPreflight(plan);
  const fits: Host = { tools: NVIDIA_TOOLS, outputs: { 'nvidia-smi': lines(8, () => h100()), df: df(2000), ...DOCKER_OK } };

  test('a host that fits: every check passes, exit 0', () => {
    const run = runPreflight(script, fits, plan.model.id);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(verdict(run)).toEqual(['PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'OK']);
    expect(run.lines[0]).toBe('PASS  NVIDIA driver 570.124.06');
    expect(run.lines[1]).toBe('PASS  8 GPU(s) found, the plan needs 8');
    expect(run.lines[2]).toBe('PASS  8 x NVIDIA H100 SXM 80GB');
    // The engine budget: 0.9 × 81,090 MiB CUDA-visible = 72,981 MiB (rounded up here to whole MiB of the byte budget).
    expect(run.lines[3]).toMatch(/^PASS {2}8 GPU\(s\) with at least 7298[12] MiB free$/);
    expect(run.lines[4]).toContain('2000 GiB free');
    expect(run.lines[5]).toBe('PASS  Docker Engine 27.5.1');
    expect(run.lines[7]).toBe('PASS  NVIDIA Container Toolkit present (docker --gpus)');
  });

  test('too few GPUs: stops at the count check, before any later check', () => {
    const run = runPreflight(script, { ...fits, outputs: { ...fits.outputs, 'nvidia-smi': lines(4, () => h100()) } }, plan.model.id);
    expect(run.status).toBe(1);
    expect(run.lines.at(-1)).toBe('FAIL  found 4 GPU(s), the plan needs 8 x NVIDIA H100 SXM 80GB');
    expect(verdict(run)).toEqual(['PASS', 'FAIL']);
    expect(existsSync(join(run.stubDir, 'df.path'))).toBe(false);
  });

  test('too little free GPU memory (another process holds ~50 GB on each GPU)', () => {
    const run = runPreflight(script, { ...fits, outputs: { ...fits.outputs, 'nvidia-smi': lines(8, () => h100(30_000)) } }, plan.model.id);
    expect(run.status).toBe(1);
    expect(run.lines.at(-1)).toMatch(/^FAIL {2}only 0 GPU\(s\) have 7298[12] MiB free/);
  });

  test('one busy GPU is enough to fail', () => {
    const gpus = `${lines(7, () => h100())}${h100(30_000)}\n`;
    const run = runPreflight(script, { ...fits, outputs: { ...fits.outputs, 'nvidia-smi': gpus } }, plan.model.id);
    expect(run.status).toBe(1);
    expect(run.lines.at(-1)).toMatch(/^FAIL {2}only 7 GPU\(s\)/);
  });

  test('the wrong GPU model fails even with enough GPUs', () => {
    const run = runPreflight(script, { ...fits, outputs: { ...fits.outputs, 'nvidia-smi': lines(8, a100) } }, plan.model.id);
    expect(run.status).toBe(1);
    expect(run.lines.at(-1)).toBe('FAIL  0 GPU(s) are NVIDIA H100 SXM 80GB, the plan needs 8 (found: NVIDIA A100-SXM4-80GB)');
  });

  test('too little disk: 100 GiB free for a 500 GiB volume', () => {
    const run = runPreflight(script, { ...fits, outputs: { ...fits.outputs, df: df(100) } }, plan.model.id);
    expect(run.status).toBe(1);
    expect(run.lines.at(-1)).toMatch(/^FAIL {2}100 GiB free under \S+\/models, the weights need 500 GiB more \(volume 500 GiB, 0 GiB already in \S+\/models\/deepseek-r1-distill-llama-70b\)$/);
    expect(verdict(run)).toEqual(['PASS', 'PASS', 'PASS', 'PASS', 'FAIL']);
  });

  test('weights already on disk count towards the volume: 140 GiB present + 400 GiB free ≥ 500 GiB', () => {
    const run = runPreflight(script, { ...fits, outputs: { ...fits.outputs, df: df(400) }, presentKiB: 140 * 1048576 }, plan.model.id);
    expect(run.status).toBe(0);
    expect(run.lines[4]).toContain('400 GiB free');
  });

  test('no NVIDIA driver: nvidia-smi missing', () => {
    const run = runPreflight(script, { ...fits, tools: ['df', 'du', 'docker'] }, plan.model.id);
    expect(run.status).toBe(1);
    expect(run.lines).toEqual(['FAIL  nvidia-smi not found: install the NVIDIA driver (the plan needs 8 x NVIDIA H100 SXM 80GB)']);
  });

  test('Docker daemon not answering', () => {
    const outputs = { ...fits.outputs } as Record<string, string>;
    delete outputs['docker-version'];
    const run = runPreflight(script, { ...fits, outputs }, plan.model.id);
    expect(run.status).toBe(1);
    expect(run.lines.at(-1)).toMatch(/^FAIL {2}the Docker daemon does not answer/);
  });

  test('no NVIDIA Container Toolkit', () => {
    const run = runPreflight(script, { ...fits, outputs: { ...fits.outputs, ...DOCKER_NO_TOOLKIT } }, plan.model.id);
    expect(run.status).toBe(1);
    expect(run.lines.at(-1)).toMatch(/^FAIL {2}NVIDIA Container Toolkit not found/);
  });

  test('under Kubernetes the container runtime is not checked', () => {
    const run = runPreflight(renderPreflight(plan, { runtime: 'kubernetes' }), { ...fits, tools: ['nvidia-smi', 'df', 'du'] }, plan.model.id);
    expect(run.status).toBe(0);
    expect(verdict(run)).toEqual(['PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'INFO', 'OK']);
  });
});

// ---- AMD: 8 × MI300X, DeepSeek-R1 FP8 (volume 740 GiB) -------------------------------------------

describe('preflight on an AMD host (8 × MI300X for DeepSeek-R1 FP8)', () => {
  const plan = planOf('amd-8gpu');
  const script = renderPreflight(plan);
  const fits: Host = { tools: AMD_TOOLS, outputs: { 'rocm-smi': rocmSmi(8), df: df(3000), ...DOCKER_OK }, devices: ['kfd', 'dri'] };

  test('a host that fits: every check passes, exit 0', () => {
    const run = runPreflight(script, fits, plan.model.id);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(verdict(run)).toEqual(['PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'OK']);
    expect(run.lines[1]).toBe('PASS  8 GPU(s) found, the plan needs 8');
    expect(run.lines[2]).toBe('PASS  8 x AMD Instinct MI300X');
    // Budget 0.9 × 192 GiB (less the 16 MiB ROCm keeps) ≈ 172.8 GiB.
    expect(run.lines[3]).toBe('PASS  8 GPU(s) with at least 172.8 GiB free');
    expect(run.lines[7]).toMatch(/^PASS {2}ROCm devices .*\/kfd and .*\/dri present$/);
  });

  test('the host render GID is offered for images without a render group', () => {
    const run = runPreflight(script, { ...fits, outputs: { ...fits.outputs, 'getent-render': 'render:x:109:\n' } }, plan.model.id);
    expect(run.status).toBe(0);
    expect(run.lines.at(-2)).toBe("INFO  host group render has GID 109: if the image lacks it (docker: Unable to find group render), set RENDER_GID=109 in .env or the unit's EnvironmentFile");
  });

  test('too few GPUs', () => {
    const run = runPreflight(script, { ...fits, outputs: { ...fits.outputs, 'rocm-smi': rocmSmi(4) } }, plan.model.id);
    expect(run.status).toBe(1);
    expect(run.lines.at(-1)).toBe('FAIL  found 4 GPU(s), the plan needs 8 x AMD Instinct MI300X');
  });

  test('too little free VRAM (120 GB in use on each card leaves 86 GB)', () => {
    const run = runPreflight(script, { ...fits, outputs: { ...fits.outputs, 'rocm-smi': rocmSmi(8, 120_000_000_000) } }, plan.model.id);
    expect(run.status).toBe(1);
    expect(run.lines.at(-1)).toMatch(/^FAIL {2}only 0 GPU\(s\) have 172\.8 GiB of VRAM free/);
  });

  test('too little disk: 500 GiB free for a 740 GiB volume', () => {
    const run = runPreflight(script, { ...fits, outputs: { ...fits.outputs, df: df(500) } }, plan.model.id);
    expect(run.status).toBe(1);
    expect(run.lines.at(-1)).toMatch(/^FAIL {2}500 GiB free under .*, the weights need 740 GiB more/);
  });

  test('no /dev/kfd: the amdgpu driver is not loaded', () => {
    const run = runPreflight(script, { ...fits, devices: ['dri'] }, plan.model.id);
    expect(run.status).toBe(1);
    expect(run.lines.at(-1)).toMatch(/^FAIL {2}.*\/kfd missing/);
  });
});

// ---- CPU: DeepSeek-R1 Q4_K_M on a 512 GiB host (needs 407.6 GiB) ----------------------------------

describe('preflight on a CPU host (R1 Q4_K_M needs 408 GiB of RAM)', () => {
  const plan = planOf('cpu');
  const script = renderPreflight(plan);
  // A 512 GiB server shows a little less to Linux (firmware and kernel reservations): 503.6 GiB here.
  const fits: Host = { tools: CPU_TOOLS, outputs: { free: free(540_711_268_352, 530_000_000_000), nproc: '128\n', df: df(1000), ...DOCKER_OK } };

  test('a host that fits', () => {
    const run = runPreflight(script, fits, plan.model.id);
    expect(run.status).toBe(0);
    expect(run.lines[0]).toBe('PASS  RAM 503 GiB, the plan needs 408 GiB');
    expect(run.lines[1]).toBe('PASS  128 CPU(s) online for 64 llama.cpp threads');
    expect(verdict(run)).toEqual(['PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'OK']);
  });

  test("too little RAM: the article's 384 GiB server (shows 378 GiB)", () => {
    const total = 378 * GiB;
    const run = runPreflight(script, { ...fits, outputs: { ...fits.outputs, free: free(total, total - 4 * GiB) } }, plan.model.id);
    expect(run.status).toBe(1);
    expect(run.lines).toEqual(['FAIL  RAM 378 GiB, the plan needs 408 GiB (weights + KV cache + reserve)']);
  });

  test('enough RAM installed but not free right now: a warning, not a failure', () => {
    const run = runPreflight(script, { ...fits, outputs: { ...fits.outputs, free: free(540_711_268_352, 300 * GiB) } }, plan.model.id);
    expect(run.status).toBe(0);
    expect(run.lines[1]).toBe('WARN  only 300 GiB available now: free memory before loading the model');
  });

  test('too little disk: 200 GiB free for a 500 GiB volume', () => {
    const run = runPreflight(script, { ...fits, outputs: { ...fits.outputs, df: df(200) } }, plan.model.id);
    expect(run.status).toBe(1);
    expect(run.lines.at(-1)).toMatch(/^FAIL {2}200 GiB free under .*, the weights need 500 GiB more/);
  });
});

// ---- Multi-node: 2 × 8 × H100 ----------------------------------------------------------------------

describe('preflight on a node of a multi-node plan (2 × 8 × H100)', () => {
  const plan = planOf('nvidia-multi');
  const script = renderPreflight(plan);
  const fits: Host = { tools: NVIDIA_TOOLS, outputs: { 'nvidia-smi': lines(8, () => h100()), df: df(2000), ...DOCKER_OK }, devices: ['infiniband'] };

  test('RDMA devices present: passes', () => {
    const run = runPreflight(script, fits, plan.model.id);
    expect(run.status).toBe(0);
    expect(run.lines.at(-2)).toMatch(/^PASS {2}RDMA devices in .*\/infiniband$/);
  });

  test('no RDMA devices: fails last', () => {
    const run = runPreflight(script, { ...fits, devices: [] }, plan.model.id);
    expect(run.status).toBe(1);
    expect(run.lines.at(-1)).toMatch(/^FAIL {2}.*\/infiniband missing: the plan links 2 nodes over RDMA/);
  });
});

describe('shellQuote', () => {
  test.each([
    ['plain', "'plain'"],
    ["it's", "'it'\\''s'"],
    ['$(rm -rf /)', "'$(rm -rf /)'"],
  ])('%s', (input, expected) => {
    expect(shellQuote(input)).toBe(expected);
    const r = spawnSync('bash', ['-c', `printf %s ${shellQuote(input)}`], { encoding: 'utf8' });
    expect(r.stdout).toBe(input);
  });
});
