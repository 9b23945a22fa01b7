/**
 * Logs and GPU metrics: a Log Analytics workspace, the Azure Monitor agent on every VM, and a data
 * collection rule that sends the VM's syslog to the workspace's `Syslog` table. The boot script logs
 * the engine (facility local0, tag deepseek-engine), the health report and one CSV line of GPU
 * metrics per GPU every minute (facility local1, tags deepseek-health / deepseek-gpu); kern keeps
 * the GPU driver's errors (NVIDIA Xid, amdgpu resets).
 *
 * Sources (docs/azure-facts.md §7): data collection rules with `syslog` data sources
 * (`streams: ['Microsoft-Syslog']`, `facilityNames`, `logLevels`) and a `logAnalytics` destination;
 * the agent is the VM extension `Microsoft.Azure.Monitor` / `AzureMonitorLinuxAgent`; a VM with a
 * user-assigned identity names it in the extension's settings (`authentication.managedIdentity`).
 */
import { SYSLOG_FACILITIES } from './boot-script';

/** Log retention in the workspace when none is given, days. */
export const DEFAULT_LOG_ANALYTICS_RETENTION_DAYS = 30;

/** The agent extension. */
export const MONITOR_AGENT = { publisher: 'Microsoft.Azure.Monitor', type: 'AzureMonitorLinuxAgent', typeHandlerVersion: '1.0' } as const;

/** One syslog data source of the rule. */
export interface SyslogSourceSpec {
  readonly name: string;
  readonly facilityNames: readonly string[];
  readonly logLevels: readonly string[];
}

/** What the adapters build for monitoring. */
export interface AzureMonitoringSpec {
  readonly workspace: { readonly sku: 'PerGB2018'; readonly retentionInDays: number };
  readonly dataCollectionRule: {
    readonly stream: 'Microsoft-Syslog';
    readonly syslog: readonly SyslogSourceSpec[];
    readonly destinationName: string;
  };
  readonly agent: typeof MONITOR_AGENT;
  /** Example queries for the README and stack outputs. */
  readonly queries: Readonly<Record<'engine' | 'health' | 'gpuMetrics', string>>;
}

const SEVERITIES = ['Info', 'Notice', 'Warning', 'Error', 'Critical', 'Alert', 'Emergency'];

/** The monitoring of a cluster. Retention must be 30–730 days (Log Analytics interactive retention). */
export function azureMonitoring(retentionInDays = DEFAULT_LOG_ANALYTICS_RETENTION_DAYS): AzureMonitoringSpec {
  return {
    workspace: { sku: 'PerGB2018', retentionInDays },
    dataCollectionRule: {
      stream: 'Microsoft-Syslog',
      syslog: [
        { name: 'engine-and-health', facilityNames: [SYSLOG_FACILITIES.engine, SYSLOG_FACILITIES.health], logLevels: SEVERITIES },
        { name: 'kernel-and-daemons', facilityNames: ['kern', 'daemon'], logLevels: SEVERITIES.slice(2) },
      ],
      destinationName: 'workspace',
    },
    agent: MONITOR_AGENT,
    queries: {
      engine: 'Syslog | where ProcessName startswith "deepseek-engine" | project TimeGenerated, Computer, SyslogMessage',
      health: 'Syslog | where ProcessName == "deepseek-health" | project TimeGenerated, Computer, SyslogMessage',
      gpuMetrics: 'Syslog | where ProcessName == "deepseek-gpu" | project TimeGenerated, Computer, SyslogMessage',
    },
  };
}

/** Problems with a retention (Log Analytics: 30–730 days). */
export function retentionIssue(days: number | undefined, path = 'logRetentionDays'): { path: string; message: string } | undefined {
  if (days === undefined || (Number.isInteger(days) && days >= 30 && days <= 730)) return undefined;
  return { path, message: `${days} is not a Log Analytics retention; allowed: whole days from 30 to 730` };
}
