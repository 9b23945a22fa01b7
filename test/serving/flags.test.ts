/**
 * Every flag of every rendered command (vLLM, SGLang, llama.cpp; single node, head and workers) is in
 * the per-version flag list of the release it was rendered for (lib/serving/profiles, each flag with
 * where it was read). The matrix covers engines × vendors × CPU architectures × nodes × fabrics ×
 * model families × KV dtypes × speculative decoding, and the plans of the catalog models.
 */
import { emittedFlags, profileById, renderLaunch, unknownFlags, type EngineProfile } from '../../lib/serving';
import { flagsOfArgv } from '../../lib/serving/flag-check';
import { planDeployment } from '../../lib';
import { MODELS } from '../../lib/catalog';
import type { LaunchInput } from '../../lib/serving/types';
import {
  DEEPSEEK_R1, DEEPSEEK_V2_LITE, DEEPSEEK_V3, DEEPSEEK_V32, DEEPSEEK_V41_FLASH, DEEPSEEK_V4_FLASH, DEEPSEEK_V4_FLASH_0731, DEEPSEEK_V4_PRO_0813, LLAMA_31_8B, launchInput,
} from './helpers';

const models = [DEEPSEEK_V3, DEEPSEEK_R1, DEEPSEEK_V2_LITE, DEEPSEEK_V32, DEEPSEEK_V4_FLASH, DEEPSEEK_V4_FLASH_0731, DEEPSEEK_V4_PRO_0813, DEEPSEEK_V41_FLASH, LLAMA_31_8B];
const gpus = [
  { gpuVendor: 'nvidia', gpu: 'h200' },
  { gpuVendor: 'nvidia', gpu: 'b200' },
  { gpuVendor: 'nvidia', gpu: 'a100-80gb' },
  { gpuVendor: 'amd', gpu: 'mi300x' },
] as const;

const inputs: LaunchInput[] = [];
for (const model of models) {
  for (const hw of gpus) {
    for (const engine of ['vllm', 'sglang'] as const) {
      for (const nodes of [1, 2]) {
        for (const interconnect of ['efa', 'infiniband'] as const) {
          for (const speculativeDecoding of [false, true]) {
            for (const kvCacheDtype of ['bf16', 'fp8'] as const) {
              // vLLM multi-node: TP inside a node, PP across; SGLang: TP over all 16 GPUs.
              const layout = nodes === 1 ? { tensorParallelSize: 8, pipelineParallelSize: 1 } : engine === 'vllm' ? { tensorParallelSize: 8, pipelineParallelSize: 2 } : { tensorParallelSize: 16, pipelineParallelSize: 1 };
              inputs.push(launchInput({ engine, model, modelPath: `/models/${model.id}`, ...hw, nodes, interconnect, speculativeDecoding, kvCacheDtype, contextTokens: 8192, kvMaxConcurrency: 40, ...layout }));
              // Data-parallel attention with EP over every GPU (MoE models), single and multi-node.
              if (model.moe) {
                inputs.push(launchInput({ engine, model, modelPath: `/models/${model.id}`, ...hw, nodes, interconnect, speculativeDecoding, kvCacheDtype, contextTokens: 8192, kvMaxConcurrency: 40, tensorParallelSize: 1, pipelineParallelSize: 1, dataParallelSize: 8 * nodes }));
              }
            }
          }
        }
      }
    }
  }
}
for (const cpuArchitecture of ['x86_64', 'arm64'] as const) {
  inputs.push(launchInput({ cpuArchitecture }), launchInput({ engine: 'sglang', cpuArchitecture }));
  inputs.push(launchInput({ engine: 'llamacpp', gpuVendor: 'cpu', gpu: 'cpu', gpusPerNode: 0, tensorParallelSize: 1, modelPath: '/models/v3.gguf', precision: 'int4', cpuThreads: 64, cpuArchitecture }));
}
inputs.push(launchInput({ engine: 'llamacpp', gpusPerNode: 8, ggufFile: '/models/v3.gguf', precision: 'int4' }));
inputs.push(launchInput({ engine: 'llamacpp', gpuVendor: 'amd', gpu: 'mi300x', gpusPerNode: 8, ggufFile: '/models/v3.gguf', precision: 'int4' }));

function check(launch: ReturnType<typeof renderLaunch>): void {
  const profile = profileById(launch.profile) as EngineProfile;
  expect(profile.engineVersion).toBe(launch.engineVersion);
  const flags = emittedFlags(launch);
  expect(flags.length).toBeGreaterThan(3);
  expect(unknownFlags(launch, profile)).toEqual([]);
}

describe('every rendered flag is in its release\'s flag list', () => {
  test(`${inputs.length} launches: engines × vendors × architectures × nodes × fabrics × families × KV × speculative`, () => {
    const seen = new Set<string>();
    for (const input of inputs) {
      const launch = renderLaunch(input);
      check(launch);
      seen.add(launch.profile);
    }
    // The matrix reaches every profile: upstream vLLM, the AWS vLLM container (multi-node over EFA), SGLang, llama.cpp.
    expect([...seen].sort()).toEqual(['llamacpp-b9917', 'sglang-0.5.21', 'vllm-0.27.0-aws-dlc', 'vllm-0.31.0']);
  });

  test.each(MODELS.map((m) => m.id))('plan of %s (vLLM and SGLang; chosen layout and TP × PP pinned)', (model) => {
    for (const engine of ['vllm', 'sglang'] as const) {
      const plan = planDeployment({ model, engine });
      check(plan.serving);
      check(planDeployment({ model, engine, dataParallelSize: 1 }).serving);
    }
  });

  test('the llama.cpp CPU plan, with --numa on two sockets', () => {
    const plan = planDeployment({ model: 'deepseek-r1-distill-qwen-7b', target: 'cpu', cpuHost: { ramGiB: 512, memoryBandwidthGBps: 400, cores: 64, sockets: 2 } });
    expect(plan.serving.command).toContain('--numa');
    check(plan.serving);
  });
});

describe('the flag reader', () => {
  test.each([
    ['plain argv', ['--model', '/m', '--max-num-seqs', '8', '--attention_config.use_fp4_indexer_cache=True'], ['--model', '--max-num-seqs', '--attention_config.use_fp4_indexer_cache']],
    ['vllm serve argv', ['vllm', 'serve', '/m', '-tp', '8'], ['-tp']],
    ['ray head script', ['sh', '-c', 'ray start --head --port=6379 && exec vllm serve /m --tensor-parallel-size 8'], ['launcher:--head', 'launcher:--port', '--tensor-parallel-size']],
    ['SGLang script with the key expansion', ['sh', '-c', 'exec python3 -m sglang.launch_server --model-path /m ${SGLANG_API_KEY:+--api-key "$SGLANG_API_KEY"}'], ['--model-path', '--api-key']],
    ['llama-server argv', ['-m', '/m.gguf', '-np', '4', '--jinja'], ['-m', '-np', '--jinja']],
  ])('%s', (_name, argv, expected) => {
    const found = flagsOfArgv(argv, 'command').map((f) => (f.program === 'launcher' ? `launcher:${f.flag}` : f.flag));
    expect(found).toEqual(expected);
  });

  test('a flag missing from the list is reported (the check can fail)', () => {
    const launch = renderLaunch(launchInput());
    const profile = profileById(launch.profile) as EngineProfile;
    const bad = { ...launch, command: [...launch.command, '--tp', '8', '--guided-decoding-backend', 'xgrammar'] };
    expect(unknownFlags(bad, profile).map((f) => f.flag)).toEqual(['--tp', '--guided-decoding-backend']);
    // A Ray flag is not an engine flag: `--block` is listed for `ray start` only.
    expect(unknownFlags({ ...launch, command: [...launch.command, '--block'] }, profile).map((f) => f.flag)).toEqual(['--block']);
  });
});
