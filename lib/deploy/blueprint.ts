/**
 * `awsBlueprint(plan, options)`: every decision an AWS adapter (CDK, cdktf, Pulumi) needs, as plain
 * data. Adapters only translate it into their resources; nothing here knows a framework.
 *
 * Values the adapter owns (secret ARNs, the log group's name and ARN, the partition) come in through
 * `options` and may be the adapter's tokens: they are copied into the user data and the policy
 * statements as opaque strings.
 */
import { PlanError } from '../errors';
import type { Plan } from '../plan/types';
import type { CpuArchitecture, Issue } from '../types';
import { clusterTags, costTagIssues, planSummary, rankTags, validateClusterName } from './naming';
import { parseModelSource, type ModelSource } from './model-source';
import { efaNetworkInterfaces, egressRules, ingressRules, type EgressRule, type IngressRule, type NetworkInterfaceSpec } from './network';
import { NODE_MANAGED_POLICIES, nodePolicyStatements, type NodePolicyInput, type PolicyStatementSpec } from './iam';
import { loadBalancerHealthCheck, type LoadBalancerHealthCheck } from './health';
import { renderNodeUserData, TOKEN_VALUE_MAX_BYTES, USER_DATA_MAX_BYTES, type DeployTimeValue, type NodeUserDataInput, type WeightsStorage } from './user-data';
import { bytesAfterExpansion } from './refs';
import { capacitySpec, type CapacityOptions, type CapacitySpec } from './capacity';
import { modelStorePrefix, weightLoadEstimate, type ModelStoreRef, type ModelStoreSpec, type WeightLoadEstimate } from './weight-cache';
import {
  alarmSpecs, cloudWatchAgentConfig, dashboardWidgets, metricFilters, metricsNamespace,
  type AlarmSpec, type DashboardWidgetSpec, type MetricFilterSpec,
} from './observability';
import { scheduleSpec, type ScheduleOptions, type ScheduleSpec } from './schedule';
import { fsxLustreIssues, fsxLustreSpec, type FsxLustreMount, type FsxLustreSpec } from './fsx';
import { TLS_POLICY, vpcEndpoints, withEndpointPolicies, type TlsListenerSpec, type VpcEndpointSpec } from './private-network';
import { blueprintWarning, type BlueprintWarning } from './blueprint-warning';

/**
 * Public SSM parameter with the latest Deep Learning Base OSS Nvidia Driver GPU AMI (Ubuntu 22.04,
 * x86_64): NVIDIA driver, Docker with the NVIDIA container toolkit, the EFA driver and aws-ofi-nccl,
 * SSM agent (DLAMI release notes, https://docs.aws.amazon.com/dlami/latest/devguide/appendix-ami-release-notes.html, confirmed).
 * Resolved at deploy time, so synth needs no AWS credentials.
 */
export const DLAMI_SSM_PARAMETER = '/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id';

/**
 * The arm64 counterpart for Grace-based types (p6e-gb200/gb300): DLAMI ARM64 Base OSS Nvidia Driver
 * GPU AMI, Ubuntu 24.04 — the arm64 DLAMI whose release notes list P6e-GB200/GB300
 * (https://docs.amazonaws.cn/dlami/latest/devguide/aws-deep-learning-ami-gpubaseossarm64-ul2404-2026-10-08.html);
 * parameter name as in https://docs.aws.amazon.com/dlami/latest/devguide/find-dlami-id.html and public IaC.
 */
export const DLAMI_SSM_PARAMETER_ARM64 = '/aws/service/deeplearning/ami/arm64/base-oss-nvidia-driver-gpu-ubuntu-24.04/latest/ami-id';

/** The DLAMI SSM parameter for the plan's host CPU architecture. */
export function dlamiSsmParameter(cpuArchitecture: CpuArchitecture): string {
  return cpuArchitecture === 'arm64' ? DLAMI_SSM_PARAMETER_ARM64 : DLAMI_SSM_PARAMETER;
}

/** Root device of Ubuntu AMIs (Canonical images, and the DLAMIs built on them, map the root at /dev/sda1; third-party templates, not re-read in AWS docs). */
export const ROOT_DEVICE_NAME = '/dev/sda1';
/**
 * Root volume, GiB: the DLAMI base image already uses ~50 GiB of its 73 GiB root (a `df -h` of
 * DLAMI Base OSS Ubuntu 22.04 20250505 in tekumara/notes aws-deeplearning-ami.md, third-party), and
 * Docker keeps the engine image (vLLM/SGLang: tens of GiB unpacked) on the root filesystem.
 */
export const ROOT_VOLUME_GIB = 200;
/** Device name of the weights volume in the block-device mapping (the node finds it by size, not by this name). */
export const DATA_DEVICE_NAME = '/dev/sdf';
/**
 * gp3 performance for the weights volume: 1,000 MiB/s and 16,000 IOPS, the gp3 maximums that hold
 * in every region (https://docs.aws.amazon.com/ebs/latest/userguide/general-purpose.html, confirmed;
 * throughput ≤ 0.25 MiB/s per IOPS, here 0.0625). Loading is sequential reads, so throughput is what
 * matters; the IOPS keep the ratio valid and help the many-file downloads.
 */
export const DATA_VOLUME_THROUGHPUT_MIBPS = 1000;
/** Provisioned IOPS of the weights volume (see DATA_VOLUME_THROUGHPUT_MIBPS). */
export const DATA_VOLUME_IOPS = 16000;

/** Where the weights go: `auto` follows the plan (`storage.preferInstanceStore`). */
export type WeightsStorageChoice = 'auto' | 'ebs' | 'instance-store';

/** A secret as the adapter sees it. */
export interface SecretRef {
  /** Id passed to `aws secretsmanager get-secret-value` (ARN or name). */
  readonly id: string;
  /** IAM resource pattern covering the secret (the full ARN, or a partial ARN with `-??????`). */
  readonly policyArn: string;
}

/** Adapter inputs besides the plan. */
export interface AwsBlueprintOptions {
  /** Tag value identifying the cluster; workers find the head by it. */
  readonly clusterName: string;
  /** Raw `modelSource` prop; default: the plan's Hugging Face id. */
  readonly modelSource?: string;
  /** @default 'auto' */
  readonly weightsStorage?: WeightsStorageChoice;
  readonly apiKeySecret: SecretRef;
  readonly huggingFaceTokenSecret?: SecretRef;
  readonly logGroup: { readonly name: string; readonly arn: string };
  /** AWS partition, or the adapter's partition token. */
  readonly partition: string;
  /** Reservation, Capacity Block, Spot or fallback instance types. @default On-Demand, the plan's type only */
  readonly capacity?: CapacityOptions;
  /** S3 bucket caching a Hugging Face checkpoint (ignored for an `s3://` source, which is read directly). */
  readonly modelStore?: ModelStoreRef;
  /** KMS keys the nodes decrypt with (e.g. the key of the API-key secret); the model store's key is added. */
  readonly kmsKeyArns?: readonly string[];
  /** CloudWatch agent: its log group (kernel log) and the SSM parameter holding its configuration. Absent = no agent, no GPU alarms. */
  readonly observability?: {
    readonly systemLogGroup: { readonly name: string; readonly arn: string };
    readonly agentConfigParameter: { readonly name: string; readonly arn: string };
  };
  /** Scale every group to zero and back on a schedule. */
  readonly schedule?: ScheduleOptions;
  /** ACM certificate for a TLS listener on the load balancer (clients then use https://). */
  readonly tls?: { readonly certificateArn: string };
  /** Cost-allocation tags for every resource, on top of the cluster tags. */
  readonly extraTags?: Readonly<Record<string, string>>;
  /**
   * Nodes mark themselves unhealthy after a failed boot or a lost GPU (the watchdog), so their group
   * replaces them; adds `autoscaling:SetInstanceHealth` on this cluster's groups to the role.
   * @default false (the watchdog then only logs)
   */
  readonly reportUnhealthy?: boolean;
  /**
   * FSx for Lustre file system the adapter created from `fsxLustreSpec(plan)` and linked to the
   * model store: nodes mount it and read the weights from it. Multi-node plans with a model store only.
   */
  readonly fsxLustre?: FsxLustreMount;
}

/** An EBS volume of the launch template. */
export interface VolumeSpec {
  readonly deviceName: string;
  readonly sizeGiB: number;
  readonly volumeType: 'gp3';
  readonly encrypted: true;
  readonly deleteOnTermination: true;
  readonly throughputMiBps?: number;
  readonly iops?: number;
}

/** One rank of the cluster: its own launch template and Auto Scaling group of one node (or the single node). */
export interface NodeGroupSpec {
  readonly rank: number;
  readonly role: 'single' | 'head' | 'worker';
  /** Instances of this group: 1 per rank. */
  readonly size: number;
  /** Tags on the group's instances (cluster tags + rank). */
  readonly tags: Readonly<Record<string, string>>;
  readonly userData: string;
  /** Registered with the load balancer (single node / head). */
  readonly servesTraffic: boolean;
  /**
   * What the Auto Scaling group judges: EC2 status only, for every rank. The engine's health is
   * judged on the node by the watchdog, which tolerates a restart (health.ts engineRestartGraceSeconds).
   */
  readonly healthCheckType: 'EC2';
  /** Which role the group's instances take: `node` (`iam`), or `worker` (`workerIam`: no writes to the model store). */
  readonly instanceRole: 'node' | 'worker';
}

/** An instance role: AWS managed policies by name and the inline statements. */
export interface IamRoleSpec {
  readonly managedPolicies: readonly string[];
  readonly statements: readonly PolicyStatementSpec[];
}

export type { BlueprintWarning };

/** Everything an AWS adapter builds. */
export interface AwsBlueprint {
  readonly plan: Plan;
  readonly clusterName: string;
  /** One line for logs. */
  readonly summary: string;
  readonly modelSource: ModelSource;
  readonly instanceType: string;
  /** Total nodes = sum of the groups' sizes = plan.topology.nodes. */
  readonly nodes: number;
  readonly machineImage: { readonly ssmParameter: string };
  readonly rootVolume: VolumeSpec;
  /** The EBS weights volume; absent when the weights go to instance-store NVMe. */
  readonly dataVolume?: VolumeSpec;
  readonly storage: WeightsStorage;
  /** IMDSv2 only; hop limit 1 keeps bridge-networked containers away from the instance credentials. */
  readonly instanceMetadata: { readonly httpTokens: 'required'; readonly httpPutResponseHopLimit: 1 };
  /** EFA interfaces; empty = a plain primary interface with the cluster security group. */
  readonly networkInterfaces: readonly NetworkInterfaceSpec[];
  /** Cluster placement group and one subnet for multi-node (EFA needs both). */
  readonly placementGroup?: { readonly strategy: 'cluster' };
  readonly singleSubnet: boolean;
  readonly tags: Readonly<Record<string, string>>;
  readonly nodeGroups: readonly NodeGroupSpec[];
  readonly ingressRules: readonly IngressRule[];
  /** Every outbound rule; no group allows all outbound traffic (network.ts egressRules). */
  readonly egressRules: readonly EgressRule[];
  readonly loadBalancer: {
    readonly scheme: 'internal';
    /** Protocol of the target group (and of the listener unless `tls` is set). */
    readonly protocol: 'TCP';
    readonly port: number;
    /** Multi-node groups live in one AZ while the NLB spans the VPC's private subnets. */
    readonly crossZone: true;
    readonly healthCheck: LoadBalancerHealthCheck;
    /** When set, the listener on `port` is TLS with this certificate; targets stay TCP. */
    readonly tls?: TlsListenerSpec;
  };
  /** Follows the slowest load path a boot may take (`weightLoad.graceSeconds`). */
  readonly healthCheckGraceSeconds: number;
  /** The node role: every rank's, or rank 0's when `workerIam` is set. */
  readonly iam: IamRoleSpec;
  /**
   * The workers' role of a multi-node cluster with a model store: the node role without writes to the
   * store (only rank 0 fills it, issue 13 §5). Absent: every rank takes `iam`.
   */
  readonly workerIam?: IamRoleSpec;
  readonly warnings: readonly BlueprintWarning[];
  /** Purchase option and instance types of every group. */
  readonly capacity?: CapacitySpec;
  /** Where a Hugging Face checkpoint is cached; absent without a store or with an `s3://` source. */
  readonly modelStore?: ModelStoreSpec;
  /** Expected load times per path; the grace period follows the first boot. */
  readonly weightLoad?: WeightLoadEstimate;
  /** Metrics, log metric filters, alarms and dashboard; present with the `observability` option. */
  readonly observability?: ObservabilitySpec;
  readonly schedule?: ScheduleSpec;
  /** VPC endpoints that let the nodes reach the AWS APIs they call without NAT. */
  readonly vpcEndpoints?: readonly VpcEndpointSpec[];
  /** The plan's hourly cost for stack outputs. */
  readonly cost?: CostSummary;
  /** The FSx for Lustre file system the nodes read the weights from; present with the `fsxLustre` option. */
  readonly fsxLustre?: FsxLustreSpec;
}

/** Observability decisions. */
export interface ObservabilitySpec {
  /** Namespace of the agent's GPU metrics and of the log metrics. */
  readonly namespace: string;
  /** CloudWatch agent configuration (store as JSON in the SSM parameter; may hold adapter tokens). */
  readonly agentConfig: Readonly<Record<string, unknown>>;
  readonly metricFilters: readonly MetricFilterSpec[];
  readonly alarms: readonly AlarmSpec[];
  readonly dashboard: readonly DashboardWidgetSpec[];
}

/** What the cluster costs while it runs. */
export interface CostSummary {
  /** All nodes, USD per hour, at the catalog's on-demand price; undefined when unpriced. */
  readonly hourlyUsd?: number;
  /** One line: price, source date and region, and what it leaves out. */
  readonly description: string;
  /** Node-hours per week under the schedule, when it repeats weekly. */
  readonly runningHoursPerWeek?: number;
  /** hourlyUsd × runningHoursPerWeek. */
  readonly weeklyUsd?: number;
}

/**
 * Derive the AWS deployment of a plan.
 * @throws PlanError with every problem: bad model source, no default source, instance store
 *   requested but too small, a non-NVIDIA or non-AWS plan, user data over 16 KB.
 */
export function awsBlueprint(plan: Plan, options: AwsBlueprintOptions): AwsBlueprint {
  const checked = checkOptions(plan, options);
  if (checked.issues.length > 0) throw new PlanError(checked.issues);
  const issues: Issue[] = [];
  const { clusterName, modelSource, storage, capacity, schedule } = checked;
  if (options.fsxLustre) {
    const fsxIssues = fsxLustreIssues(plan, { modelStore: options.modelStore !== undefined && modelSource.kind === 'huggingface' });
    if (fsxIssues.length > 0) throw new PlanError(fsxIssues);
  }
  const fsx = options.fsxLustre ? fsxLustreSpec(plan) : undefined;

  const nodes = plan.topology.nodes;
  const summary = planSummary(plan, storage.kind);
  const tags = { ...options.extraTags, ...clusterTags(plan, clusterName) };
  const modelStore: ModelStoreSpec | undefined = options.modelStore && modelSource.kind === 'huggingface'
    ? { ...options.modelStore, prefix: modelStorePrefix(modelSource) }
    : undefined;
  const weightLoad = weightLoadEstimate(plan, { source: modelSource, storage, withModelStore: modelStore !== undefined, dataVolumeThroughputMiBps: DATA_VOLUME_THROUGHPUT_MIBPS,
    ...(fsx ? { fsxThroughputBytesPerSecond: fsx.throughputBytesPerSecond } : {}),
  });
  const obs = options.observability;
  const max = TOKEN_VALUE_MAX_BYTES;
  const deployTimeValues: DeployTimeValue[] = [
    { value: options.apiKeySecret.id, maxBytes: max.secretArn },
    ...(options.huggingFaceTokenSecret ? [{ value: options.huggingFaceTokenSecret.id, maxBytes: max.secretArn }] : []),
    { value: options.logGroup.name, maxBytes: max.logGroupName },
    ...(modelStore ? [{ value: modelStore.bucketName, maxBytes: max.bucketName }] : []),
    ...(obs ? [{ value: obs.agentConfigParameter.name, maxBytes: max.ssmParameterName }] : []),
    ...(options.fsxLustre ? [{ value: options.fsxLustre.dnsName, maxBytes: max.fsxDnsName }, { value: options.fsxLustre.mountName, maxBytes: max.fsxMountName }] : []),
  ];
  // Plain text when it fits EC2's 16 KB after the deploy-time values expand; else the body is shipped gzip-packed.
  const fits = (userData: string) => bytesAfterExpansion(userData, deployTimeValues).expandedBytes <= USER_DATA_MAX_BYTES;
  const nodeUserData = (rank: number): string => {
    const input: NodeUserDataInput = {
      plan, rank, clusterName, modelSource, storage,
      apiKeySecretId: options.apiKeySecret.id,
      ...(options.huggingFaceTokenSecret ? { huggingFaceTokenSecretId: options.huggingFaceTokenSecret.id } : {}),
      logGroupName: options.logGroup.name,
      summary,
      ...(modelStore ? { modelStore: { bucketName: modelStore.bucketName, prefix: modelStore.prefix } } : {}),
      ...(obs ? { agentConfigParameter: obs.agentConfigParameter.name } : {}),
      ...(options.reportUnhealthy ? { reportUnhealthy: true } : {}),
      ...(options.fsxLustre && fsx ? { fsxLustre: { ...options.fsxLustre, path: fsx.fileSystemPath } } : {}),
    };
    const plain = renderNodeUserData(input);
    return fits(plain) ? plain : renderNodeUserData({ ...input, packBody: true });
  };
  // Only rank 0 fills the model store: with one, the workers get a role that cannot write to it.
  const workerRole = nodes > 1 && modelStore !== undefined;
  const nodeGroups: NodeGroupSpec[] = Array.from({ length: nodes }, (_, rank) => ({
    rank,
    role: nodes === 1 ? 'single' : rank === 0 ? 'head' : 'worker',
    size: 1,
    tags: { ...tags, ...rankTags(rank) },
    userData: nodeUserData(rank),
    servesTraffic: rank === 0,
    healthCheckType: 'EC2' as const,
    instanceRole: workerRole && rank > 0 ? 'worker' as const : 'node' as const,
  }));
  for (const g of nodeGroups) {
    // Tokens are short at synth and long at deploy: check the size they will have (issue 13).
    const { bytes, tokens, expandedBytes } = bytesAfterExpansion(g.userData, deployTimeValues);
    if (expandedBytes > USER_DATA_MAX_BYTES) {
      const room = tokens > 0 ? ` (${expandedBytes} once its ${tokens} deploy-time value(s) expand to their longest)` : '';
      issues.push({ path: 'userData', message: `rank ${g.rank} user data is ${bytes} bytes${room}, over EC2's ${USER_DATA_MAX_BYTES}` });
    }
  }
  if (issues.length > 0) throw new PlanError(issues);

  const secretArns = [options.apiKeySecret.policyArn, ...(options.huggingFaceTokenSecret ? [options.huggingFaceTokenSecret.policyArn] : [])];
  const kmsKeyArns = [...new Set([...(options.kmsKeyArns ?? []), ...(modelStore?.kmsKeyArn !== undefined ? [modelStore.kmsKeyArn] : [])])];
  const namespace = metricsNamespace(clusterName);
  const policyInput: NodePolicyInput = {
    partition: options.partition, modelSource: modelSource, secretArns, logGroupArn: options.logGroup.arn, multiNode: nodes > 1,
    ...(options.reportUnhealthy ? { clusterName } : {}),
    ...(modelStore ? { modelStore } : {}),
    ...(kmsKeyArns.length > 0 ? { kmsKeyArns } : {}),
    ...(obs ? { agent: { namespace, logGroupArn: obs.systemLogGroup.arn, configParameterArn: obs.agentConfigParameter.arn } } : {}),
  };
  return {
    plan,
    clusterName: clusterName,
    summary,
    modelSource: modelSource,
    instanceType: plan.topology.instanceType,
    nodes,
    machineImage: { ssmParameter: dlamiSsmParameter(plan.topology.cpuArchitecture) },
    rootVolume: { deviceName: ROOT_DEVICE_NAME, sizeGiB: ROOT_VOLUME_GIB, volumeType: 'gp3', encrypted: true, deleteOnTermination: true },
    ...(storage.kind === 'ebs'
      ? {
          dataVolume: {
            deviceName: DATA_DEVICE_NAME, sizeGiB: storage.volumeGiB, volumeType: 'gp3', encrypted: true, deleteOnTermination: true,
            throughputMiBps: DATA_VOLUME_THROUGHPUT_MIBPS, iops: DATA_VOLUME_IOPS,
          } satisfies VolumeSpec,
        }
      : {}),
    storage: storage,
    instanceMetadata: { httpTokens: 'required', httpPutResponseHopLimit: 1 },
    networkInterfaces: nodes > 1 ? efaNetworkInterfaces(plan.topology.efaInterfacesPerNode) : [],
    ...(nodes > 1 ? { placementGroup: { strategy: 'cluster' as const } } : {}),
    singleSubnet: nodes > 1,
    tags,
    nodeGroups,
    ingressRules: ingressRules(plan),
    egressRules: egressRules(plan, fsx ? { fsxLustre: { ports: fsx.ports } } : {}),
    loadBalancer: {
      scheme: 'internal', protocol: 'TCP', port: plan.serving.port, crossZone: true, healthCheck: loadBalancerHealthCheck(plan),
      ...(options.tls ? { tls: { certificateArn: options.tls.certificateArn, sslPolicy: TLS_POLICY } } : {}),
    },
    healthCheckGraceSeconds: weightLoad.graceSeconds,
    iam: { managedPolicies: NODE_MANAGED_POLICIES, statements: nodePolicyStatements(policyInput) },
    ...(workerRole ? { workerIam: { managedPolicies: NODE_MANAGED_POLICIES, statements: nodePolicyStatements({ ...policyInput, readOnlyModelStore: true }) } } : {}),
    warnings: [...blueprintWarnings(plan, modelSource, options.tls !== undefined), ...capacity.warnings],
    capacity: capacity.spec,
    ...(modelStore ? { modelStore } : {}),
    weightLoad,
    ...(obs
      ? {
          observability: {
            namespace,
            agentConfig: cloudWatchAgentConfig(clusterName, obs.systemLogGroup.name),
            metricFilters: metricFilters(),
            alarms: alarmSpecs(plan, weightLoad.graceSeconds),
            dashboard: dashboardWidgets(),
          },
        }
      : {}),
    ...(schedule ? { schedule } : {}),
    // Endpoint policies repeat the node role's statements (the workers' role needs nothing the node role lacks).
    vpcEndpoints: withEndpointPolicies(vpcEndpoints(plan, { metrics: obs !== undefined, reportUnhealthy: options.reportUnhealthy ?? false }), nodePolicyStatements(policyInput)),
    cost: costSummary(plan, capacity.spec, schedule),
    ...(fsx ? { fsxLustre: fsx } : {}),
  };
}

function costSummary(plan: Plan, capacity: CapacitySpec, schedule: ScheduleSpec | undefined): CostSummary {
  const c = plan.cost;
  const hours = schedule?.runningHoursPerWeek;
  const basis = capacity.purchaseOption === 'spot'
    ? 'on-demand price shown; Spot is usually lower and varies'
    : capacity.purchaseOption === 'on-demand' ? 'on-demand' : `${capacity.purchaseOption} (billed under its own terms; on-demand price shown)`;
  const description = c.hourlyUsd === undefined
    ? `no confirmed price for ${plan.topology.instanceType}; give priceOverrides`
    : `${plan.topology.nodes} × ${plan.topology.instanceType} at $${c.hourlyUsd.toFixed(2)}/h ${basis} (${c.priceRegion ?? 'region unknown'}, ${c.priceDate ?? 'date unknown'}); excludes storage, NAT, load balancer, endpoints and data transfer`;
  return {
    ...(c.hourlyUsd !== undefined ? { hourlyUsd: c.hourlyUsd } : {}),
    description,
    ...(hours !== undefined ? { runningHoursPerWeek: hours } : {}),
    ...(hours !== undefined && c.hourlyUsd !== undefined ? { weeklyUsd: c.hourlyUsd * hours } : {}),
  };
}

/** The options an adapter can check before it creates any resource. */
export type BlueprintChoices = Pick<AwsBlueprintOptions, 'clusterName' | 'modelSource' | 'weightsStorage' | 'capacity' | 'schedule' | 'extraTags'>;

/**
 * Every problem `awsBlueprint` would report for these choices (cluster name, model source, weights
 * storage, target and GPU vendor), without building anything: adapters call it before creating
 * resources so that invalid input leaves nothing behind.
 */
export function blueprintIssues(plan: Plan, choices: BlueprintChoices): Issue[] {
  return checkOptions(plan, choices).issues;
}

function checkOptions(plan: Plan, choices: BlueprintChoices) {
  const issues: Issue[] = [];
  let clusterName: string | undefined;
  try {
    clusterName = validateClusterName(choices.clusterName);
  } catch (e) {
    if (!(e instanceof PlanError)) throw e;
    issues.push(...e.issues);
  }
  if (plan.topology.target !== 'aws') issues.push({ path: 'target', message: `the plan targets ${plan.topology.target}; the AWS adapters need target "aws"` });
  if (plan.topology.gpuVendor !== 'nvidia') {
    issues.push({ path: 'gpus', message: `the plan uses ${plan.topology.gpu} (${plan.topology.gpuVendor}); the AWS adapters run the NVIDIA Deep Learning AMI, so restrict gpus to NVIDIA models` });
  }
  if (!plan.serving.apiKeyEnv) issues.push({ path: 'engine', message: `the ${plan.engine} launch has no API-key variable; the AWS adapters always enforce an API key` });
  const modelSource = resolveModelSource(plan, choices.modelSource, issues);
  const storage = resolveStorage(plan, choices.weightsStorage ?? 'auto', issues);
  const capacity = capacitySpec(plan, storage ?? { kind: 'ebs', volumeGiB: plan.storage.volumeGiB }, choices.capacity ?? {});
  issues.push(...capacity.issues);
  const schedule = choices.schedule ? scheduleSpec(choices.schedule) : undefined;
  if (schedule) issues.push(...schedule.issues);
  if (choices.extraTags) issues.push(...costTagIssues(choices.extraTags));
  // The values are only read when issues is empty, and then all are set.
  return { issues, clusterName: clusterName!, modelSource: modelSource!, storage: storage!, capacity, schedule: schedule?.spec };
}

function resolveModelSource(plan: Plan, raw: string | undefined, issues: Issue[]): ModelSource | undefined {
  let source: ModelSource | undefined;
  if (raw !== undefined) {
    try {
      source = parseModelSource(raw);
    } catch (e) {
      if (!(e instanceof PlanError)) throw e;
      issues.push(...e.issues);
      return undefined;
    }
  } else if (plan.model.hfId !== undefined) {
    source = parseModelSource(plan.model.hfId);
  } else {
    issues.push({ path: 'modelSource', message: `${plan.model.id} has no Hugging Face id to download from; give modelSource (s3://bucket/prefix or org/name)` });
    return undefined;
  }
  return source;
}

function resolveStorage(plan: Plan, choice: WeightsStorageChoice, issues: Issue[]): WeightsStorage | undefined {
  const s = plan.storage;
  if (choice === 'ebs' || (choice === 'auto' && !s.preferInstanceStore)) return { kind: 'ebs', volumeGiB: s.volumeGiB };
  if (choice === 'instance-store' && !s.preferInstanceStore) {
    issues.push({
      path: 'weightsStorage',
      message: `"instance-store" needs local NVMe that holds the ${(s.checkpointBytes / 1e9).toFixed(1)} GB checkpoint with headroom; ${plan.topology.instanceType} has ${s.localNvmeGB} GB. Use "ebs" or "auto"`,
    });
    return undefined;
  }
  return { kind: 'instance-store' };
}

function blueprintWarnings(plan: Plan, source: ModelSource, tls: boolean): BlueprintWarning[] {
  const warnings: BlueprintWarning[] = [];
  if (!tls) {
    warnings.push(blueprintWarning(
      'DSIAC-AWS1',
      `the API is served without TLS (no certificateArn): the API key and every prompt cross the network in plain text, and the engine's paths outside /v1 (e.g. /metrics${plan.engine === 'vllm' ? ', /invocations, /tokenize' : ''}) answer without the key; give certificateArn and allow only trusted peers`,
    ));
  }
  // The model's own release, pinned to a revision or not.
  const defaulted = source.kind === 'huggingface' && plan.model.hfId !== undefined && source.repoId.toLowerCase() === plan.model.hfId.toLowerCase();
  if (source.kind === 'huggingface' && source.revision === undefined) {
    warnings.push(blueprintWarning(
      'DSIAC-AWS2',
      `${source.uri} follows the repository's main branch: every boot may load different files (and, with remote code, different code); pin a commit with modelSource '${source.repoId}@<commit sha>'`,
    ));
  }
  const kind = plan.storage.checkpointKind;
  if (defaulted && kind !== 'released') {
    warnings.push(blueprintWarning(
      'DSIAC-AWS3',
      kind === 'bf16-conversion'
        ? `the plan serves ${plan.precision.weights}, but ${source.uri} is the FP8 release and the engine would serve it as FP8; set modelSource to a ${plan.precision.weights} conversion (DeepSeek's fp8_cast_bf16.py output, ${(plan.storage.checkpointBytes / 1e9).toFixed(0)} GB) on S3 or Hugging Face`
        : `the plan serves ${plan.precision.weights}, which needs a pre-quantized checkpoint; set modelSource to one (the default ${source.uri} is the unquantized release)`,
    ));
  }
  if (plan.topology.nodes > 1 && plan.topology.efaInterfacesPerNode > 0 && !plan.serving.efaLibraries) {
    warnings.push(blueprintWarning(
      'DSIAC-AWS4',
      `${plan.serving.image} does not ship libfabric and aws-ofi-nccl; without them NCCL falls back to TCP sockets over ENA (works, much slower across nodes). Use an image with the EFA libraries for full EFA bandwidth (the engine profiles in lib/serving/profiles mark which images have them)`,
    ));
  }
  return warnings;
}
