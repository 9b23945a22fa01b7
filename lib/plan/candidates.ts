import { gpuOf } from '../catalog/gpus';
import { visibleBytesOf } from '../catalog/gpu-visible-memory';
import { attentionStrategy } from '../sizing/attention';
import { engineMemory, type EngineMemory } from '../sizing/engine-memory';
import { linkRank } from '../sizing/interconnect';
import { estimateDecode } from '../sizing/throughput';
import { checkpointFor, VOLUME_HEADROOM } from '../sizing/storage';
import type { InstanceSpec, ModelArchitecture } from '../types';
import type { PlanTopology } from './types';
import { precisionSupport } from './precision-support';
import type { PlanRequest } from './request';
import { engineTraits, expertParallelWithTpByRecipe, familyHardwareProblem, vllmDefaultMaxNumSeqs } from '../serving';

/** One instance × node count × parallelism the planner considered, feasible or not. */
export interface Candidate {
  readonly instance: InstanceSpec;
  readonly topology: PlanTopology;
  readonly hourlyUsd?: number;
  /** Empty when feasible; otherwise why not. */
  readonly rejections: readonly string[];
  readonly memory?: EngineMemory;
  /** Budget minus what the workload needs on the tightest GPU. */
  readonly headroomBytes: number;
  readonly perGpuBytes: number;
  /** Requests at full context all ranks and replicas hold together. */
  readonly maxConcurrency: number;
  /** Aggregate decode estimate at the workload (the tie-breaker between layouts on the same hardware). */
  readonly decodeTokensPerSecond?: number;
  /** vLLM: the --max-num-seqs per rank the activation was sized for, which the launch renders. */
  readonly maxNumSeqs?: number;
}

const QUANT_BLOCK = 128;
const MXFP4_GROUP = 32;

/** Every candidate for the request, feasible and not, in enumeration order: every parallel layout on every instance × node count. */
export function enumerateCandidates(req: PlanRequest): Candidate[] {
  const out: Candidate[] = [];
  for (const instance of req.instances) {
    const hostLimit = req.target === 'local' ? (req.hostsPerInstanceType[instance.instanceType] ?? 1) : Infinity;
    const maxNodes = Math.min(req.maxNodes, hostLimit);
    for (let nodes = 1; nodes <= req.maxNodes; nodes++) {
      if (req.pinnedNodes !== undefined && nodes !== req.pinnedNodes) continue;
      // Node counts beyond the inventory are only worth a candidate when pinned (to say why not).
      if (nodes > maxNodes && req.pinnedNodes === undefined) break;
      const limit = nodes > maxNodes ? `only ${hostLimit} ${instance.instanceType} host(s) in the inventory` : undefined;
      for (const layout of layoutsFor(req, instance, nodes)) out.push(evaluate(req, instance, nodes, layout, limit));
    }
  }
  return out;
}

/** A parallel layout: TP × PP (with or without EP) and replicas, or data-parallel attention with EP. */
export interface Layout {
  readonly tp: number;
  readonly pp: number;
  /** Data-parallel attention ranks in one engine (1 under TP × PP). */
  readonly dp: number;
  /** Independent copies of the model. */
  readonly replicas: number;
  readonly expertParallel: boolean;
}

/**
 * The layouts planned on `nodes` × `instance`: TP × PP (the engine's layout, see {@link parallelism}),
 * and for MoE models data-parallel attention with expert parallelism over every GPU where the engine
 * runs it on the GPU's vendor. Pins narrow the list.
 */
export function layoutsFor(req: PlanRequest, instance: InstanceSpec, nodes: number): Layout[] {
  const total = instance.gpuCount * nodes;
  const out: Layout[] = [];
  const dpPinned = req.pinnedDataParallelSize;
  if (dpPinned === undefined || dpPinned === 1) {
    const { tp, pp, dp } = parallelism(req, instance.gpuCount, nodes);
    out.push({ tp, pp, dp: 1, replicas: dp, expertParallel: req.pinnedExpertParallel ?? expertParallelWithTp(req, instance, tp) });
  }
  const traits = engineTraits(req.engine);
  const vendor = gpuOf(instance).vendor;
  const tpPinned = req.pinnedTensorParallelSize !== undefined || req.pinnedPipelineParallelSize !== undefined;
  const dpAllowed = req.arch.moe !== undefined && traits.dataParallelAttentionVendors.includes(vendor) && req.pinnedExpertParallel !== false && !tpPinned;
  if ((dpPinned !== undefined && dpPinned > 1) || (dpPinned === undefined && dpAllowed && total > 1)) {
    out.push({ tp: 1, pp: 1, dp: dpPinned ?? total, replicas: 1, expertParallel: true });
  }
  return out;
}

/** TP runs EP where the engine's recipe for the family does (vLLM's DeepSeek recipes on NVIDIA: TP+EP). */
function expertParallelWithTp(req: PlanRequest, instance: InstanceSpec, tp: number): boolean {
  return req.arch.moe !== undefined && tp > 1 && expertParallelWithTpByRecipe(req.engine, req.arch, gpuOf(instance).vendor);
}

/**
 * TP, PP and replicas for a node count: vLLM puts TP inside a node and PP across nodes; SGLang's
 * DeepSeek recipes run TP across every GPU. On one node whose GPU count the model's heads do not
 * divide (28 heads on 8 GPUs), TP takes the largest divisor that satisfies the engines' rules and the
 * node runs GPUs ÷ TP replicas (returned as `dp`), rather than leaving GPUs idle.
 */
export function parallelism(req: PlanRequest, gpusPerNode: number, nodes: number): { tp: number; pp: number; dp: number } {
  const total = gpusPerNode * nodes;
  if (req.pinnedTensorParallelSize !== undefined || req.pinnedPipelineParallelSize !== undefined) {
    const tp = req.pinnedTensorParallelSize ?? Math.floor(total / (req.pinnedPipelineParallelSize ?? 1));
    const pp = req.pinnedPipelineParallelSize ?? Math.floor(total / tp);
    return { tp, pp, dp: 1 };
  }
  const layout = engineTraits(req.engine).gpuLayout === 'tp-over-all-gpus' ? { tp: total, pp: 1, dp: 1 } : { tp: gpusPerNode, pp: nodes, dp: 1 };
  if (nodes === 1 && layoutProblems(req, req.arch, layout.tp, 1, gpusPerNode).length > 0) {
    for (let tp = gpusPerNode - 1; tp >= 1; tp--) {
      if (gpusPerNode % tp === 0 && layoutProblems(req, req.arch, tp, 1, tp).length === 0) return { tp, pp: 1, dp: gpusPerNode / tp };
    }
  }
  return layout;
}

function evaluate(req: PlanRequest, instance: InstanceSpec, nodes: number, layout: Layout, inventoryLimit?: string): Candidate {
  const { arch } = req;
  const gpu = gpuOf(instance);
  const { tp, pp, dp, replicas } = layout;
  const rejections: string[] = [];
  if (inventoryLimit) rejections.push(inventoryLimit);
  const multiNode = nodes > 1;
  if (multiNode && instance.interconnect !== 'efa' && instance.interconnect !== 'infiniband') {
    rejections.push(`multi-node needs EFA or InfiniBand; ${instance.instanceType} has ${instance.interconnect === 'none' ? 'neither' : instance.interconnect}`);
  }
  const gpus = instance.gpuCount * nodes;
  if (dp > 1) {
    if (dp !== gpus) rejections.push(`data-parallel attention over ${dp} ranks must use all ${gpus} GPUs`);
    if (arch.moe && arch.moe.routedExperts % dp !== 0) rejections.push(`${dp} EP ranks do not divide ${arch.moe.routedExperts} routed experts`);
    rejections.push(...layoutProblems(req, arch, 1, 1, 1));
  } else {
    rejections.push(...layoutProblems(req, arch, tp, pp, gpus / replicas));
  }
  const support = precisionSupport(gpu, req.precision, req.engine, arch);
  if (!support.supported) rejections.push(support.reason);
  const unserved = familyHardwareProblem(req.engine, arch, gpu.architecture);
  if (unserved) rejections.push(unserved);
  if (req.target === 'local') {
    // A described host must hold the checkpoint (plus partial-download room) on its free disk.
    const neededGB = (checkpointFor(arch, req.precision).bytes * VOLUME_HEADROOM) / 1e9;
    if (instance.localNvmeGB < neededGB) rejections.push(`${instance.instanceType} has ${instance.localNvmeGB} GB of free disk; the checkpoint needs ${neededGB.toFixed(0)} GB`);
  }

  const expertParallelSize = layout.expertParallel ? tp * dp : 1;
  const topology: PlanTopology = {
    target: req.target,
    instanceType: instance.instanceType,
    gpu: instance.gpu,
    gpuVendor: gpu.vendor,
    gpusPerNode: instance.gpuCount,
    nodes,
    tensorParallelSize: tp,
    pipelineParallelSize: pp,
    dataParallelSize: dp,
    expertParallel: layout.expertParallel,
    expertParallelSize,
    replicas,
    interconnect: multiNode ? instance.interconnect : 'none',
    efaInterfacesPerNode: multiNode && instance.interconnect === 'efa' ? instance.efaInterfaces : 0,
    cpuArchitecture: instance.cpuArchitecture,
  };
  const hourlyUsd = instance.hourlyUsd === undefined ? undefined : instance.hourlyUsd * nodes;
  if (rejections.length > 0) return { instance, topology, hourlyUsd, rejections, headroomBytes: -Infinity, perGpuBytes: NaN, maxConcurrency: 0 };

  // Requests one attention rank holds (replicas and DP ranks each take their share).
  const ranks = replicas * dp;
  const rankRequests = replicaConcurrency(req.concurrency, ranks);
  const sizeWith = (maxNumSeqs: number) => engineMemory({
    arch, engine: req.engine, precision: req.precision, kvCacheDtype: req.kvCacheDtype,
    tensorParallelSize: tp, pipelineParallelSize: pp, expertParallelSize: layout.expertParallel ? expertParallelSize : tp,
    visibleBytes: visibleBytesOf(instance),
    gpuMemoryUtilization: req.gpuMemoryUtilization,
    maxNumSeqs,
    maxModelLenTokens: req.contextTokens,
    memoryModel: engineTraits(req.engine).memoryModel,
  });
  const profiled = engineTraits(req.engine).memoryModel === 'profiled-activation';
  let seqs = renderedMaxNumSeqs(req, instance, rankRequests);
  let memory = sizeWith(seqs);
  const fitsWith = (m: EngineMemory) => m.kvPoolBytesPerGpu > 0 && Math.floor(m.kvTokenCapacity / req.contextTokens) >= rankRequests;
  if (profiled && !fitsWith(memory) && seqs > rankRequests) {
    // vLLM's default cap costs a sampler profile for that many sequences (≈ 1.9 GiB for a 129K
    // vocabulary at 1,024): where that leaves no room, the cap drops to what the pool holds.
    const capacity = Math.floor(sizeWith(rankRequests).kvTokenCapacity / req.contextTokens);
    seqs = Math.max(rankRequests, capacity);
    memory = sizeWith(seqs);
  } else if (profiled) {
    // The rendered cap is also at least the KV capacity: when that is the larger, size the sampler for it
    // (its activation shrinks the pool a little, so the cap stays at or above what the pool then holds).
    const capacity = Math.floor(memory.kvTokenCapacity / req.contextTokens);
    if (capacity > seqs) memory = sizeWith((seqs = capacity));
  }
  const workloadTokens = req.contextTokens * rankRequests;
  // The most loaded GPU, stage by stage: a stage's own weights and KV (the heaviest weights and the heaviest KV
  // may sit on different pipeline stages, and adding the two maxima would overstate the need).
  const perGpuBytes = Math.max(...memory.stages.map((st) =>
    st.weightsBytes + memory.overheadBytes + st.kvBytesPerToken * workloadTokens + st.kvBytesPerRequest * rankRequests));
  const headroomBytes = memory.budgetBytes - perGpuBytes;
  // Every rank and replica holds its own pool: capacity adds up.
  const maxConcurrency = Math.floor(memory.kvTokenCapacity / req.contextTokens) * ranks;
  if (memory.kvPoolBytesPerGpu <= 0) {
    rejections.push(`weights and runtime need ${gib(memory.weightsBytesPerGpu + memory.overheadBytes)} GiB per GPU, over the ${gib(memory.budgetBytes)} GiB budget of a ${gpu.name}`);
  } else if (maxConcurrency < req.concurrency) {
    rejections.push(`KV pool holds ${memory.kvTokenCapacity} tokens per ${dp > 1 ? 'DP rank' : 'replica'} (${maxConcurrency} × ${req.contextTokens}-token requests in all), fewer than ${req.concurrency} concurrent requests need`);
  }
  const decode = estimateDecode({
    arch, precision: req.precision, gpu, tensorParallelSize: tp, pipelineParallelSize: pp,
    concurrency: rankRequests, averageKvTokens: req.contextTokens / 2, kvBytesPerTokenPerGpu: memory.maxKvBytesPerTokenPerGpu,
  });
  const decodeTokensPerSecond = decode.tokensPerSecond * Math.min(ranks, req.concurrency);
  return { instance, topology, hourlyUsd, rejections, memory, headroomBytes, perGpuBytes, maxConcurrency, decodeTokensPerSecond, ...(profiled ? { maxNumSeqs: seqs } : {}) };
}

/**
 * The batch cap the launch will render for one engine rank (lib/serving/batch.ts): vLLM's activation
 * peak is profiled with it, so the memory model sizes the sampler for the same number of sequences.
 * The KV capacity part of the rule is not known before the pool is sized: the caller sizes again with
 * the capacity when it is the larger.
 */
export function renderedMaxNumSeqs(req: PlanRequest, instance: InstanceSpec, rankRequests: number): number {
  return engineTraits(req.engine).memoryModel === 'profiled-activation' ? Math.max(vllmDefaultMaxNumSeqs(instance.gpu), rankRequests) : rankRequests;
}

/** Requests one of `dp` replicas holds. */
export function replicaConcurrency(concurrency: number, dp: number): number {
  return Math.ceil(concurrency / dp);
}

/** Parallel-layout rules the engines enforce at start-up. */
function layoutProblems(req: PlanRequest, arch: ModelArchitecture, tp: number, pp: number, totalGpus: number): string[] {
  const out: string[] = [];
  if (tp * pp !== totalGpus) out.push(`TP ${tp} × PP ${pp} must use all ${totalGpus} GPUs`);
  if (arch.numAttentionHeads % tp !== 0) out.push(`TP ${tp} does not divide ${arch.numAttentionHeads} attention heads`);
  out.push(...attentionStrategy(arch).layoutProblems(arch, tp));
  if (pp > arch.numLayers) out.push(`PP ${pp} exceeds ${arch.numLayers} layers`);
  // Block-quantized weights are split along whole 128-wide blocks/groups: vLLM rejects an MLP shard
  // that is not a multiple of the block ("not divisible by weight quantization block_n = 128").
  const blockQuantized = (req.precision === 'fp8' && arch.releasedQuantization?.method === 'fp8') || req.precision === 'int4';
  if (blockQuantized) {
    const sizes = [arch.moe ? arch.moe.moeIntermediateSize : undefined, !arch.moe || arch.moe.firstDenseLayers > 0 ? arch.intermediateSize : undefined];
    for (const size of sizes) {
      if (size !== undefined && (size % tp !== 0 || (size / tp) % QUANT_BLOCK !== 0)) {
        out.push(`TP ${tp} splits the ${size}-wide MLP into ${size / tp}-wide shards, not a multiple of the ${QUANT_BLOCK}-wide ${req.precision} quantization block`);
      }
    }
  }
  // MXFP4 experts as released (V4/V4.1) carry one scale per 32 inputs: an expert's down_proj shard must
  // hold whole 32-wide groups (V4-Pro TP16: 3072 / 16 = 192 = 6 × 32, as AWS ran it).
  if (req.precision === 'fp4' && arch.releasedQuantization?.routedExpertFormat === 'mxfp4' && arch.moe) {
    const size = arch.moe.moeIntermediateSize;
    if (size % tp !== 0 || (size / tp) % MXFP4_GROUP !== 0) {
      out.push(`TP ${tp} splits the ${size}-wide experts into ${size / tp}-wide shards, not a multiple of MXFP4's 32-wide scale group`);
    }
  }
  return out;
}

const gib = (b: number) => (b / 2 ** 30).toFixed(1);

/**
 * Lowest hourly cost first (unpriced last), then fewer nodes; on the same hardware (instance type and
 * nodes) the layout that holds more concurrent requests at the workload's context, then the faster
 * decode estimate; then fewer all-reduces over PCIe, then more headroom.
 */
export function compareCandidates(a: Candidate, b: Candidate): number {
  const ca = a.hourlyUsd ?? Infinity;
  const cb = b.hourlyUsd ?? Infinity;
  if (ca !== cb) return ca - cb;
  if (a.topology.nodes !== b.topology.nodes) return a.topology.nodes - b.topology.nodes;
  if (a.instance.instanceType === b.instance.instanceType) {
    if (a.maxConcurrency !== b.maxConcurrency) return b.maxConcurrency - a.maxConcurrency;
    const da = a.decodeTokensPerSecond ?? 0;
    const db = b.decodeTokensPerSecond ?? 0;
    if (da !== db) return db - da;
  }
  // Same price and size: the layout with fewer all-reduces over PCIe decodes faster (../sizing/interconnect).
  const la = linkRank(gpuOf(a.instance), a.topology.tensorParallelSize);
  const lb = linkRank(gpuOf(b.instance), b.topology.tensorParallelSize);
  if (la !== lb) return la - lb;
  return b.headroomBytes - a.headroomBytes;
}

/** `TP 8 PP 1`, `TP 8 PP 1 + EP 8`, `DP 8 + EP 8`, with replicas when more than one. */
export function layoutLabel(c: Candidate): string {
  const t = c.topology;
  const core = t.dataParallelSize > 1 ? `DP ${t.dataParallelSize} + EP ${t.expertParallelSize}` : `TP ${t.tensorParallelSize} PP ${t.pipelineParallelSize}${t.expertParallel ? ` + EP ${t.expertParallelSize}` : ''}`;
  return t.replicas > 1 ? `${core} × ${t.replicas} replicas` : core;
}
