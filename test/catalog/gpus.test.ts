import { GPUS, getGpu } from '../../lib/catalog/gpus';
import { GPU_IDS, type GpuId } from '../../lib/types';

/*
 * Expected values are the published figures, written out here from the source named in each row
 * (keys as in docs/reference-keys.md):
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

  test('only the MI300X is an AMD part', () => {
    expect(GPU_IDS.filter((id) => GPUS[id].vendor === 'amd')).toEqual(['mi300x']);
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
    expect(() => getGpu('h800' as GpuId)).toThrow(/unknown GPU id "h800".*h100/);
  });
});
