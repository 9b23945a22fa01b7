/**
 * Where a node fetches the weights from: a Hugging Face repository or an S3 prefix.
 *
 * Accepted forms (anything else is a PlanError naming the field, the value and the allowed forms):
 * - `s3://bucket/prefix` (prefix optional; a trailing slash is ignored);
 * - `hf://org/name` or `hf://org/name@revision`;
 * - a bare Hugging Face id, `org/name` or `org/name@revision` (e.g. `deepseek-ai/DeepSeek-R1`).
 *
 * Bucket names follow the S3 general-purpose bucket rules (3–63 characters of lowercase letters,
 * digits, dots and hyphens, starting and ending with a letter or digit;
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html, confirmed).
 * Hugging Face repository names allow letters, digits, `-`, `_` and `.`
 * (huggingface_hub `validate_repo_id`: `^(\b[\w\-.]+\b/)?\b[\w\-.]{1,96}\b$`, third-party copy of
 * huggingface_hub/utils/_validators.py); we require the `org/` part because every DeepSeek release
 * has one and a bare name is more often a typo than a legacy id.
 */
import { PlanError } from '../errors';
import type { Issue } from '../types';

/** Weights in an S3 bucket under a key prefix. */
export interface S3ModelSource {
  readonly kind: 's3';
  readonly bucket: string;
  /** Key prefix without leading or trailing slash; '' for the whole bucket. */
  readonly prefix: string;
  /** `s3://bucket/prefix/`, the form `aws s3 sync` takes. */
  readonly uri: string;
}

/** Weights in a Hugging Face repository. */
export interface HuggingFaceModelSource {
  readonly kind: 'huggingface';
  /** `org/name`. */
  readonly repoId: string;
  /** Branch, tag or commit; undefined = the default branch. */
  readonly revision?: string;
  /** `hf://org/name[@revision]`. */
  readonly uri: string;
}

export type ModelSource = S3ModelSource | HuggingFaceModelSource;

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const HF_PART = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?$/;
const REVISION = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$/;
/** Characters an S3 key prefix may carry here: the "safe" set of the S3 object-key guide plus `/`. */
const PREFIX = /^[A-Za-z0-9!_.*'()/-]+$/;

const FORMS = 's3://bucket/prefix, hf://org/name[@revision] or org/name[@revision]';

/** Problems with one model source value; empty when it parses. */
export function modelSourceIssues(value: string, path = 'modelSource'): Issue[] {
  try {
    parseModelSource(value, path);
    return [];
  } catch (e) {
    if (e instanceof PlanError) return [...e.issues];
    throw e;
  }
}

/**
 * Parse a model source.
 * @throws PlanError at `path` when the scheme is unknown or a part is malformed.
 */
export function parseModelSource(value: string, path = 'modelSource'): ModelSource {
  const fail = (why: string): never => {
    throw PlanError.single(path, `${JSON.stringify(value)} ${why}; expected ${FORMS}`);
  };
  const trimmed = value.trim();
  if (trimmed === '') fail('is empty');

  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === 's3') return parseS3(trimmed.slice('s3://'.length), fail);
  if (scheme === 'hf') return parseHf(trimmed.slice('hf://'.length), fail);
  if (scheme !== undefined) return fail(`has the unsupported scheme "${scheme}://"`);
  return parseHf(trimmed, fail);
}

function parseS3(rest: string, fail: (why: string) => never): S3ModelSource {
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = (slash < 0 ? '' : rest.slice(slash + 1)).replace(/^\/+|\/+$/g, '');
  if (!BUCKET.test(bucket) || bucket.includes('..')) fail(`has an invalid bucket name "${bucket}"`);
  if (prefix !== '' && (!PREFIX.test(prefix) || prefix.split('/').some((p) => p === '' || p === '.' || p === '..'))) {
    fail(`has an unsupported key prefix "${prefix}" (letters, digits, ! _ . * ' ( ) - and single slashes)`);
  }
  return { kind: 's3', bucket, prefix, uri: `s3://${bucket}/${prefix === '' ? '' : `${prefix}/`}` };
}

function parseHf(rest: string, fail: (why: string) => never): HuggingFaceModelSource {
  const at = rest.indexOf('@');
  const repoId = at < 0 ? rest : rest.slice(0, at);
  const revision = at < 0 ? undefined : rest.slice(at + 1);
  const parts = repoId.split('/');
  if (parts.length !== 2 || !parts.every((p) => HF_PART.test(p))) fail('is not a Hugging Face repository id of the form org/name');
  if (revision !== undefined && !REVISION.test(revision)) fail(`has an invalid revision "${revision}"`);
  return { kind: 'huggingface', repoId, ...(revision ? { revision } : {}), uri: `hf://${repoId}${revision ? `@${revision}` : ''}` };
}
