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
  // Size the literal log-group name so that a synth-time script is 100 bytes under the limit.
  const sized = (p: typeof plan, group: number) => {
    const probe = awsBlueprint(p, base('/g')).nodeGroups[group]!.userData;
    const occurrences = probe.split("'/g'").length - 1 || probe.split('=/g\n').length - 1;
    return { probe, occurrences, pad: Math.floor((USER_DATA_MAX_BYTES - 100 - Buffer.byteLength(probe)) / occurrences) };
  };
  const { probe, occurrences, pad } = sized(plan, 0);

  // A serving rank's plain script (with the API front's nginx config) is over 16 KB already at synth
  // and ships packed; a worker rank of a multi-node TP × PP plan still fits plain.
  test('a plain script under 16 KB at synth but over it after expansion ships its body gzip-packed, and fits', () => {
    const multi = planDeployment({ model: 'deepseek-v3', engine: 'vllm', gpus: ['h100'], dataParallelSize: 1 });
    const worker = sized(multi, 1);
    expect(userDataBytesAfterExpansion(worker.probe, [{ value: TOKEN, maxBytes: 128 }]).tokens).toBeGreaterThan(0);
    expect(worker.occurrences).toBeGreaterThan(0);
    expect(worker.probe).not.toContain(PACKED_BODY_DELIMITER);
    const packed = awsBlueprint(multi, base(`/g${'x'.repeat(worker.pad)}`)).nodeGroups[1]!.userData;
    expect(packed).toContain(PACKED_BODY_DELIMITER);
    expect(userDataBytesAfterExpansion(packed, [{ value: TOKEN, maxBytes: TOKEN_VALUE_MAX_BYTES.secretArn }]).expandedBytes).toBeLessThanOrEqual(USER_DATA_MAX_BYTES);
  });

  test('a packed script under 16 KB at synth but over it after expansion is refused', () => {
    // The single-node script ships packed already at synth; the pad brings it 100 bytes under the limit.
    expect(probe).toContain(PACKED_BODY_DELIMITER);
    expect(occurrences).toBeGreaterThan(0);
    const name = `/g${'x'.repeat(pad)}`;
    expect(Buffer.byteLength(awsBlueprint(plan, { ...base(name), apiKeySecret: literalSecret }).nodeGroups[0]!.userData)).toBeGreaterThan(USER_DATA_MAX_BYTES - 100 - occurrences);
    expect(issuesOf(base(name))).toEqual([expect.objectContaining({ path: 'userData', message: expect.stringMatching(/once its 1 deploy-time value\(s\) expand/) })]);
    // The same script with the secret id as a literal ARN (no token) fits.
    expect(issuesOf({ ...base(name), apiKeySecret: literalSecret })).toEqual([]);
  });
});
