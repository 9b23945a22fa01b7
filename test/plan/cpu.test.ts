import { isPlanError, type PlanError } from '../../lib/errors';
import { planCpuDeployment } from '../../lib/plan/cpu';

const GiB = 2 ** 30;

function issuesOf(spec: unknown): { path: string; message: string }[] {
  try {
    planCpuDeployment(spec);
  } catch (e) {
    expect(isPlanError(e)).toBe(true);
    return [...(e as PlanError).issues];
  }
  throw new Error('expected a PlanError');
}

const argAfter = (argv: readonly string[], flag: string) => argv[argv.indexOf(flag) + 1];

describe('planCpuDeployment', () => {
  const plan = planCpuDeployment({ model: 'deepseek-r1', host: { ramGiB: 512 } });

  test('a Plan on the CPU: target local, gpu/gpuVendor cpu, one node, instance type names the RAM', () => {
    expect(plan.topology).toEqual({
      target: 'cpu', instanceType: 'cpu:512GiB', gpu: 'cpu', gpuVendor: 'cpu', gpusPerNode: 0, nodes: 1,
      tensorParallelSize: 1, pipelineParallelSize: 1, dataParallelSize: 1, expertParallel: false, expertParallelSize: 1, replicas: 1, interconnect: 'none', efaInterfacesPerNode: 0,
      cpuArchitecture: 'x86_64', // the default host is 2 × EPYC 9004
    });
    expect(plan.engine).toBe('llamacpp');
    expect(plan.precision).toEqual({ weights: 'int4', kvCache: 'fp16', kvCacheRequested: 'auto' });
  });

  test('llama.cpp CPU launch: pinned CPU image, GGUF path under /models/<id>, all interfaces, threads, NUMA spread', () => {
    const s = plan.serving;
    expect(s.image).toMatch(/^ghcr\.io\/ggml-org\/llama\.cpp:server-b\d+$/);
    expect(argAfter(s.command, '-m')).toBe('/models/deepseek-r1/deepseek-r1-Q4_K_M.gguf');
    expect(argAfter(s.command, '--host')).toBe('0.0.0.0');
    expect(argAfter(s.command, '--port')).toBe('8080');
    expect(argAfter(s.command, '-t')).toBe('64');
    expect(argAfter(s.command, '--numa')).toBe('distribute');
    expect(s.command).not.toContain('-ngl');
    expect(s.apiKeyEnv).toBe('LLAMA_API_KEY');
    expect(s.container.gpuRuntime).toBe('none');
    expect(s.healthPath).toBe('/health');
  });

  test('memory fields describe host RAM: 407.6 GiB needed of 512 GiB (see test/sizing/cpu.test.ts)', () => {
    expect(plan.memory.gpuCapacityBytes).toBe(512 * GiB);
    expect(plan.memory.perGpuBytes / GiB).toBeCloseTo(407.6, 1);
    expect(plan.memory.headroomBytesPerGpu).toBe(512 * GiB - plan.memory.perGpuBytes);
    expect(plan.storage.checkpointBytes).toBe(plan.memory.weightsBytes);
    // 410.5e9 B × 1.15 = 440.9 GiB → under the 500 GiB floor.
    expect(plan.storage.volumeGiB).toBe(500);
  });

  test('estimate: the low end is the plan number, the range is in the basis and warnings', () => {
    expect(plan.estimates.singleStreamTokensPerSecond).toBeCloseTo(6.5, 1);
    expect(plan.estimates.basis).toContain('not a benchmark');
    expect(plan.warnings.join('\n')).toContain('6.5–10.2 tok/s');
  });

  test('decisions name the GGUF type and the threads', () => {
    expect(plan.decisions).toContainEqual(expect.objectContaining({ field: 'serving.ggufType', value: 'Q4_K_M' }));
    expect(plan.decisions).toContainEqual(expect.objectContaining({ field: 'serving.cpuThreads', value: 64 }));
  });

  test.each([
    ['int8', 768, 'deepseek-r1-Q8_0.gguf'],
    ['bf16', 1536, 'deepseek-r1-BF16.gguf'],
    ['fp16', 1536, 'deepseek-r1-F16.gguf'],
  ])('precision %s → %s GiB host loads %s', (precision, ramGiB, file) => {
    const p = planCpuDeployment({ model: 'deepseek-r1', precision, host: { ramGiB } });
    expect(argAfter(p.serving.command, '-m')).toBe(`/models/deepseek-r1/${file}`);
  });

  test('the default host (the article’s 384 GB) cannot hold R1 at Q4_K_M: the error says how much is needed', () => {
    expect(issuesOf({ model: 'deepseek-r1' })).toEqual([
      { path: 'host.ramGiB', message: expect.stringMatching(/^384 GiB is too little for deepseek-r1 at Q4_K_M: it needs 408 GiB/) },
    ]);
  });

  test('a small distill fits a 32 GiB desktop, single socket: no NUMA flag', () => {
    const p = planCpuDeployment({ model: 'deepseek-r1-distill-qwen-7b', host: { ramGiB: 32, memoryBandwidthGBps: 89.6, cores: 8, sockets: 1 } });
    expect(p.topology.instanceType).toBe('cpu:32GiB');
    expect(p.serving.command).not.toContain('--numa');
    expect(argAfter(p.serving.command, '-t')).toBe('8');
  });

  test.each([
    ['a bare file name goes into the model folder', 'DeepSeek-R1-Q4_K_M-00001-of-00009.gguf', '/models/deepseek-r1/DeepSeek-R1-Q4_K_M-00001-of-00009.gguf'],
    ['an absolute path is kept', '/models/shared/r1.gguf', '/models/shared/r1.gguf'],
  ])('ggufFile: %s', (_n, ggufFile, expected) => {
    const p = planCpuDeployment({ model: 'deepseek-r1', ggufFile, host: { ramGiB: 512 } });
    expect(argAfter(p.serving.command, '-m')).toBe(expected);
  });

  test('context × concurrency sets llama.cpp -c and -np; the port is configurable', () => {
    const p = planCpuDeployment({ model: 'deepseek-r1', contextTokens: 8192, concurrency: 4, port: 9000, host: { ramGiB: 512 } });
    expect(argAfter(p.serving.command, '-c')).toBe('32768');
    expect(argAfter(p.serving.command, '-np')).toBe('4');
    expect(p.serving.port).toBe(9000);
  });

  test('every problem is reported at once', () => {
    const issues = issuesOf({ model: 'deepseek-r1', precision: 'fp8', contextTokens: 1_000_000, host: { ramGiB: -1, cores: 1.5 }, ggufFile: 'r1.bin', colour: 'blue' });
    expect(issues.map((i) => i.path).sort()).toEqual(['', 'contextTokens', 'ggufFile', 'host.cores', 'host.ramGiB', 'precision'].sort());
    expect(issues.find((i) => i.path === 'precision')?.message).toMatch(/no GGUF type: llama\.cpp has no FP8 format; allowed on cpu: int4, int8, fp16, bf16/);
    expect(issues.find((i) => i.path === '')?.message).toBe('unknown field(s) "colour"');
    expect(issues.find((i) => i.path === 'contextTokens')?.message).toContain('131072');
  });

  test('an unknown model is named with a suggestion', () => {
    expect(issuesOf({ model: 'deepseek-r2' })).toEqual([{ path: 'model', message: expect.stringContaining('unknown model "deepseek-r2"') }]);
  });
});
