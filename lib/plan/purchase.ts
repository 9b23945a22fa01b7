/**
 * Which catalog types may be planned given how they are sold. Types without an On-Demand offer
 * (`purchase: 'capacity-block'`, the P6e UltraServers) are planned only when the caller asks for
 * Capacity Blocks (`capacityBlocks`) or prices them (`priceOverrides`): otherwise the cheapest plan
 * could name hardware that cannot be launched on demand. Every exclusion is recorded as a decision.
 */
import type { Decision, InstanceSpec, Issue } from '../types';
import { notice, type Notice } from '../notices';

/** The spec fields the rule reads. */
export interface PurchaseRequest {
  readonly capacityBlocks?: boolean;
  readonly priceOverrides?: Readonly<Record<string, number>>;
  readonly instanceType?: string;
}

/** The instances left, with the decisions and (when nothing is left because of the rule) issues. */
export interface PurchaseOutcome {
  readonly instances: InstanceSpec[];
  readonly decisions: Decision[];
  readonly issues: Issue[];
}

const HOW = 'add capacityBlocks: true (--capacity-blocks) to plan Capacity Blocks, or price it with priceOverrides (--price TYPE=USD)';

/** Applies the rule to the instances of one target. */
export function applyPurchaseRule(instances: readonly InstanceSpec[], req: PurchaseRequest): PurchaseOutcome {
  const blockOnly = instances.filter((i) => i.purchase === 'capacity-block');
  if (blockOnly.length === 0) return { instances: [...instances], decisions: [], issues: [] };
  const priced = (i: InstanceSpec) => req.priceOverrides !== undefined && Object.prototype.hasOwnProperty.call(req.priceOverrides, i.instanceType);
  const excluded = req.capacityBlocks ? [] : blockOnly.filter((i) => !priced(i));
  const kept = instances.filter((i) => !excluded.includes(i));
  const names = (list: readonly InstanceSpec[]) => list.map((i) => i.instanceType).join(', ');
  const decisions: Decision[] = [];
  const issues: Issue[] = [];
  if (excluded.length > 0) {
    decisions.push({ field: 'purchase.capacityBlocks', value: false, reason: `${names(excluded)} sold only as EC2 Capacity Blocks for ML (no On-Demand price): not considered; ${HOW}` });
  } else {
    const unpriced = blockOnly.filter((i) => i.hourlyUsd === undefined && !priced(i));
    decisions.push({
      field: 'purchase.capacityBlocks',
      value: Boolean(req.capacityBlocks),
      reason: `${names(blockOnly)} considered as Capacity Blocks${unpriced.length > 0 ? `; ${names(unpriced)} unpriced (ranked after every priced type; give priceOverrides with your block price to rank it)` : ' at the given prices'}`,
    });
  }
  const pinned = req.instanceType !== undefined ? excluded.find((i) => i.instanceType === req.instanceType) : undefined;
  if (pinned) {
    issues.push({ path: 'instanceType', message: `"${pinned.instanceType}" is sold only as EC2 Capacity Blocks for ML (no On-Demand price); ${HOW}` });
  } else if (kept.length === 0) {
    issues.push({ path: 'capacityBlocks', message: `every remaining type (${names(excluded)}) is sold only as EC2 Capacity Blocks for ML; ${HOW}` });
  }
  return { instances: kept, decisions, issues };
}

/** What the plan says when it lands on a Capacity-Block-only type. */
export function capacityBlockWarning(instance: InstanceSpec): Notice | undefined {
  if (instance.purchase !== 'capacity-block') return undefined;
  return notice('DSIAC-PLAN8', `${instance.instanceType} is sold only as EC2 Capacity Blocks for ML (UltraServers): reserve a block and deploy with capacityBlockId; it has no On-Demand launch`);
}
