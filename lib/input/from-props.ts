import { deploymentSpecSchema } from './schema';
import type { DeploymentSpec } from './types';

/** Spec fields, read from the schema so a new spec field reaches the planner without touching an adapter. */
export const DEPLOYMENT_SPEC_KEYS: ReadonlySet<string> = new Set(Object.keys(deploymentSpecSchema.shape));

/**
 * The planning part of an AWS adapter's props as a DeploymentSpec for target aws: every spec field
 * that is set, except `target` (always aws) and `localHosts` (local only). Placement props are left
 * for the adapter.
 */
export function awsSpecFromProps(props: object): DeploymentSpec {
  const spec: Record<string, unknown> = { target: 'aws' };
  for (const [k, v] of Object.entries(props)) {
    if (v !== undefined && DEPLOYMENT_SPEC_KEYS.has(k) && k !== 'target' && k !== 'localHosts') spec[k] = v;
  }
  return spec as DeploymentSpec;
}
