/**
 * Security rules and EFA interfaces as data.
 * EFA layout per https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa-acc-inst-types.html:
 * card 0 / device 0 EFA-with-ENA, every other card device 1 (EFA-only allowed only as secondary).
 */
import { planDeployment } from '../../lib/plan/planner';
import { efaNetworkInterfaces, egressRules, ingressRules, peerIssues } from '../../lib/deploy/network';

describe('ingressRules', () => {
  test('single node: the serving port from allowed peers to the NLB, and from the NLB to the nodes; nothing else', () => {
    const plan = planDeployment({ model: 'deepseek-r1-distill-qwen-1.5b' });
    const rules = ingressRules(plan);
    expect(rules.map(({ group, source, protocol, fromPort, toPort }) => ({ group, source, protocol, fromPort, toPort }))).toEqual([
      { group: 'loadBalancer', source: 'allowedPeers', protocol: 'tcp', fromPort: 8000, toPort: 8000 },
      { group: 'cluster', source: 'loadBalancer', protocol: 'tcp', fromPort: 8000, toPort: 8000 },
    ]);
    // No SSH, ever.
    expect(rules.some((r) => r.fromPort !== undefined && r.fromPort <= 22 && (r.toPort ?? 0) >= 22)).toBe(false);
  });

  test('multi-node adds all traffic within the cluster group (EFA needs a self-referencing all-traffic rule)', () => {
    const plan = planDeployment({ model: 'deepseek-v3', precision: 'bf16', gpus: ['h200'] });
    expect(ingressRules(plan)).toContainEqual(expect.objectContaining({ group: 'cluster', source: 'cluster', protocol: 'all' }));
  });

  test('SGLang serves on its own port (30000, its default)', () => {
    const plan = planDeployment({ model: 'deepseek-r1-distill-qwen-1.5b', engine: 'sglang' });
    expect(ingressRules(plan)[0]).toMatchObject({ fromPort: 30000, toPort: 30000 });
    expect(egressRules(plan)[0]).toEqual(expect.objectContaining({ group: 'loadBalancer', destination: 'cluster', fromPort: 30000, toPort: 30000 }));
  });
});

describe('egressRules (issue 13 §5: egress limited to what boot and serving need)', () => {
  const single = planDeployment({ model: 'deepseek-r1-distill-qwen-1.5b' });
  const multi = planDeployment({ model: 'deepseek-v3', precision: 'bf16', gpus: ['h200'] });
  const view = (rules: ReturnType<typeof egressRules>) => rules.map((r) => `${r.group}→${r.destination === 'anywhere' ? r.cidrIpv4 : r.destination} ${r.protocol}${r.protocol === 'tcp' ? ` ${r.fromPort}-${r.toPort}` : ''}`);

  test('single node: the engine port from the load balancer, HTTPS out from the nodes, nothing else', () => {
    expect(view(egressRules(single))).toEqual([`loadBalancer→cluster tcp ${single.serving.port}-${single.serving.port}`, 'cluster→0.0.0.0/0 tcp 443-443']);
  });

  test('multi-node: plus all traffic from the node group to itself (EFA, NCCL); still nothing to the internet but HTTPS', () => {
    const rules = egressRules(multi);
    expect(view(rules)).toContain('cluster→cluster all');
    expect(rules.filter((r) => r.destination === 'anywhere').map((r) => [r.protocol, r.fromPort, r.toPort])).toEqual([['tcp', 443, 443]]);
  });

  test('FSx for Lustre: the Lustre ports to the file system and HTTP for its client package', () => {
    const rules = egressRules(multi, { fsxLustre: { ports: [{ fromPort: 988, toPort: 988 }, { fromPort: 1018, toPort: 1023 }] } });
    expect(view(rules)).toEqual(expect.arrayContaining(['cluster→fsx tcp 988-988', 'cluster→fsx tcp 1018-1023', 'cluster→0.0.0.0/0 tcp 80-80']));
  });
});

describe('peerIssues', () => {
  const world4 = { cidrIpv4: '0.0.0.0/0', label: 'anyIpv4' };
  const world6 = { cidrIpv6: '::/0', label: 'anyIpv6' };
  const office = { cidrIpv4: '203.0.113.0/24', label: 'office' };
  const sg = { label: 'sg-123' };

  test('anywhere-CIDRs are errors naming the index, unless allowPublicIngress', () => {
    const issues = peerIssues([office, world4, sg, world6], false);
    expect(issues.map((i) => i.path)).toEqual(['allowedPeers[1]', 'allowedPeers[3]']);
    expect(issues[0].message).toContain('0.0.0.0/0');
    expect(issues[0].message).toContain('allowPublicIngress');
    expect(peerIssues([world4, world6], true)).toEqual([]);
  });

  test('specific ranges and non-CIDR peers pass', () => {
    expect(peerIssues([office, sg, { cidrIpv4: '10.0.0.0/8', label: 'vpc' }], false)).toEqual([]);
  });
});

describe('efaNetworkInterfaces', () => {
  test('one per card: the primary EFA with ENA, the rest EFA-only on device index 1', () => {
    expect(efaNetworkInterfaces(4)).toEqual([
      { networkCardIndex: 0, deviceIndex: 0, interfaceType: 'efa' },
      { networkCardIndex: 1, deviceIndex: 1, interfaceType: 'efa-only' },
      { networkCardIndex: 2, deviceIndex: 1, interfaceType: 'efa-only' },
      { networkCardIndex: 3, deviceIndex: 1, interfaceType: 'efa-only' },
    ]);
    expect(efaNetworkInterfaces(0)).toEqual([]);
    // p5.48xlarge has 32 network cards (AWS EFA guide: "P5 ... support up to 32 network cards").
    const p5 = efaNetworkInterfaces(32);
    expect(new Set(p5.map((n) => n.networkCardIndex)).size).toBe(32);
    expect(p5.filter((n) => n.interfaceType === 'efa')).toHaveLength(1);
  });
});
