/** Node policy statements: every resource scoped; wildcards only where they cannot be narrowed, each with a reason. */
import { nodePolicyStatements, NODE_MANAGED_POLICIES } from '../../lib/deploy/iam';
import { parseModelSource } from '../../lib/deploy/model-source';

const base = {
  partition: 'aws',
  secretArns: ['arn:aws:secretsmanager:us-east-1:111122223333:secret:api-AbCdEf', 'arn:aws:secretsmanager:us-east-1:111122223333:secret:hf-123456'],
  logGroupArn: 'arn:aws:logs:us-east-1:111122223333:log-group:engine',
};

describe('nodePolicyStatements', () => {
  test('S3 source: list the bucket only under the prefix, read only the prefix objects', () => {
    const s = nodePolicyStatements({ ...base, modelSource: parseModelSource('s3://weights-bucket/deepseek/r1/'), multiNode: false });
    expect(s.find((x) => x.sid === 'ListModelPrefix')).toMatchObject({
      actions: ['s3:ListBucket'],
      resources: ['arn:aws:s3:::weights-bucket'],
      conditions: { StringLike: { 's3:prefix': ['deepseek/r1', 'deepseek/r1/*'] } },
    });
    expect(s.find((x) => x.sid === 'ReadModelObjects')).toMatchObject({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::weights-bucket/deepseek/r1/*'] });
    expect(s.find((x) => x.sid === 'ReadSecrets')).toMatchObject({ actions: ['secretsmanager:GetSecretValue'], resources: base.secretArns });
    expect(s.find((x) => x.sid === 'EngineLogs')).toMatchObject({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${base.logGroupArn}:*`] });
    expect(s.some((x) => x.actions.includes('ec2:DescribeInstances'))).toBe(false);
  });

  test('Hugging Face source: no S3 statement at all', () => {
    const s = nodePolicyStatements({ ...base, modelSource: parseModelSource('deepseek-ai/DeepSeek-R1'), multiNode: false });
    expect(s.flatMap((x) => x.actions).filter((a) => a.startsWith('s3:'))).toEqual([]);
  });

  test('multi-node adds ec2:DescribeInstances on * (no resource-level permissions exist for it)', () => {
    const s = nodePolicyStatements({ ...base, modelSource: parseModelSource('deepseek-ai/DeepSeek-V3'), multiNode: true });
    expect(s.find((x) => x.sid === 'DiscoverHead')).toMatchObject({ actions: ['ec2:DescribeInstances'], resources: ['*'] });
  });

  test('every wildcard resource carries a reason; no action is a wildcard', () => {
    const s = nodePolicyStatements({ ...base, modelSource: parseModelSource('s3://b-1/p'), multiNode: true });
    for (const st of s) {
      expect(st.actions.every((a) => !a.includes('*'))).toBe(true);
      if (st.resources.some((r) => r.includes('*'))) expect(st.wildcardReason).toBeTruthy();
      expect(st.reason).toBeTruthy();
    }
  });

  test('managed policies: SSM core only (Session Manager instead of SSH)', () => {
    expect(NODE_MANAGED_POLICIES).toEqual(['AmazonSSMManagedInstanceCore']);
  });
});
