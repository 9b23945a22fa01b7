/**
 * The blueprint's observability (lib/deploy/observability.ts) as Terraform AWS provider arguments,
 * for cdktf and Pulumi: the CloudWatch agent's configuration parameter, log metric filters, the
 * alarm topic and its policy, alarms (Terraform names `alarmName`, `metricQuery`; Pulumi renames
 * them) and the dashboard.
 */
import { alarmTopicPolicyDocument, CLUSTER_DIMENSION, type AlarmSpec, type AwsLayout, type MetricSpec, type ObservabilitySpec } from '..';
import { tagsOf, type Refs } from './args';

/** What the monitoring resources refer to. */
export interface MonitoringRefs<V> {
  readonly logGroupNames: { readonly engine: V; readonly system: V };
  /** `arn_suffix` of the load balancer and the target group (the AWS/NetworkELB dimensions). */
  readonly loadBalancerArnSuffix: V;
  readonly targetGroupArnSuffix: V;
}

function spec(layout: AwsLayout): ObservabilitySpec {
  return layout.blueprint.observability!;
}

/** The agent configuration parameter every node fetches at boot. */
export function agentConfigArgs<V>(layout: AwsLayout, refs: Refs<V>) {
  return {
    name: layout.agentConfigParameter!.name, type: 'String', tags: tagsOf(layout),
    description: `CloudWatch agent configuration of the ${layout.blueprint.clusterName} GPU nodes`,
    value: refs.literal(JSON.stringify(spec(layout).agentConfig)),
  };
}

/** One log metric filter per blueprint filter. */
export function metricFilterArgs<V>(layout: AwsLayout, to: MonitoringRefs<V>, refs: Refs<V>) {
  const s = spec(layout);
  return s.metricFilters.map((f) => ({
    key: f.id,
    args: {
      name: `${layout.blueprint.clusterName}-${f.id}`, logGroupName: to.logGroupNames[f.logGroup], pattern: refs.literal(f.filterPattern),
      metricTransformation: { name: f.metricName, namespace: s.namespace, value: '1', defaultValue: '0' },
    },
  }));
}

/** The alarm topic, encrypted with the cluster key. */
export function alarmTopicArgs<V>(layout: AwsLayout, kmsKeyId: V) {
  const name = layout.blueprint.clusterName;
  return { name: `deepseek-iac-${name}-alarms`, displayName: `${name} alarms`, kmsMasterKeyId: kmsKeyId, tags: tagsOf(layout) };
}

/** CloudWatch's scoped publish grant and the TLS-only deny (lib/deploy/alarm-topic.ts). */
export function alarmTopicPolicyArgs<V>(topicArn: V, refs: Refs<V>) {
  return {
    arn: topicArn,
    policy: refs.combine([refs.value('partition'), refs.value('region'), refs.value('accountId'), topicArn],
      ([partition, region, accountId, arn]) => alarmTopicPolicyDocument({ partition: partition!, region: region!, accountId: accountId! }, arn!)),
  };
}

/** Each alarm (Terraform names), notifying the topic. */
export function alarmArgs<V>(layout: AwsLayout, to: MonitoringRefs<V>, topicArn: V) {
  const s = spec(layout);
  const name = layout.blueprint.clusterName;
  const namespace = (m: MetricSpec) => (m.namespace === 'cluster' ? s.namespace : m.namespace);
  const dimensions = (m: MetricSpec): Record<string, V | string> => (m.dimensions === 'target-group'
    ? { TargetGroup: to.targetGroupArnSuffix, LoadBalancer: to.loadBalancerArnSuffix }
    : m.dimensions === 'cluster' ? { [CLUSTER_DIMENSION]: name } : {});
  return s.alarms.map((a: AlarmSpec) => ({
    key: a.id,
    args: {
      alarmName: `${name}-${a.id}`,
      alarmDescription: `${name}: ${a.description}`,
      ...watched(a, namespace, dimensions),
      threshold: a.threshold, comparisonOperator: a.comparison, evaluationPeriods: a.evaluationPeriods,
      datapointsToAlarm: a.datapointsToAlarm, treatMissingData: a.treatMissingData,
      alarmActions: [topicArn], okActions: [topicArn], tags: tagsOf(layout),
    },
  }));
}

/** The metric (or math expression over metrics) an alarm watches. */
function watched<D>(a: AlarmSpec, namespace: (m: MetricSpec) => string, dimensions: (m: MetricSpec) => D) {
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

/** The dashboard: an alarm row, then the blueprint's widgets three to a row. */
export function dashboardArgs<V>(layout: AwsLayout, to: MonitoringRefs<V>, alarmArns: readonly V[], refs: Refs<V>) {
  const s = spec(layout);
  const name = layout.blueprint.clusterName;
  const namespace = (m: MetricSpec) => (m.namespace === 'cluster' ? s.namespace : m.namespace);
  const body = refs.combine([refs.value('region'), to.targetGroupArnSuffix, to.loadBalancerArnSuffix, ...alarmArns], ([region, tg, lb, ...arns]) => {
    const dims = (m: MetricSpec): string[] => (m.dimensions === 'target-group'
      ? ['TargetGroup', tg!, 'LoadBalancer', lb!]
      : m.dimensions === 'cluster' ? [CLUSTER_DIMENSION, name] : []);
    const graph = (m: MetricSpec, visible: boolean) => [namespace(m), m.metricName, ...dims(m), { id: m.id, stat: m.statistic, period: m.periodSeconds, label: m.label, ...(visible ? {} : { visible: false }) }];
    const widgets = [
      { type: 'alarm', x: 0, y: 0, width: 24, height: 3, properties: { title: `${name} alarms`, alarms: arns } },
      ...s.dashboard.map((w, i) => ({
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
  return { dashboardName: `deepseek-iac-${name}`, dashboardBody: body };
}
