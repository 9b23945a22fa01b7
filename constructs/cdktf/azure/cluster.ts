/**
 * cdktf `DeepSeekAzureInferenceCluster`: a DeepSeek model served on Azure ND-series VMs behind an
 * internal Standard Load Balancer, sized by the planner. Every decision comes from `azureBlueprint`
 * (lib/deploy/azure), the same data the Pulumi adapter maps; this file only translates it into
 * Terraform azurerm resources (@cdktf/provider-azurerm 14.x = azurerm 4.x), one import per resource.
 *
 * The boot script holds no references (vault URI and addresses are known at synthesis), so custom
 * data is plain base64 in the JSON.
 */
import { Annotations } from 'cdktf';
import { Construct } from 'constructs';
import { AvailabilitySet } from '@cdktf/provider-azurerm/lib/availability-set';
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { Lb } from '@cdktf/provider-azurerm/lib/lb';
import { LbBackendAddressPool } from '@cdktf/provider-azurerm/lib/lb-backend-address-pool';
import { LbProbe } from '@cdktf/provider-azurerm/lib/lb-probe';
import { LbRule } from '@cdktf/provider-azurerm/lib/lb-rule';
import { LinuxVirtualMachine } from '@cdktf/provider-azurerm/lib/linux-virtual-machine';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { ManagedDisk } from '@cdktf/provider-azurerm/lib/managed-disk';
import { MonitorActionGroup } from '@cdktf/provider-azurerm/lib/monitor-action-group';
import { MonitorMetricAlert } from '@cdktf/provider-azurerm/lib/monitor-metric-alert';
import { MonitorScheduledQueryRulesAlertV2 } from '@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2';
import { MonitorDataCollectionRule } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule';
import { MonitorDataCollectionRuleAssociation } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule-association';
import { NatGateway } from '@cdktf/provider-azurerm/lib/nat-gateway';
import { NatGatewayPublicIpAssociation } from '@cdktf/provider-azurerm/lib/nat-gateway-public-ip-association';
import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { NetworkInterfaceBackendAddressPoolAssociation } from '@cdktf/provider-azurerm/lib/network-interface-backend-address-pool-association';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { ProximityPlacementGroup } from '@cdktf/provider-azurerm/lib/proximity-placement-group';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { RoleDefinition } from '@cdktf/provider-azurerm/lib/role-definition';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNatGatewayAssociation } from '@cdktf/provider-azurerm/lib/subnet-nat-gateway-association';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { VirtualMachineDataDiskAttachment } from '@cdktf/provider-azurerm/lib/virtual-machine-data-disk-attachment';
import { VirtualMachineExtension } from '@cdktf/provider-azurerm/lib/virtual-machine-extension';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import type { Plan } from '../../../lib/plan/types';
import { AZURE_ADMIN_USERNAME, planAzure, type AzureBlueprint, type AzureClusterInputs } from '../../../lib/deploy/azure';
import { DeepSeekInferenceClusterError } from '../../../lib/deploy/cluster-error';

/** Props of {@link DeepSeekAzureInferenceCluster}: plain values only (the plan is made at synthesis). */
export type DeepSeekAzureInferenceClusterProps = AzureClusterInputs;

/** The API endpoint: the internal load balancer's private address. */
export interface AzureClusterEndpoint {
  readonly privateIp: string;
  readonly port: number;
  /** `http(s)://<ip>:<port>/v1` (OpenAI-compatible base URL, inside the VNet or peered networks; https with a certificate). */
  readonly url: string;
}

/**
 * A DeepSeek model served on Azure GPU VMs.
 *
 * ```ts
 * new DeepSeekAzureInferenceCluster(stack, 'R1', { model: 'deepseek-r1', gpus: ['mi300x'], resourceGroupName: 'rg', location: 'eastus',
 *   allowedCidrs: ['10.0.0.0/8'], adminSshPublicKey: 'ssh-ed25519 AAAA…' });
 * ```
 */
export class DeepSeekAzureInferenceCluster extends Construct {
  /** The planner's output. */
  readonly plan: Plan;
  /** Every Azure decision (shared with the Pulumi adapter). */
  readonly blueprint: AzureBlueprint;
  readonly endpoint: AzureClusterEndpoint;
  readonly virtualNetwork: VirtualNetwork;
  readonly subnet: Subnet;
  readonly networkSecurityGroup: NetworkSecurityGroup;
  readonly loadBalancer: Lb;
  readonly identity: UserAssignedIdentity;
  readonly keyVault: KeyVault;
  readonly workspace: LogAnalyticsWorkspace;
  /** One VM per rank (index = rank). */
  readonly virtualMachines: readonly LinuxVirtualMachine[];
  /** The data disk of each rank. */
  readonly dataDisks: readonly ManagedDisk[];
  /** USD per hour with two decimals, or `unpriced`. */
  readonly hourlyCostUsd: string;
  /** The Azure Monitor alert rules (log alerts, then the load balancer metric alert). */
  readonly alertRules: readonly (MonitorScheduledQueryRulesAlertV2 | MonitorMetricAlert)[];

  constructor(scope: Construct, id: string, props: DeepSeekAzureInferenceClusterProps) {
    super(scope, id);
    const result = planAzure(props, props.clusterName ?? id.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 40));
    if ('issues' in result) throw new DeepSeekInferenceClusterError(this.node.path, result.issues, 'DeepSeekAzureInferenceCluster');
    const { plan, blueprint: bp } = result;
    this.plan = plan;
    this.blueprint = bp;
    for (const n of [...plan.notices, ...bp.warnings]) Annotations.of(this).addWarning(`${n.code}: ${n.message}`);
    const where = { resourceGroupName: props.resourceGroupName, location: props.location };
    const tags = { ...bp.tags };
    const n = bp.clusterName;
    const client = new DataAzurermClientConfig(this, 'Client');

    // 1. Network: VNet, private subnet (no default outbound access), NSG from the blueprint, NAT for egress.
    const net = bp.network;
    this.virtualNetwork = new VirtualNetwork(this, 'Vnet', { ...where, name: `${n}-vnet`, addressSpace: [net.addresses.vnetCidr], tags });
    this.subnet = new Subnet(this, 'Subnet', {
      name: 'nodes', resourceGroupName: props.resourceGroupName, virtualNetworkName: this.virtualNetwork.name,
      addressPrefixes: [net.addresses.subnetCidr], serviceEndpoints: [...net.subnetServiceEndpoints], defaultOutboundAccessEnabled: false,
    });
    this.networkSecurityGroup = new NetworkSecurityGroup(this, 'Nsg', { ...where, name: `${n}-nsg`, tags });
    for (const r of net.nsgRules) {
      new NetworkSecurityRule(this, `Rule-${r.name}`, {
        name: r.name, resourceGroupName: props.resourceGroupName, networkSecurityGroupName: this.networkSecurityGroup.name,
        priority: r.priority, direction: r.direction, access: r.access, protocol: r.protocol, description: r.description,
        sourcePortRange: r.sourcePortRange, destinationPortRange: r.destinationPortRange, destinationAddressPrefix: r.destinationAddressPrefix,
        // The provider takes service tags and '*' only as a single prefix.
        ...(r.sourceAddressPrefixes.length === 1 ? { sourceAddressPrefix: r.sourceAddressPrefixes[0] } : { sourceAddressPrefixes: [...r.sourceAddressPrefixes] }),
      });
    }
    new SubnetNetworkSecurityGroupAssociation(this, 'SubnetNsg', { subnetId: this.subnet.id, networkSecurityGroupId: this.networkSecurityGroup.id });
    const natIp = new PublicIp(this, 'NatIp', { ...where, name: `${n}-nat-ip`, allocationMethod: 'Static', sku: 'Standard', tags });
    const nat = new NatGateway(this, 'Nat', { ...where, name: `${n}-nat`, skuName: 'Standard', idleTimeoutInMinutes: net.natGateway.idleTimeoutMinutes, tags });
    new NatGatewayPublicIpAssociation(this, 'NatIpAssociation', { natGatewayId: nat.id, publicIpAddressId: natIp.id });
    new SubnetNatGatewayAssociation(this, 'SubnetNat', { subnetId: this.subnet.id, natGatewayId: nat.id });

    // 2. Internal Standard load balancer: static frontend in the subnet, HTTP probe, one TCP rule.
    const lb = bp.loadBalancer;
    this.loadBalancer = new Lb(this, 'Lb', {
      ...where, name: `${n}-lb`, sku: lb.sku, tags,
      frontendIpConfiguration: [{ name: 'api', subnetId: this.subnet.id, privateIpAddressAllocation: 'Static', privateIpAddress: lb.frontendPrivateIp }],
    });
    const pool = new LbBackendAddressPool(this, 'LbPool', { name: 'engine', loadbalancerId: this.loadBalancer.id });
    const probe = new LbProbe(this, 'LbProbe', {
      name: 'engine-health', loadbalancerId: this.loadBalancer.id, protocol: lb.probe.protocol, port: lb.probe.port,
      requestPath: lb.probe.requestPath, intervalInSeconds: lb.probe.intervalSeconds, numberOfProbes: lb.probe.numberOfProbes,
    });
    new LbRule(this, 'LbRule', {
      name: 'api', loadbalancerId: this.loadBalancer.id, protocol: lb.rule.protocol, frontendPort: lb.rule.frontendPort, backendPort: lb.rule.backendPort,
      frontendIpConfigurationName: 'api', backendAddressPoolIds: [pool.id], probeId: probe.id,
      idleTimeoutInMinutes: lb.rule.idleTimeoutMinutes, disableOutboundSnat: lb.rule.disableOutboundSnat,
    });

    // 3. Identity and Key Vault: RBAC vault reachable from the subnet, one role assignment on it.
    this.identity = new UserAssignedIdentity(this, 'Identity', { ...where, name: bp.identity.name, tags });
    const kv = bp.keyVault;
    this.keyVault = new KeyVault(this, 'KeyVault', {
      ...where, name: kv.name, tenantId: client.tenantId, skuName: kv.skuName, rbacAuthorizationEnabled: kv.enableRbacAuthorization,
      purgeProtectionEnabled: kv.purgeProtectionEnabled, softDeleteRetentionDays: kv.softDeleteRetentionDays, tags,
      networkAcls: { defaultAction: kv.networkAcls.defaultAction, bypass: kv.networkAcls.bypass, ipRules: [...kv.networkAcls.ipRules], virtualNetworkSubnetIds: [this.subnet.id] },
    });
    const roleAssignments = bp.identity.roleAssignments.map((ra, i) => new RoleAssignment(this, `Role${i}`, {
      scope: this.keyVault.id, principalId: this.identity.principalId, principalType: 'ServicePrincipal', description: ra.reason,
      roleDefinitionId: `/subscriptions/${client.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${ra.roleDefinitionId}`,
    }));

    // 4. Logs: workspace and a data collection rule for the VMs' syslog.
    const mon = bp.monitoring;
    this.workspace = new LogAnalyticsWorkspace(this, 'Logs', { ...where, name: `${n}-logs`, sku: mon.workspace.sku, retentionInDays: mon.workspace.retentionInDays, tags });
    const dcr = new MonitorDataCollectionRule(this, 'Dcr', {
      ...where, name: `${n}-syslog`, tags,
      destinations: { logAnalytics: [{ name: mon.dataCollectionRule.destinationName, workspaceResourceId: this.workspace.id }] },
      dataFlow: [{ streams: [mon.dataCollectionRule.stream], destinations: [mon.dataCollectionRule.destinationName] }],
      dataSources: { syslog: mon.dataCollectionRule.syslog.map((s) => ({ name: s.name, facilityNames: [...s.facilityNames], logLevels: [...s.logLevels], streams: [mon.dataCollectionRule.stream] })) },
    });

    // 5. Placement: multi-node VMs in one availability set (the InfiniBand group) inside a proximity placement group.
    let availabilitySet: AvailabilitySet | undefined;
    let ppg: ProximityPlacementGroup | undefined;
    if (bp.placement.proximityPlacementGroup) ppg = new ProximityPlacementGroup(this, 'Ppg', { ...where, name: `${n}-ppg`, tags });
    if (bp.placement.availabilitySet) {
      availabilitySet = new AvailabilitySet(this, 'AvailabilitySet', {
        ...where, name: `${n}-avset`, managed: true, tags,
        platformFaultDomainCount: bp.placement.availabilitySet.platformFaultDomainCount,
        platformUpdateDomainCount: bp.placement.availabilitySet.platformUpdateDomainCount,
        ...(ppg ? { proximityPlacementGroupId: ppg.id } : {}),
      });
    }

    // 6. One VM per rank: static NIC address, data disk at its LUN, boot script as custom data, the identity.
    const img = bp.osImage.reference;
    this.dataDisks = bp.vms.map((vm) => new ManagedDisk(this, `DataDisk${vm.rank}`, {
      ...where, name: `${vm.name}-data`, storageAccountType: bp.dataDisk.storageAccountType, createOption: 'Empty', diskSizeGb: bp.dataDisk.sizeGiB, tags: { ...vm.tags },
    }));
    this.virtualMachines = bp.vms.map((vm) => {
      const nic = new NetworkInterface(this, `Nic${vm.rank}`, {
        ...where, name: `${vm.name}-nic`, acceleratedNetworkingEnabled: true, tags: { ...vm.tags },
        ipConfiguration: [{ name: 'primary', subnetId: this.subnet.id, privateIpAddressAllocation: 'Static', privateIpAddress: vm.privateIp }],
      });
      if (vm.servesTraffic) {
        new NetworkInterfaceBackendAddressPoolAssociation(this, `Pool${vm.rank}`, { networkInterfaceId: nic.id, ipConfigurationName: 'primary', backendAddressPoolId: pool.id });
      }
      const machine = new LinuxVirtualMachine(this, `Vm${vm.rank}`, {
        ...where, name: vm.name, size: bp.vmSize, adminUsername: AZURE_ADMIN_USERNAME, disablePasswordAuthentication: true,
        adminSshKey: [{ username: AZURE_ADMIN_USERNAME, publicKey: props.adminSshPublicKey }],
        networkInterfaceIds: [nic.id],
        osDisk: { caching: bp.osDisk.caching, storageAccountType: bp.osDisk.storageAccountType, diskSizeGb: bp.osDisk.sizeGiB },
        ...(img ? { sourceImageReference: { publisher: img.publisher, offer: img.offer, sku: img.sku, version: img.version } } : { sourceImageId: bp.osImage.imageId! }),
        secureBootEnabled: bp.secureBoot, vtpmEnabled: bp.secureBoot,
        customData: Buffer.from(vm.customData, 'utf8').toString('base64'),
        identity: { type: 'UserAssigned', identityIds: [this.identity.id] },
        ...(availabilitySet ? { availabilitySetId: availabilitySet.id } : {}),
        ...(ppg ? { proximityPlacementGroupId: ppg.id } : {}),
        tags: { ...vm.tags },
        // The boot reads the key once the engine starts; the role must exist before the first boot.
        dependsOn: roleAssignments,
      });
      new VirtualMachineDataDiskAttachment(this, `DataDiskAttachment${vm.rank}`, {
        managedDiskId: this.dataDisks[vm.rank].id, virtualMachineId: machine.id, lun: bp.dataDisk.lun, caching: bp.dataDisk.caching,
      });
      const agent = new VirtualMachineExtension(this, `MonitorAgent${vm.rank}`, {
        name: 'AzureMonitorLinuxAgent', virtualMachineId: machine.id, publisher: mon.agent.publisher, type: mon.agent.type,
        typeHandlerVersion: mon.agent.typeHandlerVersion, autoUpgradeMinorVersion: true, automaticUpgradeEnabled: true, tags: { ...vm.tags },
        settings: JSON.stringify({ authentication: { managedIdentity: { 'identifier-name': 'mi_res_id', 'identifier-value': this.identity.id } } }),
      });
      new MonitorDataCollectionRuleAssociation(this, `DcrAssociation${vm.rank}`, {
        name: `${vm.name}-syslog`, targetResourceId: machine.id, dataCollectionRuleId: dcr.id, dependsOn: [agent],
      });
      return machine;
    });

    // 7. Alerts: an optional e-mail action group, log alerts on the workspace, a metric alert on the load balancer.
    const al = bp.alerts;
    const actionGroup = al.actionGroup ? new MonitorActionGroup(this, 'AlertActions', {
      name: `${n}-alerts`, resourceGroupName: props.resourceGroupName, shortName: al.actionGroup.shortName, tags,
      emailReceiver: al.actionGroup.emails.map((emailAddress, i) => ({ name: `email${i}`, emailAddress, useCommonAlertSchema: true })),
    }) : undefined;
    this.alertRules = [
      ...al.logAlerts.map((a) => new MonitorScheduledQueryRulesAlertV2(this, `Alert-${a.name}`, {
        ...where, name: `${n}-${a.name}`, description: a.description, severity: a.severity, scopes: [this.workspace.id],
        evaluationFrequency: a.evaluationFrequency, windowDuration: a.windowSize, tags,
        criteria: [{ query: a.query, timeAggregationMethod: a.timeAggregation, operator: a.operator, threshold: a.threshold }],
        ...(actionGroup ? { action: { actionGroups: [actionGroup.id] } } : {}),
      })),
      ...al.metricAlerts.map((a) => new MonitorMetricAlert(this, `Alert-${a.name}`, {
        name: `${n}-${a.name}`, resourceGroupName: props.resourceGroupName, description: a.description, severity: a.severity, scopes: [this.loadBalancer.id],
        frequency: a.evaluationFrequency, windowSize: a.windowSize, tags,
        criteria: [{ metricNamespace: a.metricNamespace, metricName: a.metricName, aggregation: a.aggregation, operator: a.operator, threshold: a.threshold }],
        ...(actionGroup ? { action: [{ actionGroupId: actionGroup.id }] } : {}),
      })),
    ];

    // 8. Self-repair: a custom role (read + redeploy) on each VM, for the cluster identity only.
    const rgScope = `/subscriptions/${client.subscriptionId}/resourceGroups/${props.resourceGroupName}`;
    const repairRole = new RoleDefinition(this, 'RedeployRole', {
      name: bp.repair.role.name, roleDefinitionId: bp.repair.role.id, description: bp.repair.role.description, scope: rgScope,
      assignableScopes: [rgScope], permissions: [{ actions: [...bp.repair.role.actions] }],
    });
    this.virtualMachines.forEach((vm, rank) => new RoleAssignment(this, `RedeployRole${rank}`, {
      scope: vm.id, principalId: this.identity.principalId, principalType: 'ServicePrincipal', description: bp.repair.reason,
      roleDefinitionId: repairRole.roleDefinitionResourceId,
    }));

    this.hourlyCostUsd = bp.cost.hourlyUsd !== undefined ? bp.cost.hourlyUsd.toFixed(2) : 'unpriced';
    this.endpoint = { privateIp: lb.frontendPrivateIp, port: lb.port, url: `${bp.front.scheme}://${lb.frontendPrivateIp}:${lb.port}/v1` };
  }
}
