/**
 * The model store (lib/deploy/weight-cache.ts) as Terraform resources, as the CDK construct's
 * model-store.ts: an S3 bucket holding a copy of the Hugging Face checkpoint so that later boots
 * read from S3 — versioned, SSE-KMS with the cluster key and an S3 Bucket Key (one data key per
 * bucket instead of a KMS request per part of a multi-hundred-GB upload), all public access
 * blocked, TLS-only by bucket policy, old versions and incomplete uploads expired.
 * Server access logs go to the cluster's access-log bucket (access-logs.ts) under `model-store/`.
 */
import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { ACCESS_LOG_PREFIXES, BUCKET_LIFECYCLE } from '../../lib/deploy';
import { tlsOnlyBucketPolicy } from '../../lib/deploy/policy-document';

/** The model-store bucket and its configuration. */
export class ModelStore extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: { readonly kmsKeyArn: string; readonly tags: Readonly<Record<string, string>> }) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'Bucket', { bucketPrefix: 'deepseek-iac-models-', tags: props.tags });
    const bucket = this.bucket.id;
    new S3BucketVersioningA(this, 'Versioning', { bucket, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'Encryption', {
      bucket, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }],
    });
    new S3BucketPublicAccessBlock(this, 'PublicAccessBlock', {
      bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    });
    new S3BucketPolicy(this, 'Policy', { bucket, policy: tlsOnlyBucketPolicy(this.bucket.arn) });
    new S3BucketLifecycleConfiguration(this, 'Lifecycle', {
      bucket,
      rule: [{
        id: 'expire-old-versions-and-uploads', status: 'Enabled', filter: [{ prefix: '' }],
        noncurrentVersionExpiration: [{ noncurrentDays: BUCKET_LIFECYCLE.modelStore.noncurrentVersionExpirationDays }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: BUCKET_LIFECYCLE.modelStore.abortIncompleteMultipartUploadDays }],
      }],
    });
  }

  /** Send the store's server access logs to `accessLogBucket` (its policy admits S3 log delivery from this bucket). */
  logAccessTo(accessLogBucket: string): S3BucketLoggingA {
    return new S3BucketLoggingA(this, 'AccessLogging', { bucket: this.bucket.id, targetBucket: accessLogBucket, targetPrefix: ACCESS_LOG_PREFIXES.modelStore });
  }
}
