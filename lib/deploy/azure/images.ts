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
 *
 * Grace (arm64) sizes, ND GB200 v6 / ND GB300 v6 (docs/azure-facts.md §1a): Microsoft publishes no
 * arm64 Ubuntu-HPC marketplace image (the azhpc-images README lists x86_64 SKUs only). The driver
 * stack Azure documents for them is the one azhpc-images installs when it builds for
 * `Standard_ND128isr_NDR_GB200_v6`: Ubuntu 24.04 arm64 (`Canonical:ubuntu-24_04-lts:server-arm64`)
 * with the NVIDIA open GPU driver from NVIDIA's CUDA `sbsa` apt repository, DOCA OFED, NCCL, IMEX and
 * Docker with the NVIDIA container toolkit. So a Grace plan needs that image built into an Azure
 * Compute Gallery (`packer build --var target_vm_size=Standard_ND128isr_NDR_GB200_v6 --var
 * os_family=ubuntu --var distro_version=24.04`) and its image version id passed as `osImageId`; the
 * blueprint refuses a Grace plan without one rather than boot a VM with no GPU driver.
 */
import type { Plan } from '../../plan/types';

/** A marketplace image reference (publisher:offer:sku:version). */
export interface AzureImageReference {
  readonly publisher: string;
  readonly offer: string;
  readonly sku: string;
  readonly version: string;
}

/** The image and what it brings, for the plan's GPU vendor and CPU architecture. */
export interface AzureOsImage {
  /** Marketplace image (absent when `imageId` is set). */
  readonly reference?: AzureImageReference;
  /** Azure Compute Gallery image (version) id, `/subscriptions/…/galleries/…/images/…[/versions/…]`. */
  readonly imageId?: string;
  /** CPU architecture the image is built for (the plan's). */
  readonly architecture: 'x86_64' | 'arm64';
  /** GPU driver stack in the image. */
  readonly driverStack: 'rocm' | 'cuda';
  /** Why this image. */
  readonly reason: string;
}

/** Ubuntu-HPC 22.04 with the NVIDIA driver, CUDA, NCCL and InfiniBand drivers. */
export const UBUNTU_HPC_CUDA: AzureImageReference = { publisher: 'microsoft-dsvm', offer: 'ubuntu-hpc', sku: '2204', version: 'latest' };
/** Ubuntu-HPC 22.04 ROCm: AMD GPU driver, ROCm and InfiniBand drivers (Microsoft's recommended image for ND MI300X v5). */
export const UBUNTU_HPC_ROCM: AzureImageReference = { publisher: 'microsoft-dsvm', offer: 'ubuntu-hpc', sku: '2204-rocm', version: 'latest' };

/** Base image azhpc-images builds the ND GB200 v6 image from (packer/variables.pkr.hcl, aarch64 / ubuntu 24.04). */
export const UBUNTU_2404_ARM64_BASE: AzureImageReference = { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server-arm64', version: 'latest' };

/** An Azure Compute Gallery image or image version id. */
const GALLERY_IMAGE_ID = /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[-\w.()]+\/providers\/Microsoft\.Compute\/galleries\/[\w.]+\/images\/[-\w.]+(\/versions\/[\w.]+)?$/;

/** Problems with `osImageId` for this plan: malformed, or missing on a Grace (arm64) plan. */
export function osImageIssues(plan: Plan, osImageId: string | undefined, path = 'osImageId'): { path: string; message: string }[] {
  if (osImageId !== undefined && !GALLERY_IMAGE_ID.test(osImageId)) {
    return [{ path, message: `${JSON.stringify(osImageId)} is not an Azure Compute Gallery image id (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Compute/galleries/<gallery>/images/<image>[/versions/<version>])` }];
  }
  if (osImageId === undefined && plan.topology.cpuArchitecture === 'arm64') {
    return [{
      path,
      message: `${plan.topology.instanceType} has arm64 Grace CPUs and Azure publishes no arm64 HPC marketplace image: build one with github.com/Azure/azhpc-images (packer build --var target_vm_size=Standard_ND128isr_NDR_GB200_v6 --var os_family=ubuntu --var distro_version=24.04) into an Azure Compute Gallery and pass its image id as osImageId`,
    }];
  }
  return [];
}

/**
 * The image for a plan: a gallery image when `osImageId` is given (required on Grace/arm64), else
 * ROCm for AMD GPUs and CUDA for NVIDIA (x86_64 Ubuntu-HPC marketplace images).
 * @throws Error for a plan without GPUs, or an arm64 plan without `osImageId` (the blueprint refuses both first)
 */
export function azureOsImage(plan: Plan, osImageId?: string): AzureOsImage {
  const vendor = plan.topology.gpuVendor;
  if (vendor !== 'amd' && vendor !== 'nvidia') throw new Error(`no Azure GPU image for vendor ${vendor}`);
  const driverStack = vendor === 'amd' ? 'rocm' : 'cuda';
  const architecture = plan.topology.cpuArchitecture;
  if (osImageId !== undefined) {
    return {
      imageId: osImageId, architecture, driverStack,
      reason: architecture === 'arm64'
        ? 'Grace (arm64): the caller\'s gallery image built by azhpc-images for ND GB200 v6 (Ubuntu 24.04 arm64, NVIDIA open driver from the CUDA sbsa repository, DOCA OFED, NCCL, IMEX, Docker with the NVIDIA container toolkit)'
        : `the caller's gallery image (must carry the ${driverStack === 'rocm' ? 'AMD GPU / ROCm' : 'NVIDIA'} driver, the InfiniBand drivers and Docker)`,
    };
  }
  if (architecture === 'arm64') throw new Error(`${plan.topology.instanceType} is arm64: give osImageId (see osImageIssues)`);
  if (vendor === 'amd') {
    return { reference: UBUNTU_HPC_ROCM, architecture, driverStack, reason: 'AMD GPU: Microsoft recommends the Ubuntu-HPC 22.04 ROCm marketplace image for ND MI300X v5 (AMD GPU and InfiniBand drivers preinstalled)' };
  }
  return { reference: UBUNTU_HPC_CUDA, architecture, driverStack, reason: 'NVIDIA GPU: Ubuntu-HPC 22.04 ships the NVIDIA driver, CUDA, NCCL and the InfiniBand drivers for ND-series' };
}

/** `publisher:offer:sku:version`, or the gallery image id. */
export function imageLabel(image: AzureOsImage): string {
  return image.reference ? imageUrn(image.reference) : image.imageId!;
}

/** The image as the `publisher:offer:sku:version` URN `az vm create --image` takes. */
export function imageUrn(ref: AzureImageReference): string {
  return `${ref.publisher}:${ref.offer}:${ref.sku}:${ref.version}`;
}
