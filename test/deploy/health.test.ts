/** Grace period and NLB probe. */
import { planDeployment } from '../../lib/plan/planner';
import { healthCheckGraceSeconds, loadBalancerHealthCheck } from '../../lib/deploy/health';

describe('healthCheckGraceSeconds', () => {
  test.each([
    // 600 boot + 0 + 0 + 900 warm-up = 1500 s = 25 min.
    [0, 1500],
    // 1 TB: 600 + 1e12/1e8 (10,000 s download) + 1e12/5e8 (2,000 s load) + 900 = 13,500 s = 225 min.
    [1e12, 13_500],
    // 3.6 GB: 600 + 36 + 7.2 + 900 = 1543.2 s → rounded up to the next minute, 1560 s.
    [3.6e9, 1560],
  ])('checkpoint %d bytes → %d s', (bytes, seconds) => {
    expect(healthCheckGraceSeconds(bytes)).toBe(seconds);
  });

  test('grows with the checkpoint and is whole minutes', () => {
    const a = healthCheckGraceSeconds(7e11);
    const b = healthCheckGraceSeconds(1.4e12);
    expect(b).toBeGreaterThan(a);
    expect(a % 60).toBe(0);
  });
});

describe('loadBalancerHealthCheck', () => {
  test.each([
    ['vllm', 8000],
    ['sglang', 30000],
  ] as const)('%s: HTTP /health on the engine port', (engine, port) => {
    const plan = planDeployment({ model: 'deepseek-r1-distill-qwen-1.5b', engine });
    const hc = loadBalancerHealthCheck(plan);
    expect(hc).toMatchObject({ protocol: 'HTTP', path: '/health', port });
    // NLB limits: interval 5–300 s, timeout 2–120 s, thresholds 2–10.
    expect(hc.intervalSeconds).toBeGreaterThanOrEqual(5);
    expect(hc.intervalSeconds).toBeLessThanOrEqual(300);
    expect(hc.timeoutSeconds).toBeGreaterThanOrEqual(2);
    expect(hc.timeoutSeconds).toBeLessThan(hc.intervalSeconds);
    for (const t of [hc.healthyThreshold, hc.unhealthyThreshold]) expect(t).toBeGreaterThanOrEqual(2);
  });
});

describe('healthCheckGraceSeconds with a faster download path', () => {
  test('S3 at 500 MB/s: 1 TB → 600 + 2,000 + 2,000 + 900 = 5,500 s → 5,520 s (92 whole minutes)', () => {
    expect(healthCheckGraceSeconds(1e12, 500e6)).toBe(5520);
    expect(healthCheckGraceSeconds(1e12, 500e6)).toBeLessThan(healthCheckGraceSeconds(1e12));
  });
});
