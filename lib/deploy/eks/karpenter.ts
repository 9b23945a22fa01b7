/**
 * Karpenter objects for one plan: a NodePool pinned to the plan's instance types and an
 * EC2NodeClass with the GPU AMI family, volumes and placement. Typed after the CRDs pinned in
 * test/fixtures/crds (karpenter.sh/v1 NodePool, karpenter.k8s.aws/v1 EC2NodeClass, Karpenter 1.13.0).
 */
import type { ObjectMeta, Toleration } from '../kubernetes/types';

/** karpenter.sh/v1 NodePool (subset). */
export interface NodePool {
  readonly apiVersion: 'karpenter.sh/v1';
  readonly kind: 'NodePool';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly template: {
      readonly metadata: { readonly labels: Readonly<Record<string, string>> };
      readonly spec: {
        readonly nodeClassRef: { readonly group: 'karpenter.k8s.aws'; readonly kind: 'EC2NodeClass'; readonly name: string };
        readonly requirements: readonly { readonly key: string; readonly operator: 'In'; readonly values: readonly string[] }[];
        readonly taints: readonly Omit<Toleration, 'operator'>[];
        readonly expireAfter: string;
      };
    };
    /** Caps the pool: Karpenter launches no node that would exceed these totals. */
    readonly limits: Readonly<Record<string, string>>;
    readonly disruption: { readonly consolidationPolicy: 'WhenEmpty'; readonly consolidateAfter: string };
  };
}

/** One EBS block device of the EC2NodeClass. */
export interface BlockDeviceMapping {
  readonly deviceName: string;
  readonly rootVolume: boolean;
  readonly ebs: {
    /** Quantity, e.g. `700Gi`. */
    readonly volumeSize: string;
    readonly volumeType: 'gp3';
    readonly iops: number;
    readonly throughput: number;
    readonly encrypted: true;
    readonly deleteOnTermination: true;
  };
}

/** karpenter.k8s.aws/v1 EC2NodeClass (subset). */
export interface EC2NodeClass {
  readonly apiVersion: 'karpenter.k8s.aws/v1';
  readonly kind: 'EC2NodeClass';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly amiSelectorTerms: readonly { readonly alias: string }[];
    /** Node IAM role name; Karpenter creates the instance profile. */
    readonly role: string;
    readonly subnetSelectorTerms: readonly { readonly id: string }[];
    readonly securityGroupSelectorTerms: readonly { readonly id: string }[];
    readonly blockDeviceMappings: readonly BlockDeviceMapping[];
    readonly instanceStorePolicy?: 'RAID0';
    readonly metadataOptions: {
      readonly httpEndpoint: 'enabled';
      readonly httpProtocolIPv6: 'disabled';
      readonly httpPutResponseHopLimit: number;
      readonly httpTokens: 'required';
    };
    readonly tags?: Readonly<Record<string, string>>;
  };
}

/** Every Karpenter object the layout emits. */
export type KarpenterObject = NodePool | EC2NodeClass;
