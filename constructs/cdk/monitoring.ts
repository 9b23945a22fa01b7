/**
 * Maps the blueprint's observability decisions to CloudWatch: the agent configuration parameter,
 * log metric filters, alarms with an SNS action, and the dashboard. The system log group and the
 * parameter's name exist before the blueprint (the boot script names them), so they are made by
 * {@link monitoringInputs} and filled by {@link ClusterMonitoring}.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { agentConfigParameterName, CLUSTER_DIMENSION, type AlarmSpec, type MetricSpec, type ObservabilitySpec } from '../../lib/deploy';

/** The system log group and the agent parameter's name and ARN, for the blueprint options. */
export function monitoringInputs(scope: Construct, clusterName: string, key: kms.IKey, retention: logs.RetentionDays) {
  const systemLogs = new logs.LogGroup(scope, 'SystemLogs', { retention, encryptionKey: key });
  const name = agentConfigParameterName(clusterName);
  const arn = Stack.of(scope).formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.slice(1) });
  return { systemLogs, agentConfigParameter: { name, arn } };
}

/** What {@link ClusterMonitoring} watches. */
export interface ClusterMonitoringProps {
  readonly spec: ObservabilitySpec;
  readonly clusterName: string;
  readonly agentConfigParameterName: string;
  readonly engineLogs: logs.ILogGroup;
  readonly systemLogs: logs.ILogGroup;
  readonly loadBalancer: elbv2.NetworkLoadBalancer;
  readonly targetGroup: elbv2.NetworkTargetGroup;
  readonly topic: sns.ITopic;
}

/** Agent parameter, metric filters, alarms and dashboard of one cluster. */
export class ClusterMonitoring extends Construct {
  readonly agentConfig: ssm.StringParameter;
  /** By blueprint alarm id (UnhealthyTargets, Http5xxRate, GpuMemoryHigh, GpuXidErrors). */
  readonly alarms: Readonly<Record<string, cloudwatch.Alarm>>;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ClusterMonitoringProps) {
    super(scope, id);
    const { spec } = props;
    this.agentConfig = new ssm.StringParameter(this, 'AgentConfig', {
      parameterName: props.agentConfigParameterName,
      description: `CloudWatch agent configuration of the ${props.clusterName} GPU nodes`,
      stringValue: Stack.of(this).toJsonString(spec.agentConfig),
    });
    const groups = { engine: props.engineLogs, system: props.systemLogs };
    for (const f of spec.metricFilters) {
      new logs.MetricFilter(this, f.id, {
        logGroup: groups[f.logGroup], filterPattern: logs.FilterPattern.literal(f.filterPattern),
        metricNamespace: spec.namespace, metricName: f.metricName, metricValue: '1', defaultValue: 0,
      });
    }
    const metric = (m: MetricSpec): cloudwatch.Metric => new cloudwatch.Metric({
      namespace: m.namespace === 'cluster' ? spec.namespace : m.namespace,
      metricName: m.metricName,
      dimensionsMap: m.dimensions === 'target-group'
        ? { TargetGroup: props.targetGroup.targetGroupFullName, LoadBalancer: props.loadBalancer.loadBalancerFullName }
        : m.dimensions === 'cluster' ? { [CLUSTER_DIMENSION]: props.clusterName } : {},
      statistic: m.statistic,
      period: Duration.seconds(m.periodSeconds),
      label: m.label,
    });
    const watched = (a: Pick<AlarmSpec, 'metrics' | 'expression' | 'expressionLabel'>): cloudwatch.IMetric => (a.expression
      ? new cloudwatch.MathExpression({
          expression: a.expression,
          usingMetrics: Object.fromEntries(a.metrics.map((m) => [m.id, metric(m)])),
          period: Duration.seconds(a.metrics[0].periodSeconds),
          ...(a.expressionLabel ? { label: a.expressionLabel } : {}),
        })
      : metric(a.metrics[0]));

    const alarms: Record<string, cloudwatch.Alarm> = {};
    const action = new actions.SnsAction(props.topic);
    for (const a of spec.alarms) {
      const alarm = new cloudwatch.Alarm(this, a.id, {
        alarmDescription: `${props.clusterName}: ${a.description}`,
        metric: watched(a),
        threshold: a.threshold,
        comparisonOperator: cloudwatch.ComparisonOperator[a.comparison === 'GreaterThanThreshold' ? 'GREATER_THAN_THRESHOLD' : 'GREATER_THAN_OR_EQUAL_TO_THRESHOLD'],
        evaluationPeriods: a.evaluationPeriods,
        datapointsToAlarm: a.datapointsToAlarm,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      alarms[a.id] = alarm;
    }
    this.alarms = alarms;

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      widgets: [
        [new cloudwatch.AlarmStatusWidget({ title: `${props.clusterName} alarms`, alarms: Object.values(alarms), width: 24, height: 3 })],
        spec.dashboard.map((w) => new cloudwatch.GraphWidget({
          title: w.title, width: 8, height: 6, leftYAxis: { label: w.unit, showUnits: false },
          left: w.expression ? [watched(w)] : w.metrics.map(metric),
        })),
      ],
    });
  }
}
