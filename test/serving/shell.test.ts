/**
 * The `sh -c` commands are executed for real under /bin/sh with stand-in `python3`, `vllm` and `ray`
 * programs that print their argv, to prove what the engine would receive: quoted paths stay one
 * argument, the API key arrives only from the environment (and is absent when the variable is empty),
 * and ${HEAD_ADDR}/${NODE_RANK} expand whether the launcher substitutes them or exports them.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderLaunch } from '../../lib/serving';
import { shellQuote, shellScript } from '../../lib/serving/container';
import { launchInput } from './helpers';

let bin: string;

beforeAll(() => {
  bin = mkdtempSync(join(tmpdir(), 'serving-sh-'));
  // Each stand-in prints its own name and then every argument, NUL-separated.
  for (const name of ['python3', 'vllm']) {
    const file = join(bin, name);
    writeFileSync(file, `#!/bin/sh\nprintf '%s\\0' ${name} "$@"\n`);
    chmodSync(file, 0o755);
  }
  const ray = join(bin, 'ray');
  writeFileSync(ray, '#!/bin/sh\nexit 0\n');
  chmodSync(ray, 0o755);
});

afterAll(() => rmSync(bin, { recursive: true, force: true }));

/** Run argv (`sh -c <script>`) with the stand-ins first on PATH; return what the engine saw. */
function run(argv: readonly string[], env: Record<string, string>): string[] {
  const out = execFileSync(argv[0]!, argv.slice(1), { env: { PATH: `${bin}:/usr/bin:/bin`, ...env }, encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const NASTY_PATH = `/models/Deep Seek's "V3" $HOME *`;

describe('SGLang command under sh', () => {
  const launch = renderLaunch(launchInput({ engine: 'sglang', modelPath: NASTY_PATH, port: 30000 }));

  test('the key from SGLANG_API_KEY reaches --api-key as one argument; the path stays literal', () => {
    const key = 'k$y "with" spaces*';
    const argv = run(launch.command, { SGLANG_API_KEY: key });
    expect(argv.slice(0, 5)).toEqual(['python3', '-m', 'sglang.launch_server', '--model-path', NASTY_PATH]);
    expect(argv.slice(-2)).toEqual(['--api-key', key]);
  });

  test('no key in the environment: no --api-key at all (auth off, like vLLM and llama.cpp)', () => {
    expect(run(launch.command, {})).not.toContain('--api-key');
    expect(run(launch.command, { SGLANG_API_KEY: '' })).not.toContain('--api-key');
  });

  test('multi-node node variables expand from the environment, or after textual substitution', () => {
    const multi = renderLaunch(launchInput({ engine: 'sglang', nodes: 2, pipelineParallelSize: 2, port: 30000 }));
    const worker = multi.multiNode!.workerCommand;
    const fromEnv = run(worker, { HEAD_ADDR: '10.0.0.5', NODE_RANK: '1' });
    const substituted = run(
      worker.map((a) => a.replaceAll('${HEAD_ADDR}', '10.0.0.5').replaceAll('${NODE_RANK}', '1')),
      {},
    );
    for (const argv of [fromEnv, substituted]) {
      expect(argv.slice(-6)).toEqual(['--nnodes', '2', '--node-rank', '1', '--dist-init-addr', '10.0.0.5:20000']);
    }
  });
});

describe('vLLM multi-node head under sh', () => {
  test('ray starts, then vllm serve receives the model path as one argument', () => {
    const launch = renderLaunch(launchInput({ nodes: 2, pipelineParallelSize: 2, modelPath: NASTY_PATH }));
    const argv = run(launch.command, {});
    expect(argv.slice(0, 3)).toEqual(['vllm', 'serve', NASTY_PATH]);
    expect(argv).toContain('--distributed-executor-backend');
  });
});

describe('shellQuote / shellScript', () => {
  test.each([
    ['plain-word_1.0:/a,b', 'plain-word_1.0:/a,b'],
    ['two words', `'two words'`],
    [`it's`, `'it'\\''s'`],
    ['', `''`],
  ])('%j → %s', (word, quoted) => {
    expect(shellQuote(word)).toBe(quoted);
  });

  test('expand fragments pass through verbatim', () => {
    expect(shellScript(['a b', { expand: '${X:-y}' }])).toBe(`'a b' \${X:-y}`);
  });
});
