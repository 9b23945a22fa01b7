/**
 * Observability in the template: the CloudWatch agent configuration parameter (GPU metrics, kernel
 * log), encrypted log groups with retention, log metric filters, alarms on unhealthy targets, 5xx
 * rate, GPU memory and XID errors notifying an encrypted topic, and the dashboard. `monitoring: false`
 * and a caller's topic.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DeepSeekInferenceCluster } from '../../../constructs/cdk';
import { HTTP_5XX_PATTERN, XID_PATTERN } from '../../../lib/deploy/observability';
import { idsOf, userDataOf } from './helpers';

const stack = new Stack(new App(), 'Observed');
const cluster = new DeepSeekInferenceCluster(stack, 'Cluster', {
  model: 'deepseek-r1-distill-qwen-1.5b', clusterName: 'obs', logRetention: logs.RetentionDays.TWO_WEEKS, modelStore: false,
});
const t = Template.fromStack(stack);
const [keyId] = idsOf(t, 'AWS::KMS::Key');
const [topicId] = idsOf(t, 'AWS::SNS::Topic');

test('agent configuration parameter at the fixed per-cluster name the boot script reads', () => {
  const [param] = Object.values(t.findResources('AWS::SSM::Parameter'));
  expect(param.Properties.Name).toBe('/deepseek-iac/obs/cloudwatch-agent');
  // The JSON with the system log group's name as a reference in the middle.
  const [head, ref, tail] = param.Properties.Value['Fn::Join'][1];
  expect(ref).toEqual({ Ref: expect.stringMatching(/^ClusterSystemLogs/) });
  const config = JSON.parse(`${head}SYSTEM_LOG_GROUP${tail}`);
  expect(config.logs.logs_collected.files.collect_list[0].log_group_name).toBe('SYSTEM_LOG_GROUP');
  expect(config.metrics.metrics_collected.nvidia_gpu.measurement).toEqual(['utilization_gpu', 'memory_used', 'memory_total', 'temperature_gpu']);
  expect(config.logs.logs_collected.files.collect_list[0].file_path).toBe('/var/log/kern.log');
  expect(userDataOf(t, idsOf(t, 'AWS::EC2::LaunchTemplate')[0])).toContain('readonly CW_AGENT_CONFIG=/deepseek-iac/obs/cloudwatch-agent');
  // Instances fetch it at boot: the group waits for it.
  const [paramId] = idsOf(t, 'AWS::SSM::Parameter');
  for (const g of Object.values(t.findResources('AWS::AutoScaling::AutoScalingGroup'))) expect(g.DependsOn).toContain(paramId);
});

test('engine and system log groups: KMS-encrypted, with the requested retention', () => {
  const groups = t.findResources('AWS::Logs::LogGroup');
  const ours = Object.entries(groups).filter(([id]) => /^Cluster(EngineLogs|SystemLogs|FlowLogGroup)/.test(id));
  expect(ours).toHaveLength(3);
  for (const [, g] of ours) expect(g.Properties).toMatchObject({ RetentionInDays: 14, KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
});

test('metric filters: HTTP responses and 5xx on the engine log, XID errors on the kernel log, in the cluster namespace', () => {
  t.resourceCountIs('AWS::Logs::MetricFilter', 3);
  t.hasResourceProperties('AWS::Logs::MetricFilter', {
    LogGroupName: { Ref: Match.stringLikeRegexp('^ClusterEngineLogs') }, FilterPattern: HTTP_5XX_PATTERN,
    MetricTransformations: [{ MetricNamespace: 'DeepSeekIac/obs', MetricName: 'Http5xx', MetricValue: '1', DefaultValue: 0 }],
  });
  t.hasResourceProperties('AWS::Logs::MetricFilter', {
    LogGroupName: { Ref: Match.stringLikeRegexp('^ClusterSystemLogs') }, FilterPattern: XID_PATTERN,
    MetricTransformations: [Match.objectLike({ MetricName: 'GpuXidErrors' })],
  });
});

test('four alarms, each notifying the topic on alarm and on recovery, none firing on missing data', () => {
  const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm'));
  expect(alarms).toHaveLength(4);
  for (const a of alarms) {
    expect(a.Properties).toMatchObject({ AlarmActions: [{ Ref: topicId }], OKActions: [{ Ref: topicId }], TreatMissingData: 'notBreaching' });
  }
});

test('unhealthy targets: the NLB target group\'s UnHealthyHostCount for longer than a boot may take', () => {
  // Grace 1,560 s: ceil(1560 / 300) + 1 = 7 five-minute periods.
  expect(cluster.blueprint.healthCheckGraceSeconds).toBe(1560);
  t.hasResourceProperties('AWS::CloudWatch::Alarm', {
    EvaluationPeriods: 7, DatapointsToAlarm: 7, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    Metrics: [Match.objectLike({
      MetricStat: {
        Metric: {
          Namespace: 'AWS/NetworkELB', MetricName: 'UnHealthyHostCount',
          Dimensions: [
            { Name: 'LoadBalancer', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ClusterLoadBalancer'), 'LoadBalancerFullName'] } },
            { Name: 'TargetGroup', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ClusterLoadBalancerApiEngine'), 'TargetGroupFullName'] } },
          ],
        },
        Period: 300, Stat: 'Maximum',
      },
    })],
  });
});

test('5xx rate and GPU memory are metric-math alarms; GPU memory above the preallocation + 5 points (95 %)', () => {
  t.hasResourceProperties('AWS::CloudWatch::Alarm', {
    Threshold: 5, ComparisonOperator: 'GreaterThanThreshold',
    Metrics: Match.arrayWith([Match.objectLike({ Expression: 'IF(requests > 0, 100 * errors / requests, 0)' })]),
  });
  t.hasResourceProperties('AWS::CloudWatch::Alarm', {
    Threshold: 95,
    Metrics: Match.arrayWith([
      Match.objectLike({ Expression: '100 * used / total' }),
      Match.objectLike({ Id: 'used', MetricStat: Match.objectLike({ Metric: { Namespace: 'DeepSeekIac/obs', MetricName: 'nvidia_smi_memory_used', Dimensions: [{ Name: 'ClusterName', Value: 'obs' }] }, Stat: 'Maximum' }) }),
    ]),
  });
});

test('the alarm topic is KMS-encrypted and refuses publishing without TLS', () => {
  t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
  t.hasResourceProperties('AWS::SNS::TopicPolicy', {
    PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
  });
  expect(cluster.alarmTopic).toBeDefined();
});

test('dashboard: alarm status, traffic and GPU graphs', () => {
  const [dash] = Object.values(t.findResources('AWS::CloudWatch::Dashboard'));
  const body = JSON.stringify(dash.Properties.DashboardBody);
  for (const title of ['obs alarms', 'API targets', 'HTTP responses and 5xx', 'GPU utilization', 'GPU memory used (fullest GPU)', 'GPU temperature (hottest GPU)', 'GPU XID errors']) {
    expect(body).toContain(title);
  }
});

describe('monitoring: false and a caller\'s topic', () => {
  test('monitoring off: no agent, filters, alarms, topic or dashboard', () => {
    const s = new Stack(new App(), 'Quiet');
    new DeepSeekInferenceCluster(s, 'Cluster', { model: 'deepseek-r1-distill-qwen-1.5b', monitoring: false, modelStore: false });
    const q = Template.fromStack(s);
    for (const type of ['AWS::SSM::Parameter', 'AWS::Logs::MetricFilter', 'AWS::CloudWatch::Alarm', 'AWS::SNS::Topic', 'AWS::CloudWatch::Dashboard']) q.resourceCountIs(type, 0);
    expect(userDataOf(q, idsOf(q, 'AWS::EC2::LaunchTemplate')[0])).toContain("readonly CW_AGENT_CONFIG=''");
  });

  test('a caller\'s topic receives the alarms; none is created', () => {
    const s = new Stack(new App(), 'Paged');
    const topic = sns.Topic.fromTopicArn(s, 'Pager', 'arn:aws:sns:us-east-1:111122223333:pager');
    new DeepSeekInferenceCluster(s, 'Cluster', { model: 'deepseek-r1-distill-qwen-1.5b', alarmTopic: topic, modelStore: false });
    const q = Template.fromStack(s);
    q.resourceCountIs('AWS::SNS::Topic', 0);
    q.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: ['arn:aws:sns:us-east-1:111122223333:pager'] });
  });
});
