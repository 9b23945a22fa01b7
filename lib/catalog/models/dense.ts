/**
 * DeepSeek's dense LLaMA-architecture models: DeepSeek-LLM (7B MHA, 67B GQA) and DeepSeek-Coder
 * (1.3B, 6.7B, 33B). Each entry's HF id is the base model; the chat/instruct sibling is an alias.
 */
import type { Source } from '../../types';
import { defineEntry, type CatalogEntry } from './entry';
import { DEEPSEEK_CODER_README, DEEPSEEK_LLM_README } from './sources';

/** Fields shared by every DeepSeek LLaMA-architecture config.json. */
const LLAMA_COMMON = {
  architectures: ['LlamaForCausalLM'],
  model_type: 'llama',
  hidden_act: 'silu',
  tie_word_embeddings: false,
  torch_dtype: 'bfloat16',
} as const;

/** deepseek-coder configs: 16K positions through linear RoPE scaling ×4 over 4096, theta 100000. */
const CODER_COMMON = {
  ...LLAMA_COMMON,
  max_position_embeddings: 16384,
  rope_scaling: { factor: 4.0, type: 'linear' },
  rope_theta: 100000,
  vocab_size: 32256,
} as const;

const RECALLED = (model: string, computed: string): Source => ({
  url: 'docs/reference-keys.md, facts §1c (values recalled, cross-checked by parameter count)',
  status: 'unconfirmed',
  note: `${model} config.json not read; computed ${computed} matches the published size`,
});

const CODER_CONTEXT: Source = { ...DEEPSEEK_CODER_README, note: 'README: 16K window' };
const LLM_CONTEXT: Source = { ...DEEPSEEK_LLM_README, note: 'README: sequence length 4096' };

/** Catalog entries of DeepSeek's dense LLaMA-architecture models. */
export const DEEPSEEK_DENSE: readonly CatalogEntry[] = [
  defineEntry({
    id: 'deepseek-llm-7b',
    hfId: 'deepseek-ai/deepseek-llm-7b-base',
    displayName: 'DeepSeek-LLM-7B',
    aliases: ['deepseek-ai/deepseek-llm-7b-chat'],
    // deepseek-llm-7b-base config.json, as copied verbatim (with transformers_version 4.33.1) in a public
    // file found through the code index (repository not disclosed by the index).
    hfConfig: {
      ...LLAMA_COMMON,
      hidden_size: 4096,
      intermediate_size: 11008,
      max_position_embeddings: 4096,
      num_attention_heads: 32,
      num_hidden_layers: 30,
      num_key_value_heads: 32,
      rms_norm_eps: 1e-6,
      rope_theta: 10000.0,
      vocab_size: 102400,
    },
    publishedContextTokens: 4096,
    contextSource: LLM_CONTEXT,
    sources: [
      {
        url: 'public code index: Python dict `deepseek_llm_7b_base` (a config.json copy; repository not disclosed)',
        status: 'third-party',
        note: 'hidden 4096, 30 layers, 32 heads, 32 kv heads, intermediate 11008, vocab 102400, max_position_embeddings 4096, bfloat16, untied',
      },
      DEEPSEEK_LLM_README,
    ],
  }),
  defineEntry({
    id: 'deepseek-llm-67b',
    hfId: 'deepseek-ai/deepseek-llm-67b-base',
    displayName: 'DeepSeek-LLM-67B',
    aliases: ['deepseek-ai/deepseek-llm-67b-chat'],
    hfConfig: {
      ...LLAMA_COMMON,
      hidden_size: 8192,
      intermediate_size: 22016,
      max_position_embeddings: 4096,
      num_attention_heads: 64,
      num_hidden_layers: 95,
      num_key_value_heads: 8,
      vocab_size: 102400,
    },
    publishedContextTokens: 4096,
    contextSource: LLM_CONTEXT,
    sources: [
      {
        url: 'public code index: review notes quoting huggingface.co/deepseek-ai/deepseek-llm-67b-chat/config.json and arXiv:2401.02954 (repository not disclosed)',
        status: 'third-party',
        note: 'num_hidden_layers 95, hidden_size 8192, num_attention_heads 64, num_key_value_heads 8 (paper table: 67B, 95 layers, 8192, 64 heads, 8 kv groups)',
      },
      RECALLED('deepseek-llm-67b (intermediate_size 22016, vocab 102400)', '67.4B'),
      DEEPSEEK_LLM_README,
    ],
  }),
  defineEntry({
    id: 'deepseek-coder-1.3b',
    hfId: 'deepseek-ai/deepseek-coder-1.3b-base',
    displayName: 'DeepSeek-Coder-1.3B',
    aliases: ['deepseek-ai/deepseek-coder-1.3b-instruct'],
    hfConfig: {
      ...CODER_COMMON,
      hidden_size: 2048,
      intermediate_size: 5504,
      num_attention_heads: 16,
      num_hidden_layers: 24,
      num_key_value_heads: 16,
    },
    publishedContextTokens: 16384,
    contextSource: CODER_CONTEXT,
    sources: [
      {
        url: 'public code index: verl training logs printing the deepseek-coder-1.3b-instruct LlamaConfig, and a LlamaForCausalLM module print-out (repositories not disclosed)',
        status: 'third-party',
        note: '24 layers, 16 kv heads, rope_scaling linear 4.0, rope_theta 100000, vocab 32256, untied, bfloat16, "LlamaForCausalLM contains 1.35B parameters"; Embedding(32256, 2048), gate_proj 2048→5504',
      },
      DEEPSEEK_CODER_README,
    ],
  }),
  defineEntry({
    id: 'deepseek-coder-6.7b',
    hfId: 'deepseek-ai/deepseek-coder-6.7b-base',
    displayName: 'DeepSeek-Coder-6.7B',
    aliases: ['deepseek-ai/deepseek-coder-6.7b-instruct'],
    hfConfig: {
      ...CODER_COMMON,
      hidden_size: 4096,
      intermediate_size: 11008,
      num_attention_heads: 32,
      num_hidden_layers: 32,
      num_key_value_heads: 32,
    },
    publishedContextTokens: 16384,
    contextSource: CODER_CONTEXT,
    sources: [RECALLED('deepseek-coder-6.7b', '6.74B'), DEEPSEEK_CODER_README],
  }),
  defineEntry({
    id: 'deepseek-coder-33b',
    hfId: 'deepseek-ai/deepseek-coder-33b-base',
    displayName: 'DeepSeek-Coder-33B',
    aliases: ['deepseek-ai/deepseek-coder-33b-instruct'],
    hfConfig: {
      ...CODER_COMMON,
      hidden_size: 7168,
      intermediate_size: 19200,
      num_attention_heads: 56,
      num_hidden_layers: 62,
      num_key_value_heads: 8,
    },
    publishedContextTokens: 16384,
    contextSource: CODER_CONTEXT,
    sources: [RECALLED('deepseek-coder-33b', '33.3B'), DEEPSEEK_CODER_README],
  }),
];
