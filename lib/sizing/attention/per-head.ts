/**
 * What multi-head and grouped-query attention share: q/k/v/o projections per head, K and V cached
 * per KV head and split over TP. `mha.ts` and `gqa.ts` differ only in which models they match.
 */
import type { AttentionKind, Engine, ModelArchitecture } from '../../types';
import type { TensorGroup } from '../tensors';
import { matrix, norm, vector } from './tensor-helpers';
import { KV_DTYPE_BYTES, type AttentionStrategy, type KvContext, type LayerKv } from './types';

function tensors(arch: ModelArchitecture): TensorGroup[] {
  const h = arch.hiddenSize;
  const heads = arch.numAttentionHeads;
  const d = arch.headDim;
  const kv = arch.numKeyValueHeads;
  const out: TensorGroup[] = [
    matrix('q_proj', 'attention', heads * d, h, 1, 'split', true),
    matrix('k_proj', 'attention', kv * d, h, 1, 'split', true),
    matrix('v_proj', 'attention', kv * d, h, 1, 'split', true),
    matrix('o_proj', 'attention', h, heads * d, 1, 'split', true),
  ];
  if (arch.attentionBias) out.push(vector('qkv_bias', 'attention-bias', heads * d + 2 * kv * d, 'split'));
  if (arch.qkNorm) out.push(norm('q_norm+k_norm', 2 * d));
  return out;
}

/**
 * K and V per KV head. TP splits the heads, and when TP exceeds the KV head count each rank keeps one
 * (replicated) head: vLLM `num_kv_heads = max(1, kv_heads // tp)`.
 */
function layerKv(arch: ModelArchitecture, _layer: number, ctx: KvContext, tp: number): LayerKv {
  const headsPerRank = Math.max(1, Math.floor(arch.numKeyValueHeads / tp));
  return { group: 'kv', bytesPerToken: 2 * headsPerRank * arch.headDim * KV_DTYPE_BYTES[ctx.dtype], bytesPerRequest: 0 };
}

/** vLLM pages 16 tokens by default; SGLang's token-level pool has page size 1. */
function blockSizeTokens(_arch: ModelArchitecture, engine: Engine): number {
  return engine === 'sglang' ? 1 : 16;
}

function layoutProblems(arch: ModelArchitecture, tp: number): string[] {
  const kv = arch.numKeyValueHeads;
  return kv % tp !== 0 && tp % kv !== 0 ? [`TP ${tp} and ${kv} KV heads do not divide one another`] : [];
}

/** A per-head attention strategy of `kind`, used by models `matches` accepts. */
export function perHeadStrategy(kind: AttentionKind, matches: (arch: ModelArchitecture) => boolean): AttentionStrategy {
  return {
    kind,
    matches,
    tensors,
    layerKv,
    blockSizeTokens,
    layoutProblems,
    notes: {
      replicatedTensors: 'norms/routers',
      kvOverTp: 'KV heads split over TP',
      accounting: (ctx) => `K and V per KV head at ${ctx.dtype} (vLLM and SGLang store them alike)`,
      tpWarning: () => undefined,
    },
  };
}
