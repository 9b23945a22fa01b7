/**
 * Sane ranges for the numeric fields of a user-supplied Hugging Face config.json, checked before
 * the sizing code sees them. Without them a config with `num_hidden_layers: 1e9` runs for minutes
 * and ends in a `RangeError: Map maximum size exceeded` from the per-layer inventory.
 *
 * Each bound is roughly 8× or more the largest published value, so every real model passes:
 * - Llama 3.1 405B (https://huggingface.co/meta-llama/Llama-3.1-405B/blob/main/config.json):
 *   126 layers, hidden 16384, intermediate 53248, 128 heads, 8 KV heads, vocab 128256.
 * - DeepSeek-V3 (test/fixtures/hf-configs/deepseek-v3.json): 256 routed experts, 8 per token,
 *   kv_lora_rank 512, q_lora_rank 1536, head dims 128/64/128, 163840 positions.
 * - Gemma 3 (https://huggingface.co/google/gemma-3-27b-it/blob/main/config.json): vocab 262144.
 * - Llama 4 Scout: 10M-token context (https://huggingface.co/meta-llama/Llama-4-Scout-17B-16E).
 */
import type { Issue } from '../types';

/** Field → inclusive maximum. Integers ≥ 0 are checked by the config parser itself. */
export const HF_CONFIG_MAXIMUMS: Readonly<Record<string, number>> = {
  num_hidden_layers: 1024,
  hidden_size: 131072,
  intermediate_size: 524288,
  moe_intermediate_size: 524288,
  shared_expert_intermediate_size: 524288,
  num_attention_heads: 1024,
  num_key_value_heads: 1024,
  head_dim: 4096,
  qk_nope_head_dim: 4096,
  qk_rope_head_dim: 4096,
  v_head_dim: 4096,
  kv_lora_rank: 65536,
  q_lora_rank: 65536,
  vocab_size: 4194304,
  max_position_embeddings: 134217728,
  n_routed_experts: 4096,
  num_experts: 4096,
  num_local_experts: 4096,
  num_experts_per_tok: 256,
  n_shared_experts: 256,
  first_k_dense_replace: 1024,
  num_nextn_predict_layers: 64,
  moe_layer_freq: 1024,
  decoder_sparse_step: 1024,
};

/** Largest config.json accepted, bytes: real ones are a few KB (V3's is 1.7 KB). */
export const HF_CONFIG_MAX_BYTES = 1024 * 1024;

/** Issues (`hfConfig.<field>`) for every numeric field above its bound or negative. */
export function hfConfigBoundIssues(config: Readonly<Record<string, unknown>>): Issue[] {
  const issues: Issue[] = [];
  for (const [field, max] of Object.entries(HF_CONFIG_MAXIMUMS)) {
    if (!Object.prototype.hasOwnProperty.call(config, field)) continue;
    const v = config[field];
    if (typeof v !== 'number') continue; // wrong types are the parser's to report
    if (!Number.isFinite(v) || v < 0 || v > max) {
      issues.push({ path: `hfConfig.${field}`, message: `must be from 0 to ${max} (far above any published model); got ${v}` });
    }
  }
  return issues;
}
