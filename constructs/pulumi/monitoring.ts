/**
 * Maps the blueprint's observability decisions (lib/deploy/observability.ts) to @pulumi/aws
 * resources, as the CDK construct's monitoring.ts: the CloudWatch agent configuration parameter, log
 * metric filters, alarms notifying an SNS topic encrypted with the cluster key, and the dashboard.
 * All are children of the cluster component.
 */
import * as pulumi from '@pulumi/pulumi';
import * as cloudwatch from '@pulumi/aws/cloudwatch';
import * as sns from '@pulumi/aws/sns';
import * as ssm from '@pulumi/aws/ssm';
import { alarmTopicPolicyDocument, CLUSTER_DIMENSION, type AlarmSpec, type MetricSpec, type ObservabilitySpec } from '../../lib/deploy';

/** What {@link clusterMonitoring} watches. */
export interface ClusterMonitoringInputs {
  readonly spec: ObservabilitySpec;
  readonly clusterName: string;
  readonly agentConfigParameterName: string;
  readonly logGroupNames: { readonly engine: pulumi.Input<string>; readonly system: pulumi.Input<string> };
  /** `arnSuffix` of the load balancer and the target group (the AWS/NetworkELB dimensions). */
  readonly loadBalancerArnSuffix: pulumi.Output<string>;
  readonly targetGroupArnSuffix: pulumi.Output<string>;
  /** Region of the dashboard's widgets. */
  readonly region: pulumi.Output<string>;
  /** KMS key of the alarm topic. */
  readonly kmsKeyId: pulumi.Input<string>;
  /** Partition and account that scope CloudWatch's publish grant on the topic. */
  readonly partition: pulumi.Input<string>;
  readonly accountId: pulumi.Input<string>;
  readonly tags: Readonly<Record<string, string>>;
}

/** Agent parameter, alarm topic, alarms and dashboard of one cluster. */
export interface ClusterMonitoring {
  readonly agentConfig: ssm.Parameter;
  /** Where alarms notify (subscribe to it). */
  readonly alarmTopic: sns.Topic;
  /** By blueprint alarm id (UnhealthyTargets, Http5xxRate, GpuMemoryHigh, GpuXidErrors). */
  readonly alarms: Readonly<Record<string, cloudwatch.MetricAlarm>>;
  readonly dashboard: cloudwatch.Dashboard;
}

/** Create the monitoring resources of cluster `name` as children of `parent`. */
export function clusterMonitoring(name: string, inputs: ClusterMonitoringInputs, parent: pulumi.Resource): ClusterMonitoring {
  const opts = { parent };
  const { spec, tags } = inputs;
  const agentConfig = new ssm.Parameter(`${name}-agent-config`, {
    name: inputs.agentConfigParameterName, type: 'String', tags,
    description: `CloudWatch agent configuration of the ${inputs.clusterName} GPU nodes`,
    value: JSON.stringify(spec.agentConfig),
  }, opts);
  for (const f of spec.metricFilters) {
    new cloudwatch.LogMetricFilter(`${name}-${f.id}`, {
      name: `${inputs.clusterName}-${f.id}`, logGroupName: inputs.logGroupNames[f.logGroup], pattern: f.filterPattern,
      metricTransformation: { name: f.metricName, namespace: spec.namespace, value: '1', defaultValue: '0' },
    }, opts);
  }
  const namespace = (m: MetricSpec) => (m.namespace === 'cluster' ? spec.namespace : m.namespace);
  const dimensions = (m: MetricSpec): Record<string, pulumi.Output<string> | string> => (m.dimensions === 'target-group'
    ? { TargetGroup: inputs.targetGroupArnSuffix, LoadBalancer: inputs.loadBalancerArnSuffix }
    : m.dimensions === 'cluster' ? { [CLUSTER_DIMENSION]: inputs.clusterName } : {});

  const alarmTopic = new sns.Topic(`${name}-alarms`, { displayName: `${inputs.clusterName} alarms`, kmsMasterKeyId: inputs.kmsKeyId, tags }, opts);
  // CloudWatch's scoped publish grant and the TLS-only deny (lib/deploy/alarm-topic.ts).
  new sns.TopicPolicy(`${name}-alarms-policy`, {
    arn: alarmTopic.arn,
    policy: pulumi.all([inputs.partition, inputs.region, inputs.accountId, alarmTopic.arn])
      .apply(([partition, region, accountId, arn]) => alarmTopicPolicyDocument({ partition, region, accountId }, arn)),
  }, opts);
  const alarms: Record<string, cloudwatch.MetricAlarm> = {};
  for (const a of spec.alarms) {
    alarms[a.id] = new cloudwatch.MetricAlarm(`${name}-${a.id}`, {
      name: `${inputs.clusterName}-${a.id}`,
      alarmDescription: `${inputs.clusterName}: ${a.description}`,
      ...watched(a, namespace, dimensions),
      threshold: a.threshold, comparisonOperator: a.comparison, evaluationPeriods: a.evaluationPeriods,
      datapointsToAlarm: a.datapointsToAlarm, treatMissingData: a.treatMissingData,
      alarmActions: [alarmTopic.arn], okActions: [alarmTopic.arn], tags,
    }, opts);
  }

  const body = pulumi.all([
    pulumi.all(Object.values(alarms).map((a) => a.arn)), inputs.region, inputs.targetGroupArnSuffix, inputs.loadBalancerArnSuffix,
  ]).apply(([alarmArns, region, tg, lb]) => {
    const dims = (m: MetricSpec): string[] => (m.dimensions === 'target-group'
      ? ['TargetGroup', tg, 'LoadBalancer', lb]
      : m.dimensions === 'cluster' ? [CLUSTER_DIMENSION, inputs.clusterName] : []);
    const graph = (m: MetricSpec, visible: boolean) => [namespace(m), m.metricName, ...dims(m), { id: m.id, stat: m.statistic, period: m.periodSeconds, label: m.label, ...(visible ? {} : { visible: false }) }];
    const widgets = [
      { type: 'alarm', x: 0, y: 0, width: 24, height: 3, properties: { title: `${inputs.clusterName} alarms`, alarms: alarmArns } },
      ...spec.dashboard.map((w, i) => ({
        type: 'metric', x: (i % 3) * 8, y: 3 + Math.floor(i / 3) * 6, width: 8, height: 6,
        properties: {
          title: w.title, view: 'timeSeries', region, yAxis: { left: { label: w.unit, showUnits: false } },
          metrics: w.expression
            ? [[{ expression: w.expression, label: w.expressionLabel ?? w.title, id: 'e1' }], ...w.metrics.map((m) => graph(m, false))]
            : w.metrics.map((m) => graph(m, true)),
        },
      })),
    ];
    return JSON.stringify({ widgets });
  });
  const dashboard = new cloudwatch.Dashboard(`${name}-dashboard`, { dashboardName: `deepseek-iac-${inputs.clusterName}`, dashboardBody: body }, opts);
  return { agentConfig, alarmTopic, alarms, dashboard };
}

/** The metric (or math expression over metrics) an alarm watches, as `aws.cloudwatch.MetricAlarm` arguments. */
function watched(a: AlarmSpec, namespace: (m: MetricSpec) => string, dimensions: (m: MetricSpec) => Record<string, pulumi.Input<string>>) {
  if (!a.expression) {
    const m = a.metrics[0];
    return { namespace: namespace(m), metricName: m.metricName, dimensions: dimensions(m), statistic: m.statistic, period: m.periodSeconds };
  }
  return {
    metricQueries: [
      { id: 'e1', expression: a.expression, label: a.expressionLabel, returnData: true },
      ...a.metrics.map((m) => ({
        id: m.id, label: m.label, returnData: false,
        metric: { namespace: namespace(m), metricName: m.metricName, dimensions: dimensions(m), stat: m.statistic, period: m.periodSeconds },
      })),
    ],
  };
}
