import type { Decision, Engine, GpuId, InstanceSpec, ModelArchitecture, Precision, ResolvedKvCacheDtype, KvCacheDtype, Target } from '../types';
import type { LocalHost } from '../input/types';
import type { Notice } from '../notices';

/** A validated, defaulted request: everything the planner needs, with the reasons for each default. */
export interface PlanRequest {
  readonly arch: ModelArchitecture;
  readonly precision: Precision;
  readonly kvCacheRequested: KvCacheDtype;
  readonly kvCacheDtype: ResolvedKvCacheDtype;
  readonly contextTokens: number;
  readonly concurrency: number;
  readonly target: Target;
  readonly engine: Engine;
  readonly gpuFilter?: readonly GpuId[];
  readonly maxNodes: number;
  readonly gpuMemoryUtilization: number;
  /** Instances the planner may choose from (target, GPU filter, pins and price overrides applied). */
  readonly instances: readonly InstanceSpec[];
  /** Local inventory: how many identical hosts each local instance type has. */
  readonly hostsPerInstanceType: Readonly<Record<string, number>>;
  readonly localHosts?: readonly LocalHost[];
  readonly pinnedNodes?: number;
  readonly pinnedTensorParallelSize?: number;
  readonly pinnedPipelineParallelSize?: number;
  /** Pinned data-parallel attention ranks (DP+EP). */
  readonly pinnedDataParallelSize?: number;
  /** Pinned expert parallelism (true/false); undefined: the planner chooses. */
  readonly pinnedExpertParallel?: boolean;
  readonly pinnedInstanceType?: string;
  readonly port?: number;
  readonly decisions: readonly Decision[];
  /** Notices raised while resolving (context above the published length, described GPUs). */
  readonly notices: readonly Notice[];
}
