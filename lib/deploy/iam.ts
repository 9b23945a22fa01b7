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
 */
import type { ModelSource } from './model-source';

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
  if (input.multiNode) {
    statements.push({
      sid: 'DiscoverHead',
      actions: ['ec2:DescribeInstances'],
      resources: ['*'],
      reason: 'workers find the head node by its cluster and rank tags',
      wildcardReason: 'ec2:DescribeInstances supports no resource-level permissions (Service Authorization Reference), so it cannot be scoped; it is read-only',
    });
  }
  return statements;
}
