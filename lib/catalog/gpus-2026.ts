/**
 * GPUs added for the hardware of 2025–2026: Blackwell (B300, GB200, GB300, RTX PRO 6000), the
 * China-market Hopper/Ada parts DeepSeek users run (H800, H20, L20) and AMD MI325X / MI355X.
 * Same conventions as ./gpus.ts; every figure and its source is listed in docs/hardware-2026.md.
 *
 * Where a vendor publishes only "with sparsity" tensor figures (NVIDIA's Blackwell tables), the dense
 * figure is half of it (computed). Rows whose vendor page was not read carry `status: 'unconfirmed'`.
 */
import type { GpuSpec, Source } from '../types';

const GB = 1e9;

/** Karpenter's generated EC2 instance-type reference at the pinned commit (scripts/data/). */
function ec2Reported(label: string): Source {
  return {
    url: 'github.com/aws/karpenter-provider-aws@1d927085dd81a9df9301e613f371dac5b4d16bfe:website/content/en/docs/reference/instance-types.md',
    status: 'confirmed',
    note: `karpenter.k8s.aws/instance-gpu-memory ${label} (EC2 GpuInfo MiB)`,
  };
}

const HARDWARE_DOC = 'docs/hardware-2026.md';

/** The project's own fact sheet (sources with URLs are listed there). */
function factSheet(note: string, status: Source['status']): Source {
  return { url: HARDWARE_DOC, status, note };
}

export const B300: GpuSpec = {
  id: 'b300',
  name: 'NVIDIA B300 (HGX, Blackwell Ultra)',
  vendor: 'nvidia',
  architecture: 'blackwell',
  memoryBytes: 288 * GB,
  reportedMemoryMiB: 275_040,
  memoryBandwidthGBps: 8_000,
  // HGX B300 (8 GPUs, with sparsity): FP4 144 PF, FP8 72 PF, BF16 36 PF → dense per GPU = ÷ 8 ÷ 2.
  bf16DenseTflops: 2_250,
  fp8DenseTflops: 4_500,
  fp4DenseTflops: 13_500,
  nativeFp8: true,
  nativeFp4: true,
  weightOnly: { fp8: 'none', fp4: false },
  integerKernels: 'unlisted',
  intraNodeLink: 'NVLink5 1.8 TB/s',
  intraNodeLinkKind: 'nvlink',
  intraNodeLinkGBpsPerDirection: 900,
  sources: [
    ec2Reported('275040 (p6-b300); nvidia-smi on "NVIDIA B300 SXM6 AC" shows the same 275040MiB in public logs'),
    {
      url: 'https://glennklockwood.com/garden/processors/B300',
      status: 'third-party',
      note: 'B300: 288 GB HBM3e (8 × 12-high), 8 TB/s, 2 × 900 GB/s NVLink 5; HGX B300 dense BF16 2,250, FP8 4,500, FP4 ~13,000 TFLOPS ("13 PF on B300 vs. 9.0 PF on B200")',
    },
    {
      url: 'https://www.nvidia.com/en-us/data-center/hgx/',
      status: 'unconfirmed',
      note: 'HGX B300 per 8 GPUs: FP4 144 PF sparse / 108 PF dense → 13,500 per GPU; FP8 72 PF and BF16 36 PF with sparsity, halved for dense. NVIDIA page not read (docs/hardware-2026.md)',
    },
  ],
};

export const GB200: GpuSpec = {
  id: 'gb200',
  name: 'NVIDIA GB200 (Grace Blackwell, B200 GPU)',
  vendor: 'nvidia',
  architecture: 'blackwell',
  memoryBytes: 186 * GB,
  // 189,471 MiB is the nvidia-smi total of a GB200 GPU ("0MiB / 189471MiB" in public logs); no EC2 label exists
  // (Karpenter does not list p6e). Sizing uses the CUDA-visible figure in gpu-visible-memory.ts.
  reportedMemoryMiB: 189_471,
  memoryBandwidthGBps: 8_000,
  // GB200 superchip (2 GPUs, with sparsity): BF16 10 PF, FP8 20 PF, NVFP4 40 PF → ÷ 2 GPUs ÷ 2 for dense.
  bf16DenseTflops: 2_500,
  fp8DenseTflops: 5_000,
  fp4DenseTflops: 10_000,
  nativeFp8: true,
  nativeFp4: true,
  weightOnly: { fp8: 'none', fp4: false },
  integerKernels: 'unlisted',
  intraNodeLink: 'NVLink5 1.8 TB/s (NVL72 domain)',
  intraNodeLinkKind: 'nvlink',
  intraNodeLinkGBpsPerDirection: 900,
  sources: [
    {
      url: 'https://www.nvidia.com/en-us/data-center/gb200-nvl72/',
      status: 'third-party',
      note: 'GB200 superchip: 372 GB HBM3e / 16 TB/s for 2 GPUs, BF16 10 / FP8 20 / NVFP4 40 PF (sparse), NVLink 3.6 TB/s; read through a public copy of the table',
    },
    {
      url: 'https://raw.githubusercontent.com/mlcommons/inference_results_v6.1/main/closed/Crusoe/systems/GB200-NVL72_GB200-186GB_aarch64x16_Dynamo.json',
      status: 'confirmed',
      note: 'accelerator_memory_capacity "186 GB" HBM3e, 4 GPUs per node, NVLink-C2C to Grace, aarch64',
    },
    factSheet('nvidia-smi total 189,471 MiB per GB200 GPU, seen in many public nvidia-smi dumps (repositories not recorded)', 'unconfirmed'),
  ],
};

export const GB300: GpuSpec = {
  id: 'gb300',
  name: 'NVIDIA GB300 (Grace Blackwell Ultra, B300 GPU)',
  vendor: 'nvidia',
  architecture: 'blackwell',
  memoryBytes: 288 * GB,
  // nvidia-smi "0MiB / 284208MiB" on GB300 (public logs); more than the HGX B300's EC2 275,040 MiB.
  reportedMemoryMiB: 284_208,
  memoryBandwidthGBps: 8_000,
  // GB300 NVL72 (72 GPUs): FP4 1,440 PF sparse / 1,080 dense, FP8 720 PF sparse, BF16 360 PF sparse.
  bf16DenseTflops: 2_500,
  fp8DenseTflops: 5_000,
  fp4DenseTflops: 15_000,
  nativeFp8: true,
  nativeFp4: true,
  weightOnly: { fp8: 'none', fp4: false },
  integerKernels: 'unlisted',
  intraNodeLink: 'NVLink5 1.8 TB/s (NVL72 domain)',
  intraNodeLinkKind: 'nvlink',
  intraNodeLinkGBpsPerDirection: 900,
  sources: [
    {
      url: 'https://glennklockwood.com/garden/processors/B300',
      status: 'third-party',
      note: 'GB300 NVL72 as advertised: 1.1 EF dense FP4 (÷ 72 ≈ 15,000), 360 PF FP8 (÷ 72 = 5,000), 20 TB HBM at 576 TB/s (÷ 72 = 8 TB/s per GPU)',
    },
    {
      url: 'https://www.nvidia.com/en-us/data-center/gb300-nvl72/',
      status: 'unconfirmed',
      note: 'BF16 2,500 dense (360 PF sparse ÷ 72 ÷ 2); NVIDIA page not read',
    },
    factSheet('nvidia-smi total 284,208 MiB per GB300 GPU, seen in several public nvidia-smi dumps (repositories not recorded)', 'unconfirmed'),
  ],
};

export const RTX_PRO_6000: GpuSpec = {
  id: 'rtx-pro-6000',
  name: 'NVIDIA RTX PRO 6000 Blackwell Server Edition',
  vendor: 'nvidia',
  // SM120: FP4/FP8 tensor cores, but not the SM100 kernels of the engines' Blackwell overrides.
  architecture: 'blackwell-sm120',
  memoryBytes: 96 * GB,
  reportedMemoryMiB: 98_304,
  // 512-bit GDDR7 at 28 Gbps = 512 / 8 × 28 = 1,792 GB/s.
  memoryBandwidthGBps: 1_792,
  // "4,000 AI TOPS" (FP4, with sparsity) → 2,000 dense FP4; FP8 and BF16 at half and a quarter of that.
  bf16DenseTflops: 500,
  fp8DenseTflops: 1_000,
  fp4DenseTflops: 2_000,
  nativeFp8: true,
  nativeFp4: true,
  weightOnly: { fp8: 'none', fp4: false },
  integerKernels: 'unlisted',
  intraNodeLink: 'PCIe Gen5 x16',
  intraNodeLinkKind: 'pcie',
  // PCIe 5.0: 32 GT/s × 16 lanes × 128/130 ÷ 8 = 63 GB/s per direction.
  intraNodeLinkGBpsPerDirection: 63,
  sources: [
    ec2Reported('98304 (g7e)'),
    {
      url: 'https://gpu.name/posts/nvidia-unveils-rtx-pro-6000-blackwell-gpu-with-24-064-cores-and-96gb-memory',
      status: 'third-party',
      note: '96 GB GDDR7, 512-bit, 1,792 GB/s, PCIe Gen 5; 4,000 AI TOPS (FP4, sparse) per other reports of the GTC 2025 announcement',
    },
    {
      url: 'https://docs.aws.amazon.com/ec2/latest/instancetypes/ac.html',
      status: 'unconfirmed',
      note: 'g7e: RTX PRO 6000 Blackwell Server Edition GPUs over PCIe Gen5, no NVLink (docs/hardware-2026.md)',
    },
  ],
};

export const H800: GpuSpec = {
  id: 'h800',
  name: 'NVIDIA H800 SXM 80GB',
  vendor: 'nvidia',
  architecture: 'hopper',
  memoryBytes: 80 * GB,
  reportedMemoryMiB: 81_559,
  memoryBandwidthGBps: 3_350,
  bf16DenseTflops: 989,
  fp8DenseTflops: 1_979,
  fp4DenseTflops: 0,
  nativeFp8: true,
  nativeFp4: false,
  weightOnly: { fp8: 'none', fp4: true },
  integerKernels: 'listed',
  intraNodeLink: 'NVLink4 400 GB/s',
  intraNodeLinkKind: 'nvlink',
  intraNodeLinkGBpsPerDirection: 200,
  sources: [
    {
      url: 'https://www.philisun.com/technical-analysis/nvidia-h800-vs-h100-a-technical-deep-dive-into-politically-defined-ai-chips/',
      status: 'third-party',
      note: 'H800 SXM: the H100 die and memory (80 GB HBM3, ~3.35 TB/s, same tensor rates) with NVLink cut to 400 GB/s bidirectional',
    },
    factSheet('nvidia-smi total taken as the H100 SXM figure (81,559 MiB): same board and memory', 'unconfirmed'),
  ],
};

export const H20: GpuSpec = {
  id: 'h20',
  name: 'NVIDIA H20 96GB',
  vendor: 'nvidia',
  architecture: 'hopper',
  memoryBytes: 96 * GB,
  // nvidia-smi "0MiB /  97871MiB" on an H20 (public log, docs/hardware-2026.md).
  reportedMemoryMiB: 97_871,
  memoryBandwidthGBps: 4_000,
  bf16DenseTflops: 148,
  fp8DenseTflops: 296,
  fp4DenseTflops: 0,
  nativeFp8: true,
  nativeFp4: false,
  weightOnly: { fp8: 'none', fp4: true },
  integerKernels: 'listed',
  intraNodeLink: 'NVLink4 900 GB/s',
  intraNodeLinkKind: 'nvlink',
  intraNodeLinkGBpsPerDirection: 450,
  sources: [
    {
      url: 'https://willitrunai.com/es/gpus/h20-96gb',
      status: 'third-party',
      note: 'H20: 96 GB HBM3 at 4,000 GB/s, 148 TFLOPS FP16 (dense), NVLink 4.0 900 GB/s, Hopper',
    },
    {
      url: 'http://1cnz.cn/d/2353773.html',
      status: 'third-party',
      note: 'HGX H20: 96 GB HBM3, 4.0 TB/s, FP8 296 TFLOPS, FP16 148 TFLOPS, NVLink 900 GB/s, SXM',
    },
    factSheet('no NVIDIA datasheet read for the H20; nvidia-smi total 97,871 MiB from a public log', 'unconfirmed'),
    {
      url: 'https://github.com/vllm-project/vllm/issues/12890',
      status: 'confirmed',
      note: 'DeepSeek-V3 FP8 on 8 × H20-96GB (facts sheet [S21])',
    },
  ],
};

export const L20: GpuSpec = {
  id: 'l20',
  name: 'NVIDIA L20 48GB',
  vendor: 'nvidia',
  architecture: 'ada',
  memoryBytes: 48 * GB,
  // Same AD102 board class and GDDR6 as the L40S; nvidia-smi figure taken from it.
  reportedMemoryMiB: 46_068,
  memoryBandwidthGBps: 864,
  bf16DenseTflops: 119.5,
  fp8DenseTflops: 239,
  fp4DenseTflops: 0,
  nativeFp8: true,
  nativeFp4: false,
  weightOnly: { fp8: 'none', fp4: true },
  integerKernels: 'listed',
  intraNodeLink: 'PCIe Gen4 x16',
  intraNodeLinkKind: 'pcie',
  intraNodeLinkGBpsPerDirection: 32,
  sources: [
    {
      url: 'http://1cnz.cn/d/2353773.html',
      status: 'third-party',
      note: 'L20: Ada Lovelace, 48 GB GDDR6, PCIe 4.0 x16 card',
    },
    factSheet('L20 864 GB/s and BF16 119.5 / FP8 239 dense TFLOPS are widely reported (about a third of the L40S), no NVIDIA page read', 'unconfirmed'),
  ],
};

export const MI325X: GpuSpec = {
  id: 'mi325x',
  name: 'AMD Instinct MI325X',
  vendor: 'amd',
  architecture: 'cdna3',
  memoryBytes: 256 * GB,
  // ROCm gpu-specs states 256 GiB.
  reportedMemoryMiB: 256 * 1024,
  memoryBandwidthGBps: 6_000,
  bf16DenseTflops: 1_307.4,
  // Same CDNA3 compute die as the MI300X: FP8 2,614.9 dense (recalled, unconfirmed).
  fp8DenseTflops: 2_614.9,
  fp4DenseTflops: 0,
  nativeFp8: true,
  nativeFp4: false,
  weightOnly: { fp8: 'none', fp4: false },
  integerKernels: 'none',
  intraNodeLink: 'Infinity Fabric (xGMI) 896 GB/s',
  intraNodeLinkKind: 'xgmi',
  intraNodeLinkGBpsPerDirection: 448,
  sources: [
    {
      url: 'https://rocm.docs.amd.com/en/7.13.0-preview/reference/gpu-specs.html',
      status: 'confirmed',
      note: 'MI325X: 256 GiB HBM3E, 6 TB/s, FP16 1,307 TFLOPS (facts sheet [S32])',
    },
    factSheet('FP8 2,614.9 dense and the MI300X-style xGMI (7 links, 896 GB/s aggregate) are unconfirmed for MI325X', 'unconfirmed'),
  ],
};

export const MI355X: GpuSpec = {
  id: 'mi355x',
  name: 'AMD Instinct MI355X',
  vendor: 'amd',
  architecture: 'cdna4',
  memoryBytes: 288 * GB,
  reportedMemoryMiB: 288 * 1024,
  memoryBandwidthGBps: 8_000,
  bf16DenseTflops: 2_516.6,
  fp8DenseTflops: 5_033.2,
  // MXFP4 (OCP microscaling) on CDNA4 matrix cores.
  fp4DenseTflops: 10_066.3,
  nativeFp8: true,
  nativeFp4: true,
  weightOnly: { fp8: 'none', fp4: false },
  integerKernels: 'none',
  intraNodeLink: 'Infinity Fabric (xGMI) 1,075 GB/s',
  intraNodeLinkKind: 'xgmi',
  // 7 links × 153.6 GB/s bidirectional = 1,075 GB/s aggregate → 537.6 per direction.
  intraNodeLinkGBpsPerDirection: 537.6,
  sources: [
    {
      url: 'https://raw.githubusercontent.com/mlcommons/inference_results_v6.0/main/closed/AMD/results/87xMI355X_22xEPYC_9575F/summary.html',
      status: 'confirmed',
      note: 'AMD Instinct MI355X 288GB HBM3e, 8 per node, XGMI interconnect',
    },
    {
      url: 'https://boston-uk-l.azurewebsites.net/blog/2025/08/14/amd-instinct-mi355x.aspx',
      status: 'third-party',
      note: 'CDNA 4 with native FP4/FP6 matrix cores; 288 GB HBM3E at 8 TB/s; 4th-gen Infinity Fabric',
    },
    {
      url: 'https://www.world-today-news.com/?p=7253162',
      status: 'third-party',
      note: 'ISSCC 2026 report: per-CU FP8 doubled to 8,192 FLOPS/clock, "five petaflops" of FP8',
    },
    {
      url: 'https://www.amd.com/en/products/accelerators/instinct/mi350/mi355x.html',
      status: 'unconfirmed',
      note: 'FP16 2,516.6 / FP8 5,033.2 / MXFP4 10,066.3 dense TFLOPS; xGMI 7 × 153.6 GB/s. AMD page not read (docs/hardware-2026.md)',
    },
  ],
};
