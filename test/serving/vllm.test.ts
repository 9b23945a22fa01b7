/**
 * vLLM argv per vendor × single/multi-node. Expected argv are written out by hand from the vLLM docs:
 * the Docker page (NVIDIA image takes engine args after the tag: `--model X ...`), the DeepSeek recipe
 * (`--trust-remote-code --tensor-parallel-size 8 --enable-expert-parallel`), the multi-node page
 * (`ray start --head --port=6379`, workers `ray start --address=<head>:6379`, TP = GPUs per node,
 * PP = nodes, `--distributed-executor-backend ray`).
 */
import { renderLaunch, entrypointOverride } from '../../lib/serving';
import type { LaunchInput } from '../../lib/serving/types';
import { DEEPSEEK_V2_LITE, IMAGES, LLAMA_31_8B, launchInput } from './helpers';

interface Case {
  name: string;
  input: LaunchInput;
  image: string;
  command: string[];
  env: Record<string, string>;
  /** The ROCm image's ENTRYPOINT is not verified: the launch clears it and names `vllm serve`. */
  entrypoint?: string[];
}

const singleNode: Case[] = [
  {
    name: 'NVIDIA 8×GPU, DeepSeek-V3 native FP8: no --quantization, EP on (recipe TP8+EP)',
    input: launchInput(),
    image: IMAGES.vllmNvidia,
    command: [
      '--model', 'deepseek-ai/DeepSeek-V3',
      '--served-model-name', 'deepseek-v3',
      '--tensor-parallel-size', '8',
      '--max-model-len', '32768',
      // max(vLLM's 1024 default on a ≥ 70 GiB GPU, concurrency 16): no KV capacity given.
      '--max-num-seqs', '1024',
      '--gpu-memory-utilization', '0.9',
      '--trust-remote-code',
      '--enable-expert-parallel',
      '--host', '0.0.0.0', '--port', '8000',
    ],
    env: {},
  },
  {
    name: 'MI300X 8×GPU, DeepSeek-V3 FP8 with FP8 KV: explicit `vllm serve`, AITER env, no EP on ROCm',
    input: launchInput({ gpuVendor: 'amd', gpu: 'mi300x', modelPath: '/models/DeepSeek-V3', kvCacheDtype: 'fp8', contextTokens: 65536, concurrency: 32, gpuMemoryUtilization: 0.92 }),
    image: IMAGES.vllmRocm,
    command: [
      'vllm', 'serve', '/models/DeepSeek-V3',
      '--served-model-name', 'deepseek-v3',
      '--tensor-parallel-size', '8',
      '--max-model-len', '65536',
      '--max-num-seqs', '1024',
      '--gpu-memory-utilization', '0.92',
      '--kv-cache-dtype', 'fp8',
      '--trust-remote-code',
      '--host', '0.0.0.0', '--port', '8000',
    ],
    env: { VLLM_ROCM_USE_AITER: '1' },
    entrypoint: [],
  },
  {
    name: 'NVIDIA 1×GPU, BF16 Llama served in FP8: online dynamic FP8 (--quantization fp8), no remote code',
    input: launchInput({ model: LLAMA_31_8B, modelPath: 'meta-llama/Llama-3.1-8B-Instruct', servedModelName: 'llama-3.1-8b', gpusPerNode: 1, tensorParallelSize: 1, contextTokens: 8192, concurrency: 64 }),
    image: IMAGES.vllmNvidia,
    command: [
      '--model', 'meta-llama/Llama-3.1-8B-Instruct',
      '--served-model-name', 'llama-3.1-8b',
      '--tensor-parallel-size', '1',
      '--max-model-len', '8192',
      '--max-num-seqs', '1024',
      '--gpu-memory-utilization', '0.9',
      '--quantization', 'fp8',
      '--host', '0.0.0.0', '--port', '8000',
    ],
    env: {},
  },
  {
    name: 'NVIDIA 1×GPU, BF16 Llama served in FP16: --dtype float16',
    input: launchInput({ model: LLAMA_31_8B, gpu: 'l4', modelPath: 'meta-llama/Llama-3.1-8B-Instruct', servedModelName: 'llama', precision: 'fp16', gpusPerNode: 1, tensorParallelSize: 1, contextTokens: 4096, concurrency: 8, gpuMemoryUtilization: 0.85, port: 9000 }),
    image: IMAGES.vllmNvidia,
    command: [
      '--model', 'meta-llama/Llama-3.1-8B-Instruct',
      '--served-model-name', 'llama',
      '--tensor-parallel-size', '1',
      '--max-model-len', '4096',
      // An L4 shows 22 GiB (< 70 GiB): vLLM's default is 256.
      '--max-num-seqs', '256',
      '--gpu-memory-utilization', '0.85',
      '--dtype', 'float16',
      '--host', '0.0.0.0', '--port', '9000',
    ],
    env: {},
  },
  {
    name: 'NVIDIA 8×GPU, DeepSeek-V3 INT4 from a pre-quantized AWQ checkpoint: no quantization flag',
    input: launchInput({ precision: 'int4', modelPath: 'cognitivecomputations/DeepSeek-V3-AWQ', contextTokens: 16384, concurrency: 4 }),
    image: IMAGES.vllmNvidia,
    command: [
      '--model', 'cognitivecomputations/DeepSeek-V3-AWQ',
      '--served-model-name', 'deepseek-v3',
      '--tensor-parallel-size', '8',
      '--max-model-len', '16384',
      '--max-num-seqs', '1024',
      '--gpu-memory-utilization', '0.9',
      '--trust-remote-code',
      '--enable-expert-parallel',
      '--host', '0.0.0.0', '--port', '8000',
    ],
    env: {},
  },
  {
    name: 'NVIDIA 2×GPU, DeepSeek-V2-Lite BF16 served FP8: remote code + online FP8, no EP (V3 recipe only)',
    input: launchInput({ model: DEEPSEEK_V2_LITE, modelPath: 'deepseek-ai/DeepSeek-V2-Lite', servedModelName: 'v2-lite', gpusPerNode: 2, tensorParallelSize: 2, contextTokens: 32768, concurrency: 8 }),
    image: IMAGES.vllmNvidia,
    command: [
      '--model', 'deepseek-ai/DeepSeek-V2-Lite',
      '--served-model-name', 'v2-lite',
      '--tensor-parallel-size', '2',
      '--max-model-len', '32768',
      '--max-num-seqs', '1024',
      '--gpu-memory-utilization', '0.9',
      '--quantization', 'fp8',
      '--trust-remote-code',
      '--host', '0.0.0.0', '--port', '8000',
    ],
    env: {},
  },
];

describe('vLLM single node', () => {
  test.each(singleNode)('$name', ({ input, image, command, env, entrypoint }) => {
    const launch = renderLaunch(input);
    expect(launch.engine).toBe('vllm');
    expect(launch.image).toBe(image);
    expect(launch.command).toEqual(command);
    expect(launch.env).toEqual(env);
    expect(launch.apiKeyEnv).toBe('VLLM_API_KEY');
    expect(launch.port).toBe(input.port);
    expect(launch.healthPath).toBe('/health');
    expect(launch.readinessPath).toBe('/health');
    expect(launch.multiNode).toBeUndefined();
    expect(entrypointOverride(launch)).toEqual(entrypoint);
  });
});

describe('vLLM multi-node over Ray', () => {
  // 2 nodes × 8 GPUs: TP 8 inside a node, PP 2 across nodes (vLLM parallelism guidance).
  const twoNodes = { nodes: 2, gpusPerNode: 8, tensorParallelSize: 8, pipelineParallelSize: 2, contextTokens: 16384, concurrency: 8 };

  test.each([
    {
      vendor: 'nvidia' as const,
      image: IMAGES.vllmNvidia,
      gpu: 'h200' as const,
      kv: 'bf16' as const,
      script:
        'ray start --head --port=6379 && exec vllm serve deepseek-ai/DeepSeek-V3 --served-model-name deepseek-v3 ' +
        '--tensor-parallel-size 8 --pipeline-parallel-size 2 --max-model-len 16384 --max-num-seqs 1024 ' +
        '--gpu-memory-utilization 0.9 --trust-remote-code --enable-expert-parallel ' +
        '--distributed-executor-backend ray --host 0.0.0.0 --port 8000',
      env: {},
    },
    {
      vendor: 'amd' as const,
      image: IMAGES.vllmRocm,
      gpu: 'mi300x' as const,
      kv: 'fp8' as const,
      script:
        'ray start --head --port=6379 && exec vllm serve deepseek-ai/DeepSeek-V3 --served-model-name deepseek-v3 ' +
        '--tensor-parallel-size 8 --pipeline-parallel-size 2 --max-model-len 16384 --max-num-seqs 1024 ' +
        '--gpu-memory-utilization 0.9 --kv-cache-dtype fp8 --trust-remote-code ' +
        '--distributed-executor-backend ray --host 0.0.0.0 --port 8000',
      env: { VLLM_ROCM_USE_AITER: '1' },
    },
  ])('$vendor: head starts Ray then vllm serve; workers join with ray start --block', ({ vendor, image, gpu, kv, script, env }) => {
    const launch = renderLaunch(launchInput({ ...twoNodes, gpuVendor: vendor, gpu, kvCacheDtype: kv }));
    expect(launch.image).toBe(image);
    expect(launch.command).toEqual(['sh', '-c', script]);
    expect(launch.env).toEqual(env);
    // The NVIDIA image's ENTRYPOINT is the server; Ray must run first, so the entrypoint is cleared.
    expect(entrypointOverride(launch)).toEqual([]);
    expect(launch.multiNode).toEqual({
      mechanism: 'ray',
      rendezvousPort: 6379,
      headCommand: ['sh', '-c', script],
      workerCommand: ['ray', 'start', '--address=${HEAD_ADDR}:6379', '--block'],
      clusterPorts: [6379],
      // Each node must export its own address for Ray (run_cluster.sh: -e VLLM_HOST_IP=<node ip>).
      hostIpEnv: 'VLLM_HOST_IP',
    });
    expect(launch.container.hostNetwork).toBe(true);
    expect(launch.container.ulimits.memlock).toBe('-1');
    expect(launch.container.devices).toContain('/dev/infiniband');
  });

  test('a model path with spaces and quotes stays one argument in the head script', () => {
    const launch = renderLaunch(launchInput({ ...twoNodes, modelPath: "/models/Deep Seek's V3" }));
    expect(launch.command[2]).toContain(`exec vllm serve '/models/Deep Seek'\\''s V3' --served-model-name`);
  });
});
