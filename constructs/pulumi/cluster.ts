/**
 * Pulumi `DeepSeekInferenceCluster`: a DeepSeek model served on EC2 GPU nodes behind an internal
 * Network Load Balancer, sized by the planner. Every decision comes from `awsBlueprint`
 * (lib/deploy), the same data the AWS CDK construct maps; this file only translates it into
 * @pulumi/aws resources, all children of the component.
 *
 * The blueprint is computed twice from the same plan: once when the program runs, with stand-in
 * ids, for everything that decides which resources exist (none of it depends on ids), and once inside
 * an `apply` with the real secret and log-group ARNs, for the two values that embed them (each
 * rank's user data and the node policy). Both calls are the same pure function, so nothing is
 * re-decided here.
 */
import { createHash } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';
import * as autoscaling from '@pulumi/aws/autoscaling';
import * as cloudwatch from '@pulumi/aws/cloudwatch';
import * as ec2 from '@pulumi/aws/ec2';
import * as iam from '@pulumi/aws/iam';
import * as kms from '@pulumi/aws/kms';
import * as lb from '@pulumi/aws/lb';
import type * as s3 from '@pulumi/aws/s3';
import * as secretsmanager from '@pulumi/aws/secretsmanager';
import * as ssm from '@pulumi/aws/ssm';
import * as vpc from '@pulumi/aws/vpc';
import { getCallerIdentityOutput } from '@pulumi/aws/getCallerIdentity';
import { getPartitionOutput } from '@pulumi/aws/getPartition';
import { getRegionOutput } from '@pulumi/aws/getRegion';
import { isPlanError } from '../../lib/errors';
import type { Plan } from '../../lib/plan/types';
import type { Issue } from '../../lib/types';
import {
  ACCESS_LOG_PREFIXES, agentConfigParameterName, awsBlueprint, blueprintIssues, parseModelSource, egressRules, modelSourceIssues, peerIssues, KEY_ROTATION_DAYS,
  type AwsBlueprint, type AwsBlueprintOptions, type BlueprintChoices, type NodeGroupSpec, type PeerCidr, type RuleSource, type VolumeSpec,
} from '../../lib/deploy';
import { planWithOverrides } from '../../lib/plan/overrides';
import { outputIssues, placementIssues, specFromArgs, type DeepSeekInferenceClusterArgs } from './props';
import { inputError } from './errors';
import { keyPolicyDocument } from '../../lib/deploy/policy-document';
import { clusterMonitoring, type ClusterMonitoring } from './monitoring';
import { logModelStoreAccess, modelStoreBucket } from './model-store';
import { accessLogBucket, type AccessLogBucket } from './access-logs';
import { vpcEndpoints, vpcFlowLogs, type VpcEndpoints, type VpcFlowLogs } from './vpc';
import { ec2TrustPolicy, policyDocument } from '../../lib/deploy/policy-document';
import { cidrPeers, DEFAULT_LOG_RETENTION_DAYS } from '../../lib/deploy/adapter-inputs';

/** Pulumi type token of the component. */
export const COMPONENT_TYPE = 'deepseek-iac:index:DeepSeekInferenceCluster';

/** Log retention when the arguments give none: one month, as the CDK construct. */

/** Stand-ins for the ids that are Outputs, used only for the run-time blueprint (never deployed). */
const LAYOUT_STAND_INS = {
  apiKeySecret: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:deepseek-iac-api-key-layout-only',
  hfTokenSecret: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:deepseek-iac-hf-token-layout-only',
  logGroupName: '/deepseek-iac/layout-only',
  logGroupArn: 'arn:aws:logs:us-east-1:000000000000:log-group:/deepseek-iac/layout-only',
  kmsKeyArn: 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000',
  systemLogGroupArn: 'arn:aws:logs:us-east-1:000000000000:log-group:/deepseek-iac/layout-only/system',
  agentConfigParameterArn: 'arn:aws:ssm:us-east-1:000000000000:parameter/deepseek-iac/layout-only/cloudwatch-agent',
  modelStoreBucket: 'deepseek-iac-models-layout-only',
  certificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000',
  partition: 'aws',
} as const;

/** The API endpoint: an internal NLB. */
export interface ClusterEndpoint {
  readonly dnsName: pulumi.Output<string>;
  readonly port: number;
  /** `http://<dns>:<port>/v1`, or `https://` with a TLS listener (OpenAI-compatible base URL). */
  readonly url: pulumi.Output<string>;
}

/**
 * A DeepSeek model served on EC2 GPU instances, sized from the model and precision.
 *
 * ```ts
 * new DeepSeekInferenceCluster('r1', { model: 'deepseek-r1', vpcId, subnetIds, allowedCidrs: ['10.0.0.0/16'] });
 * ```
 */
export class DeepSeekInferenceCluster extends pulumi.ComponentResource {
  /** The planner's output the cluster is built from. */
  readonly plan: Plan;
  /** One line: model, precision, topology, engine, storage, cost. */
  readonly summary: string;
  /** Every AWS decision derived from the plan, with the deployed ids (shared with the CDK and cdktf adapters). */
  readonly blueprint: pulumi.Output<AwsBlueprint>;
  readonly endpoint: ClusterEndpoint;
  /** Security group of the nodes. */
  readonly securityGroup: ec2.SecurityGroup;
  /** Security group of the load balancer: the API's access list. */
  readonly loadBalancerSecurityGroup: ec2.SecurityGroup;
  readonly role: iam.Role;
  readonly instanceProfile: iam.InstanceProfile;
  /** One launch template per rank (index = rank). */
  readonly launchTemplates: readonly ec2.LaunchTemplate[];
  /** One Auto Scaling group per rank (index = rank; rank 0 serves the API). */
  readonly autoScalingGroups: readonly autoscaling.Group[];
  readonly placementGroup?: ec2.PlacementGroup;
  readonly loadBalancer: lb.LoadBalancer;
  readonly targetGroup: lb.TargetGroup;
  readonly logGroup: cloudwatch.LogGroup;
  /** Customer-managed key of the cluster (policy from lib/deploy/encryption.ts): engine logs and the created API-key secret. */
  readonly encryptionKey: kms.Key;
  /** S3 copy of the Hugging Face checkpoint; undefined with an `s3://` source or `modelStore: false`. */
  readonly modelStore?: s3.Bucket;
  /** Receives the model store's server access logs and, with `certificateArn`, the load balancer's; undefined with neither. */
  readonly accessLogs?: AccessLogBucket;
  /** The `vpcEndpoints` argument's endpoints and their security group; undefined without it. */
  readonly vpcEndpoints?: VpcEndpoints;
  /** The `flowLogs` argument's flow log, log group and delivery role; undefined without it. */
  readonly flowLogs?: VpcFlowLogs;
  /** Kernel log (XID errors) shipped by the CloudWatch agent; undefined with `monitoring: false`. */
  readonly systemLogGroup?: cloudwatch.LogGroup;
  /** Agent parameter, alarm topic, alarms and dashboard; undefined with `monitoring: false`. */
  readonly monitoring?: ClusterMonitoring;
  /** Scheduled actions of the `schedule` argument (per rank: scale to zero, scale up); empty without one. */
  readonly scheduledActions: readonly autoscaling.Schedule[];
  /** The plan's cost of all nodes while running, USD per hour with two decimals, or `unpriced` (also a component output; `blueprint.cost` has the description). */
  readonly hourlyCostUsd: string;
  /** ARN of the API-key secret (the given one, or the created `apiKeySecret`). */
  readonly apiKeySecretArn: pulumi.Output<string>;
  /** The created API-key secret (no value: store one after `pulumi up`); undefined when `apiKeySecretArn` was given. */
  readonly apiKeySecret?: secretsmanager.Secret;

  constructor(name: string, args: DeepSeekInferenceClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENT_TYPE, name, {}, opts);
    const parent = { parent: this };

    // 1. Everything that needs no resources; throw once with every problem, each naming its property.
    const issues: Issue[] = outputIssues(args);
    const choices: BlueprintChoices = {
      clusterName: args.clusterName ?? defaultClusterName(name),
      ...(args.modelSource !== undefined ? { modelSource: args.modelSource } : {}),
      weightsStorage: args.weightsStorage ?? 'auto',
      ...(args.capacity ? { capacity: args.capacity } : {}),
      ...(args.schedule ? { schedule: args.schedule } : {}),
      ...(args.costAllocationTags ? { extraTags: args.costAllocationTags } : {}),
    };
    let plan: Plan | undefined;
    if (issues.length === 0) {
      plan = collect(() => planWithOverrides(specFromArgs(args)), issues);
      if (plan) issues.push(...blueprintIssues(plan, choices));
      else if (args.modelSource !== undefined) issues.push(...modelSourceIssues(args.modelSource));
    }
    const peers: PeerCidr[] = issues.some((i) => i.path.startsWith('allowedCidrs')) ? [] : cidrPeers(args.allowedCidrs ?? [], issues);
    issues.push(...peerIssues(peers, args.allowPublicIngress ?? false, 'allowedCidrs'), ...placementIssues(args));
    if (issues.length > 0 || plan === undefined) throw inputError(name, issues);
    this.plan = plan!;
    const clusterName = choices.clusterName;
    const monitoringOn = args.monitoring ?? true;
    const systemLogGroupName = `/deepseek-iac/${clusterName}/system`;
    const agentParameter = agentConfigParameterName(clusterName);
    // An s3:// source is read directly; a Hugging Face checkpoint is cached in a store unless turned off.
    const source = args.modelSource ?? this.plan.model.hfId;
    const storeOn = (args.modelStore ?? true) && source !== undefined && parseModelSource(source).kind !== 's3';
    const tlsOn = args.certificateArn !== undefined;
    const options = (ids: { cert: string; apiKey: string; hfToken?: string; logGroupName: string; logGroupArn: string; partition: string; kmsKey: string; systemLogArn: string; agentParamArn: string; bucket: string; bucketArn: string }): AwsBlueprintOptions => ({
      ...choices,
      apiKeySecret: { id: ids.apiKey, policyArn: ids.apiKey },
      ...(ids.hfToken !== undefined ? { huggingFaceTokenSecret: { id: ids.hfToken, policyArn: ids.hfToken } } : {}),
      logGroup: { name: ids.logGroupName, arn: ids.logGroupArn },
      partition: ids.partition,
      // As the CDK construct: nodes decrypt with the cluster key and report themselves unhealthy, so their group replaces them.
      kmsKeyArns: [ids.kmsKey],
      reportUnhealthy: true,
      ...(storeOn ? { modelStore: { bucketName: ids.bucket, bucketArn: ids.bucketArn, kmsKeyArn: ids.kmsKey } } : {}),
      ...(monitoringOn
        ? { observability: { systemLogGroup: { name: systemLogGroupName, arn: ids.systemLogArn }, agentConfigParameter: { name: agentParameter, arn: ids.agentParamArn } } }
        : {}),
      ...(tlsOn ? { tls: { certificateArn: ids.cert } } : {}),
    });
    const hasHfToken = args.huggingFaceTokenSecretArn !== undefined;
    const bp = orThrow(name, () => awsBlueprint(this.plan, options({
      cert: LAYOUT_STAND_INS.certificateArn, apiKey: LAYOUT_STAND_INS.apiKeySecret, ...(hasHfToken ? { hfToken: LAYOUT_STAND_INS.hfTokenSecret } : {}),
      logGroupName: LAYOUT_STAND_INS.logGroupName, logGroupArn: LAYOUT_STAND_INS.logGroupArn, partition: LAYOUT_STAND_INS.partition, kmsKey: LAYOUT_STAND_INS.kmsKeyArn,
      systemLogArn: LAYOUT_STAND_INS.systemLogGroupArn, agentParamArn: LAYOUT_STAND_INS.agentConfigParameterArn, bucket: LAYOUT_STAND_INS.modelStoreBucket, bucketArn: `arn:aws:s3:::${LAYOUT_STAND_INS.modelStoreBucket}`,
    })));
    this.summary = bp.summary;
    for (const n of [...this.plan.notices, ...bp.warnings]) pulumi.log.warn(`${n.code}: ${n.message}`, this);
    // The blueprint's tags: cost-allocation tags under the cluster tags, on every resource.
    const tags = { ...bp.tags };

    // 2. What the blueprint refers to: the cluster key, the API-key secret, the log group, the partition.
    const partition = getPartitionOutput({}, parent).partition;
    const accountId = getCallerIdentityOutput({}, parent).accountId;
    const region = getRegionOutput({}, parent).region;
    this.encryptionKey = new kms.Key(`${name}-key`, {
      description: `deepseek-iac ${clusterName}: logs, API key`,
      enableKeyRotation: true,
      rotationPeriodInDays: KEY_ROTATION_DAYS,
      policy: pulumi.all([partition, region, accountId]).apply(([p, r, a]) => keyPolicyDocument({ partition: p, region: r, accountId: a })),
      tags,
    }, parent);
    if (args.apiKeySecretArn === undefined) {
      // No secret version: a value generated here would be stored in the Pulumi state. The node's
      // engine unit retries until a value is stored (README).
      this.apiKeySecret = new secretsmanager.Secret(`${name}-api-key`, {
        namePrefix: `deepseek-iac/${clusterName}/api-key-`,
        description: `API key of the ${this.plan.model.id} inference cluster ${clusterName}; store it with aws secretsmanager put-secret-value`,
        kmsKeyId: this.encryptionKey.arn,
        tags,
      }, parent);
    }
    this.apiKeySecretArn = args.apiKeySecretArn !== undefined ? pulumi.output(args.apiKeySecretArn) : this.apiKeySecret!.arn;
    this.logGroup = new cloudwatch.LogGroup(`${name}-engine-logs`, {
      name: `/deepseek-iac/${clusterName}`, retentionInDays: args.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS, kmsKeyId: this.encryptionKey.arn, tags,
    }, parent);
    // The CloudWatch agent's log group and parameter exist before the blueprint: the boot script names them.
    if (monitoringOn) {
      this.systemLogGroup = new cloudwatch.LogGroup(`${name}-system-logs`, {
        name: systemLogGroupName, retentionInDays: args.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS, kmsKeyId: this.encryptionKey.arn, tags,
      }, parent);
    }
    if (storeOn) this.modelStore = modelStoreBucket(name, { kmsKeyArn: this.encryptionKey.arn, tags }, this);
    // As the CDK construct: one access-log bucket for the store's server access logs and the TLS listener's access logs.
    if (this.modelStore || tlsOn) {
      this.accessLogs = accessLogBucket(name, {
        partition, region, accountId, loadBalancer: tlsOn, ...(this.modelStore ? { modelStoreArn: this.modelStore.arn } : {}), tags,
      }, this);
      if (this.modelStore) logModelStoreAccess(name, this.modelStore, this.accessLogs.bucket.id, this);
    }
    const agentParamArn = pulumi.interpolate`arn:${partition}:ssm:${region}:${accountId}:parameter${agentParameter}`;
    this.blueprint = pulumi
      .all([this.apiKeySecretArn, pulumi.output(args.huggingFaceTokenSecretArn ?? ''), this.logGroup.name, this.logGroup.arn, partition, this.encryptionKey.arn,
        this.systemLogGroup?.arn ?? pulumi.output(''), agentParamArn, this.modelStore?.bucket ?? pulumi.output(''), this.modelStore?.arn ?? pulumi.output(''), pulumi.output(args.certificateArn ?? '')])
      .apply(([apiKey, hfToken, logGroupName, logGroupArn, part, kmsKey, systemLogArn, paramArn, bucket, bucketArn, cert]) => orThrow(name, () => awsBlueprint(this.plan, options({
        cert, apiKey, ...(hasHfToken ? { hfToken } : {}), logGroupName, logGroupArn, partition: part, kmsKey, systemLogArn, agentParamArn: paramArn, bucket, bucketArn,
      }))));

    // 3. Network: two security groups, rules from the blueprint. The provider removes the default
    // allow-all egress of groups it creates, so the nodes' outbound rule is explicit.
    this.securityGroup = new ec2.SecurityGroup(`${name}-nodes`, {
      vpcId: args.vpcId, tags,
      description: `${bp.clusterName} nodes: engine port from the load balancer${bp.nodes > 1 ? ', all traffic between nodes' : ''}; no SSH`,
    }, parent);
    this.loadBalancerSecurityGroup = new ec2.SecurityGroup(`${name}-api`, {
      vpcId: args.vpcId, tags, description: `${bp.clusterName} API: port ${bp.loadBalancer.port} from allowed peers`,
    }, parent);
    const groups = { cluster: this.securityGroup, loadBalancer: this.loadBalancerSecurityGroup };
    const sources = (source: RuleSource): Array<{ key: string; from: RuleFrom }> => {
      if (source !== 'allowedPeers') return [{ key: source, from: { referencedSecurityGroupId: groups[source].id } }];
      return [
        ...peers.map((p, i) => ({ key: `cidr${i}`, from: p.cidrIpv6 !== undefined ? { cidrIpv6: p.cidrIpv6 } : { cidrIpv4: p.cidrIpv4! } })),
        ...(args.allowedSecurityGroupIds ?? []).map((sg, i) => ({ key: `sg${i}`, from: { referencedSecurityGroupId: sg } })),
      ];
    };
    for (const rule of bp.ingressRules) {
      for (const src of sources(rule.source)) {
        new vpc.SecurityGroupIngressRule(`${name}-${rule.group}-from-${src.key}`, {
          securityGroupId: groups[rule.group].id, description: rule.description, ...src.from,
          ...(rule.protocol === 'all' ? { ipProtocol: '-1' } : { ipProtocol: 'tcp', fromPort: rule.fromPort!, toPort: rule.toPort! }),
        }, parent);
      }
    }
    for (const rule of egressRules(this.plan)) {
      new vpc.SecurityGroupEgressRule(`${name}-${rule.group}-to-${rule.destination}`, {
        securityGroupId: groups[rule.group].id, referencedSecurityGroupId: groups[rule.destination].id,
        ipProtocol: rule.protocol, fromPort: rule.fromPort, toPort: rule.toPort, description: rule.description,
      }, parent);
    }
    new vpc.SecurityGroupEgressRule(`${name}-cluster-to-anywhere`, {
      securityGroupId: this.securityGroup.id, cidrIpv4: '0.0.0.0/0', ipProtocol: '-1',
      description: 'Engine image, weights and AWS APIs (through the NAT)',
    }, parent);

    if (args.vpcEndpoints ?? false) {
      this.vpcEndpoints = vpcEndpoints(name, {
        vpcId: args.vpcId, subnetIds: args.subnetIds, nodeSecurityGroupId: this.securityGroup.id, region, specs: bp.vpcEndpoints ?? [], tags,
      }, this);
    }
    if (args.flowLogs ?? false) {
      this.flowLogs = vpcFlowLogs(name, {
        vpcId: args.vpcId, kmsKeyArn: this.encryptionKey.arn, retentionDays: args.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
        logGroupName: `/deepseek-iac/${clusterName}/vpc-flow-logs`, partition, region, accountId, tags,
      }, this);
    }

    // 4. Node role: managed policies + the blueprint's scoped statements (with the real ARNs).
    this.role = new iam.Role(`${name}-node`, { assumeRolePolicy: ec2TrustPolicy(), description: `${bp.clusterName} GPU nodes`, tags }, parent);
    for (const policy of bp.iam.managedPolicies) {
      new iam.RolePolicyAttachment(`${name}-${policy}`, { role: this.role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}` }, parent);
    }
    new iam.RolePolicy(`${name}-node`, { role: this.role.name, policy: this.blueprint.apply((b) => policyDocument(b.iam.statements)) }, parent);
    this.instanceProfile = new iam.InstanceProfile(`${name}-node`, { role: this.role.name, tags }, parent);

    // 5. Load balancer first: the serving group registers with its target group.
    const nlb = bp.loadBalancer;
    this.loadBalancer = new lb.LoadBalancer(`${name}-nlb`, {
      internal: nlb.scheme === 'internal', loadBalancerType: 'network', subnets: [...args.subnetIds],
      securityGroups: [this.loadBalancerSecurityGroup.id], enableCrossZoneLoadBalancing: nlb.crossZone, tags,
      // NLB access logs exist for TLS listeners only; the load balancer checks the bucket policy when they are turned on.
      ...(nlb.tls && this.accessLogs ? { accessLogs: { bucket: this.accessLogs.bucket.id, prefix: ACCESS_LOG_PREFIXES.loadBalancer, enabled: true } } : {}),
    }, { parent: this, ...(nlb.tls && this.accessLogs ? { dependsOn: [this.accessLogs.policy] } : {}) });
    const hc = nlb.healthCheck;
    this.targetGroup = new lb.TargetGroup(`${name}-engine`, {
      port: nlb.port, protocol: nlb.protocol, vpcId: args.vpcId, targetType: 'instance', tags,
      healthCheck: {
        enabled: true, protocol: hc.protocol, path: hc.path, port: String(hc.port), interval: hc.intervalSeconds,
        timeout: hc.timeoutSeconds, healthyThreshold: hc.healthyThreshold, unhealthyThreshold: hc.unhealthyThreshold,
      },
    }, parent);
    // With a certificate the listener terminates TLS; the target group stays TCP (the engine speaks plain HTTP).
    new lb.Listener(`${name}-api`, {
      loadBalancerArn: this.loadBalancer.arn, port: nlb.port, tags,
      ...(nlb.tls ? { protocol: 'TLS', certificateArn: args.certificateArn!, sslPolicy: nlb.tls.sslPolicy } : { protocol: nlb.protocol }),
      defaultActions: [{ type: 'forward', targetGroupArn: this.targetGroup.arn }],
    }, parent);

    // 6. Monitoring, before the nodes: the groups wait for the agent parameter their nodes fetch at boot.
    if (bp.observability && this.systemLogGroup) {
      this.monitoring = clusterMonitoring(name, {
        spec: bp.observability, clusterName: bp.clusterName, agentConfigParameterName: agentParameter,
        logGroupNames: { engine: this.logGroup.name, system: this.systemLogGroup.name },
        loadBalancerArnSuffix: this.loadBalancer.arnSuffix, targetGroupArnSuffix: this.targetGroup.arnSuffix,
        region, kmsKeyId: this.encryptionKey.arn, tags, partition, accountId,
      }, this);
    }

    // 6b. Nodes: one launch template and one Auto Scaling group of one instance per rank.
    if (bp.placementGroup) {
      this.placementGroup = new ec2.PlacementGroup(`${name}-placement`, { strategy: bp.placementGroup.strategy, tags }, parent);
    }
    // Resolved when Pulumi runs (like the CDK construct's SSM parameter at deploy): all nodes of one update share one AMI.
    const imageId = ssm.getParameterOutput({ name: bp.machineImage.ssmParameter }, parent).insecureValue;
    const subnets = bp.singleSubnet ? args.subnetIds.slice(0, 1) : [...args.subnetIds];
    this.launchTemplates = bp.nodeGroups.map((g) => this.launchTemplate(name, g, bp, imageId));
    this.autoScalingGroups = bp.nodeGroups.map((g) => new autoscaling.Group(`${name}-rank${g.rank}`, {
      minSize: g.size, maxSize: g.size, desiredCapacity: g.size,
      vpcZoneIdentifiers: subnets,
      healthCheckType: g.healthCheckType,
      healthCheckGracePeriod: bp.healthCheckGraceSeconds,
      ...(g.servesTraffic ? { targetGroupArns: [this.targetGroup.arn] } : {}),
      ...capacityOfGroup(bp, this.launchTemplates[g.rank]),
      // Do not block the update on GPU capacity (as CloudFormation, which does not wait either): the group keeps retrying.
      waitForCapacityTimeout: '0',
      tags: Object.entries(g.tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
    }, { parent: this, ...(this.monitoring ? { dependsOn: [this.monitoring.agentConfig] } : {}) }));

    // 7. Scale to zero and back: one scheduled action per group and schedule entry.
    this.scheduledActions = bp.nodeGroups.flatMap((g) => (bp.schedule?.actions ?? []).map((a) => {
      const size = a.size === 0 ? 0 : g.size;
      return new autoscaling.Schedule(`${name}-rank${g.rank}-${a.id}`, {
        autoscalingGroupName: this.autoScalingGroups[g.rank].name, scheduledActionName: a.id,
        recurrence: a.cron, timeZone: a.timeZone, minSize: size, maxSize: size, desiredCapacity: size,
      }, parent);
    }));

    // 8. Cost: the plan's hourly price as a component output (as the CDK construct's stack output).
    this.hourlyCostUsd = bp.cost?.hourlyUsd !== undefined ? bp.cost.hourlyUsd.toFixed(2) : 'unpriced';

    this.endpoint = {
      dnsName: this.loadBalancer.dnsName,
      port: nlb.port,
      url: pulumi.interpolate`${nlb.tls ? 'https' : 'http'}://${this.loadBalancer.dnsName}:${nlb.port}/v1`,
    };
    this.registerOutputs({
      url: this.endpoint.url,
      apiKeySecretArn: this.apiKeySecretArn,
      securityGroupId: this.securityGroup.id,
      loadBalancerSecurityGroupId: this.loadBalancerSecurityGroup.id,
      logGroupName: this.logGroup.name,
      summary: this.summary,
      hourlyCostUsd: this.hourlyCostUsd,
    });
  }

  private launchTemplate(name: string, group: NodeGroupSpec, bp: AwsBlueprint, imageId: pulumi.Output<string>): ec2.LaunchTemplate {
    const efa = bp.networkInterfaces.length > 0;
    return new ec2.LaunchTemplate(`${name}-rank${group.rank}`, {
      description: `${bp.clusterName} rank ${group.rank} (${group.role})`,
      imageId,
      instanceType: bp.instanceType,
      userData: this.blueprint.apply((b) => Buffer.from(b.nodeGroups[group.rank].userData, 'utf8').toString('base64')),
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
    }, { parent: this });
  }
}

/** Where an ingress rule's traffic comes from, as `aws.vpc.SecurityGroupIngressRule` arguments. */
type RuleFrom = { readonly cidrIpv4?: string; readonly cidrIpv6?: string; readonly referencedSecurityGroupId?: pulumi.Input<string> };

/**
 * How a group takes its launch template: directly, or through a prioritized mixed-instances policy
 * (fallback instance types in the blueprint's order, or Spot), with capacity rebalancing for Spot.
 */
function capacityOfGroup(bp: AwsBlueprint, lt: ec2.LaunchTemplate) {
  const version = lt.latestVersion.apply((v) => String(v));
  const c = bp.capacity;
  const mixed = c?.mixedInstances;
  if (!c || !mixed) return { launchTemplate: { id: lt.id, version } };
  return {
    mixedInstancesPolicy: {
      launchTemplate: {
        launchTemplateSpecification: { launchTemplateId: lt.id, version },
        overrides: c.instanceTypes.map((instanceType) => ({ instanceType })),
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

/**
 * `<name>-<8 hex of sha256(project/stack/name)>`: stable for a resource, distinct between stacks and
 * projects (workers find the head by this tag, so two clusters must not share it).
 */
function defaultClusterName(name: string): string {
  const base = name.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^[^A-Za-z0-9]+|-+$/g, '').slice(0, 40) || 'cluster';
  const hash = createHash('sha256').update(`${pulumi.getProject()}/${pulumi.getStack()}/${name}`).digest('hex').slice(0, 8);
  return `${base}-${hash}`;
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

/** Run `f`; a PlanError becomes the component's input-property error, anything else propagates. */
function orThrow<T>(name: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (isPlanError(e)) throw inputError(name, e.issues);
    throw e;
  }
}
