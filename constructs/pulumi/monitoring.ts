/**
 * Maps the layout's observability (lib/deploy/observability.ts) to @pulumi/aws resources, as the
 * CDK construct's monitoring.ts: the CloudWatch agent configuration parameter, log metric filters,
 * alarms notifying an SNS topic encrypted with the cluster key, and the dashboard. The arguments come
 * from lib/deploy/terraform-shape/monitoring.ts (shared with cdktf); the alarms' two list arguments
 * take @pulumi/aws's names here. All are children of the cluster component.
 */
import * as pulumi from '@pulumi/pulumi';
import * as cloudwatch from '@pulumi/aws/cloudwatch';
import * as sns from '@pulumi/aws/sns';
import * as ssm from '@pulumi/aws/ssm';
import type { AwsLayout } from '../../lib/deploy';
import type { Refs } from '../../lib/deploy/terraform-shape/args';
import { agentConfigArgs, alarmArgs, alarmTopicArgs, alarmTopicPolicyArgs, dashboardArgs, metricFilterArgs, type MonitoringRefs } from '../../lib/deploy/terraform-shape/monitoring';

/** What {@link clusterMonitoring} watches: the layout, and the cluster's resources as Inputs. */
export interface ClusterMonitoringInputs extends MonitoringRefs<pulumi.Input<string>> {
  readonly layout: AwsLayout;
  readonly refs: Refs<pulumi.Input<string>>;
  /** KMS key of the alarm topic. */
  readonly kmsKeyId: pulumi.Input<string>;
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
  const { layout, refs } = inputs;
  const agentConfig = new ssm.Parameter(`${name}-agent-config`, agentConfigArgs(layout, refs), opts);
  for (const f of metricFilterArgs(layout, inputs, refs)) new cloudwatch.LogMetricFilter(`${name}-${f.key}`, f.args, opts);
  // Pulumi names the topic (resource name and a random suffix), as it does every resource without a physical name.
  const { name: _terraformName, ...topic } = alarmTopicArgs(layout, inputs.kmsKeyId);
  const alarmTopic = new sns.Topic(`${name}-alarms`, topic, opts);
  new sns.TopicPolicy(`${name}-alarms-policy`, alarmTopicPolicyArgs<pulumi.Input<string>>(alarmTopic.arn, refs), opts);
  const alarms: Record<string, cloudwatch.MetricAlarm> = {};
  for (const a of alarmArgs<pulumi.Input<string>>(layout, inputs, alarmTopic.arn)) {
    const { alarmName, ...rest } = a.args;
    const args: cloudwatch.MetricAlarmArgs = 'metricQuery' in rest
      ? (({ metricQuery, ...other }) => ({ ...other, name: alarmName, metricQueries: metricQuery }))(rest)
      : { ...rest, name: alarmName };
    alarms[a.key] = new cloudwatch.MetricAlarm(`${name}-${a.key}`, args, opts);
  }
  const dashboard = new cloudwatch.Dashboard(`${name}-dashboard`, dashboardArgs<pulumi.Input<string>>(layout, inputs, Object.values(alarms).map((a) => a.arn), refs), opts);
  return { agentConfig, alarmTopic, alarms, dashboard };
}
