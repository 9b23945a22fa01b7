/**
 * Azure Monitor alerts for a cluster, decided here and mapped by both adapters:
 * - log alerts (scheduled query rules) on the cluster's Log Analytics workspace, over the lines the
 *   boot script sends to syslog (facility local1, tag deepseek-health; lib/deploy/azure/boot-script.ts):
 *   a node whose health timer has gone silent (VM down, agent or timer dead; while the first boot
 *   downloads the weights it sends a `booting` line every minute instead), a GPU missing (the
 *   timer's `GPU missing` line) or a failed boot (`boot failed`, with the GPU check's finding or the
 *   boot's exit status), the engine unhealthy behind the front;
 * - a metric alert on the load balancer's health probe status (`DipAvailability`, percent of probes
 *   answered by the serving rank; docs/azure-facts.md §7).
 * An action group with e-mail receivers is created when addresses are given; without one the alerts
 * still fire and show in the portal, but notify nobody.
 *
 * The queries match with `contains` (substring), not `has` (whole terms): `engine=unhealthy` and
 * `GPU missing` are not single KQL terms.
 * Scheduled query rules: `evaluationFrequency`/`windowSize` as ISO 8601 durations, `criteria.allOf[]`
 * with `query`, `timeAggregation` Count, `operator`, `threshold` (azure-native ScheduledQueryRule,
 * azurerm `azurerm_monitor_scheduled_query_rules_alert_v2`; both in the package typings, confirmed).
 */
import type { Issue } from '../../types';
import { SYSLOG_TAGS } from './boot-script';

/** One log alert: a KQL query over the workspace whose row count above `threshold` fires it. */
export interface AzureLogAlertSpec {
  /** Rule name suffix (`<cluster>-<name>`). */
  readonly name: string;
  readonly description: string;
  /** 0 critical … 4 verbose. */
  readonly severity: 0 | 1 | 2 | 3 | 4;
  readonly query: string;
  readonly evaluationFrequency: string;
  readonly windowSize: string;
  readonly timeAggregation: 'Count';
  readonly operator: 'GreaterThan';
  readonly threshold: number;
}

/** One metric alert on the load balancer. */
export interface AzureMetricAlertSpec {
  readonly name: string;
  readonly description: string;
  readonly severity: 0 | 1 | 2 | 3 | 4;
  readonly metricNamespace: 'Microsoft.Network/loadBalancers';
  readonly metricName: 'DipAvailability';
  readonly aggregation: 'Average';
  readonly operator: 'LessThan';
  /** Percent of health probes answered. */
  readonly threshold: number;
  readonly evaluationFrequency: string;
  readonly windowSize: string;
}

/** The alerts of a cluster. */
export interface AzureAlertsSpec {
  /** Created when e-mail addresses are given; every rule then notifies it. */
  readonly actionGroup?: { readonly shortName: string; readonly emails: readonly string[] };
  readonly logAlerts: readonly AzureLogAlertSpec[];
  readonly metricAlerts: readonly AzureMetricAlertSpec[];
}

/** Minutes without a health line before a node counts as silent (the timer logs every minute). */
export const SILENT_NODE_MINUTES = 10;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Problems with the alert e-mail addresses. */
export function alertEmailIssues(emails: readonly string[] | undefined, path = 'alertEmails'): Issue[] {
  return (emails ?? []).flatMap((e, i) => (EMAIL.test(e) ? [] : [{ path: `${path}[${i}]`, message: `${JSON.stringify(e)} is not an e-mail address` }]));
}

/**
 * Window durations a log alert accepts (azurerm `window_duration` validation; the same set the Azure
 * API takes for `windowSize`), minutes.
 */
export const LOG_ALERT_WINDOWS_MINUTES = [5, 10, 15, 30, 45, 60, 120, 180, 240, 300, 360, 1440, 2880] as const;

/** ISO 8601 duration of a window in minutes (`PT15M`, `PT2H`, `P1D`). */
export function isoMinutes(minutes: number): string {
  if (minutes % 1440 === 0) return `P${minutes / 1440}D`;
  return minutes % 60 === 0 ? `PT${minutes / 60}H` : `PT${minutes}M`;
}

const kqlString = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * The alerts for the VMs named `computers` (the VM names are their host names) and the cluster.
 * `restartGraceMinutes`: how long the engine may stay unhealthy (a restart reloads the weights)
 * before the engine alert fires.
 */
export function azureAlerts(clusterName: string, computers: readonly string[], restartGraceMinutes: number, emails: readonly string[] = []): AzureAlertsSpec {
  const health = kqlString(SYSLOG_TAGS.health);
  const expected = `datatable(Computer:string)[${computers.map(kqlString).join(', ')}]`;
  // The smallest allowed window that covers a restart; the engine alert fires when more than 80 % of
  // that window's one-a-minute health lines say unhealthy.
  const grace = LOG_ALERT_WINDOWS_MINUTES.find((m) => m >= restartGraceMinutes) ?? LOG_ALERT_WINDOWS_MINUTES.at(-1)!;
  const unhealthyLines = Math.floor(grace * 0.8);
  return {
    ...(emails.length > 0 ? { actionGroup: { shortName: clusterName.replace(/[^A-Za-z0-9]/g, '').slice(0, 12) || 'deepseek', emails: [...emails] } } : {}),
    logAlerts: [
      {
        name: 'node-silent', severity: 1, timeAggregation: 'Count', operator: 'GreaterThan', threshold: 0,
        description: `A node sent no health line for ${SILENT_NODE_MINUTES} minutes: VM stopped or failed, or its agent or health timer is down`,
        query: `${expected} | join kind=leftanti (Syslog | where TimeGenerated > ago(${SILENT_NODE_MINUTES}m) and ProcessName == ${health} | distinct Computer) on Computer`,
        evaluationFrequency: 'PT5M', windowSize: `PT${SILENT_NODE_MINUTES}M`,
      },
      {
        name: 'gpu-missing', severity: 1, timeAggregation: 'Count', operator: 'GreaterThan', threshold: 0,
        description: 'A node shows fewer GPUs than the plan (health timer), or its boot GPU check failed',
        query: `Syslog | where ProcessName == ${health} and (SyslogMessage contains "GPU missing" or SyslogMessage contains "boot failed")`,
        evaluationFrequency: 'PT5M', windowSize: 'PT10M',
      },
      {
        name: 'engine-unhealthy', severity: 2, timeAggregation: 'Count', operator: 'GreaterThan', threshold: unhealthyLines,
        description: `The serving rank's health path failed through the API front in more than ${unhealthyLines} of the last ${grace} minutes (longer than a restart that reloads the weights)`,
        query: `Syslog | where ProcessName == ${health} and SyslogMessage contains "engine=unhealthy"`,
        evaluationFrequency: 'PT5M', windowSize: isoMinutes(grace),
      },
    ],
    metricAlerts: [
      {
        name: 'lb-probe-down', severity: 1, metricNamespace: 'Microsoft.Network/loadBalancers', metricName: 'DipAvailability', aggregation: 'Average',
        operator: 'LessThan', threshold: 50, evaluationFrequency: 'PT5M', windowSize: 'PT15M',
        description: 'The load balancer\'s health probe found the serving rank down (health path through the API front) for more than half of 15 minutes',
      },
    ],
  };
}
