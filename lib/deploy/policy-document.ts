/**
 * IAM policy documents as JSON strings from the blueprint's statements, for adapters whose IAM
 * resources take raw JSON (cdktf, Pulumi). CDK builds the same statements with its PolicyStatement.
 * Single values stay arrays (IAM accepts both forms). Resource strings may hold framework references
 * (cdktf `${...}`, or values resolved inside a Pulumi `apply`).
 */
import { clusterKeyPolicy, type KeyPolicyContext } from './encryption';
import type { PolicyStatementSpec } from './iam';
import { ACCESS_LOG_PREFIXES } from './weight-cache';

/** IAM policy language version (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html, confirmed). */
export const POLICY_VERSION = '2012-10-17';

/** An identity policy allowing the blueprint's statements. */
export function policyDocument(statements: readonly PolicyStatementSpec[]): string {
  return JSON.stringify({
    Version: POLICY_VERSION,
    Statement: statements.map((s) => ({
      Sid: s.sid,
      Effect: 'Allow',
      Action: [...s.actions],
      Resource: [...s.resources],
      ...(s.conditions ? { Condition: s.conditions } : {}),
    })),
  });
}

/**
 * A VPC endpoint's policy: the statements for any principal (the callers' own IAM policies still
 * apply; the endpoint only narrows what it carries to these resources).
 */
export function endpointPolicyDocument(statements: readonly PolicyStatementSpec[]): string {
  return JSON.stringify({
    Version: POLICY_VERSION,
    Statement: statements.map((s) => ({
      Sid: s.sid,
      Effect: 'Allow',
      Principal: '*',
      Action: [...s.actions],
      Resource: [...s.resources],
      ...(s.conditions ? { Condition: s.conditions } : {}),
    })),
  });
}

/** Trust policy letting EC2 instances assume the node role (through the instance profile). */
export function ec2TrustPolicy(): string {
  return JSON.stringify({
    Version: POLICY_VERSION,
    Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  });
}

/**
 * The cluster KMS key's policy (encryption.ts) as the JSON document a key resource takes.
 * Principals: `account-root` → `arn:<partition>:iam::<account>:root`, services by name; resource `*`
 * is the key itself. The context values may be framework references (cdktf) or resolved strings.
 */
export function keyPolicyDocument(ctx: KeyPolicyContext): string {
  return JSON.stringify({
    Version: POLICY_VERSION,
    Statement: clusterKeyPolicy(ctx).map((s) => ({
      Sid: s.sid,
      Effect: 'Allow',
      Principal: s.principal.kind === 'account-root' ? { AWS: `arn:${ctx.partition}:iam::${ctx.accountId}:root` } : { Service: s.principal.service },
      Action: [...s.actions],
      Resource: '*',
      ...(s.conditions ? { Condition: s.conditions } : {}),
    })),
  });
}

/** Bucket policy denying every request not made over TLS (`aws:SecureTransport` false), on the bucket and its objects. */
export function tlsOnlyBucketPolicy(bucketArn: string): string {
  return JSON.stringify({
    Version: POLICY_VERSION,
    Statement: [{
      Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*',
      Resource: [bucketArn, `${bucketArn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    }],
  });
}

/** Who writes into the access-log bucket. Values may be framework references. */
export interface AccessLogWriters {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** ARN of the model store whose server access logs land under `model-store/`. */
  readonly modelStoreArn?: string;
  /** The load balancer writes under `load-balancer/` (TLS listener only). */
  readonly loadBalancer: boolean;
}

/**
 * The access-log bucket's policy: TLS-only, plus delivery by S3 server access logging
 * (`logging.s3.amazonaws.com`, scoped to the source bucket and account) and by NLB access logging
 * (`delivery.logs.amazonaws.com`, scoped to this account's log deliveries), with the statements of
 * the two AWS guides above.
 */
export function accessLogBucketPolicy(bucketArn: string, w: AccessLogWriters): string {
  const doc = JSON.parse(tlsOnlyBucketPolicy(bucketArn)) as { Version: string; Statement: object[] };
  if (w.modelStoreArn !== undefined) {
    doc.Statement.push({
      Sid: 'S3ServerAccessLogsDelivery', Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject',
      Resource: `${bucketArn}/${ACCESS_LOG_PREFIXES.modelStore}*`,
      Condition: { ArnLike: { 'aws:SourceArn': w.modelStoreArn }, StringEquals: { 'aws:SourceAccount': w.accountId } },
    });
  }
  if (w.loadBalancer) {
    const sourceArn = `arn:${w.partition}:logs:${w.region}:${w.accountId}:*`;
    doc.Statement.push({
      Sid: 'NlbAccessLogDelivery', Effect: 'Allow', Principal: { Service: 'delivery.logs.amazonaws.com' }, Action: 's3:PutObject',
      Resource: `${bucketArn}/${ACCESS_LOG_PREFIXES.loadBalancer}/AWSLogs/${w.accountId}/*`,
      Condition: { StringEquals: { 'aws:SourceAccount': w.accountId, 's3:x-amz-acl': 'bucket-owner-full-control' }, ArnLike: { 'aws:SourceArn': sourceArn } },
    }, {
      Sid: 'NlbAccessLogAclCheck', Effect: 'Allow', Principal: { Service: 'delivery.logs.amazonaws.com' }, Action: 's3:GetBucketAcl',
      Resource: bucketArn, Condition: { StringEquals: { 'aws:SourceAccount': w.accountId }, ArnLike: { 'aws:SourceArn': sourceArn } },
    });
  }
  return JSON.stringify(doc);
}

/**
 * Trust policy of the flow-log role: the flow-logs service, only for flow logs of this account and
 * region (confused-deputy conditions of the VPC flow-logs IAM role guide,
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html, confirmed).
 */
export function flowLogTrustPolicy(ctx: { partition: string; region: string; accountId: string }): string {
  return JSON.stringify({
    Version: POLICY_VERSION,
    Statement: [{
      Effect: 'Allow', Principal: { Service: 'vpc-flow-logs.amazonaws.com' }, Action: 'sts:AssumeRole',
      Condition: {
        StringEquals: { 'aws:SourceAccount': ctx.accountId },
        ArnLike: { 'aws:SourceArn': `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.accountId}:vpc-flow-log/*` },
      },
    }],
  });
}

/** Permissions of the flow-log role: write streams of its own log group only (the actions the CDK's FlowLog grants). */
export function flowLogRolePolicy(logGroupArn: string): string {
  return JSON.stringify({
    Version: POLICY_VERSION,
    Statement: [{
      Sid: 'WriteFlowLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      Resource: [logGroupArn, `${logGroupArn}:*`],
    }],
  });
}
