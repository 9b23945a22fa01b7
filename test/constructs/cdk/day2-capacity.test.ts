/**
 * Capacity in the template: fallback instance types as a prioritized mixed-instances policy, Spot
 * with capacity rebalancing and a warning, an On-Demand Capacity Reservation and a Capacity Block on
 * the launch templates, and the errors for combinations that cannot work.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { DeepSeekInferenceCluster, DeepSeekInferenceClusterError, type DeepSeekInferenceClusterProps } from '../../../constructs/cdk';
import { fallbackCandidates } from '../../../lib/deploy/capacity';

/** Day-2 features not under test are off to keep each synth small. */
const LEAN = { monitoring: false, modelStore: false } as const;

function synth(props: DeepSeekInferenceClusterProps) {
  const stack = new Stack(new App(), 'Capacity');
  const cluster = new DeepSeekInferenceCluster(stack, 'Cluster', { ...LEAN, ...props });
  return { stack, cluster, t: Template.fromStack(stack) };
}

describe('fallback instance types (single node)', () => {
  const { cluster, t } = synth({ model: 'deepseek-r1-distill-qwen-1.5b', capacity: { fallbackInstanceTypes: 2 } });

  test('mixed-instances policy: the planned type first, then the two cheapest compatible alternatives, On-Demand prioritized', () => {
    const expected = [cluster.plan.topology.instanceType, ...fallbackCandidates(cluster.plan, cluster.blueprint.storage).slice(0, 2).map((c) => c.instanceType)];
    expect(expected).toEqual(['g6.xlarge', 'g6.2xlarge', 'g6.4xlarge']);
    t.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      MixedInstancesPolicy: {
        LaunchTemplate: {
          LaunchTemplateSpecification: { LaunchTemplateId: { Ref: Match.stringLikeRegexp('^ClusterLaunchTemplateRank0') } },
          Overrides: expected.map((InstanceType) => ({ InstanceType })),
        },
        InstancesDistribution: { OnDemandAllocationStrategy: 'prioritized', OnDemandBaseCapacity: 0, OnDemandPercentageAboveBaseCapacity: 100 },
      },
      LaunchTemplate: Match.absent(),
      MinSize: '1', MaxSize: '1',
    });
  });
});

describe('Spot for non-critical use', () => {
  const { stack, t } = synth({ model: 'deepseek-r1-distill-qwen-1.5b', capacity: { spot: true } });

  test('Spot only, capacity-optimized-prioritized, proactive capacity rebalancing', () => {
    t.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      CapacityRebalance: true,
      MixedInstancesPolicy: {
        InstancesDistribution: { OnDemandPercentageAboveBaseCapacity: 0, SpotAllocationStrategy: 'capacity-optimized-prioritized' },
        LaunchTemplate: { Overrides: [{ InstanceType: 'g6.xlarge' }] },
      },
    });
  });

  test('warns on the construct', () => {
    const w = Annotations.fromStack(stack).findWarning('/Capacity/Cluster', Match.stringLikeRegexp('Spot instances can be reclaimed'));
    expect(w).toHaveLength(1);
  });
});

describe('On-Demand Capacity Reservation', () => {
  const { t } = synth({ model: 'deepseek-r1-distill-qwen-1.5b', capacity: { capacityReservationId: 'cr-0123456789abcdef0' } });

  test('the launch template targets the reservation; no market type; the group uses the launch template directly', () => {
    t.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: {
        CapacityReservationSpecification: { CapacityReservationTarget: { CapacityReservationId: 'cr-0123456789abcdef0' } },
        InstanceMarketOptions: Match.absent(),
      },
    });
    t.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { LaunchTemplate: Match.anyValue(), MixedInstancesPolicy: Match.absent() });
  });
});

describe('Capacity Block on a multi-node plan', () => {
  const { cluster, t } = synth({ model: 'deepseek-v3', precision: 'bf16', capacity: { capacityBlockId: 'cr-0fedcba9876543210' } });

  test('every rank\'s launch template: market type capacity-block and the block as reservation target', () => {
    const lts = t.findResources('AWS::EC2::LaunchTemplate');
    expect(Object.keys(lts)).toHaveLength(cluster.plan.topology.nodes);
    for (const lt of Object.values(lts)) {
      expect(lt.Properties.LaunchTemplateData).toMatchObject({
        InstanceMarketOptions: { MarketType: 'capacity-block' },
        CapacityReservationSpecification: { CapacityReservationTarget: { CapacityReservationId: 'cr-0fedcba9876543210' } },
        InstanceType: cluster.plan.topology.instanceType,
      });
    }
  });
});

describe('capacity choices that cannot work fail at synth, naming the prop', () => {
  test.each<[string, DeepSeekInferenceClusterProps, string]>([
    ['fallback types on a multi-node plan', { model: 'deepseek-v3', precision: 'bf16', capacity: { fallbackInstanceTypes: true } }, 'capacity.fallbackInstanceTypes: the plan has'],
    ['Spot with a reservation', { model: 'deepseek-r1-distill-qwen-1.5b', capacity: { spot: true, capacityReservationId: 'cr-0123456789abcdef0' } }, 'capacity.spot: Spot cannot be combined'],
    ['a malformed reservation id', { model: 'deepseek-r1-distill-qwen-1.5b', capacity: { capacityBlockId: 'block-1' } }, 'capacity.capacityBlockId: "block-1" is not an EC2 reservation id'],
  ])('%s', (_name, props, message) => {
    const stack = new Stack(new App(), 'Bad');
    expect(() => new DeepSeekInferenceCluster(stack, 'Cluster', { ...LEAN, ...props })).toThrow(DeepSeekInferenceClusterError);
    expect(() => new DeepSeekInferenceCluster(new Stack(new App(), 'Bad2'), 'Cluster', { ...LEAN, ...props })).toThrow(message);
  });
});
