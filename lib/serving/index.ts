/**
 * Serving-engine launch renderer: turns a validated LaunchInput into the image, argv, environment
 * and container options an adapter needs to start vLLM, SGLang or llama.cpp.
 *
 * Command convention: `command` is the argv given after the image and runs under the image's own
 * ENTRYPOINT (listed per image in the engine profiles, profiles/*.ts) — except when the returned object carries an
 * `entrypoint` (see RenderedLaunch), which then replaces the image's ENTRYPOINT for the head and
 * worker containers.
 */
import { PlanError } from '../errors';
import { ENGINES, PRECISIONS, type Decision, type Issue } from '../types';
import { notice, type Notice } from '../notices';
import type { LaunchInput, ServingLaunch } from './types';
import { batchCap } from './batch';
import { checkpointArgs } from './checkpoint';
import { unknownFlags } from './flag-check';
import { imageReference, selectProfile } from './profiles';
import type { RenderContext, RenderedLaunch } from './render-context';
import { renderVllm } from './vllm';
import { renderSglang } from './sglang';
import { renderLlamacpp } from './llamacpp';

export { containerRequirements } from './container';
export { batchCap, vllmDefaultMaxNumSeqs, type BatchCap, type BatchCapInput } from './batch';
export { checkpointArgs, type CheckpointArgs } from './checkpoint';
export { emittedFlags, unknownFlags, type EmittedFlag } from './flag-check';
export { ENGINE_TRAITS, engineTraits, type EngineMemoryModel, type EngineTraits, type GpuLayout } from './engine-traits';
export * from './profiles';
export type { RenderedLaunch } from './render-context';

/** The ENTRYPOINT override a rendered launch needs, or undefined to keep the image's own. */
export function entrypointOverride(launch: ServingLaunch): readonly string[] | undefined {
  return (launch as RenderedLaunch).entrypoint;
}

/** A rendered launch with the decisions and warnings the serving choices add to the plan. */
export interface ServingPlan {
  readonly launch: RenderedLaunch;
  /** Image, engine version and batch cap, each with its reason. */
  readonly decisions: readonly Decision[];
  /** EFA libraries missing on a multi-node EFA launch, memory constants fitted on another engine version, recipe settings the plan differs from (DSIAC-SRV codes). */
  readonly notices: readonly Notice[];
}

/**
 * Render the engine launch for a LaunchInput, with the decisions and warnings behind it.
 * @throws PlanError listing every invalid field (all problems at once), or when the pinned release
 *   cannot serve the model on the hardware.
 */
export function planServing(input: LaunchInput): ServingPlan {
  const issues = validateLaunchInput(input);
  if (issues.length > 0) throw new PlanError(issues);
  const choice = selectProfile({
    engine: input.engine,
    target: input.gpuVendor,
    cpuArchitecture: input.cpuArchitecture,
    model: input.model,
    nodes: input.nodes,
    interconnect: input.interconnect,
  });
  const replicaConcurrency = input.concurrency;
  const batch = batchCap({ engine: input.engine, gpu: input.gpu, concurrency: replicaConcurrency, kvMaxConcurrency: input.kvMaxConcurrency, contextTokens: input.contextTokens, sizedMaxNumSeqs: input.maxNumSeqs });
  const ctx: RenderContext = {
    choice,
    ckpt: checkpointArgs(input, choice.familyFlags),
    batch,
    identity: { image: imageReference(choice.image), engineVersion: choice.profile.engineVersion, profile: choice.profile.id, efaLibraries: choice.image.efaLibraries },
  };
  const launch = render(input, ctx);
  // Every flag must be in the release's list (profiles/*.ts); a miss is a bug in this module, not bad input.
  const unknown = unknownFlags(launch, choice.profile);
  if (unknown.length > 0) {
    throw new Error(`${choice.profile.id} does not list ${unknown.map((f) => `${f.flag} (${f.where})`).join(', ')}: add the flag with its source or stop emitting it`);
  }
  const notices = [...choice.notices];
  // V4/V4.1 ship MXFP4 experts: FP8 serving needs an FP8 re-quantized checkpoint (no engine converts FP4 to FP8 at load).
  if (input.precision === 'fp8' && input.model.releasedQuantization?.routedExpertFormat === 'mxfp4') {
    notices.push(notice('DSIAC-SRV3', `${input.model.id} is released with MXFP4 experts: fp8 serves an FP8 re-quantized checkpoint (e.g. sgl-project/DeepSeek-V4-Flash-FP8, which SGLang runs on Hopper and MI300X; docs/deepseek-2026-models.md §4): point modelPath at one. The released FP4 checkpoint runs on Hopper through Marlin (precision fp4)`));
  }
  const recipeKv = choice.familyFlags?.recipeKvCacheDtype;
  if (recipeKv !== undefined && input.kvCacheDtype !== recipeKv && input.engine === 'vllm') {
    notices.push(notice('DSIAC-SRV4', `the vLLM recipe runs ${input.model.id} with an ${recipeKv} KV cache (--kv-cache-dtype ${recipeKv}); this plan sized and renders ${input.kvCacheDtype} KV (set kvCacheDtype ${recipeKv} to follow the recipe and hold more requests)`));
  }
  return { launch, decisions: [...choice.decisions, batch.decision], notices };
}

/**
 * Render the engine launch for a LaunchInput (planServing without the decisions and warnings).
 * @throws PlanError listing every invalid field (all problems at once).
 */
export function renderLaunch(input: LaunchInput): RenderedLaunch {
  return planServing(input).launch;
}

function render(input: LaunchInput, ctx: RenderContext): RenderedLaunch {
  switch (input.engine) {
    case 'vllm':
      return renderVllm(input, ctx);
    case 'sglang':
      return renderSglang(input, ctx);
    case 'llamacpp':
      return renderLlamacpp(input, ctx);
  }
}

const GPU_VENDORS = ['nvidia', 'amd', 'cpu'] as const;
const KV_DTYPES = ['bf16', 'fp16', 'fp8'] as const;
const CPU_ARCHITECTURES = ['x86_64', 'arm64'] as const;
// Control characters would break the shell scripts and user data that carry these values.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

function isIntAtLeast(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min;
}

/**
 * Every problem with a LaunchInput, as `{ path, message }` naming the field, the value and what is
 * allowed. Empty when the input can be rendered.
 */
export function validateLaunchInput(input: LaunchInput): Issue[] {
  const issues: Issue[] = [];
  const add = (path: string, message: string): void => {
    issues.push({ path, message });
  };
  const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

  if (!ENGINES.includes(input.engine)) add('engine', `${show(input.engine)} is not an engine; allowed: ${ENGINES.join(', ')}`);
  if (!(GPU_VENDORS as readonly string[]).includes(input.gpuVendor)) {
    add('gpuVendor', `${show(input.gpuVendor)} is not supported; allowed: ${GPU_VENDORS.join(', ')}`);
  }
  if (!PRECISIONS.includes(input.precision)) add('precision', `${show(input.precision)} is not a precision; allowed: ${PRECISIONS.join(', ')}`);
  if (!(KV_DTYPES as readonly string[]).includes(input.kvCacheDtype)) {
    add('kvCacheDtype', `${show(input.kvCacheDtype)} is not a resolved KV-cache dtype; allowed: ${KV_DTYPES.join(', ')}`);
  }

  for (const field of ['modelPath', 'servedModelName'] as const) {
    const v = input[field];
    if (typeof v !== 'string' || v.trim() === '') add(field, `${show(v)} must be a non-empty string`);
    else if (CONTROL_CHARS.test(v)) add(field, `${show(v)} must not contain control characters (newlines, tabs)`);
  }

  const positive = ['nodes', 'tensorParallelSize', 'pipelineParallelSize', 'contextTokens', 'concurrency'] as const;
  for (const field of positive) {
    if (!isIntAtLeast(input[field], 1)) add(field, `${show(input[field])} must be an integer ≥ 1`);
  }
  if (!isIntAtLeast(input.port, 1) || input.port > 65535) add('port', `${show(input.port)} must be an integer from 1 to 65535`);
  if (input.kvMaxConcurrency !== undefined && !isIntAtLeast(input.kvMaxConcurrency, 0)) {
    add('kvMaxConcurrency', `${show(input.kvMaxConcurrency)} must be an integer ≥ 0 when set`);
  }
  if (input.maxNumSeqs !== undefined && !isIntAtLeast(input.maxNumSeqs, 1)) add('maxNumSeqs', `${show(input.maxNumSeqs)} must be an integer ≥ 1 when set`);
  if (input.cpuArchitecture !== undefined && !(CPU_ARCHITECTURES as readonly string[]).includes(input.cpuArchitecture)) {
    add('cpuArchitecture', `${show(input.cpuArchitecture)} is not a CPU architecture; allowed: ${CPU_ARCHITECTURES.join(', ')}`);
  }
  if (input.speculativeDecoding !== undefined && typeof input.speculativeDecoding !== 'boolean') {
    add('speculativeDecoding', `${show(input.speculativeDecoding)} must be true or false`);
  }
  if (input.cpuThreads !== undefined && !isIntAtLeast(input.cpuThreads, 1)) {
    add('cpuThreads', `${show(input.cpuThreads)} must be an integer ≥ 1 when set`);
  }
  const util = input.gpuMemoryUtilization;
  if (typeof util !== 'number' || !Number.isFinite(util) || util <= 0 || util > 1) {
    add('gpuMemoryUtilization', `${show(util)} must be a fraction in (0, 1]`);
  }
  // The engines accept up to max_position_embeddings (the planner warns above the published context).
  const engineMax = Math.max(input.model.maxPositionEmbeddings ?? input.model.maxContextTokens, input.model.maxContextTokens);
  if (isIntAtLeast(input.contextTokens, 1) && input.contextTokens > engineMax) {
    add('contextTokens', `${input.contextTokens} exceeds the model's context of ${engineMax} tokens (${input.model.id})`);
  }

  if (input.engine === 'vllm' || input.engine === 'sglang') validateGpuEngine(input, add, show);
  if (input.engine === 'llamacpp') validateLlamacpp(input, add, show);
  return issues;
}

type AddIssue = (path: string, message: string) => void;

function validateGpuEngine(input: LaunchInput, add: AddIssue, show: (v: unknown) => string): void {
  if (input.gpuVendor === 'cpu') {
    add('gpuVendor', `${input.engine} is rendered for GPUs only (nvidia, amd); on cpu use engine llamacpp`);
  }
  if (!isIntAtLeast(input.gpusPerNode, 1)) add('gpusPerNode', `${show(input.gpusPerNode)} must be an integer ≥ 1 for ${input.engine}`);
  const { tensorParallelSize: tp, pipelineParallelSize: pp, gpusPerNode, nodes } = input;
  const dp = input.dataParallelSize ?? 1;
  const replicas = input.replicas ?? 1;
  if (!isIntAtLeast(dp, 1)) add('dataParallelSize', `${show(dp)} must be an integer ≥ 1`);
  if (!isIntAtLeast(replicas, 1)) add('replicas', `${show(replicas)} must be an integer ≥ 1`);
  if (isIntAtLeast(replicas, 2) && isIntAtLeast(nodes, 2)) add('replicas', `${replicas} replicas are rendered for a single node only, got ${nodes} nodes`);
  if (isIntAtLeast(dp, 2) && isIntAtLeast(replicas, 2)) add('replicas', `${replicas} replicas of a ${dp}-rank data-parallel engine are not rendered; use one`);
  if (isIntAtLeast(dp, 2) && (tp !== 1 || pp !== 1)) add('dataParallelSize', `${dp} data-parallel attention ranks are rendered at tensorParallelSize 1 and pipelineParallelSize 1, got ${show(tp)} and ${show(pp)}`);
  if (isIntAtLeast(dp, 2) && !input.model.moe) add('dataParallelSize', `${dp}: data-parallel attention with expert parallelism needs a MoE model; ${input.model.id} is dense`);
  if (isIntAtLeast(dp, 2) && input.expertParallel === false) add('expertParallel', 'false conflicts with dataParallelSize > 1 (the ranks shard the experts)');
  if ([tp, pp, gpusPerNode, nodes, dp, replicas].every((n) => isIntAtLeast(n, 1)) && tp * pp * dp * replicas !== gpusPerNode * nodes) {
    add(
      'tensorParallelSize',
      `tensorParallelSize × pipelineParallelSize × dataParallelSize × replicas = ${tp} × ${pp} × ${dp} × ${replicas} = ${tp * pp * dp * replicas} must equal gpusPerNode × nodes = ${gpusPerNode} × ${nodes} = ${gpusPerNode * nodes}`,
    );
  }
  // vLLM multi-node TP × PP: TP inside a node and PP across nodes (vLLM parallelism guidance, docs/reference-keys.md, engines §2).
  if (input.engine === 'vllm' && isIntAtLeast(nodes, 2) && dp === 1 && pp !== nodes) {
    add('pipelineParallelSize', `${show(pp)} must equal nodes (${nodes}) when vLLM runs on more than one node: tensor parallel inside a node, pipeline parallel across nodes`);
  }
  // SGLang check_server_args: (tp_size × pp_size) % nnodes == 0 (docs/reference-keys.md, engines §0 SGLang parser).
  if (input.engine === 'sglang' && isIntAtLeast(nodes, 2) && (tp * dp * pp) % nodes !== 0) {
    add('tensorParallelSize', `SGLang needs tp × pp (${tp * dp} × ${pp}) divisible by nnodes (${nodes})`);
  }
}

function validateLlamacpp(input: LaunchInput, add: AddIssue, show: (v: unknown) => string): void {
  if (input.nodes !== 1) add('nodes', `${show(input.nodes)}: llama.cpp is rendered for a single node only; allowed: 1`);
  if (!isIntAtLeast(input.gpusPerNode, 0)) add('gpusPerNode', `${show(input.gpusPerNode)} must be an integer ≥ 0`);
  if (input.gpuVendor !== 'cpu' && !input.ggufFile) {
    add('ggufFile', `llama.cpp on ${input.gpuVendor} GPUs needs a GGUF file (ggufFile); allowed without it only on gpuVendor cpu`);
  } else {
    // -m takes ggufFile, or on CPU the modelPath itself.
    const gguf = input.ggufFile ?? input.modelPath;
    if (typeof gguf === 'string' && gguf !== '' && !gguf.toLowerCase().endsWith('.gguf')) {
      add(input.ggufFile ? 'ggufFile' : 'modelPath', `${show(gguf)} is not a .gguf file; llama.cpp loads GGUF only`);
    }
  }
  if (input.ggufFile !== undefined && CONTROL_CHARS.test(input.ggufFile)) {
    add('ggufFile', `${show(input.ggufFile)} must not contain control characters`);
  }
  // llama.cpp KV cache types are f32, f16, bf16, q8_0, q4_0, ... — no fp8 (server README, docs/reference-keys.md, engines §6).
  if (input.kvCacheDtype === 'fp8') add('kvCacheDtype', `"fp8" is not a llama.cpp KV-cache type; allowed: bf16, fp16`);
}
