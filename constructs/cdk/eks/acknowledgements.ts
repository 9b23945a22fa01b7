/**
 * cdk-nag findings (AwsSolutions and NIST.800.53.R5) the EKS construct accepts by design, each with
 * its reason, recorded through `Validations.of(...).acknowledge` like the EC2 construct's
 * (constructs/cdk/acknowledgements.ts). IAM5 is acknowledged one wildcard resource at a time with
 * the reason lib gives for it, so a wildcard added later is still reported.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { nagRender } from '../acknowledgements';
import type { KarpenterInstallation } from './karpenter';

function ack(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions::${rule}`, reason });
}

function nist(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `NIST.800.53.R5::NIST.800.53.R5-${rule}`, reason });
}

/** Acknowledge IAM5 for every wildcard resource of a policy, with the statement's reason. */
function wildcards(policy: iam.Policy, reasons: ReadonlyMap<string, string>): void {
  const stack = Stack.of(policy);
  const doc = stack.resolve(policy.document.toJSON()) as { Statement: { Sid?: string; Resource: unknown; Action: unknown }[] };
  for (const s of doc.Statement) {
    const resources = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
    for (const r of resources) {
      const text = nagRender(r);
      if (!text.endsWith('*')) continue;
      ack(policy, `AwsSolutions-IAM5[Resource::${text}]`, `${s.Sid}: ${reasons.get(s.Sid ?? '') ?? 'see lib/deploy/eks/iam.ts'}`);
    }
  }
}

/** Findings of the EKS construct's resources. */
export const acknowledgeEksFindings = {
  /** Karpenter's node role, controller role and queue. */
  karpenter(k: KarpenterInstallation, reasons: ReadonlyMap<string, string>): void {
    for (const name of ['AmazonEKS_CNI_Policy', 'AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly', 'AmazonSSMManagedInstanceCore']) {
      ack(k.nodeRole, `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`,
        `${name} is part of Karpenter's reference node role (EKS node join, VPC CNI, image pulls, SSM instead of SSH)`);
    }
    if (k.controllerPolicy) {
      wildcards(k.controllerPolicy, reasons);
      nist(k.controllerPolicy, 'IAMNoInlinePolicy',
        'the controller policy is attached to this Karpenter installation\'s role only; its conditions name this cluster, so there is nothing to reuse as a managed policy');
    }
    if (k.interruptionQueue) {
      ack(k.interruptionQueue, 'AwsSolutions-SQS3',
        'interruption events matter for minutes only (300 s retention, Karpenter reference template); a dead-letter queue would hold stale events nobody acts on');
    }
  },
  /** The Mountpoint CSI driver's read-only role. */
  mountpoint(policy: iam.Policy, reasons: ReadonlyMap<string, string>): void {
    wildcards(policy, reasons);
    nist(policy, 'IAMNoInlinePolicy', 'read-only access to this deployment\'s weights prefix, attached to the Mountpoint role only');
  },
};
