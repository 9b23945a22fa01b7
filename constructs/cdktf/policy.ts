/**
 * IAM policy documents as JSON strings from the blueprint's statements. Resource strings may hold
 * tokens: cdktf renders them as `${...}` references inside the JSON string, which Terraform
 * interpolates. Single values stay arrays (IAM accepts both forms).
 */
import type { PolicyStatementSpec } from '../../lib/deploy';

/** IAM policy language version (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html, confirmed). */
const POLICY_VERSION = '2012-10-17';

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
