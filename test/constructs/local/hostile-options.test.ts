/**
 * Issue 13: user text reaching preflight.sh, systemd units, compose.yaml or Kubernetes YAML is
 * refused by every renderer (not only by the CLI), and the models folder lands quoted.
 * Before the fix `modelsDir: '/srv/m}"; touch x; : "'` ran `touch` when preflight.sh ran, and a
 * newline in modelsDir or storageClassName added lines to the unit or the YAML.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeFile, kubernetesObjects, renderLocalFiles, renderPreflight, renderSystemdUnits } from '../../../constructs/local';
import { SHAPES } from './shapes';

const plan = SHAPES['nvidia-1gpu'].make();

const HOSTILE_DIRS = [
  '/srv/m}"; touch x; : "',
  '/srv/m\nExecStartPre=/bin/touch /var/x',
  '/srv/$(id)',
  '/srv/`id`',
  "/srv/it's",
  '/srv/../etc',
  '/srv/a:rw',
  'relative/models',
  '',
];

describe('local renderers refuse hostile options', () => {
  test.each(HOSTILE_DIRS)('modelsDir %j is refused by every renderer', (modelsDir) => {
    for (const render of [
      () => renderPreflight(plan, { modelsDir }),
      () => renderSystemdUnits(plan, { modelsDir }),
      () => composeFile(plan, { modelsDir }),
      () => renderLocalFiles(plan, { modelsDir }),
    ]) {
      expect(render).toThrow(/modelsDir: /);
    }
  });

  test.each(['fast\nkind: Secret', 'Fast', 'a b', 'x'.repeat(254)])('storageClassName %j is refused', (storageClassName) => {
    expect(() => kubernetesObjects(plan, { storageClassName })).toThrow(/storageClassName: /);
  });

  test.each(['a\nb', 'x;rm', 'A', '-a', 'a'.repeat(51)])('name %j is refused', (name) => {
    expect(() => renderSystemdUnits(plan, { name })).toThrow(/name: /);
    expect(() => kubernetesObjects(plan, { name })).toThrow(/name: /);
  });

  test('the API port is published on 127.0.0.1 unless another address is asked for', () => {
    const unit = (o: { publishAddress?: string }) => renderSystemdUnits(plan, o)[0].content;
    const port = plan.serving.port;
    expect(composeFile(plan).services.engine.ports).toEqual([`127.0.0.1:${port}:${port}`]);
    expect(unit({})).toContain(`--publish=127.0.0.1:${port}:${port}`);
    expect(composeFile(plan, { publishAddress: '0.0.0.0' }).services.engine.ports).toEqual([`0.0.0.0:${port}:${port}`]);
    expect(unit({ publishAddress: '10.0.0.5' })).toContain(`--publish=10.0.0.5:${port}:${port}`);
    expect(() => composeFile(plan, { publishAddress: '0.0.0.0:1' })).toThrow(/publishAddress: /);
  });

  test('the accepted models folder reaches bash as data: the preflight header runs without side effects', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pre-'));
    const script = renderPreflight(plan, { modelsDir: '/srv/models-@v1+x' });
    // Only the variable block: everything before the first function definition.
    const header = script.slice(0, script.indexOf('pass()'));
    writeFileSync(join(dir, 'vars.sh'), `${header}\nprintf '%s' "$MODELS_DIR"\n`);
    const r = spawnSync('bash', ['vars.sh'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('/srv/models-@v1+x');
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });
});
