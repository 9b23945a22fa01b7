/**
 * Issue 13: the user-data size check counts what adapter tokens expand to. A CDK token is ~20
 * characters at synth (`${Token[TOKEN.123]}`) and a full ARN or generated name at deploy, so a
 * script just under 16 KB at synth could exceed EC2's limit once CloudFormation substitutes it.
 */
import { PlanError } from '../../lib/errors';
import { planDeployment } from '../../lib/plan/planner';
import { awsBlueprint, type AwsBlueprintOptions } from '../../lib/deploy/blueprint';
import { TOKEN_VALUE_MAX_BYTES, USER_DATA_MAX_BYTES, userDataBytesAfterExpansion } from '../../lib/deploy/user-data';

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

  test('a script under 16 KB at synth but over it after expansion is refused', () => {
    // Size the literal log-group name so the synth-time script is 100 bytes under the limit.
    const probe = awsBlueprint(plan, base('/g')).nodeGroups[0].userData;
    const tokensInScript = userDataBytesAfterExpansion(probe, [{ value: TOKEN, maxBytes: 128 }]).tokens;
    expect(tokensInScript).toBeGreaterThan(0);
    const occurrences = probe.split("'/g'").length - 1 || probe.split('=/g\n').length - 1;
    expect(occurrences).toBeGreaterThan(0);
    const pad = Math.floor((USER_DATA_MAX_BYTES - 100 - Buffer.byteLength(probe)) / occurrences);
    const name = `/g${'x'.repeat(pad)}`;
    let issues: readonly { path: string; message: string }[] = [];
    try {
      awsBlueprint(plan, base(name));
    } catch (e) {
      if (!(e instanceof PlanError)) throw e;
      issues = e.issues;
    }
    expect(issues).toEqual([expect.objectContaining({ path: 'userData', message: expect.stringMatching(/once its 1 deploy-time value\(s\) expand/) })]);
    // The same script with the secret id as a literal ARN (no token) fits.
    expect(() => awsBlueprint(plan, { ...base(name), apiKeySecret: { id: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:api-AbCdEf', policyArn: 'x' } })).not.toThrow();
  });
});
