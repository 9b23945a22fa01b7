/**
 * Read a synthesized CDK cluster (CloudFormation template) into the adapter-neutral `ObservedCluster`.
 * Intrinsics are rendered as text: `Ref AWS::Partition` → `aws`, any other Ref / GetAtt → `<ref>`.
 */
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import type { DeepSeekInferenceCluster } from '../../constructs/cdk';
import { REF, topicGrants, sortActions, sortAlarms, sortFilters, sortRules, userDataFields, type ObservedCapacity, type ObservedCluster, type ObservedRule } from './observed';

type Props = Record<string, any>;
interface CfnResource { readonly Type: string; readonly Properties?: Props }

/** A CloudFormation value as text, intrinsics normalized. */
export function renderCfn(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  const o = v as Props;
  if ('Ref' in o) return o.Ref === 'AWS::Partition' ? 'aws' : REF;
  if ('Fn::GetAtt' in o) return REF;
  if ('Fn::Join' in o) {
    const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
    return parts.map(renderCfn).join(sep);
  }
  if ('Fn::Base64' in o) return renderCfn(o['Fn::Base64']);
  throw new Error(`unexpected intrinsic ${JSON.stringify(v)}`);
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Observe `cluster` in `stack`. */
export function observeCdk(stack: Stack, cluster: DeepSeekInferenceCluster): ObservedCluster {
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, CfnResource>;
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type).map(([id, r]) => [id, r.Properties ?? {}] as const);
  const logicalId = (c: IConstruct) => stack.getLogicalId(c.node.defaultChild as CfnElement);
  const sgRole: Record<string, 'cluster' | 'loadBalancer'> = {
    [logicalId(cluster.securityGroup)]: 'cluster',
    [logicalId(cluster.loadBalancerSecurityGroup)]: 'loadBalancer',
  };
  const roleOf = (ref: unknown): 'cluster' | 'loadBalancer' => {
    const id = (ref as Props)['Fn::GetAtt']?.[0] ?? (ref as Props).Ref;
    const role = sgRole[id];
    if (!role) throw new Error(`rule refers to an unknown security group ${JSON.stringify(ref)}`);
    return role;
  };
  const rule = (group: 'cluster' | 'loadBalancer', r: Props): ObservedRule => {
    const peer = r.CidrIp !== undefined ? `cidr:${r.CidrIp}` : r.CidrIpv6 !== undefined ? `cidr:${r.CidrIpv6}`
      : `sg:${roleOf(r.SourceSecurityGroupId ?? r.DestinationSecurityGroupId)}`;
    return r.IpProtocol === '-1'
      ? { group, peer, protocol: 'all' }
      : { group, peer, protocol: r.IpProtocol, fromPort: r.FromPort, toPort: r.ToPort };
  };

  const ingress: ObservedRule[] = [];
  const egress: ObservedRule[] = [];
  for (const [id, p] of ofType('AWS::EC2::SecurityGroup')) {
    if (!sgRole[id]) continue;
    for (const r of list<Props>(p.SecurityGroupIngress)) ingress.push(rule(sgRole[id], r));
    for (const r of list<Props>(p.SecurityGroupEgress)) egress.push(rule(sgRole[id], r));
  }
  for (const [, p] of ofType('AWS::EC2::SecurityGroupIngress')) ingress.push(rule(roleOf(p.GroupId), p));
  for (const [, p] of ofType('AWS::EC2::SecurityGroupEgress')) egress.push(rule(roleOf(p.GroupId), p));

  const launchTemplates = Object.fromEntries(ofType('AWS::EC2::LaunchTemplate'));
  const workerRoleId = cluster.workerRole ? logicalId(cluster.workerRole) : undefined;
  // A launch template's instance profile (`Fn::GetAtt [profile, Arn]`) → the role it holds.
  const roleOfProfile = (arn: Props): 'node' | 'worker' => {
    const profile = resources[arn['Fn::GetAtt'][0]].Properties as Props;
    return list<Props>(profile.Roles)[0]!.Ref === workerRoleId ? 'worker' : 'node';
  };
  const scheduled = ofType('AWS::AutoScaling::ScheduledAction');
  const nodeGroups = ofType('AWS::AutoScaling::AutoScalingGroup').map(([asgId, asg]) => {
    const mixed = asg.MixedInstancesPolicy as Props | undefined;
    const ltRef = (asg.LaunchTemplate ?? mixed!.LaunchTemplate.LaunchTemplateSpecification).LaunchTemplateId.Ref as string;
    const data = launchTemplates[ltRef].LaunchTemplateData as Props;
    const dist = mixed?.InstancesDistribution as Props | undefined;
    const capacity: ObservedCapacity = {
      ...(data.CapacityReservationSpecification ? { capacityReservationId: data.CapacityReservationSpecification.CapacityReservationTarget.CapacityReservationId } : {}),
      ...(data.InstanceMarketOptions ? { marketType: data.InstanceMarketOptions.MarketType } : {}),
      overrides: list<Props>(mixed?.LaunchTemplate.Overrides).map((o) => o.InstanceType),
      ...(dist
        ? {
            distribution: {
              onDemandAllocationStrategy: dist.OnDemandAllocationStrategy,
              ...(dist.SpotAllocationStrategy !== undefined ? { spotAllocationStrategy: dist.SpotAllocationStrategy } : {}),
              onDemandBaseCapacity: dist.OnDemandBaseCapacity,
              onDemandPercentageAboveBaseCapacity: dist.OnDemandPercentageAboveBaseCapacity,
            },
          }
        : {}),
      capacityRebalance: asg.CapacityRebalance === true,
    };
    const instanceTags = Object.fromEntries(list<Props>(asg.Tags).filter((t) => t.PropagateAtLaunch).map((t) => [t.Key, t.Value]));
    return {
      rank: Number(instanceTags['deepseek-iac:rank']),
      instanceType: data.InstanceType,
      minSize: Number(asg.MinSize),
      maxSize: Number(asg.MaxSize),
      desiredCapacity: Number(asg.DesiredCapacity),
      subnetCount: list(asg.VPCZoneIdentifier).length,
      volumes: list<Props>(data.BlockDeviceMappings).map((b) => ({
        deviceName: b.DeviceName, sizeGiB: b.Ebs.VolumeSize, volumeType: b.Ebs.VolumeType, encrypted: b.Ebs.Encrypted,
        ...(b.Ebs.Throughput !== undefined ? { throughputMiBps: b.Ebs.Throughput } : {}),
        ...(b.Ebs.Iops !== undefined ? { iops: b.Ebs.Iops } : {}),
      })),
      httpTokens: data.MetadataOptions.HttpTokens,
      hopLimit: data.MetadataOptions.HttpPutResponseHopLimit,
      networkInterfaces: list<Props>(data.NetworkInterfaces).map((n) => ({ networkCardIndex: n.NetworkCardIndex, deviceIndex: n.DeviceIndex, interfaceType: n.InterfaceType })),
      inPlacementGroup: data.Placement?.GroupName !== undefined,
      healthCheckType: asg.HealthCheckType,
      healthCheckGraceSeconds: asg.HealthCheckGracePeriod,
      servesTraffic: list(asg.TargetGroupARNs).length > 0,
      instanceTags,
      ...userDataFields(renderCfn(data.UserData)),
      capacity,
      instanceRole: roleOfProfile(data.IamInstanceProfile.Arn),
      scheduledActions: sortActions(scheduled.filter(([, a]) => a.AutoScalingGroupName.Ref === asgId).map(([, a]) => ({
        cron: a.Recurrence, timeZone: a.TimeZone, minSize: Number(a.MinSize), maxSize: Number(a.MaxSize), desiredCapacity: Number(a.DesiredCapacity),
      }))),
    };
  }).sort((a, b) => a.rank - b.rank);

  const [[, nlb]] = ofType('AWS::ElasticLoadBalancingV2::LoadBalancer');
  const [[, listener]] = ofType('AWS::ElasticLoadBalancingV2::Listener');
  const [[, tg]] = ofType('AWS::ElasticLoadBalancingV2::TargetGroup');
  const placement = ofType('AWS::EC2::PlacementGroup');
  const roleId = logicalId(cluster.role);
  const role = resources[roleId].Properties!;
  const policies = ofType('AWS::IAM::Policy').filter(([, p]) => list<Props>(p.Roles).some((r) => r.Ref === roleId));

  const statementsOf = (ps: ReadonlyArray<readonly [string, Props]>) => ps
    .flatMap(([, p]) => list<Props>(p.PolicyDocument.Statement))
    .map((s) => ({
      sid: s.Sid as string,
      actions: list<string>(s.Action),
      resources: list(s.Resource).map(renderCfn),
      ...(s.Condition ? { conditions: s.Condition } : {}),
    }))
    .sort((a, b) => a.sid.localeCompare(b.sid));

  return {
    nodeGroups,
    ...(placement.length > 0 ? { placementStrategy: placement[0][1].Strategy } : {}),
    ingress: sortRules(ingress),
    egress: sortRules(egress),
    loadBalancer: {
      internal: nlb.Scheme === 'internal',
      type: nlb.Type,
      crossZone: list<Props>(nlb.LoadBalancerAttributes).some((a) => a.Key === 'load_balancing.cross_zone.enabled' && a.Value === 'true'),
      listenerPort: listener.Port,
      listenerProtocol: listener.Protocol,
      ...(listener.Protocol === 'TLS' ? { tls: { certificateArn: list<Props>(listener.Certificates)[0]?.CertificateArn, sslPolicy: listener.SslPolicy } } : {}),
      targetPort: tg.Port,
      targetProtocol: tg.Protocol,
      healthCheck: {
        protocol: tg.HealthCheckProtocol, path: tg.HealthCheckPath, port: tg.HealthCheckPort,
        intervalSeconds: tg.HealthCheckIntervalSeconds, timeoutSeconds: tg.HealthCheckTimeoutSeconds,
        healthyThreshold: tg.HealthyThresholdCount, unhealthyThreshold: tg.UnhealthyThresholdCount,
      },
    },
    alarms: sortAlarms(ofType('AWS::CloudWatch::Alarm').map(([, a]) => ({
      metricNames: a.MetricName !== undefined ? [a.MetricName] : list<Props>(a.Metrics).filter((m) => m.MetricStat).map((m) => m.MetricStat.Metric.MetricName),
      threshold: a.Threshold, comparison: a.ComparisonOperator, evaluationPeriods: a.EvaluationPeriods, datapointsToAlarm: a.DatapointsToAlarm,
    }))),
    alarmTopicGrants: topicGrants(ofType('AWS::SNS::TopicPolicy').flatMap(([, p]) => list<Props>(p.PolicyDocument.Statement)), renderCfn),
    metricFilters: sortFilters(ofType('AWS::Logs::MetricFilter').map(([, f]) => ({ metricName: f.MetricTransformations[0].MetricName, pattern: f.FilterPattern }))),
    loadBalancerTags: Object.fromEntries(list<Props>(nlb.Tags).map((t) => [t.Key, t.Value])),
    managedPolicies: list(role.ManagedPolicyArns).map((a) => renderCfn(a).replace(/^arn:aws:iam::aws:policy\//, '')).sort(),
    statements: statementsOf(policies),
    workerStatements: statementsOf(workerRoleId ? ofType('AWS::IAM::Policy').filter(([, p]) => list<Props>(p.Roles).some((r) => r.Ref === workerRoleId)) : []),
  };
}
