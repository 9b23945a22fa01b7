import type { GpuSpec, ModelArchitecture, Precision } from '../types';
import { tensorParallelLinkPenalty } from './interconnect';
import { countParams } from './params';
import { weightBytes } from './weights';

/**
 * Achieved fraction of peak HBM bandwidth in decode: NVIDIA aiconfigurator's
 * `mem_bw_empirical_scaling_factor: 0.8` (ai-dynamo/aiconfigurator systems/*.yaml, facts §4).
 */
export const MEMORY_BANDWIDTH_EFFICIENCY = 0.8;
/** Achieved fraction of dense tensor throughput in decode GEMMs (a conservative 50% MFU). */
export const COMPUTE_EFFICIENCY = 0.5;

/**
 * Fixed time per decode step that bandwidth does not explain: kernel launches, TP all-reduces, MoE
 * routing and the sampler. Fitted on the two single-stream measurements we have:
 * - R1-0528 FP8, vLLM recipe "expected output", batch 1: TPOT 15.85 ms (61 tok/s) [S15]. The
 *   bandwidth term on 8×H200 is 1.3 ms; 2 ms step + 3 dense × 150 µs + 58 MoE × 200 µs gives 15.3 ms.
 * - R1-Distill-Qwen-32B, vLLM TP2, ~30–32 tok/s [S42] (GPU not stated; on A100-80GB the bandwidth
 *   term is 20 ms; + 2 ms + 64 × 150 µs gives 31.7 ms, 31.5 tok/s).
 */
export const STEP_LATENCY_SECONDS = 0.002;
export const DENSE_LAYER_LATENCY_SECONDS = 150e-6;
export const MOE_LAYER_LATENCY_SECONDS = 200e-6;

export interface DecodeEstimateInput {
  readonly arch: ModelArchitecture;
  readonly precision: Precision;
  readonly gpu: GpuSpec;
  readonly tensorParallelSize: number;
  readonly pipelineParallelSize: number;
  /** Sequences decoded together. */
  readonly concurrency: number;
  /** Average tokens already in each sequence's KV cache while decoding. */
  readonly averageKvTokens: number;
  /** KV bytes per token per GPU (as the memory model computes it). */
  readonly kvBytesPerTokenPerGpu: number;
}

export interface DecodeEstimate {
  /** Aggregate output tokens/s of the replica at the given concurrency. */
  readonly tokensPerSecond: number;
  /** Output tokens/s of one request decoded alone. */
  readonly singleStreamTokensPerSecond: number;
  readonly bound: 'memory' | 'compute';
}

/**
 * Decode roofline. Each step reads, on every GPU, its shard of the weights a step touches and the
 * KV of every sequence, at 80% of peak bandwidth; pipeline stages run one after another for a
 * token. For MoE the experts touched by a batch of B tokens are E·(1 − (1 − k/E)^B) per layer
 * (uniform routing), so small batches read few experts and large ones read all. Compute time uses
 * 2 FLOPs per active parameter per token at 50% of dense peak. The larger of the two wins, plus a
 * fixed per-step and per-layer latency fitted on published single-stream figures.
 * This is an estimate, not a benchmark.
 */
export function estimateDecode(input: DecodeEstimateInput): DecodeEstimate {
  const single = stepSeconds(input, 1);
  const batch = stepSeconds(input, input.concurrency);
  return {
    tokensPerSecond: input.concurrency / batch.seconds,
    singleStreamTokensPerSecond: 1 / single.seconds,
    bound: batch.bound,
  };
}

function stepSeconds(input: DecodeEstimateInput, batch: number): { seconds: number; bound: 'memory' | 'compute' } {
  const { arch, precision, gpu } = input;
  const gpus = input.tensorParallelSize * input.pipelineParallelSize;
  const params = countParams(arch);
  const totalWeight = weightBytes(arch, precision);
  let touchedWeight = totalWeight;
  if (arch.moe) {
    // Bytes of all routed experts vs. the fraction a batch touches.
    const perParam = totalWeight / params.total;
    const routed = routedExpertParams(params.total, params.active, params.embedding, arch);
    const e = arch.moe.routedExperts;
    const k = arch.moe.expertsPerToken;
    const touchedFraction = 1 - Math.pow(1 - k / e, batch);
    touchedWeight = totalWeight - routed * perParam * (1 - touchedFraction);
  }
  // TP shards split bytes across GPUs of a stage; stages run in sequence, so a step reads all bytes
  // at the bandwidth of one stage's TP group.
  const bytesPerStep = touchedWeight / input.tensorParallelSize + (batch * input.averageKvTokens * input.kvBytesPerTokenPerGpu * input.pipelineParallelSize);
  const memorySeconds = bytesPerStep / (gpu.memoryBandwidthGBps * 1e9 * MEMORY_BANDWIDTH_EFFICIENCY);
  const tflops = precision === 'fp8' && gpu.nativeFp8 ? gpu.fp8DenseTflops : gpu.bf16DenseTflops;
  const computeSeconds = (2 * params.active * batch) / (gpus / input.pipelineParallelSize) / (tflops * 1e12 * COMPUTE_EFFICIENCY);
  const moeLayers = arch.moe ? arch.numLayers - arch.moe.firstDenseLayers : 0;
  // TP all-reduces over PCIe cost more than the NVLink ones inside the fitted constants (./interconnect).
  const link = tensorParallelLinkPenalty({ arch, gpu, tensorParallelSize: input.tensorParallelSize, batch }).seconds;
  const fixed = STEP_LATENCY_SECONDS + (arch.numLayers - moeLayers) * DENSE_LAYER_LATENCY_SECONDS + moeLayers * MOE_LAYER_LATENCY_SECONDS + link;
  return memorySeconds >= computeSeconds ? { seconds: memorySeconds + fixed, bound: 'memory' } : { seconds: computeSeconds + fixed, bound: 'compute' };
}

/**
 * Routed-expert parameters. `active` leaves out the untied embedding lookup (see countParams):
 * total = rest + embedding + routed and active = rest + routed·k/E ⇒ routed = (total − embedding − active)/(1 − k/E).
 */
function routedExpertParams(total: number, active: number, embedding: number, arch: ModelArchitecture): number {
  const moe = arch.moe!;
  const lookup = arch.tieWordEmbeddings ? 0 : embedding;
  return (total - lookup - active) / (1 - moe.expertsPerToken / moe.routedExperts);
}
