/**
 * Day-2 security (issue 6, item 6) in the Pulumi DeepSeekInferenceCluster, against mocks, as the CDK
 * construct: a TLS listener with `certificateArn`, NLB access logs and the model store's server
 * access logs in an encrypted, TLS-only access-log bucket, and (opt-in, the VPC being the caller's)
 * VPC endpoints and VPC flow logs.
 */
import * as pulumi from '@pulumi/pulumi';
import { DeepSeekInferenceCluster, type DeepSeekInferenceClusterArgs } from '../../../constructs/pulumi';
import { MOCK_ACCOUNT, MOCK_REGION, mockArn, mockRouteTable, runPulumi, valueOf, type PulumiRun } from './mocks';

jest.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve());

const ARGS: DeepSeekInferenceClusterArgs = {
  model: 'deepseek-r1-distill-qwen-1.5b', vpcId: 'vpc-0abc', subnetIds: ['subnet-a', 'subnet-b'], allowedCidrs: ['10.0.0.0/16'], clusterName: 'sec',
};
const CERT = 'arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-1111-2222-3333-444455556666';
// The ELB policy name for TLS 1.3 + 1.2 with forward secrecy (ELB "Security policies for your Network
// Load Balancer", https://docs.aws.amazon.com/elasticloadbalancing/latest/network/describe-ssl-policies.html).
const TLS13_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';
const inputsOf = (run: PulumiRun, type: string): any[] => run.resources.filter((r) => r.type === type).map((r) => r.inputs);
const byName = (run: PulumiRun, type: string, name: string): any => run.resources.find((r) => r.type === type && r.name === name)?.inputs;

async function build(args: DeepSeekInferenceClusterArgs) {
  let cluster: DeepSeekInferenceCluster | undefined;
  const run = await runPulumi(() => {
    cluster = new DeepSeekInferenceCluster('sec', args);
  });
  return { run, cluster: cluster! };
}

describe('(1) TLS listener with certificateArn', () => {
  test('the listener terminates TLS with the certificate and the TLS 1.3/1.2 policy; the target group stays TCP; clients use https://', async () => {
    const { run, cluster } = await build({ ...ARGS, certificateArn: CERT });
    expect(inputsOf(run, 'aws:lb/listener:Listener')).toEqual([expect.objectContaining({ protocol: 'TLS', certificateArn: CERT, sslPolicy: TLS13_POLICY, port: 8000 })]);
    expect(inputsOf(run, 'aws:lb/targetGroup:TargetGroup')).toEqual([expect.objectContaining({ protocol: 'TCP' })]);
    expect(await valueOf(cluster.endpoint.url)).toBe('https://sec-nlb.elb.example:8000/v1');
    expect((await valueOf(cluster.blueprint)).loadBalancer.tls).toEqual({ certificateArn: CERT, sslPolicy: TLS13_POLICY });
  });

  test('without a certificate: a TCP listener, no certificate, http://', async () => {
    const { run, cluster } = await build(ARGS);
    const [listener] = inputsOf(run, 'aws:lb/listener:Listener');
    expect(listener.protocol).toBe('TCP');
    expect(listener.certificateArn).toBeUndefined();
    expect(await valueOf(cluster.endpoint.url)).toBe('http://sec-nlb.elb.example:8000/v1');
  });
});

describe('(2) NLB access logs to the access-log bucket (TLS listener only)', () => {
  let run: PulumiRun;
  beforeAll(async () => {
    // modelStore: false isolates the bucket the certificate alone brings.
    ({ run } = await build({ ...ARGS, certificateArn: CERT, modelStore: false }));
  });

  test('the load balancer writes under load-balancer/', () => {
    expect(inputsOf(run, 'aws:lb/loadBalancer:LoadBalancer')[0].accessLogs).toEqual({ bucket: 'sec-access-logs-id', prefix: 'load-balancer', enabled: true });
  });

  test('the bucket: SSE-S3, versioned, public access blocked', () => {
    expect(byName(run, 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration', 'sec-access-logs'))
      .toMatchObject({ bucket: 'sec-access-logs-id', rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] });
    expect(byName(run, 'aws:s3/bucketVersioning:BucketVersioning', 'sec-access-logs')).toMatchObject({ versioningConfiguration: { status: 'Enabled' } });
    expect(byName(run, 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', 'sec-access-logs'))
      .toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
  });

  test('the policy: TLS only, and delivery by delivery.logs.amazonaws.com for this account only (NLB access-log guide)', () => {
    const statements = JSON.parse(byName(run, 'aws:s3/bucketPolicy:BucketPolicy', 'sec-access-logs').policy).Statement;
    const arn = mockArn('sec-access-logs');
    expect(statements.map((s: any) => s.Sid)).toEqual(['DenyInsecureTransport', 'NlbAccessLogDelivery', 'NlbAccessLogAclCheck']);
    expect(statements[1]).toEqual({
      Sid: 'NlbAccessLogDelivery', Effect: 'Allow', Principal: { Service: 'delivery.logs.amazonaws.com' }, Action: 's3:PutObject',
      Resource: `${arn}/load-balancer/AWSLogs/${MOCK_ACCOUNT}/*`,
      Condition: {
        StringEquals: { 'aws:SourceAccount': MOCK_ACCOUNT, 's3:x-amz-acl': 'bucket-owner-full-control' },
        ArnLike: { 'aws:SourceArn': `arn:aws:logs:${MOCK_REGION}:${MOCK_ACCOUNT}:*` },
      },
    });
    expect(statements[2]).toMatchObject({ Action: 's3:GetBucketAcl', Resource: arn });
  });

  test('no access-log bucket without a certificate and without a model store', async () => {
    const none = await build({ ...ARGS, modelStore: false });
    expect(inputsOf(none.run, 'aws:s3/bucket:Bucket')).toEqual([]);
    expect(inputsOf(none.run, 'aws:lb/loadBalancer:LoadBalancer')[0].accessLogs).toBeUndefined();
  });
});

describe('(3) the model store\'s server access logs', () => {
  let run: PulumiRun;
  beforeAll(async () => {
    ({ run } = await build(ARGS));
  });

  test('logged into the access-log bucket under model-store/', () => {
    expect(inputsOf(run, 'aws:s3/bucketLogging:BucketLogging')).toEqual([{ bucket: 'sec-models-id', targetBucket: 'sec-access-logs-id', targetPrefix: 'model-store/' }]);
  });

  test('S3 log delivery is granted by bucket policy, for this store only; no NLB statements without TLS', () => {
    const statements = JSON.parse(byName(run, 'aws:s3/bucketPolicy:BucketPolicy', 'sec-access-logs').policy).Statement;
    expect(statements.map((s: any) => s.Sid)).toEqual(['DenyInsecureTransport', 'S3ServerAccessLogsDelivery']);
    expect(statements[1]).toEqual({
      Sid: 'S3ServerAccessLogsDelivery', Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject',
      Resource: `${mockArn('sec-access-logs')}/model-store/*`,
      Condition: { ArnLike: { 'aws:SourceArn': mockArn('sec-models') }, StringEquals: { 'aws:SourceAccount': MOCK_ACCOUNT } },
    });
  });
});

describe('(4) VPC endpoints with vpcEndpoints: true', () => {
  let run: PulumiRun;
  beforeAll(async () => {
    ({ run } = await build({ ...ARGS, vpcEndpoints: true }));
  });
  const endpoints = () => inputsOf(run, 'aws:ec2/vpcEndpoint:VpcEndpoint');

  test('off by default', async () => {
    expect(inputsOf((await build(ARGS)).run, 'aws:ec2/vpcEndpoint:VpcEndpoint')).toEqual([]);
  });

  test('one endpoint per service the single-node nodes call (private-network.ts; ec2 only for multi-node)', () => {
    const services = endpoints().map((e) => e.serviceName.replace(`com.amazonaws.${MOCK_REGION}.`, ''));
    expect(services.sort()).toEqual(['autoscaling', 'ec2messages', 'logs', 'monitoring', 's3', 'secretsmanager', 'ssm', 'ssmmessages']);
  });

  test('S3 is a gateway on the subnets\' route tables; the others are interface endpoints with private DNS in the subnets', () => {
    expect(endpoints().find((e) => e.serviceName.endsWith('.s3'))).toMatchObject({
      vpcId: 'vpc-0abc', vpcEndpointType: 'Gateway', routeTableIds: [mockRouteTable('subnet-a'), mockRouteTable('subnet-b')],
    });
    for (const e of endpoints().filter((x) => !x.serviceName.endsWith('.s3'))) {
      expect(e).toMatchObject({ vpcEndpointType: 'Interface', subnetIds: ['subnet-a', 'subnet-b'], securityGroupIds: ['sec-endpoints-id'], privateDnsEnabled: true });
    }
  });

  test('issue 13 §5: the Secrets Manager endpoint\'s policy names the cluster\'s secret only; SSM keeps its default', () => {
    const byService = (service: string) => endpoints().find((e) => e.serviceName.endsWith(`.${service}`))!;
    expect(JSON.parse(byService('secretsmanager').policy).Statement).toEqual([
      { Sid: 'ReadSecrets', Effect: 'Allow', Principal: '*', Action: ['secretsmanager:GetSecretValue'], Resource: [mockArn('sec-api-key')] },
    ]);
    expect(byService('ssm').policy).toBeUndefined();
  });

  test('the endpoint security group admits HTTPS from the node group only, and has no egress rule', () => {
    const ingress = inputsOf(run, 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule').filter((r) => r.securityGroupId === 'sec-endpoints-id');
    expect(ingress).toEqual([expect.objectContaining({ referencedSecurityGroupId: 'sec-nodes-id', ipProtocol: 'tcp', fromPort: 443, toPort: 443 })]);
    expect(inputsOf(run, 'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule').filter((r) => r.securityGroupId === 'sec-endpoints-id')).toEqual([]);
  });
});

describe('(5) VPC flow logs with flowLogs: true', () => {
  let run: PulumiRun;
  beforeAll(async () => {
    ({ run } = await build({ ...ARGS, flowLogs: true, logRetentionDays: 90 }));
  });

  test('off by default', async () => {
    expect(inputsOf((await build(ARGS)).run, 'aws:ec2/flowLog:FlowLog')).toEqual([]);
  });

  test('all traffic of the given VPC to a log group encrypted with the cluster key, with the logs\' retention', () => {
    expect(inputsOf(run, 'aws:ec2/flowLog:FlowLog')).toEqual([expect.objectContaining({
      vpcId: 'vpc-0abc', trafficType: 'ALL', logDestinationType: 'cloud-watch-logs', logDestination: mockArn('sec-flow-logs'), iamRoleArn: mockArn('sec-flow-logs'),
    })]);
    expect(byName(run, 'aws:cloudwatch/logGroup:LogGroup', 'sec-flow-logs')).toMatchObject({
      name: '/deepseek-iac/sec/vpc-flow-logs', retentionInDays: 90, kmsKeyId: mockArn('sec-key'),
    });
  });

  test('the delivery role: assumed by the flow-logs service for this account only, writes its own log group only', () => {
    const trust = JSON.parse(byName(run, 'aws:iam/role:Role', 'sec-flow-logs').assumeRolePolicy).Statement[0];
    expect(trust).toMatchObject({
      Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': MOCK_ACCOUNT }, ArnLike: { 'aws:SourceArn': `arn:aws:ec2:${MOCK_REGION}:${MOCK_ACCOUNT}:vpc-flow-log/*` } },
    });
    const logGroupArn = mockArn('sec-flow-logs');
    expect(JSON.parse(byName(run, 'aws:iam/rolePolicy:RolePolicy', 'sec-flow-logs').policy).Statement).toEqual([expect.objectContaining({
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: [logGroupArn, `${logGroupArn}:*`],
    })]);
  });
});
