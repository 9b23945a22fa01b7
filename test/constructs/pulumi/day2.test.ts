/**
 * Day-2 (issue 6) in the Pulumi DeepSeekInferenceCluster, against mocks: the cluster KMS key with the
 * explicit policy of lib/deploy/encryption.ts (encrypting the engine logs and the created API-key
 * secret), self-healing nodes (the watchdog reports its instance unhealthy, so the group replaces it),
 * cost controls (cost-allocation tags everywhere, the scale-to-zero schedule, the hourly cost) and
 * capacity (fallback types, Spot, reservation, Capacity Block) and observability (agent parameter,
 * metric filters, alarms, dashboard) and the model store as in test/constructs/cdk/day2-*.
 */
import * as pulumi from '@pulumi/pulumi';
import { DeepSeekInferenceCluster, type DeepSeekInferenceClusterArgs } from '../../../constructs/pulumi';
import { fallbackCandidates } from '../../../lib/deploy/capacity';
import { MOCK_ACCOUNT, MOCK_REGION, mockArn, runPulumi, valueOf, type PulumiRun } from './mocks';

jest.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve());

const ARGS: DeepSeekInferenceClusterArgs = {
  model: 'deepseek-r1-distill-qwen-1.5b', vpcId: 'vpc-0abc', subnetIds: ['subnet-a', 'subnet-b'], allowedCidrs: ['10.0.0.0/16'], clusterName: 'd2',
};
const inputsOf = (run: PulumiRun, type: string): any[] => run.resources.filter((r) => r.type === type).map((r) => r.inputs);

let run: PulumiRun;
beforeAll(async () => {
  run = await runPulumi(() => {
    new DeepSeekInferenceCluster('d2', ARGS);
  });
});

describe('encryption: one customer-managed key for the cluster', () => {
  test('yearly rotation (KMS rotation period in days: 90–2560, AWS KMS docs; 365 = yearly)', () => {
    expect(inputsOf(run, 'aws:kms/key:Key')).toEqual([expect.objectContaining({ enableKeyRotation: true, rotationPeriodInDays: 365 })]);
  });

  test('the key policy names no kms:* and grants CloudWatch Logs only for log groups of this account and region', () => {
    const [key] = inputsOf(run, 'aws:kms/key:Key');
    const doc = JSON.parse(key.policy);
    expect(doc.Statement.map((s: any) => s.Sid)).toEqual(['KeyAdministration', 'UseThroughIamPolicies', 'CloudWatchLogs', 'CloudWatchAlarmsToTopic']);
    for (const s of doc.Statement) expect(s.Action).not.toContain('kms:*');
    expect(doc.Statement[0].Principal).toEqual({ AWS: `arn:aws:iam::${MOCK_ACCOUNT}:root` });
    expect(doc.Statement[2].Principal).toEqual({ Service: `logs.${MOCK_REGION}.amazonaws.com` });
    expect(doc.Statement[2].Condition).toEqual({ ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${MOCK_REGION}:${MOCK_ACCOUNT}:log-group:*` } });
  });

  test('engine logs and the created API-key secret are encrypted with it', () => {
    // The engine log group and (with monitoring) the system log group.
    expect(inputsOf(run, 'aws:cloudwatch/logGroup:LogGroup')).toEqual([
      expect.objectContaining({ name: '/deepseek-iac/d2', kmsKeyId: mockArn('d2-key') }),
      expect.objectContaining({ name: '/deepseek-iac/d2/system', kmsKeyId: mockArn('d2-key') }),
    ]);
    expect(inputsOf(run, 'aws:secretsmanager/secret:Secret')).toEqual([expect.objectContaining({ kmsKeyId: mockArn('d2-key') })]);
  });

  test('the nodes may decrypt with it (and nothing broader)', () => {
    const statements = JSON.parse(inputsOf(run, 'aws:iam/rolePolicy:RolePolicy')[0].policy).Statement;
    expect(statements.find((s: any) => s.Sid === 'UseClusterKey')).toEqual({ Sid: 'UseClusterKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: [mockArn('d2-key')] });
  });
});

describe('self-healing: unhealthy nodes are replaced', () => {
  test('the boot script reports its instance unhealthy (REPORT_UNHEALTHY=1)', () => {
    const [lt] = inputsOf(run, 'aws:ec2/launchTemplate:LaunchTemplate');
    expect(Buffer.from(lt.userData, 'base64').toString('utf8')).toMatch(/^readonly REPORT_UNHEALTHY='?1'?$/m);
  });

  test('the role may set instance health only on groups tagged with this cluster', () => {
    const statements = JSON.parse(inputsOf(run, 'aws:iam/rolePolicy:RolePolicy')[0].policy).Statement;
    expect(statements.find((s: any) => s.Sid === 'ReportOwnHealth')).toMatchObject({
      Action: ['autoscaling:SetInstanceHealth'],
      Condition: { StringEquals: { 'autoscaling:ResourceTag/deepseek-iac:cluster': ['d2'] } },
    });
  });
});

async function build(name: string, args: DeepSeekInferenceClusterArgs) {
  let cluster: DeepSeekInferenceCluster | undefined;
  const r = await runPulumi(() => {
    cluster = new DeepSeekInferenceCluster(name, args);
  });
  return { run: r, cluster: cluster! };
}

describe('cost controls', () => {
  const COST_TAGS = { 'cost-center': 'ml-42', project: 'reasoning' };
  const EXPECTED = { ...COST_TAGS, 'deepseek-iac:cluster': 'v3-costed', 'deepseek-iac:model': 'deepseek-v3' };
  let costed: { run: PulumiRun; cluster: DeepSeekInferenceCluster };
  beforeAll(async () => {
    costed = await build('v3', {
      ...ARGS, model: 'deepseek-v3', precision: 'bf16', clusterName: 'v3-costed', costAllocationTags: COST_TAGS,
      schedule: { stopCron: '0 20 * * 1-5', startCron: '0 7 * * 1-5', timeZone: 'America/New_York' },
    });
  });

  test('every resource that takes tags carries the cost tags and the cluster tags', () => {
    const tagged = costed.run.resources.filter((r) => r.inputs.tags !== undefined && !Array.isArray(r.inputs.tags));
    expect(new Set(tagged.map((r) => r.type))).toEqual(new Set([
      'aws:kms/key:Key', 'aws:secretsmanager/secret:Secret', 'aws:cloudwatch/logGroup:LogGroup', 'aws:ec2/securityGroup:SecurityGroup',
      'aws:iam/role:Role', 'aws:iam/instanceProfile:InstanceProfile', 'aws:lb/loadBalancer:LoadBalancer', 'aws:lb/targetGroup:TargetGroup',
      'aws:lb/listener:Listener', 'aws:ec2/placementGroup:PlacementGroup', 'aws:ec2/launchTemplate:LaunchTemplate',
      'aws:ssm/parameter:Parameter', 'aws:sns/topic:Topic', 'aws:cloudwatch/metricAlarm:MetricAlarm', 'aws:s3/bucket:Bucket',
    ]));
    for (const r of tagged) expect({ name: r.name, tags: r.inputs.tags }).toEqual({ name: r.name, tags: expect.objectContaining(EXPECTED) });
  });

  test('instances and their EBS volumes get the tags at launch (ASG propagation and launch-template tag specifications)', () => {
    for (const asg of inputsOf(costed.run, 'aws:autoscaling/group:Group')) {
      for (const [key, value] of Object.entries(EXPECTED)) expect(asg.tags).toContainEqual({ key, value, propagateAtLaunch: true });
    }
    for (const lt of inputsOf(costed.run, 'aws:ec2/launchTemplate:LaunchTemplate')) {
      for (const type of ['instance', 'volume']) expect(lt.tagSpecifications.find((t: any) => t.resourceType === type).tags).toEqual(expect.objectContaining(EXPECTED));
    }
  });

  test('every rank\'s group stops at 20:00 and starts at 07:00 on weekdays, New York time', () => {
    const actions = inputsOf(costed.run, 'aws:autoscaling/schedule:Schedule');
    expect(actions).toHaveLength(2 * costed.cluster.plan.topology.nodes);
    for (const rank of [0, 1]) {
      const mine = actions.filter((a) => a.autoscalingGroupName === `v3-rank${rank}`);
      expect(mine).toEqual(expect.arrayContaining([
        expect.objectContaining({ recurrence: '0 20 * * 1-5', timeZone: 'America/New_York', minSize: 0, maxSize: 0, desiredCapacity: 0 }),
        expect.objectContaining({ recurrence: '0 7 * * 1-5', timeZone: 'America/New_York', minSize: 1, maxSize: 1, desiredCapacity: 1 }),
      ]));
    }
  });

  test('hourly cost of all nodes at the plan\'s price; weekly under the schedule: 13 h × 5 weekdays = 65 running hours', async () => {
    expect(costed.cluster.hourlyCostUsd).toBe(costed.cluster.plan.cost.hourlyUsd!.toFixed(2));
    const bp = await valueOf(costed.cluster.blueprint);
    expect(bp.cost?.weeklyUsd).toBeCloseTo(costed.cluster.plan.cost.hourlyUsd! * 65, 6);
  });
});

describe('capacity', () => {
  test('fallback instance types: a prioritized mixed-instances policy, the planned type first, On-Demand only', async () => {
    const { run: r, cluster } = await build('fb', { ...ARGS, clusterName: 'fb', capacity: { fallbackInstanceTypes: 2 } });
    const expected = [cluster.plan.topology.instanceType, ...fallbackCandidates(cluster.plan, (await valueOf(cluster.blueprint)).storage).slice(0, 2).map((c) => c.instanceType)];
    // g6: 1 × L4 at every size; the .xlarge is the smallest, then .2xlarge and .4xlarge (EC2 G6 instance page).
    expect(expected).toEqual(['g6.xlarge', 'g6.2xlarge', 'g6.4xlarge']);
    const [asg] = inputsOf(r, 'aws:autoscaling/group:Group');
    expect(asg.launchTemplate).toBeUndefined();
    expect(asg.mixedInstancesPolicy).toEqual({
      launchTemplate: { launchTemplateSpecification: { launchTemplateId: 'fb-rank0-id', version: '1' }, overrides: expected.map((instanceType) => ({ instanceType })) },
      instancesDistribution: { onDemandAllocationStrategy: 'prioritized', onDemandBaseCapacity: 0, onDemandPercentageAboveBaseCapacity: 100 },
    });
  });

  test('Spot: Spot only, capacity-optimized-prioritized, capacity rebalancing, and a warning', async () => {
    const warn = jest.mocked(pulumi.log.warn);
    warn.mockClear();
    const { run: r } = await build('spot', { ...ARGS, clusterName: 'spot', capacity: { spot: true } });
    expect(inputsOf(r, 'aws:autoscaling/group:Group')[0]).toMatchObject({
      capacityRebalance: true,
      mixedInstancesPolicy: {
        instancesDistribution: { onDemandPercentageAboveBaseCapacity: 0, spotAllocationStrategy: 'capacity-optimized-prioritized' },
        launchTemplate: { overrides: [{ instanceType: 'g6.xlarge' }] },
      },
    });
    expect(warn.mock.calls.some(([m]) => m.includes('Spot instances can be reclaimed'))).toBe(true);
  });

  test('On-Demand Capacity Reservation: the launch template targets it; the group uses the launch template directly', async () => {
    const { run: r } = await build('odcr', { ...ARGS, clusterName: 'odcr', capacity: { capacityReservationId: 'cr-0123456789abcdef0' } });
    const [lt] = inputsOf(r, 'aws:ec2/launchTemplate:LaunchTemplate');
    expect(lt.capacityReservationSpecification).toEqual({ capacityReservationTarget: { capacityReservationId: 'cr-0123456789abcdef0' } });
    expect(lt.instanceMarketOptions).toBeUndefined();
    const [asg] = inputsOf(r, 'aws:autoscaling/group:Group');
    expect(asg.launchTemplate).toEqual({ id: 'odcr-rank0-id', version: '1' });
    expect(asg.mixedInstancesPolicy).toBeUndefined();
  });

  test('Capacity Block on a multi-node plan: every rank\'s launch template has market type capacity-block and the block as target', async () => {
    const { run: r, cluster } = await build('cb', { ...ARGS, clusterName: 'cb', model: 'deepseek-v3', precision: 'bf16', capacity: { capacityBlockId: 'cr-0fedcba9876543210' } });
    const lts = inputsOf(r, 'aws:ec2/launchTemplate:LaunchTemplate');
    expect(lts).toHaveLength(cluster.plan.topology.nodes);
    for (const lt of lts) {
      expect(lt).toMatchObject({
        instanceMarketOptions: { marketType: 'capacity-block' },
        capacityReservationSpecification: { capacityReservationTarget: { capacityReservationId: 'cr-0fedcba9876543210' } },
        instanceType: cluster.plan.topology.instanceType,
      });
    }
  });

  test.each<[string, Partial<DeepSeekInferenceClusterArgs>, string]>([
    ['fallback types on a multi-node plan', { model: 'deepseek-v3', precision: 'bf16', capacity: { fallbackInstanceTypes: true } }, 'capacity.fallbackInstanceTypes'],
    ['Spot with a reservation', { capacity: { spot: true, capacityReservationId: 'cr-0123456789abcdef0' } }, 'capacity.spot'],
    ['a malformed reservation id', { capacity: { capacityBlockId: 'block-1' } }, 'capacity.capacityBlockId'],
    ['a bad cron field', { schedule: { stopCron: '0 25 * * *', startCron: '0 7 * * *' } }, 'schedule'],
  ])('%s fails when the program runs, naming the argument', async (_name, extra, path) => {
    await expect(build('bad', { ...ARGS, ...extra } as DeepSeekInferenceClusterArgs)).rejects.toThrow(path);
  });
});

describe('observability (on by default)', () => {
  test('the agent configuration parameter: named as the boot script expects, GPU measurements and the kernel log', () => {
    const [param] = inputsOf(run, 'aws:ssm/parameter:Parameter');
    expect(param).toMatchObject({ name: '/deepseek-iac/d2/cloudwatch-agent', type: 'String' });
    // The provider marks a parameter's value secret, so the mocks see Pulumi's secret envelope around it.
    const raw: string = typeof param.value === 'string' ? param.value : param.value.value;
    const config = JSON.parse(raw);
    expect(config.metrics.append_dimensions).toEqual({ InstanceId: '${aws:InstanceId}' });
    expect(config.metrics.metrics_collected.nvidia_gpu.measurement).toEqual(['utilization_gpu', 'memory_used', 'memory_total', 'temperature_gpu']);
    expect(config.logs.logs_collected.files.collect_list[0]).toMatchObject({ file_path: '/var/log/kern.log', log_group_name: '/deepseek-iac/d2/system' });
    const [lt] = inputsOf(run, 'aws:ec2/launchTemplate:LaunchTemplate');
    expect(Buffer.from(lt.userData, 'base64').toString('utf8')).toMatch(/^readonly CW_AGENT_CONFIG='?\/deepseek-iac\/d2\/cloudwatch-agent'?$/m);
  });

  test('log metric filters: HTTP responses and 5xx on the engine log, XID errors on the system log', () => {
    const filters = inputsOf(run, 'aws:cloudwatch/logMetricFilter:LogMetricFilter');
    expect(filters.map((f) => [f.logGroupName, f.metricTransformation.name, f.metricTransformation.namespace])).toEqual([
      ['/deepseek-iac/d2', 'HttpRequests', 'DeepSeekIac/d2'],
      ['/deepseek-iac/d2', 'Http5xx', 'DeepSeekIac/d2'],
      ['/deepseek-iac/d2/system', 'GpuXidErrors', 'DeepSeekIac/d2'],
    ]);
  });

  test('four alarms on the metrics of issue 6, each notifying the KMS-encrypted topic', () => {
    expect(inputsOf(run, 'aws:sns/topic:Topic')).toEqual([expect.objectContaining({ kmsMasterKeyId: mockArn('d2-key') })]);
    const alarms = inputsOf(run, 'aws:cloudwatch/metricAlarm:MetricAlarm');
    const metricsOf = (a: any): string[] => (a.metricName ? [a.metricName] : a.metricQueries.filter((q: any) => q.metric).map((q: any) => q.metric.metricName)).sort();
    expect(Object.fromEntries(alarms.map((a) => [a.name, metricsOf(a)]))).toEqual({
      'd2-UnhealthyTargets': ['UnHealthyHostCount'],
      'd2-Http5xxRate': ['Http5xx', 'HttpRequests'],
      'd2-GpuMemoryHigh': ['nvidia_smi_memory_total', 'nvidia_smi_memory_used'],
      'd2-GpuXidErrors': ['GpuXidErrors'],
    });
    for (const a of alarms) expect([a.alarmActions, a.okActions]).toEqual([[mockArn('d2-alarms')], [mockArn('d2-alarms')]]);
    expect(alarms.find((a) => a.name === 'd2-UnhealthyTargets').dimensions).toEqual({ TargetGroup: 'd2-engine-suffix', LoadBalancer: 'd2-nlb-suffix' });
  });

  test('a dashboard: alarm status, then six graphs (targets, HTTP, GPU utilization, memory, temperature, XID)', () => {
    const [dash] = inputsOf(run, 'aws:cloudwatch/dashboard:Dashboard');
    const body = JSON.parse(dash.dashboardBody);
    expect(body.widgets.map((w: any) => w.type)).toEqual(['alarm', 'metric', 'metric', 'metric', 'metric', 'metric', 'metric']);
    expect(body.widgets[0].properties.alarms).toHaveLength(4);
    expect(body.widgets[1].properties.region).toBe(MOCK_REGION);
  });

  test('the role may publish only into the cluster namespace, and read its agent parameter', () => {
    const statements = JSON.parse(inputsOf(run, 'aws:iam/rolePolicy:RolePolicy')[0].policy).Statement;
    expect(statements.find((s: any) => s.Sid === 'PublishGpuMetrics')).toMatchObject({ Action: ['cloudwatch:PutMetricData'], Condition: { StringEquals: { 'cloudwatch:namespace': ['DeepSeekIac/d2'] } } });
    expect(JSON.stringify(statements)).toContain(`arn:aws:ssm:${MOCK_REGION}:${MOCK_ACCOUNT}:parameter/deepseek-iac/d2/cloudwatch-agent`);
  });

  test('monitoring: false creates none of it', async () => {
    const off = await build('off', { ...ARGS, clusterName: 'off', monitoring: false });
    for (const type of ['aws:ssm/parameter:Parameter', 'aws:cloudwatch/metricAlarm:MetricAlarm', 'aws:cloudwatch/dashboard:Dashboard', 'aws:sns/topic:Topic', 'aws:cloudwatch/logMetricFilter:LogMetricFilter']) {
      expect([type, inputsOf(off.run, type)]).toEqual([type, []]);
    }
    expect(off.cluster.systemLogGroup).toBeUndefined();
  });
});

describe('model store (Hugging Face source)', () => {
  // The store's own configuration resources (the access-log bucket has its own set, tested in security.test.ts).
  const one = (type: string) => {
    const rs = inputsOf(run, type).filter((r) => r.bucket === 'd2-models-id');
    expect(rs).toHaveLength(1);
    return rs[0];
  };

  test('versioned, SSE-KMS with the cluster key and a bucket key, public access blocked', () => {
    expect(one('aws:s3/bucketVersioning:BucketVersioning')).toMatchObject({ bucket: 'd2-models-id', versioningConfiguration: { status: 'Enabled' } });
    expect(one('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration')).toMatchObject({
      bucket: 'd2-models-id', rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: mockArn('d2-key') }, bucketKeyEnabled: true }],
    });
    expect(one('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock')).toMatchObject({ bucket: 'd2-models-id', blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
  });

  test('TLS only: the bucket policy denies every request without aws:SecureTransport, on the bucket and its objects', () => {
    const policy = JSON.parse(one('aws:s3/bucketPolicy:BucketPolicy').policy);
    expect(policy.Statement).toEqual([expect.objectContaining({
      Effect: 'Deny', Action: 's3:*', Resource: [mockArn('d2-models'), `${mockArn('d2-models')}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    })]);
  });

  test('old versions expire after 7 days, incomplete uploads after 2 (weight-cache.ts BUCKET_LIFECYCLE)', () => {
    expect(one('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration').rules[0]).toMatchObject({
      status: 'Enabled', noncurrentVersionExpiration: { noncurrentDays: 7 }, abortIncompleteMultipartUpload: { daysAfterInitiation: 2 },
    });
  });

  test('the nodes read and write under the checkpoint\'s prefix, and the boot script names the bucket', () => {
    const statements = JSON.stringify(JSON.parse(inputsOf(run, 'aws:iam/rolePolicy:RolePolicy')[0].policy).Statement);
    expect(statements).toContain(`${mockArn('d2-models')}/deepseek-iac/models/deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B`);
    const [lt] = inputsOf(run, 'aws:ec2/launchTemplate:LaunchTemplate');
    expect(Buffer.from(lt.userData, 'base64').toString('utf8')).toContain('d2-models-bucket');
  });

  test('none for an s3:// source or with modelStore: false', async () => {
    for (const extra of [{ modelSource: 's3://example-models/qwen-1.5b' }, { modelStore: false }]) {
      const other = await build('nostore', { ...ARGS, clusterName: 'nostore', ...extra });
      expect(inputsOf(other.run, 'aws:s3/bucket:Bucket')).toEqual([]);
      expect(other.cluster.modelStore).toBeUndefined();
    }
  });
});
