/**
 * Day-2 (issue 6) in the cdktf DeepSeekInferenceCluster: the cluster KMS key with the explicit policy
 * of lib/deploy/encryption.ts (encrypting the engine logs and the created API-key secret), and
 * self-healing nodes (the watchdog reports its instance unhealthy, so the group replaces it); cost
 * controls (cost-allocation tags everywhere, the scale-to-zero schedule, the hourly cost) and capacity
 * (fallback types, Spot, reservation, Capacity Block) and observability (agent parameter, metric
 * filters, alarms, dashboard) and the model store as in test/constructs/cdk/day2-*.
 */
import 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { AutoscalingSchedule } from '@cdktf/provider-aws/lib/autoscaling-schedule';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { DeepSeekInferenceCluster, DeepSeekInferenceClusterError, type DeepSeekInferenceClusterProps } from '../../../constructs/cdktf';
import { fallbackCandidates } from '../../../lib/deploy/capacity';
import { decodeTfUserData } from '../../conformance/observe-cdktf';

Testing.setupJest();

function synth(props: DeepSeekInferenceClusterProps) {
  let cluster: DeepSeekInferenceCluster | undefined;
  const out = Testing.synthScope((scope) => {
    cluster = new DeepSeekInferenceCluster(scope, 'Cluster', props);
  });
  return { out, json: JSON.parse(out), cluster: cluster! };
}
const ref = (r: { friendlyUniqueId: string }, type: string, attr: string) => `\${${type}.${r.friendlyUniqueId}.${attr}}`;
const resourcesOf = (json: any, type: string): any[] => Object.values(json.resource[type] ?? {});

const PROPS: DeepSeekInferenceClusterProps = {
  model: 'deepseek-r1-distill-qwen-1.5b', vpcId: 'vpc-0abc', subnetIds: ['subnet-a', 'subnet-b'], allowedCidrs: ['10.0.0.0/16'], clusterName: 'd2',
};

describe('encryption: one customer-managed key for the cluster', () => {
  const { out, json, cluster } = synth(PROPS);
  const keyArn = ref(cluster.encryptionKey, 'aws_kms_key', 'arn');

  test('yearly rotation (KMS rotation period in days: 90–2560, AWS KMS docs; 365 = yearly)', () => {
    expect(out).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, rotation_period_in_days: 365 });
  });

  test('the key policy names no kms:* and grants CloudWatch Logs only for log groups of this account and region', () => {
    const [key] = resourcesOf(json, 'aws_kms_key');
    const doc = JSON.parse(key.policy);
    expect(doc.Statement.map((s: any) => s.Sid)).toEqual(['KeyAdministration', 'UseThroughIamPolicies', 'CloudWatchLogs', 'CloudWatchAlarmsToTopic']);
    for (const s of doc.Statement) expect(s.Action).not.toContain('kms:*');
    const root = doc.Statement[0].Principal.AWS as string;
    expect(root).toMatch(/^arn:\$\{data\.aws_partition\.[^}]+\}:iam::\$\{data\.aws_caller_identity\.[^}]+\.account_id\}:root$/);
    const logs = doc.Statement[2];
    expect(logs.Principal).toEqual({ Service: expect.stringMatching(/^logs\.\$\{data\.aws_region\.[^}]+\.region\}\.amazonaws\.com$/) });
    expect(logs.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']).toMatch(/:logs:\$\{data\.aws_region\.[^}]+\.region\}:\$\{data\.aws_caller_identity\.[^}]+\.account_id\}:log-group:\*$/);
  });

  test('engine logs and the created API-key secret are encrypted with it', () => {
    expect(out).toHaveResourceWithProperties(CloudwatchLogGroup, { kms_key_id: keyArn });
    expect(out).toHaveResourceWithProperties(SecretsmanagerSecret, { kms_key_id: keyArn });
  });

  test('the nodes may decrypt with it (and nothing broader)', () => {
    const statements = JSON.parse(resourcesOf(json, 'aws_iam_role_policy')[0].policy).Statement;
    expect(statements.find((s: any) => s.Sid === 'UseClusterKey')).toEqual({ Sid: 'UseClusterKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: [keyArn] });
  });
});

describe('self-healing: unhealthy nodes are replaced', () => {
  const { json } = synth(PROPS);

  test('the boot script reports its instance unhealthy (REPORT_UNHEALTHY=1)', () => {
    const userData = decodeTfUserData(resourcesOf(json, 'aws_launch_template')[0].user_data);
    expect(userData).toMatch(/^readonly REPORT_UNHEALTHY='?1'?$/m);
  });

  test('the role may set instance health only on groups tagged with this cluster', () => {
    const statements = JSON.parse(resourcesOf(json, 'aws_iam_role_policy')[0].policy).Statement;
    expect(statements.find((s: any) => s.Sid === 'ReportOwnHealth')).toMatchObject({
      Action: ['autoscaling:SetInstanceHealth'],
      Condition: { StringEquals: { 'autoscaling:ResourceTag/deepseek-iac:cluster': ['d2'] } },
    });
  });
});

describe('cost controls', () => {
  const COST_TAGS = { 'cost-center': 'ml-42', project: 'reasoning' };
  const { out, json, cluster } = synth({
    ...PROPS, model: 'deepseek-v3', precision: 'bf16', clusterName: 'v3-costed', costAllocationTags: COST_TAGS,
    schedule: { stopCron: '0 20 * * 1-5', startCron: '0 7 * * 1-5', timeZone: 'America/New_York' },
  });
  const EXPECTED = { ...COST_TAGS, 'deepseek-iac:cluster': 'v3-costed', 'deepseek-iac:model': 'deepseek-v3' };

  test('every resource that takes tags carries the cost tags and the cluster tags', () => {
    const tagged = Object.entries<Record<string, any>>(json.resource).flatMap(([type, rs]) => Object.entries<any>(rs).map(([id, r]) => ({ type, id, r })))
      .filter(({ r }) => r.tags !== undefined);
    expect(new Set(tagged.map((x) => x.type))).toEqual(new Set([
      'aws_kms_key', 'aws_secretsmanager_secret', 'aws_cloudwatch_log_group', 'aws_security_group', 'aws_iam_role', 'aws_iam_instance_profile',
      'aws_lb', 'aws_lb_target_group', 'aws_lb_listener', 'aws_placement_group', 'aws_launch_template',
      'aws_ssm_parameter', 'aws_sns_topic', 'aws_cloudwatch_metric_alarm', 'aws_s3_bucket',
    ]));
    for (const { id, r } of tagged) expect({ id, tags: r.tags }).toEqual({ id, tags: expect.objectContaining(EXPECTED) });
  });

  test('instances and their EBS volumes get the tags at launch (ASG propagation and launch-template tag specifications)', () => {
    for (const asg of resourcesOf(json, 'aws_autoscaling_group')) {
      for (const [key, value] of Object.entries(EXPECTED)) expect(asg.tag).toContainEqual({ key, value, propagate_at_launch: true });
    }
    for (const lt of resourcesOf(json, 'aws_launch_template')) {
      for (const type of ['instance', 'volume']) expect(lt.tag_specifications.find((t: any) => t.resource_type === type).tags).toEqual(expect.objectContaining(EXPECTED));
    }
  });

  test('every rank\'s group stops at 20:00 and starts at 07:00 on weekdays, New York time', () => {
    expect(resourcesOf(json, 'aws_autoscaling_schedule')).toHaveLength(2 * cluster.plan.topology.nodes);
    for (const asg of cluster.autoScalingGroups) {
      const name = ref(asg, 'aws_autoscaling_group', 'name');
      expect(out).toHaveResourceWithProperties(AutoscalingSchedule, { autoscaling_group_name: name, recurrence: '0 20 * * 1-5', time_zone: 'America/New_York', min_size: 0, max_size: 0, desired_capacity: 0 });
      expect(out).toHaveResourceWithProperties(AutoscalingSchedule, { autoscaling_group_name: name, recurrence: '0 7 * * 1-5', time_zone: 'America/New_York', min_size: 1, max_size: 1, desired_capacity: 1 });
    }
  });

  test('hourly cost of all nodes at the plan\'s price; weekly under the schedule: 13 h × 5 weekdays = 65 running hours', () => {
    expect(cluster.hourlyCostUsd).toBe(cluster.plan.cost.hourlyUsd!.toFixed(2));
    expect(cluster.blueprint.cost?.weeklyUsd).toBeCloseTo(cluster.plan.cost.hourlyUsd! * 65, 6);
  });
});

describe('capacity', () => {
  test('fallback instance types: a prioritized mixed-instances policy, the planned type first, On-Demand only', () => {
    const { out, json, cluster } = synth({ ...PROPS, capacity: { fallbackInstanceTypes: 2 } });
    const expected = [cluster.plan.topology.instanceType, ...fallbackCandidates(cluster.plan, cluster.blueprint.storage).slice(0, 2).map((c) => c.instanceType)];
    // g6: 1 × L4 at every size; the .xlarge is the smallest, then .2xlarge and .4xlarge (EC2 G6 instance page).
    expect(expected).toEqual(['g6.xlarge', 'g6.2xlarge', 'g6.4xlarge']);
    // toHaveResourceWithProperties matches nested blocks whole; toMatchObject on the JSON matches them partially.
    expect(out).toHaveResourceWithProperties(AutoscalingGroup, { min_size: 1, max_size: 1 });
    expect(resourcesOf(json, 'aws_autoscaling_group')[0]).toMatchObject({
      mixed_instances_policy: {
        launch_template: {
          launch_template_specification: { launch_template_id: ref(cluster.launchTemplates[0], 'aws_launch_template', 'id') },
          override: expected.map((instance_type) => ({ instance_type })),
        },
        instances_distribution: { on_demand_allocation_strategy: 'prioritized', on_demand_base_capacity: 0, on_demand_percentage_above_base_capacity: 100 },
      },
    });
    expect(resourcesOf(json, 'aws_autoscaling_group')[0].launch_template).toBeUndefined();
  });

  test('Spot: Spot only, capacity-optimized-prioritized, capacity rebalancing, and a warning', () => {
    const { out, json, cluster } = synth({ ...PROPS, capacity: { spot: true } });
    expect(out).toHaveResourceWithProperties(AutoscalingGroup, { capacity_rebalance: true });
    expect(resourcesOf(json, 'aws_autoscaling_group')[0]).toMatchObject({
      capacity_rebalance: true,
      mixed_instances_policy: {
        instances_distribution: { on_demand_percentage_above_base_capacity: 0, spot_allocation_strategy: 'capacity-optimized-prioritized' },
        launch_template: { override: [{ instance_type: 'g6.xlarge' }] },
      },
    });
    expect(cluster.node.metadata.some((m) => String(m.data).includes('Spot instances can be reclaimed'))).toBe(true);
  });

  test('On-Demand Capacity Reservation: the launch template targets it; the group uses the launch template directly', () => {
    const { out, json } = synth({ ...PROPS, capacity: { capacityReservationId: 'cr-0123456789abcdef0' } });
    expect(out).toHaveResourceWithProperties(LaunchTemplate, { capacity_reservation_specification: { capacity_reservation_target: { capacity_reservation_id: 'cr-0123456789abcdef0' } } });
    const [lt] = resourcesOf(json, 'aws_launch_template');
    expect(lt.instance_market_options).toBeUndefined();
    expect(resourcesOf(json, 'aws_autoscaling_group')[0]).toMatchObject({ launch_template: expect.anything() });
    expect(resourcesOf(json, 'aws_autoscaling_group')[0].mixed_instances_policy).toBeUndefined();
  });

  test('Capacity Block on a multi-node plan: every rank\'s launch template has market type capacity-block and the block as target', () => {
    const { json, cluster } = synth({ ...PROPS, model: 'deepseek-v3', precision: 'bf16', capacity: { capacityBlockId: 'cr-0fedcba9876543210' } });
    const lts = resourcesOf(json, 'aws_launch_template');
    expect(lts).toHaveLength(cluster.plan.topology.nodes);
    for (const lt of lts) {
      expect(lt).toMatchObject({
        instance_market_options: { market_type: 'capacity-block' },
        capacity_reservation_specification: { capacity_reservation_target: { capacity_reservation_id: 'cr-0fedcba9876543210' } },
        instance_type: cluster.plan.topology.instanceType,
      });
    }
  });

  test.each<[string, Partial<DeepSeekInferenceClusterProps>, string]>([
    ['fallback types on a multi-node plan', { model: 'deepseek-v3', precision: 'bf16', capacity: { fallbackInstanceTypes: true } }, 'capacity.fallbackInstanceTypes: the plan has'],
    ['Spot with a reservation', { capacity: { spot: true, capacityReservationId: 'cr-0123456789abcdef0' } }, 'capacity.spot: Spot cannot be combined'],
    ['a malformed reservation id', { capacity: { capacityBlockId: 'block-1' } }, 'capacity.capacityBlockId: "block-1" is not an EC2 reservation id'],
    ['a bad cron field', { schedule: { stopCron: '0 25 * * *', startCron: '0 7 * * *' } }, 'schedule'],
  ])('%s fails at synth, naming the prop', (_name, extra, message) => {
    expect(() => synth({ ...PROPS, ...extra } as DeepSeekInferenceClusterProps)).toThrow(DeepSeekInferenceClusterError);
    expect(() => synth({ ...PROPS, ...extra } as DeepSeekInferenceClusterProps)).toThrow(message);
  });
});

describe('observability (on by default)', () => {
  const { out, json, cluster } = synth(PROPS);
  const keyArn = ref(cluster.encryptionKey, 'aws_kms_key', 'arn');

  test('the agent configuration parameter: named as the boot script expects, the agent\'s ${aws:InstanceId} escaped from Terraform', () => {
    expect(out).toHaveResourceWithProperties(SsmParameter, { name: '/deepseek-iac/d2/cloudwatch-agent', type: 'String' });
    const [param] = resourcesOf(json, 'aws_ssm_parameter');
    // Terraform turns `$${` back into a literal `${` (configuration syntax, string templates).
    expect(param.value).toContain('"InstanceId":"$${aws:InstanceId}"');
    const config = JSON.parse(param.value.replace(/\$\$\{/g, '${'));
    expect(config.metrics.metrics_collected.nvidia_gpu.measurement).toEqual(['utilization_gpu', 'memory_used', 'memory_total', 'temperature_gpu']);
    expect(config.logs.logs_collected.files.collect_list[0]).toMatchObject({ file_path: '/var/log/kern.log', log_group_name: '/deepseek-iac/d2/system' });
    const userData = decodeTfUserData(resourcesOf(json, 'aws_launch_template')[0].user_data);
    expect(userData).toMatch(/^readonly CW_AGENT_CONFIG='?\/deepseek-iac\/d2\/cloudwatch-agent'?$/m);
  });

  test('the kernel log goes to a system log group, encrypted with the cluster key', () => {
    expect(out).toHaveResourceWithProperties(CloudwatchLogGroup, { name: '/deepseek-iac/d2/system', retention_in_days: 30, kms_key_id: keyArn });
  });

  test('log metric filters: HTTP responses and 5xx on the engine log, XID errors on the system log', () => {
    const engine = ref(cluster.logGroup, 'aws_cloudwatch_log_group', 'name');
    const system = ref(cluster.systemLogGroup!, 'aws_cloudwatch_log_group', 'name');
    for (const [group, metric] of [[engine, 'HttpRequests'], [engine, 'Http5xx'], [system, 'GpuXidErrors']]) {
      expect(out).toHaveResourceWithProperties(CloudwatchLogMetricFilter, { log_group_name: group, metric_transformation: { name: metric, namespace: 'DeepSeekIac/d2', value: '1', default_value: '0' } });
    }
  });

  test('four alarms on the metrics of issue 6, each notifying the KMS-encrypted topic', () => {
    expect(out).toHaveResourceWithProperties(SnsTopic, { kms_master_key_id: keyArn });
    const topic = ref(cluster.monitoring!.alarmTopic, 'aws_sns_topic', 'arn');
    const alarms = resourcesOf(json, 'aws_cloudwatch_metric_alarm');
    const metricsOf = (a: any): string[] => (a.metric_name ? [a.metric_name] : a.metric_query.filter((q: any) => q.metric).map((q: any) => q.metric.metric_name)).sort();
    expect(Object.fromEntries(alarms.map((a) => [a.alarm_name, metricsOf(a)]))).toEqual({
      'd2-UnhealthyTargets': ['UnHealthyHostCount'],
      'd2-Http5xxRate': ['Http5xx', 'HttpRequests'],
      'd2-GpuMemoryHigh': ['nvidia_smi_memory_total', 'nvidia_smi_memory_used'],
      'd2-GpuXidErrors': ['GpuXidErrors'],
    });
    for (const a of alarms) expect([a.alarm_actions, a.ok_actions]).toEqual([[topic], [topic]]);
    const unhealthy = alarms.find((a) => a.alarm_name === 'd2-UnhealthyTargets');
    expect(unhealthy.dimensions).toEqual({ TargetGroup: ref(cluster.targetGroup, 'aws_lb_target_group', 'arn_suffix'), LoadBalancer: ref(cluster.loadBalancer, 'aws_lb', 'arn_suffix') });
  });

  test('a dashboard: alarm status, then six graphs (targets, HTTP, GPU utilization, memory, temperature, XID)', () => {
    const [dash] = resourcesOf(json, 'aws_cloudwatch_dashboard');
    const body = JSON.parse(dash.dashboard_body);
    expect(body.widgets.map((w: any) => w.type)).toEqual(['alarm', 'metric', 'metric', 'metric', 'metric', 'metric', 'metric']);
    expect(body.widgets[0].properties.alarms).toHaveLength(4);
  });

  test('the groups wait for the agent parameter; the role may publish only into the cluster namespace', () => {
    for (const asg of resourcesOf(json, 'aws_autoscaling_group')) expect(asg.depends_on).toContain(`\${aws_ssm_parameter.${cluster.monitoring!.agentConfig.friendlyUniqueId}}`);
    const statements = JSON.parse(resourcesOf(json, 'aws_iam_role_policy')[0].policy).Statement;
    expect(statements.find((s: any) => s.Sid === 'PublishGpuMetrics')).toMatchObject({ Action: ['cloudwatch:PutMetricData'], Condition: { StringEquals: { 'cloudwatch:namespace': ['DeepSeekIac/d2'] } } });
  });

  test('monitoring: false creates none of it', () => {
    const off = synth({ ...PROPS, monitoring: false });
    for (const type of ['aws_ssm_parameter', 'aws_cloudwatch_metric_alarm', 'aws_cloudwatch_dashboard', 'aws_sns_topic', 'aws_cloudwatch_log_metric_filter']) {
      expect([type, resourcesOf(off.json, type)]).toEqual([type, []]);
    }
    expect(off.cluster.systemLogGroup).toBeUndefined();
  });
});

describe('model store (Hugging Face source)', () => {
  const { json, cluster } = synth(PROPS);
  const bucketId = ref(cluster.modelStore!.bucket, 'aws_s3_bucket', 'id');
  // The store's own configuration resources (the access-log bucket has its own set, tested in security.test.ts).
  const one = (type: string) => {
    const rs = resourcesOf(json, type).filter((r) => r.bucket === bucketId);
    expect(rs).toHaveLength(1);
    return rs[0];
  };

  test('versioned, SSE-KMS with the cluster key and a bucket key, public access blocked', () => {
    expect(one('aws_s3_bucket_versioning')).toMatchObject({ bucket: bucketId, versioning_configuration: { status: 'Enabled' } });
    expect(one('aws_s3_bucket_server_side_encryption_configuration')).toMatchObject({
      bucket: bucketId, rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: ref(cluster.encryptionKey, 'aws_kms_key', 'arn') }, bucket_key_enabled: true }],
    });
    expect(one('aws_s3_bucket_public_access_block')).toMatchObject({ bucket: bucketId, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
  });

  test('TLS only: the bucket policy denies every request without aws:SecureTransport', () => {
    const policy = JSON.parse(one('aws_s3_bucket_policy').policy);
    expect(policy.Statement).toEqual([expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]);
  });

  test('old versions expire after 7 days, incomplete uploads after 2 (weight-cache.ts BUCKET_LIFECYCLE)', () => {
    expect(one('aws_s3_bucket_lifecycle_configuration').rule[0]).toMatchObject({
      status: 'Enabled', noncurrent_version_expiration: [{ noncurrent_days: 7 }], abort_incomplete_multipart_upload: [{ days_after_initiation: 2 }],
    });
  });

  test('the nodes read and write under the checkpoint\'s prefix, and the boot script names the bucket', () => {
    const statements = JSON.parse(resourcesOf(json, 'aws_iam_role_policy')[0].policy).Statement;
    expect(JSON.stringify(statements)).toContain('deepseek-iac/models/deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B');
    expect(resourcesOf(json, 'aws_launch_template')[0].user_data).toContain(`aws_s3_bucket.${cluster.modelStore!.bucket.friendlyUniqueId}.bucket`);
  });

  test('none for an s3:// source or with modelStore: false', () => {
    for (const extra of [{ modelSource: 's3://example-models/qwen-1.5b' }, { modelStore: false }]) {
      const other = synth({ ...PROPS, ...extra });
      expect(resourcesOf(other.json, 'aws_s3_bucket')).toEqual([]);
      expect(other.cluster.modelStore).toBeUndefined();
    }
  });
});
