/** Overrides checked against the plan: an impossible pin names what would fit. */
import { PlanError } from '../../lib/errors';
import { planDeployment } from '../../lib/plan/planner';
import { planWithOverrides } from '../../lib/plan/overrides';

function issuesOf(f: () => unknown) {
  try {
    f();
  } catch (e) {
    if (e instanceof PlanError) return e.issues;
    throw e;
  }
  throw new Error('expected a PlanError');
}

describe('planWithOverrides', () => {
  test('a feasible pin is honoured', () => {
    const plan = planWithOverrides({ model: 'deepseek-r1-distill-qwen-1.5b', instanceType: 'g6e.xlarge' });
    expect(plan.topology.instanceType).toBe('g6e.xlarge');
  });

  test('an instance type too small: the planner issue plus one naming the unpinned choice', () => {
    const free = planDeployment({ model: 'deepseek-r1' });
    const issues = issuesOf(() => planWithOverrides({ model: 'deepseek-r1', instanceType: 'g6.xlarge' }));
    const hint = issues.find((i) => i.path === 'instanceType');
    expect(hint?.message).toContain('instanceType "g6.xlarge" cannot serve deepseek-r1');
    expect(hint?.message).toContain(`what fits: ${free.topology.nodes} × ${free.topology.instanceType}`);
    expect(issues.length).toBeGreaterThan(1);
  });

  test('a node count that cannot work is reported at nodes', () => {
    const issues = issuesOf(() => planWithOverrides({ model: 'deepseek-r1', instanceType: 'p4de.24xlarge', nodes: 1 }));
    expect(issues.find((i) => i.message.includes('what fits'))?.path).toBe('instanceType');
    expect(issues.find((i) => i.message.includes('what fits'))?.message).toContain('instanceType "p4de.24xlarge" and nodes 1');
  });

  test('without pins the planner error passes through unchanged', () => {
    const issues = issuesOf(() => planWithOverrides({ model: 'no-such-model' }));
    expect(issues.every((i) => !i.message.includes('what fits'))).toBe(true);
  });
});
