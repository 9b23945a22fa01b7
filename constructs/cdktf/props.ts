/**
 * Props of the cdktf `DeepSeekInferenceCluster` and their checks: the planning fields are the core
 * `DeploymentSpec` (plain values only, the plan is made at synth), the rest places the cluster in an
 * existing VPC. No lookups: the VPC and its private subnets are given by id, so synth runs offline.
 */
import { Token } from 'cdktf';
import { awsSpecFromProps } from '../../lib/input/from-props';
import type { DeploymentSpec } from '../../lib/input/types';
import type { Issue } from '../../lib/types';
import type { CapacityOptions, ScheduleOptions, WeightsStorageChoice } from '../../lib/deploy';
import { logRetentionIssue } from '../../lib/deploy/adapter-inputs';

/** Props of {@link DeepSeekInferenceCluster}. Planning fields must be plain values, never Terraform tokens. */
export interface DeepSeekInferenceClusterProps extends Omit<DeploymentSpec, 'target' | 'localHosts'> {
  /** VPC of the nodes and the internal load balancer (may be a token, e.g. `vpc.id`). */
  readonly vpcId: string;
  /**
   * Private subnets with a NAT route (nodes pull the engine image and the weights). The load
   * balancer spans all of them; a multi-node cluster places its nodes in the first (EFA and the
   * cluster placement group need one AZ). Elements may be tokens; the list itself must be a plain array.
   */
  readonly subnetIds: readonly string[];
  /**
   * CIDR ranges allowed to call the API on the load balancer's port. Plain strings (the
   * public-ingress check and the IPv4/IPv6 choice read them).
   * @default none
   */
  readonly allowedCidrs?: readonly string[];
  /** Security groups allowed to call the API (ids may be tokens). @default none */
  readonly allowedSecurityGroupIds?: readonly string[];
  /** Must be true for `allowedCidrs` to contain 0.0.0.0/0 or ::/0. @default false */
  readonly allowPublicIngress?: boolean;
  /**
   * Where nodes download the weights: `s3://bucket/prefix`, `hf://org/name[@revision]` or `org/name[@revision]`.
   * @default the model's Hugging Face repository
   */
  readonly modelSource?: string;
  /**
   * ARN of an existing Secrets Manager secret holding the API key (SecretString = the key, one line).
   * @default a new secret with no value: the engine waits until you store one (README)
   */
  readonly apiKeySecretArn?: string;
  /** ARN of a secret holding a Hugging Face token, for gated or private repositories. @default no token */
  readonly huggingFaceTokenSecretArn?: string;
  /** Retention of the engine log group, days (a CloudWatch Logs retention value). @default 30 */
  readonly logRetentionDays?: number;
  /** Where the weights land: `auto` follows the plan (instance-store NVMe when it holds them). @default 'auto' */
  readonly weightsStorage?: WeightsStorageChoice;
  /**
   * Name in the `deepseek-iac:cluster` tag (workers find the head by it, so unique per account and
   * region); also names the placement group and the log group. @default the construct id plus a hash of its path
   */
  readonly clusterName?: string;
  /**
   * Capacity: an On-Demand Capacity Reservation or Capacity Block id, Spot (non-critical use; warns),
   * or fallback instance types for single-node plans from the plan's feasible alternatives
   * (`fallbackInstanceTypes: true` or a count), as the CDK construct. Plain values only.
   * @default On-Demand, the planned instance type only
   */
  readonly capacity?: CapacityOptions;
  /** Scale every node group to zero and back on a cron schedule (nights, weekends). Plain values only. @default always on */
  readonly schedule?: ScheduleOptions;
  /**
   * S3 model store caching a Hugging Face checkpoint: the first boot downloads from Hugging Face and
   * uploads it, later boots read from S3. Ignored for an `s3://` modelSource.
   * @default true: a versioned, KMS-encrypted, TLS-only bucket with public access blocked
   */
  readonly modelStore?: boolean;
  /**
   * GPU metrics through the CloudWatch agent (its configuration in an SSM parameter, the kernel log in
   * a system log group), log metric filters, alarms (unhealthy target, 5xx rate, GPU memory, XID
   * errors) notifying a KMS-encrypted SNS topic, and a dashboard.
   * @default true
   */
  readonly monitoring?: boolean;
  /**
   * ACM certificate ARN: the load balancer listens with TLS (policy `ELBSecurityPolicy-TLS13-1-2-2021-06`)
   * on the API port (clients use https://; the target group stays TCP), and writes its access logs to
   * the access-log bucket (NLB access logs exist for TLS listeners only). @default plain TCP, no access logs
   */
  readonly certificateArn?: string;
  /**
   * VPC endpoints in `vpcId` so nodes reach the AWS APIs without NAT: S3 (gateway, on the subnets'
   * route tables), SSM, SSM messages, EC2 messages, Secrets Manager, CloudWatch Logs, Auto Scaling,
   * CloudWatch (with monitoring) and EC2 (multi-node), in the given subnets; interface endpoints get a
   * security group admitting HTTPS from the nodes only. Off by default: an existing VPC may have them.
   * @default false
   */
  readonly vpcEndpoints?: boolean;
  /**
   * Flow logs of all traffic in `vpcId` to a log group encrypted with the cluster key (retention
   * `logRetentionDays`). Off by default: an existing VPC may have them. @default false
   */
  readonly flowLogs?: boolean;
  /** Cost-allocation tags added to every resource (besides `deepseek-iac:cluster` and `deepseek-iac:model`). Plain values only. */
  readonly costAllocationTags?: Readonly<Record<string, string>>;
}

/** The planning part of the props as a DeploymentSpec for target aws (shared with every AWS adapter). */
export function specFromProps(props: DeepSeekInferenceClusterProps): DeploymentSpec {
  return awsSpecFromProps(props);
}

/** Every planning value (and every prop that must be known at synth) that is a Terraform token. */
export function tokenIssues(props: DeepSeekInferenceClusterProps): Issue[] {
  const issues: Issue[] = [];
  const visit = (value: unknown, path: string): void => {
    if (typeof value === 'string' || typeof value === 'number') {
      if (Token.isUnresolved(value)) issues.push({ path, message: 'is a Terraform token; it must be a plain value known at synth time' });
    } else if (Array.isArray(value)) {
      if (Token.isUnresolved(value)) issues.push({ path, message: 'is a Terraform token; it must be a plain value known at synth time' });
      else value.forEach((v, i) => visit(v, `${path}[${i}]`));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, `${path}.${k}`);
    }
  };
  for (const [k, v] of Object.entries(specFromProps(props))) if (k !== 'target') visit(v, k);
  const synthTime = {
    modelSource: props.modelSource, clusterName: props.clusterName, allowedCidrs: props.allowedCidrs, logRetentionDays: props.logRetentionDays,
    // Checked and evaluated at synth (reservation ids, cron expressions, tag values).
    capacity: props.capacity, schedule: props.schedule, costAllocationTags: props.costAllocationTags,
  };
  for (const [k, v] of Object.entries(synthTime)) if (v !== undefined) visit(v, k);
  if (Token.isUnresolved(props.subnetIds)) issues.push({ path: 'subnetIds', message: 'is a Terraform list token; give a plain array (its elements may be tokens)' });
  return issues;
}


/** Problems with the placement props that need no resources: ids present, retention valid. */
export function placementIssues(props: DeepSeekInferenceClusterProps): Issue[] {
  const issues: Issue[] = [];
  if (!props.vpcId) issues.push({ path: 'vpcId', message: 'is required: the VPC of the private subnets' });
  if (!Token.isUnresolved(props.subnetIds) && (props.subnetIds ?? []).length === 0) {
    issues.push({ path: 'subnetIds', message: 'is empty: give the private subnets (with a NAT route) for the nodes and the internal load balancer' });
  }
  const days = props.logRetentionDays;
  const retention = days === undefined || Token.isUnresolved(days) ? undefined : logRetentionIssue(days);
  if (retention) issues.push(retention);
  return issues;
}

