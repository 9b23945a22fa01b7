/**
 * How a catalog entry is made: the model's published config.json fields go through the same parser a
 * user-supplied config does, then the catalog adds what a config cannot say (display name, the
 * published usable context, aliases, provenance).
 */
import type { ModelArchitecture, Source } from '../../types';
import { parseHfConfig } from '../hf-config';

/** A catalog model plus the other Hugging Face ids that resolve to it. */
export interface CatalogEntry {
  readonly model: ModelArchitecture;
  /** Other HF repositories with the same architecture (base/chat/instruct siblings), resolved by `findModel`. */
  readonly aliases: readonly string[];
  /** The config.json fields the entry was built from (as published; kept for invariant checks). */
  readonly hfConfig: Readonly<Record<string, unknown>>;
}

/** What a data file declares for one model. */
export interface CatalogEntrySpec {
  /** Lowercase catalog id. */
  readonly id: string;
  /** Canonical Hugging Face repository. */
  readonly hfId: string;
  readonly displayName: string;
  readonly aliases?: readonly string[];
  /** The model's config.json (the fields the parser reads, transcribed from the cited source). */
  readonly hfConfig: Readonly<Record<string, unknown>>;
  /** Usable context as published by the model's authors, in tokens. */
  readonly publishedContextTokens: number;
  /** Where the published context is stated; its note gets the config's max_position_embeddings appended. */
  readonly contextSource: Source;
  /** Provenance of the architecture values. */
  readonly sources: readonly Source[];
}

/** Builds a catalog entry by parsing `spec.hfConfig` and attaching the catalog-only facts. */
export function defineEntry(spec: CatalogEntrySpec): CatalogEntry {
  const parsed = parseHfConfig(spec.hfConfig, { id: spec.id, hfId: spec.hfId });
  const contextNote = [
    spec.contextSource.note,
    `published usable context ${spec.publishedContextTokens} tokens; config.json max_position_embeddings is ${parsed.maxContextTokens}`,
  ]
    .filter(Boolean)
    .join('; ');
  return {
    model: {
      ...parsed,
      displayName: spec.displayName,
      // The published context, not max_position_embeddings: YaRN-extended configs overstate what was validated.
      maxContextTokens: Math.min(spec.publishedContextTokens, parsed.maxContextTokens),
      sources: [...spec.sources, { ...spec.contextSource, note: contextNote }],
    },
    aliases: spec.aliases ?? [],
    hfConfig: spec.hfConfig,
  };
}
