/**
 * Maps the layout's observability (lib/deploy/observability.ts) to Terraform resources, as the CDK
 * construct's monitoring.ts: the CloudWatch agent configuration parameter, log metric filters,
 * alarms notifying an SNS topic encrypted with the cluster key, and the dashboard. The arguments come
 * from lib/deploy/terraform-shape/monitoring.ts (shared with Pulumi).
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
import type { AwsLayout } from '../../lib/deploy';
import type { Refs } from '../../lib/deploy/terraform-shape/args';
import { agentConfigArgs, alarmArgs, alarmTopicArgs, alarmTopicPolicyArgs, dashboardArgs, metricFilterArgs, type MonitoringRefs } from '../../lib/deploy/terraform-shape/monitoring';

/** A literal string as Terraform reads it back unchanged (no token may be inside). */
export function terraformLiteral(s: string): string {
  return s.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** What {@link ClusterMonitoring} watches: the layout, and the cluster's resources as token strings. */
export interface ClusterMonitoringProps extends MonitoringRefs<string> {
  readonly layout: AwsLayout;
  readonly refs: Refs<string>;
  /** KMS key (ARN or id) of the alarm topic. */
  readonly kmsKeyId: string;
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
    const { layout, refs } = props;
    this.agentConfig = new SsmParameter(this, 'AgentConfig', agentConfigArgs(layout, refs));
    for (const f of metricFilterArgs(layout, props, refs)) new CloudwatchLogMetricFilter(this, f.key, f.args);
    this.alarmTopic = new SnsTopic(this, 'Alarms', alarmTopicArgs(layout, props.kmsKeyId));
    new SnsTopicPolicy(this, 'AlarmsPolicy', alarmTopicPolicyArgs(this.alarmTopic.arn, refs));
    const alarms: Record<string, CloudwatchMetricAlarm> = {};
    for (const a of alarmArgs(layout, props, this.alarmTopic.arn)) alarms[a.key] = new CloudwatchMetricAlarm(this, a.key, a.args);
    this.alarms = alarms;
    this.dashboard = new CloudwatchDashboard(this, 'Dashboard', dashboardArgs(layout, props, Object.values(alarms).map((a) => a.arn), refs));
  }
}
