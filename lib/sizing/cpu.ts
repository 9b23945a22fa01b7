/**
 * CPU fallback sizing for llama.cpp: GGUF weight bytes, RAM needed, threads and a decode estimate
 * from memory bandwidth. Pure and framework-free.
 *
 * Decode on a CPU is memory-bound: every output token streams the weights a token touches (the
 * active parameters of a MoE) out of DRAM once. tokens/s ≈ effective bandwidth ÷ bytes per token.
 * How much of the DIMMs' peak llama.cpp actually gets is taken from two published DeepSeek-671B
 * runs (see CPU_DECODE_EFFICIENCY); the result is an estimate, not a benchmark.
 */
import type { ModelArchitecture, Precision, Source } from '../types';
import { kvBytesPerToken } from './kv-cache';
import { countParams, type ParamCounts } from './params';

const GiB = 2 ** 30;

/** GGUF tensor types the CPU planner emits (llama.cpp names). */
export type GgufType = 'Q4_K_M' | 'Q8_0' | 'F16' | 'BF16';

/** One GGUF type: its average size per weight and where the number comes from. */
export interface GgufTypeSpec {
  /** llama.cpp's name of the type. */
  readonly type: GgufType;
  /** Average bits per weight of a whole model file quantized with this type (mixes included). */
  readonly bitsPerWeight: number;
  /** Where the bits-per-weight figure was read. */
  readonly source: Source;
}

const QUANTIZE_README: Source = {
  url: 'ggml-org/llama.cpp@311c2c9f0ebd6e08f5b20e8827c654cebb7a41d6:tools/quantize/README.md',
  status: 'confirmed',
  note: 'Quantization table for meta-llama/Llama-3.1-8B: Q4_K_M 4.8944, Q8_0 8.5008, F16 16.0005 bits/weight (whole file, including tensors kept at higher precision).',
};

/**
 * Bits per weight of each GGUF type. Q4_K_M is a mix (most tensors Q4_K, some Q6_K), so its average
 * moves a little with the model; the table's figure is the Llama-3.1-8B one. Q8_0 is a fixed format:
 * blocks of 32 int8 weights with one f16 scale = 34 bytes per 32 weights = 8.5 bits. A GGUF file is
 * then total parameters × bits / 8: llama.cpp itself prints "model size = 333.130 GiB (4.264 BPW)"
 * for an R1 IQ4_XS file, i.e. 333.130 × 2^30 × 8 / 4.264 = 671.1e9 weights, R1's parameter count
 * (r/LocalLLaMA 1lwnj5x, third-party log of llm_load_print_meta).
 */
export const GGUF_TYPES: Readonly<Record<GgufType, GgufTypeSpec>> = {
  Q4_K_M: { type: 'Q4_K_M', bitsPerWeight: 4.8944, source: QUANTIZE_README },
  Q8_0: { type: 'Q8_0', bitsPerWeight: 8.5008, source: QUANTIZE_README },
  F16: { type: 'F16', bitsPerWeight: 16.0005, source: QUANTIZE_README },
  // BF16 has F16's layout (2 bytes per weight); the table lists F16 only.
  BF16: { type: 'BF16', bitsPerWeight: 16.0005, source: { ...QUANTIZE_README, status: 'computed', note: 'Same width as F16 (2 bytes per weight); the table lists F16.' } },
};

/**
 * Served precision → GGUF type. llama.cpp has no FP8 type, so `fp8` has no entry: serve int8 (Q8_0)
 * for 8-bit weights on a CPU. `fp4` (MXFP4/NVFP4, GPU formats) has none either: serve int4 (Q4_K_M).
 */
export const GGUF_FOR_PRECISION: Readonly<Partial<Record<Precision, GgufType>>> = {
  int4: 'Q4_K_M',
  int8: 'Q8_0',
  fp16: 'F16',
  bf16: 'BF16',
};

/** The CPU host the plan runs on. */
export interface CpuHost {
  /** Installed RAM, GiB. */
  readonly ramGiB: number;
  /** Theoretical peak memory bandwidth of all sockets together, GB/s (decimal): channels × MT/s × 8 bytes. */
  readonly memoryBandwidthGBps: number;
  /** Physical cores of all sockets together. */
  readonly cores: number;
  /** CPU sockets (NUMA nodes of DRAM). */
  readonly sockets: number;
}

/**
 * The host of the background article ("DeepSeek-R1 on a dual EPYC CPU system with 384GB of DDR5 RAM
 * yields ... approximately 5-8 tokens per second", Ithy, "Hardware Requirements for DeepSeek Models", 2025-01-27).
 * The article names no SKU, so the rest is an assumption stated here:
 * - bandwidth: two EPYC 9004 (Genoa) sockets, 12 DDR5-4800 channels each: 12 × 4.8 GT/s × 8 B =
 *   460.8 GB/s per socket (Tom's Hardware, https://www.tomshardware.com/uk/news/amd-confirms-12-ddr5-memory-channels-on-genoa),
 *   921.6 GB/s for two;
 * - cores: two 32-core parts (64 physical cores).
 */
export const DEFAULT_CPU_HOST: CpuHost = { ramGiB: 384, memoryBandwidthGBps: 921.6, cores: 64, sockets: 2 };

/**
 * Fraction of ONE socket's peak DRAM bandwidth llama.cpp reaches in DeepSeek-671B decode, as a range
 * from the two published runs we found. Neither run got more than one socket's worth of bandwidth,
 * so the estimate never adds the second socket's (llama.cpp reads each weight from whichever NUMA
 * node first touched it, and cross-socket links are slower than local DRAM).
 * - high 0.52: Tencent Xuanwu Lab, one EPYC 9135 with 12 × DDR5-5600 (537.6 GB/s), R1 Q8_0 in
 *   llama.cpp, tuned peak 7.17 tok/s (https://xlab.tencent.com/cn/2025/03/16/DeepSeek-671B纯CPU部署实践经验分享(一), third-party):
 *   7.17 × 36.63e9 active × 8.5008/8 B = 279 GB/s = 0.52 × 537.6.
 * - low 0.33: KTransformers' llama.cpp baseline, dual Xeon Gold 6454S with 8 × DDR5-4800 per socket
 *   (307.2 GB/s per socket), DeepSeek-V3 Q4_K_M, 2×32 cores, 4.51 tok/s
 *   (kvcache-ai/ktransformers@034a116365d48481d1d23de3e3982a64a8d0a341:doc/en/DeepseekR1_V3_tutorial.md):
 *   4.51 × 36.63e9 × 4.8944/8 B = 101 GB/s = 0.33 × 307.2.
 */
export const CPU_DECODE_EFFICIENCY = { low: 0.33, high: 0.52 } as const;

/** RAM kept for the OS, page tables and services, whatever the model (assumption). */
export const CPU_RAM_RESERVE_BYTES = 4 * GiB;
/** Extra over the weights for llama.cpp's compute buffers and allocator slack (assumption: 5%). */
export const CPU_RAM_HEADROOM_FRACTION = 0.05;

/** Bytes of a GGUF file of `arch` in `type`: every main-model weight at the type's bits per weight. */
export function ggufWeightBytes(arch: ModelArchitecture, type: GgufType): number {
  return Math.round((countParams(arch).total * GGUF_TYPES[type].bitsPerWeight) / 8);
}

/** What a CPU deployment needs and how fast it decodes. */
export interface CpuSizing {
  readonly ggufType: GgufType;
  /** GGUF file bytes = weights resident in RAM (llama.cpp maps the file). */
  readonly weightsBytes: number;
  /** KV bytes per token at f16 (llama.cpp's default cache type), all layers. */
  readonly kvBytesPerToken: number;
  /** KV bytes for contextTokens × concurrency. */
  readonly kvCacheBytes: number;
  /** OS reserve plus compute-buffer headroom. */
  readonly overheadBytes: number;
  /** weights + KV + overhead: the RAM the host must have. */
  readonly ramBytesNeeded: number;
  /** Installed RAM, bytes. */
  readonly ramBytes: number;
  /** llama.cpp threads: one per physical core (its default counts physical cores; in a container it must be told). */
  readonly threads: number;
  /** Bytes streamed from DRAM for one token of one sequence (active weights + its KV read). */
  readonly bytesPerToken: number;
  /** Single-stream decode tokens/s at the low and high efficiency. */
  readonly singleStreamTokensPerSecond: { readonly low: number; readonly high: number };
  /** Aggregate decode tokens/s of `concurrency` sequences at the low and high efficiency. */
  readonly aggregateTokensPerSecond: { readonly low: number; readonly high: number };
}

/** Inputs of {@link sizeCpu}. */
export interface CpuSizingInput {
  readonly arch: ModelArchitecture;
  readonly ggufType: GgufType;
  readonly host: CpuHost;
  readonly contextTokens: number;
  readonly concurrency: number;
}

/**
 * Size a llama.cpp deployment on a CPU host. KV is read half full on average while decoding, as the
 * GPU estimate assumes. For MLA models the KV is the compressed latent; that needs a GGUF converted
 * with MLA support (llama.cpp's DeepSeek MLA path), older conversions cache full K/V and need far more.
 */
export function sizeCpu(input: CpuSizingInput): CpuSizing {
  const { arch, ggufType, host, contextTokens, concurrency } = input;
  const params = countParams(arch);
  const bytesPerWeight = GGUF_TYPES[ggufType].bitsPerWeight / 8;
  const weightsBytes = ggufWeightBytes(arch, ggufType);
  const kvPerToken = kvBytesPerToken(arch, 'fp16');
  const kvCacheBytes = kvPerToken * contextTokens * concurrency;
  const overheadBytes = Math.round(CPU_RAM_RESERVE_BYTES + CPU_RAM_HEADROOM_FRACTION * weightsBytes);
  const ramBytesNeeded = weightsBytes + kvCacheBytes + overheadBytes;

  const kvReadPerToken = kvPerToken * (contextTokens / 2);
  const bytesPerToken = params.active * bytesPerWeight + kvReadPerToken;
  const perSocketBytesPerSecond = (host.memoryBandwidthGBps * 1e9) / host.sockets;
  const single = (eff: number) => (perSocketBytesPerSecond * eff) / bytesPerToken;

  // A batch of B sequences reads the shared weights once per step, but a MoE touches the union of
  // the experts its B tokens route to: E·(1 − (1 − k/E)^B) of E per layer under uniform routing.
  const stepBytes = weightsReadPerStep(arch, params, bytesPerWeight, concurrency) + concurrency * kvReadPerToken;
  const aggregate = (eff: number) => (concurrency * perSocketBytesPerSecond * eff) / stepBytes;

  return {
    ggufType,
    weightsBytes,
    kvBytesPerToken: kvPerToken,
    kvCacheBytes,
    overheadBytes,
    ramBytesNeeded,
    ramBytes: host.ramGiB * GiB,
    threads: host.cores,
    bytesPerToken,
    singleStreamTokensPerSecond: { low: single(CPU_DECODE_EFFICIENCY.low), high: single(CPU_DECODE_EFFICIENCY.high) },
    aggregateTokensPerSecond: { low: aggregate(CPU_DECODE_EFFICIENCY.low), high: aggregate(CPU_DECODE_EFFICIENCY.high) },
  };
}

/** Weight bytes one decode step of `batch` sequences reads. */
function weightsReadPerStep(arch: ModelArchitecture, params: ParamCounts, bytesPerWeight: number, batch: number): number {
  if (!arch.moe) return params.active * bytesPerWeight;
  const e = arch.moe.routedExperts;
  const k = arch.moe.expertsPerToken;
  // active = alwaysRead + routed·k/E; total = alwaysRead + routed + the input embedding (a row lookup,
  // not counted as active unless tied to the LM head).
  const lookup = arch.tieWordEmbeddings ? 0 : params.embedding;
  const routed = (params.total - params.active - lookup) / (1 - k / e);
  const alwaysRead = params.active - routed * (k / e);
  const touched = 1 - Math.pow(1 - k / e, batch);
  return (alwaysRead + routed * touched) * bytesPerWeight;
}
