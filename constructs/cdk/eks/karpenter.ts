/**
 * Karpenter on the cluster: the node role (with its EC2_LINUX access entry), and, when installed
 * here, the controller role bound to the `karpenter` service account through EKS Pod Identity, the
 * interruption queue with its EventBridge rules, and the pinned chart. Shapes and statements come
 * from lib/deploy/eks (Karpenter's reference CloudFormation as data).
 */
import { Aws, Duration } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { PolicyStatementSpec } from '../../../lib/deploy/iam';
import {
  KARPENTER_CHART, KARPENTER_INTERRUPTION_EVENTS, KARPENTER_INTERRUPTION_RETENTION_SECONDS, KARPENTER_NODE_MANAGED_POLICIES, KARPENTER_SERVICE_ACCOUNT,
  karpenterControllerStatements, type ChartSpec,
} from '../../../lib/deploy/eks';

/** An IAM statement from its lib description. */
export function policyStatement(s: PolicyStatementSpec): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: s.sid,
    actions: [...s.actions],
    resources: [...s.resources],
    ...(s.conditions ? { conditions: Object.fromEntries(Object.entries(s.conditions).map(([op, kv]) => [op, Object.fromEntries(Object.entries(kv).map(([k, v]) => [k, v.length === 1 ? v[0] : [...v]]))])) } : {}),
  });
}

/** Role EKS Pod Identity hands to one service account. */
export function podIdentityRole(scope: Construct, id: string, cluster: eks.ICluster, namespace: string, serviceAccount: string, statements: readonly PolicyStatementSpec[]): { role: iam.Role; policy: iam.Policy; association: eks.CfnPodIdentityAssociation } {
  const role = new iam.Role(scope, id, {
    assumedBy: new iam.SessionTagsPrincipal(new iam.ServicePrincipal('pods.eks.amazonaws.com')),
    description: `EKS Pod Identity role of ${namespace}/${serviceAccount}`,
  });
  const policy = new iam.Policy(scope, `${id}Policy`, { statements: statements.map(policyStatement) });
  role.attachInlinePolicy(policy);
  const association = new eks.CfnPodIdentityAssociation(scope, `${id}Association`, {
    clusterName: cluster.clusterName, namespace, serviceAccount, roleArn: role.roleArn,
  });
  const agent = cluster.eksPodIdentityAgent;
  if (agent) association.node.addDependency(agent);
  return { role, policy, association };
}

/** Props of {@link KarpenterInstallation}. */
export interface KarpenterInstallationProps {
  readonly cluster: eks.ICluster;
  /** Plain cluster name (IAM condition keys). */
  readonly clusterName: string;
  /** Install the controller here (role, queue, then the chart through {@link KarpenterInstallation.installChart}); false = the platform's Karpenter. */
  readonly install: boolean;
}

/** Karpenter's node role and, optionally, its controller. */
export class KarpenterInstallation extends Construct {
  /** Role of the GPU nodes (EC2NodeClass `role`). */
  readonly nodeRole: iam.Role;
  /** Controller role, when installed here. */
  readonly controllerRole?: iam.Role;
  readonly controllerPolicy?: iam.Policy;
  readonly interruptionQueue?: sqs.Queue;
  /** The chart release, once installed. */
  chart?: eks.HelmChart;
  private readonly cluster: eks.ICluster;
  private association?: eks.CfnPodIdentityAssociation;

  constructor(scope: Construct, id: string, props: KarpenterInstallationProps) {
    super(scope, id);
    const { cluster } = props;
    this.cluster = cluster;
    this.nodeRole = new iam.Role(this, 'NodeRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: KARPENTER_NODE_MANAGED_POLICIES.map((n) => iam.ManagedPolicy.fromAwsManagedPolicyName(n)),
      description: 'Role of the GPU nodes Karpenter launches',
    });
    // Nodes join through an EC2_LINUX access entry (no access policies may be attached to that type).
    new eks.AccessEntry(this, 'NodeAccess', {
      cluster, principal: this.nodeRole.roleArn, accessEntryType: eks.AccessEntryType.EC2_LINUX, accessPolicies: [],
    });
    if (!props.install) return;

    this.interruptionQueue = new sqs.Queue(this, 'InterruptionQueue', {
      retentionPeriod: Duration.seconds(KARPENTER_INTERRUPTION_RETENTION_SECONDS),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    for (const e of KARPENTER_INTERRUPTION_EVENTS) {
      new events.Rule(this, `${e.id}Rule`, {
        eventPattern: { source: [e.source], detailType: [e.detailType] },
        targets: [new targets.SqsQueue(this.interruptionQueue)],
      });
    }
    const statements = karpenterControllerStatements({
      partition: Aws.PARTITION, region: Aws.REGION, account: Aws.ACCOUNT_ID, clusterName: props.clusterName,
      nodeRoleArn: this.nodeRole.roleArn, interruptionQueueArn: this.interruptionQueue.queueArn,
    });
    const identity = podIdentityRole(this, 'ControllerRole', cluster, KARPENTER_CHART.namespace, KARPENTER_SERVICE_ACCOUNT, statements);
    this.controllerRole = identity.role;
    this.controllerPolicy = identity.policy;
    this.association = identity.association;
  }

  /** Install the pinned chart with the layout's values (after the controller's Pod Identity association). */
  installChart(spec: ChartSpec): eks.HelmChart {
    this.chart = helmChart(this, 'Chart', this.cluster, spec);
    if (this.association) this.chart.node.addDependency(this.association);
    return this.chart;
  }
}

/** A pinned chart release on the cluster (waits for readiness: later manifests need its CRDs and webhooks). */
export function helmChart(scope: Construct, id: string, cluster: eks.ICluster, c: ChartSpec): eks.HelmChart {
  return new eks.HelmChart(scope, id, {
    cluster,
    release: c.release,
    // OCI charts: the handler runs `helm pull <repository>`, so the repository is the full chart reference.
    chart: c.chart,
    repository: c.repository,
    version: c.version,
    namespace: c.namespace,
    createNamespace: true,
    values: { ...c.values },
    wait: true,
  });
}
