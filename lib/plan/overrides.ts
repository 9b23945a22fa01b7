/**
 * Planning with `instanceType` / `nodes` overrides. The planner takes them as pins; when the pinned
 * plan is impossible, the caller also needs to know what *would* fit, so this plans again without
 * the pins and adds that answer to the error.
 */
import { PlanError, isPlanError } from '../errors';
import { planDeployment } from './planner';
import type { Plan } from './types';
import type { DeploymentSpec } from '../input/types';
import type { Issue } from '../types';

const MAX_SUGGESTIONS = 3;

/**
 * Plan a spec whose `instanceType` / `nodes` may be overrides.
 * @throws PlanError with the planner's issues; when an override made the plan impossible, one more
 *   issue at the override's path names the unpinned choice and its cheapest alternatives.
 */
export function planWithOverrides(spec: DeploymentSpec): Plan {
  try {
    return planDeployment(spec);
  } catch (e) {
    if (!isPlanError(e)) throw e;
    const pins = (['instanceType', 'nodes'] as const).filter((k) => spec[k] !== undefined);
    if (pins.length === 0) throw e;
    const { instanceType: _i, nodes: _n, ...unpinned } = spec;
    let free: Plan;
    try {
      free = planDeployment(unpinned);
    } catch {
      throw e;
    }
    const options = [free.topology, ...free.alternatives.map((a) => a.topology)]
      .slice(0, MAX_SUGGESTIONS)
      .map((t) => `${t.nodes} × ${t.instanceType}`);
    const pinned = pins.map((k) => `${k} ${JSON.stringify(spec[k])}`).join(' and ');
    const hint: Issue = {
      path: pins[0],
      message: `${pinned} cannot serve ${free.model.id} at ${free.precision.weights} with this workload; what fits: ${options.join(', ')} (the first is the planner's choice without the override)`,
    };
    throw new PlanError([...e.issues, hint]);
  }
}
