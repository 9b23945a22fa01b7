/**
 * What a synthesized cluster deploys, in one shape for every adapter (`ObservedCluster`), and the
 * same shape derived from the blueprint (`expectedCluster`). Each adapter's reader (observe-*.ts)
 * turns its own output into this shape; the conformance test compares it with the expectation.
 *
 * References an adapter cannot know at synth (secret and log-group ARNs, the partition) are
 * normalized: the partition to `aws`, any other reference to `<ref>`.
 */
import { spawnSync } from 'node:child_process';
import { cloudWatchAlarmPublishStatement, type AwsBlueprint } from '../../lib/deploy';
import { API_FRONT_IMAGE } from '../../lib/deploy/api-front';
import { unpackedUserData } from '../helpers/user-data';
import type { Plan } from '../../lib/plan/types';

/** A reference an adapter leaves to deploy time, after normalization. */
export const REF = '<ref>';

export interface ObservedVolume {
  readonly deviceName: string;
  readonly sizeGiB: number;
  readonly volumeType: string;
  readonly encrypted: boolean;
  readonly throughputMiBps?: number;
  readonly iops?: number;
}

export interface ObservedInterface {
  readonly networkCardIndex: number;
  readonly deviceIndex: number;
  readonly interfaceType: string;
}

/** One rank: its launch template and Auto Scaling group. */
export interface ObservedNodeGroup {
  readonly rank: number;
  readonly instanceType: string;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity: number;
  readonly subnetCount: number;
  readonly volumes: readonly ObservedVolume[];
  readonly httpTokens: string;
  readonly hopLimit: number;
  readonly networkInterfaces: readonly ObservedInterface[];
  /** The launch template places instances in the cluster's placement group. */
  readonly inPlacementGroup: boolean;
  readonly healthCheckType: string;
  readonly healthCheckGraceSeconds: number;
  /** Registered with the load balancer's target group. */
  readonly servesTraffic: boolean;
  /** Tags the group propagates to its instances. */
  readonly instanceTags: Readonly<Record<string, string>>;
  /** Decoded user data with the deploy-time ids blanked (see `blankIds`). */
  readonly userData: string;
  /** What the user data starts, as bash reads it. */
  readonly engine: EngineRun;
  /** Capacity (issue 6): launch-template reservation target and market type, the group's mixed-instances policy. */
  readonly capacity: ObservedCapacity;
  /** Scheduled actions on this group (issue 6), sorted by cron. */
  readonly scheduledActions: readonly ObservedScheduledAction[];
  /** The role its instances take (issue 13 §5): `worker` (no writes to the model store) or `node`. */
  readonly instanceRole: 'node' | 'worker';
}

export interface ObservedCapacity {
  readonly capacityReservationId?: string;
  readonly marketType?: string;
  /** Launch-template overrides in priority order; empty without a mixed-instances policy. */
  readonly overrides: readonly string[];
  readonly distribution?: {
    readonly onDemandAllocationStrategy: string;
    readonly spotAllocationStrategy?: string;
    readonly onDemandBaseCapacity: number;
    readonly onDemandPercentageAboveBaseCapacity: number;
  };
  readonly capacityRebalance: boolean;
}

export interface ObservedScheduledAction {
  readonly cron: string;
  readonly timeZone: string;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity: number;
}

export interface ObservedAlarm {
  /** Metrics the alarm watches (directly or in its math expression), sorted. */
  readonly metricNames: readonly string[];
  readonly threshold: number;
  readonly comparison: string;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

/** Sort alarms and metric filters so that sets compare equal. */
export function sortAlarms(alarms: readonly ObservedAlarm[]): ObservedAlarm[] {
  return alarms.map((a) => ({ ...a, metricNames: [...a.metricNames].sort() })).sort((a, b) => a.metricNames.join().localeCompare(b.metricNames.join()));
}
export function sortFilters<T extends { metricName: string }>(filters: readonly T[]): T[] {
  return [...filters].sort((a, b) => a.metricName.localeCompare(b.metricName));
}

/** Sort scheduled actions by cron so that sets compare equal. */
export function sortActions(actions: readonly ObservedScheduledAction[]): ObservedScheduledAction[] {
  return [...actions].sort((a, b) => a.cron.localeCompare(b.cron));
}

/** A security-group rule: `peer` is `cidr:<range>`, `sg:cluster` or `sg:loadBalancer`. */
export interface ObservedRule {
  readonly group: 'cluster' | 'loadBalancer';
  readonly peer: string;
  readonly protocol: 'tcp' | 'all';
  readonly fromPort?: number;
  readonly toPort?: number;
}

export interface ObservedStatement {
  readonly sid: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions?: unknown;
}

/** An Allow for a service on the alarm topic's policy (issue 13: CloudWatch must be able to publish). */
export interface ObservedTopicGrant {
  readonly sid: string;
  readonly service: string;
  readonly actions: readonly string[];
  /** Condition values with references normalized (`<ref>` for the account and region). */
  readonly conditions: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** The service grants among topic-policy statements, conditions rendered by `render`, sorted by sid. */
export function topicGrants(statements: readonly Record<string, any>[], render: (v: unknown) => string): ObservedTopicGrant[] {
  return statements
    .filter((s) => s.Effect === 'Allow' && s.Principal?.Service !== undefined)
    .map((s) => ({
      sid: String(s.Sid),
      service: String(s.Principal.Service),
      actions: (Array.isArray(s.Action) ? s.Action : [s.Action]).map(String),
      conditions: Object.fromEntries(Object.entries((s.Condition ?? {}) as Record<string, Record<string, unknown>>)
        .map(([op, kv]) => [op, Object.fromEntries(Object.entries(kv).map(([k, v]) => [k, render(v)]))])),
    }))
    .sort((a, b) => a.sid.localeCompare(b.sid));
}

export interface ObservedCluster {
  /** Sorted by rank. */
  readonly nodeGroups: readonly ObservedNodeGroup[];
  readonly placementStrategy?: string;
  readonly ingress: readonly ObservedRule[];
  readonly egress: readonly ObservedRule[];
  readonly loadBalancer: {
    readonly internal: boolean;
    readonly type: string;
    readonly crossZone: boolean;
    readonly listenerPort: number;
    readonly listenerProtocol: string;
    /** With a TLS listener: its certificate and security policy. */
    readonly tls?: { readonly certificateArn: string; readonly sslPolicy: string };
    readonly targetPort: number;
    readonly targetProtocol: string;
    readonly healthCheck: { readonly protocol: string; readonly path: string; readonly port: string; readonly intervalSeconds: number; readonly timeoutSeconds: number; readonly healthyThreshold: number; readonly unhealthyThreshold: number };
  };
  /** Alarms (issue 6), sorted by their metric names; empty without monitoring. */
  readonly alarms: readonly ObservedAlarm[];
  /** Service grants on the alarm topic's policy (issue 13); empty without monitoring. */
  readonly alarmTopicGrants: readonly ObservedTopicGrant[];
  /** Log metric filters (issue 6), sorted by metric name; empty without monitoring. */
  readonly metricFilters: readonly { readonly metricName: string; readonly pattern: string }[];
  /** Tags on the load balancer: the blueprint's tags (cluster and cost-allocation tags). */
  readonly loadBalancerTags: Readonly<Record<string, string>>;
  readonly managedPolicies: readonly string[];
  /** Sorted by sid. */
  readonly statements: readonly ObservedStatement[];
  /** The workers' role's statements (multi-node with a model store), else empty. */
  readonly workerStatements: readonly ObservedStatement[];
}

/** Sort rules so that sets compare equal regardless of the order an adapter emits them in. */
export function sortRules(rules: readonly ObservedRule[]): ObservedRule[] {
  const key = (r: ObservedRule) => `${r.group}|${r.peer}|${r.protocol}|${r.fromPort ?? ''}|${r.toPort ?? ''}`;
  return [...rules].sort((a, b) => key(a).localeCompare(key(b)));
}

/**
 * The user-data lines whose values are deploy-time ids (secret ARNs, log group name) blanked: the CDK
 * construct passes a CloudFormation reference for the log group name, cdktf and Pulumi a plain name,
 * so these values legitimately differ. Everything else must be byte-identical.
 */
export function blankIds(userData: string): string {
  return userData.replace(/^readonly (API_KEY_SECRET_ID|HF_TOKEN_SECRET_ID|LOG_GROUP)=.*$/gm, 'readonly $1=<id>');
}

/** The cluster every adapter must deploy for `bp`, placed in `subnetCount` subnets with `allowedCidr` as the one client range. */
export function expectedCluster(bp: AwsBlueprint, subnetCount: number, allowedCidr: string): ObservedCluster {
  const peerOf = (source: string) => (source === 'allowedPeers' ? `cidr:${allowedCidr}` : `sg:${source}`);
  return {
    nodeGroups: bp.nodeGroups.map((g) => ({
      rank: g.rank,
      instanceType: bp.instanceType,
      minSize: g.size,
      maxSize: g.size,
      desiredCapacity: g.size,
      subnetCount: bp.singleSubnet ? 1 : subnetCount,
      volumes: [bp.rootVolume, ...(bp.dataVolume ? [bp.dataVolume] : [])].map((v) => ({
        deviceName: v.deviceName, sizeGiB: v.sizeGiB, volumeType: v.volumeType, encrypted: v.encrypted,
        ...(v.throughputMiBps !== undefined ? { throughputMiBps: v.throughputMiBps } : {}),
        ...(v.iops !== undefined ? { iops: v.iops } : {}),
      })),
      httpTokens: bp.instanceMetadata.httpTokens,
      hopLimit: bp.instanceMetadata.httpPutResponseHopLimit,
      networkInterfaces: bp.networkInterfaces.map((n) => ({ networkCardIndex: n.networkCardIndex, deviceIndex: n.deviceIndex, interfaceType: n.interfaceType })),
      inPlacementGroup: bp.placementGroup !== undefined,
      healthCheckType: g.healthCheckType,
      healthCheckGraceSeconds: bp.healthCheckGraceSeconds,
      servesTraffic: g.servesTraffic,
      instanceTags: g.tags,
      // Compared unpacked: whether a script ships gzip-packed depends on how long its deploy-time
      // values may become, which differs between the adapters' references (tokens) and literals.
      userData: blankIds(unpackedUserData(g.userData)),
      // From the plan, not from the blueprint: the command the core planned for this rank.
      engine: {
        image: bp.plan.serving.image, nodeRank: g.rank, nodes: bp.plan.topology.nodes,
        argv: g.rank === 0 ? behindFront(planArgv(bp.plan, g.rank), bp.plan.serving.port) : planArgv(bp.plan, g.rank),
        // Issue 13 §3: the serving rank's front takes the plan's port and proxies to the engine on loopback, one port up.
        ...(g.rank === 0 ? { front: { image: API_FRONT_IMAGE, listenPort: bp.plan.serving.port, upstream: `127.0.0.1:${bp.plan.serving.port + 1}` } } : {}),
      },
      capacity: {
        ...(bp.capacity?.capacityReservationId !== undefined ? { capacityReservationId: bp.capacity.capacityReservationId } : {}),
        ...(bp.capacity?.marketType !== undefined ? { marketType: bp.capacity.marketType } : {}),
        overrides: bp.capacity?.mixedInstances ? [...bp.capacity.instanceTypes] : [],
        ...(bp.capacity?.mixedInstances ? { distribution: { ...bp.capacity.mixedInstances } } : {}),
        capacityRebalance: bp.capacity?.capacityRebalance ?? false,
      },
      instanceRole: g.instanceRole,
      scheduledActions: sortActions((bp.schedule?.actions ?? []).map((a) => {
        const size = a.size === 0 ? 0 : g.size;
        return { cron: a.cron, timeZone: a.timeZone, minSize: size, maxSize: size, desiredCapacity: size };
      })),
    })),
    ...(bp.placementGroup ? { placementStrategy: bp.placementGroup.strategy } : {}),
    ingress: sortRules(bp.ingressRules.map((r) => ({
      group: r.group, peer: peerOf(r.source), protocol: r.protocol,
      ...(r.protocol === 'tcp' ? { fromPort: r.fromPort!, toPort: r.toPort! } : {}),
    }))),
    // Issue 13 §5: the blueprint's egress rules, nothing else (HTTPS out, the node group to itself for multi-node).
    egress: sortRules(bp.egressRules.map((r) => ({
      group: r.group, peer: r.destination === 'anywhere' ? `cidr:${r.cidrIpv4}` : `sg:${r.destination}`, protocol: r.protocol,
      ...(r.protocol === 'tcp' ? { fromPort: r.fromPort!, toPort: r.toPort! } : {}),
    }))),
    loadBalancer: {
      internal: bp.loadBalancer.scheme === 'internal',
      type: 'network',
      crossZone: bp.loadBalancer.crossZone,
      listenerPort: bp.loadBalancer.port,
      listenerProtocol: bp.loadBalancer.tls ? 'TLS' : bp.loadBalancer.protocol,
      ...(bp.loadBalancer.tls ? { tls: { certificateArn: bp.loadBalancer.tls.certificateArn, sslPolicy: bp.loadBalancer.tls.sslPolicy } } : {}),
      targetPort: bp.loadBalancer.port,
      targetProtocol: bp.loadBalancer.protocol,
      healthCheck: { ...bp.loadBalancer.healthCheck, port: String(bp.loadBalancer.healthCheck.port) },
    },
    alarms: sortAlarms((bp.observability?.alarms ?? []).map((a) => ({
      metricNames: a.metrics.map((m) => m.metricName), threshold: a.threshold, comparison: a.comparison,
      evaluationPeriods: a.evaluationPeriods, datapointsToAlarm: a.datapointsToAlarm,
    }))),
    // Account and region are deploy-time references in every adapter; the partition is aws.
    alarmTopicGrants: bp.observability
      ? [cloudWatchAlarmPublishStatement({ partition: 'aws', region: REF, accountId: REF })].map((s) => ({
          sid: s.sid, service: s.principal.kind === 'service' ? s.principal.service : '*', actions: [...s.actions], conditions: s.conditions,
        }))
      : [],
    metricFilters: sortFilters((bp.observability?.metricFilters ?? []).map((f) => ({ metricName: f.metricName, pattern: f.filterPattern }))),
    loadBalancerTags: { ...bp.tags },
    managedPolicies: [...bp.iam.managedPolicies].sort(),
    statements: observedStatements(bp.iam.statements),
    workerStatements: observedStatements(bp.workerIam?.statements ?? []),
  };
}

function observedStatements(statements: AwsBlueprint['iam']['statements']): ObservedStatement[] {
  return statements
    .map((s) => ({ sid: s.sid, actions: [...s.actions], resources: [...s.resources], ...(s.conditions ? { conditions: s.conditions } : {}) }))
    .sort((a, b) => a.sid.localeCompare(b.sid));
}

/** The user-data fields of an observed node group, from the decoded (reference-normalized) script. */
export function userDataFields(decoded: string): { userData: string; engine: EngineRun } {
  return { userData: blankIds(unpackedUserData(decoded)), engine: engineRun(decoded) };
}

/** What the boot script will run, read by bash itself from the script's `from the plan` section. */
export interface EngineRun {
  readonly image: string;
  readonly nodeRank: number;
  readonly nodes: number;
  readonly argv: readonly string[];
  /** The API front the node starts (issue 13 §3): image, the port it listens on, where it proxies; serving rank only. */
  readonly front?: { readonly image: string; readonly listenPort: number; readonly upstream: string };
}

/**
 * Evaluate the constants section of a boot script in bash (not with our own parser) and print the
 * image, rank, node count and the engine argv, NUL-separated.
 */
export function engineRun(userData: string): EngineRun {
  const start = userData.indexOf('# ---- from the plan ----');
  // The section ends where the body starts, inline or gzip-packed (lib/deploy/user-data.ts, packedBody).
  const end = [userData.indexOf('# ---- host paths'), userData.indexOf('# The script body, gzip-compressed')].filter((i) => i > start).sort((a, b) => a - b)[0] ?? -1;
  if (start < 0 || end < 0) throw new Error('user data has no "from the plan" section');
  const section = userData.slice(start, end);
  const out = spawnSync('bash', ['-c', `${section}\nprintf '%s\\0' "$IMAGE" "$NODE_RANK" "$NODES" "$FRONT_IMAGE" "$FRONT_CONF" "\${ENGINE_ARGV[@]}"`], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`bash failed on the user data: ${out.stderr}`);
  const [image, rank, nodes, frontImage, frontConf, ...argv] = out.stdout.split('\0').slice(0, -1);
  const listen = /^listen (\d+);$/m.exec(frontConf!);
  const upstreams = [...new Set([...frontConf!.matchAll(/proxy_pass http:\/\/([^;]+);/g)].map((m) => m[1]))];
  return {
    image: image!, nodeRank: Number(rank), nodes: Number(nodes), argv,
    ...(frontImage ? { front: { image: frontImage, listenPort: listen ? Number(listen[1]) : NaN, upstream: upstreams.join(' ') } } : {}),
  };
}

/**
 * The container argv of `rank` straight from the plan's serving launch: the single node / head runs
 * `command` (multi-node: `headCommand`), workers `workerCommand`; an entrypoint override's extra
 * words lead the argv (docker's --entrypoint takes one word).
 */
/**
 * The serving rank's argv behind the API front, written out here rather than taken from the library:
 * every engine's `--host 0.0.0.0 --port <port>` becomes loopback, one port up (issue 13 §3).
 */
export function behindFront(argv: readonly string[], port: number): string[] {
  return argv.map((a, i) => (argv[i - 1] === '--host' ? '127.0.0.1' : argv[i - 1] === '--port' && a === String(port) ? String(port + 1) : a.replace(`--host 0.0.0.0 --port ${port}`, `--host 127.0.0.1 --port ${port + 1}`)));
}

export function planArgv(plan: Plan, rank: number): string[] {
  const s = plan.serving;
  const command = plan.topology.nodes === 1 ? s.command : rank === 0 ? s.multiNode!.headCommand : s.multiNode!.workerCommand;
  return [...(s.entrypoint?.slice(1) ?? []), ...command];
}
