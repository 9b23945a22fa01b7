import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { cpuSpecFromFlags, registerLocalCommand, runLocal, type LocalFlags } from '../../../bin/cli/local-command';
import { specFromFlags, type PlanFlags } from '../../../bin/cli/options';
import { planDeployment } from '../../../lib';

// The lead's CLI passes its own flags → spec → planDeployment path; the same is wired here.
const planFromFlags = (f: PlanFlags) => planDeployment(specFromFlags(f));

function run(flags: Partial<LocalFlags>): { code: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const code = runLocal({ out: join(mkdtempSync(join(tmpdir(), 'cli-')), 'deploy'), ...flags } as LocalFlags, planFromFlags, {
    log: (l) => out.push(l),
    error: (l) => err.push(l),
  });
  return { code, out, err };
}

describe('deepseek-iac local', () => {
  test('GPU hosts: writes compose, unit, preflight and README; exit 0', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cli-')), 'r1');
    const r = run({ out: dir, model: 'deepseek-r1', precision: 'fp8', localGpus: 'mi300x:8' });
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^DeepSeek-R1 on 8 × mi300x, vllm vllm\/vllm-openai-rocm:/);
    // With the API front (issue 13 §3): its systemd unit and nginx files.
    expect(r.out[1]).toBe(`${dir}: created compose.yaml, deepseek-r1.service, deepseek-r1-front.service, api-front/nginx.conf, api-front/api-key.map.template, preflight.sh, README.md`);
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toContain('/dev/kfd');
  });

  test('--k8s writes Kubernetes manifests (LeaderWorkerSet for two hosts)', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cli-')), 'k8s');
    const r = run({ out: dir, model: 'deepseek-r1', precision: 'fp8', localGpus: 'h100:8,h100:8', k8s: true });
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'kubernetes.yaml'), 'utf8')).toContain('kind: LeaderWorkerSet');
    expect(existsSync(join(dir, 'compose.yaml'))).toBe(false);
  });

  test('--target cpu plans llama.cpp from the host flags', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cli-')), 'cpu');
    const r = run({ out: dir, target: 'cpu', model: 'deepseek-r1', ramGib: '512', memoryBandwidthGbps: '921.6', cores: '64', sockets: '2' });
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^DeepSeek-R1 on CPU host \(cpu:512GiB\), llamacpp ghcr\.io\/ggml-org\/llama\.cpp:server-/);
  });

  test('refuses to overwrite a file it did not write: exit 1, file untouched', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cli-')), 'taken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'README.md'), 'my notes\n');
    const r = run({ out: dir, model: 'deepseek-r1', precision: 'fp8', localGpus: 'mi300x:8' });
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toContain('README.md: exists and was not written by deepseek-iac');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe('my notes\n');
  });

  test('invalid input: exit 2 with every problem named by its flag', () => {
    const r = run({ target: 'cpu', model: 'deepseek-r1', precision: 'fp8', ramGib: 'lots' });
    expect(r.code).toBe(2);
    expect(r.err).toEqual(expect.arrayContaining([expect.stringMatching(/^error: --precision: /), expect.stringMatching(/^error: --ram-gib: ramGiB must be a number/)]));
  });

  test('GPU-only flags with --target cpu (and CPU flags on GPU hosts) are refused', () => {
    expect(run({ target: 'cpu', model: 'deepseek-r1', localGpus: 'h100:8' }).err).toEqual(['error: --local-gpus: applies to GPU hosts, not to --target cpu']);
    expect(run({ model: 'deepseek-r1', localGpus: 'h100:8', ramGib: '512' }).err).toEqual(['error: --ram-gib: applies to --target cpu only']);
  });

  test('a GPU inventory that cannot hold the model: exit 2 with the planner explanation', () => {
    const r = run({ model: 'deepseek-r1', precision: 'fp8', localGpus: 'l4:1' });
    expect(r.code).toBe(2);
    expect(r.err.length).toBeGreaterThan(0);
  });

  test('cpuSpecFromFlags keeps bad numbers as text so the planner reports them', () => {
    expect(cpuSpecFromFlags({ out: 'x', model: 'deepseek-r1', ramGib: '512', cores: 'many' } as LocalFlags)).toEqual({ model: 'deepseek-r1', host: { ramGiB: 512, cores: 'many' } });
  });

  test('registered on a commander program: parses flags into a run', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cli-')), 'cmd');
    const program = new Command().exitOverride();
    registerLocalCommand(program, planFromFlags);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await program.parseAsync(['local', '--model', 'deepseek-r1-distill-qwen-7b', '--local-gpus', 'l40s:1', '--out', dir], { from: 'user' });
    } finally {
      log.mockRestore();
    }
    expect(process.exitCode).toBe(0);
    process.exitCode = undefined;
    expect(existsSync(join(dir, 'deepseek-r1-distill-qwen-7b.service'))).toBe(true);
  });

  test('--out is required', async () => {
    const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
    registerLocalCommand(program, planFromFlags).exitOverride().configureOutput({ writeErr: () => undefined });
    await expect(program.parseAsync(['local', '--model', 'deepseek-r1'], { from: 'user' })).rejects.toThrow(/--out/);
  });
});
