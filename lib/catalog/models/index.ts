/**
 * The model catalog: every supported DeepSeek model as a `ModelArchitecture`, and lookup by catalog id,
 * Hugging Face id or alias (case-insensitive). Data lives in ./models/*; each entry is built by running
 * the shared config parser over the model's published config.json fields.
 */
import { PlanError } from '../../errors';
import type { ModelArchitecture } from '../../types';
import { DEEPSEEK_V2_FAMILY } from './deepseek-v2';
import { DEEPSEEK_V3_FAMILY } from './deepseek-v3';
import { DEEPSEEK_V32_FAMILY } from './deepseek-v32';
import { DEEPSEEK_V4_FAMILY } from './deepseek-v4';
import { DEEPSEEK_DENSE } from './dense';
import { DEEPSEEK_R1_DISTILLS } from './distill';
import type { CatalogEntry } from './entry';
import { closestMatch } from '../suggest';

export type { CatalogEntry } from './entry';

/** Every catalog entry with its aliases and source config, in display order. */
export const CATALOG: readonly CatalogEntry[] = [
  ...DEEPSEEK_V4_FAMILY,
  ...DEEPSEEK_V32_FAMILY,
  ...DEEPSEEK_V3_FAMILY,
  ...DEEPSEEK_V2_FAMILY,
  ...DEEPSEEK_DENSE,
  ...DEEPSEEK_R1_DISTILLS,
];

/** Every catalog model, in display order. */
export const MODELS: readonly ModelArchitecture[] = CATALOG.map((e) => e.model);

/** Repository name without the organisation: `deepseek-ai/DeepSeek-R1` → `DeepSeek-R1`. */
const repoName = (hfId: string): string => hfId.slice(hfId.lastIndexOf('/') + 1);

/**
 * The strings that resolve to an entry: its id, its HF id and aliases, and their bare repository
 * names (so `DeepSeek-Coder-V2-Instruct` works without the `deepseek-ai/` prefix).
 */
export function lookupKeys(entry: CatalogEntry): readonly string[] {
  const hfIds = [entry.model.hfId, ...entry.aliases].filter((s): s is string => s !== undefined);
  return [...new Set([entry.model.id, ...hfIds, ...hfIds.map(repoName)].map((k) => k.toLowerCase()))];
}

const BY_KEY: ReadonlyMap<string, CatalogEntry> = (() => {
  const map = new Map<string, CatalogEntry>();
  for (const entry of CATALOG) {
    for (const key of lookupKeys(entry)) {
      const other = map.get(key);
      // A key shared by two entries would make lookup order-dependent: refuse to load such a catalog.
      if (other && other !== entry) throw new Error(`catalog key "${key}" names both ${other.model.id} and ${entry.model.id}`);
      map.set(key, entry);
    }
  }
  return map;
})();

/**
 * The catalog model named by a catalog id (`deepseek-r1`), a Hugging Face id (`deepseek-ai/DeepSeek-R1`),
 * a declared alias (`deepseek-ai/deepseek-coder-33b-instruct`) or a bare repository name; case-insensitive.
 * An alias resolves to its canonical entry (whose `hfId` is the canonical repository).
 */
export function findModel(idOrHfId: string): ModelArchitecture | undefined {
  return BY_KEY.get(idOrHfId.trim().toLowerCase())?.model;
}

/**
 * Like {@link findModel}, but throws a `PlanError` at `path` for an unknown name, suggesting the closest
 * catalog id or HF id and listing the known ids.
 */
export function resolveModel(idOrHfId: string, path = 'model'): ModelArchitecture {
  const found = findModel(idOrHfId);
  if (found) return found;
  const ids = MODELS.map((m) => m.id);
  const known = `Known: ${ids.join(', ')}`;
  if (idOrHfId.trim().length === 0) {
    throw PlanError.single(path, `must name a catalog model or Hugging Face id, got an empty string. ${known}`);
  }
  const candidates = [...ids, ...CATALOG.flatMap((e) => [e.model.hfId, ...e.aliases]).filter((s): s is string => s !== undefined)];
  const suggestion = closestMatch(idOrHfId, candidates);
  const hint = suggestion !== undefined ? `; did you mean "${suggestion}"?` : '.';
  throw PlanError.single(path, `unknown model "${idOrHfId}"${hint} ${known}`);
}
