/**
 * Bad input fails at synth with the construct path and every problem as `path: message`, and
 * nothing is synthesized for the cluster.
 */
import { App, CfnResource, Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { DeepSeekInferenceCluster, DeepSeekInferenceClusterError, type DeepSeekInferenceClusterProps } from '../../../constructs/cdk';
import { planDeployment } from '../../../lib/plan/planner';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Build a cluster in a fresh stack; return the error and the paths of the CloudFormation resources left in the tree. */
function attempt(props: DeepSeekInferenceClusterProps | ((stack: Stack) => DeepSeekInferenceClusterProps)) {
  const stack = new Stack(new App(), 'Bad');
  let error: unknown;
  try {
    new DeepSeekInferenceCluster(stack, 'Cluster', typeof props === 'function' ? props(stack) : props);
  } catch (e) {
    error = e;
  }
  const resources = stack.node.findAll().filter(CfnResource.isCfnResource).map((r) => r.node.path);
  return { error: error as DeepSeekInferenceClusterError, resources };
}

describe('DeepSeekInferenceCluster rejects bad input at synth', () => {
  test('CDK tokens in planning props', () => {
    const { error, resources } = attempt({
      model: Lazy.string({ produce: () => 'deepseek-r1' }),
      contextTokens: Lazy.number({ produce: () => 8192 }),
      gpus: ['h100'],
    });
    expect(error).toBeInstanceOf(DeepSeekInferenceClusterError);
    expect(error.message).toContain('Bad/Cluster: invalid DeepSeekInferenceCluster configuration');
    expect(error.message).toContain('model: is a CDK token');
    expect(error.message).toContain('contextTokens: is a CDK token');
    expect(error.issues.map((i) => i.path)).toEqual(['model', 'contextTokens']);
    expect(resources).toEqual([]);
  });

  test('an instance type override too small for the model names what fits', () => {
    const free = planDeployment({ model: 'deepseek-r1', target: 'aws' });
    const { error, resources } = attempt({ model: 'deepseek-r1', instanceType: 'g6.xlarge' });
    expect(error.message).toContain('Bad/Cluster');
    expect(error.message).toMatch(/instanceType: instanceType "g6\.xlarge" cannot serve deepseek-r1/);
    expect(error.message).toContain(`what fits: ${free.topology.nodes} × ${free.topology.instanceType}`);
    expect(resources).toEqual([]);
  });

  test('a VPC without private subnets', () => {
    const { error, resources } = attempt((stack) => ({
      model: 'deepseek-r1-distill-qwen-1.5b',
      vpc: new ec2.Vpc(stack, 'PublicOnly', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'pub', subnetType: ec2.SubnetType.PUBLIC }] }),
    }));
    expect(error.message).toContain('Bad/Cluster');
    expect(error.message).toContain('vpc: has no private subnets with egress');
    // Only the caller's VPC exists; nothing of the cluster.
    expect(resources.length).toBeGreaterThan(0);
    expect(resources.every((path) => path.startsWith('Bad/PublicOnly/'))).toBe(true);
  });

  test('selecting public subnets', () => {
    const { error } = attempt((stack) => ({
      model: 'deepseek-r1-distill-qwen-1.5b',
      vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 }),
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    }));
    expect(error.message).toContain('vpcSubnets: selects public subnets');
  });

  test('0.0.0.0/0 or ::/0 in allowedPeers without allowPublicIngress', () => {
    const { error, resources } = attempt({ model: 'deepseek-r1-distill-qwen-1.5b', allowedPeers: [ec2.Peer.ipv4('10.0.0.0/8'), ec2.Peer.anyIpv4(), ec2.Peer.anyIpv6()] });
    expect(error.issues.map((i) => i.path)).toEqual(['allowedPeers[1]', 'allowedPeers[2]']);
    expect(error.message).toContain('allowPublicIngress: true');
    expect(resources).toEqual([]);
  });

  test('0.0.0.0/0 is accepted when allowPublicIngress says so', () => {
    const stack = new Stack(new App(), 'Open');
    new DeepSeekInferenceCluster(stack, 'Cluster', { model: 'deepseek-r1-distill-qwen-1.5b', allowedPeers: [ec2.Peer.anyIpv4()], allowPublicIngress: true });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroup', { SecurityGroupIngress: [{ CidrIp: '0.0.0.0/0', FromPort: 8000, ToPort: 8000, IpProtocol: 'tcp', Description: 'OpenAI API (vllm) from allowed peers' }] });
  });

  test('an unknown modelSource scheme', () => {
    const { error, resources } = attempt({ model: 'deepseek-r1-distill-qwen-1.5b', modelSource: 'gs://bucket/deepseek' });
    expect(error.message).toContain('Bad/Cluster');
    expect(error.message).toContain('modelSource: "gs://bucket/deepseek" has the unsupported scheme "gs://"');
    expect(resources).toEqual([]);
  });

  test('several problems are reported together', () => {
    const { error } = attempt({ model: 'no-such-model', modelSource: 'ftp://x/y', allowedPeers: [ec2.Peer.anyIpv4()] });
    const paths = error.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['model', 'modelSource', 'allowedPeers[0]']));
  });
});

describe('blueprint-level problems are found before any resource exists', () => {
  const llama = JSON.parse(readFileSync(resolve(__dirname, '../../fixtures/hf-configs/llama-3.1-8b.json'), 'utf8'));

  test.each<[string, DeepSeekInferenceClusterProps, string]>([
    ['a cluster name that cannot be a tag filter', { model: 'deepseek-r1-distill-qwen-1.5b', clusterName: 'has space' }, 'clusterName: "has space" is not a valid cluster name'],
    ['a config-only model with nowhere to download from', { hfConfig: llama }, 'modelSource: '],
  ])('%s', (_name, props, message) => {
    const { error, resources } = attempt(props);
    expect(error).toBeInstanceOf(DeepSeekInferenceClusterError);
    expect(error.message).toContain(message);
    expect(resources).toEqual([]);
  });
});
