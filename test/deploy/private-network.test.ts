/** VPC endpoints the nodes need to run without NAT. */
import { planDeployment } from '../../lib/plan/planner';
import { TLS_POLICY, vpcEndpoints } from '../../lib/deploy/private-network';

describe('vpcEndpoints', () => {
  const single = planDeployment({ model: 'deepseek-r1-distill-qwen-1.5b' });
  const multi = planDeployment({ model: 'deepseek-v3', precision: 'bf16' });

  test('single node with metrics: S3 gateway plus the SSM, Secrets Manager, Logs, Auto Scaling and CloudWatch interfaces', () => {
    expect(vpcEndpoints(single, { metrics: true, reportUnhealthy: true }).map((e) => `${e.kind}:${e.service}`)).toEqual([
      'gateway:s3', 'interface:ssm', 'interface:ssmmessages', 'interface:ec2messages', 'interface:secretsmanager',
      'interface:logs', 'interface:autoscaling', 'interface:monitoring',
    ]);
  });

  test('multi-node adds EC2 (head discovery, membership); no metrics, no monitoring endpoint; no self-reporting, no Auto Scaling endpoint', () => {
    const services = vpcEndpoints(multi, { metrics: false }).map((e) => e.service);
    expect(services).toContain('ec2');
    expect(services).not.toContain('monitoring');
    expect(services).not.toContain('autoscaling');
  });

  test('each endpoint says why', () => {
    for (const e of vpcEndpoints(multi, { metrics: true })) expect(e.reason.length).toBeGreaterThan(10);
  });

  test('TLS policy: TLS 1.3 and 1.2 (the CDK\'s RECOMMENDED_TLS)', () => {
    expect(TLS_POLICY).toBe('ELBSecurityPolicy-TLS13-1-2-2021-06');
  });
});
