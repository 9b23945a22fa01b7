/**
 * Input checks every AWS adapter applies to its placement props in the same way: CIDR peers and log
 * retention. Kept here so the CDK, cdktf and Pulumi adapters accept and reject the same values.
 */
import type { Issue } from '../types';
import type { PeerCidr } from './network';

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const IPV6_CIDR = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\/(\d{1,3})$/;

/** CIDR strings as peers for the blueprint's public-ingress check; malformed entries become issues. */
export function cidrPeers(cidrs: readonly string[], issues: Issue[], path = 'allowedCidrs'): PeerCidr[] {
  const peers: PeerCidr[] = [];
  cidrs.forEach((c, i) => {
    const v4 = typeof c === 'string' ? IPV4_CIDR.exec(c) : null;
    if (v4 && v4.slice(1, 5).every((o) => Number(o) <= 255) && Number(v4[5]) <= 32) peers.push({ cidrIpv4: c, label: c });
    else if (typeof c === 'string' && IPV6_CIDR.test(c) && Number(IPV6_CIDR.exec(c)![1]) <= 128) peers.push({ cidrIpv6: c, label: c });
    else issues.push({ path: `${path}[${i}]`, message: `${JSON.stringify(c)} is not an IPv4 or IPv6 CIDR (e.g. 10.0.0.0/16)` });
  });
  return peers;
}

/**
 * Retention values a log group accepts, 0 = never expire (Terraform AWS provider docs of
 * `aws_cloudwatch_log_group.retention_in_days`, as shipped in @pulumi/aws 7.48
 * cloudwatch/logGroup.d.ts; third-party copy of the CloudWatch Logs API's list).
 */
export const LOG_RETENTION_DAYS: readonly number[] = [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** Engine log retention when none is given: 30 days. */
export const DEFAULT_LOG_RETENTION_DAYS = 30;

/** An issue when `days` is not a retention CloudWatch Logs accepts. */
export function logRetentionIssue(days: number | undefined, path = 'logRetentionDays'): Issue | undefined {
  if (days === undefined || LOG_RETENTION_DAYS.includes(days)) return undefined;
  return { path, message: `${days} is not a CloudWatch Logs retention; allowed: ${LOG_RETENTION_DAYS.join(', ')}` };
}
