/**
 * The OS image of an Azure GPU node: Microsoft's Ubuntu-HPC marketplace image, whose driver stack
 * matches the GPU vendor (ROCm + AMD GPU driver for MI300X, CUDA + NVIDIA driver for ND H100/H200
 * v5), with the InfiniBand (Mellanox OFED) drivers the ND series needs for RDMA.
 *
 * Sources (docs/azure-facts.md §1):
 * - "Using the AzureHPC Marketplace Image is the recommended approach. The image already has the AMD
 *   and Infiniband drivers preinstalled … `--image microsoft-dsvm:ubuntu-hpc:2204-rocm:latest`"
 *   (Microsoft Learn article "Install AMD GPU drivers on Azure ND MI300X v5 Linux VMs", ms.date 2025-01-27,
 *   read in github.com/MicrosoftDocs/azure-docs; confirmed, its file path not recorded).
 * - Ubuntu-HPC 22.04 `microsoft-dsvm:ubuntu-hpc:2204:latest` is the NVIDIA/HPC image of the
 *   Azure/azhpc-images repository (README, https://github.com/Azure/azhpc-images, confirmed); it
 *   places the ND v5 NCCL topology file at /opt/microsoft/ndv5-topo.xml (azhpc-images topology scripts, third-party copies).
 * `latest` is resolved by Azure when the VM is created, as the AWS blueprint's SSM parameter is.
 */
import type { Plan } from '../../plan/types';

/** A marketplace image reference (publisher:offer:sku:version). */
export interface AzureImageReference {
  readonly publisher: string;
  readonly offer: string;
  readonly sku: string;
  readonly version: string;
}

/** The image and what it brings, for the plan's GPU vendor. */
export interface AzureOsImage {
  readonly reference: AzureImageReference;
  /** GPU driver stack in the image. */
  readonly driverStack: 'rocm' | 'cuda';
  /** Why this image. */
  readonly reason: string;
}

/** Ubuntu-HPC 22.04 with the NVIDIA driver, CUDA, NCCL and InfiniBand drivers. */
export const UBUNTU_HPC_CUDA: AzureImageReference = { publisher: 'microsoft-dsvm', offer: 'ubuntu-hpc', sku: '2204', version: 'latest' };
/** Ubuntu-HPC 22.04 ROCm: AMD GPU driver, ROCm and InfiniBand drivers (Microsoft's recommended image for ND MI300X v5). */
export const UBUNTU_HPC_ROCM: AzureImageReference = { publisher: 'microsoft-dsvm', offer: 'ubuntu-hpc', sku: '2204-rocm', version: 'latest' };

/**
 * The image for a plan: ROCm for AMD GPUs, CUDA for NVIDIA.
 * @throws Error for a plan without GPUs (the Azure blueprint refuses those first)
 */
export function azureOsImage(plan: Plan): AzureOsImage {
  if (plan.topology.gpuVendor === 'amd') {
    return { reference: UBUNTU_HPC_ROCM, driverStack: 'rocm', reason: 'AMD GPU: Microsoft recommends the Ubuntu-HPC 22.04 ROCm marketplace image for ND MI300X v5 (AMD GPU and InfiniBand drivers preinstalled)' };
  }
  if (plan.topology.gpuVendor === 'nvidia') {
    return { reference: UBUNTU_HPC_CUDA, driverStack: 'cuda', reason: 'NVIDIA GPU: Ubuntu-HPC 22.04 ships the NVIDIA driver, CUDA, NCCL and the InfiniBand drivers for ND-series' };
  }
  throw new Error(`no Azure GPU image for vendor ${plan.topology.gpuVendor}`);
}

/** The image as the `publisher:offer:sku:version` URN `az vm create --image` takes. */
export function imageUrn(ref: AzureImageReference): string {
  return `${ref.publisher}:${ref.offer}:${ref.sku}:${ref.version}`;
}
