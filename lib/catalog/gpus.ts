/**
 * GPU models the planner can place a deployment on. Pure data plus one lookup.
 *
 * Conventions (see GpuSpec in ../types):
 * - `memoryBytes` is the marketed capacity (decimal GB × 1e9); `reportedMemoryMiB` is what the
 *   cloud reports per GPU (EC2 GpuInfo MemoryInfo.SizeInMiB, Azure "GiB" × 1024). They differ on
 *   purpose: sizing must use what the driver actually exposes, not the datasheet number.
 * - TFLOPS are dense (no 2:4 sparsity).
 * Every row carries the sources it was read from, with a status per fact group.
 */
import type { GpuId, GpuSpec, InstanceSpec, Source } from '../types';
import { B300, GB200, GB300, H20, H800, L20, MI325X, MI355X, RTX_PRO_6000 } from './gpus-2026';

const GB = 1e9;

/** aiconfigurator system files: NVIDIA's own calibration data for its GPUs (fact sheet [S3]). */
function aiconfigurator(file: string, note: string): Source {
  return {
    url: `github.com/ai-dynamo/aiconfigurator@095f58a:aic-core/src/aiconfigurator_core/systems/${file}`,
    status: 'confirmed',
    note,
  };
}

/** Karpenter's generated EC2 instance-type reference (DescribeInstanceTypes), fact sheet [S26]. */
function ec2Reported(label: string): Source {
  return {
    url: 'github.com/aws/karpenter-provider-aws@0c5e7d8:website/content/en/docs/reference/instance-types.md',
    status: 'confirmed',
    note: `karpenter.k8s.aws/instance-gpu-memory ${label} (EC2 GpuInfo MiB); same value at commit 1d92708`,
  };
}

const A10G: GpuSpec = {
  id: 'a10g',
  name: 'NVIDIA A10G',
  vendor: 'nvidia',
  architecture: 'ampere',
  memoryBytes: 24 * GB,
  reportedMemoryMiB: 22_888,
  memoryBandwidthGBps: 600,
  // ~70 dense BF16: GA102 tensor rate with FP32 accumulate at the GeForce-style half rate. NVIDIA
  // publishes no A10G datasheet; the A10 datasheet's 125 TFLOPS does not apply (Baseten: the A10
  // "prioritizes tensor compute", the A10G does not). Other public catalogs list 62.5. Keep 70 as
  // the best figure; it only affects compute-bound estimates, the planner's sizing is memory-bound.
  bf16DenseTflops: 70,
  fp8DenseTflops: 0,
  nativeFp8: false,
  fp4DenseTflops: 0,
  nativeFp4: false,
  weightOnly: { fp8: 'none', fp4: true },
  integerKernels: 'listed',
  intraNodeLink: 'PCIe Gen4 x16',
  intraNodeLinkKind: 'pcie',
  intraNodeLinkGBpsPerDirection: 32,
  sources: [
    {
      url: 'https://www.baseten.co/blog/nvidia-a10-vs-a10g-for-ml-model-inference/',
      status: 'third-party',
      note: 'A10 and A10G share 24 GB GDDR6 and 600 GB/s; the A10G has lower tensor throughput than the A10',
    },
    ec2Reported('22888 (g5)'),
    {
      url: 'https://docs.aws.amazon.com/ec2/latest/instancetypes/ac.html',
      status: 'confirmed',
      note: 'g5: "1 x NVIDIA A10G GPU", 22 GiB accelerator memory; no NVLink (PCIe)',
    },
    {
      url: 'https://www.nvidia.com/en-us/data-center/products/a10-gpu/',
      status: 'unconfirmed',
      note:
        'BF16 dense 70 TFLOPS is not from a vendor datasheet (no A10G datasheet found; this A10 page was not read). ' +
        'A10 datasheet figure, via third parties: 125; other catalogs give the A10G 62.5 ' +
        '(huggingface.co/RajBhope/gpu-runtime-predictor gpu_catalog.json) or ~70',
    },
  ],
};

const L4: GpuSpec = {
  id: 'l4',
  name: 'NVIDIA L4',
  vendor: 'nvidia',
  architecture: 'ada',
  memoryBytes: 24 * GB,
  reportedMemoryMiB: 22_888,
  memoryBandwidthGBps: 300,
  bf16DenseTflops: 121,
  fp8DenseTflops: 242,
  nativeFp8: true,
  fp4DenseTflops: 0,
  nativeFp4: false,
  weightOnly: { fp8: 'none', fp4: true },
  integerKernels: 'listed',
  intraNodeLink: 'PCIe Gen4 x16',
  intraNodeLinkKind: 'pcie',
  intraNodeLinkGBpsPerDirection: 32,
  sources: [
    aiconfigurator('l4.yaml', '24 GB GDDR6, 300 GB/s, BF16 121 / FP8 242 dense TFLOPS, PCIe Gen4, no NVLink'),
    ec2Reported('22888 (g6)'),
  ],
};

const L40S: GpuSpec = {
  id: 'l40s',
  name: 'NVIDIA L40S',
  vendor: 'nvidia',
  architecture: 'ada',
  memoryBytes: 48 * GB,
  reportedMemoryMiB: 45_776,
  memoryBandwidthGBps: 864,
  bf16DenseTflops: 362,
  fp8DenseTflops: 733,
  nativeFp8: true,
  fp4DenseTflops: 0,
  nativeFp4: false,
  weightOnly: { fp8: 'none', fp4: true },
  integerKernels: 'listed',
  intraNodeLink: 'PCIe Gen4 x16',
  intraNodeLinkKind: 'pcie',
  intraNodeLinkGBpsPerDirection: 32,
  sources: [
    aiconfigurator('l40s.yaml', '48 GB GDDR6, 864 GB/s, BF16 362 / FP8 733 dense TFLOPS, PCIe Gen4, no NVLink'),
    ec2Reported('45776 (g6e)'),
  ],
};

const A100_40GB: GpuSpec = {
  id: 'a100-40gb',
  name: 'NVIDIA A100 40GB SXM4',
  vendor: 'nvidia',
  architecture: 'ampere',
  memoryBytes: 40 * GB,
  reportedMemoryMiB: 40_960,
  memoryBandwidthGBps: 1_555,
  bf16DenseTflops: 312,
  fp8DenseTflops: 0,
  nativeFp8: false,
  fp4DenseTflops: 0,
  nativeFp4: false,
  weightOnly: { fp8: 'dense', fp4: true },
  integerKernels: 'listed',
  intraNodeLink: 'NVLink3 600 GB/s',
  intraNodeLinkKind: 'nvlink',
  intraNodeLinkGBpsPerDirection: 300,
  sources: [
    {
      url: 'https://glennklockwood.com/garden/processors/A100',
      status: 'third-party',
      note: 'A100 40G SXM4: 40 GB HBM2, 1.555 TB/s, 300+300 GB/s NVLink, BF16 312 dense (citing the NVIDIA datasheet)',
    },
    ec2Reported('40960 (p4d)'),
    {
      url: 'github.com/MicrosoftDocs/azure-docs@f323a18:articles/virtual-machines/sizes/gpu-accelerated/includes/nd-a100-v4-series-specs.md',
      status: 'confirmed',
      note: 'ND A100 v4: 8 × NVIDIA A100 (NVLink) 40 GiB, 320 GiB per VM (40 GiB = 40960 MiB)',
    },
  ],
};

const A100_80GB: GpuSpec = {
  id: 'a100-80gb',
  name: 'NVIDIA A100 80GB SXM4',
  vendor: 'nvidia',
  architecture: 'ampere',
  memoryBytes: 80 * GB,
  reportedMemoryMiB: 81_920,
  memoryBandwidthGBps: 2_039,
  bf16DenseTflops: 312,
  fp8DenseTflops: 0,
  nativeFp8: false,
  fp4DenseTflops: 0,
  nativeFp4: false,
  weightOnly: { fp8: 'dense', fp4: true },
  integerKernels: 'listed',
  intraNodeLink: 'NVLink3 600 GB/s',
  intraNodeLinkKind: 'nvlink',
  intraNodeLinkGBpsPerDirection: 300,
  sources: [
    aiconfigurator('a100_sxm.yaml', '80 GB HBM2e, 2,039 GB/s, BF16 312 dense, no FP8, NVLink 300 GB/s per direction'),
    ec2Reported('81920 (p4de)'),
  ],
};

const H100: GpuSpec = {
  id: 'h100',
  name: 'NVIDIA H100 SXM 80GB',
  vendor: 'nvidia',
  architecture: 'hopper',
  memoryBytes: 80 * GB,
  reportedMemoryMiB: 81_920,
  memoryBandwidthGBps: 3_350,
  bf16DenseTflops: 989,
  fp8DenseTflops: 1_979,
  nativeFp8: true,
  fp4DenseTflops: 0,
  nativeFp4: false,
  weightOnly: { fp8: 'none', fp4: true },
  integerKernels: 'listed',
  intraNodeLink: 'NVLink4 900 GB/s',
  intraNodeLinkKind: 'nvlink',
  intraNodeLinkGBpsPerDirection: 450,
  sources: [
    aiconfigurator('h100_sxm.yaml', '80 GB HBM3, 3,350 GB/s, BF16 989 / FP8 1,979 dense, NVLink4 450 GB/s per direction'),
    ec2Reported('81920 (p5)'),
  ],
};

const H200: GpuSpec = {
  id: 'h200',
  name: 'NVIDIA H200 SXM 141GB',
  vendor: 'nvidia',
  architecture: 'hopper',
  memoryBytes: 141 * GB,
  reportedMemoryMiB: 144_384,
  memoryBandwidthGBps: 4_800,
  bf16DenseTflops: 989,
  fp8DenseTflops: 1_979,
  nativeFp8: true,
  fp4DenseTflops: 0,
  nativeFp4: false,
  weightOnly: { fp8: 'none', fp4: true },
  integerKernels: 'listed',
  intraNodeLink: 'NVLink4 900 GB/s',
  intraNodeLinkKind: 'nvlink',
  intraNodeLinkGBpsPerDirection: 450,
  sources: [
    aiconfigurator('h200_sxm.yaml', '141 GB HBM3e, 4,800 GB/s, BF16 989 / FP8 1,979 dense, NVLink4'),
    ec2Reported('144384 (p5e, p5en)'),
    {
      url: 'https://github.com/sgl-project/sglang/issues/3196',
      status: 'confirmed',
      note: 'nvidia-smi on 8×H200 shows 143,771 MiB total per GPU (less than the EC2 figure)',
    },
  ],
};

const B200: GpuSpec = {
  id: 'b200',
  name: 'NVIDIA B200 (HGX)',
  vendor: 'nvidia',
  architecture: 'blackwell',
  memoryBytes: 180 * GB,
  reportedMemoryMiB: 183_359,
  // 7.7 TB/s is aiconfigurator's value; NVIDIA's DGX B200 page says 8 TB/s (not read, unconfirmed).
  // The lower figure keeps bandwidth-bound estimates conservative.
  memoryBandwidthGBps: 7_700,
  bf16DenseTflops: 2_250,
  fp8DenseTflops: 4_500,
  nativeFp8: true,
  fp4DenseTflops: 9_000,
  nativeFp4: true,
  weightOnly: { fp8: 'none', fp4: false },
  integerKernels: 'unlisted',
  intraNodeLink: 'NVLink5 1.8 TB/s',
  intraNodeLinkKind: 'nvlink',
  intraNodeLinkGBpsPerDirection: 900,
  sources: [
    aiconfigurator('b200_sxm.yaml', '180 GB HBM3e, 7.7 TB/s, BF16 2,250 / FP8 4,500 dense, NVLink5 900 GB/s per direction'),
    ec2Reported('183359 (p6-b200)'),
    {
      url: 'https://www.nvidia.com/en-us/data-center/dgx-b200/',
      status: 'unconfirmed',
      note: 'NVIDIA DGX B200 spec "8 TB/s" per GPU was not read; 7,700 GB/s kept',
    },
  ],
};

const MI300X: GpuSpec = {
  id: 'mi300x',
  name: 'AMD Instinct MI300X',
  vendor: 'amd',
  architecture: 'cdna3',
  memoryBytes: 192 * GB,
  // Azure states 192 GiB per GPU (1535 GiB per VM); 192 × 1024 MiB.
  reportedMemoryMiB: 196_608,
  memoryBandwidthGBps: 5_300,
  bf16DenseTflops: 1_307.4,
  fp8DenseTflops: 2_614.9,
  // CDNA3 has FP8 tensor cores, but in the e4m3 *fnuz* encoding; engines convert e4m3fn checkpoints.
  nativeFp8: true,
  fp4DenseTflops: 0,
  nativeFp4: false,
  weightOnly: { fp8: 'none', fp4: false },
  integerKernels: 'none',
  intraNodeLink: 'Infinity Fabric 896 GB/s',
  intraNodeLinkKind: 'xgmi',
  intraNodeLinkGBpsPerDirection: 448,
  sources: [
    {
      url: 'https://raw.githubusercontent.com/alpharomercoma/MI300X-vs-H200/6077fdc7bfc215171c33435b7cd76ca4c5f2b236/REPORT.md',
      status: 'confirmed',
      note: 'dense BF16 1,307.4 and FP8 2,614.9 TFLOPS',
    },
    {
      url: 'https://docs.vultr.com/inference-cookbook/rocm/getting-started/hardware-requirements',
      status: 'confirmed',
      note: '192 GB HBM3, 5.3 TB/s',
    },
    {
      url: 'github.com/MicrosoftDocs/azure-docs@277d7db:articles/virtual-machines/sizes/gpu-accelerated/includes/nd-mi300x-v5-series-specs.md',
      status: 'confirmed',
      note: 'AMD MI300X 192 GiB per GPU, 1535 GiB per VM',
    },
    {
      url: 'github.com/MicrosoftDocs/azure-docs@43d9b19:articles/virtual-machines/sizes/gpu-accelerated/includes/ndmi300xv5-series-summary.md',
      status: 'confirmed',
      note: '4th-gen Infinity Fabric links, 128 GB/s per GPU, 896 GB/s aggregate',
    },
    {
      url: 'https://raw.githubusercontent.com/mlcommons/inference_results_v4.1/main/closed/AMD/systems/8xMI300X_2xEPYC-9374F.json',
      status: 'confirmed',
      note: 'MI300X-NPS1-SPX-192GB-750W, XGMI interconnect',
    },
  ],
};

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

/** Every GPU the planner knows, by id. Values and sources: docs/reference-keys.md, facts §4, re-checked where noted. */
export const GPUS: Readonly<Record<GpuId, GpuSpec>> = deepFreeze({
  a10g: A10G,
  l4: L4,
  l40s: L40S,
  l20: L20,
  'a100-40gb': A100_40GB,
  'a100-80gb': A100_80GB,
  h100: H100,
  h800: H800,
  h20: H20,
  h200: H200,
  b200: B200,
  b300: B300,
  gb200: GB200,
  gb300: GB300,
  'rtx-pro-6000': RTX_PRO_6000,
  mi300x: MI300X,
  mi325x: MI325X,
  mi355x: MI355X,
});

/**
 * The spec of one GPU. `GpuId` is a closed union, so this cannot miss at compile time; the runtime
 * check guards callers that cast untrusted strings (it throws a plain Error: that is a programming
 * error, not user input — validate user input against GPU_IDS first).
 */
export function getGpu(id: GpuId): GpuSpec {
  const spec = (GPUS as Record<string, GpuSpec | undefined>)[id];
  if (!spec) throw new Error(`unknown GPU id "${String(id)}"; known: ${Object.keys(GPUS).join(', ')}`);
  return spec;
}

/** The GPU an instance carries: its described spec for a `custom` local GPU, else the catalog's. */
export function gpuOf(instance: Pick<InstanceSpec, 'gpu' | 'customGpu'>): GpuSpec {
  if (instance.customGpu) return instance.customGpu.spec;
  return getGpu(instance.gpu as GpuId);
}
