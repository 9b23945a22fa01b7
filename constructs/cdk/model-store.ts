/**
 * Buckets the cluster creates: the model store (a copy of the Hugging Face checkpoint, so that later
 * boots read from S3) and the access-log bucket that receives its server access logs and, with a TLS
 * listener, the load balancer's access logs.
 *
 * The log bucket uses SSE-S3: S3 server access logging documents SSE-S3 for the destination bucket
 * and Network Load Balancer access logs support it (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-access-logs.html, confirmed).
 * Log delivery is granted through the bucket policy (the `serverAccessLogsUseBucketPolicy` feature
 * flag, set on this subtree only) rather than the legacy log-delivery ACL.
 */
import { Aws, Duration } from 'aws-cdk-lib';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ACCESS_LOG_PREFIXES, BUCKET_LIFECYCLE } from '../../lib/deploy';

/** The S3 buckets of a cluster. */
export class ClusterBuckets extends Construct {
  /** Receives the model store's server access logs and the load balancer's access logs. */
  readonly accessLogs: s3.Bucket;
  /** The model store; undefined when the cluster does not cache weights in S3. */
  readonly modelStore?: s3.Bucket;

  constructor(scope: Construct, id: string, props: { readonly key: kms.IKey; readonly modelStore: boolean }) {
    super(scope, id);
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      lifecycleRules: [{
        expiration: Duration.days(BUCKET_LIFECYCLE.accessLogs.expirationDays),
        noncurrentVersionExpiration: Duration.days(BUCKET_LIFECYCLE.accessLogs.noncurrentVersionExpirationDays),
      }],
    });
    if (props.modelStore) {
      this.modelStore = new s3.Bucket(this, 'ModelStore', {
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: props.key,
        // One data key per bucket instead of a KMS request per object part of a multi-hundred-GB upload.
        bucketKeyEnabled: true,
        enforceSSL: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        versioned: true,
        serverAccessLogsBucket: this.accessLogs,
        serverAccessLogsPrefix: ACCESS_LOG_PREFIXES.modelStore,
        lifecycleRules: [{
          noncurrentVersionExpiration: Duration.days(BUCKET_LIFECYCLE.modelStore.noncurrentVersionExpirationDays),
          abortIncompleteMultipartUploadAfter: Duration.days(BUCKET_LIFECYCLE.modelStore.abortIncompleteMultipartUploadDays),
        }],
      });
    }
  }
}

/**
 * Send a Network Load Balancer's access logs to `bucket` under `prefix`. The CDK's `logAccessLogs`
 * needs a concrete region (it looks up the ELB account for Application Load Balancers); NLB logs
 * are delivered by `delivery.logs.amazonaws.com`, whose bucket-policy statements come from the NLB
 * access-log guide (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-access-logs.html, confirmed),
 * so the stacks stay environment-agnostic.
 */
export function logNlbAccessLogs(lb: elbv2.NetworkLoadBalancer, bucket: s3.Bucket, prefix: string): void {
  const delivery = new iam.ServicePrincipal('delivery.logs.amazonaws.com');
  const conditions = {
    StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
    ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:*` },
  };
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'NlbAccessLogDelivery', principals: [delivery], actions: ['s3:PutObject'],
    resources: [bucket.arnForObjects(`${prefix}/AWSLogs/${Aws.ACCOUNT_ID}/*`)],
    conditions: { ...conditions, StringEquals: { ...conditions.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' } },
  }));
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'NlbAccessLogAclCheck', principals: [delivery], actions: ['s3:GetBucketAcl'], resources: [bucket.bucketArn], conditions,
  }));
  lb.setAttribute('access_logs.s3.enabled', 'true');
  lb.setAttribute('access_logs.s3.bucket', bucket.bucketName);
  lb.setAttribute('access_logs.s3.prefix', prefix);
  // The load balancer checks it may write when the attribute is set.
  if (bucket.policy) lb.node.addDependency(bucket.policy);
}
