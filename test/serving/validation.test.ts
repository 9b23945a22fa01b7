/**
 * LaunchInput validation: every problem is collected and thrown once as a PlanError whose issues name
 * the field, the value and what is allowed.
 */
import { PlanError } from '../../lib/errors';
import { renderLaunch, validateLaunchInput } from '../../lib/serving';
import type { LaunchInput } from '../../lib/serving/types';
import { launchInput } from './helpers';

function issuesOf(input: LaunchInput): { path: string; message: string }[] {
  try {
    renderLaunch(input);
  } catch (e) {
    expect(e).toBeInstanceOf(PlanError);
    return [...(e as PlanError).issues];
  }
  throw new Error('expected renderLaunch to throw');
}

describe('LaunchInput validation', () => {
  test('collects every problem in one PlanError', () => {
    const issues = issuesOf(
      launchInput({ tensorParallelSize: 4, port: 0, gpuMemoryUtilization: 1.5, concurrency: 0, servedModelName: '' }),
    );
    expect(issues.map((i) => i.path).sort()).toEqual(['concurrency', 'gpuMemoryUtilization', 'port', 'servedModelName', 'tensorParallelSize']);
    // 4 × 1 = 4 GPUs in the layout versus 8 × 1 = 8 GPUs present.
    expect(issues.find((i) => i.path === 'tensorParallelSize')!.message).toContain('4 × 1 × 1 × 1 = 4 must equal gpusPerNode × nodes = 8 × 1 = 8');
    expect(issues.find((i) => i.path === 'port')!.message).toContain('1 to 65535');
  });

  test.each([
    {
      name: 'multi-node needs PP = nodes (TP inside a node)',
      input: launchInput({ nodes: 2, tensorParallelSize: 16, pipelineParallelSize: 1 }),
      paths: ['pipelineParallelSize'],
      text: 'must equal nodes (2)',
    },
    {
      name: 'SGLang on CPU is not supported',
      input: launchInput({ engine: 'sglang', gpuVendor: 'cpu' }),
      paths: ['gpuVendor'],
      text: 'on cpu use engine llamacpp',
    },
    {
      name: 'vLLM on CPU is not rendered',
      input: launchInput({ gpuVendor: 'cpu' }),
      paths: ['gpuVendor'],
      text: 'GPUs only',
    },
    {
      name: 'llama.cpp on a GPU needs a GGUF file',
      input: launchInput({ engine: 'llamacpp', modelPath: 'deepseek-ai/DeepSeek-V3' }),
      paths: ['ggufFile'],
      text: 'needs a GGUF file',
    },
    {
      name: 'llama.cpp on CPU needs modelPath to be a .gguf',
      input: launchInput({ engine: 'llamacpp', gpuVendor: 'cpu', gpusPerNode: 0, tensorParallelSize: 1, modelPath: 'deepseek-ai/DeepSeek-V3' }),
      paths: ['modelPath'],
      text: 'not a .gguf file',
    },
    {
      name: 'llama.cpp is single-node and has no fp8 KV cache',
      input: launchInput({ engine: 'llamacpp', gpuVendor: 'cpu', gpusPerNode: 0, modelPath: '/m/x.gguf', nodes: 2, kvCacheDtype: 'fp8' }),
      paths: ['kvCacheDtype', 'nodes'],
      text: 'allowed',
    },
    {
      name: 'context longer than the model supports',
      input: launchInput({ contextTokens: 131073 }),
      paths: ['contextTokens'],
      text: "exceeds the model's context of 131072 tokens",
    },
    {
      name: 'control characters in names that end up in scripts and user data',
      input: launchInput({ modelPath: '/models/x\nrm -rf /' }),
      paths: ['modelPath'],
      text: 'control characters',
    },
    {
      name: 'unknown engine and vendor are named with the allowed values',
      input: launchInput({ engine: 'tgi' as never, gpuVendor: 'intel' as never }),
      paths: ['engine', 'gpuVendor'],
      text: 'allowed:',
    },
    {
      name: 'cpuThreads must be a positive integer when set',
      input: launchInput({ engine: 'llamacpp', gpuVendor: 'cpu', gpusPerNode: 0, modelPath: '/m/x.gguf', cpuThreads: 0 }),
      paths: ['cpuThreads'],
      text: '≥ 1',
    },
  ])('$name', ({ input, paths, text }) => {
    const issues = issuesOf(input);
    expect(issues.map((i) => i.path).sort()).toEqual(paths);
    for (const issue of issues) expect(issue.message).toContain(text);
  });

  test('a valid input has no issues', () => {
    expect(validateLaunchInput(launchInput())).toEqual([]);
  });
});
