/**
 * The Azure network of a cluster as data: one VNet with one private subnet (no public IPs on the
 * nodes), a NAT gateway for egress, static private addresses for the nodes and the internal load
 * balancer, and the NSG rules on the subnet.
 *
 * NSG rules (Microsoft Learn, network security groups overview and service tags; docs/azure-facts.md §3):
 * - An NSG's default rules include AllowVnetInBound (65000: every VNet address, peered and
 *   gateway-connected networks to every port) and AllowAzureLoadBalancerInBound (65001). The
 *   blueprint therefore ends with an explicit DenyAllInbound at 4096 so that "API port from allowed
 *   peers only" holds inside the VNet too.
 * - The load balancer's health probe comes from 168.63.129.16, the `AzureLoadBalancer` service tag:
 *   admitted to the API port only. An internal Standard load balancer keeps the client's source
 *   address, so the allowed peers are admitted on the nodes' subnet itself.
 * - Multi-node: all traffic between the nodes' own addresses (NCCL/RCCL bootstrap over TCP,
 *   Ray / torch.distributed). InfiniBand RDMA traffic does not cross the NSG (separate fabric).
 * No SSH: operators use Azure Bastion or the serial console, neither of which needs an NSG rule here.
 */
import type { Issue } from '../../types';
import type { Plan } from '../../plan/types';
import { peerIssues, type PeerCidr } from '../network';

/** Service tag of the load balancer's probe source (168.63.129.16). */
export const AZURE_LOAD_BALANCER_TAG = 'AzureLoadBalancer';

/** Sources that admit the whole Internet in an NSG rule. */
export const INTERNET_SOURCES: readonly string[] = ['*', 'Internet', '0.0.0.0/0', '::/0', 'Any'];

/** One NSG rule. Ports are strings as the Azure API takes them (`8000`, `*`). */
export interface NsgRuleSpec {
  readonly name: string;
  readonly priority: number;
  readonly direction: 'Inbound' | 'Outbound';
  readonly access: 'Allow' | 'Deny';
  readonly protocol: 'Tcp' | '*';
  readonly sourceAddressPrefixes: readonly string[];
  readonly sourcePortRange: '*';
  readonly destinationAddressPrefix: string;
  readonly destinationPortRange: string;
  readonly description: string;
}

/** Default address space: a /16 of RFC 1918 space the caller can override. */
export const DEFAULT_VNET_CIDR = '10.42.0.0/16';
/** Prefix length of the nodes' subnet inside the VNet. */
export const NODE_SUBNET_PREFIX = 24;
/** Host offset of the load balancer's frontend inside the subnet (Azure reserves .0–.3 and the broadcast address). */
export const LB_HOST_OFFSET = 4;
/** Host offset of rank 0's NIC; rank r gets `NODE_HOST_OFFSET + r`. */
export const NODE_HOST_OFFSET = 10;

/** The address plan of a cluster. */
export interface AzureAddressPlan {
  readonly vnetCidr: string;
  readonly subnetCidr: string;
  readonly loadBalancerIp: string;
  /** Static private address of each rank (index = rank). */
  readonly nodeIps: readonly string[];
}

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

function toInt(octets: readonly number[]): number {
  return ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
}
function toIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/**
 * The subnet is the first /24 of the VNet; the load balancer and the nodes get fixed hosts in it,
 * so that a worker's boot script knows the head's address without any discovery call.
 * Issues: not an IPv4 CIDR, a VNet smaller than /24, or more nodes than the subnet holds.
 */
export function addressPlan(vnetCidr: string, nodes: number, issues: Issue[], path = 'vnetCidr'): AzureAddressPlan | undefined {
  const m = IPV4_CIDR.exec(vnetCidr);
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const prefix = m ? Number(m[5]) : NaN;
  if (!m || octets.some((o) => o > 255) || prefix > 32) {
    issues.push({ path, message: `${JSON.stringify(vnetCidr)} is not an IPv4 CIDR (e.g. ${DEFAULT_VNET_CIDR})` });
    return undefined;
  }
  if (prefix > NODE_SUBNET_PREFIX) {
    issues.push({ path, message: `${vnetCidr} is smaller than the /${NODE_SUBNET_PREFIX} node subnet; use a prefix of /${NODE_SUBNET_PREFIX} or shorter` });
    return undefined;
  }
  const size = 2 ** (32 - prefix);
  const base = Math.floor(toInt(octets) / size) * size;
  const subnetHosts = 2 ** (32 - NODE_SUBNET_PREFIX);
  if (NODE_HOST_OFFSET + nodes >= subnetHosts - 1) {
    issues.push({ path: 'nodes', message: `${nodes} nodes do not fit the /${NODE_SUBNET_PREFIX} subnet from host .${NODE_HOST_OFFSET}` });
    return undefined;
  }
  return {
    vnetCidr: `${toIp(base)}/${prefix}`,
    subnetCidr: `${toIp(base)}/${NODE_SUBNET_PREFIX}`,
    loadBalancerIp: toIp(base + LB_HOST_OFFSET),
    nodeIps: Array.from({ length: nodes }, (_, r) => toIp(base + NODE_HOST_OFFSET + r)),
  };
}

/**
 * The subnet NSG's inbound rules: the API port from each allowed CIDR and from the probe, all
 * traffic between the nodes for multi-node, and an explicit deny of everything else.
 */
export function azureNsgRules(plan: Plan, allowedCidrs: readonly string[], addresses: AzureAddressPlan): NsgRuleSpec[] {
  const port = String(plan.serving.port);
  const base = { direction: 'Inbound' as const, sourcePortRange: '*' as const };
  const rules: NsgRuleSpec[] = [];
  if (allowedCidrs.length > 0) {
    rules.push({
      ...base, name: 'api-from-allowed-peers', priority: 100, access: 'Allow', protocol: 'Tcp', sourceAddressPrefixes: [...allowedCidrs],
      destinationAddressPrefix: addresses.subnetCidr, destinationPortRange: port, description: `OpenAI API (${plan.engine}) from allowed peers`,
    });
  }
  rules.push({
    ...base, name: 'api-from-load-balancer-probe', priority: 110, access: 'Allow', protocol: 'Tcp', sourceAddressPrefixes: [AZURE_LOAD_BALANCER_TAG],
    destinationAddressPrefix: addresses.subnetCidr, destinationPortRange: port, description: 'Load balancer health probe (168.63.129.16) to the engine port',
  });
  if (plan.topology.nodes > 1) {
    rules.push({
      ...base, name: 'all-between-nodes', priority: 120, access: 'Allow', protocol: '*', sourceAddressPrefixes: addresses.nodeIps.map((ip) => `${ip}/32`),
      destinationAddressPrefix: addresses.subnetCidr, destinationPortRange: '*', description: 'All traffic between cluster nodes (NCCL/RCCL bootstrap, Ray / torch.distributed)',
    });
  }
  rules.push({
    ...base, name: 'deny-all-other-inbound', priority: 4096, access: 'Deny', protocol: '*', sourceAddressPrefixes: ['*'],
    destinationAddressPrefix: '*', destinationPortRange: '*', description: 'Nothing else: overrides the default AllowVnetInBound and AllowAzureLoadBalancerInBound',
  });
  return rules;
}

/** Whether an Allow rule admits the whole Internet to `port`. */
export function admitsInternet(rule: NsgRuleSpec, port: number): boolean {
  if (rule.direction !== 'Inbound' || rule.access !== 'Allow') return false;
  const portMatches = rule.destinationPortRange === '*' || rule.destinationPortRange === String(port)
    || (/^(\d+)-(\d+)$/.test(rule.destinationPortRange) && (([a, b]) => a <= port && port <= b)(rule.destinationPortRange.split('-').map(Number)));
  return portMatches && rule.sourceAddressPrefixes.some((s) => INTERNET_SOURCES.includes(s));
}

/** Allowed CIDRs as peers for the shared public-ingress check (`0.0.0.0/0` is refused unless opted in). */
export function azurePeerIssues(allowedCidrs: readonly string[], allowPublicIngress: boolean, path = 'allowedCidrs'): Issue[] {
  const peers: PeerCidr[] = allowedCidrs.map((c) => (c.includes(':') ? { cidrIpv6: c, label: c } : { cidrIpv4: c, label: c }));
  return peerIssues(peers, allowPublicIngress, path);
}
