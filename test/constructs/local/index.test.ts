import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderLocalFiles, writeLocalDeployment } from '../../../constructs/local';
import { planOf, SHAPES, SHAPE_IDS } from './shapes';

describe('renderLocalFiles', () => {
  test.each(SHAPE_IDS)('%s: compose, one systemd unit per role and the API front\'s, its nginx files, preflight, README', (id) => {
    const plan = planOf(id);
    const paths = renderLocalFiles(plan).map((f) => f.path);
    const units = SHAPES[id].nodes > 1
      ? [`${plan.model.id}-head.service`, `${plan.model.id}-head-front.service`, `${plan.model.id}-worker.service`]
      : [`${plan.model.id}.service`, `${plan.model.id}-front.service`];
    expect(paths).toEqual(['compose.yaml', ...units, 'api-front/nginx.conf', 'api-front/api-key.map.template', 'preflight.sh', 'README.md']);
  });

  test.each(SHAPE_IDS)('%s with kubernetes: manifests instead of compose/systemd, preflight without Docker checks', (id) => {
    const files = renderLocalFiles(planOf(id), { kubernetes: true });
    expect(files.map((f) => f.path)).toEqual(['kubernetes.yaml', 'preflight.sh', 'README.md']);
    const preflight = files.find((f) => f.path === 'preflight.sh')!;
    expect(preflight.mode).toBe(0o755);
    expect(preflight.content).not.toContain('check_docker');
  });

  test('the name option renames units, containers and Kubernetes objects', () => {
    const plan = planOf('amd-8gpu');
    expect(renderLocalFiles(plan, { name: 'team-r1' }).map((f) => f.path)).toContain('team-r1.service');
    // A name that is not a DNS-1123 label is refused, not silently rewritten.
    expect(() => renderLocalFiles(plan, { name: 'Team R1!' })).toThrow(/name: "Team R1!" must be lowercase letters/);
    expect(renderLocalFiles(plan, { name: 'team-r1', kubernetes: true })[0].content).toContain('name: team-r1-weights');
  });

  test('modelsDir becomes the default host folder everywhere', () => {
    const files = renderLocalFiles(planOf('nvidia-1gpu'), { modelsDir: '/data/models' });
    const text = (p: string) => files.find((f) => f.path.endsWith(p))!.content;
    expect(text('compose.yaml')).toContain('${MODELS_DIR:-/data/models}:/models:ro');
    expect(text('.service')).toContain('Environment=MODELS_DIR=/data/models');
    expect(text('preflight.sh')).toContain("DEFAULT_MODELS_DIR='/data/models'\nMODELS_DIR=\"${MODELS_DIR:-$DEFAULT_MODELS_DIR}\"");
  });
});

describe('writeLocalDeployment', () => {
  test('writes the files into the folder with preflight.sh executable', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'local-')), 'r1');
    const result = writeLocalDeployment(dir, planOf('amd-8gpu'));
    expect(result.created).toEqual(['compose.yaml', 'deepseek-r1.service', 'deepseek-r1-front.service', 'api-front/nginx.conf', 'api-front/api-key.map.template', 'preflight.sh', 'README.md']);
    expect(statSync(join(dir, 'preflight.sh')).mode & 0o111).not.toBe(0);
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toContain('vllm/vllm-openai-rocm:');
  });
});
