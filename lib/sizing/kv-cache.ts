import type { AttentionKind, ModelArchitecture, ResolvedKvCacheDtype } from '../types';

/** Bytes per KV element. */
export const KV_DTYPE_BYTES: Readonly<Record<ResolvedKvCacheDtype, number>> = { bf16: 2, fp16: 2, fp8: 1 };

/** MLA when the config has kv_lora_rank; MHA when every head has its own KV; GQA otherwise. */
export function attentionKind(arch: ModelArchitecture): AttentionKind {
  if (arch.mla) return 'mla';
  return arch.numKeyValueHeads === arch.numAttentionHeads ? 'mha' : 'gqa';
}

/**
 * KV bytes of one layer for one token, on one GPU of a tensor-parallel group of `tp`.
 * - MLA caches one latent of kv_lora_rank + qk_rope_head_dim per layer (SGLang MLATokenToKVPool
 *   `get_size_per_token`; vLLM MLAAttentionSpec head_size 576, num_kv_heads 1). Every TP rank keeps
 *   the whole latent: it is replicated, not split (LMSYS large-scale EP write-up).
 * - MHA/GQA cache K and V per KV head; TP splits the heads, and when TP exceeds the KV head count
 *   each rank keeps one (replicated) head: vLLM `num_kv_heads = max(1, kv_heads // tp)`.
 */
export function kvBytesPerTokenPerLayer(arch: ModelArchitecture, dtype: ResolvedKvCacheDtype, tp = 1): number {
  const b = KV_DTYPE_BYTES[dtype];
  if (arch.mla) return (arch.mla.kvLoraRank + arch.mla.qkRopeHeadDim) * b;
  const headsPerRank = Math.max(1, Math.floor(arch.numKeyValueHeads / tp));
  return 2 * headsPerRank * arch.headDim * b;
}

/** KV bytes of one token across the whole model (all layers, one copy, no TP). */
export function kvBytesPerToken(arch: ModelArchitecture, dtype: ResolvedKvCacheDtype): number {
  return arch.numLayers * kvBytesPerTokenPerLayer(arch, dtype, 1);
}

/** KV bytes of one token on one GPU holding `layersOnGpu` layers at tensor parallelism `tp`. */
export function kvBytesPerTokenPerGpu(arch: ModelArchitecture, dtype: ResolvedKvCacheDtype, tp: number, layersOnGpu: number): number {
  return layersOnGpu * kvBytesPerTokenPerLayer(arch, dtype, tp);
}
