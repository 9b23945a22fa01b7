/**
 * EKS reference stacks: a new EKS cluster (aws-eks-v2, private endpoint, control-plane logs,
 * secrets encrypted with a KMS key, a small system node group for the controllers) and
 * `DeepSeekEksInference` on it. One single-node distill and one multi-node R1 (LeaderWorkerSet over
 * EFA). Checked by cdk-nag like the EC2 stacks in app.ts; synth stays offline (no lookups, no env).
 *
 * The kubectl/helm handler needs a Lambda layer with kubectl and helm: `@aws-cdk/lambda-layer-kubectl-v35`
 * (pinned dev dependency) ships it as an asset inside the npm package, so synth stays offline and
 * `cdk deploy` needs no parameter.
 */
import { KubectlV35Layer } from '@aws-cdk/lambda-layer-kubectl-v35';
import { CfnOutput, Stack, Validations, type App, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { DeepSeekEksInference, type DeepSeekEksInferenceProps } from '../constructs/cdk';
import { defaultVpc } from '../constructs/cdk/vpc';

/** Planning and placement of one EKS reference deployment (the cluster is the stack's). */
export type EksReferenceProps = Omit<DeepSeekEksInferenceProps, 'cluster'>;

/** The EKS reference deployments: stack name → props (the planner picks the hardware unless pinned). */
export const EKS_REFERENCE_STACKS: Readonly<Record<string, EksReferenceProps>> = {
  /** A distill on one node: a Deployment. */
  DeepSeekEksR1Distill70B: { model: 'deepseek-r1-distill-llama-70b' },
  /** R1 as released (FP8) over 2 × p5.48xlarge: a LeaderWorkerSet of size 2 over EFA. */
  DeepSeekEksR1Fp8MultiNode: { model: 'deepseek-r1', precision: 'fp8', instanceType: 'p5.48xlarge', nodes: 2 },
};

/** Kubernetes version of the reference clusters (matches the kubectl layer named above). */
export const EKS_REFERENCE_VERSION = eks.KubernetesVersion.V1_35;

/** A new EKS cluster with one DeepSeek deployment. */
export class DeepSeekEksReferenceStack extends Stack {
  readonly cluster: eks.Cluster;
  readonly inference: DeepSeekEksInference;

  constructor(scope: Construct, id: string, inference: EksReferenceProps, props?: StackProps) {
    super(scope, id, props);
    const key = new kms.Key(this, 'Key', { enableKeyRotation: true, description: `${id}: EKS secrets and flow logs` });
    const vpc = defaultVpc(this, key, logs.RetentionDays.ONE_YEAR);
    // A plain name: Karpenter's IAM conditions and settings carry it.
    const clusterName = `deepseek-${id.replace(/^DeepSeekEks/, '').toLowerCase()}`;
    this.cluster = new eks.Cluster(this, 'Cluster', {
      clusterName,
      version: EKS_REFERENCE_VERSION,
      vpc,
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
      endpointAccess: eks.EndpointAccess.PRIVATE,
      secretsEncryptionKey: key,
      clusterLogging: [
        eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT, eks.ClusterLoggingTypes.AUTHENTICATOR,
        eks.ClusterLoggingTypes.CONTROLLER_MANAGER, eks.ClusterLoggingTypes.SCHEDULER,
      ],
      // Karpenter and the other controllers run on a small managed node group, never on the GPU nodes.
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 2,
      defaultCapacityInstance: new ec2.InstanceType('m7i.large'),
      kubectlProviderOptions: { kubectlLayer: new KubectlV35Layer(this, 'KubectlLayer') },
    });
    this.inference = new DeepSeekEksInference(this, 'Inference', { cluster: this.cluster, clusterName, ...inference });
    acknowledgeReferenceCluster(this, this.cluster, vpc);
    this.templateOptions.description = `deepseek-iac EKS reference: ${this.inference.layout.summary}`;
    new CfnOutput(this, 'ClusterName', { value: this.cluster.clusterName });
    new CfnOutput(this, 'ServiceUrl', { value: this.inference.serviceUrl, description: 'OpenAI-compatible base URL (in-cluster)' });
    new CfnOutput(this, 'ApiKeySecret', {
      value: `${this.inference.layout.namespace}/${this.inference.layout.apiKeySecret.name}`,
      description: `Kubernetes Secret to create (key ${this.inference.layout.apiKeySecret.key}) before the engine starts`,
    });
    new CfnOutput(this, 'Plan', { value: this.inference.layout.summary });
  }
}

/** Add the EKS reference stacks to an app that already has the cdk-nag plugins (bin/app.ts's buildApp adds them); returns the app. */
export function addEksStacks<A extends App>(app: A, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): A {
  for (const [name, props] of Object.entries(EKS_REFERENCE_STACKS)) {
    const stack = new DeepSeekEksReferenceStack(app, name, props);
    log(`${name}: ${stack.inference.layout.summary}`);
  }
  return app;
}

/** cdk-nag findings of the reference cluster accepted by design, with reasons. */
function acknowledgeReferenceCluster(stack: Stack, cluster: eks.Cluster, vpc: ec2.Vpc): void {
  const ack = (path: string, id: string, reason: string): void => {
    const target = findPath(stack, path);
    if (target) Validations.of(target).acknowledge({ id, reason });
  };
  const managed = (path: string, policies: readonly string[], reason: string): void => {
    for (const p of policies) ack(path, `AwsSolutions::AwsSolutions-IAM4[Policy::${p.startsWith('{') ? p : `arn:<AWS::Partition>:iam::aws:policy/${p}`}]`, `${p.startsWith('{') ? 'AmazonElasticContainerRegistryPublicReadOnly' : p}: ${reason}`);
  };
  const byCdk = 'created by aws-eks-v2 for the cluster';
  managed('Cluster/Role', ['AmazonEKSClusterPolicy'], `the EKS service role's documented managed policy, ${byCdk}`);
  managed('Cluster/NodegroupDefaultCapacity/NodeGroupRole', ['AmazonEC2ContainerRegistryReadOnly', 'AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy'],
    `the documented managed policies of EKS managed node groups, ${byCdk}`);
  const ecrPublic = '{"Fn::If":["ClusterKubectlProviderHandlerHasEcrPublic69E09706",{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly"]]},{"Ref":"AWS::NoValue"}]}';
  managed('Cluster/KubectlProvider/Handler/ServiceRole', ['AmazonEC2ContainerRegistryReadOnly', 'service-role/AWSLambdaBasicExecutionRole', 'service-role/AWSLambdaVPCAccessExecutionRole', ecrPublic],
    `the kubectl/helm handler pulls charts from ECR and runs in the VPC (private endpoint), ${byCdk}`);
  managed('Cluster/KubectlProvider/Provider/framework-onEvent/ServiceRole', ['service-role/AWSLambdaBasicExecutionRole', 'service-role/AWSLambdaVPCAccessExecutionRole'],
    `the custom-resource provider framework's function, ${byCdk}`);
  const handler = 'a deploy-time custom-resource handler (kubectl/helm apply) invoked by CloudFormation only: no concurrent traffic to limit, and CloudFormation reports and retries failed invocations, so a dead-letter queue would hold nothing actionable';
  for (const fn of ['Cluster/KubectlProvider/Handler', 'Cluster/KubectlProvider/Provider/framework-onEvent']) {
    ack(fn, 'NIST.800.53.R5::NIST.800.53.R5-LambdaConcurrency', handler);
    ack(fn, 'NIST.800.53.R5::NIST.800.53.R5-LambdaDLQ', handler);
  }
  ack('Cluster/KubectlProvider/Handler', 'AwsSolutions::AwsSolutions-L1', `the handler's Python runtime is pinned by aws-cdk-lib ${byCdk}; it moves with aws-cdk-lib upgrades`);
  for (const p of ['Cluster/KubectlProvider/Handler/ServiceRole/DefaultPolicy', 'Cluster/KubectlProvider/Provider/framework-onEvent/ServiceRole/DefaultPolicy', 'Vpc/FlowLog/IAMRole/DefaultPolicy']) {
    ack(p, 'NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy', `generated by the CDK for one role (${p.split('/')[0] === 'Vpc' ? 'flow logs to this VPC\'s log group' : 'invoke the handler, describe this cluster'}); nothing to reuse`);
  }
  ack('Cluster/KubectlProvider/Provider/framework-onEvent/ServiceRole/DefaultPolicy', 'AwsSolutions::AwsSolutions-IAM5[Resource::<ClusterKubectlProviderHandler2E05C68A.Arn>:*]',
    'the provider framework invokes any version of its own handler function (the ARN suffix :*), generated by the CDK');
  ack('Cluster', 'CloudFormation-Validate::W9009', 'aws-eks-v2 renders EncryptionConfig.Resources = ["secrets"], which EKS still requires for envelope encryption of Kubernetes secrets');
  for (const subnet of vpc.publicSubnets) {
    Validations.of(subnet).acknowledge({ id: 'NIST.800.53.R5::NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
      reason: 'public subnets hold only the NAT gateway, whose default route must point at the internet gateway; nodes and the cluster endpoint are private' });
  }
  Validations.of(vpc).acknowledge({ id: 'NIST.800.53.R5::NIST.800.53.R5-VPCDefaultSecurityGroupClosed',
    reason: 'nothing uses the VPC default security group (the cluster, nodes and endpoints have their own); stripping its rules needs a custom-resource Lambda with findings of its own' });
  void cluster;
}

/** The construct at a path below the stack, if any. */
function findPath(stack: Stack, path: string): Construct | undefined {
  let node: Construct | undefined = stack;
  for (const part of path.split('/')) node = node?.node.tryFindChild(part) as Construct | undefined;
  return node;
}
