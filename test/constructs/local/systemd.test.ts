import { environmentAssignment, renderSystemdUnits, systemdWord } from '../../../constructs/local/systemd';
import { entrypointOverride } from '../../../lib/serving';
import { systemdVerifier } from '../../helpers/systemd-verify';
import { testWithTool } from '../../helpers/tools';
import { SHAPES, SHAPE_IDS, planOf, type ShapeId } from './shapes';

/**
 * Split an Exec line the way systemd.service "Command lines" describes, written independently of
 * the renderer: backslash-newline joins lines, words are separated by spaces, "…" quotes with \" and
 * \\ escapes, `$$` is a literal `$` and `%%` a literal `%`. `${VAR}` is kept as written (systemd
 * substitutes it at start).
 */
function execWords(line: string): string[] {
  const text = line.replace(/\\\n/g, ' ');
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ') i++;
    if (i >= text.length) break;
    let word = '';
    if (text[i] === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\') i++;
        word += text[i++];
      }
      i++;
    } else {
      while (i < text.length && text[i] !== ' ') word += text[i++];
    }
    words.push(word.replace(/\$\$/g, '$').replace(/%%/g, '%'));
  }
  return words;
}

/** One verify root for the file: the host's unit files are copied once (helpers/systemd-verify.ts). */
const systemd = systemdVerifier();

function directive(unit: string, key: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`^${key}=((?:.*\\\\\\n)*.*)$`, 'gm');
  for (const m of unit.matchAll(re)) out.push(m[1]);
  return out;
}

describe('systemd units per shape', () => {
  test.each(SHAPE_IDS)('%s: one unit per role and the serving one\'s API front, docker run with the plan argv (bound behind the front) after the image', (id) => {
    const plan = planOf(id);
    const units = renderSystemdUnits(plan);
    const multi = SHAPES[id].nodes > 1;
    expect(units.map((u) => u.fileName)).toEqual(multi
      ? ['deepseek-r1-head.service', 'deepseek-r1-head-front.service', 'deepseek-r1-worker.service']
      : [`${plan.model.id}.service`, `${plan.model.id}-front.service`]);

    const unit = units[0].content;
    const [exec] = directive(unit, 'ExecStart');
    const words = execWords(exec);
    expect(words.slice(0, 3)).toEqual(['/usr/bin/docker', 'run', '--rm']);
    const imageAt = words.indexOf(plan.serving.image);
    expect(imageAt).toBeGreaterThan(0);
    // After the image: the launch argv (for an entrypoint override, its remainder after --entrypoint).
    const argv = multi ? plan.serving.multiNode!.headCommand : plan.serving.command;
    const override = entrypointOverride(plan.serving);
    const expected = override !== undefined && override.length === 0 ? argv.slice(1) : argv;
    // Issue 13 §3, written out independently: `--host 0.0.0.0 --port <p>` becomes loopback one port up.
    const p = plan.serving.port;
    const bound = expected.map((a, i) => (expected[i - 1] === '--host' ? '127.0.0.1' : expected[i - 1] === '--port' && a === String(p) ? String(p + 1) : a.replace(`--host 0.0.0.0 --port ${p}`, `--host 127.0.0.1 --port ${p + 1}`)));
    expect(words.slice(imageAt + 1)).toEqual(bound);
    expect(words.slice(imageAt + 1).join(' ')).not.toContain('0.0.0.0');

    // The front: nginx in the engine container's network namespace, bound to the engine unit, the key by name only.
    const front = units[1].content;
    const engineUnit = units[0].fileName.replace(/\.service$/, '');
    const frontWords = execWords(directive(front, 'ExecStart')[0]);
    expect(frontWords).toEqual(expect.arrayContaining([`--network=container:${engineUnit}`, `--env=${plan.serving.apiKeyEnv}`]));
    expect(frontWords[frontWords.length - 1]).toMatch(/^nginx:[0-9.]+-alpine@sha256:[0-9a-f]{64}$/);
    expect(directive(front, 'BindsTo')).toEqual([`${engineUnit}.service`]);
    expect(directive(front, 'WantedBy')).toEqual([`${engineUnit}.service`]);
    expect(directive(front, 'EnvironmentFile')).toEqual([`/etc/deepseek-iac/${multi ? 'deepseek-r1' : plan.model.id}.env`]);
    if (override !== undefined && override.length === 0) expect(words).toContain(`--entrypoint=${argv[0]}`);

    // The API key reaches the container by name only; its value lives in the EnvironmentFile.
    expect(words).toContain(`--env=${plan.serving.apiKeyEnv}`);
    expect(words.some((w) => w.startsWith(`--env=${plan.serving.apiKeyEnv}=`))).toBe(false);
    expect(directive(unit, 'EnvironmentFile')).toEqual([`/etc/deepseek-iac/${plan.model.id}.env`]);
    expect(directive(unit, 'ExecStartPre')).toContain(`/usr/bin/test -n "\${${plan.serving.apiKeyEnv}}"`);
    expect(words).toContain('--volume=${MODELS_DIR}:/models:ro');
  });

  test.each(['nvidia-1gpu', 'nvidia-8gpu'] as ShapeId[])('%s: --gpus requests the plan GPU count (docker/cli opts/gpus.go: a bare integer is the count)', (id) => {
    const words = execWords(directive(renderSystemdUnits(planOf(id))[0].content, 'ExecStart')[0]);
    expect(words).toContain(`--gpus=${SHAPES[id].gpusPerNode}`);
    expect(words.filter((w) => w.startsWith('--device='))).toEqual([]);
  });

  test.each(['amd-1gpu', 'amd-8gpu'] as ShapeId[])('%s: the ROCm docker run options of docs/reference-keys.md, engines §4', (id) => {
    const words = execWords(directive(renderSystemdUnits(planOf(id))[0].content, 'ExecStart')[0]);
    expect(words).toEqual(expect.arrayContaining(['--device=/dev/kfd', '--device=/dev/dri', '--group-add=video', '--group-add=${RENDER_GID}', '--ipc=host', '--cap-add=SYS_PTRACE', '--security-opt=seccomp=unconfined']));
    // The name is the default; the EnvironmentFile may set the host's numeric GID instead.
    expect(directive(renderSystemdUnits(planOf(id))[0].content, 'Environment')).toContain('RENDER_GID=render');
    expect(words.some((w) => w.startsWith('--gpus'))).toBe(false);
  });

  test.each(['nvidia-multi', 'nvidia-multi-sglang', 'amd-multi'] as ShapeId[])('%s: the worker unit fills the head address from its EnvironmentFile', (id) => {
    const plan = planOf(id);
    const worker = renderSystemdUnits(plan).find((u) => u.fileName.endsWith('-worker.service'))!.content;
    const words = execWords(directive(worker, 'ExecStart')[0]);
    expect(words).toEqual(expect.arrayContaining(['--network=host', '--device=/dev/infiniband', '--ulimit=memlock=-1:-1']));
    expect(words.join(' ')).toContain('${HEAD_ADDR}');
    expect(words).not.toContain(`--env=${plan.serving.apiKeyEnv}`);
    expect(directive(worker, 'ExecStartPre')).toContain('/usr/bin/test -n "${HEAD_ADDR}"');
  });

  test('SGLang workers also require NODE_RANK', () => {
    const worker = renderSystemdUnits(planOf('nvidia-multi-sglang')).find((u) => u.fileName.endsWith('-worker.service'))!.content;
    expect(directive(worker, 'ExecStartPre')).toContain('/usr/bin/test -n "${NODE_RANK}"');
  });

  // Docker need not be installed: systemd.verify verifies in a throwaway root with stand-ins for docker.
  testWithTool('systemd-analyze', 'systemd-analyze verify of the generated units').each(SHAPE_IDS)('%s: systemd-analyze verify accepts every unit', (id) => {
    for (const r of systemd.verify(renderSystemdUnits(planOf(id)))) {
      // Only problems with our file count; a container without systemd as PID 1 may add noise about itself.
      expect(r.problems).toEqual([]);
      expect(r.status).toBe(0);
    }
  });
});

describe('systemdWord quoting', () => {
  test.each([
    ['plain words stay bare', '--port=8000', '--port=8000'],
    ['spaces are double-quoted', 'a b', '"a b"'],
    ['quotes and backslashes are escaped inside quotes', 'say "hi" \\o/', '"say \\"hi\\" \\\\o/"'],
    ['$ is doubled so systemd does not expand it', '$HOME', '"$$HOME"'],
    ['% is doubled so systemd does not treat it as a specifier', '50%', '"50%%"'],
    ['the head address node variable stays expandable', '--address=${HEAD_ADDR}:6379', '"--address=${HEAD_ADDR}:6379"'],
  ])('%s', (_name, input, expected) => {
    expect(systemdWord(input)).toBe(expected);
    // Round trip through the independent tokenizer (node variables excepted: systemd fills them).
    if (!input.includes('${HEAD_ADDR}')) expect(execWords(systemdWord(input))).toEqual([input]);
  });
});

describe('environmentAssignment', () => {
  test.each([
    ['a plain path stays bare', '/srv/models', 'MODELS_DIR=/srv/models'],
    ['spaces quote the whole assignment', '/data/my models', '"MODELS_DIR=/data/my models"'],
    ['% is doubled (Environment= expands specifiers)', '/data/100%', '"MODELS_DIR=/data/100%%"'],
  ])('%s', (_n, value, expected) => {
    expect(environmentAssignment('MODELS_DIR', value)).toBe(expected);
  });

  testWithTool('systemd-analyze', 'systemd-analyze verify of a unit with @ and + in the models folder')('a models folder with @ and + still verifies (spaces and quotes are refused, issue 13)', () => {
    const [r] = systemd.verify(renderSystemdUnits(planOf('nvidia-1gpu'), { modelsDir: '/data/models@v1+x' }).slice(0, 1));
    expect(r.problems).toEqual([]);
    expect(r.status).toBe(0);
  });
});
