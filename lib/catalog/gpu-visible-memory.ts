/**
 * Device memory each GPU model shows to CUDA / ROCm: the `total` of `torch.cuda.mem_get_info()`,
 * equal to `torch.cuda.get_device_properties(0).total_memory` and to deviceQuery's
 * "Total amount of global memory" (cudaDeviceProp.totalGlobalMem / hipDeviceProp.totalGlobalMem).
 *
 * Why this number and not the marketed one: vLLM budgets `total × gpu_memory_utilization` and SGLang
 * sizes its pools from the same device total, so an engine on an "80 GB" H100 works from 79.19 GiB.
 * The visible total sits below what nvidia-smi / EC2 report (e.g. H100: nvidia-smi 81,559 MiB, EC2
 * 81,920 MiB, CUDA 81,090 MiB) because the driver keeps part of the framebuffer for itself (page
 * tables, ECC/row-remap reserve, firmware); on GDDR6 parts with ECC enabled the gap is larger.
 * Marketed decimal GB (141 GB H200, 180 GB B200, 192 GB MI300X) can be *below* the visible figure,
 * because those capacities are really GiB-scale; compare against the reported MiB, not the label.
 *
 * The figure moves by about ±0.1 GiB with driver version (an H100 reads 79.11–79.22 GiB across
 * public logs); each entry's note gives the spread that was seen. Values are per GPU, bytes.
 */
import type { GpuId, InstanceSpec, Source } from '../types';

const MIB = 2 ** 20;
const GIB = 2 ** 30;

/** One GPU's engine-visible memory and the line it was read from. */
export interface GpuVisibleMemory {
  /** Total device memory as CUDA/ROCm report it, bytes (what `budget = visibleBytes × utilization` starts from). */
  readonly visibleBytes: number;
  /** The source line the number was taken from, verbatim. */
  readonly verbatim: string;
  readonly source: Source;
}

/** Engine-visible memory per GPU model; see the file comment for what the number is. */
export const GPU_VISIBLE_MEMORY: Readonly<Record<GpuId, GpuVisibleMemory>> = {
  a10g: {
    // No public CUDA-side dump of an A10G was found at a citable URL, so this is estimated.
    visibleBytes: 22_587 * MIB,
    verbatim: '|  0%   40C    P0             60W /  300W |   21993MiB /  23028MiB |      0%      Default |',
    source: {
      url: 'https://github.com/NVIDIA/TensorRT-LLM/issues/7818',
      status: 'unconfirmed',
      note:
        'nvidia-smi row of GPU 0 "NVIDIA A10G": total 23,028 MiB (driver 570.172.08). CUDA total taken as 22,587 MiB (22.06 GiB) = nvidia-smi ' +
        'minus 441 MiB, the value printed by an uncited public notebook as ' +
        "_CudaDeviceProperties(name='NVIDIA A10G', ..., total_memory=22587MB) (torch 2.15 cu130); the H100/L40S " +
        'nvidia-smi-to-CUDA gaps are 469/479 MiB. Older drivers reported more: a vLLM OOM on ml.g5.12xlarge reads ' +
        '"GPU 0; 22.19 GiB total capacity".',
    },
  },
  l4: {
    visibleBytes: 23_570_219_008,
    verbatim: '  Total amount of global memory:                 22478 MBytes (23570219008 bytes)',
    source: {
      url: 'github.com/thamada/nvidia-smi@b09ef139265ffc7e3c78006346981de8e4d70499:gls/L4_deviceQuery.py',
      status: 'confirmed',
      note:
        'deviceQuery on "NVIDIA L4", CUDA driver 12.4, ECC enabled: 21.95 GiB. nvidia-smi shows 23,034 MiB ' +
        '(modal-labs/modal-client PR #2797). PyTorch OOMs on L4 read 21.96 GiB (ml.g6) and 22.03 GiB ' +
        '(https://github.com/ArcInstitute/evo2/issues/190); the lowest is kept.',
    },
  },
  l40s: {
    visibleBytes: 47_803_596_800,
    verbatim: '  Total amount of global memory:                 45589 MBytes (47803596800 bytes)',
    source: {
      url: 'github.com/thamada/nvidia-smi@c768aedc1e0bf705fc91b08e8d9403bf53760365:nvsim/L40S_deviceQuery.py',
      status: 'confirmed',
      note:
        'deviceQuery on "NVIDIA L40S", CUDA driver 12.4, ECC enabled: 44.52 GiB; nvidia-smi 46,068 MiB (modal PR #2797). ' +
        'Caution: several PyTorch OOM messages from L40S hosts (one names g6e.4xlarge) read "total capacity of 44.39 GiB", ' +
        '0.13 GiB lower; those were found without a citable URL.',
    },
  },
  'a100-40gb': {
    visibleBytes: 42_298_834_944,
    verbatim: '  Total amount of global memory:                 40339 MBytes (42298834944 bytes)',
    source: {
      url: 'https://github.com/bottlerocket-os/bottlerocket/pull/3873',
      status: 'confirmed',
      note:
        'deviceQuery "NVIDIA A100-SXM4-40GB", CUDA driver 12.2: 39.39 GiB, the same figure PyTorch OOMs print ' +
        '("39.39 GiB total capacity"). nvidia-smi shows 40,960 MiB (modal PR #2797).',
    },
  },
  'a100-80gb': {
    visibleBytes: 85_100_068_864,
    verbatim: '  Total amount of global memory:                 81158 MBytes (85100068864 bytes)',
    source: {
      url: 'github.com/thamada/nvidia-smi@b09ef139265ffc7e3c78006346981de8e4d70499:gls/A100SXMx4_deviceQuery.py',
      status: 'confirmed',
      note:
        'deviceQuery "NVIDIA A100-SXM4-80GB", CUDA driver 12.5: 79.26 GiB. Older drivers show less: PyTorch OOMs read ' +
        '"79.15 GiB total capacity" (pre-R535) and 79.25 GiB (e.g. https://github.com/HiDream-ai/VAREdit/issues/6). ' +
        'nvidia-smi 81,920 MiB.',
    },
  },
  h100: {
    // The report prints two decimals; ±0.005 GiB rounding is far below the driver spread.
    visibleBytes: Math.round(79.19 * GIB),
    verbatim: '**Hardware**: H100-80GB (catalog 80 GiB, physical 79.19 GiB)',
    source: {
      url: 'github.com/llm-d-incubation/llm-d-planner@fbd68515a903397a1b785a2189dc7512b0d55680:accuracy/results/v0.19.0/accuracy_report.md',
      status: 'confirmed',
      note:
        'Same sweep as the calibration rows (vLLM 0.19.0). Cross-checks: deviceQuery 81106 MBytes (85045477376 bytes) ' +
        'at CUDA driver 12.7 (thamada/nvidia-smi@03fbe6e:nvsim/H100SXMx8_deviceQuery.py); vLLM PR #10511 ' +
        '"total_gpu_memory 79.22GiB"; vLLM issue #27508 "total capacity of 79.11 GiB" (driver 535). nvidia-smi 81,559 MiB.',
    },
  },
  h200: {
    // Only the nvidia-smi total has a citable URL; the CUDA figure comes from uncited dumps.
    visibleBytes: 143_156 * MIB,
    verbatim: '124,585 MiB of 143,771 MiB',
    source: {
      url: 'https://github.com/sgl-project/sglang/issues/3196',
      status: 'unconfirmed',
      note:
        'nvidia-smi total 143,771 MiB (8xH200, facts sheet [S20]). CUDA total taken as 143,156 MiB (139.80 GiB): printed as ' +
        "_CudaDeviceProperties(name='NVIDIA H200', ..., total_memory=143156MB) in an uncited public file and matching many " +
        'PyTorch OOMs "GPU 0 has a total capacity of 139.80 GiB" (139.81 GiB on some drivers), none found at a citable URL.',
    },
  },
  b200: {
    visibleBytes: 191_503_007_744,
    verbatim:
      'memory allocation failed with OOM on device 3 while trying to allocate 26229080064 bytes (free: 16487546880, total: 191503007744).',
    source: {
      url: 'https://github.com/vllm-project/vllm/issues/51071',
      status: 'confirmed',
      note:
        'vLLM CI "LM Eval PCP (4xB200)": CUDACachingAllocator prints cudaMemGetInfo total = 178.35 GiB. Same figure in ' +
        'https://github.com/pytorch/ao/pull/4002 ("Total Global Memory: 178.35 GB", cudaGetDeviceProperties on a B200). ' +
        'EC2 p6-b200 reports 183,359 MiB.',
    },
  },
  mi300x: {
    visibleBytes: 196_592 * MIB,
    verbatim: '[GPU 0] 196592: Total Global Memory (MB)',
    source: {
      url: 'github.com/thamada/nvidia-smi@a296cf1dff865bac1d5fd7ba38789570cab4a8da:nvsim/MI300X_x4_deviceQuery.py',
      status: 'confirmed',
      note:
        'hipDeviceProp totalGlobalMem on bare-metal "AMD Instinct MI300X" = 191.98 GiB (MiB units), the same as rocminfo\'s ' +
        'GPU pool "201310208(0xbffc000) KB" (https://github.com/ROCm/vllm/issues/397) and PyTorch "total capacity of ' +
        '191.98 GiB". Virtualised "MI300X VF" guests show less: rocm-smi "VRAM Total Memory (B): 205822885888" (191.69 GiB).',
    },
  },
  // --- 2026 hardware. PyTorch OOM messages print the CUDA/HIP total ("GPU 0 has a total capacity of
  // X GiB"); the ones below were found by exact-string search in public code and logs whose
  // repositories were not recorded, hence 'unconfirmed' unless a URL is given. See docs/hardware-2026.md.
  b300: {
    visibleBytes: Math.round(267.69 * GIB),
    verbatim: 'Tried to allocate 854.00 MiB. GPU 0 has a total capacity of 267.69 GiB',
    source: {
      url: 'docs/hardware-2026.md',
      status: 'unconfirmed',
      note: 'CUDA total taken as 267.69 GiB from a PyTorch OOM on a 16-rank B300 job (public log, repository not recorded); EC2 p6-b300 reports 275,040 MiB (268.59 GiB)',
    },
  },
  gb200: {
    visibleBytes: Math.round(184.31 * GIB),
    verbatim: 'GPU 0 has a total capacity of 184.31 GiB of which 381.44 MiB is free.',
    source: {
      url: 'docs/hardware-2026.md',
      status: 'unconfirmed',
      note: 'CUDA total taken as 184.31 GiB from a PyTorch OOM on GB200 decode (vLLM DeepSeek-V4, EP 8) in a public note, repository not recorded; the same figure appears in a second GB200 log',
    },
  },
  gb300: {
    visibleBytes: Math.round(276.5 * GIB),
    verbatim: 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 1024.00 MiB.\nGPU 0 has a total capacity of 276.50 GiB of which 797.44 MiB is free.',
    source: {
      url: 'docs/hardware-2026.md',
      status: 'unconfirmed',
      note:
        'CUDA total taken as 276.50 GiB from PyTorch OOMs on a Grace Blackwell Ultra system in two public notes (repositories not recorded; ' +
        'the GPU is not named in the excerpt); nvidia-smi on GB300 shows 284,208 MiB (277.55 GiB)',
    },
  },
  'rtx-pro-6000': {
    visibleBytes: 97_250 * MIB,
    verbatim: "_CudaDeviceProperties(name='NVIDIA RTX PRO 6000 Blackwell Server Edition', major=12, minor=0, total_memory=97250MB, multi_processor_count=188, uuid=..., L2_cache_size=128MB)",
    source: {
      url: 'docs/hardware-2026.md',
      status: 'unconfirmed',
      note: 'CUDA total taken as 97,250 MiB (94.97 GiB) from torch.cuda.get_device_properties in a public install note (repository not recorded); EC2 g7e reports 98,304 MiB',
    },
  },
  h800: {
    visibleBytes: Math.round(79.19 * GIB),
    verbatim: '**Hardware**: H100-80GB (catalog 80 GiB, physical 79.19 GiB)',
    source: {
      url: 'github.com/llm-d-incubation/llm-d-planner@fbd68515a903397a1b785a2189dc7512b0d55680:accuracy/results/v0.19.0/accuracy_report.md',
      status: 'unconfirmed',
      note: 'No H800 dump was found; CUDA total taken as the H100 SXM figure (the H800 is the same board with a narrower NVLink)',
    },
  },
  h20: {
    visibleBytes: 97_285 * MIB,
    verbatim: "_CudaDeviceProperties(name='NVIDIA H20', major=9, minor=0, total_memory=97285MB, multi_processor_count=78)",
    source: {
      url: 'docs/hardware-2026.md',
      status: 'unconfirmed',
      note: 'CUDA total taken as 97,285 MiB (95.00 GiB) from a comment in several public Triton attention kernels (repository not recorded); nvidia-smi on an H20 shows 97,871 MiB',
    },
  },
  l20: {
    visibleBytes: Math.round(44.53 * GIB),
    verbatim: 'GPU 0 has a total capacity of 44.53 GiB of which 93.94 MiB is free.',
    source: {
      url: 'docs/hardware-2026.md',
      status: 'unconfirmed',
      note: 'CUDA total taken as 44.53 GiB from a PyTorch OOM on an L20 in a public benchmark note (repository not recorded); close to the L40S deviceQuery 44.52 GiB',
    },
  },
  mi325x: {
    visibleBytes: Math.round(255.98 * GIB),
    verbatim: 'HIP out of memory. Tried to allocate 13.54 GiB. GPU 0 has a total capacity of 255.98 GiB of which 12.74 GiB is free.',
    source: {
      url: 'docs/hardware-2026.md',
      status: 'unconfirmed',
      note: 'HIP total taken as 255.98 GiB from a vLLM ROCm OOM on a 256 GB Instinct (the MI325X is the only 256 GB part) in a public issue copy, repository not recorded',
    },
  },
  mi355x: {
    visibleBytes: Math.round(287.98 * GIB),
    verbatim: 'torch.OutOfMemoryError: HIP out of memory. Tried to allocate 256.00 MiB. GPU 0 has a total capacity of 287.98 GiB of which 6.00 MiB is free.',
    source: {
      url: 'docs/hardware-2026.md',
      status: 'unconfirmed',
      note: 'HIP total taken as 287.98 GiB from a PyTorch OOM on a single 288 GB MI355X in a public training report (repository not recorded); the same figure appears in several MI355X logs',
    },
  },
};

/** Memory the engine sees on one GPU of an instance: the described figure for a custom GPU, else the catalog's. */
export function visibleBytesOf(instance: Pick<InstanceSpec, 'gpu' | 'customGpu'>): number {
  if (instance.customGpu) return instance.customGpu.visibleBytes;
  return GPU_VISIBLE_MEMORY[instance.gpu as GpuId].visibleBytes;
}
