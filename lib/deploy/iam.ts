/**
 * The node role's permissions as plain data. Least privilege: each statement names the exact
 * resources the boot script and the Docker log driver touch, and says why it exists.
 *
 * - Managed `AmazonSSMManagedInstanceCore`: Session Manager access instead of SSH (AWS's documented
 *   minimum for a managed node, https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-instance-permissions.html, confirmed).
 * - Engine logs go through Docker's `awslogs` driver, which calls `logs:CreateLogStream` and
 *   `logs:PutLogEvents` (https://docs.docker.com/engine/logging/drivers/awslogs/, confirmed): both are
 *   scoped to the cluster's log group, which is narrower than the CloudWatch agent's managed policy
 *   (`CloudWatchAgentServerPolicy` grants PutLogEvents on every log group), so that policy is not attached.
 * - S3 weights: `s3:ListBucket` on the bucket conditioned on the prefix, `s3:GetObject` on the
 *   prefix's objects (what `aws s3 sync` needs to read).
 * - `secretsmanager:GetSecretValue` on the API-key secret and, when given, the Hugging Face token secret.
 * - Multi-node: `ec2:DescribeInstances` so workers find the head by tag. It supports no
 *   resource-level permissions (Service Authorization Reference, Amazon EC2: DescribeInstances has no
 *   resource type, https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html, confirmed),
 *   so its resource is `*`; it reveals instance metadata, never data or credentials.
 * - Day 2 (each optional, from the blueprint): the model store prefix (read, and write for the node
 *   that fills it; `aws s3 sync` uploads need s3:PutObject and s3:AbortMultipartUpload), the cluster
 *   KMS key (kms:Decrypt to read SSE-KMS objects and the secret, kms:GenerateDataKey to write
 *   SSE-KMS objects), `autoscaling:SetInstanceHealth` on groups tagged with this cluster (the node
 *   watchdog; group-level Auto Scaling write actions take the autoScalingGroup resource and the
 *   `autoscaling:ResourceTag/<key>` condition, Service Authorization Reference for Amazon EC2 Auto
 *   Scaling, confirmed for that pattern; the SetInstanceHealth row itself was not read), and for the CloudWatch
 *   agent `cloudwatch:PutMetricData` (no resource-level permissions; limited to the cluster's
 *   namespace by the `cloudwatch:namespace` condition key), its log group and its SSM parameter.
 */
import type { ModelSource } from './model-source';
import type { ModelStoreSpec } from './weight-cache';
import { CLUSTER_TAG } from './naming';

/** One IAM policy statement (Allow). Resource strings may be adapter tokens (CDK, cdktf) or outputs rendered to strings. */
export interface PolicyStatementSpec {
  readonly sid: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** IAM condition block: operator → key → values. */
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  /** Why the statement exists; when a resource or action is a wildcard, why that cannot be narrowed. */
  readonly reason: string;
  /** Set when a resource ends in a wildcard or is `*`: the justification adapters attach to policy-linter suppressions. */
  readonly wildcardReason?: string;
}

/** Managed policies attached to the node role, by name. */
export const NODE_MANAGED_POLICIES: readonly string[] = ['AmazonSSMManagedInstanceCore'];

/** What the statements are scoped to. */
export interface NodePolicyInput {
  /** `aws`, `aws-cn`, `aws-us-gov` (or the adapter's partition token). */
  readonly partition: string;
  readonly modelSource: ModelSource;
  /** ARNs of the secrets a node reads, as IAM resource patterns (API key first, then the HF token if any). */
  readonly secretArns: readonly string[];
  /** ARN of the engine log group (without the `:*` suffix). */
  readonly logGroupArn: string;
  readonly multiNode: boolean;
  /** Cluster tag value: when set, nodes may mark themselves unhealthy (SetInstanceHealth on this cluster's groups only). */
  readonly clusterName?: string;
  /** Model store caching a Hugging Face checkpoint (read under its prefix; write too unless `readOnlyModelStore`). */
  readonly modelStore?: ModelStoreSpec;
  /**
   * The role of workers in a multi-node cluster: only rank 0 fills the model store, so the others
   * may read it but not write (issue 13 §5: a worker must not be able to poison later boots), and
   * they encrypt nothing with the cluster key. @default false
   */
  readonly readOnlyModelStore?: boolean;
  /** KMS keys the nodes decrypt with (cluster key of the secret, the model store, …). */
  readonly kmsKeyArns?: readonly string[];
  /** CloudWatch agent: metric namespace, its log group and configuration parameter. */
  readonly agent?: { readonly namespace: string; readonly logGroupArn: string; readonly configParameterArn: string };
}

/** The inline statements of the node role. */
export function nodePolicyStatements(input: NodePolicyInput): PolicyStatementSpec[] {
  const statements: PolicyStatementSpec[] = [
    {
      sid: 'EngineLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [`${input.logGroupArn}:*`],
      reason: 'Docker awslogs driver writes the engine container output to the cluster log group',
      wildcardReason: 'log-stream names are chosen at boot (instance id and rank); the wildcard covers streams of this one log group only',
    },
    {
      sid: 'ReadSecrets',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [...input.secretArns],
      reason: 'read the API key at engine start (and the Hugging Face token while downloading), never stored in user data',
    },
  ];
  const src = input.modelSource;
  if (src.kind === 's3') {
    const bucketArn = `arn:${input.partition}:s3:::${src.bucket}`;
    const objects = src.prefix === '' ? `${bucketArn}/*` : `${bucketArn}/${src.prefix}/*`;
    statements.push({
      sid: 'ListModelPrefix',
      actions: ['s3:ListBucket'],
      resources: [bucketArn],
      ...(src.prefix === '' ? {} : { conditions: { StringLike: { 's3:prefix': [src.prefix, `${src.prefix}/*`] } } }),
      reason: `aws s3 sync lists ${src.uri} before copying`,
    });
    statements.push({
      sid: 'ReadModelObjects',
      actions: ['s3:GetObject'],
      resources: [objects],
      reason: `download the checkpoint under ${src.uri}`,
      wildcardReason: `object keys of the checkpoint under ${src.uri} are not known at synth time; the wildcard is limited to that prefix`,
    });
  }
  const readOnly = input.readOnlyModelStore ?? false;
  if (input.modelStore) statements.push(...modelStoreStatements(input.modelStore, readOnly));
  if (input.kmsKeyArns && input.kmsKeyArns.length > 0) {
    statements.push(readOnly
      ? { sid: 'UseClusterKey', actions: ['kms:Decrypt'], resources: [...input.kmsKeyArns], reason: 'decrypt the API-key secret and SSE-KMS weights' }
      : {
          sid: 'UseClusterKey',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [...input.kmsKeyArns],
          reason: 'decrypt the API-key secret and SSE-KMS weights; encrypt weights uploaded to the model store',
        });
  }
  if (input.clusterName !== undefined) {
    statements.push({
      sid: 'ReportOwnHealth',
      actions: ['autoscaling:SetInstanceHealth'],
      resources: [`arn:${input.partition}:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/*`],
      conditions: { StringEquals: { [`autoscaling:ResourceTag/${CLUSTER_TAG}`]: [input.clusterName] } },
      reason: 'the node watchdog marks its own instance unhealthy after a failed boot or a lost GPU, so the group replaces it',
      wildcardReason: 'Auto Scaling group ARNs carry a generated id and the group names are generated at deploy; the statement is limited to groups tagged with this cluster by the autoscaling:ResourceTag condition',
    });
  }
  if (input.agent) {
    statements.push(
      {
        sid: 'PublishGpuMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': [input.agent.namespace] } },
        reason: 'the CloudWatch agent publishes GPU metrics',
        wildcardReason: 'cloudwatch:PutMetricData supports no resource-level permissions; the cloudwatch:namespace condition limits it to this cluster\'s namespace',
      },
      {
        sid: 'AgentLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [`${input.agent.logGroupArn}:*`],
        reason: 'the CloudWatch agent ships the kernel log (XID errors) to the cluster system log group',
        wildcardReason: 'log-stream names carry the instance id; the wildcard covers streams of this one log group only',
      },
      {
        sid: 'ReadAgentConfig',
        actions: ['ssm:GetParameter'],
        resources: [input.agent.configParameterArn],
        reason: 'the CloudWatch agent fetches its configuration from this parameter',
      },
    );
  }
  if (input.multiNode) {
    statements.push({
      sid: 'DiscoverHead',
      actions: ['ec2:DescribeInstances'],
      resources: ['*'],
      reason: 'workers find the head node by its cluster and rank tags; the watchdog compares the cluster membership',
      wildcardReason: 'ec2:DescribeInstances supports no resource-level permissions (Service Authorization Reference), so it cannot be scoped; it is read-only',
    });
  }
  return statements;
}

function modelStoreStatements(store: ModelStoreSpec, readOnly: boolean): PolicyStatementSpec[] {
  const objects = `${store.bucketArn}/${store.prefix}/*`;
  const wildcardReason = `object keys of the checkpoint are not known at synth time; the wildcard is limited to the ${store.prefix} prefix`;
  return [
    {
      sid: 'ListModelStore',
      actions: ['s3:ListBucket'],
      resources: [store.bucketArn],
      conditions: { StringLike: { 's3:prefix': [store.prefix, `${store.prefix}/*`] } },
      reason: `aws s3 sync lists the cached checkpoint under ${store.prefix}`,
    },
    readOnly
      ? { sid: 'ReadModelStore', actions: ['s3:GetObject'], resources: [objects], reason: `read the cached checkpoint under ${store.prefix} (rank 0 fills it)`, wildcardReason }
      : {
          sid: 'ModelStoreObjects',
          actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
          resources: [objects],
          reason: `read the cached checkpoint; rank 0, the first node to download it from Hugging Face, uploads it under ${store.prefix}`,
          wildcardReason,
        },
  ];
}
