/**
 * vLLM flags and family flags shared by the vLLM profiles (0.31.0 upstream, 0.27.1 in the AWS container).
 *
 * Where the flags were read. The parser at the v0.31.0 / v0.27.1 tags was not readable here (the code
 * index holds `vllm/engine/arg_utils.py` only at 99d7eb5d, ~v0.11.1, and the repository is too big to
 * fetch), so every flag carries two records: its registration in the ~v0.11.1 parser, and its use in a
 * vLLM recipe run on a 2026 image (≥ 0.25.0). A flag used by the recipes with a ≥ 0.25 image and
 * registered in 0.11.1 was not removed in between. Flags introduced after 0.11.1 carry the recipe only.
 * Re-derive the list from the image with `vllm serve --help=all` (docs/reference-keys.md, engines §8) when a tag changes.
 */
import type { FamilyFlags, FlagSource, ModelFamily } from './types';

export const VLLM_ARG_UTILS = 'vllm-project/vllm@99d7eb5d6a512cfcc5a2b104f24ebf2d6cda772b:vllm/engine/arg_utils.py (~v0.11.1)';
export const VLLM_CLI_ARGS = 'vllm-project/vllm@789340fbad95a900ca3c467c9cee33b3d905fd61:vllm/entrypoints/openai/cli_args.py (~v0.11.1)';
/** V4-Flash recipe, updated 2026-08-17, its commands on vllm/vllm-openai:v0.25.0. */
export const RECIPE_V4_FLASH = 'vllm-project/recipes@6f19519bb680e870356b72a06d2638d6efc6da70:models/deepseek-ai/DeepSeek-V4-Flash.yaml';
export const RECIPE_V4_PRO = 'vllm-project/recipes@6f19519bb680e870356b72a06d2638d6efc6da70:models/deepseek-ai/DeepSeek-V4-Pro.yaml';
/** V4.1-Flash recipe, updated 2026-09-15, min_vllm_version 0.30.0. */
export const RECIPE_V41 = 'vllm-project/recipes@01b04887fd36aba27e4347c2e3b64b8e2e347c7d:models/deepseek-ai/DeepSeek-V4.1-Flash.yaml';
export const RECIPE_V32 = 'vllm-project/recipes@5e93cbed6168919ef4d3e26ceda34a1245199499:models/deepseek-ai/DeepSeek-V3.2.yaml';
export const RECIPE_R1 = 'vllm-project/recipes@5e93cbed6168919ef4d3e26ceda34a1245199499:models/deepseek-ai/DeepSeek-R1.yaml';
export const RECIPE_V31 = 'vllm-project/recipes@5e93cbed6168919ef4d3e26ceda34a1245199499:models/deepseek-ai/DeepSeek-V3.1.yaml';
const DOCS_REASONING = 'https://docs.vllm.ai/en/stable/features/reasoning_outputs/';
const DOCS_MULTI_NODE = 'https://docs.vllm.ai/en/stable/examples/online_serving/multi-node-serving/';
/** vLLM's data-parallel deployment guide: multi-node DP with a head and headless nodes. */
const DOCS_DP = 'https://docs.vllm.ai/en/stable/serving/data_parallel_deployment.html';

const both = (registration: string, use: string): string => `${registration}; used with a ≥ 0.25 image: ${use}`;

/** Flags every vLLM profile here may emit (model-independent and family flags), with where each was read. */
export const VLLM_FLAGS: Readonly<Record<string, FlagSource>> = {
  '--model': { source: VLLM_ARG_UTILS, note: both('ModelConfig.model, registered as --model', 'https://aws.github.io/deep-learning-containers/vllm/configuration/ (docker run … --model)') },
  '--served-model-name': { source: VLLM_ARG_UTILS, note: 'ModelConfig.served_model_name; still used in the recipes tree of 2026-08-21 (vllm-project/recipes@8959cf64:models/Qwen/Qwen3-Next-80B-A3B-Instruct.yaml, --served-model-name qwen3-next)' },
  '--tensor-parallel-size': { source: VLLM_ARG_UTILS, note: both('ParallelConfig.tensor_parallel_size (-tp)', `${RECIPE_V4_FLASH} (MI355X: --tensor-parallel-size 4)`) },
  '--pipeline-parallel-size': { source: VLLM_ARG_UTILS, note: both('ParallelConfig.pipeline_parallel_size (-pp)', `${RECIPE_V4_FLASH} (DGX Station: --pipeline-parallel-size 1)`) },
  '--data-parallel-size': { source: VLLM_ARG_UTILS, note: both('ParallelConfig.data_parallel_size (-dp)', `${RECIPE_V4_FLASH} (H200 PD: --data-parallel-size 4)`) },
  '--max-model-len': { source: VLLM_ARG_UTILS, note: both('ModelConfig.max_model_len', `${RECIPE_V4_FLASH} (MI325X: --max-model-len 4096)`) },
  '--max-num-seqs': { source: VLLM_ARG_UTILS, note: both('SchedulerConfig.max_num_seqs; get_batch_defaults: 1024 on GPUs ≥ 70 GiB that are not A100, else 256', `${RECIPE_V4_FLASH} (MI355X: --max-num-seqs 512)`) },
  '--gpu-memory-utilization': { source: VLLM_ARG_UTILS, note: both('CacheConfig.gpu_memory_utilization', `${RECIPE_V4_FLASH} (MI355X: --gpu-memory-utilization 0.9)`) },
  '--kv-cache-dtype': { source: VLLM_ARG_UTILS, note: both('CacheConfig.cache_dtype registered as --kv-cache-dtype (auto, fp8, …)', `${RECIPE_V4_FLASH} (base_args: --kv-cache-dtype fp8)`) },
  '--dtype': { source: VLLM_ARG_UTILS, note: both('ModelConfig.dtype', `${RECIPE_V4_FLASH} (MI355X: --dtype auto)`) },
  '--quantization': { source: VLLM_ARG_UTILS, note: both('ModelConfig.quantization (-q)', 'https://aws.github.io/deep-learning-containers/vllm/configuration/ (--quantization awq, gptq, fp8, …)') },
  '--trust-remote-code': { source: VLLM_ARG_UTILS, note: both('ModelConfig.trust_remote_code (BooleanOptionalAction)', `${RECIPE_V4_FLASH} (base_args)`) },
  '--data-parallel-size-local': { source: VLLM_ARG_UTILS, note: `ParallelConfig.data_parallel_size_local (-dpl); multi-node DP: ${DOCS_DP}` },
  '--data-parallel-address': { source: VLLM_ARG_UTILS, note: `ParallelConfig.data_parallel_master_ip registered as --data-parallel-address (-dpa); ${DOCS_DP}` },
  '--data-parallel-rpc-port': { source: VLLM_ARG_UTILS, note: `ParallelConfig.data_parallel_rpc_port (-dpp); ${DOCS_DP} (--data-parallel-rpc-port 13345)` },
  '--data-parallel-start-rank': { source: VLLM_ARG_UTILS, note: `data_parallel_start_rank (-dpr), the first DP rank of a headless node; ${DOCS_DP}` },
  '--headless': { source: 'vllm-project/vllm@78265ccd8aadf98d0e9d33c13b6cd2f0053b165e:vllm/entrypoints/cli/serve.py (ServeSubcommand.cmd: `if args.headless …: run_headless(args)`, which needs data_parallel_size_local > 0 and joins the head at data_parallel_master_ip:data_parallel_rpc_port; registered by make_arg_parser in vllm/entrypoints/openai/cli_args.py)', note: `${DOCS_DP}: secondary nodes run \`vllm serve … --headless --data-parallel-start-rank R\`` },
  '--enable-expert-parallel': { source: VLLM_ARG_UTILS, note: both('ParallelConfig.enable_expert_parallel', `${RECIPE_V4_FLASH} (RTX PRO 6000: --enable-expert-parallel --tensor-parallel-size 8)`) },
  '--distributed-executor-backend': { source: VLLM_ARG_UTILS, note: both('ParallelConfig.distributed_executor_backend (ray, mp, uni, external_launcher)', `${RECIPE_V4_FLASH} (amd: --distributed-executor-backend mp); Ray multi-node: ${DOCS_MULTI_NODE}`) },
  '--host': { source: VLLM_CLI_ARGS, note: both('FrontendArgs.host', `${RECIPE_V4_FLASH} (MI325X: --host 0.0.0.0)`) },
  '--port': { source: VLLM_CLI_ARGS, note: both('FrontendArgs.port', `${RECIPE_V4_FLASH} (--port 8000)`) },
  '--tokenizer-mode': { source: VLLM_ARG_UTILS, note: both('ModelConfig.tokenizer_mode (values added per model since)', `${RECIPE_V4_FLASH} (--tokenizer-mode deepseek_v4); ${RECIPE_V41} (deepseek_v41); ${RECIPE_V32} (deepseek_v32)`) },
  '--tool-call-parser': { source: VLLM_CLI_ARGS, note: both('FrontendArgs.tool_call_parser (registry values)', `${RECIPE_V4_FLASH} (deepseek_v4); ${RECIPE_V41} (deepseek_v41); ${RECIPE_V32} (deepseek_v32)`) },
  '--enable-auto-tool-choice': { source: VLLM_CLI_ARGS, note: both('FrontendArgs.enable_auto_tool_choice', `${RECIPE_V4_FLASH} (tool_calling feature)`) },
  '--reasoning-parser': { source: VLLM_ARG_UTILS, note: both('reasoning_parser (registry values)', `${RECIPE_V4_FLASH} (deepseek_v4); ${RECIPE_V41} (deepseek_v41); ${RECIPE_R1} (deepseek_r1); ${DOCS_REASONING}`) },
  '--block-size': { source: VLLM_ARG_UTILS, note: both('CacheConfig.block_size', `${RECIPE_V4_FLASH} (base_args: --block-size 256)`) },
  '--speculative-config': { source: VLLM_ARG_UTILS, note: both('SpeculativeConfig as JSON', `${RECIPE_V4_FLASH} ({"method":"mtp"|"dspark",…}); ${RECIPE_V32} ({"method":"mtp","num_speculative_tokens":3})`) },
  // Introduced after 0.11.1: recipe use only.
  '--moe-backend': { source: RECIPE_V4_FLASH, note: 'hardware_overrides.blackwell: --moe-backend deep_gemm_mega_moe (FP8 checkpoints); not in the 0.11.1 parser' },
  '--attention_config.use_fp4_indexer_cache': { source: RECIPE_V4_FLASH, note: 'hardware_overrides.blackwell: --attention_config.use_fp4_indexer_cache=True (a dotted key of --attention-config, which FlexibleArgumentParser folds into the JSON config); not in the 0.11.1 parser' },
};

/** `ray start` flags the multi-node head and workers run before vLLM (Ray ships in the vLLM CUDA images). */
export const RAY_START_FLAGS: Readonly<Record<string, FlagSource>> = {
  '--head': { source: DOCS_MULTI_NODE, note: 'head: ray start --head --port=6379' },
  '--port': { source: DOCS_MULTI_NODE, note: 'ray start --head --port=6379' },
  '--address': { source: DOCS_MULTI_NODE, note: 'workers: ray start --address=<head_ip>:6379' },
  '--block': { source: 'https://docs.ray.io/en/latest/cluster/cli.html#ray-start', note: '--block keeps ray start in the foreground (the container main process)' },
};

/** vLLM MTP drafting for the one-layer MTP head of V3/R1/V3.1/V3.2 (num_nextn_predict_layers 1). */
const MTP_V3 = { draft: 'mtp', args: ['--speculative-config', '{"method":"mtp","num_speculative_tokens":3}'], source: `${RECIPE_V32} (spec_decoding; V3/R1/V3.1 carry the same one-layer MTP head)` } as const;

const V4_COMMON = {
  trustRemoteCode: true,
  tokenizerMode: 'deepseek_v4',
  toolCallParser: 'deepseek_v4',
  reasoningParser: 'deepseek_v4',
  blockSizeTokens: 256,
  recipeKvCacheDtype: 'fp8',
  attention: { architectures: ['blackwell'], args: ['--attention_config.use_fp4_indexer_cache=True'], source: `${RECIPE_V4_FLASH} hardware_overrides.blackwell` },
  moeBackend: [{ architectures: ['blackwell'], args: ['--moe-backend', 'deep_gemm_mega_moe'], source: `${RECIPE_V4_FLASH} variants default/fp8 hardware_overrides.blackwell (FP8-only MoE kernel, TP+EP and DP+EP strategies)` }],
  expertParallelWithTp: true,
  unsupportedGpuArchitectures: {
    architectures: ['cdna3'],
    reason: "vLLM's DeepSeek-V4 recipes mark MI300X/MI325X (CDNA3) unsupported (verified AMD hardware: MI355X); SGLang runs V4-Flash FP8 on MI300X at TP8 (engine sglang, precision fp8)",
    source: `${RECIPE_V4_FLASH}; ${RECIPE_V4_PRO} (docs/deepseek-2026-models.md §4)`,
  },
} as const;

/** Family flags for every vLLM release from 0.25.0 on (V4 DSpark's minimum); V4.1 is added by the profiles ≥ 0.30.0. */
export const VLLM_FAMILIES: Readonly<Partial<Record<ModelFamily, FamilyFlags>>> = {
  'deepseek-v2': { trustRemoteCode: true, expertParallelWithTp: false, sources: ['DeepSeek-V2 configs ship custom code (auto_map in config.json)'] },
  'deepseek-v3': { trustRemoteCode: true, expertParallelWithTp: true, speculative: MTP_V3, sources: ['vllm-project/recipes@5e93cbed:models/deepseek-ai/DeepSeek-V3.yaml base_args --trust-remote-code --enable-expert-parallel'] },
  'deepseek-r1': { trustRemoteCode: true, reasoningParser: 'deepseek_r1', expertParallelWithTp: true, speculative: MTP_V3, sources: [`${RECIPE_R1} base_args and reasoning feature (--reasoning-parser deepseek_r1)`] },
  'deepseek-v3.1': { trustRemoteCode: true, reasoningParser: 'deepseek_v3', expertParallelWithTp: true, speculative: MTP_V3, sources: [`${RECIPE_V31} base_args and reasoning feature (--reasoning-parser deepseek_v3)`] },
  'deepseek-v3.2': {
    trustRemoteCode: true, tokenizerMode: 'deepseek_v32', toolCallParser: 'deepseek_v32', reasoningParser: 'deepseek_v3', expertParallelWithTp: true, speculative: MTP_V3,
    // vLLM's sparse-MLA backends take 64-token blocks only on NVIDIA; the AMD recipe runs --block-size 1 (with bf16 KV).
    blockSizeTokens: 64,
    amdBlockSizeTokens: 1,
    sources: [
      `${RECIPE_V32} base_args, tool_calling (--tokenizer-mode deepseek_v32 --tool-call-parser deepseek_v32 --enable-auto-tool-choice), reasoning (--reasoning-parser deepseek_v3)`,
      `${RECIPE_V32} amd: --block-size 1 --kv-cache-dtype bfloat16, VLLM_ROCM_USE_AITER=1; vLLM supports block size 64 only for V3.2 on NVIDIA (docs/deepseek-2026-models.md §3)`,
    ],
  },
  'deepseek-v4': {
    ...V4_COMMON,
    speculative: {
      draft: 'mtp', args: ['--speculative-config', '{"method":"mtp","num_speculative_tokens":2}'], hopperArgs: ['--speculative-config', '{"method":"mtp","num_speculative_tokens":1}'],
      source: `${RECIPE_V4_FLASH} spec_decoding.modes.mtp (preview checkpoints carry an MTP head only; 1 draft token on Hopper)`,
    },
    sources: [`${RECIPE_V4_FLASH} and ${RECIPE_V4_PRO}: base_args, tool_calling, reasoning features`],
  },
  'deepseek-v4-dspark': {
    ...V4_COMMON,
    speculative: {
      draft: 'dspark', args: ['--speculative-config', '{"method":"dspark","num_speculative_tokens":7,"draft_sample_method":"probabilistic"}'],
      source: `${RECIPE_V4_FLASH} spec_decoding.modes.dspark (0731 and the DSpark repack; "do not use method: mtp on 0731 — that checkpoint has no MTP head")`,
    },
    sources: [`${RECIPE_V4_FLASH} variants default (0731) and ${RECIPE_V4_PRO} (0813): base_args, tool_calling, reasoning features`],
  },
  'deepseek-r1-distill': { trustRemoteCode: false, reasoningParser: 'deepseek_r1', expertParallelWithTp: false, sources: [`${DOCS_REASONING} (DeepSeek R1 series: deepseek_r1)`] },
};

/** V4.1-Flash flags, for releases ≥ 0.30.0. */
export const VLLM_V41_FAMILY: FamilyFlags = {
  // The recipe's base_args carry no --trust-remote-code: vLLM implements DeepseekV41ForCausalLM itself.
  trustRemoteCode: false,
  tokenizerMode: 'deepseek_v41',
  toolCallParser: 'deepseek_v41',
  reasoningParser: 'deepseek_v41',
  expertParallelWithTp: true,
  speculative: {
    draft: 'dspark',
    args: ['--speculative-config', '{"method":"dspark","num_speculative_tokens":5,"draft_sample_method":"probabilistic","rejection_sample_method":"block","enable_adaptive_verification":true}'],
    amdArgs: ['--speculative-config', '{"method":"dspark","num_speculative_tokens":5,"draft_sample_method":"probabilistic","rejection_sample_method":"block","enable_adaptive_verification":false}'],
    source: `${RECIPE_V41} features.spec_decoding (ROCm refuses adaptive verification)`,
  },
  sources: [`${RECIPE_V41} base_args (--tokenizer-mode deepseek_v41), tool_calling, reasoning features`],
};
