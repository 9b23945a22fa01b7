/**
 * What an engine does the same way in every pinned release: the properties the planner, the memory
 * model and the adapters ask about an engine. They read them here instead of testing
 * `engine === 'vllm'`, so a new engine or release changes one table (README: "Engine traits").
 */
import type { Engine } from '../types';

/** How the engine's KV pool is budgeted at start-up (lib/sizing/engine-memory.ts implements each). */
export type EngineMemoryModel =
  /** vLLM V1: budget − weights − profiled activation peak − non-torch memory. */
  | 'profiled-activation'
  /** SGLang: the static fraction holds weights and KV; activations and CUDA graphs use the rest. */
  | 'static-fraction'
  /** llama.cpp: host RAM, sized by the CPU planner. */
  | 'host-ram';

/** How the engine spreads one model over several GPUs and nodes. */
export type GpuLayout =
  /** vLLM: tensor parallel inside a node, pipeline parallel across nodes (vLLM's parallelism guidance). */
  | 'tp-in-node-pp-across'
  /** SGLang: tensor parallel over every GPU of every node (its DeepSeek multi-node recipes: TP16/TP32). */
  | 'tp-over-all-gpus'
  /** llama.cpp: one node. */
  | 'single-node';

/** Version-independent properties of an engine. */
export interface EngineTraits {
  readonly engine: Engine;
  readonly displayName: string;
  /** Planned on GPU targets (llama.cpp is the CPU fallback only). */
  readonly plannedOnGpuTargets: boolean;
  /** The flag that sets the share of GPU memory the engine budgets from. */
  readonly memoryFractionFlag?: '--gpu-memory-utilization' | '--mem-fraction-static';
  /** Default HTTP port of the engine's server (vLLM 8000, SGLang 30000, llama-server 8080). */
  readonly defaultPort: number;
  readonly memoryModel: EngineMemoryModel;
  readonly gpuLayout: GpuLayout;
  /** Why the layout, for the plan's decisions. */
  readonly layoutReason: string;
  /** Env var each multi-node container sets to its own IP (vLLM over Ray: VLLM_HOST_IP). */
  readonly hostIpEnv?: string;
  /** Extra advice when FP8 runs weight-only on an A100. */
  readonly ampereFp8Advice?: string;
  /** The image ships curl for the health check (else python3's urllib is used). */
  readonly healthCheckWithCurl: boolean;
  /**
   * GPU vendors on which the engine runs data-parallel attention with expert parallelism for MoE models
   * (vLLM `--data-parallel-size N --enable-expert-parallel`: the DeepSeek recipes run it on NVIDIA, their
   * AMD commands use TP; SGLang `--dp N --enable-dp-attention`, its cited AMD runs use TP too; docs/engines-2026.md §8).
   */
  readonly dataParallelAttentionVendors: readonly ('nvidia' | 'amd')[];
  /** The flag for the data-parallel attention ranks (for decisions). */
  readonly dataParallelFlag?: string;
}

export const ENGINE_TRAITS: Readonly<Record<Engine, EngineTraits>> = {
  vllm: {
    engine: 'vllm',
    displayName: 'vLLM',
    plannedOnGpuTargets: true,
    memoryFractionFlag: '--gpu-memory-utilization',
    defaultPort: 8000,
    memoryModel: 'profiled-activation',
    gpuLayout: 'tp-in-node-pp-across',
    layoutReason: 'TP = GPUs per node: tensor traffic stays on NVLink/xGMI',
    hostIpEnv: 'VLLM_HOST_IP',
    healthCheckWithCurl: false,
    dataParallelAttentionVendors: ['nvidia'],
    dataParallelFlag: '--data-parallel-size N --enable-expert-parallel',
  },
  sglang: {
    engine: 'sglang',
    displayName: 'SGLang',
    plannedOnGpuTargets: true,
    memoryFractionFlag: '--mem-fraction-static',
    defaultPort: 30000,
    memoryModel: 'static-fraction',
    gpuLayout: 'tp-over-all-gpus',
    layoutReason: 'SGLang runs TP across every GPU (its DeepSeek multi-node recipes: TP16/TP32)',
    ampereFp8Advice: 'SGLang recommends BF16, INT8 or AWQ on A100 instead',
    healthCheckWithCurl: false,
    // The cited AMD DeepSeek runs (V4-Flash FP8 on MI300X, R1 on MI300X) use TP8: DP attention is planned on NVIDIA only.
    dataParallelAttentionVendors: ['nvidia'],
    dataParallelFlag: '--tp-size N --dp-size N --enable-dp-attention',
  },
  llamacpp: {
    engine: 'llamacpp',
    displayName: 'llama.cpp',
    plannedOnGpuTargets: false,
    defaultPort: 8080,
    memoryModel: 'host-ram',
    gpuLayout: 'single-node',
    layoutReason: 'llama.cpp serves from one host',
    healthCheckWithCurl: true,
    dataParallelAttentionVendors: [],
  },
};

/** The traits of an engine. */
export function engineTraits(engine: Engine): EngineTraits {
  return ENGINE_TRAITS[engine];
}
