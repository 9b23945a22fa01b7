import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runCli as cli } from './run-cli';

const ROOT = join(__dirname, '..', '..');
const TS_NODE = join(ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js');

describe('deepseek-iac CLI', () => {
  test('end to end as a user runs it (`npm run cli` runs this file): exit 2 and no stack trace on bad input', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [TS_NODE, '--swc', join(ROOT, 'bin', 'cli.ts'), ...args], { encoding: 'utf8', cwd: ROOT });
    const bad = run('plan', '--model', 'deepseek-r2', '--context', '-1');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/error: --model: unknown model "deepseek-r2"/);
    expect(bad.stderr).toMatch(/error: --context: contextTokens must be at least 1, got -1/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(bad.stdout).toBe('');
    const ok = run('plan', '--model', 'deepseek-r1', '--precision', 'fp8', '--json');
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).model.id).toBe('deepseek-r1');
  });

  test('plan --json keeps the documented contract', () => {
    const r = cli('plan', '--model', 'deepseek-r1', '--precision', 'fp8', '--gpu', 'h200', '--json');
    expect(r.code).toBe(0);
    const p = JSON.parse(r.stdout);
    for (const path of [
      'model.id', 'model.totalParams', 'model.activeParams', 'model.attention', 'model.layers', 'model.maxContextTokens',
      'precision.weights', 'precision.kvCache', 'memory.weightsBytes', 'memory.kvCacheBytesPerToken', 'memory.kvCacheBytes',
      'memory.overheadBytesPerGpu', 'memory.perGpuBytes', 'memory.gpuCapacityBytes', 'memory.maxConcurrency',
      'memory.weightsBytesPerGpu', 'memory.kvPoolBytesPerGpu', 'memory.kvTokenCapacity',
      'topology.target', 'topology.instanceType', 'topology.gpu', 'topology.gpusPerNode', 'topology.nodes',
      'topology.tensorParallelSize', 'topology.pipelineParallelSize', 'storage.checkpointBytes', 'storage.volumeGiB',
      'serving.engine', 'serving.image', 'serving.command', 'cost.hourlyUsd', 'estimates.decodeTokensPerSecond',
      'estimates.usdPerMillionOutputTokens', 'alternatives', 'decisions', 'warnings',
    ]) {
      expect(path.split('.').reduce((o: any, k) => o?.[k], p)).toBeDefined();
    }
    expect(p.model.attention).toBe('mla');
    expect(p.memory.kvCacheBytesPerToken).toBe(70_272); // 61 × 576 × 2 (facts §3a)
    expect(Array.isArray(p.serving.command)).toBe(true);
    for (const k of ['weightsBytes', 'kvCacheBytes', 'perGpuBytes', 'kvTokenCapacity']) expect(Number.isInteger(p.memory[k])).toBe(true);
    expect(Number.isInteger(p.model.totalParams)).toBe(true);
  });

  test('human plan output shows topology, a memory bar and decisions', () => {
    const r = cli('plan', '--model', 'deepseek-r1-distill-qwen-1.5b');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Topology: 1 × /);
    expect(r.stdout).toMatch(/\[█+/);
    expect(r.stdout).toMatch(/Decisions:/);
  });

  test.each([
    [['plan', '--model', 'deepseek-r2'], /--model: unknown model "deepseek-r2"; did you mean "deepseek-r1"/],
    [['plan', '--model', 'deepseek-r1', '--precision', 'fp9'], /--precision: .*got "fp9"/],
    [['plan', '--model', 'deepseek-r1', '--context', 'abc'], /--context: contextTokens must be a number, got "abc"/],
    [['plan', '--model', 'deepseek-r1', '--concurrency', '0'], /--concurrency: concurrency must be at least 1, got 0/],
    [['plan', '--model', 'deepseek-r1', '--target', 'gcp'], /--target: .*got "gcp"/],
    [['plan', '--model', 'deepseek-r1', '--gpu', 'rtx4090'], /--gpu \(gpus\[0\]\): .*got "rtx4090"/],
    [['plan', '--hf-config', '/does/not/exist.json'], /--hf-config: cannot read "\/does\/not\/exist.json": no such file/],
    [['plan', '--hf-config', join(ROOT, 'package.json')], /--hf-config \(hfConfig.model_type\): is required/],
    [['plan', '--model', 'deepseek-v3', '--precision', 'bf16', '--gpu', 'h100', '--max-nodes', '1'], /largest option offered/],
    [['plan', '--nope'], /unknown option '--nope'/],
  ])('%j exits 2 with a clear message and no plan on stdout', (args, message) => {
    const r = cli(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.ts:\d+/); // no stack trace
    expect(r.stdout).toBe('');
  });

  test('instances --json lists every catalog instance with the contract fields', () => {
    const r = cli('instances', '--json');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    const p5 = list.find((i: any) => i.instanceType === 'p5.48xlarge');
    // karpenter instance-type reference: 8 × H100, 81,920 MiB each, 32 EFA; us-east-1 $55.04 (2026-07-20 snapshot)
    expect(p5).toMatchObject({ target: 'aws', gpu: 'h100', gpuCount: 8, gpuMemoryBytes: 81920 * 2 ** 20, hourlyUsd: 55.04, efa: 32 });
    expect(list.filter((i: any) => i.target === 'azure')).toHaveLength(6); // ND A100 v4, H100 v5, H200 v5, MI300X v5, GB200 v6, GB300 v6
  });

  test('models and gpus list the catalog', () => {
    expect(cli('models').stdout).toMatch(/deepseek-r1-distill-llama-70b/);
    expect(JSON.parse(cli('gpus', '--json').stdout).map((g: any) => g.id)).toContain('mi300x');
  });

  test("table regenerates the article's rows and flags its wrong 32B row", () => {
    const r = cli('table');
    expect(r.code).toBe(0);
    for (const size of ['1.5B', '7B', '32B', '67B', '70B', '671B']) expect(r.stdout).toContain(size);
    expect(r.stdout).toMatch(/32B: article's FP16 figure ~48 GB is wrong: its own rule gives 73\.6 GB/);
  });
});
