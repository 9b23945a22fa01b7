/**
 * Serving-engine launch renderer: turns a validated LaunchInput into the image, argv, environment
 * and container options an adapter needs to start vLLM, SGLang or llama.cpp.
 *
 * Command convention: `command` is the argv given after the image and runs under the image's own
 * ENTRYPOINT (listed per image in ENGINE_IMAGES) — except when the returned object carries an
 * `entrypoint` (see RenderedLaunch), which then replaces the image's ENTRYPOINT for the head and
 * worker containers.
 */
import { PlanError } from '../errors';
import { ENGINES, PRECISIONS, type Issue, type Precision } from '../types';
import type { LaunchInput, ServingLaunch } from './types';
import { imageFor } from './images';
import { renderVllm } from './vllm';
import { renderSglang } from './sglang';
import { renderLlamacpp } from './llamacpp';

export { ENGINE_IMAGES, LLAMACPP_BUILD, imageFor, type EngineImage, type ImageTarget } from './images';
export { containerRequirements } from './container';

/**
 * A ServingLaunch that may also replace the image's ENTRYPOINT. The contract type has no field for
 * this yet; it is needed where the image's entrypoint is the engine itself but the container must run
 * something else first (vLLM over Ray: `ray start` before `vllm serve`).
 */
export interface RenderedLaunch extends ServingLaunch {
  /**
   * Replaces the image's ENTRYPOINT for head and worker containers; `[]` clears it so `command` /
   * `workerCommand` are complete argv (docker `--entrypoint ''`, compose `entrypoint: []`, k8s `command:`).
   * Absent: keep the image's ENTRYPOINT.
   */
  readonly entrypoint?: readonly string[];
}

/** The ENTRYPOINT override a rendered launch needs, or undefined to keep the image's own. */
export function entrypointOverride(launch: ServingLaunch): readonly string[] | undefined {
  return (launch as RenderedLaunch).entrypoint;
}

/** Weight-loading flags derived from the checkpoint and the served precision (shared by vLLM and SGLang). */
export interface CheckpointArgs {
  /** DeepSeek V2/V3 configs ship custom code; both engines' DeepSeek recipes pass --trust-remote-code. */
  readonly trustRemoteCode: boolean;
  /** FP8 served from a checkpoint that is not already FP8: quantize weights at load time (`--quantization fp8`). */
  readonly onlineFp8: boolean;
  /** `--dtype` when the served 16-bit precision differs from the checkpoint's native dtype. */
  readonly dtype?: 'bfloat16' | 'float16';
}

/** HF model types whose configs need remote code (DeepSeek V2/V2.5/V3/R1). */
const REMOTE_CODE_MODEL_TYPES = new Set(['deepseek_v2', 'deepseek_v3']);

/**
 * Decide the checkpoint flags. int8/int4 add nothing: the user points modelPath at a pre-quantized
 * checkpoint (AWQ/GPTQ/W8A8) whose config carries `quantization_config`, which both engines read.
 * DeepSeek's released FP8 checkpoint also adds nothing (SGLang: "you should not run it with any
 * quantization arguments like --quantization fp8", https://docs.sglang.io/docs/basic_usage/deepseek_v3.md).
 */
export function checkpointArgs(input: LaunchInput): CheckpointArgs {
  const model = input.model;
  const nativeFp8 = model.releasedQuantization?.method === 'fp8';
  const sixteenBit: Partial<Record<Precision, 'bfloat16' | 'float16'>> = { bf16: 'bfloat16', fp16: 'float16' };
  const wanted = sixteenBit[input.precision];
  const dtype = wanted !== undefined && input.precision !== model.nativeDtype ? wanted : undefined;
  return {
    trustRemoteCode: REMOTE_CODE_MODEL_TYPES.has(model.modelType),
    onlineFp8: input.precision === 'fp8' && !nativeFp8,
    ...(dtype ? { dtype } : {}),
  };
}

/**
 * Render the engine launch for a LaunchInput.
 * @throws PlanError listing every invalid field (all problems at once).
 */
export function renderLaunch(input: LaunchInput): RenderedLaunch {
  const issues = validateLaunchInput(input);
  if (issues.length > 0) throw new PlanError(issues);
  const image = imageFor(input.engine, input.gpuVendor);
  // validateLaunchInput rejects every engine × hardware pair without an image.
  if (!image) throw PlanError.single('engine', `no image for ${input.engine} on ${input.gpuVendor}`);
  switch (input.engine) {
    case 'vllm':
      return renderVllm(input, image, checkpointArgs(input));
    case 'sglang':
      return renderSglang(input, image, checkpointArgs(input));
    case 'llamacpp':
      return renderLlamacpp(input, image);
  }
}

const GPU_VENDORS = ['nvidia', 'amd', 'cpu'] as const;
const KV_DTYPES = ['bf16', 'fp16', 'fp8'] as const;
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
  if (!isIntAtLeast(dp, 1)) add('dataParallelSize', `${show(dp)} must be an integer ≥ 1`);
  if (isIntAtLeast(dp, 2) && isIntAtLeast(nodes, 2)) add('dataParallelSize', `${dp} replicas are rendered for a single node only, got ${nodes} nodes`);
  if ([tp, pp, gpusPerNode, nodes, dp].every((n) => isIntAtLeast(n, 1)) && tp * pp * dp !== gpusPerNode * nodes) {
    add(
      'tensorParallelSize',
      `tensorParallelSize × pipelineParallelSize × dataParallelSize = ${tp} × ${pp} × ${dp} = ${tp * pp * dp} must equal gpusPerNode × nodes = ${gpusPerNode} × ${nodes} = ${gpusPerNode * nodes}`,
    );
  }
  // vLLM multi-node: TP inside a node and PP across nodes (vLLM parallelism guidance, serving-facts §2).
  if (input.engine === 'vllm' && isIntAtLeast(nodes, 2) && pp !== nodes) {
    add('pipelineParallelSize', `${show(pp)} must equal nodes (${nodes}) when vLLM runs on more than one node: tensor parallel inside a node, pipeline parallel across nodes`);
  }
  // SGLang check_server_args: (tp_size × pp_size) % nnodes == 0 (serving-facts: SGLang parser).
  if (input.engine === 'sglang' && isIntAtLeast(nodes, 2) && (tp * pp) % nodes !== 0) {
    add('tensorParallelSize', `SGLang needs tp × pp (${tp} × ${pp}) divisible by nnodes (${nodes})`);
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
  // llama.cpp KV cache types are f32, f16, bf16, q8_0, q4_0, ... — no fp8 (server README, serving-facts §6).
  if (input.kvCacheDtype === 'fp8') add('kvCacheDtype', `"fp8" is not a llama.cpp KV-cache type; allowed: bf16, fp16`);
}
