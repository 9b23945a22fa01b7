import { planDeployment, PlanError } from '../../lib';

function issuesOf(spec: unknown) {
  try {
    planDeployment(spec);
  } catch (e) {
    if (e instanceof PlanError) return e.issues;
    throw e;
  }
  throw new Error('expected a PlanError');
}

describe('bad input: every problem at once, each naming field, value and what is allowed', () => {
  test.each([
    [{ model: 'deepseek-r2' }, 'model', /unknown model "deepseek-r2"; did you mean "deepseek-r1"/],
    [{ model: 'deepseek-r1', precision: 'fp6' }, 'precision', /expected one of .*"fp8".*"fp4".*got "fp6"/],
    [{ model: 'deepseek-r1', contextTokens: 0 }, 'contextTokens', /at least 1, got 0/],
    [{ model: 'deepseek-r1', contextTokens: 1.5 }, 'contextTokens', /whole number, got 1.5/],
    [{ model: 'deepseek-r1', concurrency: -2 }, 'concurrency', /at least 1, got -2/],
    [{ model: 'deepseek-r1', contextTokens: 200_000 }, 'contextTokens', /200000 exceeds deepseek-r1's maximum context of 131072/],
    [{ model: 'deepseek-r1', target: 'gcp' }, 'target', /expected one of "aws"\|"azure"\|"local"\|"cpu", got "gcp"/],
    [{ model: 'deepseek-r1', gpus: ['tpu'] }, 'gpus[0]', /got "tpu"/],
    [{ model: 'deepseek-r1', gpus: ['mi300x'] }, 'gpus[0]', /aws offers no AMD Instinct MI300X.*--target azure/],
    [{ model: 'deepseek-r1', target: 'local' }, 'localHosts', /needs an inventory/],
    [{ model: 'deepseek-r1', gpus: ['a10g'], precision: 'fp8', maxNodes: 1 }, 'precision', /no FP8 support/],
    [{ model: 'deepseek-r1', instanceType: 'p5.48xlarg' }, 'instanceType', /did you mean "p5.48xlarge"/],
    [{ model: 'deepseek-r1', tensorParallelSize: 3 }, 'tensorParallelSize', /does not divide deepseek-r1's 128 attention heads/],
    [{ model: 'deepseek-r1', priceOverrides: { 'p9.huge': 3 } }, 'priceOverrides.p9.huge', /p9\.huge/],
    [{ hfConfig: { model_type: 'gpt_neox' } }, 'hfConfig', /gpt_neox/],
    [{}, 'model', /give a model id/],
  ])('%j → %s', (spec, path, message) => {
    const issues = issuesOf(spec);
    const hit = issues.find((i) => i.path === path || i.path.startsWith(`${path}.`) || (path === 'hfConfig' && i.path.startsWith('hfConfig')));
    expect(hit).toBeDefined();
    expect(hit!.message).toMatch(message);
  });

  test('several problems are reported together', () => {
    const issues = issuesOf({ model: 'deepseek-r1', precision: 'fp9', contextTokens: -1, concurrency: 0, gpus: ['x'] });
    expect(issues.map((i) => i.path).sort()).toEqual(['concurrency', 'contextTokens', 'gpus[0]', 'precision']);
  });

  test('structural and semantic problems come together (unknown model and a bad context)', () => {
    const issues = issuesOf({ model: 'deepseek-r2', contextTokens: -1, gpus: ['h100', 'nope'] });
    expect(issues.map((i) => i.path).sort()).toEqual(['contextTokens', 'gpus[1]', 'model']);
  });

  test('nothing fits: names the largest option offered and what would fit', () => {
    const issues = issuesOf({ model: 'deepseek-v3', precision: 'bf16', gpus: ['h100'], maxNodes: 1 });
    expect(issues).toHaveLength(1);
    expect(issues[0].message).toMatch(/largest option offered: 1 × p5\.48xlarge/);
    expect(issues[0].message).toMatch(/would fit: maxNodes \d+/);
    expect(issues[0].message).toMatch(/precision (fp8|int4)/);
  });

  test('a pinned instance that is too small is an error naming what would fit', () => {
    const issues = issuesOf({ model: 'deepseek-r1-distill-llama-70b', instanceType: 'g6.xlarge', nodes: 1 });
    expect(issues[0].message).toMatch(/g6\.xlarge/);
    expect(issues[0].message).toMatch(/would fit/);
  });
});
