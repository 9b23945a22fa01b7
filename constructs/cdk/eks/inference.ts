/**
 * `DeepSeekEksInference`: serves a plan on an EKS cluster (aws-eks-v2). It maps `eksLayout` (lib)
 * to CDK resources: Karpenter (node role and access entry; controller, queue and chart unless the
 * platform runs it), the pinned controller charts, the NodePool and EC2NodeClass, and the serving
 * workload (with its API front: nginx in the serving pod, the engine on the pod's loopback;
 * lib/deploy/kubernetes/api-front.ts). Nothing here decides a name, size, type or version.
 */
import { Annotations, Aws } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DeepSeekInferenceClusterError } from '../../../lib/deploy/cluster-error';
import { planWithOverrides } from '../../../lib/plan/overrides';
import {
  eksLayout, eksLayoutIssues, karpenterControllerStatements, MOUNTPOINT_S3_SERVICE_ACCOUNT, mountpointS3Statements, type EksLayout, type EksLayoutOptions,
} from '../../../lib/deploy/eks';
import { isPlanError } from '../../../lib/errors';
import type { Plan } from '../../../lib/plan/types';
import type { PolicyStatementSpec } from '../../../lib/deploy/iam';
import type { Issue } from '../../../lib/types';
import { acknowledgeEksFindings } from './acknowledgements';
import { helmChart, KarpenterInstallation, podIdentityRole } from './karpenter';
import { eksSpecFromProps, eksTokenIssues, type DeepSeekEksInferenceProps } from './props';

/** Serves a DeepSeek plan on EKS with Karpenter-provisioned GPU nodes. */
export class DeepSeekEksInference extends Construct {
  /** The plan (model, precision, hardware, serving command). */
  readonly plan: Plan;
  /** Everything built, as data (lib/deploy/eks). */
  readonly layout: EksLayout;
  /** Role of the GPU nodes. */
  readonly nodeRole: iam.Role;
  /** Karpenter's node role and, when installed here, controller. */
  readonly karpenter: KarpenterInstallation;
  /** Controller chart releases installed here (device plugins, LWS, Mountpoint). */
  readonly charts: readonly eks.HelmChart[];
  /** NodePool and EC2NodeClass. */
  readonly nodeClassManifest: eks.KubernetesManifest;
  /** Namespace, weights volume and the serving objects. */
  readonly workloadManifest: eks.KubernetesManifest;
  /**
   * In-cluster URL of the OpenAI-compatible API, served by the API front (`Authorization: Bearer <key>`
   * required): `http://<service>.<namespace>.svc.cluster.local:<port>/v1`.
   */
  readonly serviceUrl: string;

  constructor(scope: Construct, id: string, props: DeepSeekEksInferenceProps) {
    super(scope, id);
    const cluster = props.cluster;

    // 1. Validate everything that needs no resources; throw once with every problem.
    const issues: Issue[] = eksTokenIssues(props);
    let plan: Plan | undefined;
    const subnetIds = issues.length === 0 ? cluster.vpc.selectSubnets(props.nodeSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds : [];
    const options = (nodeRoleName: string, interruptionQueueName: string): EksLayoutOptions => ({
      clusterName: props.clusterName ?? cluster.clusterName,
      subnetIds,
      securityGroupIds: [cluster.clusterSecurityGroupId],
      nodeRoleName,
      interruptionQueueName,
      ...(props.name !== undefined ? { name: props.name } : {}),
      ...(props.namespace !== undefined ? { namespace: props.namespace } : {}),
      ...(props.modelSource !== undefined ? { modelSource: props.modelSource } : {}),
      ...(props.modelCache !== undefined ? { modelCache: props.modelCache } : {}),
      ...(props.fallbackInstanceTypes !== undefined ? { fallbackInstanceTypes: props.fallbackInstanceTypes } : {}),
      ...(props.amiAlias !== undefined ? { amiAlias: props.amiAlias } : {}),
      ...(props.huggingFaceTokenSecretName !== undefined ? { huggingFaceTokenSecretName: props.huggingFaceTokenSecretName } : {}),
      ...(props.service !== undefined ? { service: props.service } : {}),
      ...(props.nodeTags !== undefined ? { tags: props.nodeTags } : {}),
    });
    if (issues.length === 0) {
      try {
        plan = planWithOverrides(eksSpecFromProps(props));
      } catch (e) {
        if (!isPlanError(e)) throw e;
        issues.push(...e.issues);
      }
      if (plan) issues.push(...eksLayoutIssues(plan, options('role', 'queue')));
    }
    if (issues.length > 0 || !plan) throw new DeepSeekInferenceClusterError(this.node.path, issues);
    this.plan = plan;

    // 2. Karpenter: node role always; controller, queue and chart unless the platform runs them.
    const installKarpenter = props.installKarpenter ?? true;
    this.karpenter = new KarpenterInstallation(this, 'Karpenter', { cluster, clusterName: props.clusterName ?? cluster.clusterName, install: installKarpenter });
    this.nodeRole = this.karpenter.nodeRole;
    // Without an installed controller the queue name is unused (the platform's Karpenter has its own).
    this.layout = eksLayout(plan, options(this.nodeRole.roleName, this.karpenter.interruptionQueue?.queueName ?? ''));
    if (installKarpenter) this.karpenter.installChart(this.layout.karpenter);

    // 3. Controllers the plan needs, pinned.
    const installControllers = props.installControllers ?? true;
    const charts: eks.HelmChart[] = [];
    if (installControllers) {
      for (const c of this.layout.charts) {
        const chart = helmChart(this, `Chart-${c.release}`, cluster, c);
        if (c.release === 'aws-mountpoint-s3-csi-driver' && this.layout.cache.s3) {
          const identity = podIdentityRole(this, 'MountpointRole', cluster, c.namespace, MOUNTPOINT_S3_SERVICE_ACCOUNT,
            mountpointS3Statements(Aws.PARTITION, this.layout.cache.s3));
          chart.node.addDependency(identity.association);
          acknowledgeEksFindings.mountpoint(identity.policy, wildcardReasons(mountpointS3Statements(Aws.PARTITION, this.layout.cache.s3)));
        }
        charts.push(chart);
      }
    }
    this.charts = charts;

    // 4. NodePool and EC2NodeClass (after Karpenter's CRDs), then the workload (after LWS / Mountpoint).
    this.nodeClassManifest = new eks.KubernetesManifest(this, 'NodeClass', {
      cluster,
      manifest: [this.layout.nodeClass as unknown as Record<string, unknown>, this.layout.nodePool as unknown as Record<string, unknown>],
      overwrite: true,
    });
    if (this.karpenter.chart) this.nodeClassManifest.node.addDependency(this.karpenter.chart);
    this.workloadManifest = new eks.KubernetesManifest(this, 'Workload', {
      cluster,
      manifest: [
        this.layout.namespaceObject,
        ...(this.layout.persistentVolume ? [this.layout.persistentVolume] : []),
        ...this.layout.workload,
      ] as unknown as Record<string, unknown>[],
      overwrite: true,
    });
    this.workloadManifest.node.addDependency(this.nodeClassManifest);
    for (const c of charts) this.workloadManifest.node.addDependency(c);

    const service = this.layout.workload.find((o) => o.kind === 'Service');
    this.serviceUrl = `http://${service?.metadata.name}.${this.layout.namespace}.svc.cluster.local:${this.layout.port}/v1`;
    // The annotation id is the notice's registry code: acknowledge with Annotations.of(scope).acknowledgeWarning(code).
    for (const n of [...plan.notices, ...this.layout.notices]) Annotations.of(this).addWarningV2(n.code, n.message);
    acknowledgeEksFindings.karpenter(this.karpenter, wildcardReasons(karpenterControllerStatements({
      partition: '', region: '', account: '', clusterName: this.layout.clusterName, nodeRoleArn: '', interruptionQueueArn: '',
    })));
  }
}

/** Statement id → why its wildcard cannot be narrowed. */
function wildcardReasons(statements: readonly PolicyStatementSpec[]): Map<string, string> {
  return new Map(statements.filter((s) => s.wildcardReason !== undefined).map((s) => [s.sid, s.wildcardReason!]));
}
