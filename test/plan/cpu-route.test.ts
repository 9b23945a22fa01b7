import { planDeployment, PlanError } from '../../lib';

describe('planDeployment routes target cpu to the llama.cpp planner', () => {
  test('R1 at int4 on a 512 GiB dual-socket host: llama.cpp with a Q4_K_M GGUF', () => {
    const p = planDeployment({ model: 'deepseek-r1', target: 'cpu', precision: 'int4', cpuHost: { ramGiB: 512 } });
    expect(p.topology).toMatchObject({ target: 'cpu', gpu: 'cpu', nodes: 1 });
    expect(p.serving.engine).toBe('llamacpp');
    expect(p.serving.command.join(' ')).toMatch(/Q4_K_M\.gguf/);
  });

  test('GPU-only fields are refused for target cpu, each by name', () => {
    try {
      planDeployment({ model: 'deepseek-r1', target: 'cpu', gpus: ['h100'], engine: 'vllm' });
      throw new Error('expected a PlanError');
    } catch (e) {
      expect(e).toBeInstanceOf(PlanError);
      expect((e as PlanError).issues.map((i) => i.path).sort()).toEqual(['engine', 'gpus']);
    }
  });

  test('cpu-only fields are refused on GPU targets', () => {
    expect(() => planDeployment({ model: 'deepseek-r1', cpuHost: { ramGiB: 512 } })).toThrow(/cpuHost: applies to target "cpu" only/);
  });
});
