/**
 * Recovery wiring in the template, one test per failure mode of the README's operations section
 * that the infrastructure (rather than the boot script, see test/deploy/user-data-day2.test.ts)
 * handles: the serving node stops answering, an instance fails its EC2 status checks, the watchdog's
 * self-report reaches the right groups, a worker or the head is lost.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DeepSeekInferenceCluster } from '../../../constructs/cdk';

const stack = new Stack(new App(), 'Recovery');
const cluster = new DeepSeekInferenceCluster(stack, 'Cluster', { model: 'deepseek-v3', precision: 'bf16', clusterName: 'v3-recovery', monitoring: false, modelStore: false });
const t = Template.fromStack(stack);
const groups = t.findResources('AWS::AutoScaling::AutoScalingGroup');
const rankOf = (g: Record<string, any>) => (g.Properties.Tags as { Key: string; Value: string }[]).find((x) => x.Key === 'deepseek-iac:rank')!.Value;
const grace = cluster.blueprint.healthCheckGraceSeconds;

test('the serving node stops answering /health: 3 failed probes 30 s apart take it out of the load balancer; its group judges EC2 status (the node watchdog reports a dead engine after the restart grace)', () => {
  t.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
    HealthCheckProtocol: 'HTTP', HealthCheckPath: '/health', HealthCheckIntervalSeconds: 30, UnhealthyThresholdCount: 3,
  });
  const serving = Object.values(groups).filter((g) => rankOf(g) === '0');
  expect(serving).toHaveLength(1);
  expect(serving[0].Properties).toMatchObject({ HealthCheckType: 'EC2', HealthCheckGracePeriod: grace, TargetGroupARNs: [expect.anything()] });
});

test('an instance fails its EC2 status checks: every group replaces it (workers use EC2 health checks, after the same grace period)', () => {
  const workers = Object.values(groups).filter((g) => rankOf(g) !== '0');
  expect(workers).toHaveLength(cluster.plan.topology.nodes - 1);
  for (const w of workers) expect(w.Properties).toMatchObject({ HealthCheckType: 'EC2', HealthCheckGracePeriod: grace, MinSize: '1', MaxSize: '1' });
});

test('failed boot or lost GPU: the node may mark itself unhealthy, only in groups tagged with its own cluster', () => {
  t.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
      Sid: 'ReportOwnHealth', Action: 'autoscaling:SetInstanceHealth',
      Condition: { StringEquals: { 'autoscaling:ResourceTag/deepseek-iac:cluster': ['v3-recovery'] } },
    })]) },
  });
  // The condition only matches because every group itself carries the cluster tag.
  for (const g of Object.values(groups)) {
    expect(g.Properties.Tags).toContainEqual({ Key: 'deepseek-iac:cluster', Value: 'v3-recovery', PropagateAtLaunch: true });
  }
});

test('a worker or the head is lost: nodes can read the cluster membership (ec2:DescribeInstances) to restart their engines', () => {
  t.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'DiscoverHead', Action: 'ec2:DescribeInstances', Resource: '*' })]) },
  });
});

test('no node boots before its permissions exist: every group depends on the node policy', () => {
  const [policyId] = Object.keys(t.findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('^ClusterNodePolicy') } }));
  for (const g of Object.values(groups)) expect(g.DependsOn).toEqual(expect.arrayContaining([policyId]));
});
