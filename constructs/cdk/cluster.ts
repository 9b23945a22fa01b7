/**
 * `DeepSeekInferenceCluster`: a DeepSeek model served on EC2 GPU nodes behind an internal Network
 * Load Balancer, sized by the planner. Every decision comes from `awsBlueprint` (lib/deploy); this
 * file and its helpers (encryption, vpc, model-store, node-group, monitoring) only map it to CDK
 * resources.
 */
import { Annotations, Aws, CfnOutput, Duration, Names, Tags } from 'aws-cdk-lib';
import type * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { isPlanError } from '../../lib/errors';
import type { Plan } from '../../lib/plan/types';
import type { Issue } from '../../lib/types';
import {
  ACCESS_LOG_PREFIXES, awsBlueprint, cloudWatchAlarmPublishStatement, blueprintIssues, fsxLustreIssues, fsxLustreSpec, modelSourceIssues, modelStoreExists,
  NODES_REPORT_UNHEALTHY, peerIssues,
  type AwsBlueprint, type BlueprintChoices, type NodeGroupSpec, type RuleSource, type SecretRef, type VolumeSpec,
} from '../../lib/deploy';
import { planWithOverrides } from '../../lib/plan/overrides';
import { specFromProps, tokenIssues, type DeepSeekInferenceClusterProps } from './props';
import { acknowledgeFindings } from './acknowledgements';
import { clusterKey } from './encryption';
import { addVpcEndpoints, defaultVpc } from './vpc';
import { ClusterBuckets, logNlbAccessLogs } from './model-store';
import { applyCapacityToLaunchTemplate, nodeGroup } from './node-group';
import { ClusterMonitoring, monitoringInputs } from './monitoring';
import { ModelFileSystem } from './fsx';
import { DeepSeekInferenceClusterError, type ClusterEndpoint } from '../../lib/deploy/cluster-error';

export { DeepSeekInferenceClusterError, type ClusterEndpoint };


/**
 * A DeepSeek model served on EC2 GPU instances, sized from the model and precision.
 *
 * ```ts
 * const cluster = new DeepSeekInferenceCluster(this, 'R1', { model: 'deepseek-r1', allowedPeers: [ec2.Peer.ipv4('10.0.0.0/16')] });
 * ```
 */
export class DeepSeekInferenceCluster extends Construct implements ec2.IConnectable {
  /** The planner's output the cluster is built from. */
  readonly plan: Plan;
  /** Every AWS decision derived from the plan (shared with the cdktf and Pulumi adapters). */
  readonly blueprint: AwsBlueprint;
  readonly vpc: ec2.IVpc;
  /** Internal endpoint of the OpenAI-compatible API. */
  readonly endpoint: ClusterEndpoint;
  readonly loadBalancer: elbv2.NetworkLoadBalancer;
  /** Security group of the nodes (serving port from the load balancer; all traffic within itself for multi-node). */
  readonly securityGroup: ec2.SecurityGroup;
  /** Security group of the load balancer: the API's access list. */
  readonly loadBalancerSecurityGroup: ec2.SecurityGroup;
  /** Who may call the API: `cluster.connections.allowDefaultPortFrom(peer)`. */
  readonly connections: ec2.Connections;
  /** Role of the nodes (of rank 0 when `workerRole` exists). */
  readonly role: iam.Role;
  /** Role of the workers of a multi-node cluster with a model store: reads the store, never writes it (issue 13 §5). */
  readonly workerRole?: iam.Role;
  /** The worker role's inline policy. */
  readonly workerPolicy?: iam.Policy;
  /** One Auto Scaling group per rank (index = rank; rank 0 serves the API). */
  readonly autoScalingGroups: readonly autoscaling.AutoScalingGroup[];
  readonly launchTemplates: readonly ec2.LaunchTemplate[];
  readonly apiKeySecret: secretsmanager.ISecret;
  readonly logGroup: logs.LogGroup;
  /** Encrypts the log groups, the generated API key, the model store and the alarm topic. */
  readonly encryptionKey: kms.IKey;
  /** S3 copy of the Hugging Face checkpoint (undefined with an `s3://` source or `modelStore: false`). */
  readonly modelStore?: s3.IBucket;
  /** Kernel log (XID errors) shipped by the CloudWatch agent; undefined with `monitoring: false`. */
  readonly systemLogGroup?: logs.LogGroup;
  /** Agent parameter, alarms and dashboard; undefined with `monitoring: false`. */
  readonly monitoring?: ClusterMonitoring;
  /** Where alarms notify; undefined with `monitoring: false`. */
  readonly alarmTopic?: sns.ITopic;
  /** FSx for Lustre holding the checkpoint; undefined unless `fsxLustre` is true. */
  readonly fileSystem?: ModelFileSystem;

  constructor(scope: Construct, id: string, props: DeepSeekInferenceClusterProps) {
    super(scope, id);
    const fail = (issues: readonly Issue[]): never => {
      throw new DeepSeekInferenceClusterError(this.node.path, issues);
    };

    // 1. Validate everything that does not need resources; throw once with every problem.
    const issues: Issue[] = tokenIssues(props);
    const choices: BlueprintChoices = {
      clusterName: props.clusterName ?? Names.uniqueResourceName(this, { maxLength: 64, separator: '-' }),
      ...(props.modelSource !== undefined ? { modelSource: props.modelSource } : {}),
      weightsStorage: props.weightsStorage ?? 'auto',
      ...(props.capacity ? { capacity: props.capacity } : {}),
      ...(props.schedule ? { schedule: props.schedule } : {}),
      ...(props.costAllocationTags ? { extraTags: props.costAllocationTags } : {}),
    };
    let plan: Plan | undefined;
    if (issues.length === 0) {
      try {
        plan = planWithOverrides(specFromProps(props));
      } catch (e) {
        if (!isPlanError(e)) throw e;
        issues.push(...e.issues);
      }
      if (plan) issues.push(...blueprintIssues(plan, choices));
      if (plan && props.fsxLustre) issues.push(...fsxLustreIssues(plan, { modelStore: modelStoreExists(plan, props.modelSource, props.modelStore !== false) }));
      if (plan === undefined && props.modelSource !== undefined) issues.push(...modelSourceIssues(props.modelSource));
    }
    const peers = props.allowedPeers ?? [];
    issues.push(...peerIssues(peers.map(peerCidr), props.allowPublicIngress ?? false));
    // A caller's VPC is checked now; the default one is only created once everything is valid.
    const givenSubnets = props.vpc ? selectPrivateSubnets(props.vpc, props.vpcSubnets, issues) : [];
    if (issues.length > 0 || plan === undefined) fail(issues);
    this.plan = plan!;
    const retention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const key = this.encryptionKey = props.encryptionKey ?? clusterKey(this, 'Key', `deepseek-iac ${choices.clusterName}: logs, API key, model store, alarm topic`);
    const vpc = this.vpc = props.vpc ?? defaultVpc(this, key, retention);
    const subnets = props.vpc ? givenSubnets : selectPrivateSubnets(vpc, props.vpcSubnets, issues);
    if (issues.length > 0) fail(issues);

    // 2. Resources the blueprint refers to: secrets, log groups, buckets, the agent parameter's name.
    this.apiKeySecret = props.apiKeySecret ?? new secretsmanager.Secret(this, 'ApiKey', {
      description: `API key of the ${this.plan.model.id} inference cluster (${this.node.path})`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
      encryptionKey: key,
    });
    this.logGroup = new logs.LogGroup(this, 'EngineLogs', { retention, encryptionKey: key });
    // The layout's rule (lib/deploy/layout.ts): a Hugging Face checkpoint is cached unless turned off; here the store may also be given.
    const storeExists = modelStoreExists(this.plan, props.modelSource, props.modelStore !== false);
    const createStore = storeExists && props.modelStore === undefined;
    const buckets = createStore || props.certificateArn !== undefined ? new ClusterBuckets(this, 'Buckets', { key, modelStore: createStore }) : undefined;
    const store: s3.IBucket | undefined = !storeExists ? undefined : props.modelStore || buckets?.modelStore;
    if (store) this.modelStore = store;
    const monitoringOn = props.monitoring ?? true;
    const mon = monitoringOn ? monitoringInputs(this, choices.clusterName, key, retention) : undefined;
    if (mon) this.systemLogGroup = mon.systemLogs;

    const fileSystem = props.fsxLustre && store
      ? this.fileSystem = new ModelFileSystem(this, 'FileSystem', { spec: fsxLustreSpec(this.plan), vpc, subnet: subnets[0], key, clusterName: choices.clusterName })
      : undefined;

    const blueprint = this.blueprint = orFail(() => awsBlueprint(this.plan, {
      ...choices,
      apiKeySecret: secretRef(this.apiKeySecret),
      ...(props.huggingFaceTokenSecret ? { huggingFaceTokenSecret: secretRef(props.huggingFaceTokenSecret) } : {}),
      logGroup: { name: this.logGroup.logGroupName, arn: this.logGroup.logGroupArn },
      partition: Aws.PARTITION,
      kmsKeyArns: [key.keyArn],
      reportUnhealthy: NODES_REPORT_UNHEALTHY,
      ...(store ? { modelStore: { bucketName: store.bucketName, bucketArn: store.bucketArn, ...(store.encryptionKey ? { kmsKeyArn: store.encryptionKey.keyArn } : {}) } } : {}),
      ...(mon ? { observability: { systemLogGroup: { name: mon.systemLogs.logGroupName, arn: mon.systemLogs.logGroupArn }, agentConfigParameter: mon.agentConfigParameter } } : {}),
      ...(props.certificateArn !== undefined ? { tls: { certificateArn: props.certificateArn } } : {}),
      ...(fileSystem ? { fsxLustre: { dnsName: fileSystem.fileSystem.attrDnsName, mountName: fileSystem.fileSystem.attrLustreMountName } } : {}),
    }), fail);
    const storeLink = fileSystem && store && blueprint.modelStore ? fileSystem.linkBucket(store, blueprint.modelStore.prefix) : undefined;
    // The annotation id is the notice's registry code: acknowledge with Annotations.of(scope).acknowledgeWarning(code).
    for (const n of [...this.plan.notices, ...blueprint.warnings]) Annotations.of(this).addWarningV2(n.code, n.message);
    for (const [k, v] of Object.entries(blueprint.tags)) Tags.of(this).add(k, v);

    // 3. Network: security groups from the blueprint's rules.
    this.securityGroup = new ec2.SecurityGroup(this, 'NodeSecurityGroup', {
      // Outbound only as the blueprint's egress rules say (below).
      vpc, allowAllOutbound: false, description: `${blueprint.clusterName} nodes: engine port from the load balancer${blueprint.nodes > 1 ? ', all traffic between nodes' : ''}; no SSH`,
    });
    this.loadBalancerSecurityGroup = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc, allowAllOutbound: false, description: `${blueprint.clusterName} API: port ${blueprint.loadBalancer.port} from allowed peers`,
    });
    const groups = { cluster: this.securityGroup, loadBalancer: this.loadBalancerSecurityGroup };
    const sources = (source: RuleSource): ec2.IPeer[] => (source === 'allowedPeers' ? [...peers] : [groups[source]]);
    for (const rule of blueprint.ingressRules) {
      const port = rule.protocol === 'all' ? ec2.Port.allTraffic() : ec2.Port.tcpRange(rule.fromPort!, rule.toPort!);
      for (const peer of sources(rule.source)) groups[rule.group].addIngressRule(peer, port, rule.description);
    }
    for (const rule of blueprint.egressRules) {
      const port = rule.protocol === 'all' ? ec2.Port.allTraffic() : ec2.Port.tcpRange(rule.fromPort!, rule.toPort!);
      const to = rule.destination === 'anywhere' ? ec2.Peer.ipv4(rule.cidrIpv4!) : rule.destination === 'fsx' ? fileSystem?.securityGroup : groups[rule.destination];
      if (!to) throw new Error(`${this.node.path}: the blueprint has an egress rule to ${rule.destination}, which this construct did not create`);
      groups[rule.group].addEgressRule(to, port, rule.description);
    }
    fileSystem?.allowNodes(this.securityGroup);
    this.connections = new ec2.Connections({ securityGroups: [this.loadBalancerSecurityGroup], defaultPort: ec2.Port.tcp(blueprint.loadBalancer.port) });

    // 4. Node role: managed SSM core + the blueprint's scoped statements.
    this.role = new iam.Role(this, 'NodeRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: `${blueprint.clusterName} GPU nodes`,
      managedPolicies: blueprint.iam.managedPolicies.map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
    });
    const policy = new iam.Policy(this, 'NodePolicy', {
      roles: [this.role],
      statements: blueprint.iam.statements.map((s) => new iam.PolicyStatement({
        sid: s.sid, actions: [...s.actions], resources: [...s.resources], ...(s.conditions ? { conditions: s.conditions } : {}),
      })),
    });
    // Workers of a multi-node cluster with a model store: the same role without writes to the store (only rank 0 fills it).
    const workerIam = blueprint.workerIam;
    if (workerIam) {
      this.workerRole = new iam.Role(this, 'WorkerRole', {
        assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
        description: `${blueprint.clusterName} GPU nodes: workers (read the model store, never write it)`,
        managedPolicies: workerIam.managedPolicies.map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
      });
      this.workerPolicy = new iam.Policy(this, 'WorkerPolicy', {
        roles: [this.workerRole],
        statements: workerIam.statements.map((s) => new iam.PolicyStatement({
          sid: s.sid, actions: [...s.actions], resources: [...s.resources], ...(s.conditions ? { conditions: s.conditions } : {}),
        })),
      });
    }
    const roles = { node: this.role, worker: this.workerRole ?? this.role };
    // Secrets under the cluster key are covered by the blueprint's UseClusterKey statement; a caller's secret may have its own key.
    for (const secret of [this.apiKeySecret, props.huggingFaceTokenSecret]) {
      if (secret?.encryptionKey && secret.encryptionKey !== key) for (const role of new Set(Object.values(roles))) secret.encryptionKey.grantDecrypt(role);
    }
    if (props.vpcEndpoints ?? props.vpc === undefined) addVpcEndpoints(this, vpc, subnets, this.securityGroup, blueprint.vpcEndpoints ?? []);

    // 5. Nodes: one launch template and one Auto Scaling group of one instance per rank.
    const placementGroup = blueprint.placementGroup
      ? new ec2.PlacementGroup(this, 'PlacementGroup', { strategy: ec2.PlacementGroupStrategy.CLUSTER })
      : undefined;
    const nodeSubnets: ec2.SubnetSelection = blueprint.singleSubnet ? { subnets: [subnets[0]] } : { subnets };
    const machineImage = ec2.MachineImage.fromSsmParameter(blueprint.machineImage.ssmParameter, { os: ec2.OperatingSystemType.LINUX });
    const launchTemplates: ec2.LaunchTemplate[] = [];
    const groupsOut: autoscaling.AutoScalingGroup[] = [];
    for (const group of blueprint.nodeGroups) {
      const lt = this.launchTemplate(group, blueprint, machineImage, roles[group.instanceRole], placementGroup);
      applyCapacityToLaunchTemplate(lt, blueprint.capacity);
      const asg = nodeGroup(this, group, blueprint, vpc, nodeSubnets, lt);
      // Nodes read their permissions at boot: launch them only once the policy is attached.
      asg.node.addDependency(group.instanceRole === 'worker' && this.workerPolicy ? this.workerPolicy : policy);
      // Nodes look for the checkpoint on Lustre at boot: the link must exist first.
      if (storeLink) asg.node.addDependency(storeLink);
      for (const [k, v] of Object.entries(group.tags)) {
        Tags.of(asg).add(k, v);
        Tags.of(lt).add(k, v);
      }
      launchTemplates.push(lt);
      groupsOut.push(asg);
    }
    this.launchTemplates = launchTemplates;
    this.autoScalingGroups = groupsOut;

    // 6. Internal NLB on the engine port; only the serving rank is a target.
    const lb = blueprint.loadBalancer;
    this.loadBalancer = new elbv2.NetworkLoadBalancer(this, 'LoadBalancer', {
      vpc, internetFacing: false, vpcSubnets: { subnets }, securityGroups: [this.loadBalancerSecurityGroup], crossZoneEnabled: lb.crossZone,
    });
    const listener = this.loadBalancer.addListener('Api', {
      port: lb.port,
      ...(lb.tls
        ? { protocol: elbv2.Protocol.TLS, certificates: [elbv2.ListenerCertificate.fromArn(lb.tls.certificateArn)], sslPolicy: lb.tls.sslPolicy as elbv2.SslPolicy }
        : { protocol: elbv2.Protocol.TCP }),
    });
    if (lb.tls && buckets) logNlbAccessLogs(this.loadBalancer, buckets.accessLogs, ACCESS_LOG_PREFIXES.loadBalancer);
    const hc = lb.healthCheck;
    const targetGroup = listener.addTargets('Engine', {
      port: lb.port,
      protocol: elbv2.Protocol.TCP,
      targets: blueprint.nodeGroups.filter((g) => g.servesTraffic).map((g) => groupsOut[g.rank]),
      healthCheck: {
        enabled: true, protocol: elbv2.Protocol.HTTP, path: hc.path, port: String(hc.port),
        interval: Duration.seconds(hc.intervalSeconds), timeout: Duration.seconds(hc.timeoutSeconds),
        healthyThresholdCount: hc.healthyThreshold, unhealthyThresholdCount: hc.unhealthyThreshold,
      },
    });
    this.endpoint = {
      dnsName: this.loadBalancer.loadBalancerDnsName,
      port: lb.port,
      url: `${lb.tls ? 'https' : 'http'}://${this.loadBalancer.loadBalancerDnsName}:${lb.port}/v1`,
    };

    // 7. Monitoring: agent configuration, metric filters, alarms to a topic, dashboard.
    if (blueprint.observability && mon) {
      const topic = this.alarmTopic = props.alarmTopic ?? new sns.Topic(this, 'Alarms', { masterKey: key, enforceSSL: true, displayName: `${blueprint.clusterName} alarms` });
      // enforceSSL leaves a Deny-only policy: without this Allow, CloudWatch could never publish (lib/deploy/alarm-topic.ts).
      const publish = cloudWatchAlarmPublishStatement({ partition: Aws.PARTITION, region: Aws.REGION, accountId: Aws.ACCOUNT_ID });
      topic.addToResourcePolicy(new iam.PolicyStatement({
        sid: publish.sid, effect: iam.Effect.ALLOW, principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: [...publish.actions], resources: [topic.topicArn], conditions: publish.conditions,
      }));
      this.monitoring = new ClusterMonitoring(this, 'Monitoring', {
        spec: blueprint.observability, clusterName: blueprint.clusterName, agentConfigParameterName: mon.agentConfigParameter.name,
        engineLogs: this.logGroup, systemLogs: mon.systemLogs, loadBalancer: this.loadBalancer, targetGroup, topic,
      });
      for (const asg of groupsOut) asg.node.addDependency(this.monitoring.agentConfig);
    }

    // 8. Cost: the plan's hourly price as an output.
    const cost = blueprint.cost;
    new CfnOutput(this, 'HourlyCostUsd', {
      value: cost?.hourlyUsd !== undefined ? cost.hourlyUsd.toFixed(2) : 'unpriced',
      description: `Planned cost while running: ${cost?.description ?? ''}`.slice(0, 1000),
    });
    if (cost?.weeklyUsd !== undefined) {
      new CfnOutput(this, 'WeeklyCostUsd', { value: cost.weeklyUsd.toFixed(2), description: `${cost.runningHoursPerWeek} running hours per week under the schedule` });
    }

    acknowledgeFindings({
      blueprint, role: this.role, policy, ...(this.workerRole && this.workerPolicy ? { worker: { role: this.workerRole, policy: this.workerPolicy } } : {}), autoScalingGroups: groupsOut, loadBalancer: this.loadBalancer,
      apiKeySecret: props.apiKeySecret ? undefined : this.apiKeySecret, loadBalancerSecurityGroup: this.loadBalancerSecurityGroup,
      nodeSecurityGroup: this.securityGroup,
      publicIngress: (props.allowPublicIngress ?? false) && peerIssues(peers.map(peerCidr), false).length > 0,
      ...(props.vpc === undefined ? { createdVpc: vpc as ec2.Vpc } : {}),
      ...(buckets ? { buckets } : {}),
    });
  }

  private launchTemplate(group: NodeGroupSpec, bp: AwsBlueprint, machineImage: ec2.IMachineImage, role: iam.Role, placementGroup?: ec2.PlacementGroup): ec2.LaunchTemplate {
    const blockDevices = [bp.rootVolume, ...(bp.dataVolume ? [bp.dataVolume] : [])].map(blockDevice);
    const lt = new ec2.LaunchTemplate(this, `LaunchTemplateRank${group.rank}`, {
      machineImage,
      instanceType: new ec2.InstanceType(bp.instanceType),
      userData: ec2.UserData.custom(group.userData),
      role,
      securityGroup: this.securityGroup,
      httpEndpoint: true,
      httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED,
      httpPutResponseHopLimit: bp.instanceMetadata.httpPutResponseHopLimit,
      blockDevices,
      ...(placementGroup ? { placementGroup } : {}),
    });
    if (bp.networkInterfaces.length > 0) {
      // The L2 has no EFA interfaces: set them on the L1. With interfaces, security groups belong on
      // each interface and LaunchTemplateData.SecurityGroupIds must go.
      const cfn = lt.node.defaultChild as ec2.CfnLaunchTemplate;
      cfn.addPropertyOverride('LaunchTemplateData.NetworkInterfaces', bp.networkInterfaces.map((n) => ({
        NetworkCardIndex: n.networkCardIndex,
        DeviceIndex: n.deviceIndex,
        InterfaceType: n.interfaceType,
        Groups: [this.securityGroup.securityGroupId],
        DeleteOnTermination: true,
      })));
      cfn.addPropertyDeletionOverride('LaunchTemplateData.SecurityGroupIds');
    }
    return lt;
  }
}

function blockDevice(v: VolumeSpec): ec2.BlockDevice {
  return {
    deviceName: v.deviceName,
    volume: ec2.BlockDeviceVolume.ebs(v.sizeGiB, {
      volumeType: ec2.EbsDeviceVolumeType.GP3,
      encrypted: v.encrypted,
      deleteOnTermination: v.deleteOnTermination,
      ...(v.throughputMiBps !== undefined ? { throughput: v.throughputMiBps } : {}),
      ...(v.iops !== undefined ? { iops: v.iops } : {}),
    }),
  };
}

/** Private subnets for nodes and NLB; records an issue when there are none or public ones were selected. */
function selectPrivateSubnets(vpc: ec2.IVpc, selection: ec2.SubnetSelection | undefined, issues: Issue[]): ec2.ISubnet[] {
  if (selection?.subnetType === ec2.SubnetType.PUBLIC) {
    issues.push({ path: 'vpcSubnets', message: 'selects public subnets; nodes and the internal load balancer go in private subnets with egress' });
    return [];
  }
  try {
    const subnets = vpc.selectSubnets(selection ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnets;
    if (subnets.length > 0) return subnets;
  } catch {
    // selectSubnets throws when the VPC has no subnet group of the type: reported below.
  }
  issues.push({
    path: selection ? 'vpcSubnets' : 'vpc',
    message: `${selection ? 'selects no subnets' : 'has no private subnets with egress (PRIVATE_WITH_EGRESS)'}: nodes need private subnets with a NAT route to pull the engine image and the weights`,
  });
  return [];
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

/** An IPeer as CIDRs for the public-ingress check (security-group and prefix-list peers have none). */
function peerCidr(peer: ec2.IPeer): { cidrIpv4?: string; cidrIpv6?: string; label: string } {
  const cfg = peer.toIngressRuleConfig() as { cidrIp?: string; cidrIpv6?: string };
  return { label: peer.uniqueId, ...(cfg.cidrIp ? { cidrIpv4: cfg.cidrIp } : {}), ...(cfg.cidrIpv6 ? { cidrIpv6: cfg.cidrIpv6 } : {}) };
}

/** Id and IAM pattern of a secret: secrets imported by name or partial ARN get the `-??????` suffix Secrets Manager appends. */
function secretRef(secret: secretsmanager.ISecret): SecretRef {
  return { id: secret.secretArn, policyArn: secret.secretFullArn ?? `${secret.secretArn}-??????` };
}
