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

  test('day 2: model store read/write under its prefix only, the cluster key, the watchdog scoped by cluster tag, the agent', () => {
    const s = nodePolicyStatements({
      ...base, modelSource: parseModelSource('deepseek-ai/DeepSeek-R1'), multiNode: false, clusterName: 'r1-prod',
      modelStore: { bucketName: 'store', bucketArn: 'arn:aws:s3:::store', prefix: 'deepseek-iac/models/deepseek-ai/DeepSeek-R1/default' },
      kmsKeyArns: ['arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
      agent: { namespace: 'DeepSeekIac/r1-prod', logGroupArn: 'arn:aws:logs:us-east-1:111122223333:log-group:system', configParameterArn: 'arn:aws:ssm:us-east-1:111122223333:parameter/deepseek-iac/r1-prod/cloudwatch-agent' },
    });
    expect(s.find((x) => x.sid === 'ListModelStore')).toMatchObject({
      actions: ['s3:ListBucket'], resources: ['arn:aws:s3:::store'],
      conditions: { StringLike: { 's3:prefix': ['deepseek-iac/models/deepseek-ai/DeepSeek-R1/default', 'deepseek-iac/models/deepseek-ai/DeepSeek-R1/default/*'] } },
    });
    expect(s.find((x) => x.sid === 'ModelStoreObjects')).toMatchObject({
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'], resources: ['arn:aws:s3:::store/deepseek-iac/models/deepseek-ai/DeepSeek-R1/default/*'],
    });
    expect(s.find((x) => x.sid === 'UseClusterKey')).toMatchObject({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: ['arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'] });
    expect(s.find((x) => x.sid === 'ReportOwnHealth')).toMatchObject({
      actions: ['autoscaling:SetInstanceHealth'],
      conditions: { StringEquals: { 'autoscaling:ResourceTag/deepseek-iac:cluster': ['r1-prod'] } },
    });
    expect(s.find((x) => x.sid === 'PublishGpuMetrics')).toMatchObject({ resources: ['*'], conditions: { StringEquals: { 'cloudwatch:namespace': ['DeepSeekIac/r1-prod'] } } });
    expect(s.find((x) => x.sid === 'AgentLogs')?.resources).toEqual(['arn:aws:logs:us-east-1:111122223333:log-group:system:*']);
    expect(s.find((x) => x.sid === 'ReadAgentConfig')?.resources).toEqual(['arn:aws:ssm:us-east-1:111122223333:parameter/deepseek-iac/r1-prod/cloudwatch-agent']);
    for (const st of s) {
      expect(st.actions.every((a) => !a.includes('*'))).toBe(true);
      if (st.resources.some((r) => r.includes('*'))) expect(st.wildcardReason).toBeTruthy();
    }
  });
});
