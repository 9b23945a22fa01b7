/**
 * Hand-built model architectures and LaunchInput builders for the serving tests (the model catalog
 * is written elsewhere; these carry only what the renderer reads, with values from the HF configs).
 */
import type { ModelArchitecture } from '../../lib/types';
import type { LaunchInput } from '../../lib/serving/types';

/** DeepSeek-V3, from https://huggingface.co/deepseek-ai/DeepSeek-V3/blob/main/config.json. */
export const DEEPSEEK_V3: ModelArchitecture = {
  id: 'deepseek-v3',
  hfId: 'deepseek-ai/DeepSeek-V3',
  displayName: 'DeepSeek-V3',
  modelType: 'deepseek_v3',
  hiddenSize: 7168,
  numLayers: 61,
  numAttentionHeads: 128,
  numKeyValueHeads: 128,
  headDim: 192,
  intermediateSize: 18432,
  vocabSize: 129280,
  tieWordEmbeddings: false,
  attentionBias: false,
  qkNorm: false,
  // Published context 128K (config max_position_embeddings 163840 overstates it).
  maxContextTokens: 131072,
  mla: { qLoraRank: 1536, kvLoraRank: 512, qkRopeHeadDim: 64, qkNopeHeadDim: 128, vHeadDim: 128 },
  moe: {
    routedExperts: 256,
    sharedExperts: 1,
    expertsPerToken: 8,
    moeIntermediateSize: 2048,
    sharedExpertIntermediateSize: 2048,
    sharedExpertGate: false,
    firstDenseLayers: 3,
    layerFrequency: 1,
    routerBias: true,
  },
  mtpLayers: 1,
  nativeDtype: 'bf16',
  releasedQuantization: { method: 'fp8', format: 'e4m3', weightBlockSize: [128, 128], scaleFormat: 'float32' },
  sources: [{ url: 'https://huggingface.co/deepseek-ai/DeepSeek-V3/blob/main/config.json', status: 'confirmed' }],
};

/** DeepSeek-V2-Lite (BF16 release, MoE, model_type deepseek_v2), https://huggingface.co/deepseek-ai/DeepSeek-V2-Lite/blob/main/config.json. */
export const DEEPSEEK_V2_LITE: ModelArchitecture = {
  id: 'deepseek-v2-lite',
  hfId: 'deepseek-ai/DeepSeek-V2-Lite',
  displayName: 'DeepSeek-V2-Lite',
  modelType: 'deepseek_v2',
  hiddenSize: 2048,
  numLayers: 27,
  numAttentionHeads: 16,
  numKeyValueHeads: 16,
  headDim: 192,
  intermediateSize: 10944,
  vocabSize: 102400,
  tieWordEmbeddings: false,
  attentionBias: false,
  qkNorm: false,
  maxContextTokens: 32768,
  mla: { qLoraRank: null, kvLoraRank: 512, qkRopeHeadDim: 64, qkNopeHeadDim: 128, vHeadDim: 128 },
  moe: {
    routedExperts: 64,
    sharedExperts: 2,
    expertsPerToken: 6,
    moeIntermediateSize: 1408,
    sharedExpertIntermediateSize: 2816,
    sharedExpertGate: false,
    firstDenseLayers: 1,
    layerFrequency: 1,
    routerBias: false,
  },
  mtpLayers: 0,
  nativeDtype: 'bf16',
  sources: [{ url: 'https://huggingface.co/deepseek-ai/DeepSeek-V2-Lite/blob/main/config.json', status: 'confirmed' }],
};

/** Llama-3.1-8B-Instruct (dense, BF16), https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/blob/main/config.json. */
export const LLAMA_31_8B: ModelArchitecture = {
  id: 'llama-3.1-8b',
  hfId: 'meta-llama/Llama-3.1-8B-Instruct',
  displayName: 'Llama 3.1 8B Instruct',
  modelType: 'llama',
  hiddenSize: 4096,
  numLayers: 32,
  numAttentionHeads: 32,
  numKeyValueHeads: 8,
  headDim: 128,
  intermediateSize: 14336,
  vocabSize: 128256,
  tieWordEmbeddings: false,
  attentionBias: false,
  qkNorm: false,
  maxContextTokens: 131072,
  mtpLayers: 0,
  nativeDtype: 'bf16',
  sources: [{ url: 'https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/blob/main/config.json', status: 'confirmed' }],
};

/**
 * Pinned images, written out from their public records (docs/engines-2026.md §2): vLLM 0.31.0 (CUDA
 * manifest-list digest, ROCm base digest), SGLang 0.5.21 (multi-arch index digest; the MI30x ROCm tag
 * has no public digest), llama.cpp b9917 (CUDA and ROCm digests seen pinned; CPU tag only).
 */
export const IMAGES = {
  vllmNvidia: 'vllm/vllm-openai:v0.31.0@sha256:c1c9f6fd5c109ba7f0546a59f5b2f15fb87f64c77782e90a27b648b42a8e67c3',
  vllmNvidiaArm64: 'vllm/vllm-openai:v0.31.0-aarch64@sha256:3f7dd5b777d34d1724456ce71f87385dca288c3bb23029ab27dee358f5d2b971',
  vllmRocm: 'vllm/vllm-openai-rocm:v0.31.0@sha256:749f6f3f944f12af49966ac523c1f8573e4b229594b541954bd5f879b4496b1f',
  vllmAwsDlc: 'public.ecr.aws/deep-learning-containers/vllm:server-cuda-v2.3',
  sglangNvidia: 'lmsysorg/sglang:v0.5.21@sha256:b1259f3ea3275f66237c498ea388919729018bc9f01c3d638391e06e2cf3f469',
  sglangRocm: 'lmsysorg/sglang:v0.5.21-rocm10-mi30x',
  llamacppCpu: 'ghcr.io/ggml-org/llama.cpp:server-b9917',
  llamacppCuda: 'ghcr.io/ggml-org/llama.cpp:server-cuda-b9917@sha256:19b4445dba0f3be11af40386a3409b8ac4bccb275f8ee7728560202f1fe76a6d',
  llamacppRocm: 'ghcr.io/ggml-org/llama.cpp:server-rocm-b9917@sha256:a56e8917cc07c37b5730fc98ebac1a39a30ba0acb5ccadf52478f2798d736728',
} as const;

/** A valid single-node vLLM launch of DeepSeek-V3 FP8 on 8 NVIDIA H200s; override what a case changes. */
export function launchInput(overrides: Partial<LaunchInput> = {}): LaunchInput {
  return {
    engine: 'vllm',
    model: DEEPSEEK_V3,
    modelPath: 'deepseek-ai/DeepSeek-V3',
    servedModelName: 'deepseek-v3',
    precision: 'fp8',
    kvCacheDtype: 'bf16',
    gpuVendor: 'nvidia',
    gpu: 'h200',
    gpusPerNode: 8,
    nodes: 1,
    tensorParallelSize: 8,
    pipelineParallelSize: 1,
    contextTokens: 32768,
    concurrency: 16,
    gpuMemoryUtilization: 0.9,
    port: 8000,
    ...overrides,
  };
}

/** Split every argv element on whitespace, so flags inside `sh -c` scripts are visible as tokens. */
export function tokens(argv: readonly string[]): string[] {
  return argv.flatMap((a) => a.split(/\s+/)).filter((t) => t !== '');
}

/**
 * DeepSeek-V4-Flash (preview) as the renderer sees it, from the Flash config values in
 * docs/engines-2026.md §1 (hidden 4096, 43 layers, 64 heads, 1 KV head of 512, 256 routed experts
 * top-6, moe_intermediate 2048, 1 shared, vocab 129280, max_position_embeddings 1048576; released FP8
 * blocks with FP4 experts). The catalog entry is being added elsewhere; the renderer reads the id, the
 * model_type, the MoE block, the context and the released quantization.
 */
export const DEEPSEEK_V4_FLASH: ModelArchitecture = {
  id: 'deepseek-v4-flash',
  hfId: 'deepseek-ai/DeepSeek-V4-Flash',
  displayName: 'DeepSeek-V4-Flash',
  modelType: 'deepseek_v4',
  hiddenSize: 4096,
  numLayers: 43,
  numAttentionHeads: 64,
  numKeyValueHeads: 1,
  headDim: 512,
  intermediateSize: 2048,
  vocabSize: 129280,
  tieWordEmbeddings: false,
  attentionBias: false,
  qkNorm: false,
  maxContextTokens: 1048576,
  moe: {
    routedExperts: 256,
    sharedExperts: 1,
    expertsPerToken: 6,
    moeIntermediateSize: 2048,
    sharedExpertIntermediateSize: 2048,
    sharedExpertGate: false,
    firstDenseLayers: 0,
    layerFrequency: 1,
    routerBias: true,
  },
  mtpLayers: 1,
  nativeDtype: 'bf16',
  releasedQuantization: { method: 'fp8', format: 'e4m3', weightBlockSize: [128, 128], scaleFormat: 'ue8m0' },
  sources: [{ url: 'https://huggingface.co/deepseek-ai/DeepSeek-V4-Flash/blob/main/config.json', status: 'third-party', note: 'values as collected in docs/engines-2026.md §1' }],
};

/** V4-Flash-0731: the V4-Flash architecture with the fused DSpark draft (catalog id deepseek-v4-flash-0731). */
export const DEEPSEEK_V4_FLASH_0731: ModelArchitecture = { ...DEEPSEEK_V4_FLASH, id: 'deepseek-v4-flash-0731', hfId: 'deepseek-ai/DeepSeek-V4-Flash-0731', displayName: 'DeepSeek-V4-Flash-0731', mtpLayers: 0 };

/** V4-Pro-0813: DSpark draft as well (hidden 7168, 61 layers, 128 heads, 384 experts, moe_intermediate 3072; docs/engines-2026.md §1). */
export const DEEPSEEK_V4_PRO_0813: ModelArchitecture = {
  ...DEEPSEEK_V4_FLASH,
  id: 'deepseek-v4-pro-0813',
  hfId: 'deepseek-ai/DeepSeek-V4-Pro-0813',
  displayName: 'DeepSeek-V4-Pro-0813',
  hiddenSize: 7168,
  numLayers: 61,
  numAttentionHeads: 128,
  moe: { ...DEEPSEEK_V4_FLASH.moe!, routedExperts: 384, moeIntermediateSize: 3072, sharedExpertIntermediateSize: 3072 },
  mtpLayers: 0,
};

/** V4.1-Flash (model_type deepseek_v41; text_config hidden 5120, 40 layers, 384 experts top-6, moe_intermediate 2304; docs/engines-2026.md §1). */
export const DEEPSEEK_V41_FLASH: ModelArchitecture = {
  ...DEEPSEEK_V4_FLASH,
  id: 'deepseek-v4.1-flash',
  hfId: 'deepseek-ai/DeepSeek-V4.1-Flash',
  displayName: 'DeepSeek-V4.1-Flash',
  modelType: 'deepseek_v41',
  hiddenSize: 5120,
  numLayers: 40,
  moe: { ...DEEPSEEK_V4_FLASH.moe!, routedExperts: 384, moeIntermediateSize: 2304, sharedExpertIntermediateSize: 2304 },
  mtpLayers: 0,
  releasedQuantization: { method: 'fp8', format: 'e4m3', weightBlockSize: [32, 32], scaleFormat: 'ue8m0' },
};

/** V3.2 (model_type deepseek_v32): the V3 layout plus the DSA indexer (docs/engines-2026.md §1). */
export const DEEPSEEK_V32: ModelArchitecture = { ...DEEPSEEK_V3, id: 'deepseek-v3.2', hfId: 'deepseek-ai/DeepSeek-V3.2', displayName: 'DeepSeek-V3.2', modelType: 'deepseek_v32' };

/** DeepSeek-R1 (model_type deepseek_v3, the V3 architecture). */
export const DEEPSEEK_R1: ModelArchitecture = { ...DEEPSEEK_V3, id: 'deepseek-r1', hfId: 'deepseek-ai/DeepSeek-R1', displayName: 'DeepSeek-R1' };
