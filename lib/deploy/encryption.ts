/**
 * The cluster KMS key's policy as data. It is explicit instead of the usual `kms:*` for the account
 * root, so that no policy of the cluster grants a wildcard action on data:
 * - the account root gets the key-administration actions and the encryption actions, which lets IAM
 *   policies in the account grant use of the key (the node role gets kms:Decrypt/GenerateDataKey
 *   from iam.ts) and keeps the key manageable;
 * - CloudWatch Logs may use it for log groups of this account and region, as required for
 *   KMS-encrypted log groups (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html, confirmed);
 * - CloudWatch may use it to publish alarms to the KMS-encrypted SNS topic (alarm actions on an
 *   encrypted topic need the key policy to allow `cloudwatch.amazonaws.com`; AWS re:Post knowledge
 *   center, third-party). No source-account condition: it is not confirmed that CloudWatch sends one
 *   on this path, and a wrong condition silently drops alarms.
 * Key rotation: yearly.
 */

/** A key-policy statement; principals are `account-root` or a service principal name. */
export interface KeyPolicyStatementSpec {
  readonly sid: string;
  readonly principal: { readonly kind: 'account-root' } | { readonly kind: 'service'; readonly service: string };
  readonly actions: readonly string[];
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** Values of the deploying account (may be adapter tokens). */
export interface KeyPolicyContext {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/** Key administration as in AWS's default policy for key administrators (no kms:* and no data wildcard). */
export const KEY_ADMIN_ACTIONS: readonly string[] = [
  'kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*',
  'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion', 'kms:RotateKeyOnDemand',
];
/** Symmetric encryption use. */
export const KEY_USE_ACTIONS: readonly string[] = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

/** Rotation period of the cluster key, days. */
export const KEY_ROTATION_DAYS = 365;

/** The statements of the cluster key's policy (resource `*` = the key itself). */
export function clusterKeyPolicy(ctx: KeyPolicyContext): KeyPolicyStatementSpec[] {
  return [
    { sid: 'KeyAdministration', principal: { kind: 'account-root' }, actions: KEY_ADMIN_ACTIONS },
    { sid: 'UseThroughIamPolicies', principal: { kind: 'account-root' }, actions: KEY_USE_ACTIONS },
    {
      sid: 'CloudWatchLogs',
      principal: { kind: 'service', service: `logs.${ctx.region}.amazonaws.com` },
      actions: KEY_USE_ACTIONS,
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:*` } },
    },
    { sid: 'CloudWatchAlarmsToTopic', principal: { kind: 'service', service: 'cloudwatch.amazonaws.com' }, actions: ['kms:Decrypt', 'kms:GenerateDataKey*'] },
  ];
}
