/**
 * Multi-head latent attention (DeepSeek-V2/V3/R1): K and V are rebuilt from one cached latent of
 * kv_lora_rank + qk_rope_head_dim per layer.
 */
import type { Engine, ModelArchitecture } from '../../types';
import type { TensorGroup } from '../tensors';
import { notice } from '../../notices';
import { matrix, norm } from './tensor-helpers';
import { KV_DTYPE_BYTES, type AttentionStrategy, type KvContext, type LayerKv } from './types';

/**
 * MLA projections. q_a_proj and kv_a_proj_with_mqa are ReplicatedLinear in vLLM's deepseek_v2.py
 * (copied on every TP rank); the up-projections and o_proj are split. A null q_lora_rank (V2-Lite)
 * means a full q_proj.
 */
export function mlaTensors(arch: ModelArchitecture): TensorGroup[] {
  const m = arch.mla!;
  const h = arch.hiddenSize;
  const heads = arch.numAttentionHeads;
  const qHead = m.qkNopeHeadDim + m.qkRopeHeadDim;
  const out: TensorGroup[] = [];
  if (m.qLoraRank !== null) {
    out.push(matrix('q_a_proj', 'attention', m.qLoraRank, h, 1, 'replicated', true));
    out.push(norm('q_a_layernorm', m.qLoraRank));
    out.push(matrix('q_b_proj', 'attention', heads * qHead, m.qLoraRank, 1, 'split', true));
  } else {
    out.push(matrix('q_proj', 'attention', heads * qHead, h, 1, 'split', true));
  }
  out.push(matrix('kv_a_proj_with_mqa', 'attention', m.kvLoraRank + m.qkRopeHeadDim, h, 1, 'replicated', true));
  out.push(norm('kv_a_layernorm', m.kvLoraRank));
  out.push(matrix('kv_b_proj', 'attention', heads * (m.qkNopeHeadDim + m.vHeadDim), m.kvLoraRank, 1, 'split', true));
  out.push(matrix('o_proj', 'attention', h, heads * m.vHeadDim, 1, 'split', true));
  return out;
}

/** Elements of the cached latent of one layer: kv_lora_rank + qk_rope_head_dim (576 for V3). */
export function latentWidth(arch: ModelArchitecture): number {
  return arch.mla!.kvLoraRank + arch.mla!.qkRopeHeadDim;
}

/**
 * One latent per layer and token (SGLang MLATokenToKVPool `get_size_per_token`; vLLM MLAAttentionSpec
 * head_size 576, num_kv_heads 1). Every TP rank keeps the whole latent: it is replicated, not split
 * (LMSYS large-scale EP write-up), so `tp` does not change it.
 */
function layerKv(arch: ModelArchitecture, _layer: number, ctx: KvContext): LayerKv {
  return { group: 'latent', bytesPerToken: latentWidth(arch) * KV_DTYPE_BYTES[ctx.dtype], bytesPerRequest: 0 };
}

/** vLLM's MLA backends (FlashMLA, CUTLASS MLA) page 64 tokens; SGLang's pool has page size 1. */
function blockSizeTokens(_arch: ModelArchitecture, engine: Engine): number {
  return engine === 'sglang' ? 1 : 64;
}

/** MLA: a latent (kv_lora_rank) without a sparse indexer or hybrid layout. */
export const MLA: AttentionStrategy = {
  kind: 'mla',
  matches: (arch) => arch.mla !== undefined,
  tensors: mlaTensors,
  layerKv,
  blockSizeTokens,
  layoutProblems: () => [],
  notes: {
    replicatedTensors: 'norms/routers/MLA down-projections',
    kvOverTp: 'MLA latent replicated on every TP rank',
    accounting: (ctx) => `one ${ctx.dtype} latent per layer (vLLM MLAAttentionSpec, SGLang MLATokenToKVPool)`,
    llamaCpp: (arch, bytesPerToken) => notice('DSIAC-PLAN16', `${arch.id} uses MLA: the ${bytesPerToken} B/token KV assumes a GGUF converted with llama.cpp's MLA support; older conversions cache full K/V per head and need far more RAM`),
    tpWarning: (tp) => (tp > 1 ? notice('DSIAC-PLAN4', `MLA's latent KV cache is copied on all ${tp} TP ranks: capacity per replica does not grow with TP (data-parallel attention avoids the copies)`) : undefined),
  },
};
