/** Cluster names, tags and the one-line plan summary. */
import { planDeployment } from '../../lib/plan/planner';
import { CLUSTER_TAG, MODEL_TAG, RANK_TAG, clusterTags, costTagIssues, parallelLayout, planSummary, rankTags, validateClusterName } from '../../lib/deploy/naming';
import { PlanError } from '../../lib/errors';

describe('naming', () => {
  test('tag keys share the deepseek-iac: prefix the boot script filters on', () => {
    expect([CLUSTER_TAG, RANK_TAG, MODEL_TAG]).toEqual(['deepseek-iac:cluster', 'deepseek-iac:rank', 'deepseek-iac:model']);
  });

  test.each(['r1', 'Prod-R1-Cluster-1', 'a'.repeat(64)])('accepts cluster name %s', (name) => {
    expect(validateClusterName(name)).toBe(name);
  });

  test.each(['', '-lead', 'has space', 'slash/name', 'a'.repeat(65), 'quote"s'])('rejects cluster name %j', (name) => {
    expect(() => validateClusterName(name)).toThrow(PlanError);
  });

  test('cluster and rank tags', () => {
    const plan = planDeployment({ model: 'deepseek-r1-distill-qwen-1.5b' });
    expect(clusterTags(plan, 'c1')).toEqual({ 'deepseek-iac:cluster': 'c1', 'deepseek-iac:model': 'deepseek-r1-distill-qwen-1.5b' });
    expect(rankTags(2)).toEqual({ 'deepseek-iac:rank': '2' });
  });

  test('summary names model, precision, topology, engine, storage and cost', () => {
    const plan = planDeployment({ model: 'deepseek-v3', precision: 'bf16', gpus: ['h200'] });
    const t = plan.topology;
    const line = planSummary(plan);
    expect(line).toContain(`deepseek-v3 bf16: ${t.nodes} × ${t.instanceType}`);
    expect(line).toContain(`EFA ×${t.efaInterfacesPerNode}`);
    expect(line).toContain('vllm');
    expect(line).toContain(`$${plan.cost.hourlyUsd!.toFixed(2)}/h`);
    expect(planSummary(plan, 'ebs')).toContain(`${plan.storage.volumeGiB} GiB EBS gp3`);
    expect(line).not.toContain('\n');
  });
});

describe('costTagIssues', () => {
  test('plain cost-allocation tags pass', () => {
    expect(costTagIssues({ 'cost-center': 'ml-42', team: 'Inference Platform', 'owner@corp': 'a.b/c=d+e' })).toEqual([]);
  });

  test.each([
    [{ 'aws:createdBy': 'me' }, 'reserved prefix'],
    [{ 'deepseek-iac:cluster': 'other' }, 'reserved prefix'],
    [{ ['k'.repeat(129)]: 'v' }, 'must be 1–128'],
    [{ team: 'x'.repeat(257) }, 'at most 256'],
    [{ team: 'a<b>' }, 'at most 256 letters'],
  ])('%j is refused (%s)', (tags, message) => {
    const issues = costTagIssues(tags);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0].path).toMatch(/^costAllocationTags\./);
    expect(issues.map((i) => i.message).join(' ')).toContain(message);
  });
});

describe('parallelLayout names the engine layout the summaries print', () => {
  test.each([
    [{ dataParallelSize: 8, expertParallelSize: 8, tensorParallelSize: 1, pipelineParallelSize: 1 }, 'DP 8 + EP 8'],
    [{ dataParallelSize: 1, expertParallelSize: 1, tensorParallelSize: 8, pipelineParallelSize: 2 }, 'TP 8 PP 2'],
    [{ dataParallelSize: 1, expertParallelSize: 8, tensorParallelSize: 8, pipelineParallelSize: 1 }, 'TP 8 PP 1'],
  ])('%o → %s', (t, label) => {
    expect(parallelLayout(t)).toBe(label);
  });
});
