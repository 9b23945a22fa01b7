/**
 * Core problems (`{ path, message }` issues of a PlanError) as Pulumi's input-property errors, which
 * the engine prints per property. One issue → `InputPropertyError`; several → `InputPropertiesError`
 * carrying all of them. The message lists every issue too, so a program that throws it directly
 * (not through a component provider) shows the same text.
 */
import * as pulumi from '@pulumi/pulumi';
import { PlanError } from '../../lib/errors';
import type { Issue } from '../../lib/types';

/** The error to throw for `issues` of the component named `resourceName` (of class `className`). */
export function inputError(resourceName: string, issues: readonly Issue[], className = 'DeepSeekInferenceCluster'): Error {
  const details = issues.map((i) => ({ propertyPath: i.path || 'args', reason: i.message }));
  if (details.length === 1) {
    const e = new pulumi.InputPropertyError(details[0]);
    e.message = `${resourceName}: invalid ${className} argument ${details[0].propertyPath}: ${details[0].reason}`;
    return e;
  }
  return new pulumi.InputPropertiesError({
    message: `${resourceName}: invalid ${className} arguments:\n${PlanError.format(issues).split('\n').map((l) => `  - ${l}`).join('\n')}`,
    errors: details,
  });
}
