/**
 * Expert parallelism (EP) sizing: routed experts sharded over an EP group, and the all-to-all buffers
 * that dispatch tokens to them.
 *
 * Data-parallel attention with EP (vLLM `--data-parallel-size N --enable-expert-parallel`, SGLang
 * `--tp N --dp N --enable-dp-attention`) runs attention TP 1 on every rank: attention, dense MLPs, shared
 * experts, embeddings and the head are replicated per DP rank, the routed experts are split whole over
 * the N ranks, and every rank keeps its own KV pool (docs/engines-2026.md §8).
 */
import type { ModelArchitecture, Precision } from '../types';
import { layerTensors } from './tensors';
import { pipelineStageLayers, tensorBytes } from './weights';
import { memoPerArchitecture } from './memo';

/**
 * Tokens one rank may dispatch per all-to-all step: DeepEP's low-latency buffers are sized for this many
 * (SGLang `SGLANG_DEEPEP_NUM_MAX_DISPATCH_TOKENS_PER_RANK = EnvInt(128)`, sgl-project/sglang
 * python/sglang/srt/environ.py).
 */
export const DEEPEP_MAX_DISPATCH_TOKENS_PER_RANK = 128;

/** Bytes of the routed experts on each pipeline stage (whole model when pp = 1), at `precision`. */
export const routedExpertBytesPerStage: (arch: ModelArchitecture, precision: Precision, pp: number) => readonly number[] = memoPerArchitecture(routedExpertBytesPerStageOnce);

function routedExpertBytesPerStageOnce(arch: ModelArchitecture, precision: Precision, pp: number): number[] {
  const split = pipelineStageLayers(arch.numLayers, pp);
  const out: number[] = [];
  let layer = 0;
  for (let stage = 0; stage < pp; stage++) {
    let bytes = 0;
    for (let i = 0; i < split[stage]; i++, layer++) {
      for (const g of layerTensors(arch, layer)) if (g.role === 'routed-expert') bytes += tensorBytes(g, precision, arch);
    }
    out.push(bytes);
  }
  return out;
}

/**
 * All-to-all buffer per GPU, bytes, derived from DeepEP's low-latency layout (deepseek-ai/DeepEP
 * `csrc/config.hpp` LowLatencyLayout; `Buffer.get_low_latency_rdma_size_hint(num_max_dispatch_tokens_per_rank,
 * hidden, num_ranks, num_experts)`, "the size calculation will be done with BF16"): a send buffer for the
 * rank's own tokens and a receive buffer with a slot per expert for every dispatched token, each message a
 * BF16 hidden vector plus a 16-byte header, double-buffered (dispatch and combine alternate).
 *   2 × (T + experts × T) × (2 × hidden + 16)
 * V3/R1 (hidden 7168, 256 experts, T = 128): 2 × 32,896 × 14,352 = 944,246,784 B (0.88 GiB). Counted as
 * a conservative bound for every EP launch (vLLM's single-node default all-to-all, all-gather +
 * reduce-scatter, needs less); 0 without MoE or without EP.
 */
export function allToAllBufferBytes(arch: ModelArchitecture, expertParallelSize: number): number {
  const moe = arch.moe;
  if (!moe || expertParallelSize <= 1) return 0;
  const t = DEEPEP_MAX_DISPATCH_TOKENS_PER_RANK;
  return 2 * (t + moe.routedExperts * t) * (2 * arch.hiddenSize + 16);
}
