import type { Engine, ModelArchitecture, Precision, ResolvedKvCacheDtype } from '../types';
import { kvBytesPerTokenPerLayer } from './kv-cache';
import { pipelineStageLayers, weightBytesPerStage } from './weights';

const GiB = 2 ** 30;

/**
 * Memory model of one serving replica, per GPU, as the engines we pin budget it at start-up.
 *
 * vLLM V1 (calibrated on vLLM 0.19.0, H100, see ../shared/reference/measured-memory-calibration.md):
 *   budget   = visible × gpu_memory_utilization
 *   KV pool  = budget − weights − activation peak − non-torch memory
 * The equation closes exactly on the logs (Llama-3.1-8B TP1: 79.19 × 0.95 = 75.23 GiB =
 * 14.99 weights + 1.89 activation + 0.25 non-torch + 58.11 KV). CUDA graphs are captured after the
 * pool is allocated and come out of the (1 − utilization) slack.
 *
 * SGLang: `--mem-fraction-static` covers weights and the KV pool; activations and CUDA graphs use the
 * rest, so  KV pool = visible × fraction − weights.
 *
 * llama.cpp runs on CPU here and is sized from RAM elsewhere.
 */
export interface EngineMemoryInput {
  readonly arch: ModelArchitecture;
  readonly engine: Engine;
  readonly precision: Precision;
  readonly kvCacheDtype: ResolvedKvCacheDtype;
  readonly tensorParallelSize: number;
  readonly pipelineParallelSize: number;
  /** Memory the GPU shows to CUDA/ROCm, bytes. */
  readonly visibleBytes: number;
  readonly gpuMemoryUtilization: number;
  /** Sequences the engine is configured for (vLLM --max-num-seqs): sizes the sampler's profile run. */
  readonly maxNumSeqs: number;
}

export interface EngineMemory {
  readonly visibleBytes: number;
  readonly budgetBytes: number;
  /** Weights on the most loaded GPU. */
  readonly weightsBytesPerGpu: number;
  readonly activationBytes: number;
  readonly nonTorchBytes: number;
  /** activation + non-torch: what the engine takes besides weights and KV. */
  readonly overheadBytes: number;
  /** Smallest KV pool over the pipeline stages (the one that limits capacity). */
  readonly kvPoolBytesPerGpu: number;
  /** KV bytes per token on the GPU of the limiting stage. */
  readonly kvBytesPerTokenPerGpu: number;
  /** Largest per-token KV bytes over the stages (for sizing the workload). */
  readonly maxKvBytesPerTokenPerGpu: number;
  readonly blockSizeTokens: number;
  /** Tokens the replica can hold: min over stages of whole blocks × block size. */
  readonly kvTokenCapacity: number;
  readonly stages: readonly StageMemory[];
}

export interface StageMemory {
  readonly layers: number;
  readonly weightsBytes: number;
  readonly kvBytesPerToken: number;
  readonly kvPoolBytes: number;
  readonly kvTokenCapacity: number;
}

/**
 * Activation peak of vLLM V1's profile run. Fitted on the vLLM 0.19.0 H100 sweep (5 models, TP 1–4):
 * it does not depend on TP or context, and grows with vocabulary (sampler logits for max_num_seqs
 * sequences, fp32) and hidden size (8,192 batched tokens):
 *   Llama-3.1-8B 1.89, Qwen2.5-7B 2.21, Llama-3.3-70B 1.96, Qwen2.5-72B 2.29 GiB (all reproduced
 *   within 0.02 GiB by 15,236 B × vocab + 18,350 B × hidden at 1,024 sequences).
 * The vocabulary term scales with the configured sequences; the hidden term with batched tokens.
 */
export const VLLM_ACTIVATION = {
  bytesPerVocabAt1024Seqs: 15_236,
  bytesPerHidden: 18_350,
  profiledSeqs: 1024,
  /** vLLM's own floor: the sampler is profiled with at least this many sequences. */
  minSeqs: 256,
} as const;

/** vLLM 0.19.0 non-torch memory: 0.24–0.26 GiB at TP1, 2.06–2.21 GiB per GPU at TP ≥ 2 (NCCL, custom all-reduce), 0.07 GiB at PP-only. */
export const VLLM_NON_TORCH_GIB = { tp1: 0.25, tpMulti: 2.2, ppOnly: 0.07 } as const;

/** vLLM paged KV block size: 16 tokens by default; MLA backends (FlashMLA/CUTLASS MLA) use 64. */
export function blockSizeTokens(arch: ModelArchitecture, engine: Engine): number {
  if (engine === 'sglang') return 1; // SGLang's token-level pool (page size 1 by default)
  return arch.mla ? 64 : 16;
}

export function vllmActivationBytes(arch: ModelArchitecture, maxNumSeqs: number): number {
  const seqs = Math.max(VLLM_ACTIVATION.minSeqs, maxNumSeqs);
  const vocabTerm = (VLLM_ACTIVATION.bytesPerVocabAt1024Seqs * arch.vocabSize * seqs) / VLLM_ACTIVATION.profiledSeqs;
  return Math.round(vocabTerm + VLLM_ACTIVATION.bytesPerHidden * arch.hiddenSize);
}

export function vllmNonTorchBytes(tp: number, pp: number): number {
  if (tp > 1) return Math.round(VLLM_NON_TORCH_GIB.tpMulti * GiB);
  return Math.round((pp > 1 ? VLLM_NON_TORCH_GIB.ppOnly : VLLM_NON_TORCH_GIB.tp1) * GiB);
}

/** Budget the engine allocates from and how it splits, per GPU, for every pipeline stage. */
export function engineMemory(input: EngineMemoryInput): EngineMemory {
  const { arch, engine, tensorParallelSize: tp, pipelineParallelSize: pp } = input;
  const budgetBytes = Math.floor(input.visibleBytes * input.gpuMemoryUtilization);
  const activationBytes = engine === 'vllm' ? vllmActivationBytes(arch, input.maxNumSeqs) : 0;
  const nonTorchBytes = engine === 'vllm' ? vllmNonTorchBytes(tp, pp) : 0;
  const block = blockSizeTokens(arch, engine);
  const weights = weightBytesPerStage(arch, input.precision, tp, pp);
  const layers = pipelineStageLayers(arch.numLayers, pp);
  const perLayer = kvBytesPerTokenPerLayer(arch, input.kvCacheDtype, tp);
  const stages: StageMemory[] = layers.map((n, i) => {
    const kvBytesPerToken = n * perLayer;
    const kvPoolBytes = budgetBytes - weights[i] - activationBytes - nonTorchBytes;
    const blocks = kvPoolBytes > 0 ? Math.floor(kvPoolBytes / (kvBytesPerToken * block)) : 0;
    return { layers: n, weightsBytes: weights[i], kvBytesPerToken, kvPoolBytes, kvTokenCapacity: blocks * block };
  });
  const limiting = stages.reduce((a, b) => (b.kvTokenCapacity < a.kvTokenCapacity ? b : a));
  return {
    visibleBytes: input.visibleBytes,
    budgetBytes,
    weightsBytesPerGpu: Math.max(...weights),
    activationBytes,
    nonTorchBytes,
    overheadBytes: activationBytes + nonTorchBytes,
    kvPoolBytesPerGpu: Math.min(...stages.map((s) => s.kvPoolBytes)),
    kvBytesPerTokenPerGpu: limiting.kvBytesPerToken,
    maxKvBytesPerTokenPerGpu: Math.max(...stages.map((s) => s.kvBytesPerToken)),
    blockSizeTokens: block,
    kvTokenCapacity: limiting.kvTokenCapacity,
    stages,
  };
}
