/**
 * Model-level KV arithmetic over a strategy's per-layer answers: per-layer-group sums, the per-token
 * slope and per-request constant of one replica, and per-GPU figures for a pipeline stage.
 */
import type { ModelArchitecture } from '../../types';
import { attentionStrategy } from './registry';
import type { KvContext, LayerKv } from './types';

export { attentionStrategy, ATTENTION_STRATEGIES } from './registry';
export type { AttentionNotes, AttentionStrategy, KvContext, LayerKv } from './types';
export { DEFAULT_MAX_NUM_BATCHED_TOKENS, KV_DTYPE_BYTES } from './types';

/** KV of one layer group over the whole model (one copy). */
export interface KvLayerGroup {
  /** Group name as the strategy reports it (`kv`, `latent`, `csa`, `hca`, `swa-only`, …). */
  readonly group: string;
  /** Decoder layers in the group. */
  readonly layers: number;
  /** Per-token bytes of all the group's layers. */
  readonly bytesPerToken: number;
  /** Per-request bytes of all the group's layers. */
  readonly bytesPerRequest: number;
}

/** Per-token slope and per-request constant of a set of layers. */
export interface KvFootprint {
  readonly bytesPerToken: number;
  readonly bytesPerRequest: number;
}

/** KV of layers [first, first + count) on one GPU at TP `tp`. */
export function kvOfLayers(arch: ModelArchitecture, ctx: KvContext, tp: number, first: number, count: number): KvFootprint {
  // The planner asks the same question for every candidate of a stage layout (and V4's hybrid layers
  // are a loop of page arithmetic each): memoize per (immutable) architecture and the context's values.
  let cache = KV_OF_LAYERS_CACHE.get(arch);
  if (cache === undefined) KV_OF_LAYERS_CACHE.set(arch, (cache = new Map()));
  // Every field of the context is in the key: a new KvContext field fails to compile here until it is added.
  const { dtype, engine, maxModelLenTokens, maxNumBatchedTokens, ...unkeyed } = ctx;
  const none: Record<string, never> = unkeyed;
  const key = `${dtype}|${engine ?? ''}|${maxModelLenTokens ?? ''}|${maxNumBatchedTokens ?? ''}|${tp}|${first}|${count}|${Object.keys(none).length}`;
  let footprint = cache.get(key);
  if (footprint === undefined) cache.set(key, (footprint = sumLayers(arch, ctx, tp, first, count)));
  return footprint;
}
const KV_OF_LAYERS_CACHE = new WeakMap<ModelArchitecture, Map<string, KvFootprint>>();

function sumLayers(arch: ModelArchitecture, ctx: KvContext, tp: number, first: number, count: number): KvFootprint {
  const strategy = attentionStrategy(arch);
  let bytesPerToken = 0;
  let bytesPerRequest = 0;
  for (let layer = first; layer < first + count; layer++) {
    const kv: LayerKv = strategy.layerKv(arch, layer, ctx, tp);
    bytesPerToken += kv.bytesPerToken;
    bytesPerRequest += kv.bytesPerRequest;
  }
  return { bytesPerToken, bytesPerRequest };
}

/** The whole model's KV (one replica, one copy) by layer group, in first-layer order. */
export function kvLayerGroups(arch: ModelArchitecture, ctx: KvContext): KvLayerGroup[] {
  const strategy = attentionStrategy(arch);
  const groups = new Map<string, { layers: number; bytesPerToken: number; bytesPerRequest: number }>();
  for (let layer = 0; layer < arch.numLayers; layer++) {
    const kv = strategy.layerKv(arch, layer, ctx, 1);
    const g = groups.get(kv.group) ?? { layers: 0, bytesPerToken: 0, bytesPerRequest: 0 };
    groups.set(kv.group, { layers: g.layers + 1, bytesPerToken: g.bytesPerToken + kv.bytesPerToken, bytesPerRequest: g.bytesPerRequest + kv.bytesPerRequest });
  }
  return [...groups.entries()].map(([group, g]) => ({ group, ...g }));
}
