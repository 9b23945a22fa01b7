/**
 * SGLang launch (`python3 -m sglang.launch_server`), single node or multi-node via torch distributed.
 *
 * Flag names are the ones the parser registers (profiles/sglang-0.5.21.ts lists each with where it was
 * read). Never `--tp`/`--dp` (they only work as argparse prefixes) nor `--pp` (ambiguous, fails); KV
 * FP8 is `fp8_e4m3` (plain `fp8` is rejected).
 *
 * API key: SGLang has `--api-key` but no environment fallback (`api_key ... = None`, no env read in
 * server_args). So the command is a `sh -c` script that expands `SGLANG_API_KEY` inside the container:
 * the key is in no rendered data, only in the running process's argv. Auth is on iff the variable is
 * non-empty — the same rule as vLLM (VLLM_API_KEY) and llama.cpp (LLAMA_API_KEY). `/health*` is exempt
 * from SGLang's key check (`add_api_key_middleware`), so probes need no key.
 */
import type { LaunchInput } from './types';
import type { RenderContext, RenderedLaunch } from './render-context';
import { HEAD_ADDR, NODE_RANK, containerRequirements, shellScript, type ShellWord } from './container';
import { sglangFamilyArgs } from './family-args';

/** torch.distributed init port on the head (`--dist-init-addr <node0_ip>:20000`, https://docs.sglang.io/references/multi_node_deployment/multi_node.html). */
export const SGLANG_DIST_INIT_PORT = 20000;

/** Env var the rendered command expands into `--api-key`. */
export const SGLANG_API_KEY_ENV = 'SGLANG_API_KEY';

/** `--api-key "$SGLANG_API_KEY"` when the variable is non-empty, nothing otherwise (POSIX `${var:+word}`). */
const API_KEY_EXPANSION: ShellWord = { expand: `\${${SGLANG_API_KEY_ENV}:+--api-key "$${SGLANG_API_KEY_ENV}"}` };

/** Arguments every node runs with (the model, parallelism, memory and scheduling must match on all ranks). */
function sharedArgs(input: LaunchInput, ctx: RenderContext): ShellWord[] {
  const { ckpt, batch } = ctx;
  const args: ShellWord[] = [
    'python3', '-m', 'sglang.launch_server',
    '--model-path', input.modelPath,
    '--served-model-name', input.servedModelName,
  ];
  const dp = input.dataParallelSize ?? 1;
  if (dp > 1) {
    // DP attention: --tp-size is the engine's world (attention TP = tp ÷ dp = 1 per rank; the MoE layers span
    // all of it), as SGLang's DeepSeek docs launch it (`--tp 8 --dp 8 --enable-dp-attention`).
    args.push('--tp-size', String(input.tensorParallelSize * dp), '--dp-size', String(dp), '--enable-dp-attention');
    // Across nodes the token all-to-all runs on DeepEP (SGLang's multi-node DeepSeek deployments).
    if (input.nodes > 1) args.push('--moe-a2a-backend', 'deepep');
  } else {
    args.push('--tp-size', String(input.tensorParallelSize));
    if ((input.replicas ?? 1) > 1) args.push('--dp-size', String(input.replicas));
  }
  if (input.pipelineParallelSize > 1) args.push('--pp-size', String(input.pipelineParallelSize));
  args.push('--context-length', String(input.contextTokens));
  if (batch.value !== undefined) args.push('--max-running-requests', String(batch.value));
  args.push('--mem-fraction-static', String(input.gpuMemoryUtilization));
  if (input.kvCacheDtype === 'fp8') args.push('--kv-cache-dtype', 'fp8_e4m3');
  if (ckpt.dtype) args.push('--dtype', ckpt.dtype);
  if (ckpt.onlineFp8) args.push('--quantization', 'fp8');
  if (ckpt.trustRemoteCode) args.push('--trust-remote-code');
  args.push(...sglangFamilyArgs(input, ctx.choice.familyFlags));
  return args;
}

/** `--nnodes N --node-rank R --dist-init-addr ${HEAD_ADDR}:20000` for multi-node ranks. */
function distArgs(nodes: number, rank: ShellWord): ShellWord[] {
  return ['--nnodes', String(nodes), '--node-rank', rank, '--dist-init-addr', { expand: `${HEAD_ADDR}:${SGLANG_DIST_INIT_PORT}` }];
}

function shCommand(words: readonly ShellWord[]): string[] {
  return ['sh', '-c', `exec ${shellScript(words)}`];
}

/**
 * Render an SGLang launch. `command` is complete (`sh -c 'exec python3 -m sglang.launch_server ...'`)
 * for both the NVIDIA and ROCm images: neither image's entrypoint is the server. Multi-node: every node
 * runs launch_server with `--nnodes/--node-rank/--dist-init-addr`; only rank 0 serves HTTP, so workers
 * get no --host/--port/--api-key.
 */
export function renderSglang(input: LaunchInput, ctx: RenderContext): RenderedLaunch {
  const { image } = ctx.choice;
  const shared = sharedArgs(input, ctx);
  const multiNode = input.nodes > 1;
  const serveArgs: ShellWord[] = ['--host', '0.0.0.0', '--port', String(input.port), API_KEY_EXPANSION];
  const command = shCommand([...shared, ...(multiNode ? distArgs(input.nodes, '0') : []), ...serveArgs]);
  return {
    ...ctx.identity,
    engine: 'sglang',
    // The AMD images already enable AITER (SGLANG_USE_AITER) by default (AMD SGLang docs).
    env: {},
    apiKeyEnv: SGLANG_API_KEY_ENV,
    port: input.port,
    healthPath: '/health',
    // Runs a one-token generation: true readiness of the model (https://docs.sglang.io/basic_usage/native_api.html).
    readinessPath: '/health_generate',
    container: containerRequirements('sglang', image.target, input.nodes),
    ...(multiNode
      ? {
          multiNode: {
            mechanism: 'torch-dist' as const,
            rendezvousPort: SGLANG_DIST_INIT_PORT,
            headCommand: command,
            workerCommand: shCommand([...shared, ...distArgs(input.nodes, { expand: NODE_RANK })]),
            clusterPorts: [SGLANG_DIST_INIT_PORT],
          },
        }
      : {}),
    command,
  };
}
