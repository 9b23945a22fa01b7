/**
 * The access-log bucket (as the CDK construct's `ClusterBuckets.accessLogs`): receives the model
 * store's S3 server access logs and, with a TLS listener, the Network Load Balancer's access logs.
 * SSE-S3 (S3 server access logging documents SSE-S3 for the destination bucket and NLB access logs
 * support it: https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-access-logs.html,
 * confirmed), versioned, all public access blocked, TLS-only, log delivery granted by bucket policy
 * (not the legacy log-delivery ACL), logs kept a year.
 */
import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { BUCKET_LIFECYCLE } from '../../lib/deploy';
import { accessLogBucketPolicy, type AccessLogWriters } from '../../lib/deploy/policy-document';

/** The access-log bucket and its configuration. */
export class AccessLogBucket extends Construct {
  readonly bucket: S3Bucket;
  /** Its policy: the load balancer's access-log attribute waits for it (the NLB checks it may write). */
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: { readonly writers: AccessLogWriters; readonly tags: Readonly<Record<string, string>> }) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'Bucket', { bucketPrefix: 'deepseek-iac-access-logs-', tags: props.tags });
    const bucket = this.bucket.id;
    new S3BucketVersioningA(this, 'Versioning', { bucket, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'Encryption', { bucket, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] });
    const publicAccess = new S3BucketPublicAccessBlock(this, 'PublicAccessBlock', {
      bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    });
    // After the public access block: S3 evaluates a new policy against it.
    this.policy = new S3BucketPolicy(this, 'Policy', { bucket, policy: accessLogBucketPolicy(this.bucket.arn, props.writers), dependsOn: [publicAccess] });
    new S3BucketLifecycleConfiguration(this, 'Lifecycle', {
      bucket,
      rule: [{
        id: 'expire-logs', status: 'Enabled', filter: [{ prefix: '' }],
        expiration: [{ days: BUCKET_LIFECYCLE.accessLogs.expirationDays }],
        noncurrentVersionExpiration: [{ noncurrentDays: BUCKET_LIFECYCLE.accessLogs.noncurrentVersionExpirationDays }],
      }],
    });
  }
}
