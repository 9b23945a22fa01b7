/**
 * deepseek-iac planning core: pure, synchronous, framework-free.
 * `planDeployment(spec)` sizes memory from the model's architecture, picks the cheapest feasible
 * topology and renders the serving launch; adapters (deepseek-iac/cdk, /cdktf, /pulumi, /local)
 * map the resulting `Plan` to infrastructure.
 */
export * from './types';
export { PlanError, isPlanError } from './errors';
export { NOTICE_DEFINITIONS, NOTICES, notice, type Notice, type NoticeCode, type NoticeDefinition, type NoticeLayer, type NoticeSeverity } from './notices';
export type { DeploymentSpec, LocalHost } from './input/types';
export { parseSpec, deploymentSpecSchema } from './input/schema';
export type * from './plan/types';
export type { PlanRequest } from './plan/request';
export { planDeployment, planRequest, MODEL_MOUNT_PATH } from './plan/planner';
export { resolveRequest, releasedPrecision, DEFAULT_CONTEXT_TOKENS, DEFAULT_MAX_NODES, DEFAULT_GPU_MEMORY_UTILIZATION } from './plan/resolve';
export { enumerateCandidates, compareCandidates, type Candidate } from './plan/candidates';
export { precisionSupport } from './plan/precision-support';
export { planCpuDeployment, DEFAULT_CPU_PORT, DEFAULT_CPU_PRECISION, type CpuDeploymentSpec, type CpuHostSpec } from './plan/cpu';
export { sizeCpu, GGUF_TYPES, GGUF_FOR_PRECISION, DEFAULT_CPU_HOST } from './sizing/cpu';
export * from './catalog';
export { countParams, type ParamCounts } from './sizing/params';
export { weightBytes, weightBytesPerGpu, checkpointBytes, engramBytes, pipelineStageLayers, BYTES_PER_PARAM } from './sizing/weights';
export { kvBytesPerToken, kvBytesPerTokenPerLayer, kvBytesPerRequest, kvGroups, attentionKind } from './sizing/kv-cache';
export { attentionStrategy, ATTENTION_STRATEGIES, type AttentionStrategy, type KvContext, type KvLayerGroup, type LayerKv } from './sizing/attention';
export { engineMemory, type EngineMemory, type EngineMemoryInput } from './sizing/engine-memory';
export { checkpointFor, volumeGiBFor, MIN_VOLUME_GIB } from './sizing/storage';
export { estimateDecode } from './sizing/throughput';
export type * from './serving/types';
export {
  renderLaunch, planServing, type ServingPlan, engineTraits, ENGINE_TRAITS, ENGINE_PROFILES, PINNED_PROFILES, selectProfile, familyOf,
  MIN_ENGINE_VERSION, kvBlockSizeTokens, batchCap, type EngineProfile, type ModelFamily,
} from './serving';
