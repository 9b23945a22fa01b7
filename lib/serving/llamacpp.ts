/**
 * llama.cpp server launch (`llama-server`, the image ENTRYPOINT), one node, CPU or GPU.
 *
 * Flags (ggml-org/llama.cpp `tools/server/README.md@25d5b0c53f9a146f3d7a99a18610d9d623b5041e`, generated
 * from common/arg.cpp, and still listed in later READMEs): -m, -a/--alias, --host, --port, -c, -np,
 * -t, -ngl, --jinja. `-fa/--flash-attn` is left out: it changed from a switch to `[on|off|auto]`.
 * `--host 0.0.0.0` is required (default bind 127.0.0.1), and `--port` too (the default changed
 * between builds).
 *
 * API key: never in argv; llama-server reads `LLAMA_API_KEY` (README: `--api-key KEY ... (env: LLAMA_API_KEY)`).
 * `/health` is public and answers 503 while loading, 200 when ready.
 */
import type { LaunchInput } from './types';
import type { RenderContext, RenderedLaunch } from './render-context';
import { containerRequirements } from './container';

/** Env var llama-server reads its API key from. */
export const LLAMA_API_KEY_ENV = 'LLAMA_API_KEY';

/**
 * Layers to offload on a GPU: more than any model has, so all of them go to VRAM (llama.cpp caps
 * the number at the model's layer count). The planner has already sized the GPUs for the whole model.
 */
const ALL_LAYERS = '999';

/**
 * Render a llama.cpp launch. `-c` is the total context across slots: llama-server splits it evenly
 * over the `-np` slots, so each request gets contextTokens.
 */
export function renderLlamacpp(input: LaunchInput, ctx: RenderContext): RenderedLaunch {
  const { image } = ctx.choice;
  const slots = ctx.batch.value ?? input.concurrency;
  const command = [
    '-m', input.ggufFile ?? input.modelPath,
    '--alias', input.servedModelName,
    '--host', '0.0.0.0',
    '--port', String(input.port),
    '-c', String(input.contextTokens * slots),
    '-np', String(slots),
  ];
  if (input.cpuThreads !== undefined) command.push('-t', String(input.cpuThreads));
  if (image.target !== 'cpu') command.push('-ngl', ALL_LAYERS);
  // Use the GGUF's own chat template (DeepSeek templates are Jinja).
  command.push('--jinja');
  return {
    ...ctx.identity,
    engine: 'llamacpp',
    command,
    env: {},
    apiKeyEnv: LLAMA_API_KEY_ENV,
    port: input.port,
    healthPath: '/health',
    readinessPath: '/health',
    container: containerRequirements('llamacpp', image.target, input.nodes),
  };
}
