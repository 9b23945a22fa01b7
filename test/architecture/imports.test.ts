import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The layering rule: lib/ imports no IaC framework; an adapter imports lib and its own framework only,
 * never another adapter. Checked on the source text so it also holds for files no test imports.
 */
const ROOT = join(__dirname, '..', '..');
const ADAPTERS = ['cdk', 'cdktf', 'pulumi', 'local'] as const;
const FRAMEWORK_OF: Record<(typeof ADAPTERS)[number], RegExp | null> = {
  cdk: /^(aws-cdk-lib|constructs|cdk-nag)(\/|$)/,
  cdktf: /^(cdktf(\/|$)|@cdktf\/|constructs(\/|$))/,
  pulumi: /^@pulumi\//,
  local: /^yaml$/,
};
const ANY_FRAMEWORK = /^(aws-cdk-lib|constructs|cdk-nag|cdktf|@cdktf\/|@pulumi\/|cdk8s)/;

function tsFiles(dir: string): string[] {
  let out: string[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out = out.concat(tsFiles(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

describe('architecture: who may import what', () => {
  test('lib/ imports no IaC framework', () => {
    const offenders = tsFiles(join(ROOT, 'lib')).flatMap((f) => imports(f).filter((i) => ANY_FRAMEWORK.test(i)).map((i) => `${relative(ROOT, f)} → ${i}`));
    expect(offenders).toEqual([]);
  });

  test.each(ADAPTERS)('constructs/%s imports lib and its own framework only', (adapter) => {
    const offenders: string[] = [];
    for (const f of tsFiles(join(ROOT, 'constructs', adapter))) {
      for (const i of imports(f)) {
        const otherAdapter = ADAPTERS.some((a) => a !== adapter && new RegExp(`(^|/)constructs/${a}(/|$)|^\\.\\./${a}(/|$)`).test(i));
        const foreignFramework = ANY_FRAMEWORK.test(i) && !FRAMEWORK_OF[adapter]?.test(i);
        if (otherAdapter || foreignFramework) offenders.push(`${relative(ROOT, f)} → ${i}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  test('the rule itself catches a violation', () => {
    expect(ANY_FRAMEWORK.test('aws-cdk-lib/aws-ec2')).toBe(true);
    expect(FRAMEWORK_OF.pulumi!.test('aws-cdk-lib')).toBe(false);
  });
});
