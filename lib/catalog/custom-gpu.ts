/**
 * A GPU that is not in the catalog, built from the user's description (`--local-gpus custom:…`).
 * Everything left out is assumed on the safe side, and each assumption is returned so the plan can
 * state it: a plan on a described GPU is only as good as the description.
 */
import type { CustomGpuDescription } from '../types';
import type { GpuSpec, IntraNodeLinkKind } from '../types';

/** Bandwidth assumed when none is given: the slowest catalog GPU (L4, 300 GB/s), so estimates err low. */
export const DEFAULT_CUSTOM_BANDWIDTH_GBPS = 300;

/** Tensor throughput assumed (it is never asked for): about an L4's 121 dense BF16 TFLOPS, rounded down. */
export const DEFAULT_CUSTOM_BF16_TFLOPS = 100;

/** Per-direction link bandwidth assumed per link kind, GB/s: PCIe Gen4 x16, NVLink3 (A100), xGMI (MI300X). */
const LINK_GBPS: Readonly<Record<IntraNodeLinkKind, number>> = { pcie: 32, nvlink: 300, xgmi: 448 };

/** The spec, the memory the engine will see, and what was assumed. */
export interface CustomGpu {
  readonly spec: GpuSpec;
  readonly visibleBytes: number;
  readonly assumptions: readonly string[];
}

/** Builds the GpuSpec of a described GPU. Its memory is taken as the engine-visible total. */
export function customGpu(d: CustomGpuDescription): CustomGpu {
  const vendor = d.vendor ?? 'nvidia';
  const link = d.link ?? 'pcie';
  const assumptions: string[] = [
    `${d.memoryGiB} GiB is taken as the memory CUDA/ROCm shows (drivers show 1–3% less than the label; give the nvidia-smi/rocm-smi total)`,
  ];
  if (d.memoryBandwidthGBps === undefined) assumptions.push(`memory bandwidth ${DEFAULT_CUSTOM_BANDWIDTH_GBPS} GB/s (not given; decode estimates err low)`);
  if (d.fp8 === undefined) assumptions.push('no FP8 tensor cores (not given; add :fp8 if it has them)');
  if (d.fp4 === undefined) assumptions.push('no FP4 tensor cores and no weight-only FP4 kernels (not given; add :fp4 if it has them)');
  assumptions.push(`dense tensor throughput ${DEFAULT_CUSTOM_BF16_TFLOPS} TFLOPS BF16 (×2 FP8, ×4 FP4 where supported), L4-class`);
  if (d.vendor === undefined) assumptions.push('vendor NVIDIA (CUDA images)');
  if (d.link === undefined) assumptions.push(`GPUs linked over PCIe (${LINK_GBPS.pcie} GB/s per direction)`);
  const spec: GpuSpec = {
    id: 'custom',
    name: `described ${vendor === 'amd' ? 'AMD' : 'NVIDIA'} GPU (${d.memoryGiB} GiB)`,
    vendor,
    architecture: 'unknown',
    memoryBytes: Math.round(d.memoryGiB * 2 ** 30),
    reportedMemoryMiB: Math.round(d.memoryGiB * 1024),
    memoryBandwidthGBps: d.memoryBandwidthGBps ?? DEFAULT_CUSTOM_BANDWIDTH_GBPS,
    bf16DenseTflops: DEFAULT_CUSTOM_BF16_TFLOPS,
    fp8DenseTflops: d.fp8 ? 2 * DEFAULT_CUSTOM_BF16_TFLOPS : 0,
    fp4DenseTflops: d.fp4 ? 4 * DEFAULT_CUSTOM_BF16_TFLOPS : 0,
    nativeFp8: d.fp8 ?? false,
    nativeFp4: d.fp4 ?? false,
    weightOnly: { fp8: 'none', fp4: false },
    integerKernels: vendor === 'amd' ? 'none' : 'unlisted',
    intraNodeLink: `${link} (described)`,
    intraNodeLinkKind: link,
    intraNodeLinkGBpsPerDirection: LINK_GBPS[link],
    sources: [{ url: 'spec:localHosts', status: 'unconfirmed', note: 'described by the caller' }],
  };
  return { spec, visibleBytes: spec.memoryBytes, assumptions };
}
