import { GPUS } from '../catalog/gpus';
import { INSTANCES, withPriceOverrides } from '../catalog/instances';
import { parseHfConfig } from '../catalog/hf-config';
import { resolveModel } from '../catalog/models';
import { closestMatch } from '../catalog/suggest';
import { customGpu } from '../catalog/custom-gpu';
import { applyPurchaseRule } from './purchase';
import { isPlanError, PlanError } from '../errors';
import { deploymentSpecSchema, parseSpec } from '../input/schema';
import type { DeploymentSpec, LocalHost } from '../input/types';
import type { Decision, GpuId, InstanceSpec, Issue, ModelArchitecture, Precision, ResolvedKvCacheDtype } from '../types';
import type { PlanRequest } from './request';
import { engineTraits } from '../serving/engine-traits';
import { ENGINES } from '../types';
import { notice, type Notice } from '../notices';

/** Default context when none is given: 32K, the R1 family's maximum generation length, capped at the model's maximum. */
export const DEFAULT_CONTEXT_TOKENS = 32_768;
export const DEFAULT_MAX_NODES = 4;
export const DEFAULT_GPU_MEMORY_UTILIZATION = 0.9;

/** GPUs each cloud target offers in our catalog (AWS has no MI300X instance type: facts §5a). */
function gpusOffered(target: 'aws' | 'azure', instances: readonly InstanceSpec[]): Set<GpuId> {
  return new Set(instances.filter((i) => i.target === target && i.gpu !== 'custom').map((i) => i.gpu as GpuId));
}

/**
 * Validate a raw spec and resolve every default. Collects every problem (structure, model, context,
 * target/GPU combinations, pins, price overrides) and throws them together as one `PlanError`.
 */
export function resolveRequest(input: unknown): PlanRequest {
  const issues: Issue[] = [];
  const spec = parseLeniently(input, issues);
  const decisions: Decision[] = [];
  const notices: Notice[] = [];
  const collect = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (e) {
      if (isPlanError(e)) issues.push(...e.issues);
      else throw e;
      return undefined;
    }
  };

  const arch = collect(() => resolveArchitecture(spec));
  const target = spec.target ?? 'aws';
  if (target === 'cpu') issues.push({ path: 'target', message: 'target "cpu" is planned by planCpuDeployment (planDeployment routes it there)' });
  if (target !== 'cpu' && (spec.cpuHost || spec.ggufFile)) issues.push({ path: spec.cpuHost ? 'cpuHost' : 'ggufFile', message: `applies to target "cpu" only, not "${target}"` });
  if (!spec.target) decisions.push({ field: 'topology.target', value: target, reason: 'default target' });
  const engine = spec.engine ?? 'vllm';
  if (ENGINES.includes(engine) && !engineTraits(engine).plannedOnGpuTargets) {
    const gpuEngines = ENGINES.filter((e) => engineTraits(e).plannedOnGpuTargets).map((e) => `"${e}"`).join(' or ');
    issues.push({ path: 'engine', message: `engine "${engine}" is the CPU fallback and is not planned on GPU targets; use ${gpuEngines}` });
  }
  decisions.push({ field: 'serving.engine', value: engine, reason: spec.engine ? 'requested' : 'default engine (vLLM: PP across nodes, the widest hardware support)' });

  const precision: Precision = spec.precision ?? defaultPrecision(arch);
  decisions.push({
    field: 'precision.weights',
    value: precision,
    reason: spec.precision ? 'requested' : releasedReason(arch),
  });
  const kvCacheRequested = spec.kvCacheDtype ?? 'auto';
  const kvCacheDtype: ResolvedKvCacheDtype = kvCacheRequested === 'auto' ? (precision === 'fp16' ? 'fp16' : 'bf16') : kvCacheRequested;
  decisions.push({ field: 'precision.kvCache', value: kvCacheDtype, reason: kvCacheRequested === 'auto' ? 'auto: the activation dtype' : 'requested' });

  let contextTokens = spec.contextTokens ?? DEFAULT_CONTEXT_TOKENS;
  if (arch) {
    if (spec.contextTokens === undefined) {
      contextTokens = Math.min(DEFAULT_CONTEXT_TOKENS, arch.maxContextTokens);
      decisions.push({ field: 'workload.contextTokens', value: contextTokens, reason: `default: ${DEFAULT_CONTEXT_TOKENS} tokens (R1's maximum generation length) capped at the model's ${arch.maxContextTokens}` });
    } else {
      // The engines accept up to max_position_embeddings; above the published context the model was not validated.
      const engineMax = Math.max(arch.maxPositionEmbeddings ?? arch.maxContextTokens, arch.maxContextTokens);
      if (spec.contextTokens > engineMax) {
        const also = engineMax > arch.maxContextTokens ? ` (published) and its max_position_embeddings of ${engineMax}` : ' tokens';
        issues.push({ path: 'contextTokens', message: `${spec.contextTokens} exceeds ${arch.id}'s maximum context of ${arch.maxContextTokens}${also}; use at most ${engineMax}` });
      } else if (spec.contextTokens > arch.maxContextTokens) {
        notices.push(notice('DSIAC-PLAN1', `contextTokens ${spec.contextTokens} is above ${arch.id}'s published context of ${arch.maxContextTokens} tokens (its config allows ${engineMax}): quality past the published length is not validated`));
      }
    }
  }
  const concurrency = spec.concurrency ?? 1;
  const maxNodes = spec.maxNodes ?? DEFAULT_MAX_NODES;
  const gpuMemoryUtilization = spec.gpuMemoryUtilization ?? DEFAULT_GPU_MEMORY_UTILIZATION;

  // Instances: cloud catalog or the described local inventory.
  let instances: InstanceSpec[] = [];
  const hostsPerInstanceType: Record<string, number> = {};
  if (target === 'local') {
    const given = typeof input === 'object' && input !== null && (input as Record<string, unknown>).localHosts !== undefined;
    if (!spec.localHosts && !given) issues.push({ path: 'localHosts', message: 'target "local" needs an inventory: --local-gpus GPU:COUNT[,GPU:COUNT…], e.g. mi300x:8' });
    else if (spec.localHosts) instances = localInstances(spec.localHosts, hostsPerInstanceType, decisions, notices);
  } else {
    if (spec.localHosts) issues.push({ path: 'localHosts', message: `a local inventory only applies to target "local", not "${target}"` });
    const priced = collect(() => (spec.priceOverrides ? withPriceOverrides(INSTANCES, spec.priceOverrides) : [...INSTANCES]));
    instances = (priced ?? [...INSTANCES]).filter((i) => i.target === target);
    if (spec.gpus) {
      const offered = gpusOffered(target as 'aws' | 'azure', INSTANCES);
      spec.gpus.forEach((g, idx) => {
        if (!offered.has(g)) {
          const hint = g === 'mi300x' ? '; MI300X is offered on Azure (--target azure) or on your own hosts (--target local --local-gpus mi300x:8)' : '';
          issues.push({ path: `gpus[${idx}]`, message: `${target} offers no ${GPUS[g].name} instance in the catalog${hint}; ${target} GPUs: ${[...offered].join(', ')}` });
        }
      });
    }
  }
  if (spec.gpus) instances = instances.filter((i) => spec.gpus!.some((g) => g === i.gpu));

  if (spec.instanceType) {
    const pool = target === 'local' ? instances : INSTANCES.filter((i) => i.target === target);
    const hit = pool.find((i) => i.instanceType === spec.instanceType);
    if (!hit) {
      const near = closestMatch(spec.instanceType, pool.map((i) => i.instanceType));
      issues.push({ path: 'instanceType', message: `"${spec.instanceType}" is not a ${target} instance type in the catalog${near ? `; did you mean "${near}"?` : ''}` });
    } else {
      instances = instances.filter((i) => i.instanceType === spec.instanceType);
      if (instances.length === 0) issues.push({ path: 'instanceType', message: `"${spec.instanceType}" has ${hit.gpu}, which the gpus filter excludes` });
    }
  }
  if (target !== 'local') {
    const purchase = applyPurchaseRule(instances, spec);
    instances = purchase.instances;
    decisions.push(...purchase.decisions);
    issues.push(...purchase.issues);
  }
  if (spec.nodes !== undefined && spec.nodes > maxNodes) {
    issues.push({ path: 'nodes', message: `${spec.nodes} nodes exceeds maxNodes ${maxNodes}; raise maxNodes or pin fewer nodes` });
  }
  if (arch && spec.tensorParallelSize !== undefined && arch.numAttentionHeads % spec.tensorParallelSize !== 0) {
    issues.push({ path: 'tensorParallelSize', message: `${spec.tensorParallelSize} does not divide ${arch.id}'s ${arch.numAttentionHeads} attention heads; use a divisor such as ${divisors(arch.numAttentionHeads).filter((d) => d <= 64).join(', ')}` });
  }
  if (arch && spec.pipelineParallelSize !== undefined && spec.pipelineParallelSize > arch.numLayers) {
    issues.push({ path: 'pipelineParallelSize', message: `${spec.pipelineParallelSize} exceeds ${arch.id}'s ${arch.numLayers} layers` });
  }
  if (spec.dataParallelSize !== undefined && spec.dataParallelSize > 1) {
    if (arch && !arch.moe) issues.push({ path: 'dataParallelSize', message: `${spec.dataParallelSize}: data-parallel attention with expert parallelism is planned for MoE models; ${arch.id} is dense (run replicas instead)` });
    if (spec.expertParallel === false) issues.push({ path: 'expertParallel', message: 'false conflicts with dataParallelSize > 1: data-parallel attention shards the experts over its ranks (expert parallelism)' });
    if ((spec.tensorParallelSize ?? 1) > 1 || (spec.pipelineParallelSize ?? 1) > 1) issues.push({ path: 'dataParallelSize', message: `${spec.dataParallelSize} is planned with attention TP 1 and PP 1; leave tensorParallelSize and pipelineParallelSize unset` });
  }
  if (spec.expertParallel === true && arch && !arch.moe) issues.push({ path: 'expertParallel', message: `true: ${arch.id} is dense and has no experts` });
  if (issues.length > 0 || !arch) throw new PlanError(issues);

  return {
    arch, precision, kvCacheRequested, kvCacheDtype, contextTokens, concurrency, target, engine,
    gpuFilter: spec.gpus, maxNodes, gpuMemoryUtilization, instances, hostsPerInstanceType,
    localHosts: spec.localHosts, pinnedNodes: spec.nodes, pinnedTensorParallelSize: spec.tensorParallelSize,
    pinnedPipelineParallelSize: spec.pipelineParallelSize, pinnedDataParallelSize: spec.dataParallelSize,
    pinnedExpertParallel: spec.expertParallel, pinnedInstanceType: spec.instanceType, port: spec.port,
    decisions, notices,
  };
}

/**
 * Structural validation that does not stop at the first bad field: the issues are kept, the bad
 * fields dropped, and the rest validated again so semantic checks (unknown model, context above the
 * model's maximum) are reported in the same error.
 */
function parseLeniently(input: unknown, issues: Issue[]): DeploymentSpec {
  try {
    return parseSpec(input);
  } catch (e) {
    if (!isPlanError(e)) throw e;
    issues.push(...e.issues);
    const bad = new Set(e.issues.map((i) => i.path.split(/[.[]/)[0]));
    const raw = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
    const rest = Object.fromEntries(Object.entries(raw).filter(([k]) => !bad.has(k) && k in deploymentSpecSchema.shape));
    if (rest.model === undefined && rest.hfConfig === undefined) throw new PlanError(issues);
    const again = deploymentSpecSchema.safeParse(rest);
    if (!again.success) throw new PlanError(issues);
    return again.data as DeploymentSpec;
  }
}

function resolveArchitecture(spec: DeploymentSpec): ModelArchitecture {
  // An id safe for paths and resource names: `Qwen/Qwen2.5-7B` → `qwen--qwen2.5-7b`.
  if (spec.hfConfig) return parseHfConfig(spec.hfConfig, { hfId: spec.hfModelId, id: spec.hfModelId?.toLowerCase().replace(/[^a-z0-9._-]+/g, '--') });
  return resolveModel(spec.model!, 'model');
}

/** Why the default precision is what it is: the release's format. */
function releasedReason(arch: ModelArchitecture | undefined): string {
  const q = arch?.releasedQuantization;
  if (!q) return `the model is released in ${arch?.nativeDtype ?? 'bf16'}`;
  const blocks = `${q.weightBlockSize.join('×')} blocks, ${q.scaleFormat} scales`;
  if (q.routedExpertFormat === 'mxfp4') return `the model is released with MXFP4 routed experts and FP8 (${q.format}, ${blocks}) for the rest, bf16 embeddings and head: fp4 serves it as released`;
  return `the model is released in ${q.method.toUpperCase()} (${q.format}, ${q.weightBlockSize.join('×')} blocks)`;
}

/** The precision a model is released in (the plan's default): fp4 for FP4-expert releases, fp8 for FP8 ones, else its dtype. */
export function releasedPrecision(arch: ModelArchitecture): Precision {
  return defaultPrecision(arch);
}

function defaultPrecision(arch: ModelArchitecture | undefined): Precision {
  if (arch?.releasedQuantization?.routedExpertFormat === 'mxfp4') return 'fp4';
  if (arch?.releasedQuantization?.method === 'fp8') return 'fp8';
  return arch?.nativeDtype === 'fp16' ? 'fp16' : 'bf16';
}

function divisors(n: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= n; d++) if (n % d === 0) out.push(d);
  return out;
}

/**
 * Turn a described inventory into instance types: identical hosts form one type whose node count is
 * limited to how many such hosts exist. Hosts link over RDMA (InfiniBand/RoCE) unless told otherwise.
 */
function localInstances(hosts: readonly LocalHost[], counts: Record<string, number>, decisions: Decision[], notices: Notice[]): InstanceSpec[] {
  const byType = new Map<string, InstanceSpec>();
  for (const h of hosts) {
    const custom = h.gpu === 'custom' && h.customGpu ? customGpu(h.customGpu) : undefined;
    const gpu = custom ? custom.spec : GPUS[h.gpu as GpuId];
    const rdma = h.rdma ?? true;
    // Hosts differing in GPUs, RAM, disk or fabric are different types: only identical hosts pair up.
    const extras = [h.memoryGiB !== undefined ? `ram${h.memoryGiB}` : '', h.diskGB !== undefined ? `disk${h.diskGB}` : '', h.rdma === false ? 'eth' : ''].filter(Boolean);
    const gpuLabel = custom ? `custom-${h.customGpu!.memoryGiB}gib` : h.gpu;
    const type = `local:${h.gpuCount}x${gpuLabel}${extras.length ? `:${extras.join(':')}` : ''}`;
    counts[type] = (counts[type] ?? 0) + 1;
    if (byType.has(type)) continue;
    if (custom) {
      decisions.push({ field: 'localHosts.customGpu', value: type, reason: `described GPU, not in the catalog: ${gpu.name}, ${gpu.memoryBandwidthGBps} GB/s, FP8 ${gpu.nativeFp8 ? 'yes' : 'no'}, FP4 ${gpu.nativeFp4 ? 'yes' : 'no'}, ${gpu.intraNodeLinkKind}` });
      notices.push(notice('DSIAC-PLAN2', `${type}: planned on a described GPU; assumed ${custom.assumptions.join('; ')}`));
    }
    byType.set(type, {
      instanceType: type,
      target: 'local',
      gpu: h.gpu,
      ...(custom ? { customGpu: { spec: custom.spec, visibleBytes: custom.visibleBytes } } : {}),
      gpuCount: h.gpuCount,
      gpuMemoryMiB: gpu.reportedMemoryMiB,
      cpuArchitecture: 'x86_64',
      vcpus: 0,
      memoryGiB: h.memoryGiB ?? 1024,
      networkGbps: 0,
      efaInterfaces: 0,
      interconnect: rdma ? 'infiniband' : 'ethernet',
      localNvmeGB: h.diskGB ?? 2000,
      localNvmeDevices: 0,
      sources: [{ url: 'spec:localHosts', status: 'confirmed', note: 'described by the caller' }],
    });
  }
  return [...byType.values()];
}
