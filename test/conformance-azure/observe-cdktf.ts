/** Read a synthesized cdktf Azure cluster (Terraform JSON) into `ObservedAzureCluster`. */
import { sortNsg, type ObservedAzureCluster } from './observed';

type Props = Record<string, any>;
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
/** `${azurerm_x.NAME.attr}` → NAME. */
const refName = (ref: string | undefined, type: string): string | undefined => (ref === undefined ? undefined : new RegExp(`^\\$\\{${type}\\.([^.}]+)\\.[a-z_]+\\}$`).exec(ref)?.[1]);

export function observeCdktf(out: string): ObservedAzureCluster {
  const json = JSON.parse(out) as { resource: Record<string, Record<string, Props>> };
  const all = (type: string): Array<[string, Props]> => Object.entries(json.resource[type] ?? {});
  const one = (type: string): Props => {
    const r = all(type);
    if (r.length !== 1) throw new Error(`expected one ${type}, found ${r.length}`);
    return r[0][1];
  };
  const nics = Object.fromEntries(all('azurerm_network_interface'));
  const disks = Object.fromEntries(all('azurerm_managed_disk'));
  const attachments = all('azurerm_virtual_machine_data_disk_attachment').map(([, a]) => a);
  const pooled = new Set(all('azurerm_network_interface_backend_address_pool_association').map(([, a]) => refName(a.network_interface_id, 'azurerm_network_interface')));
  const [[vaultId, vault]] = all('azurerm_key_vault');
  const [[identityId]] = all('azurerm_user_assigned_identity');
  const lb = one('azurerm_lb');
  const frontend = list<Props>(lb.frontend_ip_configuration)[0];
  const probe = one('azurerm_lb_probe');
  const rule = one('azurerm_lb_rule');

  return {
    vms: all('azurerm_linux_virtual_machine').map(([vmId, vm]) => {
      const nicId = refName(vm.network_interface_ids[0], 'azurerm_network_interface')!;
      const ip = list<Props>(nics[nicId].ip_configuration)[0];
      const att = attachments.find((a) => refName(a.virtual_machine_id, 'azurerm_linux_virtual_machine') === vmId)!;
      const disk = disks[refName(att.managed_disk_id, 'azurerm_managed_disk')!];
      const img = vm.source_image_reference as Props | undefined;
      return {
        rank: Number(vm.tags['deepseek-iac:rank']),
        vmSize: vm.size,
        privateIp: ip.private_ip_address,
        image: img ? `${img.publisher}:${img.offer}:${img.sku}:${img.version}` : String(vm.source_image_id),
        osDiskGiB: vm.os_disk.disk_size_gb,
        dataDisk: { lun: att.lun, sizeGiB: disk.disk_size_gb, caching: att.caching, storageAccountType: disk.storage_account_type },
        identities: list(vm.identity?.identity_ids).length,
        inBackendPool: pooled.has(nicId),
        inAvailabilitySet: vm.availability_set_id !== undefined,
        inProximityPlacementGroup: vm.proximity_placement_group_id !== undefined,
        acceleratedNetworking: nics[nicId].accelerated_networking_enabled === true,
        secureBoot: vm.secure_boot_enabled === true,
        tags: { ...vm.tags },
        customData: Buffer.from(vm.custom_data, 'base64').toString('utf8'),
      };
    }).sort((a, b) => a.rank - b.rank),
    nsgRules: sortNsg(all('azurerm_network_security_rule').map(([, r]) => ({
      name: r.name, priority: r.priority, direction: r.direction, access: r.access, protocol: r.protocol,
      sources: r.source_address_prefix !== undefined ? [r.source_address_prefix] : list<string>(r.source_address_prefixes),
      destinationPortRange: r.destination_port_range,
    }))),
    loadBalancer: {
      sku: lb.sku,
      internal: frontend.public_ip_address_id === undefined && frontend.subnet_id !== undefined && frontend.private_ip_address !== undefined,
      frontendPrivateIp: frontend.private_ip_address,
      probe: { protocol: probe.protocol, port: probe.port, path: probe.request_path },
      rule: { protocol: rule.protocol, frontendPort: rule.frontend_port, backendPort: rule.backend_port },
    },
    repairRole: (() => {
      const [[roleId, role]] = all('azurerm_role_definition');
      const held = all('azurerm_role_assignment').filter(([, r]) => refName(r.role_definition_id, 'azurerm_role_definition') === roleId).map(([, r]) => r);
      const vmIds = new Set(all('azurerm_linux_virtual_machine').map(([id]) => id));
      return {
        actions: [...list<Props>(role.permissions)[0].actions].sort(),
        assignedOnVms: new Set(held.map((r) => refName(r.scope, 'azurerm_linux_virtual_machine')).filter((id) => id !== undefined && vmIds.has(id))).size,
        vms: vmIds.size,
        principalIsClusterIdentity: held.every((r) => refName(r.principal_id, 'azurerm_user_assigned_identity') === identityId),
      };
    })(),
    roleAssignments: all('azurerm_role_assignment').filter(([, r]) => refName(r.role_definition_id, 'azurerm_role_definition') === undefined).map(([, r]) => ({
      roleDefinitionGuid: String(r.role_definition_id).split('/').pop()!,
      scope: refName(r.scope, 'azurerm_key_vault') === vaultId ? 'keyVault' : 'other',
      principalIsClusterIdentity: refName(r.principal_id, 'azurerm_user_assigned_identity') === identityId,
    })),
    keyVault: {
      rbac: vault.rbac_authorization_enabled === true, purgeProtection: vault.purge_protection_enabled === true,
      defaultAction: vault.network_acls.default_action, subnetRule: list(vault.network_acls.virtual_network_subnet_ids).length === 1,
    },
    keyVaultSecrets: all('azurerm_key_vault_secret').length,
    natGateway: all('azurerm_subnet_nat_gateway_association').length === 1,
    alerts: {
      logAlerts: all('azurerm_monitor_scheduled_query_rules_alert_v2').map(([, a]) => {
        const c = list<Props>(a.criteria)[0];
        return {
          name: String(a.name), severity: a.severity, query: c.query, windowSize: a.window_duration, threshold: c.threshold,
          onWorkspace: refName(list<string>(a.scopes)[0], 'azurerm_log_analytics_workspace') !== undefined, notifies: list(a.action?.action_groups).length === 1,
        };
      }).sort((a, b) => a.name.localeCompare(b.name)),
      metricAlerts: all('azurerm_monitor_metric_alert').map(([, a]) => {
        const c = list<Props>(a.criteria)[0];
        return {
          name: String(a.name), metricName: c.metric_name, operator: c.operator, threshold: c.threshold,
          onLoadBalancer: refName(list<string>(a.scopes)[0], 'azurerm_lb') !== undefined, notifies: list(a.action).length === 1,
        };
      }),
      actionGroupEmails: all('azurerm_monitor_action_group').flatMap(([, g]) => list<Props>(g.email_receiver).map((r) => r.email_address as string)),
    },
    syslogFacilities: list<Props>(one('azurerm_monitor_data_collection_rule').data_sources.syslog).flatMap((s) => s.facility_names as string[]).sort(),
    monitorAgents: all('azurerm_virtual_machine_extension').filter(([, e]) => e.type === 'AzureMonitorLinuxAgent').length,
  };
}
