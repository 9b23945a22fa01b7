/**
 * The weight cache in the template: a model store bucket (versioned, KMS-encrypted, TLS-only, public
 * access blocked, access logs to a log bucket) for Hugging Face sources, wired into the user data and
 * IAM; none for an `s3://` source or `modelStore: false`; a caller's bucket is used as given. The
 * health-check grace period follows the slowest path a boot can take.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DeepSeekInferenceCluster, type DeepSeekInferenceClusterProps } from '../../../constructs/cdk';
import { ASSUMED_S3_BYTES_PER_SECOND } from '../../../lib/deploy/weight-cache';
import { healthCheckGraceSeconds } from '../../../lib/deploy/health';
import { idsOf, userDataOf } from './helpers';

const MODEL = 'deepseek-r1-distill-llama-70b';
const PREFIX = 'deepseek-iac/models/deepseek-ai/DeepSeek-R1-Distill-Llama-70B/default';

function synth(props: Partial<DeepSeekInferenceClusterProps> = {}, build?: (stack: Stack) => Partial<DeepSeekInferenceClusterProps>) {
  const stack = new Stack(new App(), 'Weights');
  const cluster = new DeepSeekInferenceCluster(stack, 'Cluster', { model: MODEL, monitoring: false, ...props, ...(build ? build(stack) : {}) });
  return { cluster, t: Template.fromStack(stack) };
}

describe('default: a model store for the Hugging Face checkpoint', () => {
  const { cluster, t } = synth();
  const buckets = t.findResources('AWS::S3::Bucket');
  const storeId = Object.keys(buckets).find((id) => id.startsWith('ClusterBucketsModelStore'))!;
  const logsId = Object.keys(buckets).find((id) => id.startsWith('ClusterBucketsAccessLogs'))!;
  const [keyId] = idsOf(t, 'AWS::KMS::Key');

  test('the store: versioned, SSE-KMS with the cluster key and a bucket key, public access blocked, access logs to the log bucket', () => {
    expect(buckets[storeId].Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: { Ref: logsId }, LogFilePrefix: 'model-store/' },
    });
  });

  test('both buckets refuse requests without TLS', () => {
    for (const id of [storeId, logsId]) {
      t.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    }
  });

  test('the log bucket: SSE-S3, versioned, public access blocked, S3 log delivery through its bucket policy (no ACL)', () => {
    expect(buckets[logsId].Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    expect(buckets[logsId].Properties.AccessControl).toBeUndefined();
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logsId },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject' })]) },
    });
  });

  test('user data names the store and the prefix; IAM reads and writes that prefix only', () => {
    const script = userDataOf(t, idsOf(t, 'AWS::EC2::LaunchTemplate')[0]);
    expect(script).toContain(`readonly CACHE_BUCKET='REF_${storeId}'`);
    expect(script).toContain(`readonly CACHE_PREFIX=${PREFIX}`);
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
        Sid: 'ModelStoreObjects', Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [storeId, 'Arn'] }, `/${PREFIX}/*`]] },
      })]) },
    });
    expect(cluster.modelStore).toBeDefined();
  });

  test('the grace period covers the first boot, a Hugging Face download of the 141 GB checkpoint', () => {
    t.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { HealthCheckGracePeriod: healthCheckGraceSeconds(cluster.plan.storage.checkpointBytes) });
    // 141.1 GB: 600 + 1,411 (100 MB/s) + 282 (500 MB/s) + 900 = 3,193 s → 3,240 s.
    expect(cluster.blueprint.healthCheckGraceSeconds).toBe(3240);
    // Later boots read the store: 600 + 282 + 282 + 900 = 2,064 s.
    expect(cluster.blueprint.weightLoad?.laterBoots?.readySeconds).toBeCloseTo(2064.4, 0);
  });
});

describe('an s3:// source is read directly', () => {
  const { cluster, t } = synth({ modelSource: 's3://my-weights/llama-70b' });

  test('no bucket is created and the grace period follows the faster S3 path', () => {
    t.resourceCountIs('AWS::S3::Bucket', 0);
    expect(cluster.modelStore).toBeUndefined();
    const grace = healthCheckGraceSeconds(cluster.plan.storage.checkpointBytes, ASSUMED_S3_BYTES_PER_SECOND);
    t.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { HealthCheckGracePeriod: grace });
    expect(grace).toBeLessThan(healthCheckGraceSeconds(cluster.plan.storage.checkpointBytes));
  });
});

describe('modelStore: false and a caller\'s bucket', () => {
  test('false: no bucket, no store in the user data', () => {
    const { t } = synth({ modelStore: false });
    t.resourceCountIs('AWS::S3::Bucket', 0);
    expect(userDataOf(t, idsOf(t, 'AWS::EC2::LaunchTemplate')[0])).toContain("readonly CACHE_BUCKET=''");
  });

  test('a caller\'s bucket: used as given, nothing created', () => {
    const { t } = synth({}, (stack) => ({ modelStore: s3.Bucket.fromBucketName(stack, 'Shared', 'shared-model-store') }));
    t.resourceCountIs('AWS::S3::Bucket', 0);
    expect(userDataOf(t, idsOf(t, 'AWS::EC2::LaunchTemplate')[0])).toContain('readonly CACHE_BUCKET=shared-model-store');
  });
});
