/**
 * Props of `DeepSeekInferenceCluster` and their validation: the planning fields are the core
 * `DeploymentSpec` (plain values only), the rest places the cluster in AWS.
 */
import { Token } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { DeploymentSpec } from '../../lib/input/types';
import type { Issue } from '../../lib/types';
import type { CapacityOptions, ScheduleOptions, WeightsStorageChoice } from '../../lib/deploy';

/** Props of {@link DeepSeekInferenceCluster}. Planning fields must be plain values, never CDK tokens. */
export interface DeepSeekInferenceClusterProps extends Omit<DeploymentSpec, 'target' | 'localHosts'> {
  /**
   * Pin the instance type. It is checked against the plan: when the model does not fit on it, synth
   * fails and the error names what would fit.
   * @default the planner's cheapest feasible type
   */
  readonly instanceType?: string;
  /**
   * Pin the node count, checked against the plan like `instanceType`.
   * @default the planner's choice
   */
  readonly nodes?: number;
  /**
   * VPC for the nodes and the internal load balancer. It needs private subnets with egress (NAT):
   * nodes pull the engine image and the weights.
   * @default a new VPC with public and private subnets in 2 AZs, one NAT gateway and flow logs
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Subnets for nodes and load balancer (private ones only). Multi-node clusters use the first.
   * @default the VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Who may call the API (the load balancer's port). More can be added later through
   * `cluster.connections`.
   * @default none
   */
  readonly allowedPeers?: readonly ec2.IPeer[];
  /**
   * Must be true for `allowedPeers` to contain 0.0.0.0/0 or ::/0 (the load balancer stays
   * internal either way; this guards against opening it to every network that can route to the VPC).
   * @default false
   */
  readonly allowPublicIngress?: boolean;
  /**
   * Where nodes download the weights: `s3://bucket/prefix`, `hf://org/name[@revision]` or
   * `org/name[@revision]`.
   * @default the model's Hugging Face repository
   */
  readonly modelSource?: string;
  /** Secret holding a Hugging Face token (SecretString = the token), for gated or private repositories. @default no token */
  readonly huggingFaceTokenSecret?: secretsmanager.ISecret;
  /** Secret holding the API key clients send as `Authorization: Bearer <key>` (SecretString = the key, one line). @default a generated 48-character secret */
  readonly apiKeySecret?: secretsmanager.ISecret;
  /** Retention of the engine, system (kernel) and VPC flow-log groups. @default one month */
  readonly logRetention?: logs.RetentionDays;
  /** Where the weights land: `auto` follows the plan (instance-store NVMe when it holds them). @default 'auto' */
  readonly weightsStorage?: WeightsStorageChoice;
  /**
   * Name in the `deepseek-iac:cluster` tag; workers find the head by it, so it must be unique per
   * account and region. @default derived from the construct path
   */
  readonly clusterName?: string;
  /**
   * Capacity: an On-Demand Capacity Reservation or Capacity Block id, Spot (non-critical use; warns),
   * or fallback instance types for single-node plans from the plan's feasible alternatives
   * (`fallbackInstanceTypes: true` or a count). Plain values only.
   * @default On-Demand, the planned instance type only
   */
  readonly capacity?: CapacityOptions;
  /**
   * S3 model store that caches a Hugging Face checkpoint: the first boot downloads from Hugging Face
   * and uploads it, later boots read from S3. `false` turns it off; ignored for an `s3://` modelSource.
   * @default a new versioned, KMS-encrypted, TLS-only bucket with access logs
   */
  readonly modelStore?: s3.IBucket | false;
  /** Scale every node group to zero and back on a cron schedule (nights, weekends). Plain values only. @default always on */
  readonly schedule?: ScheduleOptions;
  /**
   * GPU metrics through the CloudWatch agent, log metric filters, alarms (unhealthy target, 5xx rate,
   * GPU memory, XID errors) and a dashboard.
   * @default true
   */
  readonly monitoring?: boolean;
  /** Where alarms notify. @default a new KMS-encrypted SNS topic (`cluster.alarmTopic`; subscribe to it) */
  readonly alarmTopic?: sns.ITopic;
  /** ACM certificate ARN: the load balancer listens with TLS on the API port (clients use https://). @default plain TCP */
  readonly certificateArn?: string;
  /**
   * VPC endpoints for S3 (gateway), SSM, SSM messages, EC2 messages, Secrets Manager, CloudWatch Logs
   * and metrics, Auto Scaling (and EC2 for multi-node), so nodes reach AWS APIs without NAT.
   * @default true when the construct creates the VPC, false for a VPC you pass
   */
  readonly vpcEndpoints?: boolean;
  /** KMS key for logs, the generated API key, the model store and the alarm topic. @default a new key with yearly rotation */
  readonly encryptionKey?: kms.IKey;
  /** Cost-allocation tags added to every resource (besides `deepseek-iac:cluster` and `deepseek-iac:model`). Plain values only. */
  readonly costAllocationTags?: Readonly<Record<string, string>>;
  /**
   * FSx for Lustre (PERSISTENT_2, KMS-encrypted with the cluster key) in the nodes' subnet, linked to
   * the model store's checkpoint prefix: once the store holds the checkpoint, nodes mount it and read
   * the weights from it instead of copying them to local disk. Multi-node plans with a model store
   * only (synth fails otherwise, naming this prop). The Lustre client must be on the AMI (see README).
   * @default false
   */
  readonly fsxLustre?: boolean;
}

/** Props that are not part of the DeploymentSpec. */
const AWS_PROP_KEYS = [
  'vpc', 'vpcSubnets', 'allowedPeers', 'allowPublicIngress', 'modelSource', 'huggingFaceTokenSecret',
  'apiKeySecret', 'logRetention', 'weightsStorage', 'clusterName', 'capacity', 'modelStore', 'schedule',
  'monitoring', 'alarmTopic', 'certificateArn', 'vpcEndpoints', 'encryptionKey', 'costAllocationTags',
  'fsxLustre',
] as const;

/** The planning part of the props as a DeploymentSpec for target aws (undefined fields dropped). */
export function specFromProps(props: DeepSeekInferenceClusterProps): DeploymentSpec {
  return planningSpec(props, AWS_PROP_KEYS);
}

/** Every defined prop but the construct's own (`ownKeys`) is a planning field: the DeploymentSpec for target aws. */
export function planningSpec(props: object, ownKeys: readonly string[]): DeploymentSpec {
  const spec: Record<string, unknown> = { target: 'aws' };
  for (const [k, v] of Object.entries(props)) {
    if (v !== undefined && !ownKeys.includes(k)) spec[k] = v;
  }
  return spec as DeploymentSpec;
}

/**
 * A visitor that records every CDK token it meets in `issues` (strings, numbers, and unresolved objects such as
 * Lazy values), at the dotted path it was reached by: planning happens at synth, tokens resolve at deploy.
 */
export function tokenVisitor(issues: Issue[]): (value: unknown, path: string) => void {
  const visit = (value: unknown, path: string): void => {
    if (typeof value === 'string' || typeof value === 'number') {
      if (Token.isUnresolved(value)) issues.push({ path, message: 'is a CDK token; planning needs a plain value known at synth time' });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${path}[${i}]`));
    } else if (value !== null && typeof value === 'object') {
      if (Token.isUnresolved(value)) {
        issues.push({ path, message: 'is a CDK token; planning needs a plain value known at synth time' });
        return;
      }
      for (const [k, v] of Object.entries(value)) visit(v, `${path}.${k}`);
    }
  };
  return visit;
}

/** Every planning value that is a CDK token (tokens resolve at deploy time; the plan is made at synth). */
export function tokenIssues(props: DeepSeekInferenceClusterProps): Issue[] {
  const issues: Issue[] = [];
  const visit = tokenVisitor(issues);
  const planning = specFromProps(props) as Record<string, unknown>;
  for (const [k, v] of Object.entries(planning)) visit(v, k);
  if (props.modelSource !== undefined) visit(props.modelSource, 'modelSource');
  if (props.clusterName !== undefined) visit(props.clusterName, 'clusterName');
  // Checked and evaluated at synth (reservation ids, cron expressions, tag values).
  for (const key of ['capacity', 'schedule', 'costAllocationTags'] as const) {
    if (props[key] !== undefined) visit(props[key], key);
  }
  return issues;
}
