/**
 * Props of `DeepSeekEksInference` and their checks: the planning fields are the core
 * `DeploymentSpec` (plain values only); the rest places the workload on an EKS cluster.
 */
import { Token } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { ModelCacheChoice } from '../../../lib/deploy/eks';
import type { DeploymentSpec } from '../../../lib/input/types';
import type { Issue } from '../../../lib/types';
import { planningSpec, tokenVisitor } from '../props';

/** Props of {@link DeepSeekEksInference}. Planning fields must be plain values, never CDK tokens. */
export interface DeepSeekEksInferenceProps extends Omit<DeploymentSpec, 'target' | 'localHosts'> {
  /**
   * The EKS cluster (aws-eks-v2): one this app creates, or one imported with
   * `eks.Cluster.fromClusterAttributes` and a `kubectlProvider`.
   */
  readonly cluster: eks.ICluster;
  /**
   * The cluster's name as a plain string, when `cluster.clusterName` is a token (a cluster created
   * in this app: aws-eks-v2 exposes its name as a Ref). Karpenter's IAM conditions carry it.
   * @default cluster.clusterName (must then be a plain string, as for an imported cluster)
   */
  readonly clusterName?: string;
  /** Base name of the NodePool, EC2NodeClass and serving objects. @default derived from the model id */
  readonly name?: string;
  /** Namespace of the serving objects. @default deepseek */
  readonly namespace?: string;
  /** Where the weights come from: `s3://bucket/prefix`, `hf://org/name[@rev]` or `org/name[@rev]`. @default the model's Hugging Face repository */
  readonly modelSource?: string;
  /** How the weights reach the pods (lib/deploy/eks/cache.ts). @default 'auto' */
  readonly modelCache?: ModelCacheChoice;
  /** Subnets Karpenter launches GPU nodes into. @default the cluster VPC's private subnets with egress */
  readonly nodeSubnets?: ec2.SubnetSelection;
  /** Single-node plans: also allow compatible alternatives (`true` = all, a number = at most that many). @default false */
  readonly fallbackInstanceTypes?: boolean | number;
  /** Karpenter AMI alias of the AL2023 family (e.g. `al2023@v20260801`). @default al2023@latest */
  readonly amiAlias?: string;
  /** Kubernetes Secret (key `token`) in the namespace holding a Hugging Face token. @default no token */
  readonly huggingFaceTokenSecretName?: string;
  /** `ClusterIP`, or an internal NLB through the AWS Load Balancer Controller (which must be installed). @default 'ClusterIP' */
  readonly service?: 'ClusterIP' | 'internal-nlb';
  /**
   * Install Karpenter (chart, controller role with EKS Pod Identity, interruption queue). Set false
   * when the platform already runs Karpenter 1.x; the NodePool and EC2NodeClass are created either way.
   * @default true
   */
  readonly installKarpenter?: boolean;
  /**
   * Install the NVIDIA device plugin, and as the plan needs them the EFA device plugin, the
   * LeaderWorkerSet controller and the Mountpoint S3 CSI driver. Set false when the platform runs them.
   * @default true
   */
  readonly installControllers?: boolean;
  /** Tags of the EC2 instances and volumes Karpenter creates. Plain values. @default none */
  readonly nodeTags?: Readonly<Record<string, string>>;
}

/** Props that are not part of the DeploymentSpec. */
const EKS_PROP_KEYS = [
  'cluster', 'clusterName', 'name', 'namespace', 'modelSource', 'modelCache', 'nodeSubnets', 'fallbackInstanceTypes', 'amiAlias',
  'huggingFaceTokenSecretName', 'service', 'installKarpenter', 'installControllers', 'nodeTags',
] as const;

/** The planning part of the props as a DeploymentSpec for target aws. */
export function eksSpecFromProps(props: DeepSeekEksInferenceProps): DeploymentSpec {
  return planningSpec(props, EKS_PROP_KEYS);
}

/** Every value decided at synth that is a CDK token. */
export function eksTokenIssues(props: DeepSeekEksInferenceProps): Issue[] {
  const issues: Issue[] = [];
  const visit = tokenVisitor(issues);
  for (const [k, v] of Object.entries(eksSpecFromProps(props))) visit(v, k);
  for (const key of ['name', 'namespace', 'modelSource', 'amiAlias', 'huggingFaceTokenSecretName', 'nodeTags'] as const) {
    if (props[key] !== undefined) visit(props[key], key);
  }
  if (props.clusterName !== undefined) visit(props.clusterName, 'clusterName');
  else if (Token.isUnresolved(props.cluster.clusterName)) {
    issues.push({ path: 'clusterName', message: 'cluster.clusterName is a CDK token (a cluster created in this app): pass the name you gave it as clusterName' });
  }
  return issues;
}
