/** Read the resources a Pulumi Azure cluster registered with the mocks into `ObservedAzureCluster`. */
import { sortNsg, type ObservedAzureCluster } from './observed';
import type { RecordedResource } from './pulumi-mocks';

type Props = Record<string, any>;
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function observePulumi(resources: readonly RecordedResource[]): ObservedAzureCluster {
  const of = (type: string): RecordedResource[] => resources.filter((r) => r.type === `azure-native:${type}`);
  const one = (type: string): RecordedResource => {
    const r = of(type);
    if (r.length !== 1) throw new Error(`expected one ${type}, found ${r.length}`);
    return r[0];
  };
  const byId = (type: string): Map<string, Props> => new Map(of(type).map((r) => [`${r.name}-id`, r.inputs]));
  const nics = byId('network:NetworkInterface');
  const disks = byId('compute:Disk');
  const vault = one('keyvault:Vault');
  const identity = one('managedidentity:UserAssignedIdentity');
  const lb = one('network:LoadBalancer').inputs;
  const frontend = lb.frontendIPConfigurations[0];
  const probe = lb.probes[0];
  const rule = lb.loadBalancingRules[0];
  const nsg = one('network:NetworkSecurityGroup').inputs;

  return {
    vms: of('compute:VirtualMachine').map(({ inputs: vm }) => {
      const nic = nics.get(vm.networkProfile.networkInterfaces[0].id)!;
      const ip = nic.ipConfigurations[0];
      const dd = vm.storageProfile.dataDisks[0];
      const disk = disks.get(dd.managedDisk.id)!;
      const img = vm.storageProfile.imageReference;
      return {
        rank: Number(vm.tags['deepseek-iac:rank']),
        vmSize: vm.hardwareProfile.vmSize,
        privateIp: ip.privateIPAddress,
        image: img.id !== undefined ? String(img.id) : `${img.publisher}:${img.offer}:${img.sku}:${img.version}`,
        osDiskGiB: vm.storageProfile.osDisk.diskSizeGB,
        dataDisk: { lun: dd.lun, sizeGiB: disk.diskSizeGB, caching: dd.caching, storageAccountType: disk.sku.name },
        identities: list(vm.identity?.userAssignedIdentities).length,
        inBackendPool: list(ip.loadBalancerBackendAddressPools).length > 0,
        inAvailabilitySet: vm.availabilitySet !== undefined,
        inProximityPlacementGroup: vm.proximityPlacementGroup !== undefined,
        acceleratedNetworking: nic.enableAcceleratedNetworking === true,
        secureBoot: vm.securityProfile?.uefiSettings?.secureBootEnabled === true,
        tags: { ...vm.tags },
        customData: Buffer.from(vm.osProfile.customData, 'base64').toString('utf8'),
      };
    }).sort((a, b) => a.rank - b.rank),
    nsgRules: sortNsg(list<Props>(nsg.securityRules).map((r) => ({
      name: r.name, priority: r.priority, direction: r.direction, access: r.access, protocol: r.protocol,
      sources: r.sourceAddressPrefix !== undefined ? [r.sourceAddressPrefix] : list<string>(r.sourceAddressPrefixes),
      destinationPortRange: r.destinationPortRange,
    }))),
    loadBalancer: {
      sku: lb.sku.name,
      internal: frontend.publicIPAddress === undefined && frontend.subnet !== undefined && frontend.privateIPAddress !== undefined,
      frontendPrivateIp: frontend.privateIPAddress,
      probe: { protocol: probe.protocol, port: probe.port, path: probe.requestPath },
      rule: { protocol: rule.protocol, frontendPort: rule.frontendPort, backendPort: rule.backendPort },
    },
    repairRole: (() => {
      const role = one('authorization:RoleDefinition');
      const held = of('authorization:RoleAssignment').map((r) => r.inputs).filter((r) => r.roleDefinitionId === `${role.name}-id`);
      const vmIds = new Set(of('compute:VirtualMachine').map((v) => `${v.name}-id`));
      return {
        actions: [...role.inputs.permissions[0].actions].sort(),
        assignedOnVms: new Set(held.map((r) => r.scope).filter((s) => vmIds.has(s))).size,
        vms: vmIds.size,
        principalIsClusterIdentity: held.every((r) => r.principalId === `${identity.name}-principal`),
      };
    })(),
    roleAssignments: of('authorization:RoleAssignment').filter(({ inputs: r }) => r.roleDefinitionId !== `${one('authorization:RoleDefinition').name}-id`).map(({ inputs: r }) => ({
      roleDefinitionGuid: String(r.roleDefinitionId).split('/').pop()!,
      scope: r.scope === `${vault.name}-id` ? 'keyVault' : 'other',
      principalIsClusterIdentity: r.principalId === `${identity.name}-principal`,
    })),
    keyVault: {
      rbac: vault.inputs.properties.enableRbacAuthorization === true, purgeProtection: vault.inputs.properties.enablePurgeProtection === true,
      defaultAction: vault.inputs.properties.networkAcls.defaultAction, subnetRule: list(vault.inputs.properties.networkAcls.virtualNetworkRules).length === 1,
    },
    keyVaultSecrets: of('keyvault:Secret').length,
    natGateway: of('network:Subnet')[0]?.inputs.natGateway !== undefined,
    alerts: {
      logAlerts: of('monitor:ScheduledQueryRule').map(({ inputs: a }) => {
        const c = a.criteria.allOf[0];
        return {
          name: String(a.ruleName), severity: a.severity, query: c.query, windowSize: a.windowSize, threshold: c.threshold,
          onWorkspace: a.scopes[0] === `${one('operationalinsights:Workspace').name}-id`, notifies: list(a.actions?.actionGroups).length === 1,
        };
      }).sort((a, b) => a.name.localeCompare(b.name)),
      metricAlerts: of('monitor:MetricAlert').map(({ inputs: a }) => {
        const c = a.criteria.allOf[0];
        return {
          name: String(a.ruleName), metricName: c.metricName, operator: c.operator, threshold: c.threshold,
          onLoadBalancer: a.scopes[0] === `${one('network:LoadBalancer').name}-id`, notifies: list(a.actions).length === 1,
        };
      }),
      actionGroupEmails: of('monitor:ActionGroup').flatMap(({ inputs: g }) => list<Props>(g.emailReceivers).map((r) => r.emailAddress as string)),
    },
    syslogFacilities: list<Props>(one('monitor:DataCollectionRule').inputs.dataSources.syslog).flatMap((s) => s.facilityNames as string[]).sort(),
    monitorAgents: of('compute:VirtualMachineExtension').filter((e) => e.inputs.type === 'AzureMonitorLinuxAgent').length,
  };
}
