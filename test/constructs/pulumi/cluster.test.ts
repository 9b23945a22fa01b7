/**
 * The Pulumi DeepSeekInferenceCluster against mocks (pulumi.runtime.setMocks, no CLI): the mocked
 * resources' inputs for a single-node cluster reading weights from S3 onto EBS and a two-node
 * cluster over EFA; every child parented to the component; core problems as input-property errors
 * naming the property; warnings through pulumi.log.warn. Values come from the plan / blueprint of
 * the same arguments or from the AWS facts cited next to them.
 */
import * as pulumi from '@pulumi/pulumi';
import { COMPONENT_TYPE, DeepSeekInferenceCluster, type DeepSeekInferenceClusterArgs } from '../../../constructs/pulumi';
import { MOCK_AMI, mockArn, runPulumi, valueOf, type PulumiRun, type RecordedResource } from './mocks';

const VPC = 'vpc-0abc';
const SUBNETS = ['subnet-a', 'subnet-b'];
/** The Deep Learning Base OSS NVIDIA driver AMI parameter (DLAMI release notes, public SSM parameter). */
const DLAMI_PARAMETER = '/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id';
/** vLLM's OpenAI server listens on 8000 by default (vLLM docs, `--port` default). */
const VLLM_PORT = 8000;

const warn = jest.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve());

async function build(name: string, args: DeepSeekInferenceClusterArgs): Promise<{ run: PulumiRun; cluster: DeepSeekInferenceCluster }> {
  let cluster: DeepSeekInferenceCluster | undefined;
  const run = await runPulumi(() => {
    cluster = new DeepSeekInferenceCluster(name, args);
  });
  return { run, cluster: cluster! };
}

const ofType = (run: PulumiRun, type: string): RecordedResource[] => run.resources.filter((r) => r.type === type);
const inputsOf = (run: PulumiRun, type: string): any[] => ofType(run, type).map((r) => r.inputs);

describe('single node, weights from S3 onto EBS', () => {
  let run: PulumiRun;
  let cluster: DeepSeekInferenceCluster;
  const registerOutputs = jest.spyOn(DeepSeekInferenceCluster.prototype as any, 'registerOutputs');

  beforeAll(async () => {
    ({ run, cluster } = await build('r1-7b', {
      model: 'deepseek-r1-distill-qwen-7b', vpcId: VPC, subnetIds: SUBNETS, allowedCidrs: ['10.0.0.0/16'],
      modelSource: 's3://example-models/r1-distill-qwen-7b', weightsStorage: 'ebs', clusterName: 'r1-7b',
      // Monitoring (agent statements, alarms, dashboard) is asserted in day2.test.ts.
      monitoring: false,
    }));
  });

  test('the component has its type token, every other resource is its child', () => {
    expect(run.urns).toContain(`urn:pulumi:test::deepseek-iac-test::${COMPONENT_TYPE}::r1-7b`);
    const children = run.urns.filter((u) => !u.endsWith(`::${COMPONENT_TYPE}::r1-7b`) && !u.includes('::pulumi:providers:'));
    expect(children.length).toBe(run.resources.length - 1);
    for (const urn of children) expect(urn).toContain(`::${COMPONENT_TYPE}$`);
  });

  test('launch template: planned instance type, IMDSv2 only, encrypted gp3 root and data volume, AMI from the DLAMI parameter', async () => {
    const [lt] = inputsOf(run, 'aws:ec2/launchTemplate:LaunchTemplate');
    expect(lt).toMatchObject({
      instanceType: cluster.plan.topology.instanceType,
      imageId: MOCK_AMI,
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
      vpcSecurityGroupIds: ['r1-7b-nodes-id'],
      iamInstanceProfile: { arn: mockArn('r1-7b-node') },
    });
    const bp = await valueOf(cluster.blueprint);
    expect(lt.blockDeviceMappings).toEqual([
      { deviceName: '/dev/sda1', ebs: { volumeSize: bp.rootVolume.sizeGiB, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' } },
      // ≥ 500 GiB (the core's floor) since 1.15 × the ~15 GB checkpoint is far below it; 1000 MiB/s and
      // 16,000 IOPS are the gp3 maximums (EBS user guide, general-purpose volumes).
      { deviceName: '/dev/sdf', ebs: { volumeSize: 500, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true', throughput: 1000, iops: 16000 } },
    ]);
    expect(lt.networkInterfaces).toBeUndefined();
    expect(lt.placement).toBeUndefined();
    expect(run.invokes).toContainEqual(expect.objectContaining({ token: 'aws:ssm/getParameter:getParameter', inputs: expect.objectContaining({ name: DLAMI_PARAMETER }) }));
  });

  test('user data: base64 of the blueprint script with the real secret ARN and log group', async () => {
    const [lt] = inputsOf(run, 'aws:ec2/launchTemplate:LaunchTemplate');
    const bp = await valueOf(cluster.blueprint);
    const script = Buffer.from(lt.userData, 'base64').toString('utf8');
    expect(script).toBe(bp.nodeGroups[0].userData);
    expect(script).toContain(`readonly API_KEY_SECRET_ID=${mockArn('r1-7b-api-key')}`);
    expect(script).toContain('readonly LOG_GROUP=/deepseek-iac/r1-7b');
  });

  test('Auto Scaling group: exactly one node, ELB health checks after the grace period, registered with the target group', async () => {
    const bp = await valueOf(cluster.blueprint);
    expect(inputsOf(run, 'aws:autoscaling/group:Group')).toEqual([expect.objectContaining({
      minSize: 1, maxSize: 1, desiredCapacity: 1, vpcZoneIdentifiers: SUBNETS,
      healthCheckType: 'EC2', healthCheckGracePeriod: bp.healthCheckGraceSeconds,
      targetGroupArns: [mockArn('r1-7b-engine')], waitForCapacityTimeout: '0',
      launchTemplate: { id: 'r1-7b-rank0-id', version: '1' },
    })]);
  });

  test('security: API port from the allowed range to the NLB only, engine port from the NLB only, no SSH, no node-to-node rule', () => {
    const ingress = inputsOf(run, 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule');
    expect(ingress).toHaveLength(2);
    expect(ingress).toContainEqual(expect.objectContaining({ securityGroupId: 'r1-7b-api-id', cidrIpv4: '10.0.0.0/16', ipProtocol: 'tcp', fromPort: VLLM_PORT, toPort: VLLM_PORT }));
    expect(ingress).toContainEqual(expect.objectContaining({ securityGroupId: 'r1-7b-nodes-id', referencedSecurityGroupId: 'r1-7b-api-id', ipProtocol: 'tcp', fromPort: VLLM_PORT, toPort: VLLM_PORT }));
    expect(ingress.filter((r) => r.fromPort === 22 || r.ipProtocol === '-1')).toEqual([]);
    const egress = inputsOf(run, 'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule');
    expect(egress).toContainEqual(expect.objectContaining({ securityGroupId: 'r1-7b-api-id', referencedSecurityGroupId: 'r1-7b-nodes-id', ipProtocol: 'tcp', fromPort: VLLM_PORT, toPort: VLLM_PORT }));
    // Issue 13 §5: the nodes reach out on HTTPS only; nothing allows every protocol anywhere.
    expect(egress).toContainEqual(expect.objectContaining({ securityGroupId: 'r1-7b-nodes-id', cidrIpv4: '0.0.0.0/0', ipProtocol: 'tcp', fromPort: 443, toPort: 443 }));
    expect(egress.filter((r) => r.ipProtocol === '-1')).toEqual([]);
  });

  test('internal NLB on the engine port, HTTP health check on /health', () => {
    expect(inputsOf(run, 'aws:lb/loadBalancer:LoadBalancer')).toEqual([expect.objectContaining({
      internal: true, loadBalancerType: 'network', subnets: SUBNETS, securityGroups: ['r1-7b-api-id'], enableCrossZoneLoadBalancing: true,
    })]);
    expect(inputsOf(run, 'aws:lb/targetGroup:TargetGroup')).toEqual([expect.objectContaining({
      port: VLLM_PORT, protocol: 'TCP', vpcId: VPC, targetType: 'instance',
      healthCheck: { enabled: true, protocol: 'HTTP', path: '/health', port: String(VLLM_PORT), interval: 30, timeout: 10, healthyThreshold: 2, unhealthyThreshold: 3 },
    })]);
    expect(inputsOf(run, 'aws:lb/listener:Listener')).toEqual([expect.objectContaining({
      port: VLLM_PORT, protocol: 'TCP', loadBalancerArn: mockArn('r1-7b-nlb'), defaultActions: [{ type: 'forward', targetGroupArn: mockArn('r1-7b-engine') }],
    })]);
  });

  test('IAM: EC2 trust, SSM core managed policy, statements scoped to the S3 prefix, the secret and the log group', () => {
    const [role] = inputsOf(run, 'aws:iam/role:Role');
    expect(JSON.parse(role.assumeRolePolicy).Statement).toEqual([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    expect(inputsOf(run, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment')).toEqual([{ role: 'r1-7b-node', policyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' }]);
    const [policy] = inputsOf(run, 'aws:iam/rolePolicy:RolePolicy');
    expect(JSON.parse(policy.policy).Statement).toEqual([
      { Sid: 'EngineLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [`${mockArn('r1-7b-engine-logs')}:*`] },
      { Sid: 'ReadSecrets', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [mockArn('r1-7b-api-key')] },
      {
        Sid: 'ListModelPrefix', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: ['arn:aws:s3:::example-models'],
        Condition: { StringLike: { 's3:prefix': ['r1-distill-qwen-7b', 'r1-distill-qwen-7b/*'] } },
      },
      { Sid: 'ReadModelObjects', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::example-models/r1-distill-qwen-7b/*'] },
      // Issue 6: the cluster key (secret and logs) and the watchdog's self-report, limited to this cluster's groups by tag.
      { Sid: 'UseClusterKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: [mockArn('r1-7b-key')] },
      {
        Sid: 'ReportOwnHealth', Effect: 'Allow', Action: ['autoscaling:SetInstanceHealth'],
        Resource: ['arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/*'],
        Condition: { StringEquals: { 'autoscaling:ResourceTag/deepseek-iac:cluster': ['r1-7b'] } },
      },
    ]);
    expect(inputsOf(run, 'aws:iam/instanceProfile:InstanceProfile')).toEqual([expect.objectContaining({ role: 'r1-7b-node' })]);
  });

  test('API key: a secret with no value (no secret version anywhere), log group with one month retention', () => {
    expect(inputsOf(run, 'aws:secretsmanager/secret:Secret')).toEqual([expect.objectContaining({ namePrefix: 'deepseek-iac/r1-7b/api-key-' })]);
    expect(ofType(run, 'aws:secretsmanager/secretVersion:SecretVersion')).toEqual([]);
    expect(inputsOf(run, 'aws:cloudwatch/logGroup:LogGroup')).toEqual([expect.objectContaining({ name: '/deepseek-iac/r1-7b', retentionInDays: 30 })]);
  });

  test('outputs: endpoint URL on the NLB, registered by the constructor (before the base class registers empty outputs)', async () => {
    expect(await valueOf(cluster.endpoint.url)).toBe(`http://r1-7b-nlb.elb.example:${VLLM_PORT}/v1`);
    // ComponentResource calls registerOutputs() itself once initialize() settles; only the first call counts.
    expect(Object.keys(registerOutputs.mock.calls[0][0] as object).sort()).toEqual(['apiKeySecretArn', 'hourlyCostUsd', 'loadBalancerSecurityGroupId', 'logGroupName', 'securityGroupId', 'summary', 'url']);
    expect(registerOutputs.mock.calls.slice(1).every(([outputs]) => outputs === undefined)).toBe(true);
  });
});

describe('two nodes over EFA (V3 BF16 on H200)', () => {
  let run: PulumiRun;
  let cluster: DeepSeekInferenceCluster;

  beforeAll(async () => {
    warn.mockClear();
    ({ run, cluster } = await build('v3', { model: 'deepseek-v3', precision: 'bf16', gpus: ['h200'], vpcId: VPC, subnetIds: SUBNETS, clusterName: 'v3' }));
  });

  test('cluster placement group, and both launch templates place instances in it', () => {
    expect(inputsOf(run, 'aws:ec2/placementGroup:PlacementGroup')).toEqual([expect.objectContaining({ strategy: 'cluster' })]);
    const lts = inputsOf(run, 'aws:ec2/launchTemplate:LaunchTemplate');
    expect(lts).toHaveLength(2);
    for (const lt of lts) expect(lt.placement).toEqual({ groupName: 'v3-placement' });
  });

  test('every EFA card attached: card 0 as EFA with ENA at device 0, the others EFA-only at device 1, security group on each', () => {
    const efa = cluster.plan.topology.efaInterfacesPerNode;
    expect(efa).toBeGreaterThan(1);
    for (const lt of inputsOf(run, 'aws:ec2/launchTemplate:LaunchTemplate')) {
      expect(lt.networkInterfaces).toEqual(Array.from({ length: efa }, (_, card) => ({
        networkCardIndex: card, deviceIndex: card === 0 ? 0 : 1, interfaceType: card === 0 ? 'efa' : 'efa-only',
        securityGroups: ['v3-nodes-id'], deleteOnTermination: 'true',
      })));
      expect(lt.vpcSecurityGroupIds).toBeUndefined();
    }
  });

  test('one group per rank, one node each, all in the first subnet; only rank 0 serves traffic', () => {
    const groups = ofType(run, 'aws:autoscaling/group:Group');
    expect(groups.map((g) => g.name).sort()).toEqual(['v3-rank0', 'v3-rank1']);
    for (const g of groups) expect(g.inputs).toMatchObject({ minSize: 1, maxSize: 1, desiredCapacity: 1, vpcZoneIdentifiers: ['subnet-a'] });
    const byName = Object.fromEntries(groups.map((g) => [g.name, g.inputs]));
    expect(byName['v3-rank0']).toMatchObject({ healthCheckType: 'EC2', targetGroupArns: [mockArn('v3-engine')] });
    expect(byName['v3-rank1'].healthCheckType).toBe('EC2');
    expect(byName['v3-rank1'].targetGroupArns).toBeUndefined();
    expect(byName['v3-rank1'].tags).toContainEqual({ key: 'deepseek-iac:rank', value: '1', propagateAtLaunch: true });
  });

  test('all traffic between nodes (EFA needs it), workers may describe instances to find the head', () => {
    expect(inputsOf(run, 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule'))
      .toContainEqual(expect.objectContaining({ securityGroupId: 'v3-nodes-id', referencedSecurityGroupId: 'v3-nodes-id', ipProtocol: '-1' }));
    const [policy] = inputsOf(run, 'aws:iam/rolePolicy:RolePolicy');
    expect(JSON.parse(policy.policy).Statement).toContainEqual({ Sid: 'DiscoverHead', Effect: 'Allow', Action: ['ec2:DescribeInstances'], Resource: ['*'] });
  });

  test('plan and blueprint warnings go through pulumi.log.warn on the component', () => {
    const messages = warn.mock.calls.map(([m]) => m);
    // Each notice as "CODE: message", the code from the registry (lib/notices.ts).
    for (const n of cluster.plan.notices) expect(messages).toContain(`${n.code}: ${n.message}`);
    // The default source is the FP8 release while the plan serves BF16 (the AWS vLLM container ships the EFA libraries, so no EFA-image warning).
    expect(messages.some((m) => m.startsWith('DSIAC-AWS3: '))).toBe(true);
    expect(messages.some((m) => m.startsWith('DSIAC-AWS4: '))).toBe(false);
    for (const call of warn.mock.calls) expect(call[1]).toBe(cluster);
  });
});

describe('arguments', () => {
  test('an API-key secret ARN given as an Output: no secret created, the ARN reaches the user data and the policy', async () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:llm-api-key-AbCdEf';
    const { run } = await build('given-key', { model: 'deepseek-r1-distill-qwen-1.5b', vpcId: VPC, subnetIds: SUBNETS, apiKeySecretArn: pulumi.output(arn) });
    expect(ofType(run, 'aws:secretsmanager/secret:Secret')).toEqual([]);
    const [lt] = inputsOf(run, 'aws:ec2/launchTemplate:LaunchTemplate');
    expect(Buffer.from(lt.userData, 'base64').toString('utf8')).toContain(`readonly API_KEY_SECRET_ID=${arn}`);
    expect(JSON.parse(inputsOf(run, 'aws:iam/rolePolicy:RolePolicy')[0].policy).Statement[1].Resource).toEqual([arn]);
  });

  const errorOf = (args: DeepSeekInferenceClusterArgs): unknown => {
    try {
      new DeepSeekInferenceCluster('bad', args);
    } catch (e) {
      return e;
    }
    throw new Error('expected an error');
  };

  test('several problems: one InputPropertiesError naming each property', async () => {
    await runPulumi(() => {
      const e = errorOf({
        model: 'deepseek-r1-distill-qwen-1.5b', vpcId: VPC, subnetIds: [], allowedCidrs: ['0.0.0.0/0', 'not-a-cidr'],
        modelSource: 'ftp://models/r1', logRetentionDays: 10,
      });
      expect(pulumi.InputPropertiesError.isInstance(e)).toBe(true);
      const err = e as pulumi.InputPropertiesError;
      expect(err.errors.map((x) => x.propertyPath).sort()).toEqual(['allowedCidrs[0]', 'allowedCidrs[1]', 'logRetentionDays', 'modelSource', 'subnetIds']);
      expect(err.message).toMatch(/^bad: invalid DeepSeekInferenceCluster arguments:\n {2}- /);
    });
  });

  test('one problem: an InputPropertyError on that property (an instance type too small names what fits)', async () => {
    await runPulumi(() => {
      const e = errorOf({ model: 'deepseek-r1', precision: 'fp8', instanceType: 'g6.xlarge', vpcId: VPC, subnetIds: SUBNETS });
      const paths = pulumi.InputPropertyError.isInstance(e) ? [e.propertyPath] : (e as pulumi.InputPropertiesError).errors.map((x) => x.propertyPath);
      expect(paths).toContain('instanceType');
      expect((e as Error).message).toMatch(/what fits: \d+ × [a-z0-9]+\.\d*xlarge/);
    });
    await runPulumi(() => {
      const e = errorOf({ model: 'deepseek-r1-distill-qwen-1.5b', vpcId: VPC, subnetIds: SUBNETS, modelSource: 'ftp://models/r1' });
      expect(pulumi.InputPropertyError.isInstance(e)).toBe(true);
      expect((e as pulumi.InputPropertyError).propertyPath).toBe('modelSource');
    });
  });

  test('an Output in a planning field is refused (the plan decides how many resources exist)', async () => {
    await runPulumi(() => {
      const e = errorOf({ model: 'deepseek-r1-distill-qwen-1.5b', contextTokens: pulumi.output(8192) as unknown as number, vpcId: VPC, subnetIds: SUBNETS });
      expect(pulumi.InputPropertyError.isInstance(e)).toBe(true);
      expect((e as pulumi.InputPropertyError).propertyPath).toBe('contextTokens');
    });
  });
});
