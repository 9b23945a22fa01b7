/**
 * vLLM launch (`vllm serve`), single node or multi-node over Ray.
 *
 * Flags emitted are all in the serving-facts "safe core" (present in v0.11.1 source,
 * vllm-project/vllm `vllm/engine/arg_utils.py@99d7eb5d6a512cfcc5a2b104f24ebf2d6cda772b`, and in a later
 * snapshot): --model, --served-model-name, --tensor-parallel-size, --pipeline-parallel-size,
 * --max-model-len, --max-num-seqs, --gpu-memory-utilization, --kv-cache-dtype, --dtype,
 * --quantization, --trust-remote-code, --enable-expert-parallel, --distributed-executor-backend,
 * --host, --port. No removed or deprecated flag (serving-facts §0) is ever emitted.
 *
 * API key: never in argv. vLLM reads `VLLM_API_KEY` from the environment: vllm-project/vllm
 * `vllm/envs.py` registers `"VLLM_API_KEY": lambda: os.environ.get("VLLM_API_KEY", None)` and
 * `vllm/entrypoints/openai/api_server.py` uses `envs.VLLM_API_KEY or args.api_key` (older) /
 * `args.api_key or [envs.VLLM_API_KEY]` (newer) — read in source excerpts, commit not recorded. The key
 * guards `/v1/*` only, so `/health` stays reachable for probes.
 */
import type { LaunchInput } from './types';
import type { CheckpointArgs, RenderedLaunch } from './index';
import type { EngineImage } from './images';
import { HEAD_ADDR, containerRequirements, shellScript } from './container';

/** Ray GCS port on the head node (`ray start --head --port=6379`, https://docs.vllm.ai/en/stable/examples/online_serving/multi-node-serving/). */
export const RAY_PORT = 6379;

/** Env var vLLM reads its API key from. */
export const VLLM_API_KEY_ENV = 'VLLM_API_KEY';

/**
 * Expert parallelism for DeepSeek-V3/R1 MoE when tensor parallel > 1, as the vLLM DeepSeek recipe
 * runs it (`--tensor-parallel-size 8 --enable-expert-parallel`, "TP8+EP, low latency",
 * https://docs.vllm.ai/projects/recipes/en/latest/DeepSeek/DeepSeek-V3.html). The recipe is for
 * NVIDIA GPUs; the cited MI300X recipe does not use EP, so it stays off on ROCm.
 */
function wantsExpertParallel(input: LaunchInput): boolean {
  return input.model.modelType === 'deepseek_v3' && input.model.moe !== undefined && input.tensorParallelSize > 1 && input.gpuVendor === 'nvidia';
}

/** Engine arguments after the model, in a fixed order. */
function engineArgs(input: LaunchInput, ckpt: CheckpointArgs): string[] {
  const args = ['--served-model-name', input.servedModelName, '--tensor-parallel-size', String(input.tensorParallelSize)];
  if (input.pipelineParallelSize > 1) args.push('--pipeline-parallel-size', String(input.pipelineParallelSize));
  if ((input.dataParallelSize ?? 1) > 1) args.push('--data-parallel-size', String(input.dataParallelSize));
  args.push(
    '--max-model-len', String(input.contextTokens),
    '--max-num-seqs', String(input.concurrency),
    '--gpu-memory-utilization', String(input.gpuMemoryUtilization),
  );
  if (input.kvCacheDtype === 'fp8') args.push('--kv-cache-dtype', 'fp8');
  if (ckpt.dtype) args.push('--dtype', ckpt.dtype);
  // Online dynamic FP8 of a 16-bit checkpoint; pre-quantized checkpoints are detected from their config.
  if (ckpt.onlineFp8) args.push('--quantization', 'fp8');
  if (ckpt.trustRemoteCode) args.push('--trust-remote-code');
  if (wantsExpertParallel(input)) args.push('--enable-expert-parallel');
  // Multi-node TP/PP in v0.11.x needs Ray; the mp multi-node flags exist only in later releases.
  if (input.nodes > 1) args.push('--distributed-executor-backend', 'ray');
  // vLLM binds all interfaces by default; explicit so the command reads the same across engines.
  args.push('--host', '0.0.0.0', '--port', String(input.port));
  return args;
}

/**
 * Render a vLLM launch.
 * - Single node, image with a `vllm serve`-style entrypoint (NVIDIA `vllm/vllm-openai`): `command` is
 *   the engine args, `--model X ...`.
 * - Single node, image without one (ROCm `rocm/vllm`): `command` is `vllm serve X ...`.
 * - Multi-node: Ray. The head container runs `sh -c 'ray start --head --port=6379 && exec vllm serve X ...'`
 *   (vLLM waits up to 1800 s for the workers' GPUs to join its placement group, `PG_WAIT_TIMEOUT` in
 *   vLLM's ray_utils); each worker runs `ray start --address=${HEAD_ADDR}:6379 --block`. Both need the
 *   image's entrypoint cleared, so the launch carries `entrypoint: []`.
 */
export function renderVllm(input: LaunchInput, image: EngineImage, ckpt: CheckpointArgs): RenderedLaunch {
  const args = engineArgs(input, ckpt);
  // AITER kernels: recommended for vLLM on MI300X (third-party: Vultr ROCm cookbook, serving-facts §4).
  const env: Record<string, string> = image.target === 'amd' ? { VLLM_ROCM_USE_AITER: '1' } : {};
  // B200 FP8 MoE runs FlashInfer's kernels when asked (vLLM DeepSeek recipe; serving-facts §7).
  if (input.gpu === 'b200' && input.precision === 'fp8' && input.model.moe) env.VLLM_USE_FLASHINFER_MOE_FP8 = '1';
  // Multi-node over EFA: NCCL reaches the fabric through libfabric's EFA provider (aws-ofi-nccl).
  if (input.nodes > 1 && input.interconnect === 'efa') env.FI_PROVIDER = 'efa';
  const common = {
    engine: 'vllm' as const,
    image: image.image,
    env,
    apiKeyEnv: VLLM_API_KEY_ENV,
    port: input.port,
    healthPath: '/health',
    // /v1/models would answer 401 once VLLM_API_KEY is set; the HTTP server only starts after the
    // engine has loaded the model, so /health answering means ready.
    readinessPath: '/health',
    container: containerRequirements('vllm', image.target, input.nodes),
  };

  if (input.nodes === 1) {
    const command = image.entrypoint ? ['--model', input.modelPath, ...args] : ['vllm', 'serve', input.modelPath, ...args];
    return { ...common, command };
  }

  const serve = shellScript(['vllm', 'serve', input.modelPath, ...args]);
  const command = ['sh', '-c', `ray start --head --port=${RAY_PORT} && exec ${serve}`];
  return {
    ...common,
    command,
    entrypoint: [],
    multiNode: {
      mechanism: 'ray',
      rendezvousPort: RAY_PORT,
      headCommand: command,
      workerCommand: ['ray', 'start', `--address=${HEAD_ADDR}:${RAY_PORT}`, '--block'],
      clusterPorts: [RAY_PORT],
    },
  };
}
