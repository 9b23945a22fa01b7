/**
 * Capacity decisions: reservations, Capacity Blocks, Spot and fallback instance types. A fallback
 * type is only useful if the same boot script runs on it, so each candidate is re-planned pinned to
 * that type and its serving launch must be identical to the plan's.
 */
import { planDeployment } from '../../lib/plan/planner';
import { getInstance } from '../../lib/catalog/instances';
import { capacitySpec, fallbackCandidates, MAX_FALLBACK_INSTANCE_TYPES } from '../../lib/deploy/capacity';

const small = planDeployment({ model: 'deepseek-r1-distill-qwen-1.5b' });
// Pinned to H200: since g7e the cheapest R1 FP8 node is g7e.48xlarge (PCIe), which has no same-GPU fallback type.
const r1 = planDeployment({ model: 'deepseek-r1', precision: 'fp8', maxNodes: 1, gpus: ['h200'] });
const multi = planDeployment({ model: 'deepseek-v3', precision: 'bf16' });
const NVME = { kind: 'instance-store' } as const;
const EBS = { kind: 'ebs', volumeGiB: 500 } as const;

describe('fallbackCandidates', () => {
  test.each([
    ['R1-Distill-Qwen-1.5B on 1 × L4', small],
    ['R1 FP8 on 8 × H200', r1],
  ])('%s: every candidate is a single-node alternative that runs the identical launch', (_name, plan) => {
    const candidates = fallbackCandidates(plan, NVME);
    expect(candidates.length).toBeGreaterThan(0);
    for (const c of candidates) {
      const pinned = planDeployment({ ...(plan === small ? { model: 'deepseek-r1-distill-qwen-1.5b' } : { model: 'deepseek-r1', precision: 'fp8', maxNodes: 1 }), instanceType: c.instanceType });
      expect(pinned.topology.nodes).toBe(1);
      expect(pinned.serving.command).toEqual(plan.serving.command);
      expect(pinned.serving.env).toEqual(plan.serving.env);
      expect(pinned.serving.image).toBe(plan.serving.image);
      expect(pinned.serving.container).toEqual(plan.serving.container);
    }
  });

  test('R1 FP8: p5e.48xlarge (8 × H200 like p5en) is a fallback, p6-b200 (another GPU) is not', () => {
    const types = fallbackCandidates(r1, NVME).map((c) => c.instanceType);
    expect(types).toContain('p5e.48xlarge');
    expect(types).not.toContain('p6-b200.48xlarge');
    expect(types).not.toContain(r1.topology.instanceType);
  });

  test('the candidates keep the planner\'s (cheapest-first) order and exclude other GPUs', () => {
    const types = fallbackCandidates(small, EBS).map((c) => c.instanceType);
    const sameGpu = small.alternatives.filter((a) => a.topology.nodes === 1 && a.topology.gpu === 'l4' && a.topology.gpusPerNode === 1).map((a) => a.topology.instanceType);
    expect(types).toEqual(sameGpu);
    expect(types.some((t) => t.startsWith('g5.'))).toBe(false); // A10G
  });

  test('the planner marks each alternative whose NVMe holds checkpoint × 1.15 (the fact fallbacks read)', () => {
    // R1-Distill 1.5B: a few GB of checkpoint, so every alternative with local NVMe holds it and none without does.
    for (const a of small.alternatives) {
      const nvmeGB = getInstance(a.topology.instanceType)?.localNvmeGB ?? 0;
      expect(a.preferInstanceStore).toBe(nvmeGB * 1e9 >= small.storage.checkpointBytes * 1.15);
    }
  });

  test('instance-store weights: a type whose NVMe cannot hold checkpoint × 1.15 is dropped', () => {
    // 420 GB × 1.15 = 483 GB: g6.2xlarge's 450 GB no longer holds it, g6.4xlarge's 600 GB does
    // (each alternative's flag recomputed here as the planner would for a 420 GB checkpoint).
    const holds = (type: string) => (getInstance(type)?.localNvmeGB ?? 0) * 1e9 >= 420e9 * 1.15;
    const big = {
      ...small,
      storage: { ...small.storage, checkpointBytes: 420e9 },
      alternatives: small.alternatives.map((a) => ({ ...a, preferInstanceStore: holds(a.topology.instanceType) })),
    };
    expect(holds('g6.2xlarge')).toBe(false);
    expect(holds('g6.4xlarge')).toBe(true);
    const types = fallbackCandidates(big, NVME).map((c) => c.instanceType);
    expect(types).not.toContain('g6.2xlarge');
    expect(types).toContain('g6.4xlarge');
    // On EBS the local disk does not matter.
    expect(fallbackCandidates(big, EBS).map((c) => c.instanceType)).toContain('g6.2xlarge');
  });

  test('multi-node plans have none', () => {
    expect(fallbackCandidates(multi, NVME)).toEqual([]);
  });
});

describe('capacitySpec', () => {
  test('default: On-Demand, the planned type only, no mixed-instances policy', () => {
    const { spec, issues, warnings } = capacitySpec(small, NVME);
    expect(spec).toEqual({ purchaseOption: 'on-demand', instanceTypes: [small.topology.instanceType], fallbacks: [], capacityRebalance: false });
    expect(issues).toEqual([]);
    expect(warnings).toEqual([]);
  });

  test('fallback count: the planned type first, then at most N alternatives, prioritized On-Demand', () => {
    const { spec } = capacitySpec(small, NVME, { fallbackInstanceTypes: 2 });
    expect(spec.instanceTypes).toEqual([small.topology.instanceType, ...fallbackCandidates(small, NVME).slice(0, 2).map((c) => c.instanceType)]);
    expect(spec.mixedInstances).toEqual({ onDemandAllocationStrategy: 'prioritized', onDemandBaseCapacity: 0, onDemandPercentageAboveBaseCapacity: 100 });
  });

  test('Spot: mixed-instances with Spot only, capacity-optimized-prioritized, capacity rebalance, and a warning', () => {
    const { spec, warnings } = capacitySpec(multi, NVME, { spot: true });
    expect(spec.purchaseOption).toBe('spot');
    expect(spec.mixedInstances).toEqual({ onDemandAllocationStrategy: 'prioritized', spotAllocationStrategy: 'capacity-optimized-prioritized', onDemandBaseCapacity: 0, onDemandPercentageAboveBaseCapacity: 0 });
    expect(spec.capacityRebalance).toBe(true);
    expect(warnings.map((w) => w.code)).toEqual(['DSIAC-AWS6']);
    expect(warnings[0].message).toContain('stops the whole multi-node cluster');
  });

  test('On-Demand Capacity Reservation: targeted on the launch template, no market type', () => {
    const { spec, issues } = capacitySpec(r1, NVME, { capacityReservationId: 'cr-0123456789abcdef0' });
    expect(issues).toEqual([]);
    expect(spec).toMatchObject({ purchaseOption: 'capacity-reservation', capacityReservationId: 'cr-0123456789abcdef0', instanceTypes: [r1.topology.instanceType] });
    expect(spec.marketType).toBeUndefined();
  });

  test('Capacity Block: reservation target plus market type capacity-block, and a warning that it ends', () => {
    const { spec, warnings } = capacitySpec(multi, NVME, { capacityBlockId: 'cr-0fedcba9876543210' });
    expect(spec).toMatchObject({ purchaseOption: 'capacity-block', capacityReservationId: 'cr-0fedcba9876543210', marketType: 'capacity-block' });
    expect(warnings.map((w) => w.code)).toEqual(['DSIAC-AWS7']);
  });

  test('no compatible alternative: a warning, the planned type only', () => {
    const lonely = { ...small, alternatives: [] };
    const { spec, warnings } = capacitySpec(lonely, NVME, { fallbackInstanceTypes: true });
    expect(spec.instanceTypes).toEqual([small.topology.instanceType]);
    expect(spec.mixedInstances).toBeUndefined();
    expect(warnings.map((w) => w.code)).toEqual(['DSIAC-AWS5']);
  });

  test('every conflicting or malformed choice is reported, each at its field', () => {
    const { issues } = capacitySpec(multi, NVME, {
      capacityReservationId: 'cr-123', capacityBlockId: 'reservation-1', spot: true, fallbackInstanceTypes: MAX_FALLBACK_INSTANCE_TYPES + 1,
    });
    expect(issues.map((i) => i.path).sort()).toEqual([
      'capacity', 'capacity.capacityBlockId', 'capacity.capacityReservationId', 'capacity.fallbackInstanceTypes',
      'capacity.fallbackInstanceTypes', 'capacity.fallbackInstanceTypes', 'capacity.spot',
    ]);
    expect(issues.find((i) => i.path === 'capacity.capacityReservationId')?.message).toContain('"cr-123"');
    expect(issues.some((i) => i.message.includes('single-node plans only'))).toBe(true);
  });
});
