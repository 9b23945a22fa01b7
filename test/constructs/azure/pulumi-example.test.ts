/**
 * examples/azure/pulumi/index.ts runs as a Pulumi program against mocks: its `reference` stack config
 * picks a reference stack, and it exports the endpoint, vault and plan. The module creates resources
 * when loaded, so it is required inside the run, after the mocks are installed.
 */
import * as pulumi from '@pulumi/pulumi';
import { runPulumi } from '../../conformance-azure/pulumi-mocks';

test('the Pulumi Azure example builds the reference stack its config names', async () => {
  const warn = jest.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve());
  // Config keys are `<project>:<key>`; the mocks' project is deepseek-iac-azure-test.
  pulumi.runtime.setAllConfig({ 'deepseek-iac-azure-test:reference': 'deepseek-r1-h200' });
  let exported: { apiUrl: string; keyVault: string; plan: string; hourlyCostUsd: string } | undefined;
  const resources = await runPulumi(() => {
    exported = jest.requireActual<{ apiUrl: string; keyVault: string; plan: string; hourlyCostUsd: string }>('../../../examples/azure/pulumi/index');
  });
  expect(resources.filter((r) => r.type === 'azure-native:compute:VirtualMachine').map((r) => r.inputs.hardwareProfile.vmSize)).toEqual(['Standard_ND96isr_H200_v5']);
  // Frontend at host .4 of the default 10.42.0.0/16's first /24; vLLM listens on 8000.
  expect(exported!.apiUrl).toBe('http://10.42.0.4:8000/v1');
  expect(exported!.plan).toMatch(/^deepseek-r1 fp8: 1 × Standard_ND96isr_H200_v5 \(8 × h200/);
  expect(exported!.hourlyCostUsd).toBe('unpriced');
  expect(exported!.keyVault).toMatch(/^kv-r1-h200-[0-9a-f]{8}$/);
  // Warnings carry their stable codes: the H200 size is unpriced (DSIAC-PLAN9), the example gives no certificate (DSIAC-AZ2).
  const messages = warn.mock.calls.map(([m]) => String(m));
  expect(messages.some((m) => m.startsWith('DSIAC-PLAN9: '))).toBe(true);
  expect(messages.some((m) => m.startsWith('DSIAC-AZ2: '))).toBe(true);
});
