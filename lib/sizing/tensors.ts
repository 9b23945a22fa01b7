import type { ModelArchitecture } from '../types';
import { attentionStrategy } from './attention/registry';
import { matrix, norm, vector } from './attention/tensor-helpers';

/**
 * How a tensor is laid out across tensor-parallel ranks, as vLLM and SGLang shard it:
 * column/row-parallel linears, vocab-parallel embedding and LM head, and fused-MoE experts are split
 * by TP; norms, routers and MLA's low-rank down-projections (q_a_proj, kv_a_proj_with_mqa,
 * ReplicatedLinear in vLLM's deepseek_v2.py) are copied on every rank.
 */
export type Sharding = 'split' | 'replicated';

/** Which group a tensor belongs to: decides its bytes at each precision and whether it is active per token. */
export type TensorRole =
  | 'embedding'
  | 'lm-head'
  | 'norm'
  | 'attention' // attention projections: quantized with the linear weights
  | 'attention-bias'
  | 'dense-mlp'
  | 'routed-expert' // all routed experts of a layer (only top-k are active per token)
  | 'shared-expert'
  | 'router' // gate weights, correction bias, shared-expert gate, mHC mixing: kept 16/32-bit
  | 'engram'; // V4.1 Engram n-gram memory tables: row lookups, released in FP8

/** A family of identical 2-D (or 1-D) tensors inside one layer, or a model-level tensor. */
export interface TensorGroup {
  readonly name: string;
  readonly role: TensorRole;
  /** Output rows (out_features). 1-D tensors have rows = 1. */
  readonly rows: number;
  /** Input columns (in_features), or the length of a 1-D tensor. */
  readonly cols: number;
  /** Identical copies in this group (experts × 3 matrices, …). */
  readonly count: number;
  readonly sharding: Sharding;
  /** A linear weight matrix that weight quantization applies to. */
  readonly quantizable: boolean;
}

/** Tensors of one decoder layer (index `layer`, 0-based), MoE or dense as the config says; attention from its strategy. */
export function layerTensors(arch: ModelArchitecture, layer: number): TensorGroup[] {
  // Architectures are immutable and the planner asks for the same layers once per candidate: memoize per
  // architecture object (a copy of the array, so no caller can change the cached inventory).
  let layers = LAYER_CACHE.get(arch);
  if (!layers) LAYER_CACHE.set(arch, (layers = []));
  const cached = (layers[layer] ??= [...attentionStrategy(arch).tensors(arch, layer), ...mlpTensors(arch, layer), norm('input_layernorm', arch.hiddenSize), norm('post_attention_layernorm', arch.hiddenSize)]);
  return [...cached];
}

const LAYER_CACHE = new WeakMap<ModelArchitecture, TensorGroup[][]>();

/** True when `layer` uses experts: DeepSeek's rule `layer >= first_k_dense_replace && layer % moe_layer_freq == 0`. */
export function isMoeLayer(arch: ModelArchitecture, layer: number): boolean {
  const moe = arch.moe;
  if (!moe) return false;
  return layer >= moe.firstDenseLayers && layer % moe.layerFrequency === 0;
}

/**
 * Embedding (first pipeline stage), final norm and LM head (last stage). A head tied to the
 * embedding adds no parameters, but when the last stage is a different GPU than the first the
 * engines load the shared matrix there as well (vLLM's ParallelLMHead on the last PP rank), so
 * `lastStageIsSeparate` adds it back for memory accounting.
 */
export function modelEdgeTensors(arch: ModelArchitecture, lastStageIsSeparate = false): { first: TensorGroup[]; last: TensorGroup[] } {
  const embed = matrix('embed_tokens', 'embedding', arch.vocabSize, arch.hiddenSize, 1, 'split', false);
  const last: TensorGroup[] = [norm('norm', arch.hiddenSize)];
  if (!arch.tieWordEmbeddings || lastStageIsSeparate) {
    last.push(matrix('lm_head', 'lm-head', arch.vocabSize, arch.hiddenSize, 1, 'split', false));
  }
  return { first: [embed], last };
}

/**
 * Tensors of one draft layer as stored in the checkpoint: a full MoE decoder layer (indexed after the
 * main layers), enorm/hnorm, the projection that joins the embedding and the hidden state (V3
 * eh_proj 2H → H; V4 e_proj + h_proj, the same count), its final norm, and, when the layout stores
 * them, its own copies of embedding and head (DeepSeek-V3 README_WEIGHTS: "MTP modules ... 11.5B
 * unique parameters, excluding the shared Embedding and output Head"; the checkpoint still stores
 * copies of both. V4's index has no mtp embed/head tensors).
 */
export function mtpTensors(arch: ModelArchitecture): { unique: TensorGroup[]; sharedCopies: TensorGroup[] } {
  const h = arch.hiddenSize;
  const lastLayer = arch.numLayers; // the MTP layer is indexed after the main layers, so it is MoE
  const copies = arch.speculativeDraft?.storesEmbeddingCopies ?? true;
  return {
    unique: [
      ...layerTensors(arch, lastLayer),
      norm('enorm', h),
      norm('hnorm', h),
      matrix('eh_proj', 'attention', h, 2 * h, 1, 'replicated', true),
      norm('shared_head.norm', h),
    ],
    sharedCopies: copies
      ? [
          matrix('embed_tokens', 'embedding', arch.vocabSize, h, 1, 'split', false),
          matrix('shared_head.head', 'lm-head', arch.vocabSize, h, 1, 'split', false),
        ]
      : [],
  };
}

function mlpTensors(arch: ModelArchitecture, layer: number): TensorGroup[] {
  const h = arch.hiddenSize;
  const moe = arch.moe;
  if (!moe || !isMoeLayer(arch, layer)) return swiglu('mlp', 'dense-mlp', h, arch.intermediateSize, 1);
  // Draft layers (indexed past the main layers) may carry fewer experts (V4.1 DSpark: 128 of 384).
  const experts = layer >= arch.numLayers ? (moe.draftRoutedExperts ?? moe.routedExperts) : moe.routedExperts;
  const out: TensorGroup[] = [
    ...swiglu('experts', 'routed-expert', h, moe.moeIntermediateSize, experts),
    matrix('gate', 'router', experts, h, 1, 'replicated', false),
  ];
  const hashRouted = layer < (moe.hashRoutedLayers ?? 0);
  // V4 hash-routed layers look experts up by token id (tid2eid, vocab × top-k) instead of a score-correction bias.
  if (hashRouted) out.push(matrix('gate.tid2eid', 'router', arch.vocabSize, moe.expertsPerToken, 1, 'replicated', false));
  else if (moe.routerBias) out.push(vector('gate.e_score_correction_bias', 'router', experts, 'replicated'));
  if (moe.sharedExperts > 0 && moe.sharedExpertIntermediateSize > 0) {
    out.push(...swiglu('shared_experts', 'shared-expert', h, moe.sharedExpertIntermediateSize, 1));
  }
  if (moe.sharedExpertGate) out.push(matrix('shared_expert_gate', 'router', 1, h, 1, 'replicated', false));
  return out;
}

/** gate_proj and up_proj (I × H) and down_proj (H × I), `count` times. */
function swiglu(name: string, role: TensorRole, hidden: number, inter: number, count: number): TensorGroup[] {
  return [
    matrix(`${name}.gate_up_proj`, role, inter, hidden, 2 * count, 'split', true),
    matrix(`${name}.down_proj`, role, hidden, inter, count, 'split', true),
  ];
}




/**
 * V4.1 Engram memory tables (one per engram layer, engram_num_embeddings rows × engram_head_dim).
 * They are looked up, not multiplied, so they are counted apart from the backbone (`memoryParams`)
 * and split over TP like a vocabulary-parallel embedding.
 */
export function engramTensors(arch: ModelArchitecture): TensorGroup[] {
  const e = arch.engram;
  if (!e) return [];
  return e.layerIds.map((layer, i) => matrix(`layers.${layer}.engram.table`, 'engram', e.numEmbeddings[i], e.headDim, 1, 'split', true));
}

/** Parameters in a group. */
export function groupParams(g: TensorGroup): number {
  return g.rows * g.cols * g.count;
}
