/**
 * Arguments of the Pulumi `DeepSeekInferenceCluster` and their checks: the planning fields are the
 * core `DeploymentSpec` (plain values: the plan decides how many resources exist, which must be
 * known when the program runs), the rest places the cluster in an existing VPC.
 */
import * as pulumi from '@pulumi/pulumi';
import { awsSpecFromProps } from '../../lib/input/from-props';
import type { DeploymentSpec } from '../../lib/input/types';
import type { Issue } from '../../lib/types';
import type { CapacityOptions, ScheduleOptions, WeightsStorageChoice } from '../../lib/deploy';
import { logRetentionIssue } from '../../lib/deploy/adapter-inputs';

/** Arguments of {@link DeepSeekInferenceCluster}. Planning fields are plain values, never Outputs. */
export interface DeepSeekInferenceClusterArgs extends Omit<DeploymentSpec, 'target' | 'localHosts'> {
  /** VPC of the nodes and the internal load balancer. */
  readonly vpcId: pulumi.Input<string>;
  /**
   * Private subnets with a NAT route (nodes pull the engine image and the weights). The load
   * balancer spans all of them; a multi-node cluster places its nodes in the first (EFA and the
   * cluster placement group need one AZ). The array is plain; its elements may be Outputs.
   */
  readonly subnetIds: readonly pulumi.Input<string>[];
  /**
   * CIDR ranges allowed to call the API on the load balancer's port. Plain strings (the
   * public-ingress check and the IPv4/IPv6 choice read them). @default none
   */
  readonly allowedCidrs?: readonly string[];
  /** Security groups allowed to call the API. @default none */
  readonly allowedSecurityGroupIds?: readonly pulumi.Input<string>[];
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
  readonly apiKeySecretArn?: pulumi.Input<string>;
  /** ARN of a secret holding a Hugging Face token, for gated or private repositories. @default no token */
  readonly huggingFaceTokenSecretArn?: pulumi.Input<string>;
  /** Retention of the engine log group, days (a CloudWatch Logs retention value). @default 30 */
  readonly logRetentionDays?: number;
  /** Where the weights land: `auto` follows the plan (instance-store NVMe when it holds them). @default 'auto' */
  readonly weightsStorage?: WeightsStorageChoice;
  /**
   * Name in the `deepseek-iac:cluster` tag (workers find the head by it, so unique per account and
   * region). @default the resource name plus a hash of project, stack and name
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
  readonly certificateArn?: pulumi.Input<string>;
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
export function specFromArgs(props: DeepSeekInferenceClusterArgs): DeploymentSpec {
  return awsSpecFromProps(props);
}

/** Every value that must be known when the program runs but is an Output or a promise. */
export function outputIssues(args: DeepSeekInferenceClusterArgs): Issue[] {
  const issues: Issue[] = [];
  const visit = (value: unknown, path: string): void => {
    if (pulumi.Output.isInstance(value) || value instanceof Promise) {
      issues.push({ path, message: 'is an Output or a promise; it must be a plain value known when the program runs (the plan decides how many resources exist)' });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${path}[${i}]`));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, `${path}.${k}`);
    }
  };
  for (const [k, v] of Object.entries(specFromArgs(args))) if (k !== 'target') visit(v, k);
  const runTime = {
    modelSource: args.modelSource, clusterName: args.clusterName, allowedCidrs: args.allowedCidrs, logRetentionDays: args.logRetentionDays, weightsStorage: args.weightsStorage,
    // Checked and evaluated when the program runs (reservation ids, cron expressions, tag values).
    capacity: args.capacity, schedule: args.schedule, costAllocationTags: args.costAllocationTags,
  };
  for (const [k, v] of Object.entries(runTime)) if (v !== undefined) visit(v, k);
  if (pulumi.Output.isInstance(args.subnetIds)) issues.push({ path: 'subnetIds', message: 'is an Output; give a plain array (its elements may be Outputs)' });
  return issues;
}



/** Problems with the placement arguments that need no resources: ids present, retention valid. */
export function placementIssues(args: DeepSeekInferenceClusterArgs): Issue[] {
  const issues: Issue[] = [];
  if (!args.vpcId) issues.push({ path: 'vpcId', message: 'is required: the VPC of the private subnets' });
  if (!pulumi.Output.isInstance(args.subnetIds) && (args.subnetIds ?? []).length === 0) {
    issues.push({ path: 'subnetIds', message: 'is empty: give the private subnets (with a NAT route) for the nodes and the internal load balancer' });
  }
  const days = args.logRetentionDays;
  const retention = typeof days === 'number' ? logRetentionIssue(days) : undefined;
  if (retention) issues.push(retention);
  return issues;
}
