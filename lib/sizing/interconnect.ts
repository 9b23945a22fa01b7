/**
 * What tensor parallelism costs per decode step on the link between a host's GPUs.
 *
 * Why only PCIe is charged: the decode estimate's fixed per-layer latencies (./throughput) were
 * fitted on 8 × H200 over NVLink, so NVLink/xGMI all-reduces are already inside them. On PCIe-only
 * hosts (g7e RTX PRO 6000, g6e L40S, g6 L4, L20) the same all-reduces are slower; this file adds the
 * difference between the PCIe ring and the NVLink ring the constants were fitted on.
 *
 * Model (sources next to each constant):
 * - Megatron-style TP does 2 all-reduces per layer in the forward pass (after attention and after the
 *   MLP/MoE block): Shoeybi et al., "Megatron-LM", https://arxiv.org/abs/1909.08053 §3 (Fig. 3).
 * - Each all-reduce carries the activations of the batch: batch × hidden × 2 bytes (BF16).
 * - A ring all-reduce sends 2(n−1)/n of the message over each GPU's link (NCCL's bus bandwidth
 *   factor, https://github.com/NVIDIA/nccl-tests/blob/master/doc/PERFORMANCE.md#allreduce).
 * - Latency of a ring all-reduce for small messages (LL protocol) = baseLat + 2(n−1) × hwLat, with
 *   baseLat(Ring, LL) = 6.6 µs and hwLat(Ring, LL) = 0.6 µs over NVLink, 1.0 µs over PCI — NCCL's own
 *   cost model, https://github.com/NVIDIA/nccl/blob/master/src/graph/tuning.cc (`baseLat`, `hwLat`).
 * This is an estimate of the link's share, not a benchmark.
 */
import type { Decision, GpuSpec, ModelArchitecture } from '../types';

/** All-reduces per layer per forward pass under tensor parallelism (Megatron-LM §3). */
export const ALL_REDUCES_PER_LAYER = 2;
/** Bytes per activation value in the all-reduce (BF16). */
export const ACTIVATION_BYTES = 2;
/** NCCL tuning.cc: baseLat[Ring][LL], µs. */
export const NCCL_RING_LL_BASE_LATENCY_US = 6.6;
/** NCCL tuning.cc: hwLat[NVLINK][Ring][LL] and hwLat[PCI][Ring][LL], µs per ring step. */
export const NCCL_RING_LL_HOP_LATENCY_US = { nvlink: 0.6, pcie: 1.0 } as const;
/** The link the decode constants were fitted on: NVLink4 on H200, 450 GB/s per direction (aiconfigurator h200_sxm.yaml). */
export const REFERENCE_NVLINK_GBPS_PER_DIRECTION = 450;

/** Seconds of one ring all-reduce of `bytes` over `n` GPUs on a link. */
export function ringAllReduceSeconds(bytes: number, n: number, linkGBpsPerDirection: number, hopLatencyUs: number): number {
  if (n <= 1) return 0;
  const latency = (NCCL_RING_LL_BASE_LATENCY_US + 2 * (n - 1) * hopLatencyUs) * 1e-6;
  const transfer = ((2 * (n - 1)) / n) * bytes / (linkGBpsPerDirection * 1e9);
  return latency + transfer;
}

/** Input of {@link tensorParallelLinkPenalty}. */
export interface LinkPenaltyInput {
  readonly arch: ModelArchitecture;
  readonly gpu: GpuSpec;
  readonly tensorParallelSize: number;
  /** Sequences decoded together in one step. */
  readonly batch: number;
}

/** The link's extra cost per decode step and the figures behind it. */
export interface LinkPenalty {
  /** Extra seconds per decode step over the NVLink reference; 0 unless TP > 1 runs over PCIe. */
  readonly seconds: number;
  /** All-reduces per step (2 per layer). */
  readonly allReduces: number;
  /** Bytes each GPU sends per step over its link. */
  readonly bytesPerGpu: number;
}

/** Extra decode-step time when TP all-reduces cross PCIe instead of NVLink. */
export function tensorParallelLinkPenalty(input: LinkPenaltyInput): LinkPenalty {
  const n = input.tensorParallelSize;
  const allReduces = ALL_REDUCES_PER_LAYER * input.arch.numLayers;
  const message = input.batch * input.arch.hiddenSize * ACTIVATION_BYTES;
  const bytesPerGpu = n > 1 ? allReduces * ((2 * (n - 1)) / n) * message : 0;
  if (n <= 1 || input.gpu.intraNodeLinkKind !== 'pcie') return { seconds: 0, allReduces, bytesPerGpu };
  const onLink = ringAllReduceSeconds(message, n, input.gpu.intraNodeLinkGBpsPerDirection, NCCL_RING_LL_HOP_LATENCY_US.pcie);
  const onReference = ringAllReduceSeconds(message, n, REFERENCE_NVLINK_GBPS_PER_DIRECTION, NCCL_RING_LL_HOP_LATENCY_US.nvlink);
  return { seconds: allReduces * Math.max(0, onLink - onReference), allReduces, bytesPerGpu };
}

/**
 * The decision a plan records when its TP group talks over PCIe (undefined otherwise).
 * `fasterLinkOption` describes the cheapest feasible option without tensor-parallel traffic over PCIe.
 */
export function interconnectDecision(input: LinkPenaltyInput, fasterLinkOption?: string): Decision | undefined {
  if (input.tensorParallelSize <= 1 || input.gpu.intraNodeLinkKind !== 'pcie') return undefined;
  const p = tensorParallelLinkPenalty(input);
  return {
    field: 'estimates.interconnectSecondsPerStep',
    value: Number(p.seconds.toFixed(6)),
    reason:
      `TP ${input.tensorParallelSize} over ${input.gpu.intraNodeLink} (no NVLink): ${p.allReduces} all-reduces per decode step, ` +
      `${(p.bytesPerGpu / 1e6).toFixed(2)} MB per GPU at ${input.batch} sequence(s); the PCIe ring adds ${(p.seconds * 1e3).toFixed(2)} ms per step ` +
      `over NVLink (NCCL ring latency and bandwidth model). Chosen on price; decode is slower than the same GPUs over NVLink` +
      (fasterLinkOption ? `; the cheapest option without TP over PCIe: ${fasterLinkOption}` : '; no option without TP over PCIe fits the request'),
  };
}

/** Ordering key for equally priced candidates: fewer cross-PCIe all-reduces first. */
export function linkRank(gpu: GpuSpec, tensorParallelSize: number): number {
  return gpu.intraNodeLinkKind === 'pcie' && tensorParallelSize > 1 ? tensorParallelSize : 0;
}
