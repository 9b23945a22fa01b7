/**
 * Day-2 security (issue 6, item 6) in the cdktf DeepSeekInferenceCluster, as the CDK construct:
 * a TLS listener with `certificateArn`, NLB access logs and the model store's server access logs in
 * an encrypted, TLS-only access-log bucket, and (opt-in, the VPC being the caller's) VPC endpoints
 * and VPC flow logs.
 */
import 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { DeepSeekInferenceCluster, type DeepSeekInferenceClusterProps } from '../../../constructs/cdktf';

Testing.setupJest();

function synth(props: DeepSeekInferenceClusterProps) {
  let cluster: DeepSeekInferenceCluster | undefined;
  const out = Testing.synthScope((scope) => {
    cluster = new DeepSeekInferenceCluster(scope, 'Cluster', props);
  });
  return { out, json: JSON.parse(out), cluster: cluster! };
}
const ref = (r: { friendlyUniqueId: string }, type: string, attr: string) => `\${${type}.${r.friendlyUniqueId}.${attr}}`;
const resourcesOf = (json: any, type: string): any[] => Object.values(json.resource[type] ?? {});

const PROPS: DeepSeekInferenceClusterProps = {
  model: 'deepseek-r1-distill-qwen-1.5b', vpcId: 'vpc-0abc', subnetIds: ['subnet-a', 'subnet-b'], allowedCidrs: ['10.0.0.0/16'], clusterName: 'sec',
};
const CERT = 'arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-1111-2222-3333-444455556666';
// The ELB policy name for TLS 1.3 + 1.2 with forward secrecy (ELB "Security policies for your Network
// Load Balancer", https://docs.aws.amazon.com/elasticloadbalancing/latest/network/describe-ssl-policies.html).
const TLS13_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

describe('(1) TLS listener with certificateArn', () => {
  const tls = synth({ ...PROPS, certificateArn: CERT });

  test('the listener terminates TLS with the certificate and the TLS 1.3/1.2 policy', () => {
    expect(tls.out).toHaveResourceWithProperties(LbListener, { protocol: 'TLS', certificate_arn: CERT, ssl_policy: TLS13_POLICY, port: 8000 });
  });

  test('the target group stays TCP (the engine speaks plain HTTP), and clients use https://', () => {
    expect(tls.out).toHaveResourceWithProperties(LbTargetGroup, { protocol: 'TCP' });
    expect(tls.cluster.endpoint.url).toMatch(/^https:\/\/.+:8000\/v1$/);
  });

  test('without a certificate: a TCP listener, no certificate, http://', () => {
    const plain = synth(PROPS);
    const [listener] = resourcesOf(plain.json, 'aws_lb_listener');
    expect(listener.protocol).toBe('TCP');
    expect(listener.certificate_arn).toBeUndefined();
    expect(listener.ssl_policy).toBeUndefined();
    expect(plain.cluster.endpoint.url).toMatch(/^http:\/\//);
  });
});

describe('(2) NLB access logs to the access-log bucket (TLS listener only)', () => {
  // modelStore: false isolates the bucket the certificate alone brings.
  const { out, json, cluster } = synth({ ...PROPS, certificateArn: CERT, modelStore: false });
  const logs = cluster.accessLogs!;
  const bucketId = ref(logs.bucket, 'aws_s3_bucket', 'id');

  test('the load balancer writes under load-balancer/ once the bucket policy exists', () => {
    const [lb] = resourcesOf(json, 'aws_lb');
    expect(lb.access_logs).toEqual({ bucket: bucketId, prefix: 'load-balancer', enabled: true });
    expect(lb.depends_on).toEqual([`aws_s3_bucket_policy.${logs.policy.friendlyUniqueId}`]);
  });

  test('the bucket: SSE-S3, versioned, public access blocked', () => {
    expect(out).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, { bucket: bucketId, rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }] });
    expect(out).toHaveResourceWithProperties(S3BucketVersioningA, { bucket: bucketId, versioning_configuration: { status: 'Enabled' } });
    expect(out).toHaveResourceWithProperties(S3BucketPublicAccessBlock, { bucket: bucketId, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
  });

  test('the policy: TLS only, and delivery by delivery.logs.amazonaws.com for this account only (NLB access-log guide)', () => {
    const [policy] = resourcesOf(json, 'aws_s3_bucket_policy');
    const statements = JSON.parse(policy.policy).Statement;
    expect(statements.map((s: any) => s.Sid)).toEqual(['DenyInsecureTransport', 'NlbAccessLogDelivery', 'NlbAccessLogAclCheck']);
    expect(statements[0]).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(statements[1]).toMatchObject({
      Principal: { Service: 'delivery.logs.amazonaws.com' }, Action: 's3:PutObject',
      Resource: expect.stringMatching(/\/load-balancer\/AWSLogs\/\$\{data\.aws_caller_identity\.[^}]+\.account_id\}\/\*$/),
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
    });
    expect(statements[2]).toMatchObject({ Action: 's3:GetBucketAcl', Resource: ref(logs.bucket, 'aws_s3_bucket', 'arn') });
  });

  test('no access-log bucket without a certificate and without a model store', () => {
    const none = synth({ ...PROPS, modelStore: false });
    expect(resourcesOf(none.json, 'aws_s3_bucket')).toEqual([]);
    expect(resourcesOf(none.json, 'aws_lb')[0].access_logs).toBeUndefined();
  });
});

describe('(3) the model store\'s server access logs', () => {
  const { out, json, cluster } = synth(PROPS);
  const store = cluster.modelStore!.bucket;
  const logs = cluster.accessLogs!;

  test('logged into the access-log bucket under model-store/', () => {
    expect(out).toHaveResourceWithProperties(S3BucketLoggingA, {
      bucket: ref(store, 'aws_s3_bucket', 'id'), target_bucket: ref(logs.bucket, 'aws_s3_bucket', 'id'), target_prefix: 'model-store/',
    });
  });

  test('S3 log delivery is granted by bucket policy, for this store only; no NLB statements without TLS', () => {
    const policy = resourcesOf(json, 'aws_s3_bucket_policy').find((p) => p.bucket === ref(logs.bucket, 'aws_s3_bucket', 'id'));
    const statements = JSON.parse(policy.policy).Statement;
    expect(statements.map((s: any) => s.Sid)).toEqual(['DenyInsecureTransport', 'S3ServerAccessLogsDelivery']);
    expect(statements[1]).toMatchObject({
      Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject',
      Resource: `${ref(logs.bucket, 'aws_s3_bucket', 'arn')}/model-store/*`,
      Condition: { ArnLike: { 'aws:SourceArn': ref(store, 'aws_s3_bucket', 'arn') } },
    });
  });
});

describe('(4) VPC endpoints with vpcEndpoints: true', () => {
  const { out, json, cluster } = synth({ ...PROPS, vpcEndpoints: true });
  const endpointSg = ref(cluster.vpcEndpoints!.securityGroup, 'aws_security_group', 'id');

  test('off by default', () => {
    expect(resourcesOf(synth(PROPS).json, 'aws_vpc_endpoint')).toEqual([]);
  });

  test('one endpoint per service the single-node nodes call (private-network.ts; ec2 only for multi-node)', () => {
    const services = resourcesOf(json, 'aws_vpc_endpoint').map((e) => e.service_name.replace(/^com\.amazonaws\.\$\{data\.aws_region\.[^}]+\.region\}\./, ''));
    expect(services.sort()).toEqual(['autoscaling', 'ec2messages', 'logs', 'monitoring', 's3', 'secretsmanager', 'ssm', 'ssmmessages']);
  });

  test('S3 is a gateway on the subnets\' route tables; the others are interface endpoints with private DNS in the subnets', () => {
    const s3 = resourcesOf(json, 'aws_vpc_endpoint').find((e) => e.service_name.endsWith('.s3'));
    expect(s3).toMatchObject({ vpc_id: 'vpc-0abc', vpc_endpoint_type: 'Gateway' });
    expect(s3.route_table_ids).toHaveLength(2);
    expect(Object.values(json.data.aws_route_table).map((d: any) => d.subnet_id)).toEqual(['subnet-a', 'subnet-b']);
    expect(out).toHaveResourceWithProperties(VpcEndpoint, {
      vpc_endpoint_type: 'Interface', subnet_ids: ['subnet-a', 'subnet-b'], security_group_ids: [endpointSg], private_dns_enabled: true,
    });
  });

  test('issue 13 §5: the Secrets Manager endpoint\'s policy names the cluster\'s secret only; SSM keeps its default', () => {
    const byService = (service: string) => resourcesOf(json, 'aws_vpc_endpoint').find((e) => e.service_name.endsWith(`.${service}`));
    const secret = ref(cluster.apiKeySecret!, 'aws_secretsmanager_secret', 'arn');
    expect(JSON.parse(byService('secretsmanager').policy).Statement).toEqual([
      { Sid: 'ReadSecrets', Effect: 'Allow', Principal: '*', Action: ['secretsmanager:GetSecretValue'], Resource: [secret] },
    ]);
    expect(byService('ssm').policy).toBeUndefined();
  });

  test('the endpoint security group admits HTTPS from the node group only, and has no egress rule', () => {
    expect(out).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
      security_group_id: endpointSg, referenced_security_group_id: ref(cluster.securityGroup, 'aws_security_group', 'id'), ip_protocol: 'tcp', from_port: 443, to_port: 443,
    });
    const ingress = resourcesOf(json, 'aws_vpc_security_group_ingress_rule').filter((r) => r.security_group_id === endpointSg);
    expect(ingress).toHaveLength(1);
    expect(resourcesOf(json, 'aws_vpc_security_group_egress_rule').filter((r) => r.security_group_id === endpointSg)).toEqual([]);
  });
});

describe('(5) VPC flow logs with flowLogs: true', () => {
  const { out, json, cluster } = synth({ ...PROPS, flowLogs: true, logRetentionDays: 90 });
  const flow = cluster.flowLogs!;

  test('off by default', () => {
    expect(resourcesOf(synth(PROPS).json, 'aws_flow_log')).toEqual([]);
  });

  test('all traffic of the given VPC to a log group encrypted with the cluster key, with the logs\' retention', () => {
    expect(out).toHaveResourceWithProperties(FlowLog, {
      vpc_id: 'vpc-0abc', traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs',
      log_destination: ref(flow.logGroup, 'aws_cloudwatch_log_group', 'arn'), iam_role_arn: ref(flow.role, 'aws_iam_role', 'arn'),
    });
    expect(out).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: '/deepseek-iac/sec/vpc-flow-logs', retention_in_days: 90, kms_key_id: ref(cluster.encryptionKey, 'aws_kms_key', 'arn'),
    });
  });

  test('the delivery role: assumed by the flow-logs service for this account only, writes its own log group only', () => {
    const role = resourcesOf(json, 'aws_iam_role').find((r) => r.assume_role_policy.includes('vpc-flow-logs'));
    const trust = JSON.parse(role.assume_role_policy).Statement[0];
    expect(trust.Principal).toEqual({ Service: 'vpc-flow-logs.amazonaws.com' });
    expect(trust.Condition.StringEquals['aws:SourceAccount']).toMatch(/^\$\{data\.aws_caller_identity\.[^}]+\.account_id\}$/);
    const policy = resourcesOf(json, 'aws_iam_role_policy').find((p) => p.role === ref(flow.role, 'aws_iam_role', 'name'));
    const logGroupArn = ref(flow.logGroup, 'aws_cloudwatch_log_group', 'arn');
    expect(JSON.parse(policy.policy).Statement).toEqual([expect.objectContaining({
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: [logGroupArn, `${logGroupArn}:*`],
    })]);
  });
});
