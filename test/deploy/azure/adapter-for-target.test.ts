/** `plan --target azure` names the Azure adapters; every named subpath is one package.json exports. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planDeployment } from '../../../lib/plan/planner';
import { adapterLine, adaptersForTarget } from '../../../lib/deploy/adapter-for-target';
import { renderPlan } from '../../../bin/cli/plan-view';
import { TARGETS } from '../../../lib/types';

const exportsMap = (JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { exports: Record<string, unknown> }).exports;

test('an Azure plan names the cdktf-azure and pulumi-azure adapters in the CLI output', () => {
  const plan = planDeployment({ model: 'deepseek-r1', target: 'azure', gpus: ['mi300x'] });
  const line = renderPlan(plan).split('\n').find((l) => l.startsWith('Deploy:'));
  expect(line).toBe(`Deploy:   ${adapterLine('azure')}`);
  expect(line).toContain('deepseek-iac/cdktf-azure DeepSeekAzureInferenceCluster');
  expect(line).toContain('deepseek-iac/pulumi-azure DeepSeekAzureInferenceCluster');
});

test.each(TARGETS)('%s: every named adapter is a package export', (target) => {
  for (const a of adaptersForTarget(target)) expect(Object.keys(exportsMap)).toContain(a.importPath.replace('deepseek-iac', '.'));
});
