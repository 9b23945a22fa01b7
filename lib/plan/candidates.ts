import { gpuOf } from '../catalog/gpus';
import { visibleBytesOf } from '../catalog/gpu-visible-memory';
import { attentionStrategy } from '../sizing/attention';
import { engineMemory, type EngineMemory } from '../sizing/engine-memory';
import { linkRank } from '../sizing/interconnect';
import { checkpointFor, VOLUME_HEADROOM } from '../sizing/storage';
import type { InstanceSpec, ModelArchitecture } from '../types';
import type { PlanTopology } from './types';
import { precisionSupport } from './precision-support';
import type { PlanRequest } from './request';

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
  readonly maxConcurrency: number;
}

const QUANT_BLOCK = 128;
const MXFP4_GROUP = 32;

/** Every candidate for the request, feasible and not, in enumeration order. */
export function enumerateCandidates(req: PlanRequest): Candidate[] {
  const out: Candidate[] = [];
  for (const instance of req.instances) {
    const hostLimit = req.target === 'local' ? (req.hostsPerInstanceType[instance.instanceType] ?? 1) : Infinity;
    const maxNodes = Math.min(req.maxNodes, hostLimit);
    for (let nodes = 1; nodes <= req.maxNodes; nodes++) {
      if (req.pinnedNodes !== undefined && nodes !== req.pinnedNodes) continue;
      // Node counts beyond the inventory are only worth a candidate when pinned (to say why not).
      if (nodes > maxNodes && req.pinnedNodes === undefined) break;
      out.push(evaluate(req, instance, nodes, nodes > maxNodes ? `only ${hostLimit} ${instance.instanceType} host(s) in the inventory` : undefined));
    }
  }
  return out;
}

/**
 * TP, PP and replicas for a node count: vLLM puts TP inside a node and PP across nodes; SGLang's
 * DeepSeek recipes run TP across every GPU. On one node whose GPU count the model's heads do not
 * divide (28 heads on 8 GPUs), TP takes the largest divisor that satisfies the engines' rules and the
 * node runs GPUs ÷ TP replicas, rather than leaving GPUs idle.
 */
export function parallelism(req: PlanRequest, gpusPerNode: number, nodes: number): { tp: number; pp: number; dp: number } {
  const total = gpusPerNode * nodes;
  if (req.pinnedTensorParallelSize !== undefined || req.pinnedPipelineParallelSize !== undefined) {
    const tp = req.pinnedTensorParallelSize ?? Math.floor(total / (req.pinnedPipelineParallelSize ?? 1));
    const pp = req.pinnedPipelineParallelSize ?? Math.floor(total / tp);
    return { tp, pp, dp: 1 };
  }
  const layout = req.engine === 'sglang' ? { tp: total, pp: 1, dp: 1 } : { tp: gpusPerNode, pp: nodes, dp: 1 };
  if (nodes === 1 && layoutProblems(req, req.arch, layout.tp, 1, gpusPerNode).length > 0) {
    for (let tp = gpusPerNode - 1; tp >= 1; tp--) {
      if (gpusPerNode % tp === 0 && layoutProblems(req, req.arch, tp, 1, tp).length === 0) return { tp, pp: 1, dp: gpusPerNode / tp };
    }
  }
  return layout;
}

function evaluate(req: PlanRequest, instance: InstanceSpec, nodes: number, inventoryLimit?: string): Candidate {
  const { arch } = req;
  const gpu = gpuOf(instance);
  const { tp, pp, dp } = parallelism(req, instance.gpuCount, nodes);
  const rejections: string[] = [];
  if (inventoryLimit) rejections.push(inventoryLimit);
  const multiNode = nodes > 1;
  if (multiNode && instance.interconnect !== 'efa' && instance.interconnect !== 'infiniband') {
    rejections.push(`multi-node needs EFA or InfiniBand; ${instance.instanceType} has ${instance.interconnect === 'none' ? 'neither' : instance.interconnect}`);
  }
  rejections.push(...layoutProblems(req, arch, tp, pp, (instance.gpuCount * nodes) / dp));
  const support = precisionSupport(gpu, req.precision, req.engine, arch);
  if (!support.supported) rejections.push(support.reason);
  if (req.target === 'local') {
    // A described host must hold the checkpoint (plus partial-download room) on its free disk.
    const neededGB = (checkpointFor(arch, req.precision).bytes * VOLUME_HEADROOM) / 1e9;
    if (instance.localNvmeGB < neededGB) rejections.push(`${instance.instanceType} has ${instance.localNvmeGB} GB of free disk; the checkpoint needs ${neededGB.toFixed(0)} GB`);
  }

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
    interconnect: multiNode ? instance.interconnect : 'none',
    efaInterfacesPerNode: multiNode && instance.interconnect === 'efa' ? instance.efaInterfaces : 0,
    cpuArchitecture: instance.cpuArchitecture,
  };
  const hourlyUsd = instance.hourlyUsd === undefined ? undefined : instance.hourlyUsd * nodes;
  if (rejections.length > 0) return { instance, topology, hourlyUsd, rejections, headroomBytes: -Infinity, perGpuBytes: NaN, maxConcurrency: 0 };

  const memory = engineMemory({
    arch, engine: req.engine, precision: req.precision, kvCacheDtype: req.kvCacheDtype,
    tensorParallelSize: tp, pipelineParallelSize: pp,
    visibleBytes: visibleBytesOf(instance),
    gpuMemoryUtilization: req.gpuMemoryUtilization, maxNumSeqs: replicaConcurrency(req.concurrency, dp),
    maxModelLenTokens: req.contextTokens,
  });
  // Each replica holds its share of the requests.
  const replicaRequests = replicaConcurrency(req.concurrency, dp);
  const workloadTokens = req.contextTokens * replicaRequests;
  const perGpuBytes = memory.weightsBytesPerGpu + memory.overheadBytes + memory.maxKvBytesPerTokenPerGpu * workloadTokens + memory.maxKvBytesPerRequestPerGpu * replicaRequests;
  const headroomBytes = memory.budgetBytes - perGpuBytes;
  const maxConcurrency = Math.floor(memory.kvTokenCapacity / req.contextTokens) * dp;
  if (memory.kvPoolBytesPerGpu <= 0) {
    rejections.push(`weights and runtime need ${gib(memory.weightsBytesPerGpu + memory.overheadBytes)} GiB per GPU, over the ${gib(memory.budgetBytes)} GiB budget of a ${gpu.name}`);
  } else if (maxConcurrency < req.concurrency) {
    rejections.push(`KV pool holds ${memory.kvTokenCapacity} tokens (${maxConcurrency} × ${req.contextTokens}-token requests), fewer than ${req.concurrency} concurrent requests need`);
  }
  return { instance, topology, hourlyUsd, rejections, memory, headroomBytes, perGpuBytes, maxConcurrency };
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

/** Lowest hourly cost first (unpriced last), then fewer nodes, then more headroom. */
export function compareCandidates(a: Candidate, b: Candidate): number {
  const ca = a.hourlyUsd ?? Infinity;
  const cb = b.hourlyUsd ?? Infinity;
  if (ca !== cb) return ca - cb;
  if (a.topology.nodes !== b.topology.nodes) return a.topology.nodes - b.topology.nodes;
  // Same price and size: the layout with fewer all-reduces over PCIe decodes faster (../sizing/interconnect).
  const la = linkRank(gpuOf(a.instance), a.topology.tensorParallelSize);
  const lb = linkRank(gpuOf(b.instance), b.topology.tensorParallelSize);
  if (la !== lb) return la - lb;
  return b.headroomBytes - a.headroomBytes;
}
