/**
 * Stand-alone example: a DeepSeek-R1 distill served from an existing VPC, weights from S3, API
 * open to the VPC's own range, a Lambda-sized consumer allowed through `connections`.
 *
 * Synth (offline, no credentials): `npx cdk synth` in this folder. The VPC, subnet and bucket
 * values come from context (`-c vpcId=vpc-... -c privateSubnetIds=subnet-a,subnet-b
 * -c availabilityZones=us-east-1a,us-east-1b -c privateSubnetRouteTableIds=rtb-a,rtb-b
 * -c weights=s3://bucket/prefix`); the defaults below are
 * documentation values that synthesize but do not deploy.
 */
import { App, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import { DeepSeekInferenceCluster } from '../../constructs/cdk';

/** Where to place the cluster. */
interface ExampleProps extends StackProps {
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly availabilityZones: string[];
  readonly privateSubnetIds: string[];
  readonly privateSubnetRouteTableIds: string[];
  /** `s3://bucket/prefix` holding the checkpoint (config.json, safetensors, tokenizer). */
  readonly weights: string;
}

class InferenceInExistingVpc extends Stack {
  constructor(scope: Construct, id: string, props: ExampleProps) {
    super(scope, id, props);
    // An existing VPC by its attributes: no context lookup, so synth needs no AWS access.
    const vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: props.vpcId,
      vpcCidrBlock: props.vpcCidr,
      availabilityZones: props.availabilityZones,
      privateSubnetIds: props.privateSubnetIds,
      privateSubnetRouteTableIds: props.privateSubnetRouteTableIds,
    });

    const cluster = new DeepSeekInferenceCluster(this, 'R1Distill8B', {
      model: 'deepseek-r1-distill-llama-8b',
      contextTokens: 16384,
      concurrency: 8,
      vpc,
      modelSource: props.weights,
      allowedPeers: [ec2.Peer.ipv4(props.vpcCidr)],
    });

    // Anything with a security group can be let in later, e.g. an application tier.
    const appTier = new ec2.SecurityGroup(this, 'AppTier', { vpc, description: 'callers of the DeepSeek API' });
    cluster.connections.allowDefaultPortFrom(appTier, 'application tier');

    new CfnOutput(this, 'ApiUrl', { value: cluster.endpoint.url });
    new CfnOutput(this, 'ApiKeySecretArn', { value: cluster.apiKeySecret.secretArn });
    new CfnOutput(this, 'Plan', { value: cluster.blueprint.summary });
  }
}

const app = new App();
const list = (key: string, fallback: string[]): string[] => {
  const v: unknown = app.node.tryGetContext(key);
  return typeof v === 'string' ? v.split(',') : fallback;
};
new InferenceInExistingVpc(app, 'DeepSeekInExistingVpc', {
  vpcId: app.node.tryGetContext('vpcId') ?? 'vpc-0123456789abcdef0',
  vpcCidr: app.node.tryGetContext('vpcCidr') ?? '10.0.0.0/16',
  availabilityZones: list('availabilityZones', ['us-east-1a', 'us-east-1b']),
  privateSubnetIds: list('privateSubnetIds', ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210']),
  privateSubnetRouteTableIds: list('privateSubnetRouteTableIds', ['rtb-0123456789abcdef0', 'rtb-0fedcba9876543210']),
  weights: app.node.tryGetContext('weights') ?? 's3://example-model-bucket/deepseek-r1-distill-llama-8b',
});
app.synth();
