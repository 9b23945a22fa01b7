/**
 * The props of the cdktf and Pulumi `DeepSeekInferenceCluster`, written once. `S` is how the
 * framework passes a string that may only be known at deploy time: a cdktf token string, or a Pulumi
 * `Input<string>`. The planning fields are the core `DeploymentSpec` (plain values: the plan decides
 * how many resources exist, which must be known at synth / when the program runs); the rest places
 * the cluster in an existing VPC, given by id, so nothing is looked up.
 */
import type { DeploymentSpec } from '../../input/types';
import type { CapacityOptions, ScheduleOptions, WeightsStorageChoice } from '..';

/** Props of the Terraform-shaped `DeepSeekInferenceCluster` (cdktf and Pulumi). Planning fields must be plain values. */
export interface TerraformShapeClusterProps<S> extends Omit<DeploymentSpec, 'target' | 'localHosts'> {
  /** VPC of the nodes and the internal load balancer (may be a reference, e.g. `vpc.id`). */
  readonly vpcId: S;
  /**
   * Private subnets with a NAT route (nodes pull the engine image and the weights). The load
   * balancer spans all of them; a multi-node cluster places its nodes in the first (EFA and the
   * cluster placement group need one AZ). Elements may be references; the list itself must be a plain array.
   */
  readonly subnetIds: readonly S[];
  /**
   * CIDR ranges allowed to call the API on the load balancer's port. Plain strings (the
   * public-ingress check and the IPv4/IPv6 choice read them).
   * @default none
   */
  readonly allowedCidrs?: readonly string[];
  /** Security groups allowed to call the API (ids may be references). @default none */
  readonly allowedSecurityGroupIds?: readonly S[];
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
  readonly apiKeySecretArn?: S;
  /** ARN of a secret holding a Hugging Face token, for gated or private repositories. @default no token */
  readonly huggingFaceTokenSecretArn?: S;
  /** Retention of the engine log group, days (a CloudWatch Logs retention value). @default 30 */
  readonly logRetentionDays?: number;
  /** Where the weights land: `auto` follows the plan (instance-store NVMe when it holds them). @default 'auto' */
  readonly weightsStorage?: WeightsStorageChoice;
  /**
   * Name in the `deepseek-iac:cluster` tag (workers find the head by it, so unique per account and
   * region); also names the placement group and the log groups. @default the construct id (cdktf) or resource name (Pulumi) plus a hash of its path (cdktf) or of project, stack and name (Pulumi)
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
  readonly certificateArn?: S;
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
