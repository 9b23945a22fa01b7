/**
 * Memoization per architecture: the planner asks the same sizing questions once per candidate, and a
 * `ModelArchitecture` is immutable once parsed, so answers are kept in a WeakMap on it (released with
 * the architecture) under a key of the other arguments, which are numbers and strings.
 */
import type { ModelArchitecture } from '../types';

/** `fn` memoized per architecture and the rest of its (primitive) arguments. Arrays come back frozen. */
export function memoPerArchitecture<A extends readonly (string | number)[], R>(fn: (arch: ModelArchitecture, ...args: A) => R): (arch: ModelArchitecture, ...args: A) => R {
  const cache = new WeakMap<ModelArchitecture, Map<string, R>>();
  return (arch, ...args) => {
    let byArgs = cache.get(arch);
    if (byArgs === undefined) cache.set(arch, (byArgs = new Map()));
    const key = args.join('|');
    if (!byArgs.has(key)) {
      const value = fn(arch, ...args);
      byArgs.set(key, Array.isArray(value) ? (Object.freeze(value) as R) : value);
    }
    return byArgs.get(key)!;
  };
}
