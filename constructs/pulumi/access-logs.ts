/**
 * The access-log bucket (as the CDK construct's `ClusterBuckets.accessLogs`): receives the model
 * store's S3 server access logs and, with a TLS listener, the Network Load Balancer's access logs.
 * SSE-S3 (S3 server access logging documents SSE-S3 for the destination bucket and NLB access logs
 * support it: https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-access-logs.html,
 * confirmed), versioned, all public access blocked, TLS-only, log delivery granted by bucket policy
 * (not the legacy log-delivery ACL), logs kept a year. Children of the cluster component.
 */
import * as pulumi from '@pulumi/pulumi';
import * as s3 from '@pulumi/aws/s3';
import { BUCKET_LIFECYCLE } from '../../lib/deploy';
import { accessLogBucketPolicy } from '../../lib/deploy/policy-document';

/** The access-log bucket and its policy (the load balancer's access-log setting waits for the policy). */
export interface AccessLogBucket {
  readonly bucket: s3.Bucket;
  readonly policy: s3.BucketPolicy;
}

/** Create the access-log bucket of cluster `name` as children of `parent`. */
export function accessLogBucket(
  name: string,
  props: {
    readonly partition: pulumi.Input<string>; readonly region: pulumi.Input<string>; readonly accountId: pulumi.Input<string>;
    readonly modelStoreArn?: pulumi.Input<string>; readonly loadBalancer: boolean; readonly tags: Readonly<Record<string, string>>;
  },
  parent: pulumi.Resource,
): AccessLogBucket {
  const opts = { parent };
  const bucket = new s3.Bucket(`${name}-access-logs`, { bucketPrefix: 'deepseek-iac-access-logs-', tags: props.tags }, opts);
  new s3.BucketVersioning(`${name}-access-logs`, { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } }, opts);
  new s3.BucketServerSideEncryptionConfiguration(`${name}-access-logs`, {
    bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
  }, opts);
  const publicAccess = new s3.BucketPublicAccessBlock(`${name}-access-logs`, {
    bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
  }, opts);
  const hasStore = props.modelStoreArn !== undefined;
  const policy = new s3.BucketPolicy(`${name}-access-logs`, {
    bucket: bucket.id,
    policy: pulumi.all([bucket.arn, props.partition, props.region, props.accountId, pulumi.output(props.modelStoreArn ?? '')])
      .apply(([arn, partition, region, accountId, storeArn]) => accessLogBucketPolicy(arn, {
        partition, region, accountId, loadBalancer: props.loadBalancer, ...(hasStore ? { modelStoreArn: storeArn } : {}),
      })),
  }, { parent, dependsOn: [publicAccess] });
  new s3.BucketLifecycleConfiguration(`${name}-access-logs`, {
    bucket: bucket.id,
    rules: [{
      id: 'expire-logs', status: 'Enabled', filter: { prefix: '' },
      expiration: { days: BUCKET_LIFECYCLE.accessLogs.expirationDays },
      noncurrentVersionExpiration: { noncurrentDays: BUCKET_LIFECYCLE.accessLogs.noncurrentVersionExpirationDays },
    }],
  }, opts);
  return { bucket, policy };
}
