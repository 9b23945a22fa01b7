/**
 * What the cluster reports and when it raises an alarm, as plain data: the CloudWatch agent
 * configuration (GPU metrics, kernel log for XID errors), log metric filters on the engine and
 * kernel logs, alarm definitions and the dashboard layout. Adapters create the resources.
 *
 * Facts relied on:
 * - CloudWatch agent `nvidia_gpu` measurements `utilization_gpu`, `memory_used`, `memory_total`,
 *   `temperature_gpu` are published as `nvidia_smi_<measurement>`
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Agent-NVIDIA-GPU.html, confirmed);
 *   the section accepts `append_dimensions` like every Linux plugin (agent source,
 *   aws/amazon-cloudwatch-agent@015ad8bc:translator/translate/metrics/util/commonconfigutil.go, confirmed),
 *   and `aggregation_dimensions: [["ClusterName"]]` adds a series with only that dimension.
 * - XID errors are NVIDIA driver kernel messages `NVRM: Xid (PCI:…): <code>, …` (AWS Compute blog
 *   "Capturing GPU Telemetry on the Amazon EC2 Accelerated Computing Instances", third-party for the
 *   exact text); Ubuntu's rsyslog writes kernel messages to /var/log/kern.log.
 * - The engines' HTTP access log is uvicorn's: `<client> - "<method> <path> HTTP/1.1" <status> <phrase>`
 *   (uvicorn LOGGING_CONFIG access format `%(client_addr)s - "%(request_line)s" %(status_code)s`,
 *   third-party copies of uvicorn/config.py). A Network Load Balancer has no HTTP status metrics,
 *   so 5xx responses are counted from that log.
 * - CloudWatch Logs regex filter patterns are enclosed in `%`, may use letters, digits,
 *   `: _ # = @ / ; , -` and the operators `^ $ ? [ ] { } | \ * + .`, not parentheses or quotes, and
 *   a log group takes at most 5 regex filters
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html, confirmed).
 */
import type { Plan } from '../plan/types';

/** Namespace of the cluster's custom metrics (agent and log metric filters): one per cluster. */
export function metricsNamespace(clusterName: string): string {
  return `DeepSeekIac/${clusterName}`;
}

/**
 * SSM parameter holding the agent configuration: a fixed name per cluster, because the boot script
 * names it before the parameter exists (and the parameter's value names the system log group).
 */
export function agentConfigParameterName(clusterName: string): string {
  return `/deepseek-iac/${clusterName}/cloudwatch-agent`;
}

/** Dimension the agent adds to GPU metrics (and aggregates on). */
export const CLUSTER_DIMENSION = 'ClusterName';

/** GPU metric names as the agent publishes them. */
export const GPU_METRICS = {
  utilization: 'nvidia_smi_utilization_gpu',
  memoryUsed: 'nvidia_smi_memory_used',
  memoryTotal: 'nvidia_smi_memory_total',
  temperature: 'nvidia_smi_temperature_gpu',
} as const;

/** Metric names of the log metric filters. */
export const LOG_METRICS = { requests: 'HttpRequests', http5xx: 'Http5xx', xid: 'GpuXidErrors' } as const;

/** Agent collection interval, seconds. */
export const AGENT_INTERVAL_SECONDS = 60;

/** Kernel log the agent ships (XID errors). */
export const KERNEL_LOG_PATH = '/var/log/kern.log';

/**
 * The CloudWatch agent configuration (the JSON the node fetches from an SSM parameter).
 * `systemLogGroupName` may be an adapter token; serialize with the adapter's JSON helper.
 */
export function cloudWatchAgentConfig(clusterName: string, systemLogGroupName: string): Record<string, unknown> {
  return {
    agent: { metrics_collection_interval: AGENT_INTERVAL_SECONDS, run_as_user: 'root' },
    metrics: {
      namespace: metricsNamespace(clusterName),
      append_dimensions: { InstanceId: '${aws:InstanceId}' },
      aggregation_dimensions: [[CLUSTER_DIMENSION]],
      metrics_collected: {
        nvidia_gpu: {
          measurement: ['utilization_gpu', 'memory_used', 'memory_total', 'temperature_gpu'],
          append_dimensions: { [CLUSTER_DIMENSION]: clusterName },
        },
      },
    },
    logs: {
      logs_collected: {
        files: {
          collect_list: [{ file_path: KERNEL_LOG_PATH, log_group_name: systemLogGroupName, log_stream_name: '{instance_id}/kern.log' }],
        },
      },
    },
  };
}

/** Which log group a metric filter reads. */
export type LogGroupRole = 'engine' | 'system';

/** A log metric filter: one count per matching event; 0 for events that do not match. */
export interface MetricFilterSpec {
  readonly id: string;
  readonly logGroup: LogGroupRole;
  readonly filterPattern: string;
  readonly metricName: string;
}

/** HTTP status in an access-log line: `HTTP/1.1" 503 ` — the quote is matched by `.` (quotes are not allowed in regex patterns). */
export const HTTP_5XX_PATTERN = '%HTTP/[0-9.]+.\\s5\\d\\d\\s%';
/** Any HTTP response line (the denominator of the 5xx rate). */
export const HTTP_RESPONSE_PATTERN = '%HTTP/[0-9.]+.\\s\\d\\d\\d\\s%';
/** NVIDIA XID error lines in the kernel log (a quoted phrase is an exact-term match). */
export const XID_PATTERN = '"NVRM: Xid"';

/** The log metric filters of a cluster. */
export function metricFilters(): MetricFilterSpec[] {
  return [
    { id: 'HttpRequests', logGroup: 'engine', filterPattern: HTTP_RESPONSE_PATTERN, metricName: LOG_METRICS.requests },
    { id: 'Http5xx', logGroup: 'engine', filterPattern: HTTP_5XX_PATTERN, metricName: LOG_METRICS.http5xx },
    { id: 'GpuXid', logGroup: 'system', filterPattern: XID_PATTERN, metricName: LOG_METRICS.xid },
  ];
}

/** Dimensions of a metric: the NLB target group's (AWS/NetworkELB), the cluster's (agent), or none (log metrics). */
export type MetricDimensions = 'target-group' | 'cluster' | 'none';

/** One CloudWatch metric. */
export interface MetricSpec {
  /** Id inside a math expression (lowercase letter first). */
  readonly id: string;
  /** `cluster` = {@link metricsNamespace}; otherwise the literal namespace. */
  readonly namespace: 'cluster' | 'AWS/NetworkELB';
  readonly metricName: string;
  readonly dimensions: MetricDimensions;
  readonly statistic: 'Sum' | 'Average' | 'Maximum';
  readonly periodSeconds: number;
  readonly label: string;
}

/** One alarm; with `expression` the alarm watches a math expression over `metrics`. */
export interface AlarmSpec {
  readonly id: string;
  readonly description: string;
  readonly metrics: readonly MetricSpec[];
  readonly expression?: string;
  readonly expressionLabel?: string;
  readonly threshold: number;
  readonly comparison: 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold';
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: 'notBreaching';
}

const unhealthy = (period: number): MetricSpec => ({ id: 'unhealthy', namespace: 'AWS/NetworkELB', metricName: 'UnHealthyHostCount', dimensions: 'target-group', statistic: 'Maximum', periodSeconds: period, label: 'unhealthy targets' });
const healthy: MetricSpec = { id: 'healthy', namespace: 'AWS/NetworkELB', metricName: 'HealthyHostCount', dimensions: 'target-group', statistic: 'Average', periodSeconds: 60, label: 'healthy targets' };
const requests: MetricSpec = { id: 'requests', namespace: 'cluster', metricName: LOG_METRICS.requests, dimensions: 'none', statistic: 'Sum', periodSeconds: 300, label: 'HTTP responses' };
const errors: MetricSpec = { id: 'errors', namespace: 'cluster', metricName: LOG_METRICS.http5xx, dimensions: 'none', statistic: 'Sum', periodSeconds: 300, label: 'HTTP 5xx' };
const gpu = (id: string, metricName: string, statistic: MetricSpec['statistic'], label: string): MetricSpec => ({ id, namespace: 'cluster', metricName, dimensions: 'cluster', statistic, periodSeconds: AGENT_INTERVAL_SECONDS, label });
const xid: MetricSpec = { id: 'xid', namespace: 'cluster', metricName: LOG_METRICS.xid, dimensions: 'none', statistic: 'Sum', periodSeconds: 300, label: 'XID errors' };

/** GPU memory use % of the fullest GPU: its used MiB over the (uniform) capacity. */
const GPU_MEMORY_EXPRESSION = '100 * used / total';

/** Alarm period of the unhealthy-target alarm, seconds. */
export const UNHEALTHY_PERIOD_SECONDS = 300;
/** CloudWatch evaluates at most one day of periods (period × evaluation periods ≤ 86,400 s). */
const MAX_EVALUATION_SECONDS = 86_400;

/**
 * GPU memory alarm threshold, %: the engine preallocates `gpuMemoryUtilization` of every GPU at
 * start, so a steady level above it by 5 points means something else is allocating (a second
 * process, fragmentation, a leak) and an out-of-memory error is near. Capped at 99 %.
 */
export function gpuMemoryThresholdPercent(plan: Plan): number {
  return Math.min(99, Math.round(plan.memory.gpuMemoryUtilization * 100) + 5);
}

/**
 * The alarms. `graceSeconds` is the health-check grace period: a serving target is unhealthy for up
 * to that long while a node boots and loads, and the Auto Scaling group replaces a node that fails
 * afterwards within minutes, so the unhealthy-target alarm fires only when a target stays unhealthy
 * longer than a boot may take — self-healing did not work.
 */
export function alarmSpecs(plan: Plan, graceSeconds: number): AlarmSpec[] {
  const periods = Math.min(Math.ceil(graceSeconds / UNHEALTHY_PERIOD_SECONDS) + 1, MAX_EVALUATION_SECONDS / UNHEALTHY_PERIOD_SECONDS);
  return [
    {
      id: 'UnhealthyTargets',
      description: `The API target has been unhealthy for ${periods * UNHEALTHY_PERIOD_SECONDS / 60} minutes, longer than a node may take to boot and load (${Math.round(graceSeconds / 60)} min): automatic replacement did not restore service`,
      metrics: [unhealthy(UNHEALTHY_PERIOD_SECONDS)],
      threshold: 1, comparison: 'GreaterThanOrEqualToThreshold', evaluationPeriods: periods, datapointsToAlarm: periods, treatMissingData: 'notBreaching',
    },
    {
      id: 'Http5xxRate',
      description: 'More than 5 % of API responses were HTTP 5xx in 2 of the last 3 five-minute periods (from the engine access log)',
      metrics: [requests, errors],
      expression: 'IF(requests > 0, 100 * errors / requests, 0)', expressionLabel: 'HTTP 5xx %',
      threshold: 5, comparison: 'GreaterThanThreshold', evaluationPeriods: 3, datapointsToAlarm: 2, treatMissingData: 'notBreaching',
    },
    {
      id: 'GpuMemoryHigh',
      description: `GPU memory on the fullest GPU above ${gpuMemoryThresholdPercent(plan)} % for 5 minutes; the engine preallocates ${Math.round(plan.memory.gpuMemoryUtilization * 100)} %, so something else is allocating`,
      metrics: [gpu('used', GPU_METRICS.memoryUsed, 'Maximum', 'memory used (MiB)'), gpu('total', GPU_METRICS.memoryTotal, 'Maximum', 'memory total (MiB)')],
      expression: GPU_MEMORY_EXPRESSION, expressionLabel: 'GPU memory used %',
      threshold: gpuMemoryThresholdPercent(plan), comparison: 'GreaterThanThreshold', evaluationPeriods: 5, datapointsToAlarm: 5, treatMissingData: 'notBreaching',
    },
    {
      id: 'GpuXidErrors',
      description: 'The NVIDIA driver logged an XID error (GPU hardware or driver fault); see the system log group. A GPU that fell off the bus is also replaced by the node watchdog',
      metrics: [xid],
      threshold: 1, comparison: 'GreaterThanOrEqualToThreshold', evaluationPeriods: 1, datapointsToAlarm: 1, treatMissingData: 'notBreaching',
    },
  ];
}

/** One dashboard graph. */
export interface DashboardWidgetSpec {
  readonly title: string;
  readonly metrics: readonly MetricSpec[];
  readonly expression?: string;
  readonly expressionLabel?: string;
  /** Left axis unit label. */
  readonly unit: string;
}

/** The dashboard: traffic and health first, then the GPUs. */
export function dashboardWidgets(): DashboardWidgetSpec[] {
  return [
    { title: 'API targets', metrics: [healthy, unhealthy(60)], unit: 'count' },
    { title: 'HTTP responses and 5xx', metrics: [requests, errors], unit: 'count / 5 min' },
    { title: 'GPU utilization', metrics: [gpu('util_avg', GPU_METRICS.utilization, 'Average', 'average'), gpu('util_max', GPU_METRICS.utilization, 'Maximum', 'busiest GPU')], unit: '%' },
    {
      title: 'GPU memory used (fullest GPU)',
      metrics: [gpu('used', GPU_METRICS.memoryUsed, 'Maximum', 'used'), gpu('total', GPU_METRICS.memoryTotal, 'Maximum', 'total')],
      expression: GPU_MEMORY_EXPRESSION, expressionLabel: 'used %', unit: '%',
    },
    { title: 'GPU temperature (hottest GPU)', metrics: [gpu('temp', GPU_METRICS.temperature, 'Maximum', 'temperature')], unit: '°C' },
    { title: 'GPU XID errors', metrics: [xid], unit: 'count / 5 min' },
  ];
}
