/**
 * Read the resources a Pulumi cluster registered with the mocks into the adapter-neutral
 * `ObservedCluster`. Mocked ARNs (`mock-arn:<name>`) are normalized to `<ref>`; the mocked
 * partition is `aws`.
 */
import { REF, topicGrants, sortActions, sortAlarms, sortFilters, sortRules, userDataFields, type ObservedCapacity, type ObservedCluster, type ObservedRule } from './observed';
import { MOCK_ACCOUNT, MOCK_REGION, type RecordedResource } from '../constructs/pulumi/mocks';
import { shellQuote } from '../../lib/serving/container';

type Props = Record<string, any>;

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
/** Mocked ARNs, and the mocked region and account inside ARNs, become `<ref>` (as deploy-time values in the other adapters). */
const normalize = (s: string): string => s.replace(/mock-arn:[A-Za-z0-9._-]+/g, REF).replace(`:${MOCK_REGION}:${MOCK_ACCOUNT}:`, `:${REF}:${REF}:`);

/**
 * Observe the cluster whose component is named `name`, given its security groups' mocked ids
 * (`<logical name>-id`).
 */
export function observePulumi(resources: readonly RecordedResource[], ids: { cluster: string; loadBalancer: string }): ObservedCluster {
  const all = (type: string): Props[] => resources.filter((r) => r.type === type).map((r) => r.inputs);
  // Mocked bucket names (`<name>-bucket`) are deploy-time values in the other adapters.
  const buckets = resources.filter((r) => r.type === 'aws:s3/bucket:Bucket').map((r) => `${r.name}-bucket`);
  // A plain name needs no shell quotes, `<ref>` does: a whole value is re-quoted as the blueprint quotes it.
  const withoutBuckets = (s: string): string => buckets.reduce((acc, b) => acc.split(`=${b}\n`).join(`=${shellQuote(REF)}\n`).split(b).join(REF), s);
  const sgRole: Record<string, 'cluster' | 'loadBalancer'> = { [ids.cluster]: 'cluster', [ids.loadBalancer]: 'loadBalancer' };
  const roleOf = (id: string): 'cluster' | 'loadBalancer' => {
    const role = sgRole[id];
    if (!role) throw new Error(`rule refers to an unknown security group ${id}`);
    return role;
  };
  const rule = (p: Props): ObservedRule => {
    const group = roleOf(p.securityGroupId);
    const peer = p.cidrIpv4 !== undefined ? `cidr:${p.cidrIpv4}` : p.cidrIpv6 !== undefined ? `cidr:${p.cidrIpv6}` : `sg:${roleOf(p.referencedSecurityGroupId)}`;
    return p.ipProtocol === '-1' ? { group, peer, protocol: 'all' } : { group, peer, protocol: p.ipProtocol, fromPort: p.fromPort, toPort: p.toPort };
  };

  const statementsOf = (ofRole: (role: string) => boolean) => all('aws:iam/rolePolicy:RolePolicy')
    .filter((p) => ofRole(String(p.role)))
    .flatMap((p) => list<Props>(JSON.parse(p.policy).Statement))
    .map((s) => ({
      sid: s.Sid as string,
      actions: list<string>(s.Action),
      resources: list<string>(s.Resource).map(normalize),
      ...(s.Condition ? { conditions: s.Condition } : {}),
    }))
    .sort((a, b) => a.sid.localeCompare(b.sid));
  const launchTemplates = new Map(resources.filter((r) => r.type === 'aws:ec2/launchTemplate:LaunchTemplate').map((r) => [`${r.name}-id`, r.inputs]));
  const scheduled = all('aws:autoscaling/schedule:Schedule');
  const groups = resources.filter((r) => r.type === 'aws:autoscaling/group:Group');
  const nodeGroups = groups.map(({ name: asgName, inputs: asg }) => {
    const mixed = asg.mixedInstancesPolicy as Props | undefined;
    const lt = launchTemplates.get(asg.launchTemplate?.id ?? mixed!.launchTemplate.launchTemplateSpecification.launchTemplateId)!;
    const dist = mixed?.instancesDistribution as Props | undefined;
    const capacity: ObservedCapacity = {
      ...(lt.capacityReservationSpecification ? { capacityReservationId: lt.capacityReservationSpecification.capacityReservationTarget.capacityReservationId } : {}),
      ...(lt.instanceMarketOptions ? { marketType: lt.instanceMarketOptions.marketType } : {}),
      overrides: list<Props>(mixed?.launchTemplate.overrides).map((o) => o.instanceType),
      ...(dist
        ? {
            distribution: {
              onDemandAllocationStrategy: dist.onDemandAllocationStrategy,
              ...(dist.spotAllocationStrategy !== undefined ? { spotAllocationStrategy: dist.spotAllocationStrategy } : {}),
              onDemandBaseCapacity: dist.onDemandBaseCapacity,
              onDemandPercentageAboveBaseCapacity: dist.onDemandPercentageAboveBaseCapacity,
            },
          }
        : {}),
      capacityRebalance: asg.capacityRebalance === true,
    };
    const instanceTags = Object.fromEntries(list<Props>(asg.tags).filter((t) => t.propagateAtLaunch).map((t) => [t.key, t.value]));
    return {
      rank: Number(instanceTags['deepseek-iac:rank']),
      instanceType: lt.instanceType,
      minSize: asg.minSize,
      maxSize: asg.maxSize,
      desiredCapacity: asg.desiredCapacity,
      subnetCount: list(asg.vpcZoneIdentifiers).length,
      volumes: list<Props>(lt.blockDeviceMappings).map((b) => ({
        deviceName: b.deviceName, sizeGiB: b.ebs.volumeSize, volumeType: b.ebs.volumeType, encrypted: b.ebs.encrypted === 'true',
        ...(b.ebs.throughput !== undefined ? { throughputMiBps: b.ebs.throughput } : {}),
        ...(b.ebs.iops !== undefined ? { iops: b.ebs.iops } : {}),
      })),
      httpTokens: lt.metadataOptions.httpTokens,
      hopLimit: lt.metadataOptions.httpPutResponseHopLimit,
      networkInterfaces: list<Props>(lt.networkInterfaces).map((n) => ({ networkCardIndex: n.networkCardIndex, deviceIndex: n.deviceIndex, interfaceType: n.interfaceType })),
      inPlacementGroup: lt.placement?.groupName !== undefined,
      healthCheckType: asg.healthCheckType,
      healthCheckGraceSeconds: asg.healthCheckGracePeriod,
      servesTraffic: list(asg.targetGroupArns).length > 0,
      instanceTags,
      // Secret ids are real (mocked) values here, not references: only the blanked lines hold them.
      ...userDataFields(withoutBuckets(Buffer.from(lt.userData, 'base64').toString('utf8'))),
      capacity,
      // The mocks report a group's `name` as its logical name.
      // Mocked ARNs name the resource: `mock-arn:<component>-worker` is the workers' instance profile.
      instanceRole: String(lt.iamInstanceProfile.arn).endsWith('-worker') ? 'worker' as const : 'node' as const,
      scheduledActions: sortActions(scheduled.filter((a) => a.autoscalingGroupName === asgName).map((a) => ({
        cron: a.recurrence, timeZone: a.timeZone, minSize: a.minSize, maxSize: a.maxSize, desiredCapacity: a.desiredCapacity,
      }))),
    };
  }).sort((a, b) => a.rank - b.rank);

  const [nlb] = all('aws:lb/loadBalancer:LoadBalancer');
  const [listener] = all('aws:lb/listener:Listener');
  const [tg] = all('aws:lb/targetGroup:TargetGroup');
  const placement = all('aws:ec2/placementGroup:PlacementGroup');
  const hc = tg.healthCheck;
  return {
    nodeGroups,
    ...(placement.length > 0 ? { placementStrategy: placement[0].strategy } : {}),
    ingress: sortRules(all('aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule').map(rule)),
    egress: sortRules(all('aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule').map(rule)),
    loadBalancer: {
      internal: nlb.internal, type: nlb.loadBalancerType, crossZone: nlb.enableCrossZoneLoadBalancing,
      listenerPort: listener.port, listenerProtocol: listener.protocol,
      ...(listener.protocol === 'TLS' ? { tls: { certificateArn: listener.certificateArn, sslPolicy: listener.sslPolicy } } : {}), targetPort: tg.port, targetProtocol: tg.protocol,
      healthCheck: {
        protocol: hc.protocol, path: hc.path, port: hc.port, intervalSeconds: hc.interval, timeoutSeconds: hc.timeout,
        healthyThreshold: hc.healthyThreshold, unhealthyThreshold: hc.unhealthyThreshold,
      },
    },
    alarms: sortAlarms(all('aws:cloudwatch/metricAlarm:MetricAlarm').map((a) => ({
      metricNames: a.metricName !== undefined ? [a.metricName] : list<Props>(a.metricQueries).filter((q) => q.metric).map((q) => q.metric.metricName),
      threshold: a.threshold, comparison: a.comparisonOperator, evaluationPeriods: a.evaluationPeriods, datapointsToAlarm: a.datapointsToAlarm,
    }))),
    alarmTopicGrants: topicGrants(all('aws:sns/topicPolicy:TopicPolicy').flatMap((p) => list<Props>(JSON.parse(p.policy).Statement)),
      (v) => (v === MOCK_ACCOUNT ? REF : normalize(String(v)))),
    metricFilters: sortFilters(all('aws:cloudwatch/logMetricFilter:LogMetricFilter').map((f) => ({ metricName: f.metricTransformation.name, pattern: f.pattern }))),
    loadBalancerTags: { ...nlb.tags },
    // Mocked role names are the resource names: `<component>-worker` is the workers' role, `<component>-node` the node role.
    managedPolicies: all('aws:iam/rolePolicyAttachment:RolePolicyAttachment').filter((p) => !String(p.role).endsWith('-worker'))
      .map((p) => String(p.policyArn).replace(/^arn:aws:iam::aws:policy\//, '')).sort(),
    statements: statementsOf((role) => !role.endsWith('-worker')),
    workerStatements: statementsOf((role) => role.endsWith('-worker')),
  };
}
