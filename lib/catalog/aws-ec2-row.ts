/** Shape of one row of aws-ec2.generated.ts (written by scripts/aws-catalog.ts from Karpenter's tables). */
export interface AwsGeneratedRow {
  readonly instanceType: string;
  /** Karpenter's `instance-gpu-name` label (e.g. `h100`, `rtx-pro-server-6000`). */
  readonly gpuName: string;
  readonly gpuCount: number;
  /** EC2 GpuInfo MemoryInfo.SizeInMiB per GPU. */
  readonly gpuMemoryMiB: number;
  readonly vcpus: number;
  readonly memoryGiB: number;
  /** Baseline network bandwidth, Gbps; 0 when Karpenter has no label for it. */
  readonly networkGbps: number;
  /** Maximum EFA interfaces (`vpc.amazonaws.com/efa`); 0 when none. */
  readonly efaInterfaces: number;
  /** Local NVMe instance store in total, GB. */
  readonly localNvmeGB: number;
  readonly cpuArchitecture: 'x86_64' | 'arm64';
  /** us-east-1 Linux on-demand USD/hour; absent when the pricing table has none. */
  readonly hourlyUsd?: number;
}
