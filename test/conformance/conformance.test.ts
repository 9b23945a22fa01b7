/**
 * One table of deployments (scenarios.ts) through the three AWS adapters: the CDK construct
 * (Template.fromStack), the cdktf construct (Testing.synthScope) and the Pulumi component (mocks).
 * For each, the deployed shape (instance type, ASG sizes, volumes, IMDS, placement group, EFA
 * interfaces, security rules, load balancer, IAM, tags and the whole boot script, and the Day-2
 * capacity, scheduled actions and cost-allocation tags) must equal what
 * the core's blueprint says, and the engine argv that bash reads out of each rank's user data must
 * equal the command in the core plan's serving launch. One synth per scenario per adapter.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Peer } from 'aws-cdk-lib/aws-ec2';
import { Testing } from 'cdktf';
import * as pulumi from '@pulumi/pulumi';
import { planDeployment } from '../../lib/plan/planner';
import type { Plan } from '../../lib/plan/types';
import { agentConfigParameterName, awsBlueprint } from '../../lib/deploy';
import { DeepSeekInferenceCluster as CdkCluster } from '../../constructs/cdk';
import { DeepSeekInferenceCluster as TfCluster } from '../../constructs/cdktf';
import { DeepSeekInferenceCluster as PulumiCluster } from '../../constructs/pulumi';
import { ALLOWED_CIDR, SCENARIOS, SUBNET_COUNT, type Scenario } from './scenarios';
import { REF, expectedCluster, type ObservedCluster } from './observed';
import { observeCdk } from './observe-cdk';
import { observeCdktf } from './observe-cdktf';
import { observePulumi } from './observe-pulumi';
import { runPulumi, valueOf } from '../constructs/pulumi/mocks';

const SUBNETS = Array.from({ length: SUBNET_COUNT }, (_, i) => `subnet-conf${i}`);

/** Placement props every adapter gets for a scenario (same cluster name, so tags and user data compare byte for byte). */
function placement(s: Scenario) {
  return {
    ...s.spec,
    clusterName: `conf-${s.id}`,
    ...(s.modelSource !== undefined ? { modelSource: s.modelSource } : {}),
    ...(s.weightsStorage !== undefined ? { weightsStorage: s.weightsStorage } : {}),
    ...day2(s),
  };
}

/** The model-store prop: a boolean in cdktf and Pulumi; CDK creates one by default and takes `false` or a bucket. */
const tfModelStore = (s: Scenario) => ({ modelStore: s.modelStore ?? false });
const cdkModelStore = (s: Scenario) => (s.modelStore ? {} : { modelStore: false as const });

/** The Day-2 choices of a scenario: the same prop names in all three adapters. */
function day2(s: Scenario) {
  return {
    ...(s.capacity !== undefined ? { capacity: s.capacity } : {}),
    ...(s.schedule !== undefined ? { schedule: s.schedule } : {}),
    ...(s.costAllocationTags !== undefined ? { costAllocationTags: s.costAllocationTags } : {}),
    monitoring: s.monitoring ?? false,
    ...(s.certificateArn !== undefined ? { certificateArn: s.certificateArn } : {}),
  };
}

beforeAll(() => {
  // Plan and blueprint warnings are asserted in the adapter tests; here they are noise.
  jest.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve());
});

describe.each(SCENARIOS)('$id', (scenario) => {
  let plan: Plan;
  let expected: ObservedCluster;

  beforeAll(() => {
    plan = planDeployment({ target: 'aws', ...scenario.spec });
    const options = {
      clusterName: `conf-${scenario.id}`,
      ...(scenario.modelSource !== undefined ? { modelSource: scenario.modelSource } : {}),
      weightsStorage: scenario.weightsStorage ?? 'auto',
      ...(scenario.capacity !== undefined ? { capacity: scenario.capacity } : {}),
      ...(scenario.schedule !== undefined ? { schedule: scenario.schedule } : {}),
      ...(scenario.certificateArn !== undefined ? { tls: { certificateArn: scenario.certificateArn } } : {}),
      ...(scenario.costAllocationTags !== undefined ? { extraTags: scenario.costAllocationTags } : {}),
      // The agent parameter's ARN: partition, then region and account left to deploy time (`<ref>`).
      ...(scenario.monitoring
        ? {
            observability: {
              systemLogGroup: { name: REF, arn: REF },
              agentConfigParameter: { name: agentConfigParameterName(`conf-${scenario.id}`), arn: `arn:aws:ssm:${REF}:${REF}:parameter${agentConfigParameterName(`conf-${scenario.id}`)}` },
            },
          }
        : {}),
      // The store's name and ARN are deploy-time values in every adapter; its key is the cluster key.
      ...(scenario.modelStore ? { modelStore: { bucketName: REF, bucketArn: REF, kmsKeyArn: REF } } : {}),
      apiKeySecret: { id: REF, policyArn: REF },
      logGroup: { name: REF, arn: REF },
      partition: 'aws',
      // Every adapter encrypts with its cluster KMS key and lets nodes report themselves unhealthy (issue 6).
      kmsKeyArns: [REF],
      reportUnhealthy: true,
    } as const;
    expected = expectedCluster(awsBlueprint(plan, options), SUBNET_COUNT, ALLOWED_CIDR);
  });

  test(`core plan: ${scenario.expectNodes} node(s) × ${scenario.expectGpusPerNode} GPU(s) (${scenario.why})`, () => {
    expect(plan.topology.nodes).toBe(scenario.expectNodes);
    expect(plan.topology.gpusPerNode).toBe(scenario.expectGpusPerNode);
    // Multi-node plans go over EFA with a placement group; single-node ones attach no EFA interfaces.
    expect(expected.nodeGroups.every((g) => (g.networkInterfaces.length > 0) === (scenario.expectNodes > 1))).toBe(true);
    expect(expected.placementStrategy).toBe(scenario.expectNodes > 1 ? 'cluster' : undefined);
  });

  test('issue 13 §3: the load balancer targets the API front; the engine listens on loopback only', () => {
    const serving = expected.nodeGroups.filter((g) => g.servesTraffic);
    expect(serving.map((g) => g.rank)).toEqual([0]);
    const front = serving[0]!.engine.front!;
    expect(front.listenPort).toBe(plan.serving.port);
    expect(expected.loadBalancer.targetPort).toBe(front.listenPort);
    expect(expected.loadBalancer.healthCheck.port).toBe(String(front.listenPort));
    expect(front.upstream).toBe(`127.0.0.1:${plan.serving.port + 1}`);
    const argv = serving[0]!.engine.argv.join(' ');
    expect(argv).toContain(`--host 127.0.0.1 --port ${plan.serving.port + 1}`);
    expect(argv).not.toContain('0.0.0.0');
    for (const g of expected.nodeGroups.filter((x) => x.rank !== 0)) expect(g.engine.front).toBeUndefined();
  });

  test('the Day-2 choices show in the expectation (so the adapters are compared on them, not on empty fields)', () => {
    for (const g of expected.nodeGroups) {
      expect(g.scheduledActions).toHaveLength(scenario.schedule ? 2 : 0);
      expect(g.capacity.overrides).toHaveLength(scenario.capacity?.fallbackInstanceTypes === 2 ? 3 : scenario.capacity?.spot ? 1 : 0);
      expect(g.capacity.capacityRebalance).toBe(scenario.capacity?.spot === true);
      expect(g.capacity.capacityReservationId).toBe(scenario.capacity?.capacityBlockId ?? scenario.capacity?.capacityReservationId);
      expect(g.instanceTags).toEqual(expect.objectContaining(scenario.costAllocationTags ?? {}));
    }
    expect(expected.alarms).toHaveLength(scenario.monitoring ? 4 : 0);
    // Issue 13: with alarms, CloudWatch (and only this account's alarms) may publish to their topic.
    expect(expected.alarmTopicGrants).toEqual(scenario.monitoring
      ? [{ sid: 'CloudWatchAlarmsPublish', service: 'cloudwatch.amazonaws.com', actions: ['sns:Publish'], conditions: {
          StringEquals: { 'aws:SourceAccount': REF }, ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:${REF}:${REF}:alarm:*` } } }]
      : []);
    expect(expected.statements.some((st) => st.sid === 'ModelStoreObjects')).toBe(scenario.modelStore === true);
    // Issue 13 §5: only rank 0 fills the model store; the workers take a role that cannot write to it.
    const workers = expected.nodeGroups.filter((g) => g.instanceRole === 'worker').map((g) => g.rank);
    expect(workers).toEqual(scenario.modelStore === true && scenario.expectNodes > 1 ? Array.from({ length: scenario.expectNodes - 1 }, (_, i) => i + 1) : []);
    expect(expected.workerStatements.flatMap((st) => st.actions).filter((a) => a === 's3:PutObject' || a === 'kms:GenerateDataKey')).toEqual([]);
    expect(expected.workerStatements.some((st) => st.sid === 'ReadModelStore')).toBe(workers.length > 0);
    expect(expected.loadBalancerTags).toEqual(expect.objectContaining({ ...scenario.costAllocationTags, 'deepseek-iac:cluster': `conf-${scenario.id}` }));
  });

  test('AWS CDK deploys the blueprint', () => {
    const stack = new Stack(new App(), 'Conformance');
    // VPC endpoints are asserted in test/constructs/cdk/day2-*; monitoring and the model store follow
    // the scenario (placement()), as in the cdktf and Pulumi adapters.
    const cluster = new CdkCluster(stack, 'Cluster', { ...placement(scenario), allowedPeers: [Peer.ipv4(ALLOWED_CIDR)], ...cdkModelStore(scenario), vpcEndpoints: false });
    expect(cluster.plan).toEqual(plan);
    expect(observeCdk(stack, cluster)).toEqual(expected);
  });

  test('cdktf deploys the blueprint', () => {
    let cluster: TfCluster | undefined;
    const out = Testing.synthScope((scope) => {
      cluster = new TfCluster(scope, 'Cluster', { ...placement(scenario), vpcId: 'vpc-conf', subnetIds: SUBNETS, allowedCidrs: [ALLOWED_CIDR], ...tfModelStore(scenario) });
    });
    expect(cluster!.plan).toEqual(plan);
    expect(observeCdktf(out, cluster!)).toEqual(expected);
  });

  test('Pulumi deploys the blueprint', async () => {
    let cluster: PulumiCluster | undefined;
    const run = await runPulumi(() => {
      cluster = new PulumiCluster(`conf-${scenario.id}`, { ...placement(scenario), vpcId: 'vpc-conf', subnetIds: SUBNETS, allowedCidrs: [ALLOWED_CIDR], ...tfModelStore(scenario) });
    });
    expect(cluster!.plan).toEqual(plan);
    const ids = { cluster: await valueOf(cluster!.securityGroup.id), loadBalancer: await valueOf(cluster!.loadBalancerSecurityGroup.id) };
    expect(observePulumi(run.resources, ids)).toEqual(expected);
  });
});
