/**
 * The attention-strategy interface. Each attention kind (one file in this folder) owns everything
 * sizing needs to know about it: its tensors, the KV it caches per layer (per token and per request)
 * at each KV dtype, how tensor parallelism splits or copies that cache, the block size the engines
 * require and the notes the planner prints. Nothing outside this folder tests which kind a model is.
 */
import type { AttentionKind, Engine, ModelArchitecture, ResolvedKvCacheDtype } from '../../types';
import type { TensorGroup } from '../tensors';
import type { Notice } from '../../notices';

/** Whose KV layout and accounting to follow, and the engine settings that change it. */
export interface KvContext {
  /** KV-cache element type after `auto` is resolved. */
  readonly dtype: ResolvedKvCacheDtype;
  /**
   * Engine whose cache layout is sized (vLLM and SGLang store some layouts differently).
   * @default 'vllm'
   */
  readonly engine?: Engine;
  /**
   * Context the engine is configured for (--max-model-len): bounds sliding-window reservations.
   * @default unbounded
   */
  readonly maxModelLenTokens?: number;
  /**
   * Tokens one engine step may schedule (vLLM --max-num-batched-tokens): vLLM reserves a sliding
   * window plus one step's tokens per request.
   * @default 8192 (vLLM's default for the OpenAI server on ≥ 70 GiB GPUs)
   */
  readonly maxNumBatchedTokens?: number;
}

/** What one decoder layer caches, on one GPU of a TP group. */
export interface LayerKv {
  /** Layer group the engine pools this layer's cache with (e.g. `latent`, `csa`, `hca`, `swa-only`, `kv`). */
  readonly group: string;
  /** Bytes that grow with the sequence: per native token of context. */
  readonly bytesPerToken: number;
  /** Bytes every request holds regardless of its length (sliding windows, compressor state). */
  readonly bytesPerRequest: number;
}

/** Printed notes: how the strategy's numbers were derived, for decisions and warnings. */
export interface AttentionNotes {
  /** Which tensors TP replicates, e.g. `norms/routers/MLA down-projections`. */
  readonly replicatedTensors: string;
  /** How the cache is laid out over TP ranks, for the kvTokenCapacity decision. */
  readonly kvOverTp: string;
  /** Whose accounting the KV numbers follow (engine, layout name, block size). */
  readonly accounting: (ctx: KvContext) => string;
  /**
   * Warning for a llama.cpp (CPU) plan of this kind, given its KV bytes per token.
   * @default none
   */
  readonly llamaCpp?: (arch: ModelArchitecture, bytesPerToken: number) => Notice;
  /** Warning when TP copies the cache instead of splitting it; undefined when it does not. */
  readonly tpWarning: (tp: number) => Notice | undefined;
}

/** One attention kind. Register it in `registry.ts`; nothing else changes. */
export interface AttentionStrategy {
  /** The kind's name in `model.attention`. */
  readonly kind: AttentionKind;
  /** Whether an architecture uses this kind (checked in registry order, first match wins). */
  readonly matches: (arch: ModelArchitecture) => boolean;
  /** Attention tensors of layer `layer` (0-based; indexes past numLayers are draft layers). */
  readonly tensors: (arch: ModelArchitecture, layer: number) => TensorGroup[];
  /** KV of main layer `layer` on one GPU of a TP group of `tp` (tp 1 = one whole copy). */
  readonly layerKv: (arch: ModelArchitecture, layer: number, ctx: KvContext, tp: number) => LayerKv;
  /** Paged-KV block size in tokens the engine uses for this kind. */
  readonly blockSizeTokens: (arch: ModelArchitecture, engine: Engine) => number;
  /**
   * Bytes per batched token the attention keeps alive in vLLM's profile run beyond the MLP's
   * tensors (counted per kind; absent = none beyond the calibrated model).
   * @default none
   */
  readonly activationBytesPerToken?: (arch: ModelArchitecture, tp: number) => number;
  /** Parallel-layout rules the engines enforce for this kind at TP `tp` (empty when fine). */
  readonly layoutProblems: (arch: ModelArchitecture, tp: number) => string[];
  readonly notes: AttentionNotes;
}

/** vLLM's default batched-token budget for the OpenAI server on ≥ 70 GiB GPUs (vllm arg_utils @99d7eb5d). */
export const DEFAULT_MAX_NUM_BATCHED_TOKENS = 8192;

/** Bytes per KV element of a plain (unpacked) cache. */
export const KV_DTYPE_BYTES: Readonly<Record<ResolvedKvCacheDtype, number>> = { bf16: 2, fp16: 2, fp8: 1 };
