/**
 * Where the nodes' EC2 capacity comes from: On-Demand (default), an On-Demand Capacity Reservation,
 * a Capacity Block for ML, Spot, and — for single-node plans — an ordered list of fallback instance
 * types so that a shortage of the planned type does not block the deploy.
 *
 * Facts relied on:
 * - A launch template targets one reservation with `CapacityReservationSpecification.
 *   CapacityReservationTarget.CapacityReservationId`; a Capacity Block additionally needs
 *   `InstanceMarketOptions.MarketType = capacity-block`, and the instance type must be the block's
 *   (AWS PCS guide "Configure a compute node group to use a Capacity Block",
 *   https://docs.aws.amazon.com/pcs/latest/userguide/capacity-blocks-configure-cng.html, confirmed;
 *   Auto Scaling: "set a market type on your launch template alongside a Capacity Reservation target",
 *   https://docs.aws.amazon.com/autoscaling/ec2/userguide/target-capacity-reservations.html, confirmed).
 *   Both kinds of reservation ids start with `cr-`.
 * - A mixed-instances policy with `OnDemandAllocationStrategy: prioritized` launches the first
 *   launch-template override that has capacity, in list order; Spot uses
 *   `capacity-optimized-prioritized`, which honours the same order on a best-effort basis
 *   (CloudFormation AWS::AutoScaling::AutoScalingGroup InstancesDistribution, confirmed).
 *
 * A fallback type must run the *same* boot script: same GPU model, GPUs per node and TP/PP/DP (so
 * the engine argv and env are identical), and, when the weights go to instance-store NVMe, enough
 * local NVMe to hold them. Only the planner's feasible single-node alternatives are considered, so
 * each one fits the model and workload.
 */
import type { Plan, PlanAlternative } from '../plan/types';
import type { Issue } from '../types';
import type { WeightsStorage } from './user-data';
import { blueprintWarning, type BlueprintWarning } from './blueprint-warning';

/** Capacity choices an adapter passes through from its props. */
export interface CapacityOptions {
  /** On-Demand Capacity Reservation (`cr-…`) to launch into; its instance type must be the plan's. */
  readonly capacityReservationId?: string;
  /** Capacity Block for ML (`cr-…`) to launch into; instances stop when the block ends. */
  readonly capacityBlockId?: string;
  /**
   * Fallback instance types for single-node plans, from the plan's feasible alternatives:
   * `true` = all compatible ones, a number = at most that many, `false` = none.
   * @default false
   */
  readonly fallbackInstanceTypes?: boolean | number;
  /** Spot instances (may be interrupted with two minutes' notice): for non-critical use only. @default false */
  readonly spot?: boolean;
}

/** How instances are bought. */
export type PurchaseOption = 'on-demand' | 'spot' | 'capacity-reservation' | 'capacity-block';

/** A fallback instance type and what it costs. */
export interface FallbackInstanceType {
  readonly instanceType: string;
  /** On-demand price of one node, USD per hour; undefined when the catalog has no confirmed price. */
  readonly hourlyUsd?: number;
}

/** The Auto Scaling group's mixed-instances policy (only when there is more than one type or Spot). */
export interface MixedInstancesSpec {
  readonly onDemandAllocationStrategy: 'prioritized';
  readonly spotAllocationStrategy?: 'capacity-optimized-prioritized';
  readonly onDemandBaseCapacity: number;
  /** 100 = On-Demand only; 0 = Spot only. */
  readonly onDemandPercentageAboveBaseCapacity: number;
}

/** Capacity decisions for every node group of the cluster. */
export interface CapacitySpec {
  readonly purchaseOption: PurchaseOption;
  /** Instance types in priority order; the first is the plan's. */
  readonly instanceTypes: readonly string[];
  readonly fallbacks: readonly FallbackInstanceType[];
  /** Launch-template reservation target (reservation and Capacity Block). */
  readonly capacityReservationId?: string;
  /** Launch-template market type (Capacity Block only). */
  readonly marketType?: 'capacity-block';
  /** Present when the group needs a mixed-instances policy (fallback types or Spot). */
  readonly mixedInstances?: MixedInstancesSpec;
  /** Replace Spot instances proactively on a rebalance recommendation (Spot only). */
  readonly capacityRebalance: boolean;
}

/** EC2 reservation ids: `cr-` and 17 (or, for old ones, 8) hex digits. */
const RESERVATION_ID = /^cr-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
/** An Auto Scaling group takes at most 40 launch-template overrides (CloudFormation LaunchTemplateOverrides, confirmed); the plan's type is one. */
export const MAX_FALLBACK_INSTANCE_TYPES = 39;

/** The compatible single-node alternatives of a plan, cheapest first (the planner's order). */
export function fallbackCandidates(plan: Plan, storage: WeightsStorage): FallbackInstanceType[] {
  const t = plan.topology;
  if (t.nodes !== 1) return [];
  const seen = new Set([t.instanceType]);
  const out: FallbackInstanceType[] = [];
  for (const a of plan.alternatives) {
    if (!compatible(plan, a, storage) || seen.has(a.topology.instanceType)) continue;
    seen.add(a.topology.instanceType);
    out.push({ instanceType: a.topology.instanceType, ...(a.cost.hourlyUsd !== undefined ? { hourlyUsd: a.cost.hourlyUsd } : {}) });
  }
  return out;
}

function compatible(plan: Plan, alt: PlanAlternative, storage: WeightsStorage): boolean {
  const t = plan.topology;
  const a = alt.topology;
  const sameLaunch = a.nodes === 1 && a.target === t.target && a.gpu === t.gpu && a.gpusPerNode === t.gpusPerNode
    && a.tensorParallelSize === t.tensorParallelSize && a.pipelineParallelSize === t.pipelineParallelSize
    && a.dataParallelSize === t.dataParallelSize && a.replicas === t.replicas && a.expertParallel === t.expertParallel;
  if (!sameLaunch) return false;
  // Instance store: the alternative's NVMe must hold the checkpoint too (the planner's fact, with its headroom).
  return storage.kind === 'ebs' || alt.preferInstanceStore;
}

/** Result of {@link capacitySpec}: the decisions, the problems and the warnings. */
export interface CapacityResult {
  readonly spec: CapacitySpec;
  readonly issues: readonly Issue[];
  readonly warnings: readonly BlueprintWarning[];
}

/**
 * Decide the capacity of a plan's nodes. Problems (malformed ids, a reservation together with Spot
 * or fallback types, fallback types for a multi-node plan, a bad count) are returned, not thrown, so
 * that the blueprint reports them with everything else.
 */
export function capacitySpec(plan: Plan, storage: WeightsStorage, options: CapacityOptions = {}, path = 'capacity'): CapacityResult {
  const issues: Issue[] = [];
  const warnings: BlueprintWarning[] = [];
  const { capacityReservationId: odcr, capacityBlockId: block, spot = false } = options;
  const fallback = options.fallbackInstanceTypes ?? false;
  const multiNode = plan.topology.nodes > 1;

  for (const [key, id] of [['capacityReservationId', odcr], ['capacityBlockId', block]] as const) {
    if (id !== undefined && !RESERVATION_ID.test(id)) issues.push({ path: `${path}.${key}`, message: `${JSON.stringify(id)} is not an EC2 reservation id (cr- followed by 17 hex digits)` });
  }
  const reserved = odcr !== undefined || block !== undefined;
  if (odcr !== undefined && block !== undefined) issues.push({ path, message: 'give capacityReservationId or capacityBlockId, not both' });
  if (spot && reserved) issues.push({ path: `${path}.spot`, message: 'Spot cannot be combined with a capacity reservation or Capacity Block; drop one of them' });
  const wantsFallback = fallback === true || (typeof fallback === 'number' && fallback > 0);
  if (typeof fallback === 'number' && (!Number.isInteger(fallback) || fallback < 0 || fallback > MAX_FALLBACK_INSTANCE_TYPES)) {
    issues.push({ path: `${path}.fallbackInstanceTypes`, message: `${fallback} is not a whole number from 0 to ${MAX_FALLBACK_INSTANCE_TYPES} (an Auto Scaling group takes at most 40 instance types)` });
  }
  if (wantsFallback && reserved) issues.push({ path: `${path}.fallbackInstanceTypes`, message: 'a reservation is for one instance type, so fallback instance types cannot be used with it' });
  if (wantsFallback && multiNode) {
    issues.push({ path: `${path}.fallbackInstanceTypes`, message: `the plan has ${plan.topology.nodes} nodes: all ranks share one placement group, EFA set-up and parallel layout, so they must be one instance type; fallback types apply to single-node plans only` });
  }

  const candidates = wantsFallback && !multiNode && !reserved ? fallbackCandidates(plan, storage) : [];
  const fallbacks = typeof fallback === 'number' ? candidates.slice(0, Math.max(0, Math.floor(fallback))) : candidates;
  if (wantsFallback && !multiNode && !reserved && fallbacks.length === 0) {
    warnings.push(blueprintWarning(
      'DSIAC-AWS5',
      `no feasible alternative runs the same launch as ${plan.topology.instanceType} (${plan.topology.gpusPerNode} × ${plan.topology.gpu}, TP ${plan.topology.tensorParallelSize}); the group uses the planned type only`,
    ));
  }
  if (spot) {
    warnings.push(blueprintWarning(
      'DSIAC-AWS6',
      `Spot instances can be reclaimed with two minutes' notice; every replacement downloads and loads the weights again (${(plan.storage.checkpointBytes / 1e9).toFixed(0)} GB)${multiNode ? ', and losing any one node stops the whole multi-node cluster' : ''}. Use Spot for non-critical serving only`,
    ));
  }
  if (block !== undefined) {
    warnings.push(blueprintWarning('DSIAC-AWS7', `instances launch only while Capacity Block ${block} is active and are terminated when it ends; its instance type must be ${plan.topology.instanceType}`));
  }

  const instanceTypes = [plan.topology.instanceType, ...fallbacks.map((f) => f.instanceType)];
  const needsMixed = spot || fallbacks.length > 0;
  const spec: CapacitySpec = {
    purchaseOption: block !== undefined ? 'capacity-block' : odcr !== undefined ? 'capacity-reservation' : spot ? 'spot' : 'on-demand',
    instanceTypes,
    fallbacks,
    ...(reserved ? { capacityReservationId: (block ?? odcr)! } : {}),
    ...(block !== undefined ? { marketType: 'capacity-block' as const } : {}),
    ...(needsMixed
      ? {
          mixedInstances: {
            onDemandAllocationStrategy: 'prioritized' as const,
            ...(spot ? { spotAllocationStrategy: 'capacity-optimized-prioritized' as const } : {}),
            onDemandBaseCapacity: 0,
            onDemandPercentageAboveBaseCapacity: spot ? 0 : 100,
          },
        }
      : {}),
    capacityRebalance: spot,
  };
  return { spec, issues, warnings };
}
