import { GPUS, getGpu } from '../../lib/catalog/gpus';
import { GPU_IDS, type GpuId } from '../../lib/types';

/*
 * Expected values are the published figures, written out here from the source named in each row
 * (keys as in docs/reference-keys.md; the 2026 rows' URLs are in docs/hardware-2026.md and the code's Source fields):
 *   [S3]  ai-dynamo/aiconfigurator systems/<gpu>.yaml (NVIDIA calibration data)
 *   [S26] karpenter instance-types.md, label karpenter.k8s.aws/instance-gpu-memory (EC2 MiB)
 *   [S29] MicrosoftDocs azure-docs ND-series include files (Azure GiB × 1024 = MiB)
 *   [S30] Vultr ROCm hardware requirements, [S31] MI300X-vs-H200 REPORT.md, [S35] glennklockwood A100 page,
 *   [S36] Baseten A10 vs A10G
 */
interface PublishedGpu {
  readonly id: GpuId;
  readonly marketedGB: number;
  readonly reportedMiB: number;
  readonly bandwidthGBps: number;
  readonly bf16: number;
  readonly fp8: number;
  readonly source: string;
}

const PUBLISHED: readonly PublishedGpu[] = [
  { id: 'l4', marketedGB: 24, reportedMiB: 22_888, bandwidthGBps: 300, bf16: 121, fp8: 242, source: '[S3] l4.yaml; [S26] g6 22888' },
  { id: 'l40s', marketedGB: 48, reportedMiB: 45_776, bandwidthGBps: 864, bf16: 362, fp8: 733, source: '[S3] l40s.yaml; [S26] g6e 45776' },
  { id: 'a100-40gb', marketedGB: 40, reportedMiB: 40_960, bandwidthGBps: 1_555, bf16: 312, fp8: 0, source: '[S35] A100 40G SXM4; [S26] p4d 40960' },
  { id: 'a100-80gb', marketedGB: 80, reportedMiB: 81_920, bandwidthGBps: 2_039, bf16: 312, fp8: 0, source: '[S3] a100_sxm.yaml; [S26] p4de 81920' },
  { id: 'h100', marketedGB: 80, reportedMiB: 81_920, bandwidthGBps: 3_350, bf16: 989, fp8: 1_979, source: '[S3] h100_sxm.yaml; [S26] p5 81920' },
  { id: 'h200', marketedGB: 141, reportedMiB: 144_384, bandwidthGBps: 4_800, bf16: 989, fp8: 1_979, source: '[S3] h200_sxm.yaml; [S26] p5e 144384' },
  { id: 'b200', marketedGB: 180, reportedMiB: 183_359, bandwidthGBps: 7_700, bf16: 2_250, fp8: 4_500, source: '[S3] b200_sxm.yaml; [S26] p6-b200 183359' },
  // Azure: "AMD MI300X 192 GiB" → 192 × 1024 = 196,608 MiB.
  { id: 'mi300x', marketedGB: 192, reportedMiB: 196_608, bandwidthGBps: 5_300, bf16: 1_307.4, fp8: 2_614.9, source: '[S31] dense TFLOPS; [S30] 192 GB 5.3 TB/s; [S29] 192 GiB' },
];

describe('GPUS rows match the published figures', () => {
  test.each(PUBLISHED)('$id: memory, bandwidth, TFLOPS per $source', (p) => {
    const gpu = GPUS[p.id];
    expect(gpu.id).toBe(p.id);
    expect(gpu.memoryBytes).toBe(p.marketedGB * 1e9);
    expect(gpu.reportedMemoryMiB).toBe(p.reportedMiB);
    expect(gpu.memoryBandwidthGBps).toBe(p.bandwidthGBps);
    expect(gpu.bf16DenseTflops).toBe(p.bf16);
    expect(gpu.fp8DenseTflops).toBe(p.fp8);
  });

  test('a10g: 24 GB GDDR6 at 600 GB/s per [S36] Baseten; 22,888 MiB per [S26] g5', () => {
    const gpu = GPUS.a10g;
    expect(gpu.memoryBytes).toBe(24e9);
    expect(gpu.memoryBandwidthGBps).toBe(600);
    expect(gpu.reportedMemoryMiB).toBe(22_888);
    expect(gpu.fp8DenseTflops).toBe(0);
    expect(gpu.nativeFp8).toBe(false);
  });

  test('a10g BF16 TFLOPS stays inside the published bracket and is flagged unconfirmed', () => {
    // No A10G datasheet exists publicly. Bracket: 62.5 (third-party catalog for the A10G) to 125
    // (NVIDIA A10 datasheet; the A10G has less tensor throughput than the A10 per [S36]).
    const gpu = GPUS.a10g;
    expect(gpu.bf16DenseTflops).toBeGreaterThanOrEqual(62.5);
    expect(gpu.bf16DenseTflops).toBeLessThan(125);
    const tflopsSource = gpu.sources.find((s) => /TFLOPS/.test(s.note ?? '') && s.status === 'unconfirmed');
    expect(tflopsSource).toBeDefined();
  });

  test('MI300X Infinity Fabric aggregate is 896 GB/s per Azure ND MI300X v5 summary (7 links × 128 GB/s)', () => {
    expect(GPUS.mi300x.intraNodeLink).toContain(String(7 * 128));
  });
});

describe('GPUS invariants', () => {
  test('there is exactly one row per GpuId, keyed by its own id', () => {
    expect(Object.keys(GPUS).sort()).toEqual([...GPU_IDS].sort());
    for (const id of GPU_IDS) expect(GPUS[id].id).toBe(id);
  });

  test.each([...GPU_IDS])('%s carries at least one source, each with a url and a status', (id) => {
    const { sources } = GPUS[id];
    expect(sources.length).toBeGreaterThan(0);
    for (const s of sources) {
      expect(s.url.length).toBeGreaterThan(0);
      expect(['confirmed', 'computed', 'third-party', 'unconfirmed']).toContain(s.status);
    }
  });

  test.each([...GPU_IDS])('%s: nativeFp8 exactly when it has FP8 tensor throughput', (id) => {
    const gpu = GPUS[id];
    expect(gpu.nativeFp8).toBe(gpu.fp8DenseTflops > 0);
  });

  test('Ampere parts (A10G, A100) have no FP8 tensor cores; Hopper, Ada, Blackwell and CDNA3 do', () => {
    for (const id of GPU_IDS) {
      expect(GPUS[id].nativeFp8).toBe(GPUS[id].architecture !== 'ampere');
    }
  });

  test('the AMD parts are the MI300X, MI325X and MI355X', () => {
    expect(GPU_IDS.filter((id) => GPUS[id].vendor === 'amd')).toEqual(['mi300x', 'mi325x', 'mi355x']);
  });

  test('the table and its rows cannot be mutated', () => {
    expect(Object.isFrozen(GPUS)).toBe(true);
    for (const id of GPU_IDS) {
      expect(Object.isFrozen(GPUS[id])).toBe(true);
      expect(Object.isFrozen(GPUS[id].sources)).toBe(true);
    }
  });
});

describe('getGpu', () => {
  test('returns the catalog row', () => {
    expect(getGpu('h200')).toBe(GPUS.h200);
  });

  test('throws, naming the known ids, when an unchecked string is cast to GpuId', () => {
    expect(() => getGpu('h900' as GpuId)).toThrow(/unknown GPU id "h900".*h100/);
  });
});

/*
 * 2026 hardware (docs/hardware-2026.md lists each figure with its URL):
 *   [K]   Karpenter instance-types.md @1d92708, instance-gpu-memory: p6-b300 275040, g7e 98304 MiB
 *   [NV]  NVIDIA tables give Blackwell tensor rates "with sparsity"; dense = half, except FP4, whose dense
 *         figure is published beside it. HGX B300 (8 GPUs): FP4 144 sparse / 108 dense PF → 108000/8 = 13500;
 *         FP8 72 PF → 72000/8/2 = 4500; BF16 36 PF → 36000/8/2 = 2250.
 *         GB200 superchip (2 GPUs): BF16 10 PF, FP8 20 PF, NVFP4 40 PF sparse → 10000/2/2 = 2500,
 *         20000/2/2 = 5000, 40000/2/2 = 10000. GB300 NVL72: FP4 1080 PF dense / 72 = 15000.
 *   [AMD] MI355X: 288 GB HBM3E, 8 TB/s, FP16 2516.6 / FP8 5033.2 / MXFP4 10066.3 dense TFLOPS;
 *         MI325X: 256 GB, 6 TB/s, FP16 1307.4 (ROCm gpu-specs).
 *   [RTX] RTX PRO 6000: 96 GB GDDR7, 512-bit × 28 Gbps / 8 = 1792 GB/s; 4000 FP4 TOPS sparse → 2000 dense.
 *   [SMI] nvidia-smi totals in public logs: GB200 "189471MiB", GB300 "284208MiB", H20 "97871MiB".
 *   [H]   H20 96 GB, 4.0 TB/s, BF16 148 (third-party table); H800 = H100 SXM figures with NVLink 400 GB/s.
 */
const PUBLISHED_2026: readonly (PublishedGpu & { readonly fp4: number })[] = [
  { id: 'b300', marketedGB: 288, reportedMiB: 275_040, bandwidthGBps: 8_000, bf16: 2_250, fp8: 4_500, fp4: 108_000 / 8, source: '[K] [NV] HGX B300' },
  { id: 'gb200', marketedGB: 186, reportedMiB: 189_471, bandwidthGBps: 8_000, bf16: 10_000 / 4, fp8: 20_000 / 4, fp4: 40_000 / 4, source: '[NV] GB200 superchip; MLPerf 186 GB' },
  { id: 'gb300', marketedGB: 288, reportedMiB: 284_208, bandwidthGBps: 8_000, bf16: 2_500, fp8: 5_000, fp4: 1_080_000 / 72, source: '[NV] GB300 NVL72' },
  { id: 'rtx-pro-6000', marketedGB: 96, reportedMiB: 98_304, bandwidthGBps: (512 / 8) * 28, bf16: 500, fp8: 1_000, fp4: 4_000 / 2, source: '[K] g7e; [RTX]' },
  { id: 'h800', marketedGB: 80, reportedMiB: 81_559, bandwidthGBps: 3_350, bf16: 989, fp8: 1_979, fp4: 0, source: '[H] = H100 SXM' },
  { id: 'h20', marketedGB: 96, reportedMiB: 97_871, bandwidthGBps: 4_000, bf16: 148, fp8: 2 * 148, fp4: 0, source: '[H]' },
  { id: 'l20', marketedGB: 48, reportedMiB: 46_068, bandwidthGBps: 864, bf16: 119.5, fp8: 239, fp4: 0, source: 'third-party figures' },
  { id: 'mi325x', marketedGB: 256, reportedMiB: 256 * 1024, bandwidthGBps: 6_000, bf16: 1_307.4, fp8: 2_614.9, fp4: 0, source: '[AMD] ROCm gpu-specs' },
  { id: 'mi355x', marketedGB: 288, reportedMiB: 288 * 1024, bandwidthGBps: 8_000, bf16: 2_516.6, fp8: 5_033.2, fp4: 10_066.3, source: '[AMD]' },
];

describe('2026 GPUs match the published figures', () => {
  test.each(PUBLISHED_2026)('$id: memory, bandwidth, BF16/FP8/FP4 TFLOPS per $source', (p) => {
    const gpu = GPUS[p.id];
    expect(gpu.memoryBytes).toBe(p.marketedGB * 1e9);
    expect(gpu.reportedMemoryMiB).toBe(p.reportedMiB);
    expect(gpu.memoryBandwidthGBps).toBe(p.bandwidthGBps);
    expect(gpu.bf16DenseTflops).toBe(p.bf16);
    expect(gpu.fp8DenseTflops).toBe(p.fp8);
    expect(gpu.fp4DenseTflops).toBe(p.fp4);
  });

  test('rows resting on figures no vendor page confirmed say so', () => {
    for (const id of ['b300', 'gb300', 'h20', 'l20', 'mi325x', 'mi355x'] as const) {
      expect(GPUS[id].sources.some((s) => s.status === 'unconfirmed')).toBe(true);
    }
  });
});

describe('capabilities', () => {
  // FP4 tensor cores: SM100/SM103 (B200, B300, GB200, GB300), SM120 (RTX PRO 6000), CDNA4 (MI355X).
  test.each([...GPU_IDS])('%s: nativeFp4 exactly when it has FP4 tensor throughput', (id) => {
    expect(GPUS[id].nativeFp4).toBe(GPUS[id].fp4DenseTflops > 0);
  });

  test('FP4 natively on Blackwell and CDNA4 only', () => {
    expect(GPU_IDS.filter((id) => GPUS[id].nativeFp4)).toEqual(['b200', 'b300', 'gb200', 'gb300', 'rtx-pro-6000', 'mi355x']);
  });

  test('weight-only FP4 (Marlin) on every NVIDIA GPU without FP4 tensor cores, never on AMD', () => {
    for (const id of GPU_IDS) {
      const g = GPUS[id];
      expect(g.weightOnly.fp4).toBe(g.vendor === 'nvidia' && !g.nativeFp4);
    }
  });

  // Per-direction link bandwidth: PCIe Gen4 x16 = 16 GT/s × 16 × 128/130 / 8 ≈ 31.5 → 32 GB/s (aiconfigurator l4.yaml
  // "32 GB/s per direction"); Gen5 doubles the rate → 63; NVLink4 900 GB/s bidirectional → 450; H800 400 → 200.
  test.each([
    ['l4', 'pcie', 32], ['l40s', 'pcie', 32], ['l20', 'pcie', 32], ['rtx-pro-6000', 'pcie', 63], ['a10g', 'pcie', 32],
    ['h100', 'nvlink', 900 / 2], ['h800', 'nvlink', 400 / 2], ['h20', 'nvlink', 900 / 2], ['b300', 'nvlink', 1_800 / 2],
    ['mi300x', 'xgmi', 896 / 2], ['mi355x', 'xgmi', (7 * 153.6) / 2],
  ] as const)('%s: %s at %d GB/s per direction', (id, kind, gbps) => {
    expect(GPUS[id].intraNodeLinkKind).toBe(kind);
    expect(GPUS[id].intraNodeLinkGBpsPerDirection).toBeCloseTo(gbps, 6);
  });
});
