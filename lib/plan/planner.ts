import { gpuOf } from '../catalog/gpus';
import { findPriceSource } from '../catalog/prices';
import { PlanError } from '../errors';
import { engineTraits, planServing } from '../serving';
import { attentionStrategy } from '../sizing/attention';
import { attentionKind, kvBytesPerRequest, kvBytesPerToken } from '../sizing/kv-cache';
import { countParams } from '../sizing/params';
import { checkpointFor, volumeGiBFor, VOLUME_HEADROOM } from '../sizing/storage';
import { estimateDecode, MEMORY_BANDWIDTH_EFFICIENCY } from '../sizing/throughput';
import { interconnectDecision, linkRank } from '../sizing/interconnect';
import { engramBytes, weightBytes } from '../sizing/weights';
import type { Decision } from '../types';
import { notice, type Notice } from '../notices';
import { compareCandidates, enumerateCandidates, layoutLabel, renderedMaxNumSeqs, replicaConcurrency, type Candidate } from './candidates';
import { MODEL_MOUNT_PATH } from './model-mount';
import { explainNoFit } from './no-fit';
import { precisionSupport } from './precision-support';
import { capacityBlockWarning } from './purchase';
import type { PlanRequest } from './request';
import { resolveRequest } from './resolve';
import { planCpuDeployment } from './cpu';
import type { DeploymentSpec } from '../input/types';
import type { Plan, PlanAlternative } from './types';

const GiB = 2 ** 30;
const MAX_ALTERNATIVES = 8;
export { MODEL_MOUNT_PATH };

/**
 * Plan a deployment: validate the spec, size memory from the architecture, choose the cheapest
 * feasible topology and render the engine launch. Pure and synchronous; throws `PlanError` with
 * every problem when the input is invalid or nothing fits.
 */
export function planDeployment(spec: unknown): Plan {
  if (typeof spec === 'object' && spec !== null && (spec as DeploymentSpec).target === 'cpu') return planCpuDeployment(cpuSpecOf(spec as DeploymentSpec));
  return planRequest(resolveRequest(spec));
}

/** GPU-only fields for which target cpu has no meaning. */
const GPU_ONLY_FIELDS = ['hfConfig', 'hfModelId', 'kvCacheDtype', 'gpus', 'localHosts', 'maxNodes', 'engine', 'gpuMemoryUtilization', 'priceOverrides', 'capacityBlocks', 'instanceType', 'nodes', 'tensorParallelSize', 'pipelineParallelSize', 'dataParallelSize', 'expertParallel'] as const;

/** The CPU planner's spec from a DeploymentSpec with target cpu; GPU-only fields are errors. */
function cpuSpecOf(spec: DeploymentSpec): Record<string, unknown> {
  const misplaced = GPU_ONLY_FIELDS.filter((k) => spec[k] !== undefined).map((k) => ({ path: k, message: 'applies to GPU targets, not to target "cpu"' }));
  if (misplaced.length > 0) throw new PlanError(misplaced);
  const out: Record<string, unknown> = { model: spec.model, precision: spec.precision, contextTokens: spec.contextTokens, concurrency: spec.concurrency, host: spec.cpuHost, ggufFile: spec.ggufFile, port: spec.port };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/** Plan an already-resolved request (used by the CLI's table and the benchmarks). */
export function planRequest(req: PlanRequest): Plan {
  const candidates = enumerateCandidates(req);
  const feasible = candidates.filter((c) => c.rejections.length === 0).sort(compareCandidates);
  if (feasible.length === 0) throw new PlanError([explainNoFit(req, candidates)]);
  return assemble(req, feasible[0], feasible);
}

function assemble(req: PlanRequest, chosen: Candidate, feasible: readonly Candidate[]): Plan {
  const { arch } = req;
  const mem = chosen.memory!;
  const gpu = gpuOf(chosen.instance);
  const params = countParams(arch);
  const decisions: Decision[] = [...req.decisions];
  const notices: Notice[] = [...req.notices];
  const t = chosen.topology;
  const attention = attentionStrategy(arch);

  // Topology decisions.
  const rejectedCheaper = feasible.length > 1 ? `; next: ${describe(feasible[1])}` : '';
  decisions.push({ field: 'topology.instanceType', value: t.instanceType, reason: `cheapest feasible of ${feasible.length} option(s): ${describe(chosen)}${rejectedCheaper}` });
  decisions.push({ field: 'topology.nodes', value: t.nodes, reason: t.nodes === 1 ? 'fits one node' : `the model needs ${t.nodes} nodes of ${t.gpusPerNode} × ${gpu.name}; linked over ${t.interconnect === 'efa' ? `EFA (${t.efaInterfacesPerNode} interfaces per node)` : t.interconnect}` });
  const traits = engineTraits(req.engine);
  const ranks = t.dataParallelSize * t.replicas;
  const tpReason = t.dataParallelSize > 1
    ? `attention runs at TP 1 on each of the ${t.dataParallelSize} data-parallel ranks`
    : req.pinnedTensorParallelSize ? 'pinned' : traits.gpuLayout === 'tp-over-all-gpus' ? traits.layoutReason : gpu.intraNodeLinkKind === 'pcie' ? `TP = GPUs per node over ${gpu.intraNodeLink}: no NVLink, so every all-reduce crosses PCIe (see estimates.interconnectSecondsPerStep)` : traits.layoutReason;
  decisions.push({ field: 'topology.tensorParallelSize', value: t.tensorParallelSize, reason: tpReason });
  decisions.push(parallelismDecision(req, chosen, feasible));
  if (t.dataParallelSize > 1) {
    decisions.push({ field: 'topology.dataParallelSize', value: t.dataParallelSize, reason: `data-parallel attention (${traits.dataParallelFlag ?? '--data-parallel-size'}): every rank holds attention, dense layers and shared experts whole and its own KV pool, ${replicaConcurrency(req.concurrency, t.dataParallelSize)} request(s) each; the routed experts are sharded over all ${t.expertParallelSize} ranks` });
  }
  if (t.expertParallel) {
    decisions.push({ field: 'topology.expertParallelSize', value: t.expertParallelSize, reason: req.pinnedExpertParallel ? 'pinned on' : t.dataParallelSize > 1 ? `${arch.moe!.routedExperts} routed experts ÷ ${t.expertParallelSize} ranks = ${arch.moe!.routedExperts / t.expertParallelSize} whole experts per GPU` : `TP+EP, as the ${req.engine} recipe for the family runs it: whole experts over the ${t.tensorParallelSize} TP ranks (the same bytes per GPU as splitting each expert)` });
  }
  if (t.replicas > 1) {
    decisions.push({ field: 'topology.replicas', value: t.replicas, reason: `${arch.numAttentionHeads} attention heads do not split over ${t.gpusPerNode} GPUs: TP ${t.tensorParallelSize} and ${t.replicas} replicas on the node, ${replicaConcurrency(req.concurrency, t.replicas)} request(s) each` });
  }
  decisions.push({ field: 'topology.pipelineParallelSize', value: t.pipelineParallelSize, reason: req.pinnedPipelineParallelSize ? 'pinned' : t.pipelineParallelSize > 1 ? `PP = nodes: layers split ${mem.stages.map((s) => s.layers).join('/')} over stages (vLLM get_pp_indices)` : 'one pipeline stage' });

  // Memory decisions: the budget line by line.
  decisions.push({ field: 'memory.gpuCapacityBytes', value: mem.visibleBytes, reason: `${gpu.name} shows ${(mem.visibleBytes / GiB).toFixed(2)} GiB to ${gpu.vendor === 'amd' ? 'ROCm' : 'CUDA'}` });
  decisions.push({ field: 'memory.budget', value: mem.budgetBytes, reason: `${(mem.visibleBytes / GiB).toFixed(2)} GiB × ${(traits.memoryFractionFlag ?? '--gpu-memory-utilization').slice(2)} ${req.gpuMemoryUtilization} = ${(mem.budgetBytes / GiB).toFixed(2)} GiB` });
  decisions.push({ field: 'memory.weightsBytesPerGpu', value: mem.weightsBytesPerGpu, reason: t.dataParallelSize > 1
    ? `${(mem.weightsBytesPerGpu / GiB).toFixed(2)} GiB per GPU (${req.precision}): attention, dense layers, shared experts, embeddings and head whole on every DP rank, plus 1/${t.expertParallelSize} of the routed experts`
    : `${(mem.weightsBytesPerGpu / GiB).toFixed(2)} GiB on the most loaded GPU (${req.precision}; TP ${t.tensorParallelSize} splits matrices, ${attention.notes.replicatedTensors} are replicated)` });
  if (mem.allToAllBytes > 0) {
    decisions.push({ field: 'memory.allToAllBytesPerGpu', value: mem.allToAllBytes, reason: `${(mem.allToAllBytes / GiB).toFixed(2)} GiB of expert all-to-all buffers per GPU: DeepEP's low-latency layout, 2 × (128 + ${arch.moe?.routedExperts} experts × 128 tokens) × (2 × ${arch.hiddenSize} + 16) B (lib/sizing/expert-parallel.ts), taken before the KV pool` });
  }
  if (arch.engram) {
    decisions.push({ field: 'memory.engramPlacement', value: 'gpu', reason: `${(engramBytes(arch, req.precision) / GiB).toFixed(1)} GiB of Engram tables (${(params.memoryParams / 1e9).toFixed(1)}B parameters) stay in GPU memory with their layers: they are lookups and could live in host memory, but only a community vLLM build offloads them (--engram-config cpu_offload), not the pinned engines` });
  }
  const profiled = traits.memoryModel === 'profiled-activation';
  const sizedSeqs = chosen.maxNumSeqs ?? renderedMaxNumSeqs(req, chosen.instance, replicaConcurrency(req.concurrency, ranks));
  if (profiled) {
    decisions.push({ field: 'memory.activationBytesPerGpu', value: mem.activationBytes, reason: `${(mem.activationBytes / GiB).toFixed(2)} GiB activation peak of vLLM's profile run (sampler for the rendered --max-num-seqs ${sizedSeqs}; forward over 8,192 batched tokens; fitted on vLLM 0.19 logs)` });
    decisions.push({ field: 'memory.nonTorchBytesPerGpu', value: mem.nonTorchBytes, reason: `${(mem.nonTorchBytes / GiB).toFixed(2)} GiB non-torch memory (${t.tensorParallelSize > 1 ? 'NCCL and custom all-reduce buffers at TP ≥ 2' : 'CUDA context at TP 1'}; vLLM 0.19 logs)` });
  }
  decisions.push({ field: 'memory.overheadBytesPerGpu', value: mem.overheadBytes, reason: profiled ? `activation + non-torch${mem.allToAllBytes > 0 ? ' + all-to-all' : ''} = ${(mem.overheadBytes / GiB).toFixed(2)} GiB; CUDA graphs come from the ${((1 - req.gpuMemoryUtilization) * 100).toFixed(0)}% left outside the budget` : `SGLang takes activations and CUDA graphs from outside mem-fraction-static${mem.allToAllBytes > 0 ? `; the ${(mem.allToAllBytes / GiB).toFixed(2)} GiB all-to-all buffer is allocated before the KV pool` : ''}` });
  decisions.push({ field: 'memory.kvPoolBytesPerGpu', value: mem.kvPoolBytesPerGpu, reason: `budget − weights − overhead = ${(mem.kvPoolBytesPerGpu / GiB).toFixed(2)} GiB${mem.stages.length > 1 ? ` on the tightest of ${mem.stages.length} stages` : ''}` });
  const perRequestNote = mem.maxKvBytesPerRequestPerGpu > 0 ? ` + ${mem.maxKvBytesPerRequestPerGpu} B per request spread over its ${req.contextTokens} tokens` : '';
  decisions.push({ field: 'memory.kvTokenCapacity', value: mem.kvTokenCapacity * t.dataParallelSize, reason: `${t.dataParallelSize > 1 ? `${t.dataParallelSize} DP ranks × ${mem.kvTokenCapacity} tokens, each rank: ` : ''}${(mem.kvPoolBytesPerGpu / GiB).toFixed(2)} GiB ÷ (${mem.kvBytesPerTokenPerGpu} B/token${perRequestNote}) per GPU (${attention.notes.kvOverTp}), whole ${mem.blockSizeTokens}-token blocks; accounting: ${mem.kvAccounting}` });
  decisions.push({ field: 'memory.maxConcurrency', value: chosen.maxConcurrency, reason: `${mem.kvTokenCapacity} tokens ÷ ${req.contextTokens}-token requests, rounded down (vLLM's "Maximum concurrency")${t.dataParallelSize > 1 ? ` × ${t.dataParallelSize} DP ranks, each with its own pool` : ''}${t.replicas > 1 ? ` × ${t.replicas} replicas` : ''}; accounting: ${mem.kvAccounting}` });

  const tpWarning = attention.notes.tpWarning(t.tensorParallelSize);
  if (tpWarning) notices.push(tpWarning);
  const support = precisionSupport(gpu, req.precision, req.engine, arch);
  if (support.warning) notices.push(support.warning);
  if (arch.moe && chosen.headroomBytes < 0.1 * mem.budgetBytes) {
    notices.push(notice('DSIAC-PLAN7', `only ${(chosen.headroomBytes / GiB).toFixed(1)} GiB of headroom per GPU (${((chosen.headroomBytes / mem.budgetBytes) * 100).toFixed(0)}% of the budget): the engines' MoE workspaces are counted, not calibrated on a DeepSeek log; consider the next alternative`));
  }
  if (req.target === 'local' && req.localHosts) {
    for (const h of req.localHosts) {
      const assumed = [h.rdma === undefined && t.nodes > 1 ? 'RDMA (InfiniBand/RoCE) between hosts' : '', h.diskGB === undefined ? '2000 GB of free disk' : '', h.memoryGiB === undefined ? '1024 GiB of RAM' : ''].filter(Boolean);
      if (assumed.length > 0) notices.push(notice('DSIAC-PLAN3', `local ${h.gpuCount} × ${h.gpu} host: assumed ${assumed.join(', ')}; run the preflight check on the host`));
    }
  }
  if (t.cpuArchitecture === 'arm64') decisions.push({ field: 'topology.cpuArchitecture', value: 'arm64', reason: `${t.instanceType} runs on Grace (arm64) CPUs: the AMI and the engine image must be arm64 builds` });
  const blockNote = capacityBlockWarning(chosen.instance);
  if (blockNote) notices.push(blockNote);
  if (chosen.hourlyUsd === undefined) notices.push(notice('DSIAC-PLAN9', `${t.instanceType} has no confirmed on-demand price; cost estimates are omitted (give priceOverrides to rank it)`));
  if (arch.id.includes('distill') && req.contextTokens > 32_768) notices.push(notice('DSIAC-PLAN10', 'the R1 distills were trained with a 32,768-token maximum generation length (DeepSeek-R1 README)'));
  if (req.kvCacheDtype === 'fp8') notices.push(notice('DSIAC-PLAN11', 'fp8 KV cache halves KV memory at a small accuracy cost; validate on your prompts'));
  if (req.precision === 'int8' || req.precision === 'int4') notices.push(notice('DSIAC-PLAN12', `${req.precision} needs a pre-quantized checkpoint (${req.precision === 'int8' ? 'W8A8 INT8' : 'AWQ or GPTQ'}); point modelSource at one`));
  if (traits.memoryModel === 'static-fraction') {
    const slack = mem.visibleBytes - mem.budgetBytes;
    if (slack < 2 * GiB) notices.push(notice('DSIAC-PLAN13', `only ${(slack / GiB).toFixed(1)} GiB outside SGLang's mem-fraction-static for activations and CUDA graphs; lower the fraction if start-up fails`));
  }

  // Storage.
  const ckpt = checkpointFor(arch, req.precision);
  const volumeGiB = volumeGiBFor(ckpt.bytes);
  const preferInstanceStore = chosen.instance.localNvmeGB * 1e9 >= ckpt.bytes * VOLUME_HEADROOM;
  decisions.push({ field: 'storage.checkpointBytes', value: ckpt.bytes, reason: `${(ckpt.bytes / 1e9).toFixed(1)} GB: ${ckpt.reason}` });
  decisions.push({ field: 'storage.volumeGiB', value: volumeGiB, reason: `max(500 GiB floor, ${VOLUME_HEADROOM} × checkpoint rounded up to 10 GiB)` });
  decisions.push({ field: 'storage.preferInstanceStore', value: preferInstanceStore, reason: preferInstanceStore ? `${chosen.instance.localNvmeGB} GB of local NVMe holds the checkpoint: RAID0 it as the load cache` : chosen.instance.localNvmeGB > 0 ? `local NVMe (${chosen.instance.localNvmeGB} GB) is too small for the checkpoint` : 'no local NVMe' });

  // Serving.
  const servingPlan = planServing({
    engine: req.engine,
    model: arch,
    modelPath: `${MODEL_MOUNT_PATH}/${arch.id}`,
    servedModelName: arch.hfId ?? arch.id,
    precision: req.precision,
    kvCacheDtype: req.kvCacheDtype,
    gpuVendor: gpu.vendor,
    gpu: gpu.id,
    cpuArchitecture: t.cpuArchitecture,
    interconnect: t.interconnect,
    gpusPerNode: t.gpusPerNode,
    nodes: t.nodes,
    tensorParallelSize: t.tensorParallelSize,
    pipelineParallelSize: t.pipelineParallelSize,
    dataParallelSize: t.dataParallelSize,
    replicas: t.replicas,
    expertParallel: t.expertParallel,
    contextTokens: req.contextTokens,
    concurrency: replicaConcurrency(req.concurrency, ranks),
    // What one engine rank's KV pool holds at the workload's context: the batch cap's floor (vLLM's
    // --max-num-seqs applies per data-parallel rank).
    kvMaxConcurrency: Math.floor(chosen.maxConcurrency / ranks),
    ...(chosen.maxNumSeqs !== undefined ? { maxNumSeqs: chosen.maxNumSeqs } : {}),
    gpuMemoryUtilization: req.gpuMemoryUtilization,
    port: req.port ?? traits.defaultPort,
  });
  const serving = servingPlan.launch;
  decisions.push(...servingPlan.decisions);
  notices.push(...servingPlan.notices);

  // Estimates.
  const decode = estimateDecode({
    arch, precision: req.precision, gpu, tensorParallelSize: t.tensorParallelSize, pipelineParallelSize: t.pipelineParallelSize,
    concurrency: replicaConcurrency(req.concurrency, ranks), averageKvTokens: req.contextTokens / 2, kvBytesPerTokenPerGpu: mem.maxKvBytesPerTokenPerGpu,
  });
  const noPcieTp = feasible.find((c) => linkRank(gpuOf(c.instance), c.topology.tensorParallelSize) === 0);
  const linkNote = interconnectDecision({ arch, gpu, tensorParallelSize: t.tensorParallelSize, batch: replicaConcurrency(req.concurrency, ranks) }, noPcieTp && describe(noPcieTp));
  if (linkNote) decisions.push(linkNote);
  // Replicas decode side by side: aggregate throughput scales with them (single-stream speed does not).
  const aggregateTokensPerSecond = decode.tokensPerSecond * Math.min(ranks, req.concurrency);
  const usdPerMillion = chosen.hourlyUsd === undefined ? undefined : chosen.hourlyUsd / (aggregateTokensPerSecond * 3600) * 1e6;

  const kvPerToken = kvBytesPerToken(arch, req.kvCacheDtype, req.engine);
  const kvPerRequest = kvBytesPerRequest(arch, { dtype: req.kvCacheDtype, engine: req.engine, maxModelLenTokens: req.contextTokens });
  const workloadTokens = req.contextTokens * req.concurrency;
  const alternatives: PlanAlternative[] = bestPerInstanceType(feasible.slice(1), chosen.instance.instanceType).map((c) => ({
    topology: c.topology,
    cost: { hourlyUsd: round2(c.hourlyUsd), priceDate: c.instance.priceDate, priceRegion: c.instance.priceRegion },
    perGpuBytes: Math.round(c.perGpuBytes),
    gpuCapacityBytes: c.memory!.visibleBytes,
    headroomBytesPerGpu: Math.round(c.headroomBytes),
    maxConcurrency: c.maxConcurrency,
    parallelism: layoutLabel(c),
    preferInstanceStore: c.instance.localNvmeGB * 1e9 >= ckpt.bytes * VOLUME_HEADROOM,
  }));

  return {
    model: {
      id: arch.id, hfId: arch.hfId, displayName: arch.displayName, totalParams: params.total, activeParams: params.active, memoryParams: params.memoryParams,
      attention: attentionKind(arch), layers: arch.numLayers, maxContextTokens: arch.maxContextTokens,
      maxPositionEmbeddings: arch.maxPositionEmbeddings ?? arch.maxContextTokens, moe: Boolean(arch.moe),
      ...(arch.speculativeDraft ? { speculativeDraft: arch.speculativeDraft } : {}),
    },
    precision: { weights: req.precision, kvCache: req.kvCacheDtype, kvCacheRequested: req.kvCacheRequested },
    workload: { contextTokens: req.contextTokens, concurrency: req.concurrency },
    memory: {
      weightsBytes: weightBytes(arch, req.precision),
      weightsBytesPerGpu: mem.weightsBytesPerGpu,
      kvCacheBytesPerToken: kvPerToken,
      kvCacheBytesPerTokenPerGpu: mem.maxKvBytesPerTokenPerGpu,
      kvCacheBytesPerRequest: kvPerRequest,
      kvCacheBytes: kvPerToken * workloadTokens + kvPerRequest * req.concurrency,
      kvCacheBytesPerGpu: mem.maxKvBytesPerTokenPerGpu * workloadTokens + mem.maxKvBytesPerRequestPerGpu * replicaConcurrency(req.concurrency, ranks),
      overheadBytesPerGpu: mem.overheadBytes,
      perGpuBytes: Math.round(chosen.perGpuBytes),
      gpuCapacityBytes: mem.visibleBytes,
      gpuMemoryUtilization: req.gpuMemoryUtilization,
      budgetBytesPerGpu: mem.budgetBytes,
      headroomBytesPerGpu: Math.round(chosen.headroomBytes),
      kvPoolBytesPerGpu: mem.kvPoolBytesPerGpu,
      // Every DP rank holds its own pool: one engine's capacity adds them up.
      kvTokenCapacity: mem.kvTokenCapacity * t.dataParallelSize,
      maxConcurrency: chosen.maxConcurrency,
    },
    topology: t,
    storage: { checkpointBytes: ckpt.bytes, volumeGiB, preferInstanceStore, localNvmeGB: chosen.instance.localNvmeGB, checkpointKind: ckpt.kind },
    serving,
    cost: { hourlyUsd: round2(chosen.hourlyUsd), priceSource: findPriceSource(chosen.instance)?.url, priceDate: chosen.instance.priceDate, priceRegion: chosen.instance.priceRegion },
    estimates: {
      decodeTokensPerSecond: round1(aggregateTokensPerSecond),
      singleStreamTokensPerSecond: round1(decode.singleStreamTokensPerSecond),
      usdPerMillionOutputTokens: usdPerMillion === undefined ? undefined : round2(usdPerMillion),
      basis: `estimate, not a benchmark: ${decode.bound}-bound decode roofline at ${MEMORY_BANDWIDTH_EFFICIENCY * 100}% of ${gpu.memoryBandwidthGBps} GB/s per GPU, ${req.concurrency} concurrent request(s), KV half full`,
    },
    alternatives,
    decisions,
    warnings: notices.map((n) => n.message),
    notices,
    engine: req.engine,
  };
}

function bestPerInstanceType(sorted: readonly Candidate[], exclude: string): Candidate[] {
  const seen = new Set<string>([exclude]);
  const out: Candidate[] = [];
  for (const c of sorted) {
    if (seen.has(c.instance.instanceType)) continue;
    seen.add(c.instance.instanceType);
    out.push(c);
    if (out.length === MAX_ALTERNATIVES) break;
  }
  return out;
}

function describe(c: Candidate): string {
  const price = c.hourlyUsd === undefined ? 'unpriced' : `$${c.hourlyUsd.toFixed(2)}/h`;
  return `${c.topology.nodes} × ${c.instance.instanceType} (${c.instance.gpuCount} × ${c.instance.gpu}, ${layoutLabel(c)}) at ${price}`;
}

/**
 * The parallel layout chosen on the chosen hardware, with the other layouts evaluated on the same
 * instance type and node count and their capacities (requests at the workload's context).
 */
function parallelismDecision(req: PlanRequest, chosen: Candidate, feasible: readonly Candidate[]): Decision {
  const same = feasible.filter((c) => c !== chosen && c.instance.instanceType === chosen.instance.instanceType && c.topology.nodes === chosen.topology.nodes);
  const options = [chosen, ...same].map((c) => `${layoutLabel(c)}: ${c.maxConcurrency} request(s) of ${req.contextTokens} tokens, ${(c.memory!.weightsBytesPerGpu / GiB).toFixed(1)} GiB weights and ${(c.memory!.kvPoolBytesPerGpu / GiB).toFixed(1)} GiB KV pool per GPU, ~${Math.round(c.decodeTokensPerSecond ?? 0)} tok/s decode estimate`);
  const why = same.length === 0
    ? 'the only layout that fits this hardware'
    : 'on the same hardware the layout holding the most concurrent requests wins (decode estimate breaks ties)';
  return { field: 'topology.parallelism', value: layoutLabel(chosen), reason: `${why}: ${options.join('; ')}` };
}

const round2 = (x: number | undefined) => (x === undefined ? undefined : Math.round(x * 100) / 100);
const round1 = (x: number) => Math.round(x * 10) / 10;
