/**
 * Rentable GPU machines the planner chooses from (AWS p/g families, Azure ND), with their prices.
 *
 * Hardware numbers are per type as EC2 / Azure document them; prices come from ./prices and are
 * attached here so every row carries both kinds of evidence in `sources`.
 * `interconnect` records the fabric, not a recommendation: g-family types with EFA are marked
 * 'efa' too, and the planner decides whether multi-node tensor/pipeline traffic over it is sensible
 * (in practice only the p family has the EFA bandwidth for that).
 */
import { PlanError } from '../errors';
import type { GpuId, InstanceSpec, Issue, Source, Target } from '../types';
import { PRICE_OVERRIDE_SOURCE_URL, UNPRICED_REASONS, isPriceSource, priceFor } from './prices';

/** Karpenter's generated EC2 reference (DescribeInstanceTypes), fact sheet [S26]. */
const EC2_SPECS: Source = {
  url: 'github.com/aws/karpenter-provider-aws@0c5e7d8:website/content/en/docs/reference/instance-types.md',
  status: 'confirmed',
  note:
    'labels instance-gpu-count/-name/-memory (MiB), instance-cpu, instance-memory (MiB), instance-network-bandwidth ' +
    '(Mbps), instance-local-nvme (GB total) and resource vpc.amazonaws.com/efa (max EFA interfaces); values match ' +
    'facts-models-gpus.md §5a (commit 1d92708)',
};

/** AWS "Specifications for Amazon EC2 accelerated computing instances" (read from a stored copy). */
const EC2_AC_SPECS: Source = {
  url: 'https://docs.aws.amazon.com/ec2/latest/instancetypes/ac.html',
  status: 'confirmed',
  note: 'instance store table ("N x size GB NVMe SSD") for the device layout; network table for bandwidth and EFA support',
};

/** p5.4xlarge is the one type where the karpenter labels are incomplete. */
const P5_4XLARGE_NOTE: Source = {
  url: 'https://docs.aws.amazon.com/ec2/latest/instancetypes/ac.html',
  status: 'confirmed',
  note:
    'karpenter labels p5.4xlarge with instance-gpu-count 0 and no network-bandwidth label; the AWS table gives ' +
    '"1 x NVIDIA H100 GPU", 80 GiB, "100 Gigabit", 1 x 3800 GB NVMe SSD',
};

/** One AWS row as the sources state it. */
interface AwsRow {
  readonly instanceType: string;
  readonly gpu: GpuId;
  readonly gpuCount: number;
  /** EC2 GpuInfo MemoryInfo.SizeInMiB. */
  readonly gpuMemoryMiB: number;
  readonly vcpus: number;
  readonly memoryGiB: number;
  /** Baseline bandwidth; small g sizes burst above it ("up to"). */
  readonly networkGbps: number;
  readonly efaInterfaces: number;
  readonly nvmeDevices: number;
  /** Size of one instance-store device, GB as AWS states it (3800, not the marketing "3.84 TB"). */
  readonly nvmeDeviceGB: number;
  readonly extraSources?: readonly Source[];
}

// Columns per g size: gpus, vCPU, memory GiB, network Gbps, EFA interfaces, NVMe devices, GB per device.
type GSizeRow = readonly [size: string, gpus: number, vcpus: number, memGiB: number, netGbps: number, efa: number, devices: number, deviceGB: number];

const G5_SIZES: readonly GSizeRow[] = [
  ['xlarge', 1, 4, 16, 2.5, 0, 1, 250],
  ['2xlarge', 1, 8, 32, 5, 0, 1, 450],
  ['4xlarge', 1, 16, 64, 10, 0, 1, 600],
  ['8xlarge', 1, 32, 128, 25, 1, 1, 900],
  ['12xlarge', 4, 48, 192, 40, 1, 1, 3800],
  ['16xlarge', 1, 64, 256, 25, 1, 1, 1900],
  ['24xlarge', 4, 96, 384, 50, 1, 1, 3800],
  ['48xlarge', 8, 192, 768, 100, 1, 2, 3800],
];

const G6_SIZES: readonly GSizeRow[] = [
  ['xlarge', 1, 4, 16, 2.5, 0, 1, 250],
  ['2xlarge', 1, 8, 32, 5, 0, 1, 450],
  ['4xlarge', 1, 16, 64, 10, 0, 1, 600],
  ['8xlarge', 1, 32, 128, 25, 1, 2, 450],
  ['12xlarge', 4, 48, 192, 40, 1, 4, 940],
  ['16xlarge', 1, 64, 256, 25, 1, 2, 940],
  ['24xlarge', 4, 96, 384, 50, 1, 4, 940],
  ['48xlarge', 8, 192, 768, 100, 1, 8, 940],
];

const G6E_SIZES: readonly GSizeRow[] = [
  ['xlarge', 1, 4, 32, 2.5, 0, 1, 250],
  ['2xlarge', 1, 8, 64, 5, 0, 1, 450],
  ['4xlarge', 1, 16, 128, 20, 0, 1, 600],
  ['8xlarge', 1, 32, 256, 25, 1, 2, 450],
  ['12xlarge', 4, 48, 384, 100, 1, 2, 1900],
  ['16xlarge', 1, 64, 512, 35, 1, 2, 950],
  ['24xlarge', 4, 96, 768, 200, 2, 2, 1900],
  ['48xlarge', 8, 192, 1536, 400, 4, 4, 1900],
];

function gFamily(family: string, gpu: GpuId, gpuMemoryMiB: number, sizes: readonly GSizeRow[]): AwsRow[] {
  return sizes.map(([size, gpuCount, vcpus, memoryGiB, networkGbps, efaInterfaces, nvmeDevices, nvmeDeviceGB]) => ({
    instanceType: `${family}.${size}`,
    gpu,
    gpuCount,
    gpuMemoryMiB,
    vcpus,
    memoryGiB,
    networkGbps,
    efaInterfaces,
    nvmeDevices,
    nvmeDeviceGB,
  }));
}

// Columns per p type: GPU, count, GPU MiB, vCPU, memory GiB, network Gbps, EFA interfaces, NVMe devices, GB per device.
type PRow = readonly [type: string, gpu: GpuId, gpus: number, gpuMiB: number, vcpus: number, memGiB: number, netGbps: number, efa: number, devices: number, deviceGB: number];

const P_TYPES: readonly PRow[] = [
  ['p4d.24xlarge', 'a100-40gb', 8, 40_960, 96, 1_152, 400, 4, 8, 1_000],
  ['p4de.24xlarge', 'a100-80gb', 8, 81_920, 96, 1_152, 400, 4, 8, 1_000],
  ['p5.4xlarge', 'h100', 1, 81_920, 16, 256, 100, 1, 1, 3_800],
  ['p5.48xlarge', 'h100', 8, 81_920, 192, 2_048, 3_200, 32, 8, 3_800],
  ['p5e.48xlarge', 'h200', 8, 144_384, 192, 2_048, 3_200, 32, 8, 3_800],
  ['p5en.48xlarge', 'h200', 8, 144_384, 192, 2_048, 3_200, 16, 8, 3_800],
  ['p6-b200.48xlarge', 'b200', 8, 183_359, 192, 2_048, 3_200, 8, 8, 3_800],
];

function pFamily(rows: readonly PRow[]): AwsRow[] {
  return rows.map(([instanceType, gpu, gpuCount, gpuMemoryMiB, vcpus, memoryGiB, networkGbps, efaInterfaces, nvmeDevices, nvmeDeviceGB]) => ({
    instanceType,
    gpu,
    gpuCount,
    gpuMemoryMiB,
    vcpus,
    memoryGiB,
    networkGbps,
    efaInterfaces,
    nvmeDevices,
    nvmeDeviceGB,
    ...(instanceType === 'p5.4xlarge' ? { extraSources: [P5_4XLARGE_NOTE] } : {}),
  }));
}

const AWS_ROWS: readonly AwsRow[] = [
  ...pFamily(P_TYPES),
  ...gFamily('g5', 'a10g', 22_888, G5_SIZES),
  ...gFamily('g6', 'l4', 22_888, G6_SIZES),
  ...gFamily('g6e', 'l40s', 45_776, G6E_SIZES),
];

/** Azure documents local disk in GiB; the catalog stores decimal GB. */
function gibToGB(gib: number): number {
  return Math.round((gib * 2 ** 30) / 1e9);
}

function azureDocs(commit: string, file: string, note: string): Source {
  return {
    url: `github.com/MicrosoftDocs/azure-docs@${commit}:articles/virtual-machines/sizes/gpu-accelerated/includes/${file}`,
    status: 'confirmed',
    note,
  };
}

const AZURE_LOCAL_DISK_NOTE =
  'Azure documents one local (temporary) disk; whether the guest sees it as one or several NVMe devices was not verified';

const AZURE_INSTANCES: readonly Omit<InstanceSpec, 'hourlyUsd' | 'priceRegion' | 'priceDate'>[] = [
  {
    instanceType: 'Standard_ND96asr_v4',
    target: 'azure',
    gpu: 'a100-40gb',
    gpuCount: 8,
    gpuMemoryMiB: 40 * 1024,
    vcpus: 96,
    memoryGiB: 900,
    networkGbps: 24,
    efaInterfaces: 0,
    interconnect: 'infiniband',
    localNvmeGB: gibToGB(6_000),
    localNvmeDevices: 1,
    sources: [
      azureDocs('f323a18', 'nd-a100-v4-series-specs.md', '96 vCores, 900 GiB, 8 NICs 24000 Mbps, 8 × NVIDIA A100 (NVLink) 40 GiB'),
      azureDocs('b8e87ab', 'ndasra100v4-series-specs.md', `Local Storage 1 Disk 6000 GiB. ${AZURE_LOCAL_DISK_NOTE}`),
      azureDocs('6acc6f6', 'ndasra100v4-series-summary.md', 'each GPU has a dedicated 200 Gb/s HDR InfiniBand connection, GPUDirect RDMA'),
    ],
  },
  {
    instanceType: 'Standard_ND96isr_H100_v5',
    target: 'azure',
    gpu: 'h100',
    gpuCount: 8,
    gpuMemoryMiB: 80 * 1024,
    vcpus: 96,
    memoryGiB: 1_900,
    networkGbps: 80,
    efaInterfaces: 0,
    interconnect: 'infiniband',
    localNvmeGB: gibToGB(28_000),
    localNvmeDevices: 1,
    sources: [
      azureDocs('44d9173', 'nd-h100-v5-series-specs.md', '96 vCores, 1900 GiB, 8 NICs 80000 Mbps, 8 × NVIDIA H100 (NVLink) 80 GiB'),
      azureDocs('882af9a', 'ndh100v5-series-specs.md', `Local Storage 1 Disk 28000 GiB. ${AZURE_LOCAL_DISK_NOTE}`),
      azureDocs('2467ea4', 'ndh100v5-series-summary.md', 'each GPU has a dedicated 400 Gb/s Quantum-2 CX7 InfiniBand connection, GPUDirect RDMA'),
    ],
  },
  {
    instanceType: 'Standard_ND96isr_MI300X_v5',
    target: 'azure',
    gpu: 'mi300x',
    gpuCount: 8,
    gpuMemoryMiB: 192 * 1024,
    vcpus: 96,
    memoryGiB: 1_850,
    networkGbps: 80,
    efaInterfaces: 0,
    interconnect: 'infiniband',
    localNvmeGB: gibToGB(1_000),
    localNvmeDevices: 1,
    sources: [
      azureDocs('277d7db', 'nd-mi300x-v5-series-specs.md', '96 vCores, 1850 GiB, Local Storage 1 Disk 1000 GiB, 8 NICs 80000 Mbps, 8 × MI300X 192 GiB'),
      azureDocs('43d9b19', 'ndmi300xv5-series-summary.md', 'each GPU has a dedicated 400 Gb/s Quantum-2 CX7 InfiniBand connection, GPUDirect RDMA'),
    ],
  },
  {
    instanceType: 'Standard_ND96isr_H200_v5',
    target: 'azure',
    gpu: 'h200',
    gpuCount: 8,
    // Azure states 141 GB per GPU; stored as 141 GiB like the other Azure rows (= EC2's 144,384 MiB for H200).
    gpuMemoryMiB: 141 * 1024,
    vcpus: 96,
    memoryGiB: 1_850,
    networkGbps: 80,
    efaInterfaces: 0,
    interconnect: 'infiniband',
    localNvmeGB: gibToGB(28_000),
    localNvmeDevices: 1,
    sources: [
      {
        url: 'https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/nd-h200-v5-series',
        status: 'unconfirmed',
        note:
          'ND H200 v5: 8 × NVIDIA H200 141 GB (NVLink 900 GB/s), one 400 Gb/s InfiniBand link per GPU (as cited by a ' +
          'third-party summary of this page). The page itself was not re-read here: network 80 Gbps and 28000 GiB local ' +
          `disk are taken to equal ND H100 v5's (same chassis generation), unverified. ${AZURE_LOCAL_DISK_NOTE}`,
      },
      {
        url: 'https://aspire.dev/reference/api/csharp/aspire.hosting.azure.kubernetes/standardndisrh200v5/fields.md',
        status: 'third-party',
        note: '"Standard_ND96isr_H200_v5 -- 96 vCPUs -- 1850 GB RAM -- 8 GPU(s)" (generated from the Azure VM size list)',
      },
    ],
  },
];

function awsInstance(row: AwsRow): Omit<InstanceSpec, 'hourlyUsd' | 'priceRegion' | 'priceDate'> {
  return {
    instanceType: row.instanceType,
    target: 'aws',
    gpu: row.gpu,
    gpuCount: row.gpuCount,
    gpuMemoryMiB: row.gpuMemoryMiB,
    vcpus: row.vcpus,
    memoryGiB: row.memoryGiB,
    networkGbps: row.networkGbps,
    efaInterfaces: row.efaInterfaces,
    interconnect: row.efaInterfaces >= 1 ? 'efa' : 'ethernet',
    localNvmeGB: row.nvmeDevices * row.nvmeDeviceGB,
    localNvmeDevices: row.nvmeDevices,
    sources: [EC2_SPECS, EC2_AC_SPECS, ...(row.extraSources ?? [])],
  };
}

/** Attach the catalog price (or the documented reason there is none) to a hardware row. */
function withCatalogPrice(hw: Omit<InstanceSpec, 'hourlyUsd' | 'priceRegion' | 'priceDate'>): InstanceSpec {
  const price = priceFor(hw.instanceType);
  if (price) {
    return {
      ...hw,
      hourlyUsd: price.hourlyUsd,
      priceRegion: price.region,
      priceDate: price.date,
      sources: [...hw.sources, price.source],
    };
  }
  const reason = UNPRICED_REASONS[hw.instanceType];
  return { ...hw, sources: reason ? [...hw.sources, reason] : hw.sources };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

/** Every cloud instance type in the catalog: AWS p4d/p4de/p5/p5e/p5en/p6-b200 and all g5/g6/g6e sizes, Azure ND. */
export const INSTANCES: readonly InstanceSpec[] = deepFreeze([
  ...AWS_ROWS.map(awsInstance),
  ...AZURE_INSTANCES,
].map(withCatalogPrice));

/** The catalog entry for an exact instance type name (case-sensitive, e.g. `p5.48xlarge`, `Standard_ND96isr_H100_v5`). */
export function getInstance(instanceType: string): InstanceSpec | undefined {
  return INSTANCES.find((i) => i.instanceType === instanceType);
}

/** Catalog instances of one target; empty for `local`, whose hardware the caller describes. */
export function instancesForTarget(target: Target): InstanceSpec[] {
  return INSTANCES.filter((i) => i.target === target);
}

function describeValue(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value);
}

/**
 * Replace catalog prices with the caller's (`spec.priceOverrides`, USD per hour by instance type).
 * Overridden rows get `priceDate: 'override'`, `priceRegion: 'caller'` and a caller Source in place
 * of the catalog price Source; other rows are returned unchanged. Every unknown instance type and
 * every price that is not a positive finite number is collected, then thrown once as a PlanError
 * with paths `priceOverrides.<type>`.
 */
export function withPriceOverrides(
  instances: readonly InstanceSpec[],
  overrides: Readonly<Record<string, number>>,
): InstanceSpec[] {
  const known = new Set(instances.map((i) => i.instanceType));
  const issues: Issue[] = [];
  for (const [instanceType, value] of Object.entries(overrides)) {
    const path = `priceOverrides.${instanceType}`;
    if (!known.has(instanceType)) {
      issues.push({
        path,
        message:
          `"${instanceType}" (price ${describeValue(value)}) is not a catalog instance type; ` +
          `valid types: ${[...known].join(', ')}`,
      });
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      issues.push({
        path,
        message: `price must be a positive finite number of USD per hour; got ${describeValue(value)}`,
      });
    }
  }
  if (issues.length > 0) throw new PlanError(issues);

  return instances.map((instance) => {
    if (!Object.prototype.hasOwnProperty.call(overrides, instance.instanceType)) return instance;
    const hourlyUsd = overrides[instance.instanceType];
    const overrideSource: Source = {
      url: PRICE_OVERRIDE_SOURCE_URL,
      status: 'unconfirmed',
      note: `hourlyUsd ${hourlyUsd} supplied by the caller; region and date unknown to the catalog`,
    };
    return {
      ...instance,
      hourlyUsd,
      priceDate: 'override',
      priceRegion: 'caller',
      sources: [...instance.sources.filter((s) => !isPriceSource(s)), overrideSource],
    };
  });
}
