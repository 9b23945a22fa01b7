/**
 * The boot-script fragments (lib/deploy/boot/README.md) and what the AWS and Azure renderers share:
 * the per-node variables header and the fragments' text as rendered.
 *
 * The fragments are real shell files (`*.sh` in this folder, checked by shellcheck on their own and
 * as part of every rendered script); scripts/boot-assets.ts compiles them into assets.generated.ts,
 * so rendering reads no file and the published package needs no extra asset files. A fragment holds
 * no per-node value: everything that differs between nodes is a `readonly` variable of the header.
 */
import { shellQuote } from '../../serving/container';
import { BOOT_ASSETS, type BootAssetName } from './assets.generated';

export type { BootAssetName } from './assets.generated';

/** The Python run in the engine image to download a Hugging Face snapshot: repo, revision ('' = default), target dir (hf-download.sh). */
export const HF_DOWNLOAD_PY = [
  'import sys',
  'from huggingface_hub import snapshot_download',
  'snapshot_download(repo_id=sys.argv[1], revision=sys.argv[2] or None, local_dir=sys.argv[3], max_workers=16)',
].join('\n');

/**
 * A fragment as rendered: full-line comments are dropped (they stay in the .sh file), leading
 * indentation and blank lines removed, because EC2 caps user data at 16 KB and a multi-node rank's
 * script is close to it; shellcheck directives and the `# ---- section ----` markers (which readers
 * of the script and test/conformance/observed.ts rely on) stay. Indentation carries no meaning in
 * the fragments: their heredocs (unit files) are written flush left.
 */
export function stripComments(text: string): string {
  return text.split('\n').filter((l) => !/^\s*#(?! shellcheck | ---- )/.test(l)).map((l) => l.replace(/^[ \t]+/, '')).filter((l) => l !== '').join('\n');
}

const STRIPPED = new Map<BootAssetName, string>();

/**
 * The fragments joined in the order given (the main fragment, with the dispatch, last): stripped
 * for EC2's 16 KB limit, or as written (`keepComments`, for Azure's 64 KB custom data, where the
 * comments help whoever reads the script on the VM).
 */
export function bootFragments(names: readonly BootAssetName[], options: { readonly keepComments?: boolean } = {}): string {
  if (options.keepComments) return names.map((n) => BOOT_ASSETS[n].trimEnd()).join('\n\n');
  return names.map((n) => {
    let s = STRIPPED.get(n);
    if (s === undefined) {
      s = stripComments(BOOT_ASSETS[n]);
      STRIPPED.set(n, s);
    }
    return s;
  }).join('\n');
}

/**
 * A header variable: its name and value, or a bash array (`readonly NAME=(…)`) of words; `literal`
 * marks a value whose `${…}` / `$name` text is meant literally (nginx variables, the node variables
 * run-engine substitutes): when it holds a `$` it gets a shellcheck directive (SC2016: no expansion
 * in single quotes).
 */
export type HeaderVariable = readonly [name: string, value: string | readonly string[], literal?: 'literal'];

const NAME = /^[A-Z][A-Z0-9_]*$/;

/**
 * The per-node header: one `readonly NAME=value` line per variable, every value shell-quoted
 * (`shellQuote`: a safe word stays bare, anything else is single-quoted), arrays one word per line
 * when `arraysOnePerLine` (else on one line, for EC2's 16 KB). Names are checked (upper-case shell identifiers, each once)
 * and values may not hold NUL, which bash cannot store: a violation is a bug in the renderer, so it throws.
 */
export function variablesHeader(vars: readonly HeaderVariable[], options: { readonly arraysOnePerLine?: boolean } = {}): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const [name, value, literal] of vars) {
    if (!NAME.test(name)) throw new Error(`boot header: variable name ${JSON.stringify(name)} is not an upper-case shell identifier`);
    if (seen.has(name)) throw new Error(`boot header: variable ${name} given twice`);
    seen.add(name);
    const words = typeof value === 'string' ? [value] : value;
    if (words.some((w) => w.includes('\0'))) throw new Error(`boot header: ${name} holds a NUL byte`);
    if (literal && words.some((w) => w.includes('$'))) lines.push('# shellcheck disable=SC2016');
    if (typeof value === 'string') lines.push(`readonly ${name}=${shellQuote(value)}`);
    else if (value.length === 0) lines.push(`readonly ${name}=()`);
    else if (options.arraysOnePerLine) lines.push(`readonly ${name}=(`, ...value.map((w) => `  ${shellQuote(w)}`), ')');
    else lines.push(`readonly ${name}=(${value.map(shellQuote).join(' ')})`);
  }
  return lines.join('\n');
}
