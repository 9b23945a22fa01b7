/**
 * IAM policy documents as JSON strings from the blueprint's statements, for adapters whose IAM
 * resources take raw JSON (cdktf, Pulumi). CDK builds the same statements with its PolicyStatement.
 * Single values stay arrays (IAM accepts both forms). Resource strings may hold framework references
 * (cdktf `${...}`, or values resolved inside a Pulumi `apply`).
 */
import { clusterKeyPolicy, type KeyPolicyContext } from './encryption';
import type { PolicyStatementSpec } from './iam';

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
