/**
 * Security in the template: a TLS listener (and NLB access logs) when a certificate is given, VPC
 * endpoints so nodes run without NAT (default for a created VPC, opt-in for a caller's), flow logs,
 * the cluster KMS key and its explicit policy, the encrypted API key; and cdk-nag AwsSolutions +
 * NIST.800.53.R5 on a TLS cluster, which needs none of the plain-TCP acknowledgements.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeepSeekInferenceCluster } from '../../../constructs/cdk';
import { idsOf } from './helpers';

const CERT = 'arn:aws:acm:us-east-1:111122223333:certificate/0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e';

describe('TLS, with both cdk-nag packs', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'deepseek-cdk-tls-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const app = new App({ outdir });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  const stack = new Stack(app, 'Tls');
  const cluster = new DeepSeekInferenceCluster(stack, 'Cluster', { model: 'deepseek-r1-distill-qwen-1.5b', certificateArn: CERT, modelSource: 's3://weights/qwen-1.5b' });
  app.synth();
  const t = Template.fromStack(stack);

  test('the listener is TLS 1.3/1.2 with the certificate; targets stay TCP; clients use https://', () => {
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Protocol: 'TLS', Port: 8000, Certificates: [{ CertificateArn: CERT }], SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Protocol: 'TCP', Port: 8000 });
    expect(cluster.endpoint.url).toMatch(/^https:\/\//);
  });

  test('with TLS the load balancer writes access logs to the log bucket (created even for an s3:// source)', () => {
    const [logsId] = idsOf(t, 'AWS::S3::Bucket');
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'access_logs.s3.enabled', Value: 'true' },
        { Key: 'access_logs.s3.bucket', Value: { Ref: logsId } },
      ]),
    });
  });

  test('no finding left, and none of the plain-TCP acknowledgements are needed', () => {
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    for (const pack of report.pluginReports) {
      expect([pack.pluginName, pack.conclusion, pack.violations]).toEqual([pack.pluginName, 'success', []]);
      const rules = pack.suppressedViolations.map((v: { ruleName: string }) => v.ruleName);
      for (const tcpOnly of ['AwsSolutions-ELB2', 'NIST.800.53.R5-ELBLoggingEnabled', 'NIST.800.53.R5-ELBv2ACMCertificateRequired']) expect(rules).not.toContain(tcpOnly);
    }
  });
});

describe('a created VPC: endpoints, flow logs, no public IPs', () => {
  const stack = new Stack(new App(), 'Private');
  new DeepSeekInferenceCluster(stack, 'Cluster', { model: 'deepseek-r1-distill-qwen-1.5b' });
  const t = Template.fromStack(stack);
  const [keyId] = idsOf(t, 'AWS::KMS::Key');

  test('an S3 gateway endpoint and interface endpoints for SSM, Secrets Manager, CloudWatch Logs and metrics, Auto Scaling', () => {
    const endpoints = Object.values(t.findResources('AWS::EC2::VPCEndpoint')).map((e) => JSON.stringify(e.Properties.ServiceName));
    for (const service of ['s3', 'ssm', 'ssmmessages', 'ec2messages', 'secretsmanager', 'logs', 'monitoring', 'autoscaling']) {
      expect([service, endpoints.some((n) => n.includes(`.${service}"`))]).toEqual([service, true]);
    }
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway', ServiceName: Match.objectLike({}) });
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface', PrivateDnsEnabled: true });
  });

  test('issue 13 §5: the Secrets Manager and Logs endpoints carry policies naming the cluster\'s secret and log groups only', () => {
    const byService = (service: string) => Object.values(t.findResources('AWS::EC2::VPCEndpoint')).find((e) => JSON.stringify(e.Properties.ServiceName).includes(`.${service}"`))!;
    const secrets = byService('secretsmanager').Properties.PolicyDocument.Statement;
    expect(secrets).toEqual([expect.objectContaining({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'secretsmanager:GetSecretValue', Resource: { Ref: expect.stringMatching(/^ClusterApiKey/) } })]);
    const logs = byService('logs').Properties.PolicyDocument.Statement as { Resource: unknown }[];
    expect(logs.length).toBeGreaterThan(0);
    for (const st of logs) expect(JSON.stringify(st.Resource)).toMatch(/LogGroup|Logs/);
    expect(byService('ssm').Properties.PolicyDocument).toBeUndefined();
  });

  test('the endpoints admit HTTPS from the nodes\' security group only', () => {
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp', FromPort: 443, ToPort: 443,
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ClusterEndpointSecurityGroup'), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ClusterNodeSecurityGroup'), 'GroupId'] },
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroup', { GroupDescription: Match.stringLikeRegexp('VPC interface endpoints'), SecurityGroupIngress: Match.absent() });
  });

  test('flow logs of all traffic go to a KMS-encrypted log group; public subnets assign no public IPs', () => {
    t.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC', TrafficType: 'ALL', LogGroupName: { Ref: Match.stringLikeRegexp('^ClusterFlowLogGroup') } });
    const subnets = Object.values(t.findResources('AWS::EC2::Subnet'));
    expect(subnets.every((s) => s.Properties.MapPublicIpOnLaunch === false)).toBe(true);
  });

  test('the cluster key rotates and its policy grants no kms:*; CloudWatch Logs may use it for this account\'s log groups', () => {
    const [key] = Object.values(t.findResources('AWS::KMS::Key'));
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const statements = key.Properties.KeyPolicy.Statement as { Sid: string; Action: string[] }[];
    expect(statements.flatMap((s) => s.Action)).not.toContain('kms:*');
    expect(statements.map((s) => s.Sid)).toEqual(['KeyAdministration', 'UseThroughIamPolicies', 'CloudWatchLogs', 'CloudWatchAlarmsToTopic']);
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({
        Sid: 'CloudWatchLogs',
        Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
      })]) },
    });
  });

  test('the generated API key is encrypted with the cluster key', () => {
    t.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] }, GenerateSecretString: Match.objectLike({ PasswordLength: 48 }) });
  });
});

describe('a caller\'s VPC', () => {
  const vpcOf = (stack: Stack) => ec2.Vpc.fromVpcAttributes(stack, 'Existing', {
    vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a', 'us-east-1b'],
    privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'], privateSubnetRouteTableIds: ['rtb-0aaaaaaaaaaaaaaaa', 'rtb-0bbbbbbbbbbbbbbbb'],
  });
  const LEAN = { model: 'deepseek-r1-distill-qwen-1.5b', monitoring: false, modelStore: false } as const;

  test('gets no endpoints unless asked', () => {
    const stack = new Stack(new App(), 'Theirs');
    new DeepSeekInferenceCluster(stack, 'Cluster', { ...LEAN, vpc: vpcOf(stack) });
    Template.fromStack(stack).resourceCountIs('AWS::EC2::VPCEndpoint', 0);
  });

  test('vpcEndpoints: true adds them in the cluster\'s subnets, the gateway on their route tables', () => {
    const stack = new Stack(new App(), 'TheirsPrivate');
    new DeepSeekInferenceCluster(stack, 'Cluster', { ...LEAN, vpc: vpcOf(stack), vpcEndpoints: true });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway', RouteTableIds: ['rtb-0aaaaaaaaaaaaaaaa', 'rtb-0bbbbbbbbbbbbbbbb'] });
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface', SubnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'] });
  });
});
