/** The cluster key's policy: no kms:* for anyone, CloudWatch Logs limited to this account's log groups. */
import { clusterKeyPolicy, KEY_ADMIN_ACTIONS } from '../../lib/deploy/encryption';

const ctx = { partition: 'aws', region: 'eu-west-1', accountId: '111122223333' };

describe('clusterKeyPolicy', () => {
  const statements = clusterKeyPolicy(ctx);

  test('no statement grants kms:* or *', () => {
    for (const s of statements) expect(s.actions.filter((a) => a === 'kms:*' || a === '*')).toEqual([]);
  });

  test('the account root can still administer the key (policy updates, deletion) and delegate its use to IAM', () => {
    expect(statements.filter((s) => s.principal.kind === 'account-root').map((s) => s.sid)).toEqual(['KeyAdministration', 'UseThroughIamPolicies']);
    for (const a of ['kms:Put*', 'kms:ScheduleKeyDeletion', 'kms:Enable*']) expect(KEY_ADMIN_ACTIONS).toContain(a);
  });

  test('CloudWatch Logs of this region, for log groups of this account only', () => {
    expect(statements.find((s) => s.sid === 'CloudWatchLogs')).toMatchObject({
      principal: { kind: 'service', service: 'logs.eu-west-1.amazonaws.com' },
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:eu-west-1:111122223333:log-group:*' } },
    });
  });

  test('CloudWatch alarms may publish to the encrypted topic: decrypt and data keys only', () => {
    expect(statements.find((s) => s.sid === 'CloudWatchAlarmsToTopic')).toMatchObject({
      principal: { kind: 'service', service: 'cloudwatch.amazonaws.com' }, actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    });
  });
});
