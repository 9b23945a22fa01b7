/**
 * Properties every rendered launch must have, over the whole engine × vendor × node-count matrix:
 * no removed/deprecated flag (lists from docs/reference-keys.md, engines §0 in docs/reference-keys.md and the SGLang/llama.cpp parser notes),
 * SGLang's registered names only, no API key in argv or env, host 0.0.0.0, and images/devices that
 * match the vendor.
 */
import { renderLaunch } from '../../lib/serving';
import type { ServingLaunch, LaunchInput } from '../../lib/serving/types';
import { launchInput, tokens } from './helpers';

/** vLLM flags gone after v0.11.1 (docs/reference-keys.md, engines §0) plus the deprecated --disable-log-requests. */
const VLLM_REMOVED = [
  '--task', '--rope-scaling', '--rope-theta', '--override-pooler-config', '--logits-processor-pattern',
  '--override-attention-dtype', '--guided-decoding-backend', '--guided-decoding-disable-fallback',
  '--guided-decoding-disable-any-whitespace', '--guided-decoding-disable-additional-properties',
  '--num-redundant-experts', '--eplb-window-size', '--eplb-step-interval', '--eplb-log-balancedness',
  '--enable-multimodal-encoder-data-parallel', '--swap-space', '--calculate-kv-scales',
  '--disable-mm-preprocessor-cache', '--lora-extra-vocab-size', '--max-num-partial-prefills',
  '--max-long-partial-prefills', '--num-lookahead-slots', '--cuda-graph-sizes', '--disable-log-requests',
  // Only in vLLM newer than v0.11.1 (checklist item 5).
  '--nnodes', '--node-rank', '--master-addr', '--master-port', '--attention-backend',
];
/** SGLang flags that error (DeprecatedAction) or are gone from the parser, and unregistered abbreviations. */
const SGLANG_FORBIDDEN = [
  '--hybrid-kvcache-ratio', '--prefill-round-robin-balance', '--enable-ep-moe', '--enable-deepep-moe',
  '--enable-flashinfer-mla', '--disable-mla', '--tp', '--pp', '--dp', '--ep',
];
/** llama.cpp: -fa/--flash-attn changed from a switch to `[on|off|auto]` between builds. */
const LLAMACPP_FORBIDDEN = ['-fa', '--flash-attn'];

function matrix(): { name: string; input: LaunchInput }[] {
  const cases: { name: string; input: LaunchInput }[] = [];
  for (const engine of ['vllm', 'sglang'] as const) {
    for (const gpuVendor of ['nvidia', 'amd'] as const) {
      for (const kvCacheDtype of ['bf16', 'fp8'] as const) {
        cases.push({ name: `${engine}/${gpuVendor}/1 node/kv ${kvCacheDtype}`, input: launchInput({ engine, gpuVendor, kvCacheDtype }) });
        cases.push({
          name: `${engine}/${gpuVendor}/2 nodes/kv ${kvCacheDtype}`,
          input: launchInput({ engine, gpuVendor, kvCacheDtype, nodes: 2, pipelineParallelSize: 2 }),
        });
      }
    }
  }
  for (const gpuVendor of ['cpu', 'nvidia', 'amd'] as const) {
    cases.push({
      name: `llamacpp/${gpuVendor}`,
      input: launchInput({ engine: 'llamacpp', gpuVendor, gpusPerNode: gpuVendor === 'cpu' ? 0 : 8, modelPath: '/m/x.gguf', ggufFile: gpuVendor === 'cpu' ? undefined : '/m/x.gguf', precision: 'int4', cpuThreads: 32 }),
    });
  }
  return cases;
}

function allArgv(launch: ServingLaunch): string[][] {
  return [launch.command, ...(launch.multiNode ? [launch.multiNode.headCommand, launch.multiNode.workerCommand] : [])].map((c) => [...c]);
}

const SENTINEL = 'sk-sentinel-must-not-appear-0123456789';

describe.each(matrix())('$name', ({ input }) => {
  let launch: ServingLaunch;
  beforeAll(() => {
    // If a renderer ever read the key from the environment, it would show up in the launch.
    for (const v of ['VLLM_API_KEY', 'SGLANG_API_KEY', 'LLAMA_API_KEY', 'API_KEY']) process.env[v] = SENTINEL;
    launch = renderLaunch(input);
  });
  afterAll(() => {
    for (const v of ['VLLM_API_KEY', 'SGLANG_API_KEY', 'LLAMA_API_KEY', 'API_KEY']) delete process.env[v];
  });

  test('emits no removed, deprecated or build-dependent flag', () => {
    const forbidden = { vllm: VLLM_REMOVED, sglang: SGLANG_FORBIDDEN, llamacpp: LLAMACPP_FORBIDDEN }[input.engine];
    for (const argv of allArgv(launch)) {
      const toks = tokens(argv).map((t) => t.split('=')[0]);
      for (const flag of forbidden) expect(toks).not.toContain(flag);
    }
  });

  test('KV FP8 is spelled per engine: vLLM fp8, SGLang fp8_e4m3 (never plain fp8), none for llama.cpp', () => {
    const expected = input.kvCacheDtype !== 'fp8' ? undefined : { vllm: 'fp8', sglang: 'fp8_e4m3', llamacpp: undefined }[input.engine];
    const toks = tokens(launch.command);
    const i = toks.indexOf('--kv-cache-dtype');
    expect(i >= 0 ? toks[i + 1] : undefined).toBe(expected);
  });

  test('no API key value in argv or env; the key comes only from apiKeyEnv', () => {
    expect(JSON.stringify(launch)).not.toContain(SENTINEL);
    expect(Object.keys(launch.env)).not.toContain(launch.apiKeyEnv);
    for (const argv of allArgv(launch)) {
      const toks = tokens(argv);
      if (input.engine === 'sglang') {
        // The only --api-key is inside the shell expansion of SGLANG_API_KEY.
        expect(argv.join(' ')).not.toMatch(/--api-key (?!"\$SGLANG_API_KEY")/);
      } else {
        expect(toks).not.toContain('--api-key');
      }
    }
  });

  test('the serving argv binds 0.0.0.0 on the API port', () => {
    const toks = tokens(launch.command);
    expect(toks[toks.indexOf('--host') + 1]).toBe('0.0.0.0');
    expect(toks[toks.indexOf('--port') + 1]).toBe(String(input.port));
  });

  test('image is pinned and matches the vendor; devices and runtime match the vendor', () => {
    expect(launch.image).toMatch(/:[^:]+$/);
    expect(launch.image).not.toMatch(/:latest$/);
    const c = launch.container;
    if (input.gpuVendor === 'amd') {
      expect(launch.image).toMatch(/rocm/);
      expect(c.gpuRuntime).toBe('rocm');
      expect(c.devices).toEqual(expect.arrayContaining(['/dev/kfd', '/dev/dri']));
      expect(c.groupAdd).toEqual(['video', 'render']);
      expect(c.capAdd).toContain('SYS_PTRACE');
      expect(c.securityOpt).toContain('seccomp=unconfined');
    } else {
      expect(launch.image).not.toMatch(/rocm/);
      expect(c.devices).not.toContain('/dev/kfd');
      expect(c.groupAdd).toEqual([]);
      expect(c.gpuRuntime).toBe(input.gpuVendor === 'nvidia' ? 'nvidia' : 'none');
    }
  });

  test('multi-node launches carry node variables only where the launcher substitutes them', () => {
    const m = launch.multiNode;
    if (input.nodes === 1) {
      expect(m).toBeUndefined();
      expect(JSON.stringify(launch.command)).not.toMatch(/\$\{(HEAD_ADDR|NODE_RANK)\}/);
      return;
    }
    expect(m).toBeDefined();
    expect(m!.workerCommand.join(' ')).toContain('${HEAD_ADDR}');
    expect(m!.headCommand).toEqual(launch.command);
    expect(launch.container.hostNetwork).toBe(true);
  });
});
