/**
 * SGLang argv per vendor × single/multi-node. Expected scripts are written by hand from the SGLang
 * docs (DeepSeek-V3: `--model-path deepseek-ai/DeepSeek-V3 --tp 8 --trust-remote-code`; multi-node:
 * `--dist-init-addr <node0_ip>:20000 --nnodes 2 --node-rank R`, host/port on rank 0), with the
 * registered flag names (`--tp-size`, `--pp-size`) and `fp8_e4m3` for FP8 KV (docs/reference-keys.md, engines §0, §6).
 */
import { renderLaunch } from '../../lib/serving';
import { IMAGES, LLAMA_31_8B, launchInput } from './helpers';

const KEY = '${SGLANG_API_KEY:+--api-key "$SGLANG_API_KEY"}';

describe('SGLang single node', () => {
  test.each([
    {
      vendor: 'nvidia' as const,
      image: IMAGES.sglangNvidia,
      gpuRuntime: 'nvidia',
    },
    {
      vendor: 'amd' as const,
      image: IMAGES.sglangRocm,
      gpuRuntime: 'rocm',
    },
  ])('$vendor 8×GPU, DeepSeek-V3 native FP8, FP8 KV', ({ vendor, image, gpuRuntime }) => {
    const launch = renderLaunch(
      launchInput({ engine: 'sglang', gpuVendor: vendor, kvCacheDtype: 'fp8', gpuMemoryUtilization: 0.88, port: 30000 }),
    );
    expect(launch.image).toBe(image);
    expect(launch.command).toEqual([
      'sh', '-c',
      'exec python3 -m sglang.launch_server --model-path deepseek-ai/DeepSeek-V3 --served-model-name deepseek-v3 ' +
        '--tp-size 8 --context-length 32768 --mem-fraction-static 0.88 ' +
        `--kv-cache-dtype fp8_e4m3 --trust-remote-code --host 0.0.0.0 --port 30000 ${KEY}`,
    ]);
    expect(launch.env).toEqual({});
    expect(launch.apiKeyEnv).toBe('SGLANG_API_KEY');
    expect(launch.healthPath).toBe('/health');
    expect(launch.readinessPath).toBe('/health_generate');
    expect(launch.container.gpuRuntime).toBe(gpuRuntime);
    expect(launch.container.ulimits).toEqual({ stack: '67108864' });
    expect(launch.multiNode).toBeUndefined();
  });

  test('BF16 Llama served FP8 on 1 GPU: online --quantization fp8, no remote code, no --pp-size', () => {
    const launch = renderLaunch(
      launchInput({ engine: 'sglang', model: LLAMA_31_8B, modelPath: '/models/llama', servedModelName: 'llama', gpusPerNode: 1, tensorParallelSize: 1, contextTokens: 8192, concurrency: 32, port: 30000 }),
    );
    expect(launch.command).toEqual([
      'sh', '-c',
      'exec python3 -m sglang.launch_server --model-path /models/llama --served-model-name llama --tp-size 1 ' +
        '--context-length 8192 --mem-fraction-static 0.9 --quantization fp8 ' +
        `--host 0.0.0.0 --port 30000 ${KEY}`,
    ]);
  });
});

describe('SGLang multi-node', () => {
  test.each([
    { vendor: 'nvidia' as const, image: IMAGES.sglangNvidia },
    { vendor: 'amd' as const, image: IMAGES.sglangRocm },
  ])('$vendor 2×8: every node runs launch_server with --nnodes/--node-rank/--dist-init-addr', ({ vendor, image }) => {
    const launch = renderLaunch(
      launchInput({ engine: 'sglang', gpuVendor: vendor, nodes: 2, tensorParallelSize: 8, pipelineParallelSize: 2, port: 30000 }),
    );
    const shared =
      'exec python3 -m sglang.launch_server --model-path deepseek-ai/DeepSeek-V3 --served-model-name deepseek-v3 ' +
      '--tp-size 8 --pp-size 2 --context-length 32768 --mem-fraction-static 0.9 ' +
      '--trust-remote-code --nnodes 2';
    const head = ['sh', '-c', `${shared} --node-rank 0 --dist-init-addr \${HEAD_ADDR}:20000 --host 0.0.0.0 --port 30000 ${KEY}`];
    expect(launch.image).toBe(image);
    expect(launch.command).toEqual(head);
    expect(launch.multiNode).toEqual({
      mechanism: 'torch-dist',
      rendezvousPort: 20000,
      headCommand: head,
      // Only rank 0 serves HTTP: workers carry no --host/--port/--api-key.
      workerCommand: ['sh', '-c', `${shared} --node-rank \${NODE_RANK} --dist-init-addr \${HEAD_ADDR}:20000`],
      clusterPorts: [20000],
    });
    expect(launch.container).toMatchObject({ hostNetwork: true, ulimits: { memlock: '-1', stack: '67108864' } });
  });
});
