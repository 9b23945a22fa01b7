/**
 * bin/azure-app.ts (`npm run synth:azure`) writes both reference stacks as Terraform JSON in cdktf's
 * layout, offline, with a relative local backend (no absolute path of this machine) and the outputs.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnnotationMetadataEntryType } from 'cdktf';
import { buildAzureApp } from '../../../bin/azure-app';

test('synth:azure writes cdktf.out/stacks/<name>/cdk.tf.json for both reference stacks', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'deepseek-iac-azure-'));
  try {
    buildAzureApp(outdir, { AZURE_LOCATION: 'westus3', AZURE_RESOURCE_GROUP: 'rg-x' });
    for (const [name, size] of [['deepseek-r1-mi300x', 'Standard_ND96isr_MI300X_v5'], ['deepseek-r1-h200', 'Standard_ND96isr_H200_v5']]) {
      const file = join(outdir, 'stacks', name, 'cdk.tf.json');
      expect(existsSync(file)).toBe(true);
      const text = readFileSync(file, 'utf8');
      const json = JSON.parse(text);
      expect(json.terraform.backend).toEqual({ local: { path: 'terraform.tfstate' } });
      expect(json.provider.azurerm).toEqual([{ features: [{}] }]);
      expect(Object.keys(json.output).sort()).toEqual(['api_url', 'hourly_cost_usd', 'key_vault', 'plan']);
      expect(Object.values<any>(json.resource.azurerm_linux_virtual_machine).map((vm) => [vm.size, vm.location, vm.resource_group_name])).toEqual([[size, 'westus3', 'rg-x']]);
      expect(text).not.toContain(outdir);
      expect(text).not.toContain(process.cwd());
    }
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});

test('TLS_CERT_SECRET and ALERT_EMAIL reach the stacks: HTTPS probe and an e-mail action group', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'deepseek-iac-azure-'));
  try {
    buildAzureApp(outdir, { TLS_CERT_SECRET: 'api-tls', ALERT_EMAIL: 'oncall@example.com' });
    const json = JSON.parse(readFileSync(join(outdir, 'stacks', 'deepseek-r1-h200', 'cdk.tf.json'), 'utf8'));
    expect(Object.values<any>(json.resource.azurerm_lb_probe).map((p) => p.protocol)).toEqual(['Https']);
    expect(Object.values<any>(json.resource.azurerm_monitor_action_group).map((g) => g.email_receiver.map((r: any) => r.email_address))).toEqual([['oncall@example.com']]);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});

test('warnings carry their stable codes: the H200 stack is unpriced (DSIAC-PLAN9) and served without TLS (DSIAC-AZ2)', () => {
  const app = buildAzureApp('unused', {}, false);
  const warnings = app.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => [c.node.path, String(m.data)] as const));
  const h200 = warnings.filter(([path]) => path.startsWith('deepseek-r1-h200/')).map(([, w]) => w);
  expect(h200.some((w) => w.startsWith('DSIAC-PLAN9: '))).toBe(true);
  expect(h200.some((w) => w.startsWith('DSIAC-AZ2: '))).toBe(true);
  // Every warning names a code first.
  expect(warnings.every(([, w]) => /^DSIAC-[A-Z]+\d+: /.test(w))).toBe(true);
});
