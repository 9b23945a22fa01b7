/**
 * Hostile invocations (issue 13): every one exits 2 with one `error: --flag: ...` line per problem,
 * no stack trace, nothing on stdout, nothing written, within a few seconds. Run in-process (as the
 * other CLI tests do) so 70+ cases stay fast; one spawned run checks the real process boundary.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli';

const FIXTURE = join(__dirname, '..', 'fixtures', 'hf-configs', 'deepseek-v3.json');
const root = mkdtempSync(join(tmpdir(), 'hostile-'));
const v3 = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown>;
const config = (name: string, patch: Record<string, unknown>) => {
  const path = join(root, name);
  writeFileSync(path, JSON.stringify({ ...v3, ...patch }));
  return path;
};

const fifo = join(root, 'config.fifo');
execFileSync('mkfifo', [fifo]);
const folder = join(root, 'a-folder');
mkdirSync(folder);
const aFile = join(root, 'a-file');
writeFileSync(aFile, 'not a folder\n');
const huge = join(root, 'huge.json');
writeFileSync(huge, `{"pad": "${'x'.repeat(2 * 1024 * 1024)}"}`);
const arrayJson = join(root, 'array.json');
writeFileSync(arrayJson, '[1, 2]');
const notJson = join(root, 'not.json');
writeFileSync(notJson, 'model_type: llama');
const layers1e9 = config('layers.json', { num_hidden_layers: 1e9 });
const hiddenNegative = config('hidden.json', { hidden_size: -4096 });
const vocabHuge = config('vocab.json', { vocab_size: 1e12 });
const expertsHuge = config('experts.json', { n_routed_experts: 1e7 });
const ok = FIXTURE;

const MODEL = ['--model', 'deepseek-r1-distill-qwen-7b'];
const GPU = ['--local-gpus', 'l40s:1'];

/** [label, command argv after the command name, the flags the error lines name, in order]. */
type Case = readonly [string, 'plan' | 'local', readonly string[], readonly string[]];

const CASES: readonly Case[] = [
  // strict numbers: only plain decimal notation is a number
  ['hex node count', 'plan', [...MODEL, '--nodes', '0x2'], ['--nodes']],
  ['exponent node count', 'plan', [...MODEL, '--nodes', '1e0'], ['--nodes']],
  ['Infinity nodes', 'plan', [...MODEL, '--nodes', 'Infinity'], ['--nodes']],
  ['padded nodes', 'plan', [...MODEL, '--nodes', ' 2'], ['--nodes']],
  ['fractional nodes', 'plan', [...MODEL, '--nodes', '2.5'], ['--nodes']],
  ['negative nodes', 'plan', [...MODEL, '--nodes', '-1'], ['--nodes']],
  ['twenty-digit nodes', 'plan', [...MODEL, '--nodes', '99999999999999999999'], ['--nodes']],
  ['binary context', 'plan', [...MODEL, '--context', '0b1000'], ['--context']],
  ['underscored context', 'plan', [...MODEL, '--context', '1_000'], ['--context']],
  ['zero context', 'plan', [...MODEL, '--context', '0'], ['--context']],
  ['octal concurrency', 'plan', [...MODEL, '--concurrency', '0o7'], ['--concurrency']],
  ['NaN concurrency', 'plan', [...MODEL, '--concurrency', 'NaN'], ['--concurrency']],
  ['hex max nodes', 'plan', [...MODEL, '--max-nodes', '0x4'], ['--max-nodes']],
  ['hex tensor parallel', 'plan', [...MODEL, '--tensor-parallel-size', '0x1'], ['--tensor-parallel-size']],
  ['plus-signed pipeline parallel', 'plan', [...MODEL, '--pipeline-parallel-size', '+1'], ['--pipeline-parallel-size']],
  ['hex port', 'plan', [...MODEL, '--port', '0x1f90'], ['--port']],
  ['port above 65535', 'plan', [...MODEL, '--port', '65536'], ['--port']],
  ['fractional port', 'plan', [...MODEL, '--port', '80.5'], ['--port']],
  ['hex utilization', 'plan', [...MODEL, '--gpu-memory-utilization', '0x1'], ['--gpu-memory-utilization']],
  ['exponent utilization', 'plan', [...MODEL, '--gpu-memory-utilization', '9e-1'], ['--gpu-memory-utilization']],
  ['utilization above 1', 'plan', [...MODEL, '--gpu-memory-utilization', '2'], ['--gpu-memory-utilization']],
  ['two bad numbers: two lines', 'plan', [...MODEL, '--nodes', '0x2', '--context', '0x10'], ['--context', '--nodes']],
  // prototype-safe price map
  ['__proto__ price', 'plan', [...MODEL, '--price', '__proto__=1'], ['--price']],
  ['constructor price', 'plan', [...MODEL, '--price', 'constructor=1'], ['--price']],
  ['prototype price', 'plan', [...MODEL, '--price', 'prototype=1'], ['--price']],
  ['price without =', 'plan', [...MODEL, '--price', 'p5.48xlarge'], ['--price']],
  ['price without type', 'plan', [...MODEL, '--price', '=5'], ['--price']],
  ['hex price', 'plan', [...MODEL, '--price', 'p5.48xlarge=0x10'], ['--price']],
  ['price with two =', 'plan', [...MODEL, '--price', 'p5.48xlarge=1=2'], ['--price']],
  ['negative price', 'plan', [...MODEL, '--price', 'p5.48xlarge=-3'], ['--price']],
  // model ids that cannot escape the models folder
  ['model ..', 'plan', ['--model', '..'], ['--model']],
  ['model ../etc', 'plan', ['--model', '../etc'], ['--model']],
  ['model org/..', 'plan', ['--model', 'deepseek-ai/..'], ['--model']],
  ['model a/../../b', 'plan', ['--model', 'a/../../b'], ['--model']],
  ['model with newline', 'plan', ['--model', 'deepseek-r1\nx'], ['--model']],
  ['model with shell', 'plan', ['--model', 'x;touch y'], ['--model']],
  ['empty model', 'plan', ['--model', ''], ['--model']],
  ['hf-model-id ../../x', 'plan', ['--hf-config', ok, '--hf-model-id', '../../x'], ['--hf-model-id']],
  ['hf-model-id with $', 'plan', ['--hf-config', ok, '--hf-model-id', 'org/$(id)'], ['--hf-model-id']],
  // --hf-config: a regular file of bounded size, fields in sane ranges
  ['hf-config /dev/zero', 'plan', ['--hf-config', '/dev/zero'], ['--hf-config']],
  ['hf-config FIFO', 'plan', ['--hf-config', fifo], ['--hf-config']],
  ['hf-config folder', 'plan', ['--hf-config', folder], ['--hf-config']],
  ['hf-config 2 MiB', 'plan', ['--hf-config', huge], ['--hf-config']],
  ['hf-config missing', 'plan', ['--hf-config', join(root, 'missing.json')], ['--hf-config']],
  ['hf-config empty path', 'plan', ['--hf-config', ''], ['--hf-config']],
  ['hf-config array', 'plan', ['--hf-config', arrayJson], ['--hf-config']],
  ['hf-config not JSON', 'plan', ['--hf-config', notJson], ['--hf-config']],
  ['hf-config 1e9 layers', 'plan', ['--hf-config', layers1e9], ['--hf-config']],
  ['hf-config negative hidden size', 'plan', ['--hf-config', hiddenNegative], ['--hf-config']],
  ['hf-config 1e12 vocabulary', 'plan', ['--hf-config', vocabHuge], ['--hf-config']],
  ['hf-config 1e7 experts', 'plan', ['--hf-config', expertsHuge], ['--hf-config']],
  ['local GPU count in hex', 'plan', [...MODEL, '--target', 'local', '--local-gpus', 'h100:0x8'], ['--local-gpus']],
  ['local RAM in exponent', 'plan', [...MODEL, '--target', 'local', '--local-gpus', 'h100:8:ram=1e3'], ['--local-gpus']],
  // local: strings that land in preflight.sh, systemd units, compose.yaml and Kubernetes YAML
  ['relative models-dir', 'local', [...MODEL, ...GPU, '--models-dir', 'models'], ['--models-dir']],
  ['models-dir breaking out of quotes', 'local', [...MODEL, ...GPU, '--models-dir', '/srv/m}"; touch x; : "'], ['--models-dir']],
  ['models-dir with a unit line', 'local', [...MODEL, ...GPU, '--models-dir', '/srv/m\nExecStartPre=/bin/touch /var/x'], ['--models-dir']],
  ['models-dir with $()', 'local', [...MODEL, ...GPU, '--models-dir', '/srv/$(id)'], ['--models-dir']],
  ['models-dir with backticks', 'local', [...MODEL, ...GPU, '--models-dir', '/srv/`id`'], ['--models-dir']],
  ['models-dir with a quote', 'local', [...MODEL, ...GPU, '--models-dir', "/srv/it's"], ['--models-dir']],
  ['models-dir with ..', 'local', [...MODEL, ...GPU, '--models-dir', '/srv/../etc'], ['--models-dir']],
  ['models-dir with a colon', 'local', [...MODEL, ...GPU, '--models-dir', '/srv/a:rw'], ['--models-dir']],
  ['models-dir with %', 'local', [...MODEL, ...GPU, '--models-dir', '/srv/%h'], ['--models-dir']],
  ['storage class with a YAML line', 'local', [...MODEL, ...GPU, '--k8s', '--storage-class', 'fast\nkind: Secret'], ['--storage-class']],
  ['storage class with spaces', 'local', [...MODEL, ...GPU, '--k8s', '--storage-class', 'Fast SSD'], ['--storage-class']],
  ['name with ;', 'local', [...MODEL, ...GPU, '--name', 'x;rm'], ['--name']],
  ['name upper case', 'local', [...MODEL, ...GPU, '--name', 'A'], ['--name']],
  ['name with newline', 'local', [...MODEL, ...GPU, '--name', 'a\nb'], ['--name']],
  ['bad name and models-dir: two lines', 'local', [...MODEL, ...GPU, '--name', 'a b', '--models-dir', 'x'], ['--models-dir', '--name']],
  ['listen with a port', 'local', [...MODEL, ...GPU, '--listen', '0.0.0.0:80'], ['--listen']],
  ['listen host name', 'local', [...MODEL, ...GPU, '--listen', 'example.com'], ['--listen']],
  ['listen with a newline', 'local', [...MODEL, ...GPU, '--listen', '127.0.0.1\n0.0.0.0'], ['--listen']],
  ['empty out', 'local', [...MODEL, ...GPU, '--out', ''], ['--out']],
  ['out at an existing file', 'local', [...MODEL, ...GPU, '--out', aFile], ['--out']],
  ['out below a file', 'local', [...MODEL, ...GPU, '--out', join(aFile, 'sub')], ['--out']],
  ['local hex nodes', 'local', [...MODEL, '--local-gpus', 'h100:8', '--nodes', '0x2'], ['--nodes']],
  ['local hex context', 'local', [...MODEL, ...GPU, '--context', '0x400'], ['--context']],
  ['local hf-config FIFO', 'local', ['--hf-config', fifo, ...GPU], ['--hf-config']],
  // CPU host: GGUF paths stay inside the models folder
  ['gguf ../', 'local', ['--target', 'cpu', '--model', 'deepseek-r1-distill-qwen-7b', '--gguf-file', '../x.gguf'], ['--gguf-file']],
  ['gguf absolute with ..', 'local', ['--target', 'cpu', '--model', 'deepseek-r1-distill-qwen-7b', '--gguf-file', '/models/../etc/x.gguf'], ['--gguf-file']],
  ['gguf with $()', 'local', ['--target', 'cpu', '--model', 'deepseek-r1-distill-qwen-7b', '--gguf-file', 'a$(id).gguf'], ['--gguf-file']],
  ['cpu model ..', 'local', ['--target', 'cpu', '--model', '..'], ['--model']],
  ['cpu hex cores', 'local', ['--target', 'cpu', '--model', 'deepseek-r1-distill-qwen-7b', '--cores', '0x40'], ['--cores']],
];

describe('hostile CLI invocations', () => {
  test('the table holds at least 60 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });

  test.each(CASES)('%s: exit 2, one error line per problem, nothing written', (_label, command, args, flags) => {
    const out = join(mkdtempSync(join(root, 'out-')), 'deploy');
    const argv = command === 'local' && !args.includes('--out') ? ['local', '--out', out, ...args] : [command, ...args];
    const started = Date.now();
    const r = runCli(...argv);
    const seconds = (Date.now() - started) / 1000;
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.map((l) => l.match(/^error: (--[a-z-]+)[ :]/)?.[1])).toEqual(flags);
    expect(r.stderr).not.toMatch(/\n\s+at |RangeError|TypeError|EEXIST|ENOTDIR/);
    expect(existsSync(out)).toBe(false);
    expect(seconds).toBeLessThan(3);
  });

  test('a relative --out resolves against INIT_CWD (where `npm run` was typed), not the package root', () => {
    const userFolder = mkdtempSync(join(root, 'user-'));
    const saved = process.env.INIT_CWD;
    process.env.INIT_CWD = userFolder;
    try {
      const r = runCli('local', '--out', 'deploy', ...MODEL, ...GPU);
      expect(r.code).toBe(0);
    } finally {
      if (saved === undefined) delete process.env.INIT_CWD;
      else process.env.INIT_CWD = saved;
    }
    expect(existsSync(join(userFolder, 'deploy', 'compose.yaml'))).toBe(true);
    expect(existsSync(join(process.cwd(), 'deploy'))).toBe(false);
  });
});
