/**
 * Helm charts and controllers the EKS deployment installs, pinned by version, each with the source
 * that states the version and the install command. Updating one is a one-line change here plus the
 * CRD fixture under test/fixtures/crds when its CRDs change.
 */

/** A pinned Helm chart. */
export interface PinnedChart {
  /** Helm release name. */
  readonly release: string;
  /** Chart name in its repository (for OCI: the last path segment). */
  readonly chart: string;
  /** Chart repository: `https://…` index or `oci://…` registry path (without the chart name for https). */
  readonly repository: string;
  /** Chart version, exactly. */
  readonly version: string;
  /** Namespace the release goes into. */
  readonly namespace: string;
  /** Where the version and install instructions come from. */
  readonly source: string;
}

/**
 * Karpenter (controller and CRDs NodePool karpenter.sh/v1, EC2NodeClass karpenter.k8s.aws/v1).
 * Version from the getting-started guide (`KARPENTER_VERSION="1.13.0"`, `helm upgrade --install
 * karpenter oci://public.ecr.aws/karpenter/karpenter --namespace kube-system`).
 */
export const KARPENTER_CHART: PinnedChart = {
  release: 'karpenter',
  chart: 'karpenter',
  repository: 'oci://public.ecr.aws/karpenter/karpenter',
  version: '1.13.0',
  namespace: 'kube-system',
  source: 'https://github.com/aws/karpenter-provider-aws/blob/v1.14.1/website/content/en/docs/getting-started/getting-started-with-karpenter/_index.md',
};

/** LeaderWorkerSet controller and CRD (leaderworkerset.x-k8s.io/v1), installation guide at v0.10.0 (`CHART_VERSION=0.10.0`). */
export const LWS_CHART: PinnedChart = {
  release: 'lws',
  chart: 'lws',
  repository: 'oci://registry.k8s.io/lws/charts/lws',
  version: '0.10.0',
  namespace: 'lws-system',
  source: 'https://github.com/kubernetes-sigs/lws/blob/v0.10.0/site/content/en/docs/installation/_index.md',
};

/** NVIDIA device plugin (advertises `nvidia.com/gpu`), chart version of release v0.20.0. */
export const NVIDIA_DEVICE_PLUGIN_CHART: PinnedChart = {
  release: 'nvidia-device-plugin',
  chart: 'nvidia-device-plugin',
  repository: 'https://nvidia.github.io/k8s-device-plugin',
  version: '0.20.0',
  namespace: 'kube-system',
  source: 'https://github.com/NVIDIA/k8s-device-plugin/blob/v0.20.0/deployments/helm/nvidia-device-plugin/Chart.yaml',
};

/** AWS EFA device plugin (advertises `vpc.amazonaws.com/efa`), eks-charts chart v0.5.30 (image v0.5.20). */
export const EFA_DEVICE_PLUGIN_CHART: PinnedChart = {
  release: 'aws-efa-k8s-device-plugin',
  chart: 'aws-efa-k8s-device-plugin',
  repository: 'https://aws.github.io/eks-charts',
  version: 'v0.5.30',
  namespace: 'kube-system',
  source: 'https://github.com/aws/eks-charts/blob/5239609242f3430be50fb0b714a24d3ef2b47983/stable/aws-efa-k8s-device-plugin/Chart.yaml',
};

/**
 * Mountpoint for Amazon S3 CSI driver (driver `s3.csi.aws.com`, node service account
 * `s3-csi-driver-sa`), chart 2.7.0 from its official Helm repository (docs/INSTALL.md).
 */
export const MOUNTPOINT_S3_CSI_CHART: PinnedChart = {
  release: 'aws-mountpoint-s3-csi-driver',
  chart: 'aws-mountpoint-s3-csi-driver',
  repository: 'https://awslabs.github.io/mountpoint-s3-csi-driver',
  version: '2.7.0',
  namespace: 'kube-system',
  source: 'https://github.com/awslabs/mountpoint-s3-csi-driver/blob/v2.7.0/docs/INSTALL.md',
};

/** Service account of the Karpenter controller (chart default name = release name). */
export const KARPENTER_SERVICE_ACCOUNT = 'karpenter';
/** Service account of the Mountpoint S3 CSI node daemon (chart values `node.serviceAccount.name`). */
export const MOUNTPOINT_S3_SERVICE_ACCOUNT = 's3-csi-driver-sa';
/** CSI driver name of Mountpoint for Amazon S3. */
export const MOUNTPOINT_S3_DRIVER = 's3.csi.aws.com';
