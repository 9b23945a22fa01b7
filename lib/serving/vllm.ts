/**
 * vLLM launch (`vllm serve`), single node or multi-node over Ray, for the release and image the
 * profile selection chose (profiles/vllm-*.ts list every flag emitted here with where it was read).
 *
 * API key: never in argv. vLLM reads `VLLM_API_KEY` from the environment: vllm-project/vllm
 * `vllm/envs.py` registers `"VLLM_API_KEY": lambda: os.environ.get("VLLM_API_KEY", None)` and
 * `vllm/entrypoints/openai/api_server.py` uses `envs.VLLM_API_KEY or args.api_key` (older) /
 * `args.api_key or [envs.VLLM_API_KEY]` (newer) — read in source excerpts, commit not recorded. The key
 * guards `/v1/*` only, so `/health` stays reachable for probes.
 */
import type { LaunchInput } from './types';
import type { RenderContext, RenderedLaunch } from './render-context';
import { HEAD_ADDR, NODE_RANK, containerRequirements, shellScript, type ShellWord } from './container';
import { vllmFamilyArgs } from './family-args';
import { engineTraits } from './engine-traits';

/** Ray GCS port on the head node (`ray start --head --port=6379`, https://docs.vllm.ai/en/stable/examples/online_serving/multi-node-serving/). */
export const RAY_PORT = 6379;

/** Env var vLLM reads its API key from. */
export const VLLM_API_KEY_ENV = 'VLLM_API_KEY';

/**
 * Expert parallelism with tensor parallelism for the DeepSeek MoE families whose vLLM recipes run TP+EP
 * (V3/R1/V3.1/V3.2 base_args `--enable-expert-parallel`; V4 and V4.1 default `single_node_tep`), on
 * NVIDIA only: the cited MI300X runs do not use EP.
 */
function wantsExpertParallel(input: LaunchInput, ctx: RenderContext): boolean {
  if (input.model.moe === undefined) return false;
  if ((input.dataParallelSize ?? 1) > 1) return true;
  if (input.expertParallel !== undefined) return input.expertParallel && input.tensorParallelSize > 1;
  return Boolean(ctx.choice.familyFlags?.expertParallelWithTp) && input.tensorParallelSize > 1 && input.gpuVendor === 'nvidia';
}

/** vLLM's data-parallel RPC port on the head (the data-parallel deployment docs use 13345). */
export const VLLM_DP_RPC_PORT = 13345;

/** Engine arguments after the model, in a fixed order. */
function engineArgs(input: LaunchInput, ctx: RenderContext): string[] {
  const { ckpt, batch } = ctx;
  const family = ctx.choice.familyFlags;
  const args = ['--served-model-name', input.servedModelName, '--tensor-parallel-size', String(input.tensorParallelSize)];
  if (input.pipelineParallelSize > 1) args.push('--pipeline-parallel-size', String(input.pipelineParallelSize));
  // DP attention ranks, or independent replicas: both are vLLM's data-parallel engine cores; EP makes the former.
  const dp = Math.max(input.dataParallelSize ?? 1, input.replicas ?? 1);
  if (dp > 1) args.push('--data-parallel-size', String(dp));
  args.push('--max-model-len', String(input.contextTokens));
  if (batch.value !== undefined) args.push('--max-num-seqs', String(batch.value));
  args.push('--gpu-memory-utilization', String(input.gpuMemoryUtilization));
  if (input.kvCacheDtype === 'fp8') args.push('--kv-cache-dtype', 'fp8');
  if (ckpt.dtype) args.push('--dtype', ckpt.dtype);
  // Online dynamic FP8 of a 16-bit checkpoint; pre-quantized checkpoints are detected from their config.
  if (ckpt.onlineFp8) args.push('--quantization', 'fp8');
  if (ckpt.trustRemoteCode) args.push('--trust-remote-code');
  const ep = wantsExpertParallel(input, ctx);
  if (ep) args.push('--enable-expert-parallel');
  args.push(...vllmFamilyArgs(input, family, ep));
  // Multi-node TP × PP runs on Ray (vLLM's multi-node serving docs); multi-node DP uses vLLM's own coordinator.
  if (input.nodes > 1 && !dataParallelMultiNode(input)) args.push('--distributed-executor-backend', 'ray');
  return args;
}

/** vLLM binds all interfaces by default (the AWS container binds localhost): explicit for every image. */
function serveArgs(input: LaunchInput): string[] {
  return ['--host', '0.0.0.0', '--port', String(input.port)];
}

function dataParallelMultiNode(input: LaunchInput): boolean {
  return input.nodes > 1 && (input.dataParallelSize ?? 1) > 1;
}

/**
 * Multi-node data-parallel attention (https://docs.vllm.ai/en/stable/serving/data_parallel_deployment.html):
 * every node runs `vllm serve` with its local ranks (`--data-parallel-size-local`) and the head's
 * coordinator address; the head serves the API, the others run `--headless` from start rank
 * NODE_RANK × local ranks.
 */
function renderDataParallelMultiNode(input: LaunchInput, args: readonly string[]): { command: string[]; workerCommand: string[] } {
  const local = String(input.gpusPerNode);
  const coordinator: ShellWord[] = ['--data-parallel-size-local', local, '--data-parallel-address', { expand: HEAD_ADDR }, '--data-parallel-rpc-port', String(VLLM_DP_RPC_PORT)];
  const head = shellScript(['vllm', 'serve', input.modelPath, ...args, ...coordinator, ...serveArgs(input)]);
  const worker = shellScript(['vllm', 'serve', input.modelPath, ...args, ...coordinator, '--headless', '--data-parallel-start-rank', { expand: `$((${NODE_RANK} * ${local}))` }]);
  return { command: ['sh', '-c', `exec ${head}`], workerCommand: ['sh', '-c', `exec ${worker}`] };
}

/**
 * Render a vLLM launch.
 * - Single node, image with a `vllm serve` entrypoint (`vllm/vllm-openai`, the AWS container): `command`
 *   is the engine args, `--model X ...`.
 * - Single node, image whose entrypoint is not verified (the ROCm image): `entrypoint: []` and
 *   `command` = `vllm serve X ...`.
 * - Multi-node: Ray. The head container runs `sh -c 'ray start --head --port=6379 && exec vllm serve X ...'`
 *   (vLLM waits up to 1800 s for the workers' GPUs to join its placement group, `PG_WAIT_TIMEOUT` in
 *   vLLM's ray_utils); each worker runs `ray start --address=${HEAD_ADDR}:6379 --block`. Both need the
 *   image's entrypoint cleared, so the launch carries `entrypoint: []`.
 */
export function renderVllm(input: LaunchInput, ctx: RenderContext): RenderedLaunch {
  const { image } = ctx.choice;
  const args = engineArgs(input, ctx);
  const single = [...args, ...serveArgs(input)];
  // AITER kernels: recommended for vLLM on AMD (the vLLM DeepSeek recipes' amd extra_env).
  const env: Record<string, string> = image.target === 'amd' ? { VLLM_ROCM_USE_AITER: '1' } : {};
  // B200 FP8 MoE runs FlashInfer's kernels when asked (vLLM DeepSeek recipe; docs/reference-keys.md, engines §7).
  if (input.gpu === 'b200' && input.precision === 'fp8' && input.model.moe) env.VLLM_USE_FLASHINFER_MOE_FP8 = '1';
  // Multi-node over EFA: NCCL reaches the fabric through libfabric's EFA provider (aws-ofi-nccl).
  if (input.nodes > 1 && input.interconnect === 'efa') env.FI_PROVIDER = 'efa';
  const common = {
    ...ctx.identity,
    engine: 'vllm' as const,
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
    if (Array.isArray(image.entrypoint)) return { ...common, command: ['--model', input.modelPath, ...single] };
    const command = ['vllm', 'serve', input.modelPath, ...single];
    return image.entrypoint === 'clear' ? { ...common, command, entrypoint: [] } : { ...common, command };
  }

  if (dataParallelMultiNode(input)) {
    const { command, workerCommand } = renderDataParallelMultiNode(input, args);
    return {
      ...common,
      command,
      entrypoint: [],
      multiNode: { mechanism: 'vllm-data-parallel', rendezvousPort: VLLM_DP_RPC_PORT, headCommand: command, workerCommand, clusterPorts: [VLLM_DP_RPC_PORT] },
    };
  }
  const serve = shellScript(['vllm', 'serve', input.modelPath, ...single]);
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
      hostIpEnv: engineTraits('vllm').hostIpEnv,
    },
  };
}
