import { PlanError } from '../errors';
import type { Engine, ModelArchitecture, Precision, ResolvedKvCacheDtype } from '../types';
import { attentionStrategy, kvOfLayers, type KvContext } from './attention';
import { allToAllBufferBytes, routedExpertBytesPerStage } from './expert-parallel';
import { pipelineStageLayers, weightBytesPerStage } from './weights';

const GiB = 2 ** 30;

/**
 * Memory model of one serving replica, per GPU, as the engines we pin budget it at start-up.
 *
 * vLLM V1 (calibrated on vLLM 0.19.0, H100, see docs/calibration.md):
 *   budget   = visible × gpu_memory_utilization
 *   KV pool  = budget − weights − activation peak − non-torch memory
 * The equation closes exactly on the logs (Llama-3.1-8B TP1: 79.19 × 0.95 = 75.23 GiB =
 * 14.99 weights + 1.89 activation + 0.25 non-torch + 58.11 KV). CUDA graphs are captured after the
 * pool is allocated and come out of the (1 − utilization) slack.
 *
 * SGLang: `--mem-fraction-static` covers weights and the KV pool; activations and CUDA graphs use the
 * rest, so  KV pool = visible × fraction − weights. (SGLang multiplies the fraction by the memory free
 * before loading, about 0.5 GiB under the device total on an H100, so this reads ~0.45 GiB per GPU
 * high; docs/calibration.md shows the rows.)
 *
 * vLLM V0 (`vllmEngineVersion: 'v0'`, for reading pre-V1 logs only; the pinned engine is V1): chunked
 * prefill is off for contexts up to 32K, so the profile run pushes max(max_model_len, 2048) tokens
 * through the model and the activation peak, and with it the KV pool, moves with the context length
 * (vLLM issue #10517: 3.81 GiB of KV at 20,000 tokens, 2.89 GiB at 29,000 on the same GPU).
 *
 * KV per token and per request come from the model's attention strategy (./attention): a kind with a
 * per-request constant (DeepSeek-V4's sliding windows and compressor state) spreads it over the tokens
 * of one max-model-len request, so capacity = pool ÷ (slope + constant ÷ max_model_len), which is how
 * vLLM reports "GPU KV cache size" (max concurrency × max_model_len). The vLLM activation peak scales
 * with --max-num-batched-tokens and adds the strategy's live attention tensors (V4: docs/calibration.md).
 *
 * llama.cpp runs on CPU here and is sized from RAM elsewhere.
 */
export interface EngineMemoryInput {
  /** The model served. */
  readonly arch: ModelArchitecture;
  /** Serving engine; llama.cpp gets no activation or non-torch terms (it is sized from RAM elsewhere). */
  readonly engine: Engine;
  /** Weight precision on the GPU. */
  readonly precision: Precision;
  /** KV-cache element type after `auto` is resolved. */
  readonly kvCacheDtype: ResolvedKvCacheDtype;
  /** GPUs one layer is split over. */
  readonly tensorParallelSize: number;
  /** Pipeline stages the layers are split over (vLLM get_pp_indices). */
  readonly pipelineParallelSize: number;
  /** Memory the GPU shows to CUDA/ROCm, bytes. */
  readonly visibleBytes: number;
  /** vLLM --gpu-memory-utilization or SGLang --mem-fraction-static, a fraction of `visibleBytes`. */
  readonly gpuMemoryUtilization: number;
  /** Sequences the engine is configured for (vLLM --max-num-seqs): sizes the sampler's profile run. */
  readonly maxNumSeqs: number;
  /**
   * vLLM engine generation whose start-up profile to model. Default `v1`: the pinned image (vLLM
   * 0.19, calibrated). `v0` exists to check older logs and needs `maxModelLenTokens`.
   */
  readonly vllmEngineVersion?: VllmEngineVersion;
  /**
   * Context the engine is configured for (vLLM --max-model-len). The V1 pool does not depend on it;
   * it bounds sliding-window reservations and turns a per-request KV constant into tokens.
   */
  readonly maxModelLenTokens?: number;
  /**
   * vLLM --max-num-batched-tokens: the profile run's token budget and each sliding window's extra reservation.
   * @default 8192
   */
  readonly maxNumBatchedTokens?: number;
  /**
   * GPUs the routed experts are sharded over (whole experts per GPU). Up to `tensorParallelSize` the bytes
   * equal TP's split (TP+EP moves whole experts, not their slices); above it (data-parallel attention
   * with EP over N ranks at TP 1) every GPU holds 1/N of the routed experts and all of the rest, and the
   * all-to-all buffers are added (./expert-parallel.ts).
   * @default tensorParallelSize
   */
  readonly expertParallelSize?: number;
  /**
   * How the engine budgets its KV pool (the planner passes `engineTraits(engine).memoryModel` from
   * lib/serving, which sizing may not import). @default the engine's model in {@link MEMORY_MODEL_OF}
   */
  readonly memoryModel?: EngineMemoryModel;
}

/**
 * How an engine's KV pool is budgeted at start-up: vLLM V1 profiles an activation peak and measures
 * non-torch memory; SGLang's static fraction holds weights and KV; llama.cpp uses host RAM. The same
 * table as `engineTraits(engine).memoryModel` (lib/serving/engine-traits.ts; a test keeps them equal).
 */
export type EngineMemoryModel = 'profiled-activation' | 'static-fraction' | 'host-ram';

/** Default memory model per engine, for callers that name only the engine (tests, scripts). */
export const MEMORY_MODEL_OF: Readonly<Record<Engine, EngineMemoryModel>> = { vllm: 'profiled-activation', sglang: 'static-fraction', llamacpp: 'host-ram' };

/** vLLM engine generation: `v1` (the V1 engine, default since vLLM 0.8; the pinned 0.19) or `v0` (0.6.x and earlier). */
export type VllmEngineVersion = 'v1' | 'v0';

/** One replica's memory per GPU, bytes unless named otherwise. */
export interface EngineMemory {
  /** The input's visible memory. */
  readonly visibleBytes: number;
  /** visible × utilization (fraction), rounded down. */
  readonly budgetBytes: number;
  /** Weights on the most loaded GPU. */
  readonly weightsBytesPerGpu: number;
  /** vLLM profile-run activation peak per GPU; 0 for SGLang (outside its static fraction). */
  readonly activationBytes: number;
  /** vLLM non-torch memory per GPU (NCCL/all-reduce buffers); 0 for SGLang. */
  readonly nonTorchBytes: number;
  /** All-to-all dispatch/combine buffers of expert parallelism across ranks (0 without EP beyond TP). */
  readonly allToAllBytes: number;
  /** activation + non-torch + all-to-all: what the engine takes besides weights and KV. */
  readonly overheadBytes: number;
  /** Smallest KV pool over the pipeline stages (the one that limits capacity). */
  readonly kvPoolBytesPerGpu: number;
  /** KV bytes per token on the GPU of the limiting stage. */
  readonly kvBytesPerTokenPerGpu: number;
  /** Largest per-token KV bytes over the stages (for sizing the workload). */
  readonly maxKvBytesPerTokenPerGpu: number;
  /** Largest per-request KV constant over the stages (sliding windows, compressor state; 0 for most kinds). */
  readonly maxKvBytesPerRequestPerGpu: number;
  /** Whose KV layout and accounting the figures follow. */
  readonly kvAccounting: string;
  readonly blockSizeTokens: number;
  /** Tokens the replica can hold: min over stages of whole blocks × block size. */
  readonly kvTokenCapacity: number;
  readonly stages: readonly StageMemory[];
}

/** One pipeline stage, per GPU of that stage. */
export interface StageMemory {
  /** Decoder layers on this stage. */
  readonly layers: number;
  /** Weights per GPU of this stage (embedding on the first, head on the last). */
  readonly weightsBytes: number;
  /** KV bytes per token on one GPU of this stage. */
  readonly kvBytesPerToken: number;
  /** KV bytes every request holds on one GPU of this stage, whatever its length. */
  readonly kvBytesPerRequest: number;
  /** Budget − weights − activation − non-torch on this stage. */
  readonly kvPoolBytes: number;
  /**
   * Whole blocks of this stage's pool × block size. With a per-request constant, each token of a
   * `maxModelLenTokens` request carries its share of the constant (vLLM reports capacity as max
   * concurrency × max_model_len).
   */
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
  /** V0 logs ran at V0's default of 256 sequences; V0 mode never profiles fewer. */
  minSeqs: 256,
  /** vLLM V1's batched-token budget for the OpenAI server on ≥ 70 GiB GPUs (vllm arg_utils @99d7eb5d). */
  batchedTokens: 8192,
} as const;

/** vLLM 0.19.0 non-torch memory: 0.24–0.26 GiB at TP1, 2.06–2.21 GiB per GPU at TP ≥ 2 (NCCL, custom all-reduce), 0.07 GiB at PP-only. */
export const VLLM_NON_TORCH_GIB = { tp1: 0.25, tpMulti: 2.2, ppOnly: 0.07 } as const;

/** Paged KV block size the engine uses for the model's attention kind (its strategy says). */
export function blockSizeTokens(arch: ModelArchitecture, engine: Engine): number {
  return attentionStrategy(arch).blockSizeTokens(arch, engine);
}

/**
 * vLLM V1 activation peak of the profile run on one GPU, bytes (see {@link VLLM_ACTIVATION}). The
 * forward pass scales with the batched-token budget (--max-num-batched-tokens, default 8,192).
 */
export function vllmActivationBytes(arch: ModelArchitecture, maxNumSeqs: number, tp = 1, batchedTokens: number = VLLM_ACTIVATION.batchedTokens): number {
  // The sampler's dummy run uses max_num_seqs sequences (the planner renders --max-num-seqs = concurrency).
  const vocabTerm = (VLLM_ACTIVATION.bytesPerVocabAt1024Seqs * arch.vocabSize * maxNumSeqs) / VLLM_ACTIVATION.profiledSeqs;
  const fitted = vocabTerm + VLLM_ACTIVATION.bytesPerHidden * arch.hiddenSize;
  // With few sequences the forward pass over the batched-token budget becomes the peak: the MLP's
  // live tensors, 6 × (intermediate / TP) + 6 × hidden bytes per token (counted in the V0 model below).
  // At the calibrated 1,024 sequences the fitted term is larger for every row (Llama-3.1-8B: 1.89 vs 0.84 GiB).
  // Attention kinds with more live state per token than a per-head model (V4's logits and mHC streams) add it.
  const attentionExtra = attentionStrategy(arch).activationBytesPerToken?.(arch, tp) ?? 0;
  const forward = batchedTokens * (6 * (mlpWidth(arch) / tp) + 6 * arch.hiddenSize + attentionExtra);
  return Math.round(Math.max(fitted, forward) + moeWorkspaceBytes(arch, tp, batchedTokens));
}

/**
 * Fused-MoE workspace of the profile run: every batched token is dispatched to its top-k experts, and
 * the kernel keeps the gate/up output (2 × expert width ÷ TP) and the down output (hidden) per
 * routed copy, 2 bytes each. Counted from the kernel's buffers, not calibrated: no vLLM 0.19 log of a
 * MoE model is in the calibration set (0 for dense models, so the calibrated rows are unchanged).
 */
export function moeWorkspaceBytes(arch: ModelArchitecture, tp = 1, batchedTokens: number = VLLM_ACTIVATION.batchedTokens): number {
  const moe = arch.moe;
  if (!moe) return 0;
  return batchedTokens * moe.expertsPerToken * ((2 * moe.moeIntermediateSize) / tp + arch.hiddenSize) * 2;
}

/** Widest MLP a token passes through: dense intermediate, or routed top-k plus shared experts. */
function mlpWidth(arch: ModelArchitecture): number {
  const moe = arch.moe;
  return moe ? Math.max(arch.intermediateSize, moe.expertsPerToken * moe.moeIntermediateSize + moe.sharedExpertIntermediateSize) : arch.intermediateSize;
}

/**
 * vLLM V0 scheduler defaults with chunked prefill off (the V0 default up to a 32K context): the batch
 * budget is max(max_model_len, 2048) tokens (vLLM V0 SchedulerConfig:
 * `self.max_num_batched_tokens = max(self.max_model_len, _DEFAULT_MAX_NUM_BATCHED_TOKENS)`), and the
 * profile run fills it with one prefill.
 */
export const VLLM_V0_PROFILE = { minBatchedTokens: 2048 } as const;

/**
 * vLLM V0 activation peak, bytes: the larger of the forward pass over the whole profiled batch and
 * the sampler (which runs after the forward's buffers are freed).
 *
 * Forward: at the MLP of a dense layer the gate/up output (2 × intermediate) and the activated half
 * (intermediate) are alive together with about three hidden-sized tensors (input, residual, output),
 * all 2-byte: 6 × intermediate + 6 × hidden bytes per token. Counted, not fitted (the three hidden-sized
 * tensors are an estimate): for Llama-3.1-8B that is 110,592 B/token, and vLLM issue #10517 shows
 * 17.98 − 14.99 = 2.99 GiB at 29,000 tokens (110,700 B/token). MoE layers use the routed top-k plus shared intermediate width (an estimate, no
 * V0 MoE log was checked). Sampler: the V1 vocabulary term at `maxNumSeqs`.
 */
export function vllmV0ActivationBytes(arch: ModelArchitecture, maxModelLenTokens: number, maxNumSeqs: number): number {
  const tokens = Math.max(maxModelLenTokens, VLLM_V0_PROFILE.minBatchedTokens);
  const forward = tokens * (6 * mlpWidth(arch) + 6 * arch.hiddenSize);
  const seqs = Math.max(VLLM_ACTIVATION.minSeqs, maxNumSeqs);
  const sampler = (VLLM_ACTIVATION.bytesPerVocabAt1024Seqs * arch.vocabSize * seqs) / VLLM_ACTIVATION.profiledSeqs;
  return Math.round(Math.max(forward, sampler));
}

/** vLLM non-torch memory per GPU (NCCL and custom all-reduce buffers under TP), bytes; see {@link VLLM_NON_TORCH_GIB}. */
export function vllmNonTorchBytes(tp: number, pp: number): number {
  if (tp > 1) return Math.round(VLLM_NON_TORCH_GIB.tpMulti * GiB);
  return Math.round((pp > 1 ? VLLM_NON_TORCH_GIB.ppOnly : VLLM_NON_TORCH_GIB.tp1) * GiB);
}

function activationFor(input: EngineMemoryInput): number {
  if ((input.vllmEngineVersion ?? 'v1') === 'v1') return vllmActivationBytes(input.arch, input.maxNumSeqs, input.tensorParallelSize, input.maxNumBatchedTokens);
  const len = input.maxModelLenTokens;
  if (len === undefined || !Number.isInteger(len) || len <= 0) {
    throw PlanError.single('maxModelLenTokens', `must be a positive integer for vllmEngineVersion v0 (V0 profiles at the context length), got ${String(len)}`);
  }
  return vllmV0ActivationBytes(input.arch, len, input.maxNumSeqs);
}

/**
 * Weights per GPU of each stage when the routed experts are sharded `ep` ways: TP's split, with the
 * routed experts' TP share (bytes ÷ tp) replaced by their EP share (bytes ÷ ep). Equal to TP's split at ep = tp.
 */
function expertShardedWeights(arch: ModelArchitecture, precision: Precision, tp: number, pp: number, ep: number): readonly number[] {
  const base = weightBytesPerStage(arch, precision, tp, pp);
  if (ep === tp || !arch.moe) return base;
  const routed = routedExpertBytesPerStage(arch, precision, pp);
  return base.map((b, i) => Math.ceil(b - routed[i] / tp + routed[i] / ep));
}

/**
 * Budget the engine allocates from and how it splits, per GPU, for every pipeline stage.
 * Every stage is given the same activation and non-torch figure (the last stage's sampler peak), so
 * the first stage's pool reads low; capacity is taken from the limiting stage, as vLLM does.
 */
export function engineMemory(input: EngineMemoryInput): EngineMemory {
  const { arch, engine, tensorParallelSize: tp, pipelineParallelSize: pp } = input;
  const budgetBytes = Math.floor(input.visibleBytes * input.gpuMemoryUtilization);
  const profiled = (input.memoryModel ?? MEMORY_MODEL_OF[engine]) === 'profiled-activation';
  const activationBytes = profiled ? activationFor(input) : 0;
  // An EP group over several GPUs holds NCCL communicators like TP ≥ 2 does.
  const nonTorchBytes = profiled ? vllmNonTorchBytes(Math.max(tp, input.expertParallelSize ?? tp), pp) : 0;
  const block = blockSizeTokens(arch, engine);
  const ep = input.expertParallelSize ?? tp;
  const weights = expertShardedWeights(arch, input.precision, tp, pp, ep);
  const allToAllBytes = ep > tp ? allToAllBufferBytes(arch, ep) : 0;
  const layers = pipelineStageLayers(arch.numLayers, pp);
  const ctx: KvContext = { dtype: input.kvCacheDtype, engine, maxModelLenTokens: input.maxModelLenTokens, maxNumBatchedTokens: input.maxNumBatchedTokens };
  let first = 0;
  const stages: StageMemory[] = layers.map((n, i) => {
    const kv = kvOfLayers(arch, ctx, tp, first, n);
    first += n;
    const kvPoolBytes = budgetBytes - weights[i] - activationBytes - nonTorchBytes - allToAllBytes;
    // A per-request constant is spread over the tokens of one max-model-len request.
    const len = input.maxModelLenTokens;
    if (kv.bytesPerRequest > 0 && (len === undefined || len <= 0)) {
      throw PlanError.single('maxModelLenTokens', `must be a positive integer for ${arch.id}, whose KV has a per-request part (${kv.bytesPerRequest} B), got ${String(len)}`);
    }
    const perToken = kv.bytesPerRequest > 0 ? kv.bytesPerToken + kv.bytesPerRequest / len! : kv.bytesPerToken;
    const blocks = kvPoolBytes > 0 ? Math.floor(kvPoolBytes / (perToken * block)) : 0;
    return { layers: n, weightsBytes: weights[i], kvBytesPerToken: kv.bytesPerToken, kvBytesPerRequest: kv.bytesPerRequest, kvPoolBytes, kvTokenCapacity: blocks * block };
  });
  const limiting = stages.reduce((a, b) => (b.kvTokenCapacity < a.kvTokenCapacity ? b : a));
  return {
    visibleBytes: input.visibleBytes,
    budgetBytes,
    weightsBytesPerGpu: Math.max(...weights),
    activationBytes,
    nonTorchBytes,
    allToAllBytes,
    overheadBytes: activationBytes + nonTorchBytes + allToAllBytes,
    kvPoolBytesPerGpu: Math.min(...stages.map((s) => s.kvPoolBytes)),
    kvBytesPerTokenPerGpu: limiting.kvBytesPerToken,
    maxKvBytesPerTokenPerGpu: Math.max(...stages.map((s) => s.kvBytesPerToken)),
    maxKvBytesPerRequestPerGpu: Math.max(...stages.map((s) => s.kvBytesPerRequest)),
    kvAccounting: attentionStrategy(arch).notes.accounting(ctx),
    blockSizeTokens: block,
    kvTokenCapacity: limiting.kvTokenCapacity,
    stages,
  };
}
