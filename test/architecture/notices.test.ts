/**
 * The notice registry (lib/notices.ts) is the one place codes are defined: each code once, in its layer's
 * scheme, listed in README.md "Notice codes" with the same severity and meaning, produced somewhere in lib/,
 * and no code used anywhere that the registry does not define. The CDK adapters annotate with the code,
 * never with an id computed from the message.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { NOTICE_DEFINITIONS, NOTICES, notice, type NoticeLayer } from '../../lib/notices';

const ROOT = join(__dirname, '..', '..');
const REGISTRY = join(ROOT, 'lib', 'notices.ts');
const CODE_RE = /DSIAC-[A-Z]+\d+/g;
const PREFIX: Record<NoticeLayer, string> = { plan: 'PLAN', serving: 'SRV', aws: 'AWS', eks: 'EKS', azure: 'AZ' };

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every .ts file under `dir`, and at least one: a scan that sees nothing proves nothing. */
function tsFiles(dir: string): string[] {
  const out = walk(dir);
  if (out.length === 0) throw new Error(`no TypeScript under ${relative(ROOT, dir)}: the scan would prove nothing`);
  return out;
}

/** README.md "Notice codes": its table rows as [code, severity, meaning]. */
function readmeRows(): string[][] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split('\n### Notice codes\n')[1]?.split('\n### ')[0];
  if (section === undefined) throw new Error('README.md has no "### Notice codes" section');
  return section.split('\n').filter((l) => /^\| `DSIAC-/.test(l)).map((l) => l.slice(1, -1).split(' | ').map((c) => c.trim().replace(/^`|`$/g, '')));
}

describe('the notice registry', () => {
  const codes = NOTICE_DEFINITIONS.map((d) => d.code);

  test('no code is defined twice', () => {
    const seen = new Set<string>();
    const twice = codes.filter((c) => (seen.has(c) ? true : (seen.add(c), false)));
    expect(twice).toEqual([]);
    // And the lookup holds every definition.
    expect(Object.keys(NOTICES)).toHaveLength(codes.length);
  });

  test('each code is DSIAC-<its layer\'s prefix><n>, numbered upwards within its layer', () => {
    for (const d of NOTICE_DEFINITIONS) expect(d.code).toMatch(new RegExp(`^DSIAC-${PREFIX[d.layer]}[1-9]\\d*$`));
    for (const layer of Object.keys(PREFIX) as NoticeLayer[]) {
      const numbers = NOTICE_DEFINITIONS.filter((d) => d.layer === layer).map((d) => Number(d.code.replace(/^DSIAC-[A-Z]+/, '')));
      expect(numbers.length).toBeGreaterThan(0);
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    }
  });

  test('each definition has a one-line meaning', () => {
    for (const d of NOTICE_DEFINITIONS) {
      expect(d.description).not.toMatch(/[\n|]/);
      expect(d.description.length).toBeGreaterThan(20);
    }
  });

  test('README.md lists every code with the registry\'s severity and meaning, in the registry\'s order, and nothing else', () => {
    expect(readmeRows()).toEqual(NOTICE_DEFINITIONS.map((d) => [d.code, d.severity, d.description]));
  });

  test('every registered code is produced somewhere in lib/', () => {
    const sources = tsFiles(join(ROOT, 'lib')).filter((f) => f !== REGISTRY).map((f) => readFileSync(f, 'utf8')).join('\n');
    const never = codes.filter((c) => !sources.includes(`'${c}'`));
    expect(never).toEqual([]);
  });

  test('no code outside the registry is used in lib/, constructs/, bin/ or the tests', () => {
    const registered = new Set<string>(codes);
    const unknown: string[] = [];
    for (const dir of ['lib', 'constructs', 'bin', 'test']) {
      for (const f of tsFiles(join(ROOT, dir))) {
        if (f === __filename) continue;
        for (const m of readFileSync(f, 'utf8').matchAll(CODE_RE)) if (!registered.has(m[0])) unknown.push(`${relative(ROOT, f)}: ${m[0]}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  test('tsc refuses an unregistered code; at run time notice() throws for one', () => {
    // @ts-expect-error: the code is not a NoticeCode (lib/notices.ts); `tsc --noEmit` fails if this line compiles.
    expect(() => notice('DSIAC-PLAN0', 'a message')).toThrow(/not in lib\/notices\.ts/);
  });

  test('the CDK constructs annotate with the notice\'s code, never with an id made from the message', () => {
    const calls = tsFiles(join(ROOT, 'constructs', 'cdk')).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/addWarningV2\(\s*([^,]+),/g)].map((m) => `${relative(ROOT, f)}: ${m[1]}`));
    expect(calls.length).toBeGreaterThanOrEqual(2); // the EC2 cluster and the EKS construct
    for (const c of calls) expect(c).toMatch(/: \w+\.code$/);
  });
});
