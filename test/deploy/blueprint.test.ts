/** awsBlueprint: the plan mapped to AWS decisions, and every problem reported at once. */
import { PlanError } from '../../lib/errors';
import { planDeployment } from '../../lib/plan/planner';
import { awsBlueprint, blueprintIssues, DLAMI_SSM_PARAMETER, type AwsBlueprintOptions } from '../../lib/deploy/blueprint';
import { healthCheckGraceSeconds } from '../../lib/deploy/health';

const options: AwsBlueprintOptions = {
  clusterName: 'bp-test',
  apiKeySecret: { id: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:api-AbCdEf', policyArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:api-AbCdEf' },
  logGroup: { name: '/deepseek/engine', arn: 'arn:aws:logs:us-east-1:111122223333:log-group:/deepseek/engine' },
  partition: 'aws',
};

function issuesOf(f: () => unknown) {
  try {
    f();
  } catch (e) {
    if (e instanceof PlanError) return e.issues;
    throw e;
  }
  throw new Error('expected a PlanError');
}

describe('awsBlueprint, single node', () => {
  const plan = planDeployment({ model: 'deepseek-r1-distill-qwen-1.5b' });

  test('EBS weights volume: plan size, gp3, encrypted, 1000 MiB/s, 16000 IOPS; root 200 GiB encrypted', () => {
    const bp = awsBlueprint(plan, { ...options, weightsStorage: 'ebs' });
    // volumeGiB: the 500 GiB floor (a 3.6 GB checkpoint × 1.15 is far below it).
    expect(bp.dataVolume).toEqual({ deviceName: '/dev/sdf', sizeGiB: 500, volumeType: 'gp3', encrypted: true, deleteOnTermination: true, throughputMiBps: 1000, iops: 16000 });
    expect(bp.rootVolume).toMatchObject({ deviceName: '/dev/sda1', sizeGiB: 200, encrypted: true });
    expect(bp.storage).toEqual({ kind: 'ebs', volumeGiB: 500 });
  });

  test('auto follows the plan: instance store when it holds the checkpoint, and then no EBS data volume', () => {
    expect(plan.storage.preferInstanceStore).toBe(true);
    const bp = awsBlueprint(plan, options);
    expect(bp.storage).toEqual({ kind: 'instance-store' });
    expect(bp.dataVolume).toBeUndefined();
  });

  test('one node group of one serving node, no EFA, no placement group, AMI from the DLAMI SSM parameter, IMDSv2', () => {
    const bp = awsBlueprint(plan, options);
    expect(bp.nodes).toBe(1);
    expect(bp.nodeGroups).toHaveLength(1);
    expect(bp.nodeGroups[0]).toMatchObject({ rank: 0, role: 'single', size: 1, servesTraffic: true, tags: { 'deepseek-iac:cluster': 'bp-test', 'deepseek-iac:rank': '0' } });
    expect(bp.networkInterfaces).toEqual([]);
    expect(bp.placementGroup).toBeUndefined();
    expect(bp.singleSubnet).toBe(false);
    expect(bp.machineImage.ssmParameter).toBe(DLAMI_SSM_PARAMETER);
    expect(DLAMI_SSM_PARAMETER).toBe('/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id');
    expect(bp.instanceMetadata).toEqual({ httpTokens: 'required', httpPutResponseHopLimit: 1 });
    expect(bp.loadBalancer).toMatchObject({ scheme: 'internal', port: 8000, healthCheck: { protocol: 'HTTP', path: '/health', port: 8000 } });
    expect(bp.healthCheckGraceSeconds).toBe(healthCheckGraceSeconds(plan.storage.checkpointBytes));
    // Issue 13: served without TLS, and the default source follows main.
    expect(bp.warnings.map((w) => w.code)).toEqual(['DSIAC-AWS1', 'DSIAC-AWS2']);
    const pinned = { ...options, modelSource: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B@ad9f0ae0864d7fbcd1cd905e3c6c5b069cc8b562' };
    expect(awsBlueprint(plan, { ...pinned, tls: { certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/x' } }).warnings).toEqual([]);
  });

  test('the default model source is the plan model\'s Hugging Face repository', () => {
    expect(awsBlueprint(plan, options).modelSource).toMatchObject({ kind: 'huggingface', repoId: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B' });
  });
});

describe('awsBlueprint, multi-node', () => {
  const plan = planDeployment({ model: 'deepseek-v3', precision: 'bf16', gpus: ['h200'] });
  const bp = awsBlueprint(plan, { ...options, modelSource: 's3://weights/deepseek-v3-bf16' });

  test('one group per rank, rank 0 the head and the only one behind the load balancer', () => {
    expect(bp.nodeGroups.map((g) => [g.rank, g.role, g.size, g.servesTraffic])).toEqual(
      Array.from({ length: plan.topology.nodes }, (_, r) => [r, r === 0 ? 'head' : 'worker', 1, r === 0]),
    );
    expect(bp.nodeGroups.reduce((n, g) => n + g.size, 0)).toBe(plan.topology.nodes);
  });

  test('EFA interfaces = the plan\'s count, cluster placement group, one subnet, self all-traffic rule, DescribeInstances', () => {
    expect(bp.networkInterfaces).toHaveLength(plan.topology.efaInterfacesPerNode);
    expect(bp.placementGroup).toEqual({ strategy: 'cluster' });
    expect(bp.singleSubnet).toBe(true);
    expect(bp.ingressRules).toContainEqual(expect.objectContaining({ source: 'cluster', protocol: 'all' }));
    expect(bp.iam.statements.find((s) => s.sid === 'DiscoverHead')?.resources).toEqual(['*']);
  });

  test('the launch runs the AWS vLLM container, which ships the EFA libraries: no EFA-image warning', () => {
    expect(plan.serving.efaLibraries).toBe(true);
    expect(bp.warnings.map((w) => w.code)).not.toContain('DSIAC-AWS4');
  });

  test('warns when the image lacks the EFA libraries (SGLang: no EFA image is pinned)', () => {
    const sglang = planDeployment({ model: 'deepseek-v3', precision: 'bf16', gpus: ['h200'], engine: 'sglang' });
    expect(sglang.serving.efaLibraries).toBe(false);
    expect(awsBlueprint(sglang, { ...options, modelSource: 's3://weights/deepseek-v3-bf16' }).warnings.map((w) => w.code)).toContain('DSIAC-AWS4');
  });

  test('warns when the default source is the FP8 release but the plan serves BF16', () => {
    const defaulted = awsBlueprint(plan, options);
    expect(defaulted.warnings.map((w) => w.code)).toContain('DSIAC-AWS3');
    expect(bp.warnings.map((w) => w.code)).not.toContain('DSIAC-AWS3');
  });

  test('every rank\'s user data fits EC2\'s 16 KB limit', () => {
    for (const g of bp.nodeGroups) expect(Buffer.byteLength(g.userData)).toBeLessThan(16 * 1024);
  });
});

describe('awsBlueprint errors', () => {
  test('all problems at once: bad source, bad cluster name, instance store too small', () => {
    const plan = planDeployment({ model: 'deepseek-r1-distill-llama-70b', instanceType: 'g6e.12xlarge' });
    const tiny = { ...plan, storage: { ...plan.storage, preferInstanceStore: false, localNvmeGB: 100 } };
    const issues = issuesOf(() => awsBlueprint(tiny, { ...options, clusterName: 'bad name', modelSource: 'gs://x/y', weightsStorage: 'instance-store' }));
    expect(issues.map((i) => i.path).sort()).toEqual(['clusterName', 'modelSource', 'weightsStorage']);
    expect(issues.find((i) => i.path === 'weightsStorage')?.message).toContain('100 GB');
  });

  test('a model without a Hugging Face id needs an explicit source', () => {
    const plan = planDeployment({ model: 'deepseek-r1-distill-qwen-1.5b' });
    const anonymous = { ...plan, model: { ...plan.model, hfId: undefined } };
    expect(issuesOf(() => awsBlueprint(anonymous, options))[0]).toMatchObject({ path: 'modelSource' });
  });
});

describe('awsBlueprint, day 2', () => {
  const plan = planDeployment({ model: 'deepseek-r1-distill-qwen-1.5b' });
  const store = { bucketName: 'store-bucket', bucketArn: 'arn:aws:s3:::store-bucket', kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/k-1' };
  const observability = {
    systemLogGroup: { name: 'system', arn: 'arn:aws:logs:us-east-1:111122223333:log-group:system' },
    agentConfigParameter: { name: '/deepseek-iac/bp-test/cloudwatch-agent', arn: 'arn:aws:ssm:us-east-1:111122223333:parameter/deepseek-iac/bp-test/cloudwatch-agent' },
  };

  test('model store for a Hugging Face source: prefix, user data, IAM, key; the grace period follows the first (Hugging Face) boot', () => {
    const bp = awsBlueprint(plan, { ...options, modelStore: store });
    expect(bp.modelStore).toEqual({ ...store, prefix: 'deepseek-iac/models/deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B/default' });
    expect(bp.nodeGroups[0].userData).toContain('readonly CACHE_BUCKET=store-bucket');
    expect(bp.nodeGroups[0].userData).toContain('readonly CACHE_PREFIX=deepseek-iac/models/deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B/default');
    expect(bp.iam.statements.map((s) => s.sid)).toEqual(expect.arrayContaining(['ListModelStore', 'ModelStoreObjects', 'UseClusterKey']));
    expect(bp.iam.statements.find((s) => s.sid === 'UseClusterKey')?.resources).toEqual(['arn:aws:kms:us-east-1:111122223333:key/k-1']);
    expect(bp.weightLoad?.laterBoots?.source).toBe('model-store');
    expect(bp.healthCheckGraceSeconds).toBe(bp.weightLoad?.graceSeconds);
    expect(bp.healthCheckGraceSeconds).toBe(healthCheckGraceSeconds(plan.storage.checkpointBytes));
  });

  test('an s3:// source ignores the store and reads S3 directly', () => {
    const bp = awsBlueprint(plan, { ...options, modelSource: 's3://weights/qwen', modelStore: store });
    expect(bp.modelStore).toBeUndefined();
    expect(bp.nodeGroups[0].userData).toContain("readonly CACHE_BUCKET=''");
    expect(bp.weightLoad?.firstBoot.source).toBe('s3');
  });

  test('observability: agent parameter in user data, agent statements, alarms and dashboard', () => {
    const bp = awsBlueprint(plan, { ...options, observability });
    expect(bp.nodeGroups[0].userData).toContain('readonly CW_AGENT_CONFIG=/deepseek-iac/bp-test/cloudwatch-agent');
    expect(bp.observability?.namespace).toBe('DeepSeekIac/bp-test');
    expect(bp.observability?.alarms.map((a) => a.id)).toEqual(['UnhealthyTargets', 'Http5xxRate', 'GpuMemoryHigh', 'GpuXidErrors']);
    expect(bp.iam.statements.map((s) => s.sid)).toEqual(expect.arrayContaining(['PublishGpuMetrics', 'AgentLogs', 'ReadAgentConfig']));
    expect(bp.vpcEndpoints?.map((e) => e.service)).toContain('monitoring');
    expect(awsBlueprint(plan, options).observability).toBeUndefined();
  });

  test('reportUnhealthy: nodes may mark themselves unhealthy in this cluster\'s groups only; off by default', () => {
    const on = awsBlueprint(plan, { ...options, reportUnhealthy: true });
    expect(on.iam.statements.find((s) => s.sid === 'ReportOwnHealth')?.conditions)
      .toEqual({ StringEquals: { 'autoscaling:ResourceTag/deepseek-iac:cluster': ['bp-test'] } });
    expect(on.nodeGroups[0].userData).toContain('readonly REPORT_UNHEALTHY=1');
    expect(on.vpcEndpoints?.map((e) => e.service)).toContain('autoscaling');
    const off = awsBlueprint(plan, options);
    expect(off.iam.statements.map((s) => s.sid)).not.toContain('ReportOwnHealth');
    expect(off.nodeGroups[0].userData).toContain('readonly REPORT_UNHEALTHY=0');
  });

  test('TLS listener, cost tags, schedule and cost summary', () => {
    const bp = awsBlueprint(plan, {
      ...options, tls: { certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/c-1' }, extraTags: { 'cost-center': 'ml-42' },
      schedule: { stopCron: '0 20 * * 1-5', startCron: '0 7 * * 1-5' },
    });
    expect(bp.loadBalancer.tls).toEqual({ certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/c-1', sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' });
    expect(bp.loadBalancer.protocol).toBe('TCP');
    expect(bp.tags).toEqual({ 'cost-center': 'ml-42', 'deepseek-iac:cluster': 'bp-test', 'deepseek-iac:model': 'deepseek-r1-distill-qwen-1.5b' });
    expect(bp.schedule?.runningHoursPerWeek).toBe(65);
    // The plan's hourly price × the 65 running hours of the schedule.
    expect(bp.cost?.hourlyUsd).toBe(plan.cost.hourlyUsd);
    expect(bp.cost?.weeklyUsd).toBeCloseTo(plan.cost.hourlyUsd! * 65, 6);
    expect(bp.cost?.description).toContain('1 × g6.xlarge');
  });

  test('capacity problems, bad schedules and tags are found by blueprintIssues before anything is built', () => {
    const issues = blueprintIssues(plan, {
      clusterName: 'bp-test', capacity: { capacityReservationId: 'nope', spot: true }, schedule: { stopCron: 'bad', startCron: '0 7 * * *' },
      extraTags: { 'aws:x': 'y' },
    });
    expect(issues.map((i) => i.path).sort()).toEqual(['capacity.capacityReservationId', 'capacity.spot', 'costAllocationTags.aws:x', 'schedule.stopCron']);
    expect(() => awsBlueprint(plan, { ...options, capacity: { spot: true, capacityBlockId: 'cr-0123456789abcdef0' } })).toThrow(PlanError);
  });

  test('capacity and its warnings are part of the blueprint', () => {
    const bp = awsBlueprint(plan, { ...options, capacity: { fallbackInstanceTypes: true, spot: true } });
    expect(bp.capacity?.instanceTypes[0]).toBe('g6.xlarge');
    expect(bp.capacity?.instanceTypes.length).toBeGreaterThan(1);
    expect(bp.warnings.map((w) => w.code)).toContain('DSIAC-AWS6');
  });

  test('an engine launch without an API-key variable is refused: the key is always enforced', () => {
    const keyless = { ...plan, serving: { ...plan.serving, apiKeyEnv: '' } };
    expect(issuesOf(() => awsBlueprint(keyless, options)).map((i) => i.path)).toContain('engine');
  });
});
