/**
 * awsLayout: the first deploy phase decides every resource (which exist, names, retention, rules,
 * scheduled actions) and renders the blueprint once, with references where the adapter's values go.
 */
import { PlanError } from '../../lib/errors';
import { planDeployment } from '../../lib/plan/planner';
import { findModel } from '../../lib/catalog/models';
import { checkpointFor } from '../../lib/sizing/storage';
import { awsLayout, layoutIssues, modelStoreExists, type AwsLayoutChoices } from '../../lib/deploy/layout';
import { ref, refsInDeep } from '../../lib/deploy/refs';

const small = planDeployment({ model: 'deepseek-r1-distill-qwen-1.5b' });
const multi = planDeployment({ model: 'deepseek-v3', precision: 'bf16', gpus: ['h200'] });
const base: AwsLayoutChoices = { clusterName: 'lt' };

describe('the plan carries what deploy needs', () => {
  test.each([
    ['R1 at its released FP8', { model: 'deepseek-r1', precision: 'fp8' } as const, 'released'],
    ['V3 at BF16 (a 16-bit conversion of the FP8 release)', { model: 'deepseek-v3', precision: 'bf16' } as const, 'bf16-conversion'],
    ['R1-Distill 7B at int4 (AWQ/GPTQ)', { model: 'deepseek-r1-distill-qwen-7b', precision: 'int4' } as const, 'pre-quantized'],
  ])('%s: storage.checkpointKind is the checkpoint sizing stores (%s)', (_name, spec, kind) => {
    const plan = planDeployment(spec);
    expect(plan.storage.checkpointKind).toBe(kind);
    expect(plan.storage.checkpointKind).toBe(checkpointFor(findModel(spec.model)!, spec.precision).kind);
  });
});

describe('which resources exist', () => {
  test.each([
    ['the default Hugging Face source', {}, true],
    ['an explicit Hugging Face source', { modelSource: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B@abc123' }, true],
    ['an s3:// source (read directly)', { modelSource: 's3://weights/r1' }, false],
    ['modelStore: false', { modelStore: false }, false],
  ])('model store with %s: %s', (_name, extra, exists) => {
    const l = awsLayout(small, { ...base, ...extra });
    expect(l.modelStore !== undefined).toBe(exists);
    expect(modelStoreExists(small, (extra as { modelSource?: string }).modelSource, (extra as { modelStore?: boolean }).modelStore ?? true)).toBe(exists);
    // The blueprint agrees: the store's statements and boot step are there exactly when the bucket is.
    expect(l.blueprint.modelStore !== undefined).toBe(exists);
    expect(l.blueprint.iam.statements.some((s) => s.sid === 'ModelStoreObjects' && s.resources.some((r) => r.includes(ref('modelStore.arn'))))).toBe(exists);
  });

  test('access-log bucket: with a model store or a TLS listener, not without either', () => {
    expect(awsLayout(small, base).accessLogs).toEqual({ bucketPrefix: 'deepseek-iac-access-logs-', loadBalancer: false, modelStore: true });
    expect(awsLayout(small, { ...base, modelStore: false }).accessLogs).toBeUndefined();
    expect(awsLayout(small, { ...base, modelStore: false, certificateArn: true }).accessLogs).toEqual({ bucketPrefix: 'deepseek-iac-access-logs-', loadBalancer: true, modelStore: false });
  });

  test('API-key secret: created (name prefix under the cluster) unless given', () => {
    expect(awsLayout(small, base).apiKeySecret?.namePrefix).toBe('deepseek-iac/lt/api-key-');
    expect(awsLayout(small, { ...base, apiKeySecretArn: true }).apiKeySecret).toBeUndefined();
  });

  test('log groups: named after the cluster, the retention given (30 days by default); system logs only with monitoring; flow logs only when asked', () => {
    expect(awsLayout(small, base).logGroups).toEqual({ engine: { name: '/deepseek-iac/lt', retentionDays: 30 }, system: { name: '/deepseek-iac/lt/system', retentionDays: 30 } });
    expect(awsLayout(small, { ...base, monitoring: false, flowLogs: true, logRetentionDays: 90 }).logGroups)
      .toEqual({ engine: { name: '/deepseek-iac/lt', retentionDays: 90 }, flowLogs: { name: '/deepseek-iac/lt/vpc-flow-logs', retentionDays: 90 } });
    expect(awsLayout(small, { ...base, monitoring: false }).agentConfigParameter).toBeUndefined();
  });

  test('nodes report themselves unhealthy in every layout (the watchdog and the role agree)', () => {
    const l = awsLayout(small, base);
    expect(l.blueprint.iam.statements.some((s) => s.sid === 'ReportOwnHealth')).toBe(true);
    expect(l.blueprint.nodeGroups[0]!.userData).toContain('readonly REPORT_UNHEALTHY=1');
  });

  test('egress: the blueprint\'s rules (the load balancer reaches the engine port; the nodes HTTPS only)', () => {
    const l = awsLayout(small, base);
    expect(l.egressRules).toBe(l.blueprint.egressRules);
    expect(l.egressRules.map((r) => [r.group, r.destination, r.protocol, r.fromPort])).toEqual([['loadBalancer', 'cluster', 'tcp', small.serving.port], ['cluster', 'anywhere', 'tcp', 443]]);
  });

  test('issue 13 §5: with a model store, the workers of a multi-node cluster take a role that cannot write to it', () => {
    const l = awsLayout(multi, base);
    expect(l.blueprint.nodeGroups.map((g) => g.instanceRole)).toEqual(['node', 'worker']);
    const actions = (statements: readonly { actions: readonly string[] }[]) => statements.flatMap((s) => s.actions);
    expect(actions(l.blueprint.iam.statements)).toContain('s3:PutObject');
    expect(actions(l.blueprint.workerIam!.statements)).not.toContain('s3:PutObject');
    expect(actions(l.blueprint.workerIam!.statements)).toContain('s3:GetObject');
    expect(l.workerRole?.description).toMatch(/never write/);
    // Without a store (or on one node) every rank shares the node role.
    expect(awsLayout(multi, { ...base, modelStore: false }).blueprint.workerIam).toBeUndefined();
    expect(awsLayout(small, base).blueprint.workerIam).toBeUndefined();
  });

  test('multi-node: a named cluster placement group; single node: none', () => {
    expect(awsLayout(multi, base).placementGroup).toEqual({ name: 'deepseek-iac-lt', strategy: 'cluster' });
    expect(awsLayout(small, base).placementGroup).toBeUndefined();
  });

  test('schedule: one action per group and entry, sized 0 to stop and the group size to start', () => {
    const l = awsLayout(multi, { ...base, schedule: { stopCron: '0 20 * * 1-5', startCron: '0 7 * * 1-5' } });
    expect(l.scheduledActions.map((a) => [a.rank, a.id, a.size])).toEqual([[0, 'ScaleToZero', 0], [0, 'ScaleUp', 1], [1, 'ScaleToZero', 0], [1, 'ScaleUp', 1]]);
  });
});

describe('references', () => {
  test.each(['token', 'word'] as const)('%s style: the adapter-owned values are references, never stand-in ids', (style) => {
    const l = awsLayout(small, { ...base, referenceStyle: style, certificateArn: true });
    const script = l.blueprint.nodeGroups[0]!.userData;
    expect(script).toContain(ref('apiKeySecret.arn', style));
    expect(script).toContain(ref('modelStore.bucketName', style));
    expect(refsInDeep(l.blueprint).sort()).toEqual(['accountId', 'apiKeySecret.arn', 'certificateArn', 'clusterKey.arn', 'engineLogGroup.arn', 'modelStore.arn', 'modelStore.bucketName', 'partition', 'region', 'systemLogGroup.arn']);
    expect(JSON.stringify(l)).not.toMatch(/000000000000|layout-only/);
  });

  test('a secret ARN the adapter already has as a string goes in as it is', () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:given-AbCdEf';
    const l = awsLayout(small, { ...base, apiKeySecretArn: arn, modelStore: false });
    expect(l.blueprint.nodeGroups[0]!.userData).toContain(`readonly API_KEY_SECRET_ID=${arn}`);
    expect(refsInDeep(l.blueprint)).not.toContain('apiKeySecret.arn');
  });
});

describe('problems', () => {
  test('every problem at once, before anything exists (retention, cluster name, model source)', () => {
    const choices = { clusterName: 'bad name!', modelSource: 'ftp://x', logRetentionDays: 2 };
    const paths = layoutIssues(small, choices).map((i) => i.path).sort();
    expect(paths).toEqual(['clusterName', 'logRetentionDays', 'modelSource']);
    expect(() => awsLayout(small, choices)).toThrow(PlanError);
  });
});
