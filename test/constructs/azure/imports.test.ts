/**
 * The Azure adapters load only Azure bindings, one resource module at a time (the package roots
 * cost seconds and hundreds of MB to load), and the AWS adapters never load Azure bindings.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const importsOf = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.ts'))
  .flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]));

test.each([
  ['constructs/cdktf/azure', /^@cdktf\/provider-azurerm\/lib\/[a-z0-9-]+$/, /^@cdktf\/provider-aws|^@cdktf\/provider-azurerm$/],
  ['constructs/pulumi/azure', /^@pulumi\/azure-native\/[a-z]+$/, /^@pulumi\/aws|^@pulumi\/azure-native$/],
])('%s imports Azure bindings per resource module only', (dir, perModule, forbidden) => {
  const imports = importsOf(join(ROOT, dir));
  expect(imports.filter((i) => forbidden.test(i))).toEqual([]);
  const bindings = imports.filter((i) => i.startsWith('@cdktf/provider-') || (i.startsWith('@pulumi/') && i !== '@pulumi/pulumi'));
  expect(bindings.length).toBeGreaterThan(0);
  expect(bindings.filter((i) => !perModule.test(i))).toEqual([]);
});

test.each(['constructs/cdktf', 'constructs/pulumi', 'constructs/cdk'])('%s (AWS) never imports Azure bindings', (dir) => {
  expect(importsOf(join(ROOT, dir)).filter((i) => /azure/.test(i))).toEqual([]);
});
