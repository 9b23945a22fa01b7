/**
 * Pulumi `DeepSeekAzureInferenceCluster`: a DeepSeek model served on Azure ND-series VMs behind an
 * internal Standard Load Balancer, sized by the planner. Every decision comes from `azureBlueprint`
 * (lib/deploy/azure), the same data the cdktf adapter maps; this file only translates it into
 * @pulumi/azure-native resources (one import per resource module), all children of the component.
 *
 * The boot script holds no deploy-time ids (vault URI and addresses are fixed by the blueprint), so
 * the blueprint is computed once, when the program runs.
 */
import * as pulumi from '@pulumi/pulumi';
import * as authorization from '@pulumi/azure-native/authorization';
import * as compute from '@pulumi/azure-native/compute';
import * as keyvault from '@pulumi/azure-native/keyvault';
import * as managedidentity from '@pulumi/azure-native/managedidentity';
import * as monitor from '@pulumi/azure-native/monitor';
import * as network from '@pulumi/azure-native/network';
import * as operationalinsights from '@pulumi/azure-native/operationalinsights';
import type { Plan } from '../../../lib/plan/types';
import { AZURE_ADMIN_USERNAME, planAzure, type AzureBlueprint, type AzureClusterInputs } from '../../../lib/deploy/azure';
import { inputError } from '../errors';

/** Pulumi type token of the component. */
export const AZURE_COMPONENT_TYPE = 'deepseek-iac:index:DeepSeekAzureInferenceCluster';

/** Arguments of {@link DeepSeekAzureInferenceCluster}: plain values only (the plan is made when the program runs). */
export type DeepSeekAzureInferenceClusterArgs = AzureClusterInputs;

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
 * new DeepSeekAzureInferenceCluster('r1', { model: 'deepseek-r1', gpus: ['mi300x'], resourceGroupName: 'rg', location: 'eastus',
 *   allowedCidrs: ['10.0.0.0/8'], adminSshPublicKey: 'ssh-ed25519 AAAA…' });
 * ```
 */
export class DeepSeekAzureInferenceCluster extends pulumi.ComponentResource {
  readonly plan: Plan;
  /** Every Azure decision (shared with the cdktf adapter). */
  readonly blueprint: AzureBlueprint;
  readonly endpoint: AzureClusterEndpoint;
  readonly virtualNetwork: network.VirtualNetwork;
  readonly subnet: network.Subnet;
  readonly networkSecurityGroup: network.NetworkSecurityGroup;
  readonly loadBalancer: network.LoadBalancer;
  readonly identity: managedidentity.UserAssignedIdentity;
  readonly keyVault: keyvault.Vault;
  readonly workspace: operationalinsights.Workspace;
  /** One VM per rank (index = rank). */
  readonly virtualMachines: readonly compute.VirtualMachine[];
  /** The data disk of each rank. */
  readonly dataDisks: readonly compute.Disk[];
  /** USD per hour with two decimals, or `unpriced`. */
  readonly hourlyCostUsd: string;
  /** The Azure Monitor alert rules (log alerts, then the load balancer metric alert). */
  readonly alertRules: readonly (monitor.ScheduledQueryRule | monitor.MetricAlert)[];

  constructor(name: string, args: DeepSeekAzureInferenceClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super(AZURE_COMPONENT_TYPE, name, {}, opts);
    const parent = { parent: this };
    const result = planAzure(args, args.clusterName ?? name);
    if ('issues' in result) throw inputError(name, result.issues, 'DeepSeekAzureInferenceCluster');
    const { plan, blueprint: bp } = result;
    this.plan = plan;
    this.blueprint = bp;
    for (const n of [...plan.notices, ...bp.warnings]) pulumi.log.warn(`${n.code}: ${n.message}`, this);
    const rg = args.resourceGroupName;
    const where = { resourceGroupName: rg, location: args.location };
    const tags = { ...bp.tags };
    const n = bp.clusterName;
    const client = authorization.getClientConfigOutput(parent);
    const subscription = client.subscriptionId;

    // 1. Network: NSG (rules from the blueprint), NAT gateway, VNet and its private subnet.
    const net = bp.network;
    this.networkSecurityGroup = new network.NetworkSecurityGroup(`${name}-nsg`, {
      ...where, networkSecurityGroupName: `${n}-nsg`, tags,
      securityRules: net.nsgRules.map((r) => ({
        name: r.name, priority: r.priority, direction: r.direction, access: r.access, protocol: r.protocol, description: r.description,
        sourcePortRange: r.sourcePortRange, destinationPortRange: r.destinationPortRange, destinationAddressPrefix: r.destinationAddressPrefix,
        ...(r.sourceAddressPrefixes.length === 1 ? { sourceAddressPrefix: r.sourceAddressPrefixes[0] } : { sourceAddressPrefixes: [...r.sourceAddressPrefixes] }),
      })),
    }, parent);
    const natIp = new network.PublicIPAddress(`${name}-nat-ip`, { ...where, publicIpAddressName: `${n}-nat-ip`, sku: { name: 'Standard' }, publicIPAllocationMethod: 'Static', tags }, parent);
    const nat = new network.NatGateway(`${name}-nat`, {
      ...where, natGatewayName: `${n}-nat`, sku: { name: 'Standard' }, idleTimeoutInMinutes: net.natGateway.idleTimeoutMinutes, publicIpAddresses: [{ id: natIp.id }], tags,
    }, parent);
    this.virtualNetwork = new network.VirtualNetwork(`${name}-vnet`, { ...where, virtualNetworkName: `${n}-vnet`, addressSpace: { addressPrefixes: [net.addresses.vnetCidr] }, tags }, parent);
    this.subnet = new network.Subnet(`${name}-subnet`, {
      resourceGroupName: rg, virtualNetworkName: this.virtualNetwork.name, subnetName: 'nodes', addressPrefix: net.addresses.subnetCidr,
      serviceEndpoints: net.subnetServiceEndpoints.map((service) => ({ service })), defaultOutboundAccess: false,
      networkSecurityGroup: { id: this.networkSecurityGroup.id }, natGateway: { id: nat.id },
    }, parent);

    // 2. Internal Standard load balancer (sub-resources are inline; their ids follow the ARM pattern).
    const lb = bp.loadBalancer;
    const lbName = `${n}-lb`;
    const lbId = pulumi.interpolate`/subscriptions/${subscription}/resourceGroups/${rg}/providers/Microsoft.Network/loadBalancers/${lbName}`;
    const poolId = pulumi.interpolate`${lbId}/backendAddressPools/engine`;
    this.loadBalancer = new network.LoadBalancer(`${name}-lb`, {
      ...where, loadBalancerName: lbName, sku: { name: lb.sku }, tags,
      frontendIPConfigurations: [{ name: 'api', subnet: { id: this.subnet.id }, privateIPAllocationMethod: 'Static', privateIPAddress: lb.frontendPrivateIp }],
      backendAddressPools: [{ name: 'engine' }],
      probes: [{ name: 'engine-health', protocol: lb.probe.protocol, port: lb.probe.port, requestPath: lb.probe.requestPath, intervalInSeconds: lb.probe.intervalSeconds, numberOfProbes: lb.probe.numberOfProbes }],
      loadBalancingRules: [{
        name: 'api', protocol: lb.rule.protocol, frontendPort: lb.rule.frontendPort, backendPort: lb.rule.backendPort,
        frontendIPConfiguration: { id: pulumi.interpolate`${lbId}/frontendIPConfigurations/api` }, backendAddressPool: { id: poolId },
        probe: { id: pulumi.interpolate`${lbId}/probes/engine-health` }, idleTimeoutInMinutes: lb.rule.idleTimeoutMinutes, disableOutboundSnat: lb.rule.disableOutboundSnat,
      }],
    }, parent);

    // 3. Identity and Key Vault: RBAC vault reachable from the subnet, one role assignment on it.
    this.identity = new managedidentity.UserAssignedIdentity(`${name}-identity`, { ...where, resourceName: bp.identity.name, tags }, parent);
    const kv = bp.keyVault;
    this.keyVault = new keyvault.Vault(`${name}-kv`, {
      ...where, vaultName: kv.name, tags,
      properties: {
        tenantId: client.tenantId, sku: { family: 'A', name: kv.skuName }, enableRbacAuthorization: kv.enableRbacAuthorization,
        enablePurgeProtection: kv.purgeProtectionEnabled, softDeleteRetentionInDays: kv.softDeleteRetentionDays,
        networkAcls: { defaultAction: kv.networkAcls.defaultAction, bypass: kv.networkAcls.bypass, ipRules: kv.networkAcls.ipRules.map((value) => ({ value })), virtualNetworkRules: [{ id: this.subnet.id }] },
      },
    }, parent);
    const roleAssignments = bp.identity.roleAssignments.map((ra, i) => new authorization.RoleAssignment(`${name}-role${i}`, {
      scope: this.keyVault.id, principalId: this.identity.principalId, principalType: 'ServicePrincipal', description: ra.reason,
      roleDefinitionId: pulumi.interpolate`/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/${ra.roleDefinitionId}`,
    }, parent));

    // 4. Logs: workspace and a data collection rule for the VMs' syslog.
    const mon = bp.monitoring;
    this.workspace = new operationalinsights.Workspace(`${name}-logs`, { ...where, workspaceName: `${n}-logs`, sku: { name: mon.workspace.sku }, retentionInDays: mon.workspace.retentionInDays, tags }, parent);
    const dcr = new monitor.DataCollectionRule(`${name}-dcr`, {
      ...where, dataCollectionRuleName: `${n}-syslog`, tags,
      destinations: { logAnalytics: [{ name: mon.dataCollectionRule.destinationName, workspaceResourceId: this.workspace.id }] },
      dataFlows: [{ streams: [mon.dataCollectionRule.stream], destinations: [mon.dataCollectionRule.destinationName] }],
      dataSources: { syslog: mon.dataCollectionRule.syslog.map((s) => ({ name: s.name, facilityNames: [...s.facilityNames], logLevels: [...s.logLevels], streams: [mon.dataCollectionRule.stream] })) },
    }, parent);

    // 5. Placement: multi-node VMs in one availability set (the InfiniBand group) inside a proximity placement group.
    const ppg = bp.placement.proximityPlacementGroup
      ? new compute.ProximityPlacementGroup(`${name}-ppg`, { ...where, proximityPlacementGroupName: `${n}-ppg`, tags }, parent)
      : undefined;
    const avset = bp.placement.availabilitySet
      ? new compute.AvailabilitySet(`${name}-avset`, {
          ...where, availabilitySetName: `${n}-avset`, sku: { name: 'Aligned' }, tags,
          platformFaultDomainCount: bp.placement.availabilitySet.platformFaultDomainCount,
          platformUpdateDomainCount: bp.placement.availabilitySet.platformUpdateDomainCount,
          ...(ppg ? { proximityPlacementGroup: { id: ppg.id } } : {}),
        }, parent)
      : undefined;

    // 6. One VM per rank: static NIC address, data disk at its LUN, boot script as custom data, the identity.
    const img = bp.osImage.reference;
    this.dataDisks = bp.vms.map((vm) => new compute.Disk(`${name}-data${vm.rank}`, {
      ...where, diskName: `${vm.name}-data`, sku: { name: bp.dataDisk.storageAccountType }, creationData: { createOption: 'Empty' }, diskSizeGB: bp.dataDisk.sizeGiB, tags: { ...vm.tags },
    }, parent));
    this.virtualMachines = bp.vms.map((vm) => {
      const nic = new network.NetworkInterface(`${name}-nic${vm.rank}`, {
        ...where, networkInterfaceName: `${vm.name}-nic`, enableAcceleratedNetworking: true, tags: { ...vm.tags },
        ipConfigurations: [{
          name: 'primary', primary: true, subnet: { id: this.subnet.id }, privateIPAllocationMethod: 'Static', privateIPAddress: vm.privateIp,
          ...(vm.servesTraffic ? { loadBalancerBackendAddressPools: [{ id: poolId }] } : {}),
        }],
      }, { parent: this, dependsOn: [this.loadBalancer] });
      const machine = new compute.VirtualMachine(`${name}-vm${vm.rank}`, {
        ...where, vmName: vm.name, tags: { ...vm.tags },
        hardwareProfile: { vmSize: bp.vmSize },
        osProfile: {
          computerName: vm.name, adminUsername: AZURE_ADMIN_USERNAME, customData: Buffer.from(vm.customData, 'utf8').toString('base64'),
          linuxConfiguration: { disablePasswordAuthentication: true, ssh: { publicKeys: [{ path: `/home/${AZURE_ADMIN_USERNAME}/.ssh/authorized_keys`, keyData: args.adminSshPublicKey }] } },
        },
        storageProfile: {
          imageReference: img ? { publisher: img.publisher, offer: img.offer, sku: img.sku, version: img.version } : { id: bp.osImage.imageId! },
          osDisk: { createOption: 'FromImage', caching: bp.osDisk.caching, diskSizeGB: bp.osDisk.sizeGiB, managedDisk: { storageAccountType: bp.osDisk.storageAccountType } },
          dataDisks: [{ lun: bp.dataDisk.lun, createOption: 'Attach', caching: bp.dataDisk.caching, managedDisk: { id: this.dataDisks[vm.rank].id } }],
        },
        networkProfile: { networkInterfaces: [{ id: nic.id, primary: true }] },
        identity: { type: 'UserAssigned', userAssignedIdentities: [this.identity.id] },
        // bp.secureBoot is false: no securityProfile, so the API (2024-11-01) creates a Standard VM without UEFI Secure Boot.
        ...(avset ? { availabilitySet: { id: avset.id } } : {}),
        ...(ppg ? { proximityPlacementGroup: { id: ppg.id } } : {}),
      }, { parent: this, dependsOn: roleAssignments });
      const agent = new compute.VirtualMachineExtension(`${name}-agent${vm.rank}`, {
        ...where, vmName: machine.name, vmExtensionName: 'AzureMonitorLinuxAgent', publisher: mon.agent.publisher, type: mon.agent.type,
        typeHandlerVersion: mon.agent.typeHandlerVersion, autoUpgradeMinorVersion: true, enableAutomaticUpgrade: true, tags: { ...vm.tags },
        settings: { authentication: { managedIdentity: { 'identifier-name': 'mi_res_id', 'identifier-value': this.identity.id } } },
      }, parent);
      new monitor.DataCollectionRuleAssociation(`${name}-dcra${vm.rank}`, {
        associationName: `${vm.name}-syslog`, resourceUri: machine.id, dataCollectionRuleId: dcr.id,
      }, { parent: this, dependsOn: [agent] });
      return machine;
    });

    // 7. Alerts: an optional e-mail action group, log alerts on the workspace, a metric alert on the load balancer.
    const al = bp.alerts;
    const actionGroup = al.actionGroup ? new monitor.ActionGroup(`${name}-alerts`, {
      resourceGroupName: rg, actionGroupName: `${n}-alerts`, location: 'Global', enabled: true, groupShortName: al.actionGroup.shortName, tags,
      emailReceivers: al.actionGroup.emails.map((emailAddress, i) => ({ name: `email${i}`, emailAddress, useCommonAlertSchema: true })),
    }, parent) : undefined;
    this.alertRules = [
      ...al.logAlerts.map((a) => new monitor.ScheduledQueryRule(`${name}-alert-${a.name}`, {
        ...where, ruleName: `${n}-${a.name}`, kind: 'LogAlert', description: a.description, severity: a.severity, enabled: true,
        scopes: [this.workspace.id], evaluationFrequency: a.evaluationFrequency, windowSize: a.windowSize, tags,
        criteria: { allOf: [{ query: a.query, timeAggregation: a.timeAggregation, operator: a.operator, threshold: a.threshold }] },
        ...(actionGroup ? { actions: { actionGroups: [actionGroup.id] } } : {}),
      }, parent)),
      ...al.metricAlerts.map((a) => new monitor.MetricAlert(`${name}-alert-${a.name}`, {
        resourceGroupName: rg, ruleName: `${n}-${a.name}`, location: 'global', description: a.description, severity: a.severity, enabled: true,
        scopes: [this.loadBalancer.id], evaluationFrequency: a.evaluationFrequency, windowSize: a.windowSize, tags,
        criteria: {
          odataType: 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria',
          allOf: [{ criterionType: 'StaticThresholdCriterion', name: a.metricName, metricNamespace: a.metricNamespace, metricName: a.metricName, timeAggregation: a.aggregation, operator: a.operator, threshold: a.threshold }],
        },
        ...(actionGroup ? { actions: [{ actionGroupId: actionGroup.id }] } : {}),
      }, parent)),
    ];

    // 8. Self-repair: a custom role (read + redeploy) on each VM, for the cluster identity only.
    const rgScope = pulumi.interpolate`/subscriptions/${subscription}/resourceGroups/${rg}`;
    const repairRole = new authorization.RoleDefinition(`${name}-redeploy-role`, {
      roleDefinitionId: bp.repair.role.id, roleName: bp.repair.role.name, description: bp.repair.role.description, roleType: 'CustomRole',
      scope: rgScope, assignableScopes: [rgScope], permissions: [{ actions: [...bp.repair.role.actions] }],
    }, parent);
    this.virtualMachines.forEach((vm, rank) => new authorization.RoleAssignment(`${name}-redeploy${rank}`, {
      scope: vm.id, principalId: this.identity.principalId, principalType: 'ServicePrincipal', description: bp.repair.reason,
      roleDefinitionId: repairRole.id,
    }, parent));

    this.hourlyCostUsd = bp.cost.hourlyUsd !== undefined ? bp.cost.hourlyUsd.toFixed(2) : 'unpriced';
    this.endpoint = { privateIp: lb.frontendPrivateIp, port: lb.port, url: `${bp.front.scheme}://${lb.frontendPrivateIp}:${lb.port}/v1` };
    this.registerOutputs({ url: this.endpoint.url, summary: bp.summary, hourlyCostUsd: this.hourlyCostUsd, keyVault: kv.name });
  }
}
