/**
 * References: values only an adapter knows (the ARN of a secret it creates, its partition, a bucket
 * name Terraform generates), written into the layout as opaque markers. The layout
 * is decided once, before any resource exists; each adapter then replaces every marker with its own
 * way of referring to that value (a cdktf token string, a Pulumi Output, a CDK token) when it maps
 * a layout string onto a resource argument. Nothing in lib/ ever sees a real id.
 */
import { TOKEN_VALUE_MAX_BYTES } from './user-data';

/** Every value an adapter refers to by reference, with the longest it can be at deploy time (bytes). */
export const REF_MAX_BYTES = {
  partition: 16,
  region: 32,
  accountId: 12,
  'clusterKey.arn': 128,
  'apiKeySecret.arn': TOKEN_VALUE_MAX_BYTES.secretArn,
  'huggingFaceTokenSecret.arn': TOKEN_VALUE_MAX_BYTES.secretArn,
  'engineLogGroup.arn': 256,
  'systemLogGroup.arn': 256,
  'modelStore.bucketName': TOKEN_VALUE_MAX_BYTES.bucketName,
  'modelStore.arn': 128,
  certificateArn: 128,
} as const;

/** Name of one adapter-owned value. */
export type RefName = keyof typeof REF_MAX_BYTES;

/**
 * How references are written:
 * - `token` (`${Ref[name]}`): like a CDK or cdktf token, so the boot script quotes it as it quotes
 *   tokens; for adapters that substitute their own token strings (cdktf, CDK).
 * - `word` (`@Ref:name@`): a shell-safe word, so the boot script holds the value bare as it would
 *   hold the value itself; for adapters that substitute the final values (Pulumi), which must then
 *   be shell-safe words too (ARNs and bucket names are; the adapter checks).
 */
export type ReferenceStyle = 'token' | 'word';

const REF_RE = /\$\{Ref\[([A-Za-z.]+)\]\}|@Ref:([A-Za-z.]+)@/g;
/** A Terraform or CDK token string (`${Token[…]}`, `${TfToken[…]}`), an adapter's own reference. */
const ADAPTER_TOKEN = /\$\{(?:Tf)?Token\[[^\]]*\]\}/;

/** The marker the layout writes for `name`. */
export function ref(name: RefName, style: ReferenceStyle = 'token'): string {
  return style === 'word' ? `@Ref:${name}@` : `\${Ref[${name}]}`;
}

/** A literal part or a reference, in the order they appear in a layout string. */
export type RefPiece = string | { readonly ref: RefName };

/** `text` split into its literal parts and references (one literal piece when it holds none). */
export function refPieces(text: string): RefPiece[] {
  const pieces: RefPiece[] = [];
  let last = 0;
  for (const m of text.matchAll(REF_RE)) {
    if (m.index > last) pieces.push(text.slice(last, m.index));
    pieces.push({ ref: refName(m[1] ?? m[2]!) });
    last = m.index + m[0].length;
  }
  if (last < text.length || pieces.length === 0) pieces.push(text.slice(last));
  return pieces;
}

/** The distinct references in `text`. */
export function refsIn(text: string): RefName[] {
  return [...new Set([...text.matchAll(REF_RE)].map((m) => refName(m[1] ?? m[2]!)))];
}

/** `text` with every reference replaced by `lookup(name)` (adapters whose references are strings: cdktf, CDK). */
export function substituteRefs(text: string, lookup: (name: RefName) => string): string {
  return text.replace(REF_RE, (_, token: string | undefined, word: string | undefined) => lookup(refName(token ?? word!)));
}

/** Whether `value` is, or holds, a value resolved only at deploy time (a reference or an adapter token). */
export function isDeployTime(value: string): boolean {
  return ADAPTER_TOKEN.test(value) || refsIn(value).length > 0;
}

/**
 * Bytes of `text` once every deploy-time value among `values` (references or adapter tokens) has
 * expanded to its longest: each occurrence adds `maxBytes - its length now` (never less than 0).
 */
export function bytesAfterExpansion(text: string, values: readonly { readonly value: string; readonly maxBytes: number }[]): { readonly bytes: number; readonly tokens: number; readonly expandedBytes: number } {
  const bytes = Buffer.byteLength(text, 'utf8');
  let tokens = 0;
  let expandedBytes = bytes;
  for (const v of new Map(values.map((x) => [x.value, x])).values()) {
    if (!isDeployTime(v.value)) continue;
    const occurrences = text.split(v.value).length - 1;
    tokens += occurrences;
    expandedBytes += occurrences * Math.max(0, v.maxBytes - Buffer.byteLength(v.value, 'utf8'));
  }
  return { bytes, tokens, expandedBytes };
}

function refName(name: string): RefName {
  if (!(name in REF_MAX_BYTES)) throw new Error(`unknown layout reference ${name}`);
  return name as RefName;
}

/**
 * `value` (a layout or any part of it) with every string's references replaced by `lookup(name)`:
 * the layout as an adapter whose references are strings (cdktf, CDK) presents it, or as a Pulumi
 * adapter presents it once its Outputs have resolved.
 */
export function resolveRefsDeep<T>(value: T, lookup: (name: RefName) => string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return substituteRefs(v, lookup);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** Every reference anywhere in `value`. */
export function refsInDeep(value: unknown): RefName[] {
  const found = new Set<RefName>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') for (const r of refsIn(v)) found.add(r);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return [...found];
}
