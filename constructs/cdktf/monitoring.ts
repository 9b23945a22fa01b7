/**
 * Maps the blueprint's observability decisions (lib/deploy/observability.ts) to Terraform resources,
 * as the CDK construct's monitoring.ts: the CloudWatch agent configuration parameter, log metric
 * filters, alarms notifying an SNS topic encrypted with the cluster key, and the dashboard.
 *
 * Terraform reads `${` and `%{` in any string as a template; the agent configuration holds the
 * agent's own `${aws:InstanceId}`, so literal strings are escaped (`$${`, `%%{`; Terraform
 * configuration syntax, "Strings and Templates", confirmed).
 */
import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { alarmTopicPolicyDocument, CLUSTER_DIMENSION, type AlarmSpec, type MetricSpec, type ObservabilitySpec } from '../../lib/deploy';

/** A literal string as Terraform reads it back unchanged (no token may be inside). */
export function terraformLiteral(s: string): string {
  return s.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** What {@link ClusterMonitoring} watches. */
export interface ClusterMonitoringProps {
  readonly spec: ObservabilitySpec;
  readonly clusterName: string;
  readonly agentConfigParameterName: string;
  /** Names of the engine and system log groups (references, so the filters follow the groups). */
  readonly logGroupNames: { readonly engine: string; readonly system: string };
  /** `arn_suffix` of the load balancer and the target group (the AWS/NetworkELB dimensions). */
  readonly loadBalancerArnSuffix: string;
  readonly targetGroupArnSuffix: string;
  /** Region of the dashboard's widgets. */
  readonly region: string;
  /** KMS key (ARN or id) of the alarm topic. */
  readonly kmsKeyId: string;
  /** Partition and account (references) that scope CloudWatch's publish grant on the topic. */
  readonly partition: string;
  readonly accountId: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** Agent parameter, metric filters, alarm topic, alarms and dashboard of one cluster. */
export class ClusterMonitoring extends Construct {
  readonly agentConfig: SsmParameter;
  /** Where alarms notify (subscribe to it). */
  readonly alarmTopic: SnsTopic;
  /** By blueprint alarm id (UnhealthyTargets, Http5xxRate, GpuMemoryHigh, GpuXidErrors). */
  readonly alarms: Readonly<Record<string, CloudwatchMetricAlarm>>;
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: ClusterMonitoringProps) {
    super(scope, id);
    const { spec, tags } = props;
    this.agentConfig = new SsmParameter(this, 'AgentConfig', {
      name: props.agentConfigParameterName, type: 'String', tags,
      description: `CloudWatch agent configuration of the ${props.clusterName} GPU nodes`,
      value: terraformLiteral(JSON.stringify(spec.agentConfig)),
    });
    for (const f of spec.metricFilters) {
      new CloudwatchLogMetricFilter(this, f.id, {
        name: `${props.clusterName}-${f.id}`, logGroupName: props.logGroupNames[f.logGroup], pattern: terraformLiteral(f.filterPattern),
        metricTransformation: { name: f.metricName, namespace: spec.namespace, value: '1', defaultValue: '0' },
      });
    }
    const namespace = (m: MetricSpec) => (m.namespace === 'cluster' ? spec.namespace : m.namespace);
    const dimensions = (m: MetricSpec): Record<string, string> => (m.dimensions === 'target-group'
      ? { TargetGroup: props.targetGroupArnSuffix, LoadBalancer: props.loadBalancerArnSuffix }
      : m.dimensions === 'cluster' ? { [CLUSTER_DIMENSION]: props.clusterName } : {});

    this.alarmTopic = new SnsTopic(this, 'Alarms', { name: `deepseek-iac-${props.clusterName}-alarms`, displayName: `${props.clusterName} alarms`, kmsMasterKeyId: props.kmsKeyId, tags });
    // CloudWatch's scoped publish grant and the TLS-only deny (lib/deploy/alarm-topic.ts).
    new SnsTopicPolicy(this, 'AlarmsPolicy', {
      arn: this.alarmTopic.arn,
      policy: alarmTopicPolicyDocument({ partition: props.partition, region: props.region, accountId: props.accountId }, this.alarmTopic.arn),
    });
    const alarms: Record<string, CloudwatchMetricAlarm> = {};
    for (const a of spec.alarms) {
      alarms[a.id] = new CloudwatchMetricAlarm(this, a.id, {
        alarmName: `${props.clusterName}-${a.id}`,
        alarmDescription: `${props.clusterName}: ${a.description}`,
        ...watched(a, namespace, dimensions),
        threshold: a.threshold, comparisonOperator: a.comparison, evaluationPeriods: a.evaluationPeriods,
        datapointsToAlarm: a.datapointsToAlarm, treatMissingData: a.treatMissingData,
        alarmActions: [this.alarmTopic.arn], okActions: [this.alarmTopic.arn], tags,
      });
    }
    this.alarms = alarms;

    const graph = (m: MetricSpec, visible: boolean) => [namespace(m), m.metricName, ...Object.entries(dimensions(m)).flat(), { id: m.id, stat: m.statistic, period: m.periodSeconds, label: m.label, ...(visible ? {} : { visible: false }) }];
    const widgets = [
      { type: 'alarm', x: 0, y: 0, width: 24, height: 3, properties: { title: `${props.clusterName} alarms`, alarms: Object.values(alarms).map((a) => a.arn) } },
      ...spec.dashboard.map((w, i) => ({
        type: 'metric', x: (i % 3) * 8, y: 3 + Math.floor(i / 3) * 6, width: 8, height: 6,
        properties: {
          title: w.title, view: 'timeSeries', region: props.region, yAxis: { left: { label: w.unit, showUnits: false } },
          metrics: w.expression
            ? [[{ expression: w.expression, label: w.expressionLabel ?? w.title, id: 'e1' }], ...w.metrics.map((m) => graph(m, false))]
            : w.metrics.map((m) => graph(m, true)),
        },
      })),
    ];
    this.dashboard = new CloudwatchDashboard(this, 'Dashboard', { dashboardName: `deepseek-iac-${props.clusterName}`, dashboardBody: JSON.stringify({ widgets }) });
  }
}

/** The metric (or math expression over metrics) an alarm watches, as `aws_cloudwatch_metric_alarm` arguments. */
function watched(a: AlarmSpec, namespace: (m: MetricSpec) => string, dimensions: (m: MetricSpec) => Record<string, string>) {
  if (!a.expression) {
    const m = a.metrics[0];
    return { namespace: namespace(m), metricName: m.metricName, dimensions: dimensions(m), statistic: m.statistic, period: m.periodSeconds };
  }
  return {
    metricQuery: [
      { id: 'e1', expression: a.expression, label: a.expressionLabel, returnData: true },
      ...a.metrics.map((m) => ({
        id: m.id, label: m.label, returnData: false,
        metric: { namespace: namespace(m), metricName: m.metricName, dimensions: dimensions(m), stat: m.statistic, period: m.periodSeconds },
      })),
    ],
  };
}
