/**
 * Deployment-layout notices: the AWS blueprint (with its capacity), the EKS layout and the Azure
 * blueprint raise the registry code their situation calls for (lib/notices.ts, README.md "Notice codes"),
 * with the registry's severity, and `id` (the field older adapters read) equals the code.
 */
import { awsBlueprint, type AwsBlueprintOptions } from '../../lib/deploy/blueprint';
import { azureBlueprint } from '../../lib/deploy/azure';
import { eksLayout, type EksLayoutOptions } from '../../lib/deploy/eks';
import { NOTICES, type Notice, type NoticeCode } from '../../lib/notices';
import { planDeployment } from '../../lib/plan/planner';
import type { Plan } from '../../lib/plan/types';

const AWS: AwsBlueprintOptions = {
  clusterName: 'codes',
  apiKeySecret: { id: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:api-AbCdEf', policyArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:api-AbCdEf' },
  logGroup: { name: '/deepseek/engine', arn: 'arn:aws:logs:us-east-1:111122223333:log-group:/deepseek/engine' },
  partition: 'aws',
};
const TLS = { certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/x' };
const PINNED = 'deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B@ad9f0ae0864d7fbcd1cd905e3c6c5b069cc8b562';
const EKS: EksLayoutOptions = {
  clusterName: 'platform', subnetIds: ['subnet-0a1', 'subnet-0b2'], securityGroupIds: ['sg-0c3'], nodeRoleName: 'gpu-nodes', interruptionQueueName: 'platform',
};

const distill = planDeployment({ model: 'deepseek-r1-distill-qwen-1.5b' });
// V3 in BF16: the default source (deepseek-ai/DeepSeek-V3) is the FP8 release; two H200 nodes over EFA.
const v3Bf16 = planDeployment({ model: 'deepseek-v3', precision: 'bf16', gpus: ['h200'] });
// SGLang pins no image with the EFA libraries (lib/serving/profiles).
const v3Sglang = planDeployment({ model: 'deepseek-v3', precision: 'bf16', gpus: ['h200'], engine: 'sglang' });
// R1 FP8 on 2 × p5.48xlarge, its image swapped for one without the EFA libraries.
const r1TwoP5 = planDeployment({ model: 'deepseek-r1', precision: 'fp8', instanceType: 'p5.48xlarge', nodes: 2, dataParallelSize: 1 });
const r1TwoP5Stock: Plan = { ...r1TwoP5, serving: { ...r1TwoP5.serving, image: 'vllm/vllm-openai:v0.31.0', efaLibraries: false } };
// The ND H200 v5 row has no catalog price (test/catalog/azure-h200.test.ts).
const r1AzureH200 = planDeployment({ model: 'deepseek-r1', precision: 'fp8', target: 'azure', gpus: ['h200'], maxNodes: 1 });

const codesOf = (ns: readonly Notice[]) => ns.map((n) => n.code);

const CASES: readonly [string, NoticeCode, () => readonly Notice[]][] = [
  ['AWS: no certificateArn', 'DSIAC-AWS1', () => awsBlueprint(distill, { ...AWS, modelSource: PINNED }).warnings],
  ['AWS: a Hugging Face source without @revision', 'DSIAC-AWS2', () => awsBlueprint(distill, { ...AWS, tls: TLS }).warnings],
  ['AWS: a BF16 plan on the default FP8 release', 'DSIAC-AWS3', () => awsBlueprint(v3Bf16, AWS).warnings],
  ['AWS: multi-node over EFA, image without the EFA libraries', 'DSIAC-AWS4', () => awsBlueprint(v3Sglang, { ...AWS, modelSource: 's3://weights/deepseek-v3-bf16' }).warnings],
  // A plan whose alternatives are gone: no other type runs the same launch.
  ['AWS: fallback types asked, none compatible', 'DSIAC-AWS5', () => awsBlueprint({ ...distill, alternatives: [] }, { ...AWS, capacity: { fallbackInstanceTypes: true } }).warnings],
  ['AWS: Spot', 'DSIAC-AWS6', () => awsBlueprint(distill, { ...AWS, capacity: { spot: true } }).warnings],
  ['AWS: a Capacity Block', 'DSIAC-AWS7', () => awsBlueprint(distill, { ...AWS, capacity: { capacityBlockId: 'cr-0fedcba9876543210' } }).warnings],
  ['EKS: every layout (no NetworkPolicy)', 'DSIAC-EKS1', () => eksLayout(distill, EKS).notices],
  ['EKS: multi-node over EFA, image without the EFA libraries', 'DSIAC-EKS2', () => eksLayout(r1TwoP5Stock, EKS).notices],
  ['EKS: every layout (the API key Secret)', 'DSIAC-EKS3', () => eksLayout(distill, EKS).notices],
  ['Azure: an unpriced VM size', 'DSIAC-AZ1', () => azureBlueprint(r1AzureH200, { clusterName: 'codes', allowedCidrs: ['10.1.0.0/16'] }).warnings],
];

describe('deployment layouts raise the code their situation calls for', () => {
  test.each(CASES)('%s → %s', (_name, code, notices) => {
    const raised = notices();
    expect(codesOf(raised)).toContain(code);
    for (const n of raised) expect(n.severity).toBe(NOTICES[n.code].severity);
  });

  test('the opposite conditions do not raise them', () => {
    // TLS on and the source pinned: neither AWS1 nor AWS2 (nor anything else for this small plan).
    expect(awsBlueprint(distill, { ...AWS, modelSource: PINNED, tls: TLS }).warnings).toEqual([]);
    // The AWS vLLM container ships the EFA libraries: no EFA-image notice on EC2 or EKS.
    expect(codesOf(awsBlueprint(v3Bf16, { ...AWS, modelSource: 's3://weights/deepseek-v3-bf16' }).warnings)).not.toContain('DSIAC-AWS4');
    expect(codesOf(eksLayout(r1TwoP5, EKS).notices)).not.toContain('DSIAC-EKS2');
  });

  test('blueprint warnings keep the id field, equal to the code', () => {
    const bp = awsBlueprint(v3Bf16, { ...AWS, capacity: { spot: true } });
    expect(bp.warnings.length).toBeGreaterThan(0);
    for (const w of bp.warnings) expect(w.id).toBe(w.code);
  });

  test('the EKS layout\'s warnings are its notices\' messages, in order', () => {
    const l = eksLayout(r1TwoP5Stock, EKS);
    expect(l.warnings).toEqual(l.notices.map((n) => n.message));
  });
});
