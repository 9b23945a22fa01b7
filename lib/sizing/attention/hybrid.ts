/**
 * DeepSeek-V4 / V4.1 hybrid compressed attention. One 512-wide KV head (K = V) per layer; every
 * layer attends to a 128-token sliding window, and `compress_ratios[layer]` adds a compressed global
 * cache: 4 = CSA (a learned compressor pools 4 tokens into one entry, with a lightning indexer that
 * picks the top-k entries), 128 = HCA (128 tokens per entry, read densely), 0 = window only. V4.1
 * computes the compressed KV in `kv_source_layer_ids` only (the other layers read it) and adds
 * ratios 1 and 2. Sources: vLLM blog 2026-04-24 (V4), vLLM `vllm/v1/attention/backends/mla/sparse_swa.py`
 * (DeepseekV4SWACache: 584-byte entries, pages aligned to 576 B), docs/deepseek-2026-models.md §3.
 */
import type { Engine, ModelArchitecture } from '../../types';
import type { TensorGroup } from '../tensors';
import { notice } from '../../notices';
import { indexerKeyBytes, indexerTensors } from './dsa';
import { matrix, norm, vector } from './tensor-helpers';
import { DEFAULT_MAX_NUM_BATCHED_TOKENS, type AttentionStrategy, type KvContext, type LayerKv } from './types';

/** vLLM requires block size 256 (native tokens) for V4 (vLLM DeepSeek-V4 recipe: `--block-size 256`). */
export const HYBRID_BLOCK_TOKENS = 256;
/** vLLM's sliding-window cache pages 64 entries (DeepseekV4SWACache `self.block_size = 64`). */
export const SWA_BLOCK_TOKENS = 64;
/** vLLM pads every fp8 page to a multiple of 576 B (`alignment=576 if uses_fp8_ds_mla_layout`). */
export const PAGE_ALIGNMENT_BYTES = 576;
/** CSA compresses 4 tokens per entry with overlapping windows (two groups' worth of state). */
const CSA_RATIO = 4;
/** The compressor keeps its rolling kv and score rows in float32. */
const STATE_ELEMENT_BYTES = 4;

const hc = (arch: ModelArchitecture) => arch.hybridAttention!;

/** Compression ratio of layer `layer`; draft layers (past numLayers) are window-only. */
export function compressRatio(arch: ModelArchitecture, layer: number): number {
  return layer < arch.numLayers ? hc(arch).compressRatios[layer] : 0;
}

/** Whether the layer computes and caches compressed KV (V4.1: only kv_source_layer_ids). */
function storesCompressedKv(arch: ModelArchitecture, layer: number): boolean {
  const r = compressRatio(arch, layer);
  const sources = hc(arch).kvSourceLayerIds;
  return r > 0 && (sources === undefined || sources.includes(layer));
}

/** Whether the layer runs a lightning indexer: CSA layers in V4, index_source_layer_ids in V4.1. */
function hasIndexer(arch: ModelArchitecture, layer: number): boolean {
  if (arch.sparseIndexer === undefined || layer >= arch.numLayers) return false;
  const sources = hc(arch).indexSourceLayerIds;
  return sources !== undefined ? sources.includes(layer) : compressRatio(arch, layer) === CSA_RATIO;
}

/**
 * Whether the layer caches indexer keys. The keys are pooled with the compressed KV, so only an
 * indexer layer that also computes compressed KV owns them (V4.1: 8 indexers, keys on the 4 KV
 * sources — its checkpoint has indexer.wk on layers 2, 8, 14, 20 only).
 */
function storesIndexerKeys(arch: ModelArchitecture, layer: number): boolean {
  return hasIndexer(arch, layer) && storesCompressedKv(arch, layer);
}

/**
 * Compressor of head width `d` at ratio `r`: wkv and wgate project the hidden state to (1 + overlap)
 * × d, `ape` is a learned position bias per slot, and a norm (DeepSeek-V4 inference `Compressor`;
 * overlap = ratio 4).
 */
function compressorTensors(name: string, arch: ModelArchitecture, d: number, r: number): TensorGroup[] {
  const width = (r === CSA_RATIO ? 2 : 1) * d;
  const out = [matrix(`${name}.wkv`, 'attention', width, arch.hiddenSize, 1, 'replicated', true), norm(`${name}.norm`, d)];
  // Ratio 1 (V4.1) is a plain projection: no softmax gate, no position bias over a group.
  if (r > 1) out.push(matrix(`${name}.wgate`, 'attention', width, arch.hiddenSize, 1, 'replicated', true), vector(`${name}.ape`, 'router', r * width, 'replicated'));
  return out;
}

/**
 * Manifold-constrained hyper-connections around the attention and the MLP of every layer: a mixing
 * function over hc_mult residual streams ((2 + hc) × hc outputs from hc × hidden inputs), its base
 * and three scales, kept in float32 (DeepSeek-V4 inference `Block`: hc_attn_fn/base/scale, hc_ffn_*).
 */
function hyperConnectionTensors(arch: ModelArchitecture): TensorGroup[] {
  const n = hc(arch).residualStreams;
  if (n <= 1) return [];
  const mix = (2 + n) * n;
  return ['hc_attn', 'hc_ffn'].flatMap((p) => [
    matrix(`${p}_fn`, 'router', mix, n * arch.hiddenSize, 1, 'replicated', false),
    vector(`${p}_base`, 'router', mix, 'replicated'),
    vector(`${p}_scale`, 'router', 3, 'replicated'),
  ]);
}

/**
 * One layer: q LoRA (wq_a replicated, wq_b split by heads), the single KV head (wkv, replicated),
 * per-head attention sinks, the grouped low-rank output (wo_a: o_groups blocks of o_lora_rank ×
 * heads·head_dim/o_groups, split by groups; wo_b split by rows), then compressor/indexer where the
 * layer has them, and mHC (vLLM `DeepseekV4Attention`: fused_wqa_wkv ReplicatedLinear, wq_b/wo_a
 * ColumnParallel, wo_b RowParallel).
 */
function tensors(arch: ModelArchitecture, layer: number): TensorGroup[] {
  const a = hc(arch);
  const h = arch.hiddenSize;
  const heads = arch.numAttentionHeads;
  const out: TensorGroup[] = [
    matrix('wq_a', 'attention', a.qLoraRank, h, 1, 'replicated', true),
    norm('q_norm', a.qLoraRank),
    matrix('wq_b', 'attention', heads * a.headDim, a.qLoraRank, 1, 'split', true),
    matrix('wkv', 'attention', a.headDim, h, 1, 'replicated', true),
    norm('kv_norm', a.headDim),
    vector('attn_sink', 'router', heads, 'split'),
    matrix('wo_a', 'attention', a.oGroups * a.oLoraRank, (heads * a.headDim) / a.oGroups, 1, 'split', true),
    matrix('wo_b', 'attention', h, a.oGroups * a.oLoraRank, 1, 'split', true),
  ];
  const r = compressRatio(arch, layer);
  if (storesCompressedKv(arch, layer)) out.push(...compressorTensors('compressor', arch, a.headDim, r));
  if (hasIndexer(arch, layer)) {
    const ix = arch.sparseIndexer!;
    // Queries from the q latent and per-head weights on every indexer layer.
    out.push(...indexerTensors(arch, a.qLoraRank).filter((t) => t.name === 'indexer.wq_b' || t.name === 'indexer.weights_proj'));
    if (a.kvSourceLayerIds === undefined) {
      // V4: the indexer pools its own keys with a compressor of index_head_dim.
      out.push(...compressorTensors('indexer.compressor', arch, ix.headDim, r));
    } else if (storesIndexerKeys(arch, layer)) {
      // V4.1: keys projected from the compressed KV latent (indexer.wk, k_norm) on the KV sources only.
      out.push(matrix('indexer.wk', 'attention', ix.headDim, a.headDim, 1, 'replicated', true), norm('indexer.k_norm', ix.headDim));
    }
  }
  out.push(...hyperConnectionTensors(arch));
  return out;
}

/**
 * Bytes of one cached entry. fp8: the 448 NoPE values in fp8, the 64 RoPE values in bf16, one ue8m0
 * scale per 64 NoPE values and one pad byte: 448 + 128 + 7 + 1 = 584 B (FlashMLA `tests/quant.py`,
 * vLLM `return (num_blocks, block_size, 584)`). 16-bit: head_dim × 2 = 1,024 B.
 */
export function entryBytes(arch: ModelArchitecture, dtype: KvContext['dtype']): number {
  const a = hc(arch);
  if (dtype !== 'fp8') return a.headDim * 2;
  const nope = a.headDim - a.qkRopeHeadDim;
  return nope + a.qkRopeHeadDim * 2 + Math.ceil(nope / 64) + 1;
}

/** A page of `entries` entries of `bytes` each, padded as vLLM pads fp8 pages (to 576 B). */
function pageBytes(entries: number, bytes: number, dtype: KvContext['dtype']): number {
  const raw = entries * bytes;
  return dtype === 'fp8' ? Math.ceil(raw / PAGE_ALIGNMENT_BYTES) * PAGE_ALIGNMENT_BYTES : raw;
}

/**
 * Rows vLLM reserves per request for a sliding-window cache of `window` rows: the window plus one
 * step's batched tokens, in whole pages, plus one page (SlidingWindowSpec.max_memory_usage_bytes:
 * `cdiv(min(window - 1 + max_num_batched_tokens, max_model_len), block) + 1` pages). Other engines keep the window.
 */
function windowRows(window: number, ctx: KvContext): number {
  if ((ctx.engine ?? 'vllm') !== 'vllm') return window;
  const batched = ctx.maxNumBatchedTokens ?? DEFAULT_MAX_NUM_BATCHED_TOKENS;
  const tokens = Math.min(window - 1 + batched, ctx.maxModelLenTokens ?? Infinity);
  return (Math.ceil(tokens / SWA_BLOCK_TOKENS) + 1) * SWA_BLOCK_TOKENS;
}

/**
 * One layer's cache, the same on every TP rank (one KV head: replicated).
 * Slope: the compressed entries (one per `ratio` tokens) and, on indexer layers, one 132-byte key per
 * entry, in 256-token blocks whose pages are padded to 576 B: for a CSA layer 64 × 584 = 37,376 →
 * 37,440 B and 64 × 132 = 8,448 → 8,640 B per 256 tokens; for HCA 2 × 584 = 1,168 → 1,728 B.
 * Per request: the 128-token window of raw entries on every layer, and the compressor's float32
 * kv + score rows (window 2 × ratio for CSA, ratio for HCA; the indexer's compressor likewise).
 */
function layerKv(arch: ModelArchitecture, layer: number, ctx: KvContext): LayerKv {
  const a = hc(arch);
  const r = compressRatio(arch, layer);
  const entry = entryBytes(arch, ctx.dtype);
  let perBlock = 0;
  let perRequest = pageBytes(windowRows(a.slidingWindowTokens, ctx), entry, ctx.dtype);
  const compressed = storesCompressedKv(arch, layer);
  const indexed = storesIndexerKeys(arch, layer);
  // A pooling compressor (ratio > 1) keeps float32 kv + score rows of the group being filled.
  const state = (d: number) => {
    const overlap = r === CSA_RATIO ? 2 : 1;
    return r > 1 ? windowRows(overlap * r, ctx) * 2 * overlap * d * STATE_ELEMENT_BYTES : 0;
  };
  if (compressed) {
    perBlock += pageBytes(HYBRID_BLOCK_TOKENS / r, entry, ctx.dtype);
    perRequest += state(a.headDim);
  }
  if (indexed) {
    perBlock += pageBytes(HYBRID_BLOCK_TOKENS / r, indexerKeyBytes(arch), ctx.dtype);
    // V4's indexer pools its keys with its own compressor; V4.1 derives them from the KV latent.
    if (a.kvSourceLayerIds === undefined) perRequest += state(arch.sparseIndexer!.headDim);
  }
  const group = !compressed ? (r === 0 ? 'swa-only' : 'kv-reader') : r === CSA_RATIO ? 'csa' : r === 128 ? 'hca' : `ratio-${r}`;
  return { group: indexed && group !== 'csa' ? `${group}+indexer` : group, bytesPerToken: perBlock / HYBRID_BLOCK_TOKENS, bytesPerRequest: perRequest };
}

/** vLLM requires 256-token blocks for V4; SGLang's pool is taken at page size 1 (its V4 paging is not modelled). */
function blockSizeTokens(_arch: ModelArchitecture, engine: Engine): number {
  return engine === 'sglang' ? 1 : HYBRID_BLOCK_TOKENS;
}

/**
 * Live tensors per batched token in vLLM's profile run that a per-head model does not have, counted
 * (not fitted): the queries (heads × head_dim, bf16), the sparse-attention logits over the top-k
 * compressed entries and the window (heads × (index_topk + sliding_window), fp32), the attention
 * output before the grouped projection (heads × head_dim, fp32), and mHC's residual streams before and
 * after mixing (2 × hc_mult × hidden, fp32). Heads split over TP; the streams do not. For V4-Flash at TP1:
 * 65,536 + 163,840 + 131,072 + 131,072 = 491,520 B. Checked (not fitted) against the two GB10 start-ups
 * in docs/calibration.md (activation peak at max_num_batched_tokens 8,224 and 2,048).
 */
function activationBytesPerToken(arch: ModelArchitecture, tp: number): number {
  const a = hc(arch);
  const heads = arch.numAttentionHeads / tp;
  const topk = arch.sparseIndexer?.topk ?? 0;
  return heads * a.headDim * 2 + heads * (topk + a.slidingWindowTokens) * 4 + heads * a.headDim * 4 + 2 * a.residualStreams * arch.hiddenSize * 4;
}

/** Hybrid: DeepSeek-V4/V4.1 compressed attention over one KV head. */
export const HYBRID: AttentionStrategy = {
  kind: 'hybrid',
  matches: (arch) => arch.hybridAttention !== undefined,
  tensors,
  layerKv,
  blockSizeTokens,
  activationBytesPerToken,
  layoutProblems: (arch, tp) => {
    const groups = hc(arch).oGroups;
    // vLLM splits wo_a by whole groups (n_local_groups = o_groups / TP).
    return groups % tp !== 0 ? [`TP ${tp} does not divide the ${groups} output-projection groups (o_groups)`] : [];
  },
  notes: {
    replicatedTensors: 'norms/routers/wq_a/wkv/compressors/indexers',
    kvOverTp: 'the single KV head, its compressed caches and windows replicated on every TP rank',
    accounting: (ctx) =>
      (ctx.engine ?? 'vllm') === 'sglang'
        ? `${ctx.dtype} entries, exact 128-token windows and compressor state (SGLang-style, page size 1)`
        : `vLLM's hybrid KV groups: ${ctx.dtype} ${ctx.dtype === 'fp8' ? '584-byte entries in 576-byte-aligned pages' : 'entries'}, 256-token blocks; each window reserved for the window + ${ctx.maxNumBatchedTokens ?? DEFAULT_MAX_NUM_BATCHED_TOKENS} batched tokens per request`,
    llamaCpp: (arch) => notice('DSIAC-PLAN16', `${arch.id} uses DeepSeek-V4 hybrid attention: llama.cpp support for it is not confirmed; check your llama.cpp build before relying on this plan`),
    tpWarning: (tp) => (tp > 1 ? notice('DSIAC-PLAN4', `V4's single KV head (compressed caches, windows and compressor state) is copied on all ${tp} TP ranks: capacity per replica does not grow with TP (data-parallel attention with expert parallelism avoids the copies)`) : undefined),
  },
};
