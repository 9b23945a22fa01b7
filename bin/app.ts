/**
 * Reference CDK app: six DeepSeek deployments, each sized by the planner, checked by cdk-nag's
 * AwsSolutions and NIST.800.53.R5 packs. `npx cdk synth` needs no AWS credentials and no network: the stacks are
 * environment-agnostic and the AMI comes from a public SSM parameter resolved at deploy time.
 * Each stack's plan summary is printed to stderr at synth.
 *
 * Every reference stack deploys as given: its model source provides the precision it plans. A stack
 * whose checkpoint does not (the blueprint's `DSIAC-AWS3` finding (checkpoint not the release), e.g. BF16
 * planned from the FP8 release) fails synth instead of warning.
 */
import { App, CfnOutput, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { DeepSeekInferenceCluster, type DeepSeekInferenceClusterProps } from '../constructs/cdk';
import { addEksStacks } from './eks-stacks';
import type { NoticeCode } from '../lib/notices';

/**
 * The reference deployments: stack name → cluster props (planning fields only; the planner picks the hardware).
 * Hugging Face checkpoints are pinned to a commit (docs/model-revisions.md gives where each comes
 * from); the 70B distill's commit was not found in a public source, so that stack keeps the
 * `DSIAC-AWS2` warning (unpinned revision) until one is set.
 */
export const REFERENCE_STACKS: Readonly<Record<string, DeepSeekInferenceClusterProps>> = {
  /** The smallest R1 distill on the cheapest single GPU. */
  DeepSeekR1Distill1p5B: { model: 'deepseek-r1-distill-qwen-1.5b', modelSource: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B@ad9f0ae0864d7fbcd1cd905e3c6c5b069cc8b562' },
  DeepSeekR1Distill70B: { model: 'deepseek-r1-distill-llama-70b' },
  /** R1 as released (FP8) on one 8-GPU node. */
  DeepSeekR1Fp8: { model: 'deepseek-r1', precision: 'fp8', maxNodes: 1, modelSource: 'deepseek-ai/DeepSeek-R1@56d4cbbb4d29f4355bab4b9a39ccb717a14ad5ad' },
  /**
   * R1 as released (FP8) over two 8 × H100 nodes linked by EFA (R1 FP8 does not fit one 8 × H100 node):
   * the multi-node path, served from the AWS Deep Learning Container for vLLM, which ships the EFA libraries.
   */
  DeepSeekR1Fp8MultiNode: { model: 'deepseek-r1', precision: 'fp8', instanceType: 'p5.48xlarge', nodes: 2, modelSource: 'deepseek-ai/DeepSeek-R1@56d4cbbb4d29f4355bab4b9a39ccb717a14ad5ad' },
  /**
   * DeepSeek-V4-Flash-0731 as released (MXFP4 experts, FP8 rest: the default precision, which its Hugging
   * Face repository holds) with the recipe's FP8 KV cache, on the node and layout the planner chooses, one node.
   */
  DeepSeekV4Flash: { model: 'deepseek-v4-flash-0731', kvCacheDtype: 'fp8', maxNodes: 1 },
  /** DeepSeek-V4-Pro-0813 as released (MXFP4 experts, FP8 rest), planner's choice, one node. */
  DeepSeekV4Pro: { model: 'deepseek-v4-pro-0813', kvCacheDtype: 'fp8', maxNodes: 1 },
};

/** Blueprint notice that the model source does not provide the planned precision (lib/notices.ts). */
export const CHECKPOINT_MISMATCH_FINDING: NoticeCode = 'DSIAC-AWS3';

/** Raised when a reference stack would download a checkpoint that does not hold the precision it plans. */
export class ReferenceStackError extends Error {
  constructor(stack: string, message: string) {
    super(`reference stack ${stack}: ${message}`);
    this.name = 'ReferenceStackError';
  }
}

/** One reference deployment: the cluster and its outputs. */
export class DeepSeekReferenceStack extends Stack {
  readonly cluster: DeepSeekInferenceCluster;

  constructor(scope: Construct, id: string, clusterProps: DeepSeekInferenceClusterProps, props?: StackProps) {
    super(scope, id, props);
    this.cluster = new DeepSeekInferenceCluster(this, 'Cluster', clusterProps);
    // A reference stack must deploy as given: a checkpoint that lacks the planned precision is an error here, not a warning.
    const mismatch = this.cluster.blueprint.warnings.find((w) => w.code === CHECKPOINT_MISMATCH_FINDING);
    if (mismatch) throw new ReferenceStackError(id, mismatch.message);
    this.templateOptions.description = `deepseek-iac reference: ${this.cluster.blueprint.summary}`;
    new CfnOutput(this, 'ApiUrl', { value: this.cluster.endpoint.url, description: 'OpenAI-compatible base URL (internal)' });
    new CfnOutput(this, 'ApiKeySecretArn', { value: this.cluster.apiKeySecret.secretArn, description: 'Secret holding the API key' });
    new CfnOutput(this, 'EngineLogGroup', { value: this.cluster.logGroup.logGroupName });
    new CfnOutput(this, 'Plan', { value: this.cluster.blueprint.summary });
    if (this.cluster.modelStore) new CfnOutput(this, 'ModelStoreBucket', { value: this.cluster.modelStore.bucketName, description: 'S3 copy of the Hugging Face checkpoint' });
    if (this.cluster.alarmTopic) new CfnOutput(this, 'AlarmTopicArn', { value: this.cluster.alarmTopic.topicArn, description: 'Subscribe to receive the cluster alarms' });
    if (this.cluster.monitoring) new CfnOutput(this, 'Dashboard', { value: this.cluster.monitoring.dashboard.dashboardName });
  }
}

/** Build the reference app with cdk-nag AwsSolutions and NIST.800.53.R5 checks on every stack. */
export function buildApp(app: App = new App(), log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): App {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  for (const [name, props] of Object.entries(REFERENCE_STACKS)) {
    const stack = new DeepSeekReferenceStack(app, name, props);
    log(`${name}: ${stack.cluster.blueprint.summary}`);
  }
  return app;
}

if (require.main === module) addEksStacks(buildApp()).synth();
