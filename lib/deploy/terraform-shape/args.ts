/**
 * The layout (lib/deploy/layout.ts) as Terraform AWS provider arguments, written once for cdktf and
 * Pulumi (whose AWS provider is bridged from the same Terraform provider, so the arguments are the
 * same, camelCased). `V` is how the framework refers to another resource's attribute: a cdktf token
 * string (`resource.arn`) or a Pulumi `Input<string>`; `Refs<V>` resolves the layout's references.
 * Where the two bindings name an argument differently (Pulumi pluralizes some lists), the builders
 * use the Terraform name and the Pulumi adapter renames it (constructs/pulumi/cluster.ts).
 */
import { ref, type RefName } from '../refs';
import type { AwsBlueprint, AwsLayout, EgressRule, IngressRule, NodeGroupSpec, PeerCidr, RuleSource, VolumeSpec, GroupScheduledAction } from '..';
import { ACCESS_LOG_PREFIXES } from '..';
import { policyDocument } from '../policy-document';

/** How one framework refers to what only it knows. */
export interface Refs<V> {
  /** The framework's value of a layout reference (`apiKeySecret.arn` → the secret's `arn` attribute). */
  value(name: RefName): V;
  /** A layout string with its references resolved. */
  text(layoutText: string): V;
  /** A layout string with its references resolved, base64-encoded (launch-template user data). */
  base64(layoutText: string): V;
  /** One string computed from framework values (a JSON document naming other resources). */
  combine(values: readonly V[], f: (resolved: readonly string[]) => string): V;
  /** A literal string as the framework must write it to read back unchanged (cdktf escapes Terraform's `${` and `%{`). */
  literal(s: string): string;
}

type Tags = Readonly<Record<string, string>>;

/** The cluster key: rotation, its policy (a document the adapter builds from partition, region and account). */
export function keyArgs<V>(layout: AwsLayout, policy: V) {
  return { description: layout.clusterKey.description, enableKeyRotation: true, rotationPeriodInDays: layout.clusterKey.rotationPeriodDays, policy, tags: tagsOf(layout) };
}

/** The created API-key secret (no version: a generated value would land in the state). */
export function apiKeySecretArgs<V>(layout: AwsLayout, kmsKeyId: V) {
  const s = layout.apiKeySecret!;
  return { namePrefix: s.namePrefix, description: s.description, kmsKeyId, tags: tagsOf(layout) };
}

/** One of the layout's log groups, encrypted with the cluster key. */
export function logGroupArgs<V>(layout: AwsLayout, which: 'engine' | 'system', kmsKeyId: V) {
  const g = layout.logGroups[which]!;
  return { name: g.name, retentionInDays: g.retentionDays, kmsKeyId, tags: tagsOf(layout) };
}

/** The nodes' or the load balancer's security group. */
export function securityGroupArgs<V>(layout: AwsLayout, role: 'cluster' | 'loadBalancer', vpcId: V) {
  return { vpcId, description: layout.securityGroups[role].description, tags: tagsOf(layout) };
}

/** Where an ingress rule's traffic comes from, as `aws_vpc_security_group_ingress_rule` arguments. */
type RuleFrom<V> = { readonly cidrIpv4?: string; readonly cidrIpv6?: string; readonly referencedSecurityGroupId?: V };

/** Every ingress rule, one per source (each allowed CIDR and security group of an `allowedPeers` rule). */
export function ingressRuleArgs<V>(bp: AwsBlueprint, groups: { readonly cluster: V; readonly loadBalancer: V }, peers: readonly PeerCidr[], allowedSecurityGroupIds: readonly V[]) {
  const sources = (source: RuleSource): Array<{ key: string; from: RuleFrom<V> }> => {
    if (source !== 'allowedPeers') return [{ key: source, from: { referencedSecurityGroupId: groups[source] } }];
    return [
      ...peers.map((p, i) => ({ key: `cidr${i}`, from: p.cidrIpv6 !== undefined ? { cidrIpv6: p.cidrIpv6 } : { cidrIpv4: p.cidrIpv4! } })),
      ...allowedSecurityGroupIds.map((sg, i) => ({ key: `sg${i}`, from: { referencedSecurityGroupId: sg } })),
    ];
  };
  return bp.ingressRules.flatMap((rule: IngressRule) => sources(rule.source).map((src) => ({
    key: `${rule.group}-from-${src.key}`,
    args: {
      securityGroupId: groups[rule.group], description: rule.description, ...src.from,
      ...(rule.protocol === 'all' ? { ipProtocol: '-1' } : { ipProtocol: 'tcp', fromPort: rule.fromPort!, toPort: rule.toPort! }),
    },
  })));
}

/** Every egress rule of the layout (groups created here allow nothing out by default). */
export function egressRuleArgs<V>(layout: AwsLayout, groups: { readonly cluster: V; readonly loadBalancer: V }) {
  return layout.egressRules.map((rule: EgressRule) => {
    if (rule.destination === 'fsx') throw new Error('FSx for Lustre is built by the CDK construct only; this layout cannot hold a rule to it');
    const ports = rule.protocol === 'all' ? { ipProtocol: '-1' } : { ipProtocol: 'tcp', fromPort: rule.fromPort!, toPort: rule.toPort! };
    return rule.destination === 'anywhere'
      ? { key: `${rule.group}-to-anywhere-${rule.protocol === 'all' ? 'all' : rule.fromPort}`, args: { securityGroupId: groups[rule.group], cidrIpv4: rule.cidrIpv4!, ...ports, description: rule.description } }
      : { key: `${rule.group}-to-${rule.destination}`, args: { securityGroupId: groups[rule.group], referencedSecurityGroupId: groups[rule.destination], ...ports, description: rule.description } };
  });
}

/** Which instance role: the node role (`iam`), or the workers' (`workerIam`, without writes to the model store). */
export type InstanceRole = 'node' | 'worker';

function roleSpec(bp: AwsBlueprint, which: InstanceRole) {
  const spec = which === 'worker' ? bp.workerIam : bp.iam;
  if (!spec) throw new Error('the layout has no worker role');
  return spec;
}

/** An instance role (EC2 trust). */
export function nodeRoleArgs(layout: AwsLayout, trustPolicy: string, which: InstanceRole = 'node') {
  return { assumeRolePolicy: trustPolicy, description: (which === 'worker' ? layout.workerRole! : layout.nodeRole).description, tags: tagsOf(layout) };
}

/** One attachment per managed policy of the role (keyed by its name). */
export function managedPolicyAttachmentArgs<V>(bp: AwsBlueprint, role: V, refs: Refs<V>, which: InstanceRole = 'node') {
  return roleSpec(bp, which).managedPolicies.map((name) => ({ key: name, args: { role, policyArn: refs.text(`arn:${ref('partition')}:iam::aws:policy/${name}`) } }));
}

/** The role's inline policy: the blueprint's scoped statements, references resolved. */
export function nodePolicyArgs<V>(bp: AwsBlueprint, role: V, refs: Refs<V>, which: InstanceRole = 'node') {
  return { role, policy: refs.text(policyDocument(roleSpec(bp, which).statements)) };
}

/** The internal Network Load Balancer (access logs for a TLS listener, into the access-log bucket). */
export function loadBalancerArgs<V>(layout: AwsLayout, subnetIds: readonly V[], securityGroupId: V, accessLogBucket: V | undefined) {
  const lb = layout.blueprint.loadBalancer;
  return {
    internal: lb.scheme === 'internal', loadBalancerType: 'network', subnets: [...subnetIds],
    securityGroups: [securityGroupId], enableCrossZoneLoadBalancing: lb.crossZone, tags: tagsOf(layout),
    ...(lb.tls && accessLogBucket !== undefined ? { accessLogs: { bucket: accessLogBucket, prefix: ACCESS_LOG_PREFIXES.loadBalancer, enabled: true } } : {}),
  };
}

/** The engine's target group: TCP, with the blueprint's HTTP health check. */
export function targetGroupArgs<V>(layout: AwsLayout, vpcId: V) {
  const lb = layout.blueprint.loadBalancer;
  const hc = lb.healthCheck;
  return {
    port: lb.port, protocol: lb.protocol, vpcId, targetType: 'instance', tags: tagsOf(layout),
    healthCheck: {
      enabled: true, protocol: hc.protocol, path: hc.path, port: String(hc.port), interval: hc.intervalSeconds,
      timeout: hc.timeoutSeconds, healthyThreshold: hc.healthyThreshold, unhealthyThreshold: hc.unhealthyThreshold,
    },
  };
}

/**
 * The API listener (TLS with a certificate; the target group stays TCP) without its action, and the
 * forward action (Terraform `default_action`, Pulumi `defaultActions`).
 */
export function listenerArgs<V>(layout: AwsLayout, loadBalancerArn: V, targetGroupArn: V, refs: Refs<V>) {
  const lb = layout.blueprint.loadBalancer;
  return {
    args: {
      loadBalancerArn, port: lb.port, tags: tagsOf(layout),
      ...(lb.tls ? { protocol: 'TLS', certificateArn: refs.text(lb.tls.certificateArn), sslPolicy: lb.tls.sslPolicy } : { protocol: lb.protocol }),
    },
    forward: [{ type: 'forward', targetGroupArn }],
  };
}

/** The cluster placement group of a multi-node layout. */
export function placementGroupArgs(layout: AwsLayout) {
  const p = layout.placementGroup!;
  return { name: p.name, strategy: p.strategy, tags: tagsOf(layout) };
}

/** What a launch template refers to. */
export interface LaunchTemplateRefs<V> {
  readonly imageId: V;
  readonly instanceProfileArn: V;
  readonly securityGroupId: V;
  readonly placementGroupName?: V;
}

/** The launch template of one rank: AMI, type, user data, IMDSv2, volumes, EFA interfaces, placement, capacity target, tags. */
export function launchTemplateArgs<V>(bp: AwsBlueprint, group: NodeGroupSpec, to: LaunchTemplateRefs<V>, refs: Refs<V>) {
  const efa = bp.networkInterfaces.length > 0;
  return {
    description: `${bp.clusterName} rank ${group.rank} (${group.role})`,
    imageId: to.imageId,
    instanceType: bp.instanceType,
    userData: refs.base64(group.userData),
    iamInstanceProfile: { arn: to.instanceProfileArn },
    metadataOptions: {
      httpEndpoint: 'enabled', httpTokens: bp.instanceMetadata.httpTokens, httpPutResponseHopLimit: bp.instanceMetadata.httpPutResponseHopLimit,
    },
    blockDeviceMappings: [bp.rootVolume, ...(bp.dataVolume ? [bp.dataVolume] : [])].map(blockDevice),
    // With network interfaces, security groups belong on each interface (EC2 rejects both forms together).
    ...(efa
      ? {
          networkInterfaces: bp.networkInterfaces.map((n) => ({
            networkCardIndex: n.networkCardIndex, deviceIndex: n.deviceIndex, interfaceType: n.interfaceType,
            securityGroups: [to.securityGroupId], deleteOnTermination: 'true',
          })),
        }
      : { vpcSecurityGroupIds: [to.securityGroupId] }),
    ...(to.placementGroupName !== undefined ? { placement: { groupName: to.placementGroupName } } : {}),
    // A reservation or Capacity Block: the launch template targets it (capacity.ts).
    ...(bp.capacity?.capacityReservationId !== undefined
      ? { capacityReservationSpecification: { capacityReservationTarget: { capacityReservationId: bp.capacity.capacityReservationId } } }
      : {}),
    ...(bp.capacity?.marketType !== undefined ? { instanceMarketOptions: { marketType: bp.capacity.marketType } } : {}),
    tagSpecifications: ['instance', 'volume'].map((resourceType) => ({ resourceType, tags: { ...group.tags } })),
    tags: { ...group.tags },
  };
}

function blockDevice(v: VolumeSpec) {
  return {
    deviceName: v.deviceName,
    ebs: {
      volumeSize: v.sizeGiB, volumeType: v.volumeType, encrypted: String(v.encrypted), deleteOnTermination: String(v.deleteOnTermination),
      ...(v.throughputMiBps !== undefined ? { throughput: v.throughputMiBps } : {}),
      ...(v.iops !== undefined ? { iops: v.iops } : {}),
    },
  };
}

/** What an Auto Scaling group refers to. */
export interface GroupRefs<V> {
  readonly subnetIds: readonly V[];
  readonly targetGroupArn: V;
  readonly launchTemplateId: V;
  readonly launchTemplateVersion: V;
}

/**
 * One rank's Auto Scaling group (Terraform names: `vpcZoneIdentifier`, `tag`, mixed-instances
 * `override`): one node, EC2 health checks after the grace period, the serving rank in the target
 * group, the launch template directly or through a prioritized mixed-instances policy (fallback
 * types in the blueprint's order, or Spot) with capacity rebalancing for Spot.
 */
export function autoScalingGroupArgs<V>(bp: AwsBlueprint, group: NodeGroupSpec, to: GroupRefs<V>) {
  const subnets = bp.singleSubnet ? to.subnetIds.slice(0, 1) : [...to.subnetIds];
  const c = bp.capacity;
  const mixed = c?.mixedInstances;
  return {
    minSize: group.size, maxSize: group.size, desiredCapacity: group.size,
    vpcZoneIdentifier: subnets,
    healthCheckType: group.healthCheckType,
    healthCheckGracePeriod: bp.healthCheckGraceSeconds,
    ...(group.servesTraffic ? { targetGroupArns: [to.targetGroupArn] } : {}),
    ...(!c || !mixed
      ? { launchTemplate: { id: to.launchTemplateId, version: to.launchTemplateVersion } }
      : {
          mixedInstancesPolicy: {
            launchTemplate: {
              launchTemplateSpecification: { launchTemplateId: to.launchTemplateId, version: to.launchTemplateVersion },
              override: c.instanceTypes.map((instanceType) => ({ instanceType })),
            },
            instancesDistribution: {
              onDemandAllocationStrategy: mixed.onDemandAllocationStrategy,
              onDemandBaseCapacity: mixed.onDemandBaseCapacity,
              onDemandPercentageAboveBaseCapacity: mixed.onDemandPercentageAboveBaseCapacity,
              ...(mixed.spotAllocationStrategy ? { spotAllocationStrategy: mixed.spotAllocationStrategy } : {}),
            },
          },
          ...(c.capacityRebalance ? { capacityRebalance: true } : {}),
        }),
    // Do not block the apply on GPU capacity (as CloudFormation, which does not wait either): the group keeps retrying.
    waitForCapacityTimeout: '0',
    tag: Object.entries(group.tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
  };
}

/** One scheduled action of one group (the layout sized it). */
export function scheduleArgs<V>(action: GroupScheduledAction, autoscalingGroupName: V) {
  return {
    autoscalingGroupName, scheduledActionName: action.id, recurrence: action.cron, timeZone: action.timeZone,
    minSize: action.size, maxSize: action.size, desiredCapacity: action.size,
  };
}

/** The layout's tags (cost-allocation tags under the cluster tags), for every resource that takes them. */
export function tagsOf(layout: AwsLayout): Tags {
  return { ...layout.blueprint.tags };
}
