/**
 * Read a synthesized cdktf cluster (Terraform JSON) into the adapter-neutral `ObservedCluster`.
 * References are normalized: the partition data source → `aws`, any other `${...}` → `<ref>`.
 */
import type { DeepSeekInferenceCluster } from '../../constructs/cdktf';
import { REF, topicGrants, sortActions, sortAlarms, sortFilters, sortRules, userDataFields, type ObservedCapacity, type ObservedCluster, type ObservedRule } from './observed';

type Props = Record<string, any>;

/** A Terraform string with its references normalized. */
export function renderTf(s: string): string {
  return s.replace(/\$\{data\.aws_partition\.[^.}]+\.partition\}/g, 'aws').replace(/\$\{[^}]*\}/g, REF);
}

/**
 * The script a launch template's `user_data` decodes to: plain base64, or the
 * `base64encode(join("", [base64decode("…"), <reference>, …]))` form the adapter uses when the script
 * holds references (each reference becomes `<ref>`).
 */
export function decodeTfUserData(value: string): string {
  const m = /^\$\{base64encode\(join\("", \[(.*)\]\)\)\}$/s.exec(value);
  if (!m) {
    if (!/^[A-Za-z0-9+/=]+$/.test(value)) throw new Error(`user_data is neither base64 nor the join form: ${value.slice(0, 80)}`);
    return Buffer.from(value, 'base64').toString('utf8');
  }
  return m[1].split(', ').map((item) => {
    const lit = /^base64decode\("([A-Za-z0-9+/=]*)"\)$/.exec(item);
    return lit ? Buffer.from(lit[1], 'base64').toString('utf8') : REF;
  }).join('');
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Observe `cluster` in the synthesized JSON `out`. */
export function observeCdktf(out: string, cluster: DeepSeekInferenceCluster): ObservedCluster {
  const json = JSON.parse(out) as { resource: Record<string, Record<string, Props>> };
  const all = (type: string): Array<[string, Props]> => Object.entries(json.resource[type] ?? {});
  const nodeRole = `\${aws_iam_role.${cluster.role.friendlyUniqueId}.name}`;
  const workerRole = cluster.workerRole ? `\${aws_iam_role.${cluster.workerRole.friendlyUniqueId}.name}` : undefined;
  // A launch template's instance profile (`${aws_iam_instance_profile.<id>.arn}`) → the role it holds.
  const roleOfProfile = (arn: string): 'node' | 'worker' => {
    const id = /^\$\{aws_iam_instance_profile\.([^.]+)\.arn\}$/.exec(arn)![1]!;
    return json.resource.aws_iam_instance_profile[id].role === workerRole ? 'worker' : 'node';
  };
  const statementsOf = (role: string) => all('aws_iam_role_policy')
    .filter(([, p]) => p.role === role)
    .flatMap(([, p]) => list<Props>(JSON.parse(p.policy).Statement))
    .map((s) => ({
      sid: s.Sid as string,
      actions: list<string>(s.Action),
      resources: list<string>(s.Resource).map(renderTf),
      ...(s.Condition ? { conditions: s.Condition } : {}),
    }))
    .sort((a, b) => a.sid.localeCompare(b.sid));
  const sgRole: Record<string, 'cluster' | 'loadBalancer'> = {
    [cluster.securityGroup.friendlyUniqueId]: 'cluster',
    [cluster.loadBalancerSecurityGroup.friendlyUniqueId]: 'loadBalancer',
  };
  const roleOf = (ref: string): 'cluster' | 'loadBalancer' => {
    const role = sgRole[/^\$\{aws_security_group\.([^.]+)\.id\}$/.exec(ref)?.[1] ?? ''];
    if (!role) throw new Error(`rule refers to an unknown security group ${ref}`);
    return role;
  };
  const rule = (p: Props): ObservedRule => {
    const group = roleOf(p.security_group_id);
    const peer = p.cidr_ipv4 !== undefined ? `cidr:${p.cidr_ipv4}` : p.cidr_ipv6 !== undefined ? `cidr:${p.cidr_ipv6}` : `sg:${roleOf(p.referenced_security_group_id)}`;
    return p.ip_protocol === '-1' ? { group, peer, protocol: 'all' } : { group, peer, protocol: p.ip_protocol, fromPort: p.from_port, toPort: p.to_port };
  };

  const launchTemplates = Object.fromEntries(all('aws_launch_template'));
  const scheduled = all('aws_autoscaling_schedule');
  const nodeGroups = all('aws_autoscaling_group').map(([asgId, asg]) => {
    const mixed = asg.mixed_instances_policy as Props | undefined;
    const ltRef = asg.launch_template?.id ?? mixed!.launch_template.launch_template_specification.launch_template_id;
    const ltId = /^\$\{aws_launch_template\.([^.]+)\.id\}$/.exec(ltRef)![1];
    const lt = launchTemplates[ltId];
    const dist = mixed?.instances_distribution as Props | undefined;
    const capacity: ObservedCapacity = {
      ...(lt.capacity_reservation_specification ? { capacityReservationId: lt.capacity_reservation_specification.capacity_reservation_target.capacity_reservation_id } : {}),
      ...(lt.instance_market_options ? { marketType: lt.instance_market_options.market_type } : {}),
      overrides: list<Props>(mixed?.launch_template.override).map((o) => o.instance_type),
      ...(dist
        ? {
            distribution: {
              onDemandAllocationStrategy: dist.on_demand_allocation_strategy,
              ...(dist.spot_allocation_strategy !== undefined ? { spotAllocationStrategy: dist.spot_allocation_strategy } : {}),
              onDemandBaseCapacity: dist.on_demand_base_capacity,
              onDemandPercentageAboveBaseCapacity: dist.on_demand_percentage_above_base_capacity,
            },
          }
        : {}),
      capacityRebalance: asg.capacity_rebalance === true,
    };
    const instanceTags = Object.fromEntries(list<Props>(asg.tag).filter((t) => t.propagate_at_launch).map((t) => [t.key, t.value]));
    return {
      rank: Number(instanceTags['deepseek-iac:rank']),
      instanceType: lt.instance_type,
      minSize: asg.min_size,
      maxSize: asg.max_size,
      desiredCapacity: asg.desired_capacity,
      subnetCount: list(asg.vpc_zone_identifier).length,
      volumes: list<Props>(lt.block_device_mappings).map((b) => ({
        deviceName: b.device_name, sizeGiB: b.ebs.volume_size, volumeType: b.ebs.volume_type, encrypted: b.ebs.encrypted === 'true',
        ...(b.ebs.throughput !== undefined ? { throughputMiBps: b.ebs.throughput } : {}),
        ...(b.ebs.iops !== undefined ? { iops: b.ebs.iops } : {}),
      })),
      httpTokens: lt.metadata_options.http_tokens,
      hopLimit: lt.metadata_options.http_put_response_hop_limit,
      networkInterfaces: list<Props>(lt.network_interfaces).map((n) => ({ networkCardIndex: n.network_card_index, deviceIndex: n.device_index, interfaceType: n.interface_type })),
      inPlacementGroup: lt.placement?.group_name !== undefined,
      healthCheckType: asg.health_check_type,
      healthCheckGraceSeconds: asg.health_check_grace_period,
      servesTraffic: list(asg.target_group_arns).length > 0,
      instanceTags,
      ...userDataFields(decodeTfUserData(lt.user_data)),
      capacity,
      instanceRole: roleOfProfile(lt.iam_instance_profile.arn),
      scheduledActions: sortActions(scheduled.filter(([, a]) => a.autoscaling_group_name === `\${aws_autoscaling_group.${asgId}.name}`).map(([, a]) => ({
        cron: a.recurrence, timeZone: a.time_zone, minSize: a.min_size, maxSize: a.max_size, desiredCapacity: a.desired_capacity,
      }))),
    };
  }).sort((a, b) => a.rank - b.rank);

  const [[, nlb]] = all('aws_lb');
  const [[, listener]] = all('aws_lb_listener');
  const [[, tg]] = all('aws_lb_target_group');
  const placement = all('aws_placement_group');
  const hc = tg.health_check;
  return {
    nodeGroups,
    ...(placement.length > 0 ? { placementStrategy: placement[0][1].strategy } : {}),
    ingress: sortRules(all('aws_vpc_security_group_ingress_rule').map(([, p]) => rule(p))),
    egress: sortRules(all('aws_vpc_security_group_egress_rule').map(([, p]) => rule(p))),
    loadBalancer: {
      internal: nlb.internal, type: nlb.load_balancer_type, crossZone: nlb.enable_cross_zone_load_balancing,
      listenerPort: listener.port, listenerProtocol: listener.protocol,
      ...(listener.protocol === 'TLS' ? { tls: { certificateArn: listener.certificate_arn, sslPolicy: listener.ssl_policy } } : {}), targetPort: tg.port, targetProtocol: tg.protocol,
      healthCheck: {
        protocol: hc.protocol, path: hc.path, port: hc.port, intervalSeconds: hc.interval, timeoutSeconds: hc.timeout,
        healthyThreshold: hc.healthy_threshold, unhealthyThreshold: hc.unhealthy_threshold,
      },
    },
    alarms: sortAlarms(all('aws_cloudwatch_metric_alarm').map(([, a]) => ({
      metricNames: a.metric_name !== undefined ? [a.metric_name] : list<Props>(a.metric_query).filter((q) => q.metric).map((q) => q.metric.metric_name),
      threshold: a.threshold, comparison: a.comparison_operator, evaluationPeriods: a.evaluation_periods, datapointsToAlarm: a.datapoints_to_alarm,
    }))),
    alarmTopicGrants: topicGrants(all('aws_sns_topic_policy').flatMap(([, p]) => list<Props>(JSON.parse(p.policy).Statement)), (v) => renderTf(String(v))),
    // Patterns as Terraform reads them back (`$${` → `${`, `%%{` → `%{`).
    metricFilters: sortFilters(all('aws_cloudwatch_log_metric_filter').map(([, f]) => ({
      metricName: f.metric_transformation.name, pattern: String(f.pattern).replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{'),
    }))),
    loadBalancerTags: { ...nlb.tags },
    managedPolicies: all('aws_iam_role_policy_attachment').filter(([, p]) => p.role === nodeRole).map(([, p]) => renderTf(p.policy_arn).replace(/^arn:aws:iam::aws:policy\//, '')).sort(),
    statements: statementsOf(nodeRole),
    workerStatements: workerRole ? statementsOf(workerRole) : [],
  };
}
