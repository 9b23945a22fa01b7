/**
 * `awsLayout(plan, choices)`: the first of the two deploy phases. From the plan and the caller's
 * choices it decides every resource an AWS adapter creates — which exist, their names,
 * descriptions, retention, security rules, scheduled actions per group — and renders the blueprint
 * (user data, IAM statements) once, with the values only the adapter knows written as references
 * (refs.ts). The second phase is the adapter's mapping: it creates what the layout lists and
 * resolves the references its own way; it decides nothing.
 */
import { PlanError } from '../errors';
import type { Plan } from '../plan/types';
import type { Issue } from '../types';
import { awsBlueprint, blueprintIssues, type AwsBlueprint, type AwsBlueprintOptions, type BlueprintChoices } from './blueprint';
import { parseModelSource, modelSourceIssues } from './model-source';
import type { EgressRule } from './network';
import { agentConfigParameterName } from './observability';
import { KEY_ROTATION_DAYS } from './encryption';
import { DEFAULT_LOG_RETENTION_DAYS, logRetentionIssue } from './adapter-inputs';
import { ref as marker, type ReferenceStyle, type RefName } from './refs';

/** What the caller chose besides the plan (framework-free: the cdktf and Pulumi props reduce to this). */
export interface AwsLayoutChoices extends BlueprintChoices {
  /**
   * The caller's API-key secret: its ARN when the adapter has it as a string now (plain, or one of
   * its tokens), `true` when the adapter resolves it later as the `apiKeySecret.arn` reference.
   * @default a secret is created (`apiKeySecret` of the layout)
   */
  readonly apiKeySecretArn?: string | true;
  /** The caller's Hugging Face token secret, as `apiKeySecretArn` (`huggingFaceTokenSecret.arn`). @default none */
  readonly huggingFaceTokenSecretArn?: string | true;
  /** Cache a Hugging Face checkpoint in an S3 model store. @default true */
  readonly modelStore?: boolean;
  /** CloudWatch agent, metric filters, alarms, dashboard. @default true */
  readonly monitoring?: boolean;
  /** ACM certificate of a TLS listener (with load-balancer access logs), as `apiKeySecretArn` (`certificateArn`). @default plain TCP */
  readonly certificateArn?: string | true;
  /** VPC endpoints for the AWS APIs the nodes call. @default false */
  readonly vpcEndpoints?: boolean;
  /** VPC flow logs to a log group of the cluster. @default false */
  readonly flowLogs?: boolean;
  /** Retention of every log group, days. @default 30 */
  readonly logRetentionDays?: number;
  /** How references are written (refs.ts). @default 'token' */
  readonly referenceStyle?: ReferenceStyle;
}

/** A CloudWatch Logs group the adapter creates. */
export interface LogGroupSpec {
  readonly name: string;
  readonly retentionDays: number;
}

/** One scheduled action of one node group, sized. */
export interface GroupScheduledAction {
  readonly rank: number;
  readonly id: string;
  readonly cron: string;
  readonly timeZone: string;
  /** Min, max and desired size the action sets. */
  readonly size: number;
}

/** Everything an AWS adapter creates, decided. */
export interface AwsLayout {
  /** The deployment (user data, IAM, load balancer, node groups…); its strings may hold references. */
  readonly blueprint: AwsBlueprint;
  /** The customer-managed key that encrypts the logs, the created secret, the model store and the alarm topic. */
  readonly clusterKey: { readonly description: string; readonly rotationPeriodDays: number };
  /** The API-key secret to create (no value: the engine waits until one is stored); absent when given. */
  readonly apiKeySecret?: { readonly namePrefix: string; readonly description: string };
  readonly logGroups: { readonly engine: LogGroupSpec; readonly system?: LogGroupSpec; readonly flowLogs?: LogGroupSpec };
  /** The S3 model store bucket to create; absent without one (an `s3://` source or `modelStore: false`). */
  readonly modelStore?: { readonly bucketPrefix: string };
  /** The access-log bucket and who writes to it; absent when nothing does. */
  readonly accessLogs?: { readonly bucketPrefix: string; readonly loadBalancer: boolean; readonly modelStore: boolean };
  readonly securityGroups: { readonly cluster: { readonly description: string }; readonly loadBalancer: { readonly description: string } };
  /** Every outbound rule (groups the adapter creates allow nothing out by default). */
  readonly egressRules: readonly EgressRule[];
  readonly nodeRole: { readonly description: string };
  /** The workers' role (blueprint.workerIam): multi-node with a model store only. */
  readonly workerRole?: { readonly description: string };
  readonly placementGroup?: { readonly name: string; readonly strategy: 'cluster' };
  /** The CloudWatch agent's configuration parameter; absent without monitoring. */
  readonly agentConfigParameter?: { readonly name: string };
  /** Per group and schedule entry (empty without a schedule). */
  readonly scheduledActions: readonly GroupScheduledAction[];
  readonly vpcEndpoints: boolean;
  readonly flowLogs: boolean;
  /** The plan's cost of all nodes while running, USD per hour with two decimals, or `unpriced`. */
  readonly hourlyCostUsd: string;
  /** `http` or `https` (with a TLS listener): the scheme of the endpoint URL. */
  readonly urlScheme: 'http' | 'https';
}

/**
 * Nodes report themselves unhealthy (a failed boot, a lost GPU, an engine down past its restart
 * grace) so their group replaces them: every AWS cluster turns this on (the CDK construct passes it
 * to awsBlueprint, awsLayout sets it).
 */
export const NODES_REPORT_UNHEALTHY = true;

/** The blueprint's schedule per node group, each action sized: 0 to stop, the group's size to start. */
export function groupScheduledActions(bp: AwsBlueprint): GroupScheduledAction[] {
  return bp.nodeGroups.flatMap((g) => (bp.schedule?.actions ?? []).map((a) => ({
    rank: g.rank, id: a.id, cron: a.cron, timeZone: a.timeZone, size: a.size === 0 ? 0 : g.size,
  })));
}

/** Whether a model store exists: a Hugging Face checkpoint is cached unless turned off; an `s3://` source is read directly. */
export function modelStoreExists(plan: Plan, modelSource: string | undefined, wanted: boolean): boolean {
  const source = modelSource ?? plan.model.hfId;
  return wanted && source !== undefined && modelSourceIssues(source).length === 0 && parseModelSource(source).kind === 'huggingface';
}

/** Every problem {@link awsLayout} would report, before anything is created. */
export function layoutIssues(plan: Plan, choices: AwsLayoutChoices): Issue[] {
  const issues = blueprintIssues(plan, choices);
  const retention = logRetentionIssue(choices.logRetentionDays);
  if (retention) issues.push(retention);
  return issues;
}

/**
 * Decide the AWS deployment of a plan for an adapter that creates its own resources (cdktf, Pulumi).
 * @throws PlanError with every problem (layoutIssues, then the blueprint's own: user data over 16 KB).
 */
export function awsLayout(plan: Plan, choices: AwsLayoutChoices): AwsLayout {
  const issues = layoutIssues(plan, choices);
  if (issues.length > 0) throw new PlanError(issues);
  const name = choices.clusterName;
  const retentionDays = choices.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
  const monitoring = choices.monitoring ?? true;
  const tls = choices.certificateArn !== undefined;
  const store = modelStoreExists(plan, choices.modelSource, choices.modelStore ?? true);
  const engineLogs = { name: `/deepseek-iac/${name}`, retentionDays };
  const systemLogs = monitoring ? { name: `/deepseek-iac/${name}/system`, retentionDays } : undefined;
  const agentParameter = monitoring ? agentConfigParameterName(name) : undefined;
  const ref = (n: RefName) => marker(n, choices.referenceStyle ?? 'token');
  const partition = ref('partition');
  const given = (value: string | true | undefined, refName: RefName) => (value === true ? ref(refName) : value);
  const apiKey = given(choices.apiKeySecretArn, 'apiKeySecret.arn') ?? ref('apiKeySecret.arn');
  const hfToken = given(choices.huggingFaceTokenSecretArn, 'huggingFaceTokenSecret.arn');
  const certificateArn = given(choices.certificateArn, 'certificateArn');
  const options: AwsBlueprintOptions = {
    clusterName: name,
    ...(choices.modelSource !== undefined ? { modelSource: choices.modelSource } : {}),
    ...(choices.weightsStorage !== undefined ? { weightsStorage: choices.weightsStorage } : {}),
    ...(choices.capacity !== undefined ? { capacity: choices.capacity } : {}),
    ...(choices.schedule !== undefined ? { schedule: choices.schedule } : {}),
    ...(choices.extraTags !== undefined ? { extraTags: choices.extraTags } : {}),
    apiKeySecret: { id: apiKey, policyArn: apiKey },
    ...(hfToken !== undefined ? { huggingFaceTokenSecret: { id: hfToken, policyArn: hfToken } } : {}),
    logGroup: { name: engineLogs.name, arn: ref('engineLogGroup.arn') },
    partition,
    // Nodes decrypt with the cluster key and report themselves unhealthy, so their group replaces them.
    kmsKeyArns: [ref('clusterKey.arn')],
    reportUnhealthy: NODES_REPORT_UNHEALTHY,
    ...(store ? { modelStore: { bucketName: ref('modelStore.bucketName'), bucketArn: ref('modelStore.arn'), kmsKeyArn: ref('clusterKey.arn') } } : {}),
    ...(systemLogs && agentParameter
      ? {
          observability: {
            systemLogGroup: { name: systemLogs.name, arn: ref('systemLogGroup.arn') },
            agentConfigParameter: { name: agentParameter, arn: `arn:${partition}:ssm:${ref('region')}:${ref('accountId')}:parameter${agentParameter}` },
          },
        }
      : {}),
    ...(certificateArn !== undefined ? { tls: { certificateArn } } : {}),
  };
  const bp = awsBlueprint(plan, options);
  const multi = bp.nodes > 1;
  return {
    blueprint: bp,
    clusterKey: { description: `deepseek-iac ${name}: logs, API key`, rotationPeriodDays: KEY_ROTATION_DAYS },
    ...(choices.apiKeySecretArn !== undefined
      ? {}
      : {
          apiKeySecret: {
            namePrefix: `deepseek-iac/${name}/api-key-`,
            description: `API key of the ${plan.model.id} inference cluster ${name}; store it with aws secretsmanager put-secret-value`,
          },
        }),
    logGroups: {
      engine: engineLogs,
      ...(systemLogs ? { system: systemLogs } : {}),
      ...(choices.flowLogs ? { flowLogs: { name: `/deepseek-iac/${name}/vpc-flow-logs`, retentionDays } } : {}),
    },
    ...(store ? { modelStore: { bucketPrefix: 'deepseek-iac-models-' } } : {}),
    // One bucket for the store's server access logs and the TLS listener's access logs (NLB access logs exist for TLS listeners only).
    ...(store || tls ? { accessLogs: { bucketPrefix: 'deepseek-iac-access-logs-', loadBalancer: tls, modelStore: store } } : {}),
    securityGroups: {
      cluster: { description: `${name} nodes: engine port from the load balancer${multi ? ', all traffic between nodes' : ''}; no SSH` },
      loadBalancer: { description: `${name} API: port ${bp.loadBalancer.port} from allowed peers` },
    },
    egressRules: bp.egressRules,
    nodeRole: { description: bp.workerIam ? `${name} GPU nodes: rank 0 (fills the model store)` : `${name} GPU nodes` },
    ...(bp.workerIam ? { workerRole: { description: `${name} GPU nodes: workers (read the model store, never write it)` } } : {}),
    ...(bp.placementGroup ? { placementGroup: { name: `deepseek-iac-${name}`, strategy: bp.placementGroup.strategy } } : {}),
    ...(agentParameter ? { agentConfigParameter: { name: agentParameter } } : {}),
    scheduledActions: groupScheduledActions(bp),
    vpcEndpoints: choices.vpcEndpoints ?? false,
    flowLogs: choices.flowLogs ?? false,
    hourlyCostUsd: bp.cost?.hourlyUsd !== undefined ? bp.cost.hourlyUsd.toFixed(2) : 'unpriced',
    urlScheme: tls ? 'https' : 'http',
  };
}
