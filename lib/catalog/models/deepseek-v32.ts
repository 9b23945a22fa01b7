/**
 * DeepSeek-V3.2 family: V3.2-Exp, V3.2, V3.2-Speciale (the V3 dims plus DeepSeek Sparse Attention's
 * lightning indexer; FP8 e4m3 128×128 with ue8m0 scales). docs/deepseek-2026-models.md §1–§2.
 */
import { defineEntry, type CatalogEntry } from './entry';
import { DEEPSEEK_V32_CARD, TRANSFORMERS_V32_CONFIG } from './sources';

/** config.json of V3.2, verbatim from the transformers copy (also test/fixtures/hf-configs/deepseek-v3.2.json). */
const V32_CONFIG = {
  architectures: ['DeepseekV32ForCausalLM'],
  attention_bias: false,
  attention_dropout: 0.0,
  bos_token_id: 0,
  eos_token_id: 1,
  ep_size: 1,
  first_k_dense_replace: 3,
  hidden_act: 'silu',
  hidden_size: 7168,
  index_head_dim: 128,
  index_n_heads: 64,
  index_topk: 2048,
  initializer_range: 0.02,
  intermediate_size: 18432,
  kv_lora_rank: 512,
  max_position_embeddings: 163840,
  model_type: 'deepseek_v32',
  moe_intermediate_size: 2048,
  moe_layer_freq: 1,
  n_group: 8,
  n_routed_experts: 256,
  n_shared_experts: 1,
  norm_topk_prob: true,
  num_attention_heads: 128,
  num_experts_per_tok: 8,
  num_hidden_layers: 61,
  num_key_value_heads: 128,
  num_nextn_predict_layers: 1,
  q_lora_rank: 1536,
  qk_nope_head_dim: 128,
  qk_rope_head_dim: 64,
  quantization_config: { activation_scheme: 'dynamic', fmt: 'e4m3', quant_method: 'fp8', scale_fmt: 'ue8m0', weight_block_size: [128, 128] },
  rms_norm_eps: 1e-6,
  rope_scaling: { beta_fast: 32, beta_slow: 1, factor: 40, mscale: 1.0, mscale_all_dim: 1.0, original_max_position_embeddings: 4096, type: 'yarn' },
  rope_theta: 10000,
  routed_scaling_factor: 2.5,
  scoring_func: 'sigmoid',
  tie_word_embeddings: false,
  topk_group: 4,
  topk_method: 'noaux_tc',
  torch_dtype: 'bfloat16',
  transformers_version: '4.44.2',
  use_cache: true,
  v_head_dim: 128,
  vocab_size: 129280,
} as const;

const CONTEXT_128K = { ...DEEPSEEK_V32_CARD, note: 'context 128K (yarn factor 40 over 4096)' };

const SAME_AS_V32 = (model: string) => ({
  url: `https://huggingface.co/deepseek-ai/${model}`,
  status: 'unconfirmed' as const,
  note: `${model} is released as the V3.2 architecture (DeepseekV32ForCausalLM); its config.json was not compared field by field (docs/deepseek-2026-models.md §1)`,
});

/** Catalog entries of the DeepSeek-V3.2 family. */
export const DEEPSEEK_V32_FAMILY: readonly CatalogEntry[] = [
  defineEntry({
    id: 'deepseek-v3.2',
    hfId: 'deepseek-ai/DeepSeek-V3.2',
    displayName: 'DeepSeek-V3.2',
    hfConfig: V32_CONFIG,
    publishedContextTokens: 131072,
    contextSource: CONTEXT_128K,
    sources: [TRANSFORMERS_V32_CONFIG, DEEPSEEK_V32_CARD],
  }),
  defineEntry({
    id: 'deepseek-v3.2-exp',
    hfId: 'deepseek-ai/DeepSeek-V3.2-Exp',
    displayName: 'DeepSeek-V3.2-Exp',
    hfConfig: V32_CONFIG,
    publishedContextTokens: 131072,
    contextSource: CONTEXT_128K,
    sources: [DEEPSEEK_V32_CARD, TRANSFORMERS_V32_CONFIG],
  }),
  defineEntry({
    id: 'deepseek-v3.2-speciale',
    hfId: 'deepseek-ai/DeepSeek-V3.2-Speciale',
    displayName: 'DeepSeek-V3.2-Speciale',
    hfConfig: V32_CONFIG,
    publishedContextTokens: 131072,
    contextSource: CONTEXT_128K,
    sources: [SAME_AS_V32('DeepSeek-V3.2-Speciale'), TRANSFORMERS_V32_CONFIG],
  }),
];
