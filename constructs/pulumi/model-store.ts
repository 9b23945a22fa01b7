/**
 * The model store (lib/deploy/weight-cache.ts) as @pulumi/aws resources, as the CDK construct's
 * model-store.ts: an S3 bucket holding a copy of the Hugging Face checkpoint so that later boots
 * read from S3 — versioned, SSE-KMS with the cluster key and an S3 Bucket Key (one data key per
 * bucket instead of a KMS request per part of a multi-hundred-GB upload), all public access
 * blocked, TLS-only by bucket policy, old versions and incomplete uploads expired. Children of the
 * cluster component. Server access logs go to the cluster's access-log bucket (access-logs.ts) under `model-store/`.
 */
import * as pulumi from '@pulumi/pulumi';
import * as s3 from '@pulumi/aws/s3';
import { ACCESS_LOG_PREFIXES, BUCKET_LIFECYCLE } from '../../lib/deploy';
import { tlsOnlyBucketPolicy } from '../../lib/deploy/policy-document';

/** Create the model-store bucket of cluster `name` and its configuration as children of `parent`; returns the bucket. */
export function modelStoreBucket(name: string, props: { readonly kmsKeyArn: pulumi.Input<string>; readonly tags: Readonly<Record<string, string>> }, parent: pulumi.Resource): s3.Bucket {
  const opts = { parent };
  const bucket = new s3.Bucket(`${name}-models`, { bucketPrefix: 'deepseek-iac-models-', tags: props.tags }, opts);
  new s3.BucketVersioning(`${name}-models`, { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } }, opts);
  new s3.BucketServerSideEncryptionConfiguration(`${name}-models`, {
    bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }],
  }, opts);
  new s3.BucketPublicAccessBlock(`${name}-models`, {
    bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
  }, opts);
  new s3.BucketPolicy(`${name}-models`, { bucket: bucket.id, policy: bucket.arn.apply(tlsOnlyBucketPolicy) }, opts);
  new s3.BucketLifecycleConfiguration(`${name}-models`, {
    bucket: bucket.id,
    rules: [{
      id: 'expire-old-versions-and-uploads', status: 'Enabled', filter: { prefix: '' },
      noncurrentVersionExpiration: { noncurrentDays: BUCKET_LIFECYCLE.modelStore.noncurrentVersionExpirationDays },
      abortIncompleteMultipartUpload: { daysAfterInitiation: BUCKET_LIFECYCLE.modelStore.abortIncompleteMultipartUploadDays },
    }],
  }, opts);
  return bucket;
}

/** Send the server access logs of model store `bucket` (of cluster `name`) to `accessLogBucket` under `model-store/`. */
export function logModelStoreAccess(name: string, bucket: s3.Bucket, accessLogBucket: pulumi.Input<string>, parent: pulumi.Resource): s3.BucketLogging {
  return new s3.BucketLogging(`${name}-models`, { bucket: bucket.id, targetBucket: accessLogBucket, targetPrefix: ACCESS_LOG_PREFIXES.modelStore }, { parent });
}
