/**
 * Cost controls in the template: cost-allocation tags on every taggable resource (and on the
 * instances and volumes the launch templates start), the scale-to-zero schedule as scheduled actions
 * on every group, and the plan's hourly (and scheduled weekly) cost as stack outputs.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DeepSeekInferenceCluster } from '../../../constructs/cdk';

const COST_TAGS = { 'cost-center': 'ml-42', project: 'reasoning' };
const stack = new Stack(new App(), 'Costed');
const cluster = new DeepSeekInferenceCluster(stack, 'Cluster', {
  model: 'deepseek-v3', precision: 'bf16', clusterName: 'v3-costed', costAllocationTags: COST_TAGS,
  schedule: { stopCron: '0 20 * * 1-5', startCron: '0 7 * * 1-5', timeZone: 'America/New_York' },
});
const t = Template.fromStack(stack);
const resources = Object.entries(t.toJSON().Resources as Record<string, { Type: string; Properties?: Record<string, any> }>);
const EXPECTED = { ...COST_TAGS, 'deepseek-iac:cluster': 'v3-costed', 'deepseek-iac:model': 'deepseek-v3' };

/** Tags of a resource as a key → value map, whatever the property's shape (list of {Key, Value} or a map). */
function tagsOf(props: Record<string, any> | undefined): Record<string, string> | undefined {
  const tags = props?.Tags;
  if (tags === undefined) return undefined;
  return Array.isArray(tags) ? Object.fromEntries(tags.map((x: { Key: string; Value: string }) => [x.Key, x.Value])) : tags;
}

describe('cost-allocation tags', () => {
  test('every resource that takes tags carries the cost tags and the cluster tags', () => {
    const tagged = resources.filter(([, r]) => r.Properties?.Tags !== undefined);
    expect(tagged.length).toBeGreaterThan(30);
    for (const [id, r] of tagged) expect({ id, tags: tagsOf(r.Properties) }).toEqual({ id, tags: expect.objectContaining(EXPECTED) });
  });

  test('the billable resources are among them: instances, volumes, NAT, load balancer, buckets, logs, key, endpoints', () => {
    const typesTagged = new Set(resources.filter(([, r]) => r.Properties?.Tags !== undefined).map(([, r]) => r.Type));
    for (const type of [
      'AWS::AutoScaling::AutoScalingGroup', 'AWS::EC2::NatGateway', 'AWS::EC2::EIP', 'AWS::EC2::VPCEndpoint',
      'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::S3::Bucket', 'AWS::Logs::LogGroup', 'AWS::KMS::Key', 'AWS::SecretsManager::Secret',
      'AWS::SNS::Topic', 'AWS::CloudWatch::Alarm',
    ]) expect([type, typesTagged.has(type)]).toEqual([type, true]);
  });

  test('instances and their EBS volumes get the tags at launch (ASG propagation and launch-template tag specifications)', () => {
    for (const [, r] of resources.filter(([, x]) => x.Type === 'AWS::AutoScaling::AutoScalingGroup')) {
      for (const key of Object.keys(EXPECTED)) expect(r.Properties!.Tags).toContainEqual(expect.objectContaining({ Key: key, PropagateAtLaunch: true }));
    }
    for (const [, r] of resources.filter(([, x]) => x.Type === 'AWS::EC2::LaunchTemplate')) {
      const specs = r.Properties!.LaunchTemplateData.TagSpecifications as { ResourceType: string; Tags: { Key: string; Value: string }[] }[];
      for (const type of ['instance', 'volume']) {
        expect(tagsOf(specs.find((s) => s.ResourceType === type))).toEqual(expect.objectContaining(EXPECTED));
      }
    }
  });
});

describe('scale-to-zero schedule', () => {
  test('every rank\'s group stops at 20:00 and starts at 07:00 on weekdays, New York time', () => {
    const actions = resources.filter(([, r]) => r.Type === 'AWS::AutoScaling::ScheduledAction').map(([, r]) => r.Properties!);
    expect(actions).toHaveLength(2 * cluster.plan.topology.nodes);
    const groups = resources.filter(([, r]) => r.Type === 'AWS::AutoScaling::AutoScalingGroup').map(([id]) => id);
    for (const g of groups) {
      const mine = actions.filter((a) => a.AutoScalingGroupName.Ref === g);
      expect(mine).toEqual(expect.arrayContaining([
        expect.objectContaining({ Recurrence: '0 20 * * 1-5', TimeZone: 'America/New_York', MinSize: 0, MaxSize: 0, DesiredCapacity: 0 }),
        expect.objectContaining({ Recurrence: '0 7 * * 1-5', TimeZone: 'America/New_York', MinSize: 1, MaxSize: 1, DesiredCapacity: 1 }),
      ]));
    }
  });
});

describe('cost outputs', () => {
  const outputs = t.toJSON().Outputs as Record<string, { Value: string; Description: string }>;
  const find = (prefix: string) => Object.entries(outputs).find(([id]) => id.startsWith(prefix))?.[1];

  test('hourly cost of all nodes at the plan\'s price', () => {
    const hourly = find('ClusterHourlyCostUsd')!;
    expect(hourly.Value).toBe(cluster.plan.cost.hourlyUsd!.toFixed(2));
    expect(hourly.Description).toContain(`${cluster.plan.topology.nodes} × ${cluster.plan.topology.instanceType}`);
  });

  test('weekly cost under the schedule: 13 h × 5 weekdays = 65 running hours', () => {
    expect(find('ClusterWeeklyCostUsd')!.Value).toBe((cluster.plan.cost.hourlyUsd! * 65).toFixed(2));
  });
});
