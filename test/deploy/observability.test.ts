/**
 * Observability data: the agent configuration, the log metric filter patterns (checked against the
 * CloudWatch Logs regex rules and against access-log lines in uvicorn's format), alarm thresholds.
 */
import { planDeployment } from '../../lib/plan/planner';
import {
  agentConfigParameterName, alarmSpecs, cloudWatchAgentConfig, dashboardWidgets, gpuMemoryThresholdPercent, HTTP_5XX_PATTERN, HTTP_RESPONSE_PATTERN,
  metricFilters, metricsNamespace, XID_PATTERN,
} from '../../lib/deploy/observability';

const plan = planDeployment({ model: 'deepseek-r1', precision: 'fp8', maxNodes: 1 });

/**
 * Access-log lines as uvicorn writes them (`<levelprefix> <client> - "<request line>" <status> <phrase>`,
 * uvicorn's default access format), for vLLM and SGLang.
 */
const LINES = {
  ok: 'INFO:     10.0.1.23:51234 - "POST /v1/chat/completions HTTP/1.1" 200 OK',
  notFound: 'INFO:     10.0.1.23:51234 - "GET /v1/nope HTTP/1.1" 404 Not Found',
  error: 'INFO:     10.0.1.23:51234 - "POST /v1/completions HTTP/1.1" 500 Internal Server Error',
  unavailable: 'INFO:     10.0.1.23:51234 - "POST /v1/chat/completions HTTP/1.1" 503 Service Unavailable',
  engineLog: 'INFO 05-01 12:00:00 [metrics.py:455] Avg prompt throughput: 5000.0 tokens/s, running: 12 reqs',
};

/** A `%regex%` CloudWatch filter pattern as a JavaScript RegExp (the constructs used are the same in both). */
function asRegExp(pattern: string): RegExp {
  expect(pattern.startsWith('%') && pattern.endsWith('%')).toBe(true);
  return new RegExp(pattern.slice(1, -1));
}

describe('log metric filter patterns', () => {
  test.each([HTTP_5XX_PATTERN, HTTP_RESPONSE_PATTERN])('%s uses only what CloudWatch Logs regex patterns allow', (pattern) => {
    // Letters, digits, : _ # = @ / ; , - and the operators ^ $ ? [ ] { } | \ * + . — no quotes, spaces or parentheses.
    expect(pattern.slice(1, -1)).toMatch(/^[A-Za-z0-9:_#=@/;,\-^$?[\]{}|\\*+.]+$/);
  });

  test('5xx matches 500 and 503 responses only', () => {
    const re = asRegExp(HTTP_5XX_PATTERN);
    expect([LINES.error, LINES.unavailable].every((l) => re.test(l))).toBe(true);
    expect([LINES.ok, LINES.notFound, LINES.engineLog].some((l) => re.test(l))).toBe(false);
  });

  test('responses match every access-log line and no other engine log line', () => {
    const re = asRegExp(HTTP_RESPONSE_PATTERN);
    expect([LINES.ok, LINES.notFound, LINES.error, LINES.unavailable].every((l) => re.test(l))).toBe(true);
    expect(re.test(LINES.engineLog)).toBe(false);
  });

  test('XID: an exact-phrase match on the driver\'s "NVRM: Xid" prefix', () => {
    expect(XID_PATTERN).toBe('"NVRM: Xid"');
    expect(metricFilters().map((f) => [f.id, f.logGroup])).toEqual([['HttpRequests', 'engine'], ['Http5xx', 'engine'], ['GpuXid', 'system']]);
    // At most 5 regex filters per log group: 2 on the engine log.
    expect(metricFilters().filter((f) => f.logGroup === 'engine' && f.filterPattern.startsWith('%'))).toHaveLength(2);
  });
});

describe('cloudWatchAgentConfig', () => {
  test('GPU utilization, memory and temperature per GPU, aggregated per cluster; kernel log to the system group', () => {
    const c = cloudWatchAgentConfig('r1-prod', 'system-logs') as any;
    expect(c.metrics.namespace).toBe('DeepSeekIac/r1-prod');
    expect(c.metrics.metrics_collected.nvidia_gpu).toEqual({
      measurement: ['utilization_gpu', 'memory_used', 'memory_total', 'temperature_gpu'],
      append_dimensions: { ClusterName: 'r1-prod' },
    });
    expect(c.metrics.aggregation_dimensions).toEqual([['ClusterName']]);
    expect(c.logs.logs_collected.files.collect_list).toEqual([{ file_path: '/var/log/kern.log', log_group_name: 'system-logs', log_stream_name: '{instance_id}/kern.log' }]);
    expect(metricsNamespace('r1-prod')).toBe(c.metrics.namespace);
    expect(agentConfigParameterName('r1-prod')).toBe('/deepseek-iac/r1-prod/cloudwatch-agent');
  });
});

describe('alarmSpecs', () => {
  test('GPU memory threshold: 5 points above the engine\'s preallocation (0.90 → 95 %)', () => {
    expect(plan.memory.gpuMemoryUtilization).toBe(0.9);
    expect(gpuMemoryThresholdPercent(plan)).toBe(95);
    expect(gpuMemoryThresholdPercent({ ...plan, memory: { ...plan.memory, gpuMemoryUtilization: 0.97 } })).toBe(99);
  });

  test('unhealthy-target alarm waits out a whole boot: ceil(grace / 300 s) + 1 five-minute periods', () => {
    // Grace 9,780 s (R1 from Hugging Face): ceil(32.6) + 1 = 34 periods = 170 minutes.
    const a = alarmSpecs(plan, 9780).find((x) => x.id === 'UnhealthyTargets')!;
    expect(a.evaluationPeriods).toBe(34);
    expect(a.datapointsToAlarm).toBe(34);
    expect(a.metrics[0]).toMatchObject({ namespace: 'AWS/NetworkELB', metricName: 'UnHealthyHostCount', dimensions: 'target-group', periodSeconds: 300 });
    // CloudWatch evaluates at most a day: 288 five-minute periods.
    expect(alarmSpecs(plan, 200_000).find((x) => x.id === 'UnhealthyTargets')!.evaluationPeriods).toBe(288);
  });

  test('every alarm ignores missing data (a cluster scaled to zero is not an incident)', () => {
    const alarms = alarmSpecs(plan, 1560);
    expect(alarms.map((a) => a.id)).toEqual(['UnhealthyTargets', 'Http5xxRate', 'GpuMemoryHigh', 'GpuXidErrors']);
    for (const a of alarms) expect(a.treatMissingData).toBe('notBreaching');
    expect(alarms.find((a) => a.id === 'Http5xxRate')).toMatchObject({ expression: 'IF(requests > 0, 100 * errors / requests, 0)', threshold: 5 });
  });

  test('dashboard: targets, responses, then GPU utilization, memory, temperature, XID', () => {
    expect(dashboardWidgets().map((w) => w.title)).toEqual([
      'API targets', 'HTTP responses and 5xx', 'GPU utilization', 'GPU memory used (fullest GPU)', 'GPU temperature (hottest GPU)', 'GPU XID errors',
    ]);
  });
});
