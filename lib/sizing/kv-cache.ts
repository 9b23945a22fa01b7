/**
 * KV-cache bytes of a model, asked of its attention strategy (lib/sizing/attention/): this file
 * never tests which kind a model is.
 */
import type { AttentionKind, Engine, ModelArchitecture, ResolvedKvCacheDtype } from '../types';
import { attentionStrategy, kvLayerGroups, kvOfLayers, type KvContext, type KvLayerGroup } from './attention';

export { KV_DTYPE_BYTES } from './attention';
export type { KvContext, KvLayerGroup } from './attention';

/** The model's attention kind (`model.attention`), as its strategy names it. */
export function attentionKind(arch: ModelArchitecture): AttentionKind {
  return attentionStrategy(arch).kind;
}

/**
 * KV bytes of layer `layer` (default the first) for one token, on one GPU of a tensor-parallel group
 * of `tp`: the strategy decides whether TP splits the cache (KV heads) or copies it (one latent head).
 */
export function kvBytesPerTokenPerLayer(arch: ModelArchitecture, dtype: ResolvedKvCacheDtype, tp = 1, layer = 0, engine: Engine = 'vllm'): number {
  return attentionStrategy(arch).layerKv(arch, layer, { dtype, engine }, tp).bytesPerToken;
}

/** KV bytes of one token across the whole model (all layers, one copy, no TP): the per-token slope. */
export function kvBytesPerToken(arch: ModelArchitecture, dtype: ResolvedKvCacheDtype, engine: Engine = 'vllm'): number {
  return kvOfLayers(arch, { dtype, engine }, 1, 0, arch.numLayers).bytesPerToken;
}

/** KV bytes every request holds whatever its length (sliding windows, compressor state), whole model, one copy. */
export function kvBytesPerRequest(arch: ModelArchitecture, ctx: KvContext): number {
  return kvOfLayers(arch, ctx, 1, 0, arch.numLayers).bytesPerRequest;
}

/** The whole model's KV by layer group (their per-token bytes sum to {@link kvBytesPerToken}). */
export function kvGroups(arch: ModelArchitecture, ctx: KvContext): KvLayerGroup[] {
  return kvLayerGroups(arch, ctx);
}
