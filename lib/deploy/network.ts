/**
 * Network rules and interfaces as data: which traffic each security group admits, which peers are
 * acceptable, and the EFA interfaces a node's launch template attaches.
 *
 * Two security groups:
 * - `loadBalancer` (on the internal NLB): the serving port from the caller's allowed peers only.
 * - `cluster` (on every node): the serving port from the load balancer's group, and for multi-node
 *   all traffic from itself. Referencing the NLB's group lets health checks and forwarded client
 *   traffic in even with client IP preservation, while clients cannot reach nodes directly
 *   (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html, confirmed).
 * - EFA needs a group that allows all inbound and outbound traffic to and from itself
 *   (NVIDIA Dynamo EFA guide and the AWS EFA user guide, docs/reference-keys.md, engines §3); NCCL's TCP bootstrap and
 *   Ray/torch.distributed use arbitrary ports, so the self rule covers them too.
 * No SSH anywhere: operators use SSM Session Manager.
 */
import type { Issue } from '../types';
import type { Plan } from '../plan/types';

/** Which security group a rule belongs to. */
export type SecurityGroupRole = 'loadBalancer' | 'cluster';

/** Where the traffic of an ingress rule comes from. */
export type RuleSource = 'allowedPeers' | 'loadBalancer' | 'cluster';

/** One ingress rule. `protocol: 'all'` has no ports. */
export interface IngressRule {
  /** Group the rule is added to. */
  readonly group: SecurityGroupRole;
  readonly source: RuleSource;
  readonly protocol: 'tcp' | 'all';
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly description: string;
}

/** The ingress rules of a plan's cluster. */
export function ingressRules(plan: Plan): IngressRule[] {
  const port = plan.serving.port;
  const rules: IngressRule[] = [
    { group: 'loadBalancer', source: 'allowedPeers', protocol: 'tcp', fromPort: port, toPort: port, description: `OpenAI API (${plan.engine}) from allowed peers` },
    { group: 'cluster', source: 'loadBalancer', protocol: 'tcp', fromPort: port, toPort: port, description: 'Engine port from the load balancer (traffic and health checks)' },
  ];
  if (plan.topology.nodes > 1) {
    rules.push({ group: 'cluster', source: 'cluster', protocol: 'all', description: 'All traffic between cluster nodes (EFA, NCCL, Ray / torch.distributed)' });
  }
  return rules;
}

/** A peer as CIDR ranges (an adapter converts its own peer type; undefined when it is not a CIDR, e.g. a security group or prefix list). */
export interface PeerCidr {
  readonly cidrIpv4?: string;
  readonly cidrIpv6?: string;
  /** How the adapter names the peer, for error messages. */
  readonly label: string;
}

/** CIDRs that admit the whole Internet. */
const PUBLIC_CIDRS = new Set(['0.0.0.0/0', '::/0']);

/**
 * Peers that would expose the API to the whole Internet are an error unless `allowPublicIngress`
 * is true. Only exact anywhere-CIDRs are refused; a wide private range is the caller's choice.
 */
export function peerIssues(peers: readonly PeerCidr[], allowPublicIngress: boolean, path = 'allowedPeers'): Issue[] {
  if (allowPublicIngress) return [];
  return peers.flatMap((p, i) => {
    const cidr = [p.cidrIpv4, p.cidrIpv6].find((c) => c !== undefined && PUBLIC_CIDRS.has(c));
    return cidr === undefined ? [] : [{
      path: `${path}[${i}]`,
      message: `${p.label} (${cidr}) opens the API to the whole Internet; set allowPublicIngress: true to allow it, or name the client ranges / security groups`,
    }];
  });
}

/** One network interface of a launch template. */
export interface NetworkInterfaceSpec {
  readonly networkCardIndex: number;
  readonly deviceIndex: number;
  /** `efa` = EFA with ENA (has an IP); `efa-only` = the EFA device alone (no IP). */
  readonly interfaceType: 'efa' | 'efa-only';
}

/**
 * EFA interfaces for a multi-node node: one per network card. The primary (card 0, device 0) is
 * `efa` (EFA with ENA: it carries the node's IP); every other card gets device index 1 and
 * `efa-only`, which uses no IP address and avoids multi-interface routing problems.
 * Sources: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa-acc-inst-types.html (primary
 * card 0/device 0 EFA with ENA; each additional card device index 1, EFA or EFA-only; "You can't use
 * an EFA-only network interface as the primary network interface"), and the EFA-only launch
 * announcement (2024-10-28: "EFA-only interfaces can only be configured as a secondary interface"),
 * both confirmed. Empty when the plan has no EFA.
 */
export function efaNetworkInterfaces(count: number): NetworkInterfaceSpec[] {
  return Array.from({ length: count }, (_, card) => ({
    networkCardIndex: card,
    deviceIndex: card === 0 ? 0 : 1,
    interfaceType: card === 0 ? 'efa' : 'efa-only',
  }));
}

/** Where an outbound rule goes: a group of the cluster, the FSx file system's group, or an IPv4 range. */
export type EgressDestination = SecurityGroupRole | 'fsx' | 'anywhere';

/** One outbound rule (no group of the cluster allows all outbound traffic). */
export interface EgressRule {
  readonly group: SecurityGroupRole;
  readonly destination: EgressDestination;
  /** The IPv4 range, for destination `anywhere`. */
  readonly cidrIpv4?: string;
  readonly protocol: 'tcp' | 'all';
  /** Port range of a `tcp` rule. */
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly description: string;
}

/** HTTPS: the only port the nodes open to the internet. */
export const HTTPS_PORT = 443;
/** HTTP: only for the Lustre client package from the AMI's Ubuntu archive (EC2 Ubuntu images configure their archive mirror over http://). */
export const HTTP_PORT = 80;

/**
 * Every outbound rule (issue 13 §5: egress limited to what boot and serving need):
 * - the load balancer's group: the engine port to the nodes (forwarded traffic and health checks);
 * - the nodes: HTTPS to anywhere — everything the boot script downloads or calls goes over 443: the
 *   engine and front images (Docker Hub, ECR; ECR layers from S3), Hugging Face, S3 (weights, the
 *   model store, the CloudWatch agent package), Secrets Manager, CloudWatch, Auto Scaling, EC2, SSM;
 * - multi-node: all traffic to the node group itself (EFA requires the all-traffic self rule in both
 *   directions; NCCL bootstrap, Ray / torch.distributed and the engine's cluster ports use arbitrary ports);
 * - with FSx for Lustre: the Lustre ports to the file system's group, and HTTP for the Lustre client
 *   package when the AMI lacks it.
 * Nothing else: no rule for DNS, the Amazon Time Sync Service or instance metadata, because security
 * groups do not filter traffic to the Amazon-provided DNS server, Time Sync or IMDS (AWS VPC user guide,
 * "Security group rules", and a third-party check of the DNS case:
 * https://dev.classmethod.jp/articles/security-group-outbound-rule-cannot-filter-traffic-to-amazon-dns-server/).
 * A VPC whose DHCP options name other DNS servers needs its own rule to them.
 */
export function egressRules(plan: Plan, options: { readonly fsxLustre?: { readonly ports: readonly { readonly fromPort: number; readonly toPort: number }[] } } = {}): EgressRule[] {
  const port = plan.serving.port;
  return [
    { group: 'loadBalancer', destination: 'cluster', protocol: 'tcp', fromPort: port, toPort: port, description: 'API traffic and health checks to the engine' },
    {
      group: 'cluster', destination: 'anywhere', cidrIpv4: '0.0.0.0/0', protocol: 'tcp', fromPort: HTTPS_PORT, toPort: HTTPS_PORT,
      description: 'HTTPS: engine image, weights, AWS APIs (through the NAT or VPC endpoints)',
    },
    ...(plan.topology.nodes > 1
      ? [{ group: 'cluster' as const, destination: 'cluster' as const, protocol: 'all' as const, description: 'EFA, NCCL and the engine\'s cluster ports between nodes' }]
      : []),
    ...(options.fsxLustre
      ? [
          ...options.fsxLustre.ports.map((p) => ({ group: 'cluster' as const, destination: 'fsx' as const, protocol: 'tcp' as const, fromPort: p.fromPort, toPort: p.toPort, description: `Lustre ${p.fromPort}-${p.toPort} to FSx` })),
          {
            group: 'cluster' as const, destination: 'anywhere' as const, cidrIpv4: '0.0.0.0/0', protocol: 'tcp' as const, fromPort: HTTP_PORT, toPort: HTTP_PORT,
            description: 'HTTP: the Lustre client package from the AMI\'s Ubuntu archive, when the AMI lacks it',
          },
        ]
      : []),
  ];
}
