/**
 * One rank's Auto Scaling group, from the blueprint: health checks (ELB on the serving rank, EC2 on
 * workers) after the grace period, the capacity decisions (reservation / Capacity Block on the launch
 * template, a prioritized mixed-instances policy for fallback types or Spot) and the scale-to-zero
 * schedule.
 */
import { Annotations, Duration } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import { groupScheduledActions, type AwsBlueprint, type CapacitySpec, type NodeGroupSpec } from '../../lib/deploy';

/** Apply a reservation or Capacity Block target to a launch template (the L2 has no such props). */
export function applyCapacityToLaunchTemplate(lt: ec2.LaunchTemplate, capacity: CapacitySpec | undefined): void {
  if (!capacity?.capacityReservationId) return;
  const cfn = lt.node.defaultChild as ec2.CfnLaunchTemplate;
  cfn.addPropertyOverride('LaunchTemplateData.CapacityReservationSpecification', {
    CapacityReservationTarget: { CapacityReservationId: capacity.capacityReservationId },
  });
  if (capacity.marketType) cfn.addPropertyOverride('LaunchTemplateData.InstanceMarketOptions', { MarketType: capacity.marketType });
}

/** The Auto Scaling group of one rank. */
export function nodeGroup(
  scope: Construct, group: NodeGroupSpec, bp: AwsBlueprint, vpc: ec2.IVpc, subnets: ec2.SubnetSelection, lt: ec2.LaunchTemplate,
): autoscaling.AutoScalingGroup {
  const grace = Duration.seconds(bp.healthCheckGraceSeconds);
  const capacity = bp.capacity;
  const mixed = capacity?.mixedInstances;
  const asg = new autoscaling.AutoScalingGroup(scope, `Rank${group.rank}`, {
    vpc,
    vpcSubnets: subnets,
    ...(mixed
      ? {
          mixedInstancesPolicy: {
            launchTemplate: lt,
            launchTemplateOverrides: capacity!.instanceTypes.map((t) => ({ instanceType: new ec2.InstanceType(t) })),
            instancesDistribution: {
              onDemandAllocationStrategy: autoscaling.OnDemandAllocationStrategy.PRIORITIZED,
              onDemandBaseCapacity: mixed.onDemandBaseCapacity,
              onDemandPercentageAboveBaseCapacity: mixed.onDemandPercentageAboveBaseCapacity,
              ...(mixed.spotAllocationStrategy ? { spotAllocationStrategy: autoscaling.SpotAllocationStrategy.CAPACITY_OPTIMIZED_PRIORITIZED } : {}),
            },
          },
        }
      : { launchTemplate: lt }),
    ...(capacity?.capacityRebalance ? { capacityRebalance: true } : {}),
    minCapacity: group.size,
    maxCapacity: group.size,
    desiredCapacity: group.size,
    // EC2 status only (group.healthCheckType): the node's watchdog judges the engine with a restart's patience.
    healthChecks: autoscaling.HealthChecks.ec2({ gracePeriod: grace }),
  });
  // min = max = desired: nothing scales it, so a deploy cannot reset a size someone changed.
  Annotations.of(asg).acknowledgeWarning('@aws-cdk/aws-autoscaling:desiredCapacitySet', 'fixed-size group: min = max = desired = the plan\'s node count per rank');
  for (const action of groupScheduledActions(bp).filter((a) => a.rank === group.rank)) {
    asg.scaleOnSchedule(action.id, {
      schedule: autoscaling.Schedule.expression(action.cron),
      timeZone: action.timeZone,
      minCapacity: action.size, maxCapacity: action.size, desiredCapacity: action.size,
    });
  }
  return asg;
}
