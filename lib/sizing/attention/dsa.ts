/**
 * DeepSeek Sparse Attention (DeepSeek-V3.2, V3.2-Exp, V3.2-Speciale): MLA plus a lightning indexer
 * that scores every cached token with its own small key and lets each query attend to the top-k.
 * The cache holds the MLA latent and the indexer key of every token.
 */
import type { Engine, ModelArchitecture } from '../../types';
import type { TensorGroup } from '../tensors';
import { notice } from '../../notices';
import { latentWidth, mlaTensors } from './mla';
import { matrix, norm } from './tensor-helpers';
import { KV_DTYPE_BYTES, type AttentionStrategy, type KvContext, type LayerKv } from './types';

/** FP8 quantization group of the cached keys: one float32 scale per 128 values. */
const FP8_GROUP = 128;
const FP32_SCALE_BYTES = 4;
const ROPE_BYTES = 2; // the RoPE part of vLLM's fp8_ds_mla entry stays bf16

/**
 * Indexer tensors of one layer (DeepSeek-V3.2 inference/model.py `Indexer`): wq_b (index_n_heads ×
 * index_head_dim from the q latent), wk (index_head_dim from the hidden state), k_norm (LayerNorm
 * weight + bias) and weights_proj (one weight per index head). vLLM builds them as ReplicatedLinear.
 */
export function indexerTensors(arch: ModelArchitecture, qLatent: number): TensorGroup[] {
  const ix = arch.sparseIndexer!;
  return [
    matrix('indexer.wq_b', 'attention', ix.heads * ix.headDim, qLatent, 1, 'replicated', true),
    matrix('indexer.wk', 'attention', ix.headDim, arch.hiddenSize, 1, 'replicated', true),
    norm('indexer.k_norm', 2 * ix.headDim),
    matrix('indexer.weights_proj', 'router', ix.heads, arch.hiddenSize, 1, 'replicated', false),
  ];
}

/**
 * Cached indexer key per token and layer: index_head_dim fp8 values + one float32 scale per 128
 * (vLLM DeepseekV32IndexerCache: 128 + 4 = 132 B for V3.2). vLLM keeps it in fp8 whatever the KV dtype.
 */
export function indexerKeyBytes(arch: ModelArchitecture): number {
  const d = arch.sparseIndexer!.headDim;
  return d + Math.ceil(d / FP8_GROUP) * FP32_SCALE_BYTES;
}

/**
 * MLA entry per token and layer.
 * - vLLM fp8 (`fp8_ds_mla`): kv_lora_rank fp8 + one float32 scale per 128 + the RoPE part in bf16:
 *   512 + 16 + 128 = 656 B (vllm/v1/kv_cache_interface.py MLAAttentionSpec.real_page_size_bytes).
 * - SGLang fp8: the plain 576-byte latent (SGLang profiles 576 + 132 B per layer).
 * - 16-bit: 576 × 2 = 1,152 B on both.
 */
function latentBytes(arch: ModelArchitecture, ctx: KvContext): number {
  const m = arch.mla!;
  if (ctx.dtype !== 'fp8') return latentWidth(arch) * KV_DTYPE_BYTES[ctx.dtype];
  if ((ctx.engine ?? 'vllm') === 'sglang') return latentWidth(arch);
  return m.kvLoraRank + Math.ceil(m.kvLoraRank / FP8_GROUP) * FP32_SCALE_BYTES + m.qkRopeHeadDim * ROPE_BYTES;
}

/** Latent + indexer key, the same on every TP rank (one latent head: replicated). */
function layerKv(arch: ModelArchitecture, _layer: number, ctx: KvContext): LayerKv {
  return { group: 'latent+indexer', bytesPerToken: latentBytes(arch, ctx) + indexerKeyBytes(arch), bytesPerRequest: 0 };
}

/** vLLM supports only block size 64 for V3.2 (vLLM DeepSeek-V3.2 recipe); SGLang's pool pages by token. */
function blockSizeTokens(_arch: ModelArchitecture, engine: Engine): number {
  return engine === 'sglang' ? 1 : 64;
}

/** DSA: an MLA latent plus a sparse indexer. */
export const DSA: AttentionStrategy = {
  kind: 'dsa',
  matches: (arch) => arch.mla !== undefined && arch.sparseIndexer !== undefined,
  tensors: (arch) => [...mlaTensors(arch), ...indexerTensors(arch, arch.mla!.qLoraRank ?? arch.hiddenSize)],
  layerKv,
  blockSizeTokens,
  layoutProblems: () => [],
  notes: {
    replicatedTensors: 'norms/routers/MLA down-projections/indexer',
    kvOverTp: 'MLA latent + indexer key replicated on every TP rank',
    accounting: (ctx) =>
      (ctx.engine ?? 'vllm') === 'sglang'
        ? `SGLang's layout: ${ctx.dtype} latent + 132-byte fp8 indexer key per layer`
        : `vLLM's layout: ${ctx.dtype === 'fp8' ? 'fp8_ds_mla 656-byte latent' : `${ctx.dtype} latent`} + 132-byte fp8 indexer key per layer, 64-token blocks`,
    llamaCpp: (arch, bytesPerToken) => notice('DSIAC-PLAN16', `${arch.id} uses DeepSeek Sparse Attention: the ${bytesPerToken} B/token KV assumes a GGUF converted with llama.cpp's MLA support and its indexer cache; check your llama.cpp build supports DeepSeek-V3.2`),
    tpWarning: (tp) => (tp > 1 ? notice('DSIAC-PLAN4', `DSA's latent and indexer cache are copied on all ${tp} TP ranks: capacity per replica does not grow with TP (data-parallel attention avoids the copies)`) : undefined),
  },
};
