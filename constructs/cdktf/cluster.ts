/**
 * cdktf `DeepSeekInferenceCluster`: a DeepSeek model served on EC2 GPU nodes behind an internal
 * Network Load Balancer, sized by the planner. Every decision comes from `awsBlueprint` (lib/deploy),
 * the same data the AWS CDK construct maps; this file only translates it into Terraform AWS
 * provider resources (bindings frozen at provider 6.25.0).
 */
import { Annotations, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { AutoscalingSchedule } from '@cdktf/provider-aws/lib/autoscaling-schedule';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { PlacementGroup } from '@cdktf/provider-aws/lib/placement-group';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { isPlanError } from '../../lib/errors';
import type { Plan } from '../../lib/plan/types';
import type { Issue } from '../../lib/types';
import {
  ACCESS_LOG_PREFIXES, agentConfigParameterName, awsBlueprint, blueprintIssues, parseModelSource, clusterTags, egressRules, modelSourceIssues, peerIssues,
  KEY_ROTATION_DAYS,
  type AwsBlueprint, type BlueprintChoices, type NodeGroupSpec, type PeerCidr, type RuleSource, type SecretRef, type VolumeSpec,
} from '../../lib/deploy';
import { planWithOverrides } from '../../lib/plan/overrides';
import { keyPolicyDocument } from '../../lib/deploy/policy-document';
import { ClusterMonitoring } from './monitoring';
import { ModelStore } from './model-store';
import { AccessLogBucket } from './access-logs';
import { VpcEndpoints, VpcFlowLogs } from './vpc';
import { placementIssues, specFromProps, tokenIssues, type DeepSeekInferenceClusterProps } from './props';
import { ec2TrustPolicy, policyDocument } from '../../lib/deploy/policy-document';
import { cidrPeers, DEFAULT_LOG_RETENTION_DAYS } from '../../lib/deploy/adapter-inputs';
import { userDataBase64 } from './user-data';
import { DeepSeekInferenceClusterError, type ClusterEndpoint } from '../../lib/deploy/cluster-error';

export { DeepSeekInferenceClusterError, type ClusterEndpoint };


/** Log retention when the props give none: one month, as the CDK construct. */

/**
 * A DeepSeek model served on EC2 GPU instances, sized from the model and precision.
 *
 * ```ts
 * new DeepSeekInferenceCluster(stack, 'R1', { model: 'deepseek-r1', vpcId, subnetIds, allowedCidrs: ['10.0.0.0/16'] });
 * ```
 */
export class DeepSeekInferenceCluster extends Construct {
  /** The planner's output the cluster is built from. */
  readonly plan: Plan;
  /** Every AWS decision derived from the plan (shared with the CDK and Pulumi adapters). */
  readonly blueprint: AwsBlueprint;
  /** Internal endpoint of the OpenAI-compatible API. */
  readonly endpoint: ClusterEndpoint;
  /** Security group of the nodes. */
  readonly securityGroup: SecurityGroup;
  /** Security group of the load balancer: the API's access list. */
  readonly loadBalancerSecurityGroup: SecurityGroup;
  readonly role: IamRole;
  readonly instanceProfile: IamInstanceProfile;
  /** One launch template per rank (index = rank). */
  readonly launchTemplates: readonly LaunchTemplate[];
  /** One Auto Scaling group per rank (index = rank; rank 0 serves the API). */
  readonly autoScalingGroups: readonly AutoscalingGroup[];
  readonly placementGroup?: PlacementGroup;
  readonly loadBalancer: Lb;
  readonly targetGroup: LbTargetGroup;
  readonly logGroup: CloudwatchLogGroup;
  /** Customer-managed key of the cluster (policy from lib/deploy/encryption.ts): engine logs and the created API-key secret. */
  readonly encryptionKey: KmsKey;
  /** S3 copy of the Hugging Face checkpoint; undefined with an `s3://` source or `modelStore: false`. */
  readonly modelStore?: ModelStore;
  /** Receives the model store's server access logs and, with `certificateArn`, the load balancer's; undefined with neither. */
  readonly accessLogs?: AccessLogBucket;
  /** The `vpcEndpoints` prop's endpoints and their security group; undefined without it. */
  readonly vpcEndpoints?: VpcEndpoints;
  /** The `flowLogs` prop's flow log, log group and delivery role; undefined without it. */
  readonly flowLogs?: VpcFlowLogs;
  /** Kernel log (XID errors) shipped by the CloudWatch agent; undefined with `monitoring: false`. */
  readonly systemLogGroup?: CloudwatchLogGroup;
  /** Agent parameter, alarm topic, alarms and dashboard; undefined with `monitoring: false`. */
  readonly monitoring?: ClusterMonitoring;
  /** Scheduled actions of the `schedule` prop (per rank: scale to zero, scale up); empty without one. */
  readonly scheduledActions: readonly AutoscalingSchedule[];
  /** The plan's cost of all nodes while running, USD per hour with two decimals, or `unpriced` (the example's `hourly_cost_usd` output; `blueprint.cost` has the description). */
  readonly hourlyCostUsd: string;
  /** ARN of the API-key secret (the given one, or the created `apiKeySecret`). */
  readonly apiKeySecretArn: string;
  /** The created API-key secret (no value: store one after apply); undefined when `apiKeySecretArn` was given. */
  readonly apiKeySecret?: SecretsmanagerSecret;

  constructor(scope: Construct, id: string, props: DeepSeekInferenceClusterProps) {
    super(scope, id);
    const fail = (issues: readonly Issue[]): never => {
      throw new DeepSeekInferenceClusterError(this.node.path, issues);
    };

    // 1. Everything that needs no resources; throw once with every problem.
    const issues: Issue[] = tokenIssues(props);
    const choices: BlueprintChoices = {
      clusterName: props.clusterName ?? defaultClusterName(id, this.node.addr),
      ...(props.modelSource !== undefined ? { modelSource: props.modelSource } : {}),
      weightsStorage: props.weightsStorage ?? 'auto',
      ...(props.capacity ? { capacity: props.capacity } : {}),
      ...(props.schedule ? { schedule: props.schedule } : {}),
      ...(props.costAllocationTags ? { extraTags: props.costAllocationTags } : {}),
    };
    let plan: Plan | undefined;
    if (issues.length === 0) {
      plan = collect(() => planWithOverrides(specFromProps(props)), issues);
      if (plan) issues.push(...blueprintIssues(plan, choices));
      else if (props.modelSource !== undefined) issues.push(...modelSourceIssues(props.modelSource));
    }
    const peers: PeerCidr[] = Token.isUnresolved(props.allowedCidrs) ? [] : cidrPeers(props.allowedCidrs ?? [], issues);
    issues.push(...peerIssues(peers, props.allowPublicIngress ?? false, 'allowedCidrs'), ...placementIssues(props));
    if (issues.length > 0 || plan === undefined) fail(issues);
    this.plan = plan!;
    const clusterName = choices.clusterName;
    const subnetIds = [...props.subnetIds];
    // The blueprint's tags (cost-allocation tags under the cluster tags), for the resources the
    // blueprint itself refers to; everything created after it takes `bp.tags`.
    const tags = { ...props.costAllocationTags, ...clusterTags(this.plan, clusterName) };

    // 2. What the blueprint refers to: the cluster key, the API-key secret, the log group, the partition.
    const partition = new DataAwsPartition(this, 'Partition');
    const account = new DataAwsCallerIdentity(this, 'Account');
    const region = new DataAwsRegion(this, 'Region');
    this.encryptionKey = new KmsKey(this, 'Key', {
      description: `deepseek-iac ${clusterName}: logs, API key`,
      enableKeyRotation: true,
      rotationPeriodInDays: KEY_ROTATION_DAYS,
      policy: keyPolicyDocument({ partition: partition.partition, region: region.region, accountId: account.accountId }),
      tags,
    });
    if (props.apiKeySecretArn === undefined) {
      // No secret version: a generated value would be written into the Terraform state (the random
      // provider is not used either). The node's engine unit retries until a value is stored.
      this.apiKeySecret = new SecretsmanagerSecret(this, 'ApiKey', {
        namePrefix: `deepseek-iac/${clusterName}/api-key-`,
        description: `API key of the ${this.plan.model.id} inference cluster ${clusterName}; store it with aws secretsmanager put-secret-value`,
        kmsKeyId: this.encryptionKey.arn,
        tags,
      });
    }
    this.apiKeySecretArn = props.apiKeySecretArn ?? this.apiKeySecret!.arn;
    // A plain name (not the resource's `name` attribute) keeps the user data free of references.
    const logGroupName = `/deepseek-iac/${clusterName}`;
    this.logGroup = new CloudwatchLogGroup(this, 'EngineLogs', {
      name: logGroupName,
      retentionInDays: props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
      kmsKeyId: this.encryptionKey.arn,
      tags,
    });

    // The CloudWatch agent's log group and parameter exist before the blueprint: the boot script names them.
    const agentParameter = agentConfigParameterName(clusterName);
    if (props.monitoring ?? true) {
      this.systemLogGroup = new CloudwatchLogGroup(this, 'SystemLogs', {
        name: `/deepseek-iac/${clusterName}/system`, retentionInDays: props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS, kmsKeyId: this.encryptionKey.arn, tags,
      });
    }
    // An s3:// source is read directly; a Hugging Face checkpoint is cached in a store unless turned off.
    const source = props.modelSource ?? this.plan.model.hfId;
    if ((props.modelStore ?? true) && source !== undefined && parseModelSource(source).kind !== 's3') {
      this.modelStore = new ModelStore(this, 'ModelStore', { kmsKeyArn: this.encryptionKey.arn, tags });
    }
    const store = this.modelStore?.bucket;
    // As the CDK construct: one access-log bucket for the store's server access logs and the TLS listener's access logs.
    const tlsOn = props.certificateArn !== undefined;
    if (this.modelStore || tlsOn) {
      this.accessLogs = new AccessLogBucket(this, 'AccessLogs', {
        writers: { partition: partition.partition, region: region.region, accountId: account.accountId, loadBalancer: tlsOn, ...(store ? { modelStoreArn: store.arn } : {}) },
        tags,
      });
      this.modelStore?.logAccessTo(this.accessLogs.bucket.id);
    }
    // One token for the key's ARN: each attribute read is a new token string, which the blueprint could not deduplicate.
    const keyArn = this.encryptionKey.arn;
    const bp = this.blueprint = orFail(() => awsBlueprint(this.plan, {
      ...choices,
      apiKeySecret: secretRef(this.apiKeySecretArn),
      ...(props.huggingFaceTokenSecretArn !== undefined ? { huggingFaceTokenSecret: secretRef(props.huggingFaceTokenSecretArn) } : {}),
      // The provider strips the API's `:*` suffix from the log group `arn` (provider docs of
      // aws_cloudwatch_log_group, confirmed): the form the blueprint expects.
      logGroup: { name: logGroupName, arn: this.logGroup.arn },
      partition: partition.partition,
      // As the CDK construct: nodes decrypt with the cluster key and report themselves unhealthy, so their group replaces them.
      kmsKeyArns: [keyArn],
      reportUnhealthy: true,
      ...(store ? { modelStore: { bucketName: store.bucket, bucketArn: store.arn, kmsKeyArn: keyArn } } : {}),
      ...(this.systemLogGroup
        ? {
            observability: {
              systemLogGroup: { name: `/deepseek-iac/${clusterName}/system`, arn: this.systemLogGroup.arn },
              agentConfigParameter: { name: agentParameter, arn: `arn:${partition.partition}:ssm:${region.region}:${account.accountId}:parameter${agentParameter}` },
            },
          }
        : {}),
      ...(tlsOn ? { tls: { certificateArn: props.certificateArn! } } : {}),
    }), fail);
    for (const n of [...this.plan.notices, ...bp.warnings]) Annotations.of(this).addWarning(`${n.code}: ${n.message}`);
    if (JSON.stringify(bp.tags) !== JSON.stringify(tags)) throw new Error(`${this.node.path}: the blueprint's tags differ from the tags given to the key, secret and log group`);

    // 3. Network: two security groups, rules from the blueprint. Terraform removes the default
    // allow-all egress of groups it creates, so the nodes' outbound rule is explicit.
    this.securityGroup = new SecurityGroup(this, 'NodeSecurityGroup', {
      vpcId: props.vpcId, tags,
      description: `${bp.clusterName} nodes: engine port from the load balancer${bp.nodes > 1 ? ', all traffic between nodes' : ''}; no SSH`,
    });
    this.loadBalancerSecurityGroup = new SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpcId: props.vpcId, tags, description: `${bp.clusterName} API: port ${bp.loadBalancer.port} from allowed peers`,
    });
    const groups = { cluster: this.securityGroup, loadBalancer: this.loadBalancerSecurityGroup };
    const sources = (source: RuleSource): Array<{ key: string; from: RuleFrom }> => {
      if (source !== 'allowedPeers') return [{ key: source, from: { referencedSecurityGroupId: groups[source].id } }];
      return [
        ...peers.map((p, i) => ({ key: `cidr${i}`, from: p.cidrIpv6 !== undefined ? { cidrIpv6: p.cidrIpv6 } : { cidrIpv4: p.cidrIpv4! } })),
        ...(props.allowedSecurityGroupIds ?? []).map((sg, i) => ({ key: `sg${i}`, from: { referencedSecurityGroupId: sg } })),
      ];
    };
    for (const rule of bp.ingressRules) {
      for (const src of sources(rule.source)) {
        new VpcSecurityGroupIngressRule(this, `Ingress-${rule.group}-from-${src.key}`, {
          securityGroupId: groups[rule.group].id, description: rule.description, ...src.from,
          ...(rule.protocol === 'all' ? { ipProtocol: '-1' } : { ipProtocol: 'tcp', fromPort: rule.fromPort!, toPort: rule.toPort! }),
        });
      }
    }
    for (const rule of egressRules(this.plan)) {
      new VpcSecurityGroupEgressRule(this, `Egress-${rule.group}-to-${rule.destination}`, {
        securityGroupId: groups[rule.group].id, referencedSecurityGroupId: groups[rule.destination].id,
        ipProtocol: rule.protocol, fromPort: rule.fromPort, toPort: rule.toPort, description: rule.description,
      });
    }
    new VpcSecurityGroupEgressRule(this, 'Egress-cluster-to-anywhere', {
      securityGroupId: this.securityGroup.id, cidrIpv4: '0.0.0.0/0', ipProtocol: '-1',
      description: 'Engine image, weights and AWS APIs (through the NAT)',
    });

    if (props.vpcEndpoints ?? false) {
      this.vpcEndpoints = new VpcEndpoints(this, 'VpcEndpoints', {
        vpcId: props.vpcId, subnetIds, nodeSecurityGroupId: this.securityGroup.id, region: region.region, specs: bp.vpcEndpoints ?? [], tags: bp.tags,
      });
    }
    if (props.flowLogs ?? false) {
      this.flowLogs = new VpcFlowLogs(this, 'FlowLogs', {
        vpcId: props.vpcId, kmsKeyArn: keyArn, retentionDays: props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
        partition: partition.partition, region: region.region, accountId: account.accountId, logGroupName: `/deepseek-iac/${clusterName}/vpc-flow-logs`, tags: bp.tags,
      });
    }

    // 4. Node role: managed policies + the blueprint's scoped statements.
    this.role = new IamRole(this, 'NodeRole', { assumeRolePolicy: ec2TrustPolicy(), description: `${bp.clusterName} GPU nodes`, tags });
    for (const name of bp.iam.managedPolicies) {
      new IamRolePolicyAttachment(this, `Managed-${name}`, { role: this.role.name, policyArn: `arn:${partition.partition}:iam::aws:policy/${name}` });
    }
    new IamRolePolicy(this, 'NodePolicy', { role: this.role.name, policy: policyDocument(bp.iam.statements) });
    this.instanceProfile = new IamInstanceProfile(this, 'InstanceProfile', { role: this.role.name, tags });

    // 5. Load balancer first: the serving group registers with its target group.
    const lb = bp.loadBalancer;
    this.loadBalancer = new Lb(this, 'LoadBalancer', {
      internal: lb.scheme === 'internal', loadBalancerType: 'network', subnets: subnetIds,
      securityGroups: [this.loadBalancerSecurityGroup.id], enableCrossZoneLoadBalancing: lb.crossZone, tags,
      // NLB access logs exist for TLS listeners only; the load balancer checks the bucket policy when they are turned on.
      ...(lb.tls && this.accessLogs
        ? { accessLogs: { bucket: this.accessLogs.bucket.id, prefix: ACCESS_LOG_PREFIXES.loadBalancer, enabled: true }, dependsOn: [this.accessLogs.policy] }
        : {}),
    });
    const hc = lb.healthCheck;
    this.targetGroup = new LbTargetGroup(this, 'Engine', {
      port: lb.port, protocol: lb.protocol, vpcId: props.vpcId, targetType: 'instance', tags,
      healthCheck: {
        enabled: true, protocol: hc.protocol, path: hc.path, port: String(hc.port), interval: hc.intervalSeconds,
        timeout: hc.timeoutSeconds, healthyThreshold: hc.healthyThreshold, unhealthyThreshold: hc.unhealthyThreshold,
      },
    });
    // With a certificate the listener terminates TLS; the target group stays TCP (the engine speaks plain HTTP).
    new LbListener(this, 'Api', {
      loadBalancerArn: this.loadBalancer.arn, port: lb.port, tags,
      ...(lb.tls ? { protocol: 'TLS', certificateArn: lb.tls.certificateArn, sslPolicy: lb.tls.sslPolicy } : { protocol: lb.protocol }),
      defaultAction: [{ type: 'forward', targetGroupArn: this.targetGroup.arn }],
    });

    // 6. Nodes: one launch template and one Auto Scaling group of one instance per rank.
    if (bp.placementGroup) {
      this.placementGroup = new PlacementGroup(this, 'PlacementGroup', { name: `deepseek-iac-${bp.clusterName}`, strategy: bp.placementGroup.strategy, tags });
    }
    // Resolved when Terraform plans (like the CDK construct's SSM parameter at deploy): all nodes of one apply share one AMI.
    const ami = new DataAwsSsmParameter(this, 'MachineImage', { name: bp.machineImage.ssmParameter });
    const nodeSubnets = bp.singleSubnet ? subnetIds.slice(0, 1) : subnetIds;
    this.launchTemplates = bp.nodeGroups.map((g) => this.launchTemplate(g, bp, ami.insecureValue));
    this.autoScalingGroups = bp.nodeGroups.map((g) => new AutoscalingGroup(this, `Rank${g.rank}`, {
      minSize: g.size, maxSize: g.size, desiredCapacity: g.size,
      vpcZoneIdentifier: nodeSubnets,
      healthCheckType: g.healthCheckType,
      healthCheckGracePeriod: bp.healthCheckGraceSeconds,
      ...(g.servesTraffic ? { targetGroupArns: [this.targetGroup.arn] } : {}),
      ...capacityOfGroup(bp, this.launchTemplates[g.rank]),
      // Do not block the apply on GPU capacity (as CloudFormation, which does not wait either): the group keeps retrying.
      waitForCapacityTimeout: '0',
      tag: Object.entries(g.tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
    }));

    // 7. Monitoring: the agent parameter exists before any node boots and fetches it.
    if (bp.observability && this.systemLogGroup) {
      this.monitoring = new ClusterMonitoring(this, 'Monitoring', {
        spec: bp.observability, clusterName: bp.clusterName, agentConfigParameterName: agentParameter,
        logGroupNames: { engine: this.logGroup.name, system: this.systemLogGroup.name },
        loadBalancerArnSuffix: this.loadBalancer.arnSuffix, targetGroupArnSuffix: this.targetGroup.arnSuffix,
        region: region.region, kmsKeyId: this.encryptionKey.arn, tags: bp.tags, partition: partition.partition, accountId: account.accountId,
      });
      for (const asg of this.autoScalingGroups) asg.dependsOn = [...(asg.dependsOn ?? []), this.monitoring.agentConfig.fqn];
    }

    // 7b. Scale to zero and back: one scheduled action per group and schedule entry.
    this.scheduledActions = bp.nodeGroups.flatMap((g) => (bp.schedule?.actions ?? []).map((a) => {
      const size = a.size === 0 ? 0 : g.size;
      return new AutoscalingSchedule(this, `Rank${g.rank}${a.id}`, {
        autoscalingGroupName: this.autoScalingGroups[g.rank].name, scheduledActionName: a.id,
        recurrence: a.cron, timeZone: a.timeZone, minSize: size, maxSize: size, desiredCapacity: size,
      });
    }));

    // 8. Cost: the plan's hourly price, for a stack output (Terraform outputs belong to the stack's
    // root module: one made here would get a mangled name, so the example declares it).
    this.hourlyCostUsd = bp.cost?.hourlyUsd !== undefined ? bp.cost.hourlyUsd.toFixed(2) : 'unpriced';

    this.endpoint = { dnsName: this.loadBalancer.dnsName, port: lb.port, url: `${lb.tls ? 'https' : 'http'}://${this.loadBalancer.dnsName}:${lb.port}/v1` };
  }

  private launchTemplate(group: NodeGroupSpec, bp: AwsBlueprint, imageId: string): LaunchTemplate {
    const efa = bp.networkInterfaces.length > 0;
    return new LaunchTemplate(this, `LaunchTemplateRank${group.rank}`, {
      description: `${bp.clusterName} rank ${group.rank} (${group.role})`,
      imageId,
      instanceType: bp.instanceType,
      userData: userDataBase64(group.userData),
      iamInstanceProfile: { arn: this.instanceProfile.arn },
      metadataOptions: {
        httpEndpoint: 'enabled', httpTokens: bp.instanceMetadata.httpTokens, httpPutResponseHopLimit: bp.instanceMetadata.httpPutResponseHopLimit,
      },
      blockDeviceMappings: [bp.rootVolume, ...(bp.dataVolume ? [bp.dataVolume] : [])].map(blockDevice),
      // With network interfaces, security groups belong on each interface (EC2 rejects both forms together).
      ...(efa
        ? {
            networkInterfaces: bp.networkInterfaces.map((n) => ({
              networkCardIndex: n.networkCardIndex, deviceIndex: n.deviceIndex, interfaceType: n.interfaceType,
              securityGroups: [this.securityGroup.id], deleteOnTermination: 'true',
            })),
          }
        : { vpcSecurityGroupIds: [this.securityGroup.id] }),
      ...(this.placementGroup ? { placement: { groupName: this.placementGroup.name } } : {}),
      // A reservation or Capacity Block: the launch template targets it (capacity.ts).
      ...(bp.capacity?.capacityReservationId !== undefined
        ? { capacityReservationSpecification: { capacityReservationTarget: { capacityReservationId: bp.capacity.capacityReservationId } } }
        : {}),
      ...(bp.capacity?.marketType !== undefined ? { instanceMarketOptions: { marketType: bp.capacity.marketType } } : {}),
      tagSpecifications: ['instance', 'volume'].map((resourceType) => ({ resourceType, tags: { ...group.tags } })),
      tags: { ...group.tags },
    });
  }
}

/** Where an ingress rule's traffic comes from, as `aws_vpc_security_group_ingress_rule` arguments. */
type RuleFrom = { readonly cidrIpv4?: string; readonly cidrIpv6?: string; readonly referencedSecurityGroupId?: string };

/**
 * How a group takes its launch template: directly, or through a prioritized mixed-instances policy
 * (fallback instance types in the blueprint's order, or Spot), with capacity rebalancing for Spot.
 */
function capacityOfGroup(bp: AwsBlueprint, lt: LaunchTemplate) {
  const ref = { id: lt.id, version: Token.asString(lt.latestVersion) };
  const c = bp.capacity;
  const mixed = c?.mixedInstances;
  if (!c || !mixed) return { launchTemplate: ref };
  return {
    mixedInstancesPolicy: {
      launchTemplate: {
        launchTemplateSpecification: { launchTemplateId: ref.id, version: ref.version },
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

/** A secret given by ARN: the node reads it by that ARN, the policy names the same ARN. */
function secretRef(arn: string): SecretRef {
  return { id: arn, policyArn: arn };
}

/**
 * `<id>-<8 hex of the construct address>`: stable for a construct path, distinct between paths
 * (workers find the head by this tag, so two clusters must not share it).
 */
function defaultClusterName(id: string, addr: string): string {
  const base = id.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^[^A-Za-z0-9]+|-+$/g, '').slice(0, 40) || 'cluster';
  return `${base}-${addr.slice(0, 8)}`;
}

function collect<T>(f: () => T, issues: Issue[]): T | undefined {
  try {
    return f();
  } catch (e) {
    if (!isPlanError(e)) throw e;
    issues.push(...e.issues);
    return undefined;
  }
}

/** Run `f`; a PlanError goes to `fail` (which throws), anything else propagates. */
function orFail<T>(f: () => T, fail: (issues: readonly Issue[]) => never): T {
  try {
    return f();
  } catch (e) {
    if (isPlanError(e)) return fail(e.issues);
    throw e;
  }
}
