/**
 * The Azure conformance table (scenarios.ts) through the cdktf adapter (`Testing.synthScope`, azurerm)
 * and the Pulumi adapter (mocks, azure-native): both must build the same VMs (size, count, address,
 * image, disks, identity, placement), NSG rules, load balancer, role assignment, vault and boot
 * scripts, and each must meet the plan: VM size and count, a data disk of at least 500 GiB that holds
 * the checkpoint, no inbound rule that admits the Internet to the API port, an internal load
 * balancer, the API key only in Key Vault, a boot script that starts the plan's engine command and
 * checks the GPU count. The scripts equal the blueprint's, which test/deploy/azure/boot-script.test.ts
 * runs through shellcheck. Each scenario is synthesized once per adapter.
 */
import * as pulumi from '@pulumi/pulumi';
import { Testing } from 'cdktf';
import { DeepSeekAzureInferenceCluster as CdktfCluster } from '../../constructs/cdktf/azure';
import { DeepSeekAzureInferenceCluster as PulumiCluster } from '../../constructs/pulumi/azure';
import { INTERNET_SOURCES, KEY_VAULT_SECRETS_USER, type AzureBlueprint } from '../../lib/deploy/azure';
import { behindFront, engineRun, planArgv } from '../conformance/observed';
import { AZURE_SCENARIOS } from './scenarios';
import { observeCdktf } from './observe-cdktf';
import { observePulumi } from './observe-pulumi';
import { runPulumi } from './pulumi-mocks';
import type { ObservedAzureCluster } from './observed';

const GiB = 2 ** 30;

describe.each(AZURE_SCENARIOS.map((s) => [s.id, s] as const))('%s', (_id, scenario) => {
  let bp: AzureBlueprint;
  const observed: Record<'cdktf' | 'pulumi', ObservedAzureCluster> = {} as never;

  beforeAll(async () => {
    // Warnings are asserted in test/constructs/azure; here they are noise.
    jest.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve());
    let cdktf: CdktfCluster | undefined;
    const out = Testing.synthScope((scope) => {
      cdktf = new CdktfCluster(scope, 'Cluster', scenario.inputs);
    });
    observed.cdktf = observeCdktf(out);
    bp = cdktf!.blueprint;
    const resources = await runPulumi(() => {
      new PulumiCluster('cluster', scenario.inputs);
    });
    observed.pulumi = observePulumi(resources);
  });

  test('cdktf and Pulumi build the same cluster', () => {
    expect(observed.pulumi).toEqual(observed.cdktf);
  });

  describe.each(['cdktf', 'pulumi'] as const)('%s', (adapter) => {
    const o = (): ObservedAzureCluster => observed[adapter];

    test(`${scenario.expectNodes} × ${scenario.expectVmSize} (${scenario.why}), the plan's size and count`, () => {
      expect(o().vms.map((v) => v.vmSize)).toEqual(Array(scenario.expectNodes).fill(scenario.expectVmSize));
      expect(bp.plan.topology.instanceType).toBe(scenario.expectVmSize);
      expect(bp.plan.topology.nodes).toBe(scenario.expectNodes);
      expect(o().vms.map((v) => v.privateIp)).toEqual(bp.network.addresses.nodeIps);
    });

    test('data disk ≥ 500 GiB and holds the checkpoint', () => {
      for (const vm of o().vms) {
        expect(vm.dataDisk.sizeGiB).toBeGreaterThanOrEqual(500);
        expect(vm.dataDisk.sizeGiB * GiB).toBeGreaterThanOrEqual(bp.plan.storage.checkpointBytes);
        expect(vm.dataDisk).toEqual({ lun: 0, sizeGiB: bp.plan.storage.volumeGiB, caching: 'None', storageAccountType: 'Premium_LRS' });
      }
    });

    test('no inbound rule admits the Internet to the API port; everything else is denied', () => {
      const port = String(bp.plan.serving.port);
      const open = o().nsgRules.filter((r) => r.direction === 'Inbound' && r.access === 'Allow' && (r.destinationPortRange === port || r.destinationPortRange === '*')
        && r.sources.some((s) => INTERNET_SOURCES.includes(s)));
      expect(open).toEqual([]);
      expect(o().nsgRules.find((r) => r.destinationPortRange === port && r.access === 'Allow' && r.name === 'api-from-allowed-peers')?.sources).toEqual(scenario.inputs.allowedCidrs);
      expect(o().nsgRules.at(-1)).toMatchObject({ access: 'Deny', sources: ['*'], destinationPortRange: '*', priority: 4096 });
      expect(o().natGateway).toBe(true);
    });

    test('internal Standard load balancer probing the API front, only the serving rank in its pool', () => {
      expect(o().loadBalancer).toEqual({
        sku: 'Standard', internal: true, frontendPrivateIp: bp.network.addresses.loadBalancerIp,
        probe: { protocol: scenario.inputs.tlsCertificateSecretName ? 'Https' : 'Http', port: bp.plan.serving.port, path: bp.plan.serving.healthPath },
        rule: { protocol: 'Tcp', frontendPort: bp.plan.serving.port, backendPort: bp.plan.serving.port },
      });
      expect(o().vms.map((v) => v.inBackendPool)).toEqual(o().vms.map((v) => v.rank === 0));
    });

    test('the key lives in Key Vault: one identity per VM, Key Vault Secrets User on the vault only, no secret value in the IaC', () => {
      expect(o().roleAssignments).toEqual([{ roleDefinitionGuid: KEY_VAULT_SECRETS_USER.roleDefinitionId, scope: 'keyVault', principalIsClusterIdentity: true }]);
      expect(o().keyVault).toEqual({ rbac: true, purgeProtection: true, defaultAction: 'Deny', subnetRule: true });
      expect(o().keyVaultSecrets).toBe(0);
      // Self-repair: read + redeploy, on every VM of the cluster and nothing else, for the cluster identity.
      expect(o().repairRole).toEqual({
        actions: ['Microsoft.Compute/virtualMachines/read', 'Microsoft.Compute/virtualMachines/redeploy/action'],
        assignedOnVms: scenario.expectNodes, vms: scenario.expectNodes, principalIsClusterIdentity: true,
      });
      for (const vm of o().vms) expect(vm.identities).toBe(1);
    });

    test('boot script: the plan\'s engine command per rank, the GPU check, the key read at start and never rendered', () => {
      for (const vm of o().vms) {
        expect(vm.customData).toBe(bp.vms[vm.rank].customData);
        const run = engineRun(vm.customData);
        expect(run.argv).toEqual(vm.rank === 0 ? behindFront(planArgv(bp.plan, vm.rank), bp.plan.serving.port) : planArgv(bp.plan, vm.rank));
        expect(run.image).toBe(bp.plan.serving.image);
        expect(vm.customData).toContain(`readonly EXPECTED_GPUS=${bp.plan.topology.gpusPerNode}`);
        expect(vm.customData).toMatch(/\n {2}check_gpus\n/);
        expect(vm.customData).toContain(`readonly KEY_VAULT_URI=${bp.keyVault.uri}`);
        // A rendered key would be an assignment of the engine's key variable to a literal.
        expect(vm.customData).not.toMatch(new RegExp(`${bp.plan.serving.apiKeyEnv}=[A-Za-z0-9]`));
      }
    });

    test('image, placement, monitoring and tags', () => {
      const image = scenario.expectImage;
      for (const vm of o().vms) {
        expect(vm.image).toBe(image);
        expect(vm.inAvailabilitySet).toBe(scenario.expectNodes > 1);
        expect(vm.inProximityPlacementGroup).toBe(scenario.expectNodes > 1);
        expect(vm.acceleratedNetworking).toBe(true);
        expect(vm.secureBoot).toBe(false);
        expect(vm.tags).toMatchObject({ 'deepseek-iac:cluster': bp.clusterName, 'deepseek-iac:model': bp.plan.model.id, ...scenario.inputs.costAllocationTags });
      }
      expect(o().syslogFacilities).toEqual(['daemon', 'kern', 'local0', 'local1']);
      expect(o().monitorAgents).toBe(scenario.expectNodes);
    });

    test('API front on the serving rank: the plan\'s port, the engine one port up on loopback, TLS when a certificate is named', () => {
      const port = bp.plan.serving.port;
      for (const vm of o().vms) {
        const run = engineRun(vm.customData);
        if (vm.rank !== 0) {
          expect(run.front).toBeUndefined();
          continue;
        }
        expect(run.front?.image).toMatch(/^nginx:[\d.]+-alpine@sha256:[0-9a-f]{64}$/);
        expect(run.front?.upstream).toBe(`127.0.0.1:${port + 1}`);
        const tls = scenario.inputs.tlsCertificateSecretName;
        expect(vm.customData).toContain(tls ? `listen ${port} ssl;` : `listen ${port};`);
        expect(vm.customData).toContain(`readonly TLS_CERT_SECRET=${tls ?? "''"}`);
        expect(vm.customData).toContain(`readonly HEALTH_SCHEME=${tls ? 'https' : 'http'}`);
      }
      expect(bp.warnings.some((w) => w.code === 'DSIAC-AZ2')).toBe(scenario.inputs.tlsCertificateSecretName === undefined);
    });

    test('alerts: silent node, missing GPU, unhealthy engine on the workspace; probe status on the load balancer; e-mail when given', () => {
      const n = bp.clusterName;
      const notifies = (scenario.inputs.alertEmails ?? []).length > 0;
      expect(o().alerts.logAlerts.map((a) => [a.name, a.onWorkspace, a.notifies])).toEqual(
        ['engine-unhealthy', 'gpu-missing', 'node-silent'].map((a) => [`${n}-${a}`, true, notifies]),
      );
      const query = (name: string): string => o().alerts.logAlerts.find((a) => a.name === `${n}-${name}`)!.query;
      // The silent-node query names every VM; the GPU alert reads the health timer's and the boot's lines.
      for (const vm of o().vms) expect(query('node-silent')).toContain(`"${bp.vms[vm.rank].name}"`);
      expect(query('gpu-missing')).toContain('"GPU missing"');
      expect(query('gpu-missing')).toContain('"boot failed"');
      expect(o().alerts.metricAlerts).toEqual([{ name: `${n}-lb-probe-down`, metricName: 'DipAvailability', operator: 'LessThan', threshold: 50, onLoadBalancer: true, notifies }]);
      expect(o().alerts.actionGroupEmails).toEqual(scenario.inputs.alertEmails ?? []);
    });
  });
});
