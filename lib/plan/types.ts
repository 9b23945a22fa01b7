import type {
  AnyGpuId, AttentionKind, CpuArchitecture, Decision, Engine, GpuVendor, Interconnect, KvCacheDtype, Precision,
  ResolvedKvCacheDtype, SpeculativeDraft, Target,
} from '../types';
import type { ServingLaunch } from '../serving/types';
import type { Notice } from '../notices';

/** A topology the planner considered: instance × nodes × TP × PP, with its cost and fit. */
export interface PlanTopology {
  readonly target: Target;
  readonly instanceType: string;
  /** Catalog GPU id, `custom` for a described local GPU, or `cpu` for a CPU-only plan. */
  readonly gpu: AnyGpuId | 'cpu';
  readonly gpuVendor: GpuVendor | 'cpu';
  readonly gpusPerNode: number;
  readonly nodes: number;
  /** Tensor parallelism of attention (and of the rest under TP × PP); 1 under data-parallel attention. */
  readonly tensorParallelSize: number;
  readonly pipelineParallelSize: number;
  /**
   * Data-parallel attention ranks inside one engine (vLLM --data-parallel-size with
   * --enable-expert-parallel, SGLang --dp-size with --enable-dp-attention): each rank runs attention at
   * TP 1 with its own KV pool, and the routed experts are sharded over all ranks. 1 under TP × PP.
   */
  readonly dataParallelSize: number;
  /** Routed experts are split whole over `expertParallelSize` GPUs (vLLM --enable-expert-parallel; SGLang with DP attention). */
  readonly expertParallel: boolean;
  /** GPUs the routed experts are sharded over: TP × DP with expert parallelism, else 1. */
  readonly expertParallelSize: number;
  /**
   * Independent copies of the model, each a whole engine (what `dataParallelSize` meant before data-parallel
   * attention). 1 unless the model's heads do not divide the node's GPU count: then TP takes the largest
   * divisor that works and the node runs GPUs ÷ TP replicas.
   */
  readonly replicas: number;
  readonly interconnect: Interconnect;
  /** EFA interfaces to attach per node (all of the type's EFA cards when multi-node on EFA, else 0). */
  readonly efaInterfacesPerNode: number;
  /** Host CPU architecture: the AMI and container images must match it (arm64 on Grace-based types). */
  readonly cpuArchitecture: CpuArchitecture;
}

export interface PlanCost {
  /** Hourly cost of all nodes, USD; undefined for local hardware without a price. */
  readonly hourlyUsd?: number;
  readonly priceSource?: string;
  readonly priceDate?: string;
  readonly priceRegion?: string;
}

export interface PlanMemory {
  /** GPU-resident weight bytes of the whole model at the served precision. */
  readonly weightsBytes: number;
  /** GPU-resident weight bytes on the most loaded GPU. */
  readonly weightsBytesPerGpu: number;
  /** KV bytes for one token across the whole model (all layers, one copy): the per-token slope. */
  readonly kvCacheBytesPerToken: number;
  /** KV bytes one GPU holds for one token (MLA latent replicated per TP rank; PP splits layers). */
  readonly kvCacheBytesPerTokenPerGpu: number;
  /**
   * KV bytes every request holds whatever its length, whole model, one copy: V4's sliding windows
   * and compressor state (in the engine's accounting); 0 for MHA/GQA/MLA/DSA.
   */
  readonly kvCacheBytesPerRequest: number;
  /** KV bytes for the requested workload (context × concurrency × slope + concurrency × per-request), whole model, one copy. */
  readonly kvCacheBytes: number;
  /** KV bytes for the requested workload on the most loaded GPU. */
  readonly kvCacheBytesPerGpu: number;
  /** Runtime overhead per GPU: CUDA context, activations, CUDA graphs, NCCL buffers. */
  readonly overheadBytesPerGpu: number;
  /** What the requested workload needs per GPU: weights + KV + overhead. */
  readonly perGpuBytes: number;
  /** GPU memory as reported by the provider. */
  readonly gpuCapacityBytes: number;
  /** Fraction of GPU memory the engine may use. */
  readonly gpuMemoryUtilization: number;
  /** Budget the engine allocates from: capacity × utilization. */
  readonly budgetBytesPerGpu: number;
  /** Budget minus what the workload needs (negative = does not fit). */
  readonly headroomBytesPerGpu: number;
  /** KV pool per GPU: budget minus weights and overhead. */
  readonly kvPoolBytesPerGpu: number;
  /**
   * Tokens one serving replica can hold in its KV pool for requests of `contextTokens`: the pool ÷
   * (slope + per-request constant ÷ contextTokens) per GPU, in whole blocks (vLLM's "GPU KV cache
   * size", which is max concurrency × max_model_len); the decisions name the accounting followed.
   */
  readonly kvTokenCapacity: number;
  /** Requests at full context the deployment holds: floor(kvTokenCapacity ÷ contextTokens) per replica (vLLM's "Maximum concurrency") × replicas. */
  readonly maxConcurrency: number;
}

export interface PlanStorage {
  /** Bytes of the checkpoint as released (what storage must hold; MTP layer included). */
  readonly checkpointBytes: number;
  /** Data volume size: ≥ 500 GiB and ≥ 1.15 × checkpoint (`VOLUME_HEADROOM` in lib/sizing/storage.ts), rounded up to 10 GiB. */
  readonly volumeGiB: number;
  /** The instance's local NVMe can hold the weights (RAID0 cache instead of, or in front of, EBS). */
  readonly preferInstanceStore: boolean;
  readonly localNvmeGB: number;
  /**
   * Which checkpoint `checkpointBytes` counts (lib/sizing/storage.ts `checkpointFor`): the release as
   * published, a 16-bit conversion of an FP8/FP4 release, or a pre-quantized checkpoint. Deploy warns
   * when the default model source cannot provide it.
   */
  readonly checkpointKind: CheckpointKind;
}

/** Which checkpoint a plan stores and loads (`PlanStorage.checkpointKind`). */
export type CheckpointKind = 'released' | 'bf16-conversion' | 'pre-quantized';

export interface PlanEstimates {
  /** Aggregate decode tokens/s at the requested concurrency, memory-bandwidth roofline (labelled estimate). */
  readonly decodeTokensPerSecond: number;
  /** Single-stream decode tokens/s (one request). */
  readonly singleStreamTokensPerSecond: number;
  readonly usdPerMillionOutputTokens?: number;
  /** How the estimate is made. */
  readonly basis: string;
}

export interface PlanAlternative {
  readonly topology: PlanTopology;
  readonly cost: PlanCost;
  readonly perGpuBytes: number;
  readonly gpuCapacityBytes: number;
  readonly headroomBytesPerGpu: number;
  readonly maxConcurrency: number;
  /** The layout in words: `TP 8 PP 1`, `TP 8 PP 1 + EP 8`, `DP 8 + EP 8` (the fields are in `topology`). */
  readonly parallelism: string;
  /** This instance type's local NVMe holds the checkpoint with the storage headroom (as `storage.preferInstanceStore` for the chosen type). */
  readonly preferInstanceStore: boolean;
}

export interface PlanModel {
  readonly id: string;
  readonly hfId?: string;
  readonly displayName: string;
  /** Backbone parameters (Engram memory tables excluded; MTP/draft layers excluded). */
  readonly totalParams: number;
  readonly activeParams: number;
  /** V4.1 Engram memory-table parameters, reported apart from `totalParams`; 0 without Engram. */
  readonly memoryParams: number;
  readonly attention: AttentionKind;
  readonly layers: number;
  readonly maxContextTokens: number;
  /** config.json max_position_embeddings: contexts above maxContextTokens up to this are planned with a warning. */
  readonly maxPositionEmbeddings: number;
  readonly moe: boolean;
  /** The speculative draft the checkpoint carries (MTP layers or DSpark stages); absent when none. */
  readonly speculativeDraft?: SpeculativeDraft;
}

/** The whole plan. Its JSON form is the stable contract of `deepseek-iac plan --json`. */
export interface Plan {
  readonly model: PlanModel;
  readonly precision: {
    readonly weights: Precision;
    readonly kvCache: ResolvedKvCacheDtype;
    readonly kvCacheRequested: KvCacheDtype;
  };
  readonly workload: { readonly contextTokens: number; readonly concurrency: number };
  readonly memory: PlanMemory;
  readonly topology: PlanTopology;
  readonly storage: PlanStorage;
  readonly serving: ServingLaunch;
  readonly cost: PlanCost;
  readonly estimates: PlanEstimates;
  readonly alternatives: readonly PlanAlternative[];
  readonly decisions: readonly Decision[];
  /** The messages of `notices`, in the same order (kept for readers of the plain list). */
  readonly warnings: readonly string[];
  /** Every warning with its stable code and severity (README.md "Notice codes"). */
  readonly notices: readonly Notice[];
  /** Re-exported for adapters that need to know the engine without reading serving. */
  readonly engine: Engine;
}
