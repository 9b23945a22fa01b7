/** VPC endpoints the nodes need to run without NAT. */
import { planDeployment } from '../../lib/plan/planner';
import { TLS_POLICY, vpcEndpoints } from '../../lib/deploy/private-network';
import { awsBlueprint } from '../../lib/deploy/blueprint';

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

  test('issue 13 §5: each interface endpoint for a service the node policy lists in full carries those statements, naming the cluster\'s resources only', () => {
    const secret = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:api-AbCdEf';
    const logGroup = 'arn:aws:logs:us-east-1:111122223333:log-group:/deepseek/engine';
    const bp = awsBlueprint(multi, { clusterName: 'ep', apiKeySecret: { id: secret, policyArn: secret }, logGroup: { name: '/deepseek/engine', arn: logGroup }, partition: 'aws', reportUnhealthy: true });
    const policyOf = (service: string) => bp.vpcEndpoints!.find((e) => e.service === service)!.policy;
    expect(policyOf('secretsmanager')).toEqual([expect.objectContaining({ actions: ['secretsmanager:GetSecretValue'], resources: [secret] })]);
    expect(policyOf('logs')!.flatMap((st) => st.resources)).toEqual([`${logGroup}:*`]);
    expect(policyOf('autoscaling')![0]!.conditions).toEqual({ StringEquals: { 'autoscaling:ResourceTag/deepseek-iac:cluster': ['ep'] } });
    expect(policyOf('ec2')).toEqual([expect.objectContaining({ actions: ['ec2:DescribeInstances'] })]);
    // The SSM channels and the S3 gateway keep the default policy (see VpcEndpointSpec.policy).
    for (const service of ['ssm', 'ssmmessages', 'ec2messages', 's3']) expect([service, policyOf(service)]).toEqual([service, undefined]);
  });

  test('TLS policy: TLS 1.3 and 1.2 (the CDK\'s RECOMMENDED_TLS)', () => {
    expect(TLS_POLICY).toBe('ELBSecurityPolicy-TLS13-1-2-2021-06');
  });
});
