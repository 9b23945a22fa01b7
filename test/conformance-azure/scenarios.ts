/**
 * The Azure conformance table: deployments run through the cdktf (azurerm) and Pulumi
 * (azure-native) adapters. The first two rows are the reference stacks (examples/azure/stacks.ts);
 * each row carries the VM size and count worked out by hand from published sizes.
 */
import type { AzureClusterInputs } from '../../lib/deploy/azure';
import { AZURE_REFERENCE_STACKS } from '../../examples/azure/stacks';

export interface AzureScenario {
  readonly id: string;
  readonly inputs: AzureClusterInputs;
  readonly expectVmSize: string;
  readonly expectNodes: number;
  /** `publisher:offer:sku:version` of the marketplace image, or the gallery image id given. */
  readonly expectImage: string;
  readonly why: string;
}

/** A gallery image id of the shape azhpc-images publishes (placeholder subscription; synthesis only). */
export const GB200_GALLERY_IMAGE = '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/hpc/images/ubuntu-2404-nvidia-gb200-hpc-aarch64/versions/1.0.0';

/** Placement every row shares (a private client range: no public-ingress opt-in). */
export const PLACEMENT = {
  resourceGroupName: 'rg-conformance',
  location: 'eastus',
  allowedCidrs: ['10.8.0.0/16'],
  adminSshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIConformanceTestKey000000000000000000000000 test@example',
} as const;

export const AZURE_SCENARIOS: readonly AzureScenario[] = [
  {
    id: 'reference-r1-mi300x',
    inputs: { ...AZURE_REFERENCE_STACKS['deepseek-r1-mi300x'], ...PLACEMENT },
    expectVmSize: 'Standard_ND96isr_MI300X_v5',
    expectNodes: 1,
    expectImage: 'microsoft-dsvm:ubuntu-hpc:2204-rocm:latest',
    // 671 B × 1 byte FP8 (+ block scales, MTP layer) ≈ 688 GB ≤ 8 × 192 GiB = 1649 GB; Azure's only MI300X size has 8 GPUs.
    why: '~688 GB FP8 checkpoint in one 8 × 192 GiB MI300X VM',
  },
  {
    id: 'reference-r1-h200',
    inputs: { ...AZURE_REFERENCE_STACKS['deepseek-r1-h200'], ...PLACEMENT },
    expectVmSize: 'Standard_ND96isr_H200_v5',
    expectNodes: 1,
    expectImage: 'microsoft-dsvm:ubuntu-hpc:2204:latest',
    // ≈ 688 GB ≤ 8 × 141 GB = 1128 GB of one ND H200 v5 (NVIDIA H200 datasheet: 141 GB).
    why: '~688 GB FP8 checkpoint in one 8 × 141 GB H200 VM',
  },
  {
    id: 'v3-bf16-two-h200-over-infiniband',
    inputs: { model: 'deepseek-v3', precision: 'bf16', gpus: ['h200'], clusterName: 'v3-bf16', ...PLACEMENT, costAllocationTags: { 'cost-center': 'ml-42' } },
    expectVmSize: 'Standard_ND96isr_H200_v5',
    expectNodes: 2,
    expectImage: 'microsoft-dsvm:ubuntu-hpc:2204:latest',
    // 671 B × 2 bytes = 1342 GB > 1128 GB of one 8 × H200 VM, ≤ 2256 GB of two.
    why: '1342 GB BF16 needs two 8 × 141 GB VMs over InfiniBand',
  },
  {
    id: 'v4-pro-fp4-two-gb200-arm64-tls-alerts',
    inputs: {
      model: 'deepseek-v4-pro', gpus: ['gb200'], clusterName: 'v4pro-gb200', ...PLACEMENT, osImageId: GB200_GALLERY_IMAGE,
      tlsCertificateSecretName: 'api-tls', alertEmails: ['oncall@example.com'],
    },
    expectVmSize: 'Standard_ND128isr_NDR_GB200_v6',
    expectNodes: 2,
    expectImage: GB200_GALLERY_IMAGE,
    // 1573 B parameters (the model's config) at FP4: 0.5 byte each plus one FP8 scale per 32 weights
    // ≈ 786 + 49 = 835 GB (+ BF16 embeddings/norms) > 4 × 192 GB = 768 GB of one ND GB200 v6 VM
    // (Microsoft Learn nd-gb200-v6-series: 4 GPUs of 192 GB), ≤ 1536 GB of two.
    why: '~850 GB FP4 checkpoint needs two 4 × 192 GB Grace (arm64) VMs over InfiniBand',
  },
];
