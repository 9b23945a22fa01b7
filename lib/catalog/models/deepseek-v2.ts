/**
 * DeepSeek-V2 architecture family (MLA + DeepSeekMoE, BF16 release): the 236B models (V2, V2-Chat,
 * V2.5, Coder-V2) and the 16B Lite models (V2-Lite, Coder-V2-Lite).
 */
import type { Source } from '../../types';
import { defineEntry, type CatalogEntry } from './entry';
import {
  DEEPSEEK_CODER_V2_README,
  DEEPSEEK_CONFIG_16B,
  DEEPSEEK_CONFIG_236B,
  DEEPSEEK_V2_README,
} from './sources';

/**
 * config.json fields of the 236B models, as in the DeepSeek-V2.5 copy read for the facts table ([S5], §1b).
 * V2 / V2-Chat / Coder-V2 share these hyper-parameters ([S1] config_236B.json, [S7], [S8]).
 */
const V2_236B_CONFIG = {
  architectures: ['DeepseekV2ForCausalLM'],
  model_type: 'deepseek_v2',
  hidden_size: 5120,
  num_hidden_layers: 60,
  num_attention_heads: 128,
  num_key_value_heads: 128,
  intermediate_size: 12288,
  moe_intermediate_size: 1536,
  vocab_size: 102400,
  max_position_embeddings: 163840,
  q_lora_rank: 1536,
  kv_lora_rank: 512,
  qk_rope_head_dim: 64,
  qk_nope_head_dim: 128,
  v_head_dim: 128,
  n_routed_experts: 160,
  n_shared_experts: 2,
  num_experts_per_tok: 6,
  n_group: 8,
  topk_group: 3,
  topk_method: 'group_limited_greedy',
  scoring_func: 'softmax',
  routed_scaling_factor: 16.0,
  first_k_dense_replace: 1,
  moe_layer_freq: 1,
  attention_bias: false,
  tie_word_embeddings: false,
  torch_dtype: 'bfloat16',
} as const;

/**
 * DeepSeek-V2-Lite config.json fields (facts §1b, [S6] "the real config's" numbers; the same values
 * appear in verbatim copies found in the public code index, e.g. rope_scaling mscale 0.707).
 */
const V2_LITE_CONFIG = {
  architectures: ['DeepseekV2ForCausalLM'],
  model_type: 'deepseek_v2',
  hidden_size: 2048,
  num_hidden_layers: 27,
  num_attention_heads: 16,
  num_key_value_heads: 16,
  intermediate_size: 10944,
  moe_intermediate_size: 1408,
  vocab_size: 102400,
  max_position_embeddings: 163840,
  q_lora_rank: null,
  kv_lora_rank: 512,
  qk_rope_head_dim: 64,
  qk_nope_head_dim: 128,
  v_head_dim: 128,
  n_routed_experts: 64,
  n_shared_experts: 2,
  num_experts_per_tok: 6,
  n_group: 1,
  topk_group: 1,
  topk_method: 'greedy',
  scoring_func: 'softmax',
  routed_scaling_factor: 1.0,
  first_k_dense_replace: 1,
  moe_layer_freq: 1,
  attention_bias: false,
  tie_word_embeddings: false,
  torch_dtype: 'bfloat16',
} as const;

const V25_COPY: Source = {
  url: 'public GitHub mirror of HF configs in a "UniversalParameterCounter" test (config_v2_5_236_b); repository not recorded [S5]',
  status: 'third-party',
  note: 'DeepSeek-V2.5 config.json copy; values as in docs/reference-keys.md, facts §1b',
};

const V2_LITE_COPY: Source = {
  url: 'public Rust test parses_deepseek_v2_lite_config ("The numbers are the real config\'s", DeepSeek-V2-Lite-Chat); path not disclosed [S6]',
  status: 'third-party',
  note: 'q_lora_rank null, 64 routed / 2 shared experts, top-6, hidden 2048, 27 layers',
};

const SAME_AS_236B = (model: string): Source => ({
  url: DEEPSEEK_CONFIG_236B.url,
  status: 'unconfirmed',
  note: `${model} config.json not inspected; hyper-parameters taken as the 236B architecture (README: same size, continued from DeepSeek-V2)`,
});

const CONTEXT_V2_128K: Source = { ...DEEPSEEK_V2_README, note: 'README: DeepSeek-V2 context length 128K' };
const CONTEXT_CODER_128K: Source = { ...DEEPSEEK_CODER_V2_README, note: 'README: Coder-V2 context length 128K' };

/** Catalog entries of the DeepSeek-V2 architecture family. */
export const DEEPSEEK_V2_FAMILY: readonly CatalogEntry[] = [
  defineEntry({
    id: 'deepseek-v2',
    hfId: 'deepseek-ai/DeepSeek-V2',
    displayName: 'DeepSeek-V2',
    hfConfig: V2_236B_CONFIG,
    publishedContextTokens: 131072,
    contextSource: CONTEXT_V2_128K,
    sources: [DEEPSEEK_CONFIG_236B, V25_COPY, SAME_AS_236B('DeepSeek-V2')],
  }),
  defineEntry({
    id: 'deepseek-v2-chat',
    hfId: 'deepseek-ai/DeepSeek-V2-Chat',
    displayName: 'DeepSeek-V2-Chat',
    hfConfig: V2_236B_CONFIG,
    publishedContextTokens: 131072,
    contextSource: CONTEXT_V2_128K,
    sources: [DEEPSEEK_CONFIG_236B, V25_COPY, SAME_AS_236B('DeepSeek-V2-Chat')],
  }),
  defineEntry({
    id: 'deepseek-v2.5',
    hfId: 'deepseek-ai/DeepSeek-V2.5',
    displayName: 'DeepSeek-V2.5',
    hfConfig: V2_236B_CONFIG,
    publishedContextTokens: 131072,
    contextSource: CONTEXT_V2_128K,
    sources: [V25_COPY, DEEPSEEK_CONFIG_236B],
  }),
  defineEntry({
    id: 'deepseek-v2-lite',
    hfId: 'deepseek-ai/DeepSeek-V2-Lite',
    displayName: 'DeepSeek-V2-Lite',
    aliases: ['deepseek-ai/DeepSeek-V2-Lite-Chat'],
    hfConfig: V2_LITE_CONFIG,
    publishedContextTokens: 32768,
    contextSource: { ...DEEPSEEK_V2_README, note: 'README: DeepSeek-V2-Lite context length 32K' },
    sources: [V2_LITE_COPY, DEEPSEEK_CONFIG_16B],
  }),
  defineEntry({
    id: 'deepseek-coder-v2',
    hfId: 'deepseek-ai/DeepSeek-Coder-V2-Instruct',
    displayName: 'DeepSeek-Coder-V2-Instruct',
    aliases: ['deepseek-ai/DeepSeek-Coder-V2-Base'],
    hfConfig: V2_236B_CONFIG,
    publishedContextTokens: 131072,
    contextSource: CONTEXT_CODER_128K,
    sources: [DEEPSEEK_CODER_V2_README, DEEPSEEK_CONFIG_236B, SAME_AS_236B('DeepSeek-Coder-V2-Instruct')],
  }),
  defineEntry({
    id: 'deepseek-coder-v2-lite',
    hfId: 'deepseek-ai/DeepSeek-Coder-V2-Lite-Instruct',
    displayName: 'DeepSeek-Coder-V2-Lite-Instruct',
    aliases: ['deepseek-ai/DeepSeek-Coder-V2-Lite-Base'],
    hfConfig: V2_LITE_CONFIG,
    publishedContextTokens: 131072,
    contextSource: { ...DEEPSEEK_CODER_V2_README, note: 'README: Coder-V2-Lite 16B/2.4B, context length 128K' },
    sources: [
      DEEPSEEK_CODER_V2_README,
      V2_LITE_COPY,
      {
        url: DEEPSEEK_CODER_V2_README.url,
        status: 'unconfirmed',
        note: 'Coder-V2-Lite-Instruct config.json not inspected; taken as the V2-Lite architecture (README: 16B total / 2.4B activated)',
      },
    ],
  }),
];
