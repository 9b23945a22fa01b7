/**
 * CPU fallback planner: llama.cpp serving a GGUF quantization from host RAM, for teams without GPUs.
 * Returns the same `Plan` as the GPU planner so the local renderers (compose, systemd, Kubernetes,
 * preflight) take either. On a CPU plan the "GPU" fields describe the host: `topology.gpu` and
 * `gpuVendor` are `'cpu'`, `gpusPerNode` is 0, and the per-GPU memory fields are host RAM
 * (`gpuCapacityBytes` = installed RAM, `perGpuBytes` = RAM needed).
 */
import { z } from 'zod';
import { resolveModel } from '../catalog/models';
import { isPlanError, PlanError } from '../errors';
import { renderLaunch } from '../serving';
import {
  CPU_DECODE_EFFICIENCY, CPU_RAM_HEADROOM_FRACTION, CPU_RAM_RESERVE_BYTES, DEFAULT_CPU_HOST, GGUF_FOR_PRECISION, GGUF_TYPES,
  sizeCpu, type CpuHost, type GgufType,
} from '../sizing/cpu';
import { attentionStrategy } from '../sizing/attention';
import { attentionKind, kvBytesPerRequest } from '../sizing/kv-cache';
import { countParams } from '../sizing/params';
import { volumeGiBFor } from '../sizing/storage';
import { PRECISIONS, type Decision, type Issue, type ModelArchitecture, type Precision } from '../types';
import { notice, type Notice } from '../notices';
import { MODEL_MOUNT_PATH } from './model-mount';
import { DEFAULT_CONTEXT_TOKENS } from './resolve';
import type { Plan } from './types';
import { checked, positiveInt, toIssues } from '../input/schema';
import { containedPathProblem, modelIdProblem } from '../input/safe-values';

const GiB = 2 ** 30;
/**
 * llama-server's default port: ggml-org/llama.cpp tools/server/README.md, and the server image's
 * `HEALTHCHECK CMD curl -f http://localhost:8080/health`.
 */
export const DEFAULT_CPU_PORT = 8080;
/** Default weight precision on a CPU: 4-bit (Q4_K_M), the usual choice for DeepSeek on DRAM. */
export const DEFAULT_CPU_PRECISION: Precision = 'int4';

/** The CPU host as the caller describes it; every field defaults to {@link DEFAULT_CPU_HOST}. */
export interface CpuHostSpec {
  /** Installed RAM, GiB. @default 384 */
  readonly ramGiB?: number;
  /** Peak memory bandwidth of all sockets, GB/s. @default 921.6 (2 × 12 × DDR5-4800) */
  readonly memoryBandwidthGBps?: number;
  /** Physical cores of all sockets. @default 64 */
  readonly cores?: number;
  /** CPU sockets. @default 2 */
  readonly sockets?: number;
}

/** Input of {@link planCpuDeployment}. */
export interface CpuDeploymentSpec {
  /** Catalog id (`deepseek-r1`) or Hugging Face id. */
  readonly model: string;
  /** Weight precision, mapped to a GGUF type (int4 → Q4_K_M, int8 → Q8_0, fp16 → F16, bf16 → BF16). @default 'int4' */
  readonly precision?: Precision;
  /** Tokens per request. @default min(32768, model maximum) */
  readonly contextTokens?: number;
  /** Requests served at once (llama.cpp slots). @default 1 */
  readonly concurrency?: number;
  /** The host. */
  readonly host?: CpuHostSpec;
  /**
   * GGUF file: a bare file name is looked up in the model's folder (`/models/<id>/`); an absolute
   * path is used as given. For split GGUFs name the first shard. @default `<id>-<TYPE>.gguf`
   */
  readonly ggufFile?: string;
  /** Serving port. @default 8080 */
  readonly port?: number;
}

const positive = (what: string) => z.number({ error: `${what} must be a number` }).positive(`${what} must be above 0`);

const cpuSpecSchema = z.strictObject({
  model: z.string({ error: 'model must name a catalog model or Hugging Face id' }).pipe(checked(modelIdProblem)),
  precision: z.enum(PRECISIONS as [string, ...string[]]).optional(),
  contextTokens: positiveInt('contextTokens').optional(),
  concurrency: positiveInt('concurrency').max(256, 'concurrency is at most 256 llama.cpp slots').optional(),
  host: z.strictObject({
    ramGiB: positive('ramGiB').optional(),
    memoryBandwidthGBps: positive('memoryBandwidthGBps').optional(),
    cores: positiveInt('cores').optional(),
    sockets: positiveInt('sockets').max(8, 'sockets is at most 8').optional(),
  }).optional(),
  ggufFile: z.string().min(1, 'ggufFile must not be empty').regex(/\.gguf$/i, 'ggufFile must end in .gguf').pipe(checked(containedPathProblem)).optional(),
  port: positiveInt('port').max(65535, 'port must be at most 65535').optional(),
});

/**
 * Plan llama.cpp on a CPU host: GGUF type from the precision, RAM needed (weights + f16 KV + margin),
 * threads, and a decode estimate from memory bandwidth. Throws `PlanError` with every problem
 * (invalid fields, FP8, context over the model's maximum, RAM too small).
 */
export function planCpuDeployment(input: unknown): Plan {
  const parsed = cpuSpecSchema.safeParse(input, { reportInput: true });
  const issues: Issue[] = parsed.success ? [] : toIssues(parsed.error);
  // Semantic checks run on whatever fields are well-typed, so one call reports every problem.
  const raw = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const spec = (parsed.success ? parsed.data : raw) as CpuDeploymentSpec;
  const typed = (field: string) => !issues.some((i) => i.path === field || i.path.startsWith(`${field}.`));

  let arch: ModelArchitecture | undefined;
  if (typeof spec.model === 'string' && spec.model.length > 0 && typed('model')) {
    try {
      arch = resolveModel(spec.model, 'model');
    } catch (e) {
      if (!isPlanError(e)) throw e;
      issues.push(...e.issues);
    }
  }
  const precision = (typed('precision') ? spec.precision : undefined) ?? DEFAULT_CPU_PRECISION;
  const ggufType = GGUF_FOR_PRECISION[precision];
  if (!ggufType && typed('precision')) {
    const why = precision === 'fp4' ? 'fp4 means a GPU MXFP4/NVFP4 checkpoint here' : 'llama.cpp has no FP8 format';
    issues.push({ path: 'precision', message: `"${precision}" has no GGUF type: ${why}; allowed on cpu: ${Object.keys(GGUF_FOR_PRECISION).join(', ')} (int8 → Q8_0 for 8-bit weights, int4 → Q4_K_M for 4-bit)` });
  }
  // As on GPUs: up to max_position_embeddings, with a warning above the published context.
  const engineMax = arch ? Math.max(arch.maxPositionEmbeddings ?? arch.maxContextTokens, arch.maxContextTokens) : 0;
  if (arch && typed('contextTokens') && spec.contextTokens !== undefined && spec.contextTokens > engineMax) {
    const also = engineMax > arch.maxContextTokens ? ` (published) and its max_position_embeddings of ${engineMax}` : ' tokens';
    issues.push({ path: 'contextTokens', message: `${spec.contextTokens} exceeds ${arch.id}'s maximum context of ${arch.maxContextTokens}${also}; use at most ${engineMax}` });
  }
  if (issues.length > 0 || !arch || !ggufType) throw new PlanError(issues);

  const host: CpuHost = { ...DEFAULT_CPU_HOST, ...spec.host };
  const contextTokens = spec.contextTokens ?? Math.min(DEFAULT_CONTEXT_TOKENS, arch.maxContextTokens);
  const concurrency = spec.concurrency ?? 1;
  const sizing = sizeCpu({ arch, ggufType, host, contextTokens, concurrency });

  if (sizing.ramBytesNeeded > sizing.ramBytes) {
    const need = Math.ceil(sizing.ramBytesNeeded / GiB);
    throw PlanError.single(
      'host.ramGiB',
      `${host.ramGiB} GiB is too little for ${arch.id} at ${ggufType}: it needs ${need} GiB (weights ${gib(sizing.weightsBytes)} + KV ${gib(sizing.kvCacheBytes)} + reserve ${gib(sizing.overheadBytes)} GiB). ` +
        `Use a host with at least ${need} GiB${precision !== 'int4' ? ', precision int4 (Q4_K_M)' : ''}, or fewer contextTokens × concurrency`,
    );
  }

  return assembleCpuPlan(spec, arch, precision, ggufType, host, contextTokens, concurrency, sizing);
}

function assembleCpuPlan(
  spec: CpuDeploymentSpec, arch: ModelArchitecture, precision: Precision, ggufType: GgufType, host: CpuHost,
  contextTokens: number, concurrency: number, sizing: ReturnType<typeof sizeCpu>,
): Plan {
  const params = countParams(arch);
  const modelDir = `${MODEL_MOUNT_PATH}/${arch.id}`;
  const ggufFile = spec.ggufFile === undefined ? `${modelDir}/${arch.id}-${ggufType}.gguf` : spec.ggufFile.startsWith('/') ? spec.ggufFile : `${modelDir}/${spec.ggufFile}`;
  const port = spec.port ?? DEFAULT_CPU_PORT;
  const serving = renderLaunch({
    engine: 'llamacpp', model: arch, modelPath: ggufFile, servedModelName: arch.hfId ?? arch.id, precision, kvCacheDtype: 'fp16',
    gpuVendor: 'cpu', gpusPerNode: 0, nodes: 1, tensorParallelSize: 1, pipelineParallelSize: 1, contextTokens, concurrency,
    gpuMemoryUtilization: 1, port, cpuThreads: sizing.threads, ggufFile,
  });
  // Several sockets: spread threads and pages over the NUMA nodes (llama.cpp `--numa distribute`,
  // ggml-org/llama.cpp tools/server/README.md). renderLaunch has no NUMA field, so the flag is appended here.
  const numa = host.sockets > 1;
  const launch = numa ? { ...serving, command: [...serving.command, '--numa', 'distribute'] } : serving;

  const perSocketGBps = host.memoryBandwidthGBps / host.sockets;
  const single = sizing.singleStreamTokensPerSecond;
  const aggregate = sizing.aggregateTokensPerSecond;
  const kvPool = sizing.ramBytes - sizing.weightsBytes - sizing.overheadBytes;
  const kvTokenCapacity = Math.floor(kvPool / sizing.kvBytesPerToken);
  const volumeGiB = volumeGiBFor(sizing.weightsBytes);

  const decisions: Decision[] = [
    { field: 'serving.engine', value: 'llamacpp', reason: 'CPU fallback: llama.cpp serves GGUF weights from host RAM' },
    { field: 'precision.weights', value: precision, reason: spec.precision ? 'requested' : 'default on cpu: 4-bit, the usual DeepSeek GGUF for DRAM' },
    { field: 'serving.ggufType', value: ggufType, reason: `${precision} → ${ggufType} at ${GGUF_TYPES[ggufType].bitsPerWeight} bits/weight (llama.cpp quantize table)` },
    { field: 'precision.kvCache', value: 'fp16', reason: "llama.cpp's default KV cache type (f16)" },
    { field: 'memory.perGpuBytes', value: sizing.ramBytesNeeded, reason: `RAM needed: weights ${gib(sizing.weightsBytes)} + KV ${gib(sizing.kvCacheBytes)} (${contextTokens} × ${concurrency} tokens at ${sizing.kvBytesPerToken} B) + ${gib(CPU_RAM_RESERVE_BYTES)} GiB OS reserve + ${CPU_RAM_HEADROOM_FRACTION * 100}% of weights = ${gib(sizing.ramBytesNeeded)} GiB of ${host.ramGiB} GiB` },
    { field: 'serving.cpuThreads', value: sizing.threads, reason: `one llama.cpp thread per physical core (${host.cores} on ${host.sockets} socket(s))` },
    { field: 'serving.numa', value: numa ? 'distribute' : 'off', reason: numa ? `${host.sockets} NUMA nodes: --numa distribute spreads threads and pages over them` : 'one socket' },
    { field: 'storage.volumeGiB', value: volumeGiB, reason: 'max(500 GiB floor, 1.15 × GGUF file rounded up to 10 GiB)' },
  ];
  const notices: Notice[] = [
    notice('DSIAC-PLAN14', `CPU decode is an estimate: ${round1(single.low)}–${round1(single.high)} tok/s single stream (llama.cpp at ${CPU_DECODE_EFFICIENCY.low * 100}–${CPU_DECODE_EFFICIENCY.high * 100}% of one socket's ${round1(perSocketGBps)} GB/s); prompt processing on CPU is far slower than decode`),
  ];
  if (numa) notices.push(notice('DSIAC-PLAN15', `${host.sockets} sockets: llama.cpp runs with --numa distribute (drop the page cache once before the first start); the published multi-socket runs got less than one socket's bandwidth`));
  if (contextTokens > arch.maxContextTokens) notices.push(notice('DSIAC-PLAN1', `contextTokens ${contextTokens} is above ${arch.id}'s published context of ${arch.maxContextTokens} tokens: quality past the published length is not validated`));
  const cpuNote = attentionStrategy(arch).notes.llamaCpp;
  if (cpuNote) notices.push(cpuNote(arch, sizing.kvBytesPerToken));
  if (!spec.ggufFile) notices.push(notice('DSIAC-PLAN17', `put the ${ggufType} GGUF at ${ggufFile} on the host's models folder (for split files name the first shard with ggufFile)`));

  return {
    model: {
      id: arch.id, hfId: arch.hfId, displayName: arch.displayName, totalParams: params.total, activeParams: params.active, memoryParams: params.memoryParams,
      attention: attentionKind(arch), layers: arch.numLayers, maxContextTokens: arch.maxContextTokens,
      maxPositionEmbeddings: arch.maxPositionEmbeddings ?? arch.maxContextTokens, moe: Boolean(arch.moe),
      ...(arch.speculativeDraft ? { speculativeDraft: arch.speculativeDraft } : {}),
    },
    precision: { weights: precision, kvCache: 'fp16', kvCacheRequested: 'auto' },
    workload: { contextTokens, concurrency },
    memory: {
      weightsBytes: sizing.weightsBytes,
      weightsBytesPerGpu: sizing.weightsBytes,
      kvCacheBytesPerToken: sizing.kvBytesPerToken,
      kvCacheBytesPerTokenPerGpu: sizing.kvBytesPerToken,
      kvCacheBytesPerRequest: kvBytesPerRequest(arch, { dtype: 'fp16', engine: 'llamacpp' }),
      kvCacheBytes: sizing.kvCacheBytes,
      kvCacheBytesPerGpu: sizing.kvCacheBytes,
      overheadBytesPerGpu: sizing.overheadBytes,
      perGpuBytes: sizing.ramBytesNeeded,
      gpuCapacityBytes: sizing.ramBytes,
      gpuMemoryUtilization: 1,
      budgetBytesPerGpu: sizing.ramBytes,
      headroomBytesPerGpu: sizing.ramBytes - sizing.ramBytesNeeded,
      kvPoolBytesPerGpu: kvPool,
      kvTokenCapacity,
      maxConcurrency: Math.floor(kvTokenCapacity / contextTokens),
    },
    topology: {
      target: 'cpu', instanceType: `cpu:${host.ramGiB}GiB`, gpu: 'cpu', gpuVendor: 'cpu', gpusPerNode: 0, nodes: 1, cpuArchitecture: 'x86_64',
      tensorParallelSize: 1, pipelineParallelSize: 1, dataParallelSize: 1, expertParallel: false, expertParallelSize: 1, replicas: 1, interconnect: 'none', efaInterfacesPerNode: 0,
    },
    storage: { checkpointBytes: sizing.weightsBytes, volumeGiB, preferInstanceStore: false, localNvmeGB: 0, checkpointKind: 'pre-quantized' },
    serving: launch,
    cost: {},
    estimates: {
      decodeTokensPerSecond: round1(aggregate.low),
      singleStreamTokensPerSecond: round1(single.low),
      basis: `estimate, not a benchmark: DRAM-bandwidth roofline, ${round1(sizing.bytesPerToken / 1e9)} GB read per token, llama.cpp at ${CPU_DECODE_EFFICIENCY.low * 100}% (low, reported) to ${CPU_DECODE_EFFICIENCY.high * 100}% (high: ${round1(single.high)} tok/s single stream, ${round1(aggregate.high)} aggregate) of one socket's ${round1(perSocketGBps)} GB/s, KV half full`,
    },
    alternatives: [],
    decisions,
    warnings: notices.map((n) => n.message),
    notices,
    engine: 'llamacpp',
  };
}

const gib = (bytes: number) => (bytes / GiB).toFixed(1);
const round1 = (x: number) => Math.round(x * 10) / 10;
