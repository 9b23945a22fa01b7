/**
 * IAM policy documents as JSON strings from the blueprint's statements, for adapters whose IAM
 * resources take raw JSON (cdktf, Pulumi). CDK builds the same statements with its PolicyStatement.
 * Single values stay arrays (IAM accepts both forms). Resource strings may hold framework references
 * (cdktf `${...}`, or values resolved inside a Pulumi `apply`).
 */
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
