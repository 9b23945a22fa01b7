/**
 * Issue 13: the user-data size check counts what adapter tokens expand to. A CDK token is ~20
 * characters at synth (`${Token[TOKEN.123]}`) and a full ARN or generated name at deploy, so a
 * script just under 16 KB at synth could exceed EC2's limit once CloudFormation substitutes it.
 */
import { PlanError } from '../../lib/errors';
import { planDeployment } from '../../lib/plan/planner';
import { awsBlueprint, type AwsBlueprintOptions } from '../../lib/deploy/blueprint';
import { PACKED_BODY_DELIMITER, TOKEN_VALUE_MAX_BYTES, USER_DATA_MAX_BYTES, userDataBytesAfterExpansion } from '../../lib/deploy/user-data';

const plan = planDeployment({ model: 'deepseek-r1-distill-qwen-1.5b' });
const TOKEN = '${Token[TOKEN.123]}';
const base = (logGroupName: string): AwsBlueprintOptions => ({
  clusterName: 'tok-test',
  apiKeySecret: { id: TOKEN, policyArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:api-AbCdEf' },
  logGroup: { name: logGroupName, arn: 'arn:aws:logs:us-east-1:111122223333:log-group:x' },
  partition: 'aws',
});

describe('user-data size with token expansion', () => {
  test('each occurrence of a CDK or cdktf token counts at its value\'s longest; literals count as they are', () => {
    const tf = '${TfToken[TOKEN.7]}';
    const text = `a=${TOKEN}\nb=${tf}\nc=${TOKEN}\nd=literal\n`;
    const r = userDataBytesAfterExpansion(text, [
      { value: TOKEN, maxBytes: TOKEN_VALUE_MAX_BYTES.secretArn },
      { value: tf, maxBytes: TOKEN_VALUE_MAX_BYTES.bucketName },
      { value: 'literal', maxBytes: 1000 },
    ]);
    expect(r.tokens).toBe(3);
    // bytes + 2 × (128 − 19) for the secret token + (63 − 19) for the bucket token; the literal adds nothing
    expect(r.expandedBytes).toBe(text.length + 2 * (128 - TOKEN.length) + (63 - tf.length));
  });

  const literalSecret = { id: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:api-AbCdEf', policyArn: 'x' };
  const issuesOf = (options: AwsBlueprintOptions): readonly { path: string; message: string }[] => {
    try {
      awsBlueprint(plan, options);
      return [];
    } catch (e) {
      if (!(e instanceof PlanError)) throw e;
      return e.issues;
    }
  };
  // Size the literal log-group name so the synth-time plain script is 100 bytes under the limit.
  const probe = awsBlueprint(plan, base('/g')).nodeGroups[0].userData;
  const occurrences = probe.split("'/g'").length - 1 || probe.split('=/g\n').length - 1;
  const pad = Math.floor((USER_DATA_MAX_BYTES - 100 - Buffer.byteLength(probe)) / occurrences);

  test('a plain script under 16 KB at synth but over it after expansion ships its body gzip-packed, and fits', () => {
    expect(userDataBytesAfterExpansion(probe, [{ value: TOKEN, maxBytes: 128 }]).tokens).toBeGreaterThan(0);
    expect(occurrences).toBeGreaterThan(0);
    expect(probe).not.toContain(PACKED_BODY_DELIMITER);
    const packed = awsBlueprint(plan, base(`/g${'x'.repeat(pad)}`)).nodeGroups[0].userData;
    expect(packed).toContain(PACKED_BODY_DELIMITER);
    expect(userDataBytesAfterExpansion(packed, [{ value: TOKEN, maxBytes: TOKEN_VALUE_MAX_BYTES.secretArn }]).expandedBytes).toBeLessThanOrEqual(USER_DATA_MAX_BYTES);
  });

  test('a packed script under 16 KB at synth but over it after expansion is refused', () => {
    const packed = awsBlueprint(plan, base(`/g${'x'.repeat(pad)}`)).nodeGroups[0].userData;
    // Pad further until the packed script, too, is 100 bytes under the limit at synth.
    const name = `/g${'x'.repeat(pad + Math.floor((USER_DATA_MAX_BYTES - 100 - Buffer.byteLength(packed)) / occurrences))}`;
    expect(issuesOf(base(name))).toEqual([expect.objectContaining({ path: 'userData', message: expect.stringMatching(/once its 1 deploy-time value\(s\) expand/) })]);
    // The same script with the secret id as a literal ARN (no token) fits.
    expect(issuesOf({ ...base(name), apiKeySecret: literalSecret })).toEqual([]);
  });
});
