/**
 * Fine-grained template assertions for a single-node and a multi-node cluster.
 * One App per describe: each synthesizes once.
 */
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { spawnSync } from 'node:child_process';
import type { Construct } from 'constructs';
import { DeepSeekInferenceCluster } from '../../../constructs/cdk';
import { healthCheckGraceSeconds } from '../../../lib/deploy/health';
import { runTool, testWithTool } from '../../helpers/tools';
import { idsOf, userDataOf } from './helpers';
import { unpackedUserData } from '../../helpers/user-data';

const SSM_CORE = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSSMManagedInstanceCore']] };

describe('single node: R1-Distill-Qwen-1.5B on an EBS volume, weights from S3', () => {
  const app = new App();
  const stack = new Stack(app, 'Single');
  const cluster = new DeepSeekInferenceCluster(stack, 'Cluster', {
    model: 'deepseek-r1-distill-qwen-1.5b',
    weightsStorage: 'ebs',
    modelSource: 's3://model-bucket/deepseek/qwen-1.5b',
    allowedPeers: [ec2.Peer.ipv4('10.20.0.0/16')],
    logRetention: logs.RetentionDays.ONE_WEEK,
  });
  const t = Template.fromStack(stack);
  const [ltId] = idsOf(t, 'AWS::EC2::LaunchTemplate');

  test('launch template: planned instance type, DLAMI from SSM, IMDSv2 required, encrypted gp3 root and data volumes', () => {
    t.resourceCountIs('AWS::EC2::LaunchTemplate', 1);
    t.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: {
        InstanceType: cluster.plan.topology.instanceType,
        ImageId: { Ref: Match.stringLikeRegexp('^SsmParameterValueawsservicedeeplearningamix8664baseossnvidiadrivergpuubuntu2204latestamiid') },
        MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 1 },
        BlockDeviceMappings: [
          { DeviceName: '/dev/sda1', Ebs: { VolumeSize: 200, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: true } },
          // 500 GiB: the storage floor (the 3.6 GB checkpoint × 1.15 is far below it); gp3 maximums 1000 MiB/s, 16000 IOPS.
          { DeviceName: '/dev/sdf', Ebs: { VolumeSize: 500, VolumeType: 'gp3', Encrypted: true, Throughput: 1000, Iops: 16000, DeleteOnTermination: true } },
        ],
        SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^ClusterNodeSecurityGroup'), 'GroupId'] }],
        NetworkInterfaces: Match.absent(),
        Placement: Match.absent(),
      },
    });
    expect(cluster.plan.topology.instanceType).toBe('g6.xlarge');
    t.templateMatches({ Parameters: { [Object.keys(t.toJSON().Parameters).find((p) => p.startsWith('SsmParameterValue'))!]: { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: '/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id' } } });
  });

  test('one Auto Scaling group of exactly one node, ELB health checks after a grace derived from the checkpoint', () => {
    t.resourceCountIs('AWS::AutoScaling::AutoScalingGroup', 1);
    t.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      MinSize: '1', MaxSize: '1', DesiredCapacity: '1',
      HealthCheckType: 'EC2',
      HealthCheckGracePeriod: healthCheckGraceSeconds(cluster.plan.storage.checkpointBytes),
      TargetGroupARNs: [{ Ref: Match.anyValue() }],
      Tags: Match.arrayWith([{ Key: 'deepseek-iac:rank', Value: '0', PropagateAtLaunch: true }]),
    });
    // 3.55 GB checkpoint: 600 + 35.5 + 7.1 + 900 s = 1542.7 s → 26 whole minutes.
    expect(healthCheckGraceSeconds(cluster.plan.storage.checkpointBytes)).toBe(1560);
    expect(cluster.autoScalingGroups).toHaveLength(1);
  });

  test('security groups: API port only from the allowed peer to the NLB, only from the NLB to the nodes; no SSH, no self rule', () => {
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('API: port 8000'),
      SecurityGroupIngress: [{ CidrIp: '10.20.0.0/16', IpProtocol: 'tcp', FromPort: 8000, ToPort: 8000, Description: Match.anyValue() }],
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp', FromPort: 8000, ToPort: 8000,
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ClusterNodeSecurityGroup'), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ClusterLoadBalancerSecurityGroup'), 'GroupId'] },
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      IpProtocol: 'tcp', FromPort: 8000, ToPort: 8000,
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ClusterLoadBalancerSecurityGroup'), 'GroupId'] },
    });
    const json = JSON.stringify(t.toJSON());
    expect(json).not.toMatch(/"FromPort":22\b/);
    expect(Object.keys(t.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { IpProtocol: '-1' } }))).toEqual([]);
  });

  test('issue 13 §5: the nodes reach out on HTTPS (443) only; no group allows every protocol anywhere', () => {
    const groups = t.findResources('AWS::EC2::SecurityGroup');
    const [nodeSg] = Object.entries(groups).filter(([id]) => id.startsWith('ClusterNodeSecurityGroup'));
    expect(nodeSg![1].Properties.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 })]);
    const allOut = (rule: { CidrIp?: string; IpProtocol?: string }) => rule.CidrIp === '0.0.0.0/0' && rule.IpProtocol === '-1';
    for (const g of Object.values(groups)) expect(((g.Properties.SecurityGroupEgress ?? []) as { CidrIp?: string; IpProtocol?: string }[]).filter(allOut)).toEqual([]);
  });

  test('internal NLB on the engine port; target group health check HTTP /health on that port', () => {
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal', Type: 'network', SecurityGroups: [Match.anyValue()] });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 8000, Protocol: 'TCP' });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 8000, Protocol: 'TCP', TargetType: 'instance',
      HealthCheckProtocol: 'HTTP', HealthCheckPath: '/health', HealthCheckPort: '8000',
    });
    expect(cluster.endpoint.port).toBe(8000);
  });

  test('IAM: SSM core, logs on the group, S3 scoped to the prefix, the API-key secret; no EC2 discovery', () => {
    t.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: [SSM_CORE] });
    const partition = { Ref: 'AWS::Partition' };
    const [nodePolicy] = Object.values(t.findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('^ClusterNodePolicy') } }));
    // Day-2 statements follow the original four: the cluster key, the watchdog, the CloudWatch agent (no model store: the source is S3).
    expect(nodePolicy.Properties.PolicyDocument.Statement.map((x: { Sid: string }) => x.Sid)).toEqual([
      'EngineLogs', 'ReadSecrets', 'ListModelPrefix', 'ReadModelObjects', 'UseClusterKey', 'ReportOwnHealth', 'PublishGpuMetrics', 'AgentLogs', 'ReadAgentConfig',
    ]);
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Sid: 'EngineLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^ClusterEngineLogs'), 'Arn'] }, ':*']] } },
          { Sid: 'ReadSecrets', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: Match.stringLikeRegexp('^ClusterApiKey') } },
          {
            Sid: 'ListModelPrefix', Effect: 'Allow', Action: 's3:ListBucket',
            Resource: { 'Fn::Join': ['', ['arn:', partition, ':s3:::model-bucket']] },
            Condition: { StringLike: { 's3:prefix': ['deepseek/qwen-1.5b', 'deepseek/qwen-1.5b/*'] } },
          },
          { Sid: 'ReadModelObjects', Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', ['arn:', partition, ':s3:::model-bucket/deepseek/qwen-1.5b/*']] } },
        ]),
      },
    });
  });

  test('log group with the requested retention; generated API key secret', () => {
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    t.hasResourceProperties('AWS::SecretsManager::Secret', { GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true, IncludeSpace: false } });
  });

  test('user data: the S3 download and the secret by reference; no token text, no secret value; valid shell', () => {
    const script = userDataOf(t, ltId);
    expect(script).toContain("readonly MODEL_SOURCE=s3://model-bucket/deepseek/qwen-1.5b/");
    expect(script).toContain(`readonly DATA_VOLUME_BYTES=${500 * 2 ** 30}`);
    expect(script).toMatch(/readonly API_KEY_SECRET_ID='REF_ClusterApiKey\w+'/);
    expect(script).toMatch(/readonly LOG_GROUP='REF_ClusterEngineLogs\w+'/);
    expect(JSON.stringify(t.toJSON())).not.toContain('${Token');
    expect(spawnSync('bash', ['-n'], { input: script }).status).toBe(0);
  });

  testWithTool('shellcheck', 'shellcheck of the synthesized user data')('user data passes shellcheck', () => {
    // What the node runs: a gzip-packed body (scripts over 16 KB) is checked as it unpacks.
    expect(runTool('shellcheck', ['-s', 'bash', '-'], { input: unpackedUserData(userDataOf(t, ltId)) }).stdout).toBe('');
  });

  test('no plan warnings for this plan but the memory constants\' engine version (fitted on vLLM 0.19.0, image 0.31.0) and the missing TLS (issue 13)', () => {
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('.*')).map((w) => String(w.entry.data));
    expect(warnings).toHaveLength(2);
    // addWarningV2(code, message) stores "message [ack: code]": the annotation id is the registry code (lib/notices.ts).
    expect(warnings).toEqual(expect.arrayContaining([
      expect.stringMatching(/fitted on vllm 0\.19\.0 start-up logs; the image runs vllm 0\.31\.0.* \[ack: DSIAC-SRV2\]$/),
      expect.stringMatching(/^the API is served without TLS.* \[ack: DSIAC-AWS1\]$/),
    ]));
  });
});

describe('multi-node: V3 in BF16 over EFA in an existing VPC', () => {
  const app = new App();
  const stack = new Stack(app, 'Multi');
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Existing', {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'],
  });
  const cluster = new DeepSeekInferenceCluster(stack, 'Cluster', { model: 'deepseek-v3', precision: 'bf16', vpc });
  const t = Template.fromStack(stack);
  const nodes = cluster.plan.topology.nodes;
  const lts = idsOf(t, 'AWS::EC2::LaunchTemplate');

  test('the plan needs several 8-GPU nodes over EFA', () => {
    expect(nodes).toBeGreaterThan(1);
    expect(cluster.plan.topology.interconnect).toBe('efa');
    // p4de.24xlarge: 4 EFA-capable network cards (400 Gbps as 4 × 100 Gbps, AWS P4 instance page).
    expect(cluster.plan.topology.instanceType).toBe('p4de.24xlarge');
    expect(cluster.plan.topology.efaInterfacesPerNode).toBe(4);
  });

  test('one launch template and one Auto Scaling group of exactly one node per rank, all in one subnet', () => {
    expect(lts).toHaveLength(nodes);
    t.resourceCountIs('AWS::AutoScaling::AutoScalingGroup', nodes);
    const groups = t.findResources('AWS::AutoScaling::AutoScalingGroup');
    for (const g of Object.values(groups)) {
      expect(g.Properties).toMatchObject({ MinSize: '1', MaxSize: '1', DesiredCapacity: '1', VPCZoneIdentifier: ['subnet-0aaaaaaaaaaaaaaaa'] });
    }
    const ranks = Object.values(groups).map((g) => g.Properties.Tags.find((x: { Key: string }) => x.Key === 'deepseek-iac:rank').Value).sort();
    expect(ranks).toEqual(Array.from({ length: nodes }, (_, r) => String(r)));
  });

  test('only rank 0 is behind the load balancer; every group uses EC2 health checks (the watchdog judges the engine)', () => {
    t.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      HealthCheckType: 'EC2', TargetGroupARNs: Match.anyValue(), Tags: Match.arrayWith([Match.objectLike({ Key: 'deepseek-iac:rank', Value: '0' })]),
    });
    const all = t.findResources('AWS::AutoScaling::AutoScalingGroup', { Properties: { HealthCheckType: 'EC2' } });
    expect(Object.keys(all)).toHaveLength(nodes);
    expect(Object.values(all).filter((w) => w.Properties.TargetGroupARNs === undefined)).toHaveLength(nodes - 1);
  });

  test('cluster placement group; EFA interfaces = the plan\'s count, primary efa, others efa-only; groups on the interfaces', () => {
    t.hasResourceProperties('AWS::EC2::PlacementGroup', { Strategy: 'cluster' });
    const expected = Array.from({ length: 4 }, (_, i) => ({
      NetworkCardIndex: i, DeviceIndex: i === 0 ? 0 : 1, InterfaceType: i === 0 ? 'efa' : 'efa-only',
      Groups: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^ClusterNodeSecurityGroup'), 'GroupId'] }], DeleteOnTermination: true,
    }));
    for (const id of lts) {
      expect(t.toJSON().Resources[id].Properties.LaunchTemplateData.SecurityGroupIds).toBeUndefined();
    }
    t.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: {
        InstanceType: 'p4de.24xlarge',
        NetworkInterfaces: expected,
        Placement: { GroupName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ClusterPlacementGroup'), 'GroupName'] } },
        MetadataOptions: { HttpTokens: 'required' },
        // The plan prefers instance-store NVMe (8 × 1000 GB holds 1.37 TB): root volume only.
        BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { VolumeSize: 200, Encrypted: true, VolumeType: 'gp3' } }],
      },
    });
  });

  test('all traffic allowed within the node security group (EFA, NCCL, Ray)', () => {
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: '-1',
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ClusterNodeSecurityGroup'), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ClusterNodeSecurityGroup'), 'GroupId'] },
    });
    // No allowedPeers given: the load balancer group admits nothing.
    t.hasResourceProperties('AWS::EC2::SecurityGroup', { GroupDescription: Match.stringLikeRegexp('API: port'), SecurityGroupIngress: Match.absent() });
  });

  test('IAM: ec2:DescribeInstances on * for head discovery; S3 only on the model store prefix for a Hugging Face source', () => {
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([{ Sid: 'DiscoverHead', Effect: 'Allow', Action: 'ec2:DescribeInstances', Resource: '*' }]) },
    });
    const policies = t.findResources('AWS::IAM::Policy');
    const s3Of = (role: Construct) => {
      const roleId = stack.getLogicalId(role.node.defaultChild as CfnElement);
      const statements = Object.values(policies).filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
        .flatMap((p) => p.Properties.PolicyDocument.Statement) as { Sid?: string; Action: string | string[] }[];
      return statements.filter((x) => [x.Action].flat().some((a) => a.startsWith('s3:'))).map((x) => ({ sid: x.Sid, actions: [x.Action].flat() }));
    };
    // Rank 0 fills the model store; the worker's role may only read it (issue 13 §5).
    expect(s3Of(cluster.role).map((x) => x.sid)).toEqual(['ListModelStore', 'ModelStoreObjects']);
    expect(s3Of(cluster.workerRole!)).toEqual([{ sid: 'ListModelStore', actions: ['s3:ListBucket'] }, { sid: 'ReadModelStore', actions: ['s3:GetObject'] }]);
  });

  test('issue 13 §5: rank 0 launches with the node role, the worker with the worker role', () => {
    const profileRole = (ltId: string) => {
      const arn = t.toJSON().Resources[ltId].Properties.LaunchTemplateData.IamInstanceProfile.Arn['Fn::GetAtt'][0];
      return t.toJSON().Resources[arn].Properties.Roles[0].Ref;
    };
    const [node, worker] = [cluster.role, cluster.workerRole!].map((r) => stack.getLogicalId(r.node.defaultChild as CfnElement));
    // Launch templates in rank order (LaunchTemplateRank<r>).
    const roleIds = cluster.launchTemplates.map((lt) => profileRole(stack.getLogicalId(lt.node.defaultChild as CfnElement)));
    expect(roleIds).toEqual([node, ...Array.from({ length: cluster.plan.topology.nodes - 1 }, () => worker)]);
  });

  test('each rank\'s user data carries its rank, the cluster tag filter and valid shell', () => {
    const scripts = lts.map((id) => userDataOf(t, id));
    expect(scripts.map((s) => /readonly NODE_RANK=(\d+)/.exec(s)![1]).sort()).toEqual(Array.from({ length: nodes }, (_, r) => String(r)));
    for (const s of scripts) {
      expect(s).toContain(`readonly CLUSTER=${cluster.blueprint.clusterName}`);
      expect(spawnSync('bash', ['-n'], { input: s }).status).toBe(0);
    }
  });

  testWithTool('shellcheck', 'shellcheck of the synthesized user data')('a worker\'s user data passes shellcheck', () => {
    expect(runTool('shellcheck', ['-s', 'bash', '-'], { input: unpackedUserData(userDataOf(t, lts[1])) }).stdout).toBe('');
  });

  test('plan and deployment warnings become annotations', () => {
    const warnings = Annotations.fromStack(stack).findWarning('/Multi/Cluster', Match.anyValue()).map((w) => String(w.entry.data));
    // Each notice once, as "message [ack: CODE]" (addWarningV2 with the registry code as the id).
    expect(warnings.sort()).toEqual([...cluster.plan.notices, ...cluster.blueprint.warnings].map((n) => `${n.message} [ack: ${n.code}]`).sort());
    // The launch runs the AWS vLLM container, which ships the EFA libraries: no EFA-image warning.
    expect(cluster.plan.serving.efaLibraries).toBe(true);
    expect(warnings.some((x) => x.endsWith('[ack: DSIAC-AWS4]'))).toBe(false);
    expect(warnings.find((x) => x.endsWith('[ack: DSIAC-AWS3]'))).toContain('FP8 release');
  });
});
