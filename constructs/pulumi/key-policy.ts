/**
 * The cluster KMS key's policy (lib/deploy/encryption.ts) as the JSON document `aws_kms_key.policy`
 * takes. Principals: `account-root` → `arn:<partition>:iam::<account>:root`, services by name;
 * resource `*` is the key itself. The context values are resolved strings (inside an `apply`).
 */
import { clusterKeyPolicy, type KeyPolicyContext } from '../../lib/deploy';
import { POLICY_VERSION } from '../../lib/deploy/policy-document';

/** The key policy of a cluster key in the account and region of `ctx`. */
export function keyPolicyDocument(ctx: KeyPolicyContext): string {
  return JSON.stringify({
    Version: POLICY_VERSION,
    Statement: clusterKeyPolicy(ctx).map((s) => ({
      Sid: s.sid,
      Effect: 'Allow',
      Principal: s.principal.kind === 'account-root'
        ? { AWS: `arn:${ctx.partition}:iam::${ctx.accountId}:root` }
        : { Service: s.principal.service },
      Action: [...s.actions],
      Resource: '*',
      ...(s.conditions ? { Condition: s.conditions } : {}),
    })),
  });
}
