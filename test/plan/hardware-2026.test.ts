import { awsBlueprint, DLAMI_SSM_PARAMETER, type AwsBlueprintOptions } from '../../lib/deploy/blueprint';
import { GPUS } from '../../lib/catalog/gpus';
import { findModel } from '../../lib/catalog/models';
import { PlanError } from '../../lib/errors';
import { planDeployment } from '../../lib/plan/planner';
import { tensorParallelLinkPenalty } from '../../lib/sizing/interconnect';
import { estimateDecode } from '../../lib/sizing/throughput';
import type { GpuSpec } from '../../lib/types';

/*
 * Plans on the 2026 hardware (docs/hardware-2026.md) — issue 12's acceptance list, on the models it names.
 * Independent figures used below (each with its source):
 * - R1 main model in FP8: 673.2 GB of weights (docs/reference-keys.md, facts §2: computed from the config);
 *   MLA KV per token at BF16: 61 layers × 576 × 2 B = 70,272 B, replicated on every TP rank (facts §3a).
 * - V4 checkpoints as published (docs/deepseek-2026-models.md §2): V4-Flash-0731 166,878,536,440 B;
 *   V4-Pro preview ~865 GB; V4-Pro-0813 892,727,580,904 B. Each includes its draft layers (MTP / DSpark).
 * - Engine-visible memory (docs/hardware-2026.md, GPUs): H20 97,285 MiB (95.00 GiB), RTX PRO 6000 97,250 MiB
 *   (94.97 GiB), B300 267.69 GiB, MI355X 287.98 GiB; budget = visible × 0.9 (gpu-memory-utilization).
 * - Prices: Karpenter's generated us-east-1 table of 2026-07-20 (docs/hardware-2026.md, AWS).
 */
const GiB = 2 ** 30;

function issuesOf(f: () => unknown) {
  try {
    f();
  } catch (e) {
    if (e instanceof PlanError) return e.issues;
    throw e;
  }
  throw new Error('expected a PlanError');
}

describe('issue 12 acceptance: the plans it names', () => {
  test('R1 FP8 on one 8 × H20 host fits at a 4K context', () => {
    // weights ≥ 673.2e9 / 8 = 84.15 GB = 78.37 GiB per GPU; budget 95.00 GiB × 0.9 = 85.50 GiB;
    // KV for 4,096 tokens = 4096 × 70,272 B = 0.27 GiB: it fits, with ~7 GiB for weights' replicated parts and runtime.
    const p = planDeployment({ model: 'deepseek-r1', precision: 'fp8', target: 'local', localHosts: [{ gpu: 'h20', gpuCount: 8 }], contextTokens: 4_096 });
    expect(p.topology).toMatchObject({ instanceType: 'local:8xh20', nodes: 1, tensorParallelSize: 8 });
    expect(p.memory.budgetBytesPerGpu / GiB).toBeCloseTo((97_285 / 1024) * 0.9, 2);
    expect(p.memory.weightsBytesPerGpu).toBeGreaterThan(673.2e9 / 8);
    expect(p.memory.headroomBytesPerGpu).toBeGreaterThan(0);
  });

  test('…but not at R1\'s full 128K context: 78.37 GiB of weights + 131072 × 70,272 B (8.58 GiB) exceed 85.50 GiB', () => {
    const issues = issuesOf(() => planDeployment({ model: 'deepseek-r1', precision: 'fp8', target: 'local', localHosts: [{ gpu: 'h20', gpuCount: 8 }], contextTokens: 131_072 }));
    expect(issues[0].message).toMatch(/local:8xh20/);
  });

  // One B300 budget: 267.69 GiB × 0.9 = 240.92 GiB = 258.7 GB, under the ~865 GB checkpoint: more than one GPU.
  // Eight hold 865 / 8 = 108.1 GB (100.7 GiB) each, well inside. p6-b300.48xlarge is the only on-demand B300 type
  // (p6e-gb300 is GB300, Capacity Blocks only): one node at $142.416/h.
  test.each([
    ['deepseek-v4-pro', 865e9],
    ['deepseek-v4-pro-0813', 892_727_580_904],
  ] as const)('%s on --gpu b300 plans one p6-b300.48xlarge ($142.416/h) as the vLLM recipe runs it: DP 8 + EP 8 (%d-byte checkpoint)', (model, checkpoint) => {
    const p = planDeployment({ model, gpus: ['b300'] });
    // vLLM's V4-Pro recipe on 8 × B200 / 8 × B300: DP 8 + EP (docs/deepseek-2026-models.md §4; flags: docs/engines-2026.md §8).
    expect(p.topology).toMatchObject({
      instanceType: 'p6-b300.48xlarge', nodes: 1, gpusPerNode: 8, tensorParallelSize: 1, dataParallelSize: 8, expertParallel: true, expertParallelSize: 8, cpuArchitecture: 'x86_64',
    });
    expect(p.cost.hourlyUsd).toBe(142.42);
    expect(p.precision.weights).toBe('fp4'); // as released, native on B300 (SM103)
    // Routed experts of the 61 main layers: 61 × 384 × 3 × 7168 × 3072 values in MXFP4 = 0.5 B + one 1-byte scale
    // per 32 values = 822.0 GB. Each DP rank holds 1/8 of them and every other weight whole, so per GPU it is
    // at least experts / 8 and at most experts / 8 + (checkpoint − experts) (drafts not loaded push it below that).
    const experts = 61 * 384 * 3 * 7168 * 3072 * (0.5 + 1 / 32);
    expect(p.memory.weightsBytesPerGpu).toBeGreaterThan(experts / 8);
    expect(p.memory.weightsBytesPerGpu).toBeLessThan(experts / 8 + (checkpoint - experts));
    expect(p.memory.headroomBytesPerGpu).toBeGreaterThan(0);
  });

  // MI355X: 287.98 GiB × 0.9 = 259.18 GiB budget; 865 GB / 8 = 100.7 GiB of weights per GPU. The vLLM recipe runs
  // V4-Pro on MI355X at TP 8 (docs/deepseek-2026-models.md §5); CDNA4 has FP4 tensor cores (MXFP4 natively).
  test('V4-Pro fits one 8 × MI355X host at TP 8, FP4 native (no weight-only warning)', () => {
    const p = planDeployment({ model: 'deepseek-v4-pro', target: 'local', localHosts: [{ gpu: 'mi355x', gpuCount: 8 }] });
    expect(p.topology).toMatchObject({ instanceType: 'local:8xmi355x', nodes: 1, gpuVendor: 'amd', tensorParallelSize: 8 });
    expect(p.memory.budgetBytesPerGpu / GiB).toBeCloseTo(287.98 * 0.9, 1);
    expect(p.memory.weightsBytesPerGpu / GiB).toBeLessThan(865e9 / 8 / GiB * 1.05);
    expect(p.precision.weights).toBe('fp4');
    expect(p.warnings.join(' ')).not.toMatch(/weight-only/i);
  });

  // V4-Flash-0731: 166.88 GB checkpoint. One RTX PRO 6000 budget = 97,250 MiB × 0.9 = 85.47 GiB = 91.78 GB < 166.88 GB;
  // two hold 166.88 / 2 = 83.44 GB (77.7 GiB) each < 85.47 GiB. Karpenter us-east-1 prices: g7e.12xlarge (2 GPUs)
  // $8.28608/h. Cheaper ways to get two RTX PRO 6000: 2 × g7e.2xlarge ($6.73) or 2 × g7e.4xlarge ($8.00), but both
  // have 0 EFA interfaces, and multi-node needs EFA; the next is 2 × g7e.8xlarge (1 EFA each) at 2 × $5.26824 = $10.54.
  // Every single-node type under $8.29 has ≤ 96 GB of GPU memory in all (g6.12xlarge 4 × L4, g5.12xlarge 4 × A10G).
  test('deepseek-v4-flash-0731 on AWS picks g7e.12xlarge ($8.28608/h) with the PCIe note', () => {
    const p = planDeployment({ model: 'deepseek-v4-flash-0731' });
    expect(p.topology).toMatchObject({ instanceType: 'g7e.12xlarge', gpu: 'rtx-pro-6000', nodes: 1, tensorParallelSize: 2 });
    expect(p.cost.hourlyUsd).toBe(8.29);
    expect(p.memory.budgetBytesPerGpu / GiB).toBeCloseTo((97_250 / 1024) * 0.9, 2);
    expect(p.memory.weightsBytesPerGpu).toBeLessThan(166_878_536_440 / 2);
    expect(p.alternatives[0].topology).toMatchObject({ instanceType: 'g7e.8xlarge', nodes: 2 });
    expect(p.alternatives[0].cost.hourlyUsd).toBe(10.54);
    expect(p.decisions.find((d) => d.field === 'estimates.interconnectSecondsPerStep')?.reason).toMatch(/TP 2 over PCIe Gen5.*the cheapest option without TP over PCIe: 2 × g7e\.8xlarge/);
    expect(p.decisions.find((d) => d.field === 'topology.tensorParallelSize')?.reason).toMatch(/no NVLink/);
  });

  test('two RTX PRO 6000 meet the vLLM recipe\'s VRAM minimum for 0731 (200 GB): 2 × 97,250 MiB = 203.9 GB', () => {
    const p = planDeployment({ model: 'deepseek-v4-flash-0731' });
    expect(p.topology.gpusPerNode * p.topology.nodes * p.memory.gpuCapacityBytes).toBeGreaterThanOrEqual(200e9);
    expect(p.memory.gpuCapacityBytes).toBe(97_250 * 2 ** 20);
  });

  test('the same choice by the Hugging Face id', () => {
    expect(planDeployment({ model: 'deepseek-ai/DeepSeek-V4-Flash-0731' }).topology.instanceType).toBe('g7e.12xlarge');
  });
});

// Documented V4 deployments on Grace-Blackwell (shared facts copied to docs/deepseek-2026-models.md §5: "GB200 needs 8 GPUs
// (2 trays); GB300 one tray (4 GPUs)" for V4-Pro; V4.1-Flash "one GB200 NVL4 tray (TP4)"). Budgets: GB300 276.50 GiB × 0.9 =
// 248.85 GiB, four hold 995 GiB = 1,068 GB > 865 GB (201.4 GiB each); GB200 184.31 GiB × 0.9 = 165.88 GiB, four hold
// 663.5 GiB = 712 GB < 865 GB, eight hold 100.7 GiB each. V4.1: 510.3 GB / 4 = 118.8 GiB per GPU < 165.88 GiB.
describe('documented V4 deployments on Grace-Blackwell', () => {
  test('V4-Pro: one GB300 tray (4 GPUs)', () => {
    const p = planDeployment({ model: 'deepseek-v4-pro', gpus: ['gb300'], capacityBlocks: true });
    expect(p.topology).toMatchObject({ instanceType: 'p6e-gb300.36xlarge', nodes: 1, gpusPerNode: 4, cpuArchitecture: 'arm64' });
    expect(p.memory.weightsBytesPerGpu / GiB).toBeGreaterThan(865e9 / 4 / GiB * 0.95);
  });

  test('V4-Pro: GB200 needs 8 GPUs (two trays)', () => {
    const p = planDeployment({ model: 'deepseek-v4-pro', gpus: ['gb200'], capacityBlocks: true });
    expect(p.topology).toMatchObject({ instanceType: 'p6e-gb200.36xlarge', nodes: 2, gpusPerNode: 4 });
    expect(() => planDeployment({ model: 'deepseek-v4-pro', gpus: ['gb200'], capacityBlocks: true, nodes: 1 })).toThrow(PlanError);
  });

  test('V4.1-Flash: one GB200 tray at TP 4 (Azure ND GB200 v6)', () => {
    const p = planDeployment({ model: 'deepseek-v4.1-flash', target: 'azure', gpus: ['gb200'] });
    expect(p.topology).toMatchObject({ instanceType: 'Standard_ND128isr_NDR_GB200_v6', nodes: 1, tensorParallelSize: 4 });
  });
});

describe('Capacity-Block-only types are planned only when asked for or priced', () => {
  test('by default the P6e UltraServers are not considered, and the plan says so', () => {
    const p = planDeployment({ model: 'deepseek-r1' });
    expect(p.alternatives.map((a) => a.topology.instanceType)).not.toContain('p6e-gb200.36xlarge');
    expect(p.decisions.find((d) => d.field === 'purchase.capacityBlocks')).toMatchObject({ value: false, reason: expect.stringMatching(/p6e-gb200\.36xlarge, p6e-gb300\.36xlarge sold only as EC2 Capacity Blocks/) });
  });

  test('pinning one without asking is an error naming the two ways to allow it', () => {
    const issues = issuesOf(() => planDeployment({ model: 'deepseek-r1', instanceType: 'p6e-gb200.36xlarge' }));
    expect(issues).toEqual([{ path: 'instanceType', message: expect.stringMatching(/sold only as EC2 Capacity Blocks.*capacityBlocks: true.*priceOverrides/) }]);
  });

  test('filtering to GB200 without asking leaves nothing: the error is on capacityBlocks', () => {
    expect(issuesOf(() => planDeployment({ model: 'deepseek-r1', gpus: ['gb200'] }))[0].path).toBe('capacityBlocks');
  });

  test('with a price (the user\'s block rate) it competes on cost: $20/h beats g7e.48xlarge at $33.14/h', () => {
    const p = planDeployment({ model: 'deepseek-r1', priceOverrides: { 'p6e-gb200.36xlarge': 20 } });
    expect(p.topology).toMatchObject({ instanceType: 'p6e-gb200.36xlarge', cpuArchitecture: 'arm64' });
    expect(p.cost.hourlyUsd).toBe(20);
    expect(p.warnings.join(' ')).toMatch(/sold only as EC2 Capacity Blocks.*capacityBlockId/);
  });

  test('asked for but unpriced, it ranks after every priced type, and is chosen only when nothing else is allowed', () => {
    const open = planDeployment({ model: 'deepseek-r1', capacityBlocks: true });
    expect(open.topology.instanceType).toBe('g7e.48xlarge');
    expect(open.decisions.find((d) => d.field === 'purchase.capacityBlocks')?.reason).toMatch(/unpriced \(ranked after every priced type/);
    const gb300 = planDeployment({ model: 'deepseek-r1', capacityBlocks: true, gpus: ['gb300'] });
    expect(gb300.topology.instanceType).toBe('p6e-gb300.36xlarge');
    expect(gb300.cost.hourlyUsd).toBeUndefined();
    expect(gb300.warnings.join(' ')).toMatch(/no confirmed on-demand price/);
  });

  test('Azure ND GB200 v6 is planned unpriced, and the plan says so', () => {
    const p = planDeployment({ model: 'deepseek-r1', target: 'azure', gpus: ['gb200'] });
    expect(p.topology).toMatchObject({ instanceType: 'Standard_ND128isr_NDR_GB200_v6', cpuArchitecture: 'arm64' });
    expect(p.warnings.join(' ')).toMatch(/Standard_ND128isr_NDR_GB200_v6 has no confirmed on-demand price/);
  });
});

describe('the arm64 path', () => {
  const options: AwsBlueprintOptions = {
    clusterName: 'arm-test',
    apiKeySecret: { id: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:api-AbCdEf', policyArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:api-AbCdEf' },
    logGroup: { name: '/deepseek/engine', arn: 'arn:aws:logs:us-east-1:111122223333:log-group:/deepseek/engine' },
    partition: 'aws',
  };

  test.each(['gb200', 'gb300'] as const)('a %s plan is arm64 and boots the arm64 DLAMI', (gpu) => {
    const p = planDeployment({ model: 'deepseek-r1', capacityBlocks: true, gpus: [gpu] });
    expect(p.topology.cpuArchitecture).toBe('arm64');
    expect(p.decisions.find((d) => d.field === 'topology.cpuArchitecture')?.reason).toMatch(/Grace \(arm64\)/);
    // DLAMI ARM64 Base OSS Nvidia Driver GPU AMI (Ubuntu 24.04) — the one whose release notes list P6e-GB200/GB300.
    expect(awsBlueprint(p, options).machineImage.ssmParameter).toBe('/aws/service/deeplearning/ami/arm64/base-oss-nvidia-driver-gpu-ubuntu-24.04/latest/ami-id');
  });

  test('an x86_64 plan keeps the x86_64 DLAMI', () => {
    const p = planDeployment({ model: 'deepseek-r1-distill-qwen-1.5b' });
    expect(p.topology.cpuArchitecture).toBe('x86_64');
    expect(awsBlueprint(p, options).machineImage.ssmParameter).toBe(DLAMI_SSM_PARAMETER);
  });
});

describe('a described (custom) local GPU', () => {
  const spec = { model: 'deepseek-r1-distill-qwen-32b', target: 'local', localHosts: [{ gpu: 'custom', gpuCount: 4, customGpu: { memoryGiB: 48, memoryBandwidthGBps: 864, fp8: true } }] };

  test('plans on the described memory and says what it assumed', () => {
    const p = planDeployment(spec);
    expect(p.topology).toMatchObject({ gpu: 'custom', gpusPerNode: 4, instanceType: 'local:4xcustom-48gib' });
    expect(p.memory.gpuCapacityBytes).toBe(48 * GiB);
    expect(p.decisions.find((d) => d.field === 'localHosts.customGpu')?.reason).toMatch(/864 GB\/s, FP8 yes, FP4 no, pcie/);
    const w = p.warnings.join(' ');
    expect(w).toMatch(/described GPU; assumed 48 GiB is taken as the memory CUDA\/ROCm shows/);
    expect(w).toMatch(/no FP4 tensor cores/);
    expect(w).toMatch(/GPUs linked over PCIe/);
    expect(w).not.toMatch(/memory bandwidth 300 GB\/s/); // it was given
  });

  test('bad descriptions: every problem at once, each naming field, value and what is allowed', () => {
    const issues = issuesOf(() => planDeployment({
      model: 'deepseek-r1-distill-qwen-32b', target: 'local',
      localHosts: [
        { gpu: 'custom', gpuCount: 4 },
        { gpu: 'h100', gpuCount: 8, customGpu: { memoryGiB: 80 } },
        { gpu: 'custom', gpuCount: 2, customGpu: { memoryGiB: -1, link: 'ib' } },
      ],
    }));
    expect(issues).toEqual(expect.arrayContaining([
      { path: 'localHosts[0].customGpu', message: expect.stringMatching(/needs at least its memory/) },
      { path: 'localHosts[1].customGpu', message: 'applies to gpu "custom" only, not "h100"' },
      { path: 'localHosts[2].customGpu.memoryGiB', message: expect.stringMatching(/memoryGiB must be above 0, got -1/) },
      { path: 'localHosts[2].customGpu.link', message: expect.stringMatching(/pcie, nvlink, xgmi.*got "ib"/) },
    ]));
  });
});

describe('tensor parallelism over PCIe', () => {
  const r1 = findModel('deepseek-r1')!;

  test('R1, TP 8 on RTX PRO 6000, one sequence: 122 all-reduces add 0.725 ms per step over the NVLink reference', () => {
    // message = 7168 × 2 B = 14,336 B; ring share = 2 × 7/8 × 14,336 = 25,088 B; 122 × 25,088 = 3,060,736 B per GPU.
    // PCIe ring: 6.6 + 14 × 1.0 = 20.6 µs + 25,088 B / 63 GB/s (0.3982 µs) = 20.9982 µs
    // NVLink reference: 6.6 + 14 × 0.6 = 15.0 µs + 25,088 B / 450 GB/s (0.0558 µs) = 15.0558 µs
    // extra = 122 × 5.9424 µs = 0.72498 ms
    const p = tensorParallelLinkPenalty({ arch: r1, gpu: GPUS['rtx-pro-6000'], tensorParallelSize: 8, batch: 1 });
    expect(p.allReduces).toBe(122);
    expect(p.bytesPerGpu).toBe(3_060_736);
    expect(p.seconds * 1e3).toBeCloseTo(0.72498, 4);
  });

  test('no charge on NVLink/xGMI or without TP', () => {
    for (const gpu of [GPUS.h200, GPUS.h800, GPUS.mi300x, GPUS.b300]) {
      expect(tensorParallelLinkPenalty({ arch: r1, gpu, tensorParallelSize: 8, batch: 64 }).seconds).toBe(0);
    }
    expect(tensorParallelLinkPenalty({ arch: r1, gpu: GPUS.l40s, tensorParallelSize: 1, batch: 64 }).seconds).toBe(0);
  });

  test('the decode estimate slows by exactly the penalty: same GPU over PCIe vs NVLink', () => {
    const overNvlink: GpuSpec = { ...GPUS['rtx-pro-6000'], intraNodeLinkKind: 'nvlink', intraNodeLinkGBpsPerDirection: 450 };
    const input = { arch: r1, precision: 'fp8' as const, tensorParallelSize: 8, pipelineParallelSize: 1, concurrency: 1, averageKvTokens: 2_048, kvBytesPerTokenPerGpu: 70_272 };
    const pcie = estimateDecode({ ...input, gpu: GPUS['rtx-pro-6000'] });
    const nvlink = estimateDecode({ ...input, gpu: overNvlink });
    expect(1 / pcie.singleStreamTokensPerSecond - 1 / nvlink.singleStreamTokensPerSecond).toBeCloseTo(0.00072498, 7);
  });

  test('the penalty grows with the batch: 64 sequences move 64 × the bytes', () => {
    const one = tensorParallelLinkPenalty({ arch: r1, gpu: GPUS.l40s, tensorParallelSize: 8, batch: 1 });
    const many = tensorParallelLinkPenalty({ arch: r1, gpu: GPUS.l40s, tensorParallelSize: 8, batch: 64 });
    expect(many.bytesPerGpu).toBe(64 * one.bytesPerGpu);
    expect(many.seconds).toBeGreaterThan(one.seconds);
  });
});
