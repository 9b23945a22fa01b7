/** The cluster's KMS key, with the explicit policy of lib/deploy/encryption.ts. */
import { Aws, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { clusterKeyPolicy, KEY_ROTATION_DAYS } from '../../lib/deploy';

/** A new customer-managed key for one cluster: logs, the generated API key, the model store, the alarm topic. */
export function clusterKey(scope: Construct, id: string, description: string): kms.Key {
  const statements = clusterKeyPolicy({ partition: Aws.PARTITION, region: Aws.REGION, accountId: Aws.ACCOUNT_ID }).map((s) => new iam.PolicyStatement({
    sid: s.sid,
    principals: [s.principal.kind === 'account-root' ? new iam.AccountRootPrincipal() : new iam.ServicePrincipal(s.principal.service)],
    actions: [...s.actions],
    resources: ['*'],
    ...(s.conditions ? { conditions: s.conditions } : {}),
  }));
  return new kms.Key(scope, id, {
    description,
    enableKeyRotation: true,
    rotationPeriod: Duration.days(KEY_ROTATION_DAYS),
    policy: new iam.PolicyDocument({ statements }),
  });
}
