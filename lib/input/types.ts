import type { CustomGpuDescription, Engine, GpuId, KvCacheDtype, Precision, Target } from '../types';

/** One local host of a described inventory (`--local-gpus h100:8,h100:8`). */
export interface LocalHost {
  /** A catalog GPU, or `custom` for one described by `customGpu`. */
  readonly gpu: GpuId | 'custom';
  /** What a `custom` GPU offers (required when gpu is `custom`, not allowed otherwise). */
  readonly customGpu?: CustomGpuDescription;
  readonly gpuCount: number;
  /** Host RAM, GiB. @default 1024 */
  readonly memoryGiB?: number;
  /** Free disk for weights, GB. @default 2000 */
  readonly diskGB?: number;
  /** Hosts are linked by RDMA (InfiniBand/RoCE) for multi-node. @default true */
  readonly rdma?: boolean;
}

export type { CustomGpuDescription } from '../types';

/**
 * What the user asks for. Every adapter takes these same fields (plus its own placement props).
 * Validated by `parseSpec` (zod); every problem is reported at once as a `PlanError`.
 */
export interface DeploymentSpec {
  /** Catalog id (`deepseek-r1`) or Hugging Face id (`deepseek-ai/DeepSeek-R1`). Exactly one of `model` / `hfConfig`. */
  readonly model?: string;
  /** A parsed Hugging Face config.json, for models outside the catalog. */
  readonly hfConfig?: Record<string, unknown>;
  /** Optional display id for an `hfConfig` model (e.g. its HF repository id). */
  readonly hfModelId?: string;
  /** Weight precision served on the GPU. @default the model's released precision (fp8 for V3/R1, bf16 otherwise) */
  readonly precision?: Precision;
  /** KV-cache dtype. @default 'auto' (bf16/fp16 as the activations) */
  readonly kvCacheDtype?: KvCacheDtype;
  /** Tokens per request (prompt + output) the deployment must hold. @default min(32768, model max) */
  readonly contextTokens?: number;
  /** Requests held concurrently at full context. @default 1 */
  readonly concurrency?: number;
  /** Where it runs. @default 'aws' */
  readonly target?: Target;
  /** Restrict to these GPU models. @default all of the target's */
  readonly gpus?: readonly GpuId[];
  /** Local inventory (target local): hosts with their GPUs. */
  readonly localHosts?: readonly LocalHost[];
  /** Most nodes a plan may use. @default 4 */
  readonly maxNodes?: number;
  /** Serving engine. @default 'vllm' ('llamacpp' for target cpu) */
  readonly engine?: Engine;
  /** Fraction of GPU memory the engine may allocate. @default 0.90 */
  readonly gpuMemoryUtilization?: number;
  /**
   * Also plan types sold only as EC2 Capacity Blocks for ML (P6e-GB200/GB300 UltraServers). They have
   * no On-Demand price: unpriced ones rank after every priced type unless `priceOverrides` prices them.
   * @default false
   */
  readonly capacityBlocks?: boolean;
  /** Override on-demand prices, USD per hour, by instance type. */
  readonly priceOverrides?: Readonly<Record<string, number>>;
  /** Pin one catalog instance type. */
  readonly instanceType?: string;
  /** Pin the node count. */
  readonly nodes?: number;
  /** Pin tensor parallelism (must divide attention heads and fit the node). */
  readonly tensorParallelSize?: number;
  /** Pin pipeline parallelism. */
  readonly pipelineParallelSize?: number;
  /**
   * Pin data-parallel attention ranks in one engine (vLLM --data-parallel-size, SGLang --dp-size with
   * --enable-dp-attention): attention TP 1 on every rank, routed experts sharded over all of them.
   * Must equal the GPUs of the deployment. Unset: the planner compares it with TP × PP.
   */
  readonly dataParallelSize?: number;
  /**
   * Pin expert parallelism on (true) or off (false) for MoE models. Unset: the planner chooses (DP
   * attention always runs EP; TP runs EP where the engine's recipe does).
   */
  readonly expertParallel?: boolean;
  /** Serving port. @default 8000 (vLLM), 30000 (SGLang), 8080 (llama.cpp) */
  readonly port?: number;
  /** Target cpu: the host (RAM, memory bandwidth, cores, sockets). @default 2 × EPYC 9004, 384 GiB (see lib/plan/cpu.ts) */
  readonly cpuHost?: {
    readonly ramGiB?: number;
    readonly memoryBandwidthGBps?: number;
    readonly cores?: number;
    readonly sockets?: number;
  };
  /** Target cpu: the GGUF file to serve. @default `<id>-<GGUF type>.gguf` */
  readonly ggufFile?: string;
}
