/**
 * The validation preamble of the cdktf and Pulumi clusters, written once: every value that must be
 * known now but is deferred (a Terraform token, a Pulumi Output or promise), the plan, the layout's
 * own checks, the CIDR peers and the placement props, collected into one list of problems; then the
 * layout (lib/deploy/layout.ts), which decides every resource. Nothing is created before it returns.
 */
import { isPlanError } from '../../errors';
import { awsSpecFromProps } from '../../input/from-props';
import type { DeploymentSpec } from '../../input/types';
import { planWithOverrides } from '../../plan/overrides';
import type { Plan } from '../../plan/types';
import type { Issue } from '../../types';
import { awsLayout, layoutIssues, modelSourceIssues, peerIssues, type AwsLayout, type AwsLayoutChoices, type PeerCidr } from '..';
import { cidrPeers, logRetentionIssue } from '../adapter-inputs';
import type { ReferenceStyle } from '../refs';
import type { TerraformShapeClusterProps } from './props';

/** How a framework defers values: what it cannot read now, and how it says so. */
export interface Deferral {
  /** Whether `value` is only known later (a token, an Output, a promise). */
  isDeferred(value: unknown): boolean;
  /** The problem of a deferred value that must be plain. */
  readonly message: string;
  /** The problem of a deferred list where a plain array is needed (its elements may be deferred). */
  readonly listMessage: string;
  /** How the layout writes references for this framework (lib/deploy/refs.ts). */
  readonly referenceStyle: ReferenceStyle;
}

/** A valid cluster: its plan, its layout and the CIDR peers of the API. */
export interface ValidatedCluster {
  readonly plan: Plan;
  readonly layout: AwsLayout;
  readonly peers: readonly PeerCidr[];
}

/** The planning part of the props as a DeploymentSpec for target aws (shared with every AWS adapter). */
export function specFromProps<S>(props: TerraformShapeClusterProps<S>): DeploymentSpec {
  return awsSpecFromProps(props);
}

/**
 * Validate the props and decide the layout; `fail` is called with every problem at once (and must throw).
 * `defaultClusterName` names the cluster when the props do not.
 */
export function validateCluster<S>(props: TerraformShapeClusterProps<S>, deferral: Deferral, defaultClusterName: string, fail: (issues: readonly Issue[]) => never): ValidatedCluster {
  const issues: Issue[] = deferredIssues(props, deferral);
  const choices = layoutChoices(props, defaultClusterName, deferral);
  let plan: Plan | undefined;
  if (issues.length === 0) {
    plan = collect(() => planWithOverrides(specFromProps(props)), issues);
    if (plan) issues.push(...layoutIssues(plan, choices));
    else if (props.modelSource !== undefined) issues.push(...modelSourceIssues(props.modelSource));
  }
  // Without a plan the layout did not check the retention: do it here.
  const retention = plan === undefined && choices.logRetentionDays !== undefined ? logRetentionIssue(choices.logRetentionDays) : undefined;
  if (retention) issues.push(retention);
  const cidrsDeferred = deferral.isDeferred(props.allowedCidrs) || issues.some((i) => i.path.startsWith('allowedCidrs'));
  const peers: PeerCidr[] = cidrsDeferred ? [] : cidrPeers(props.allowedCidrs ?? [], issues);
  issues.push(...peerIssues(peers, props.allowPublicIngress ?? false, 'allowedCidrs'), ...placementIssues(props, deferral));
  if (issues.length > 0 || plan === undefined) return fail(issues);
  const layout = collect(() => awsLayout(plan!, choices), issues);
  if (layout === undefined) return fail(issues);
  return { plan, layout, peers };
}

/** The framework-free choices the props make. */
function layoutChoices<S>(props: TerraformShapeClusterProps<S>, defaultClusterName: string, deferral: Deferral): AwsLayoutChoices {
  return {
    clusterName: props.clusterName ?? defaultClusterName,
    ...(props.modelSource !== undefined ? { modelSource: props.modelSource } : {}),
    weightsStorage: props.weightsStorage ?? 'auto',
    ...(props.capacity ? { capacity: props.capacity } : {}),
    ...(props.schedule ? { schedule: props.schedule } : {}),
    ...(props.costAllocationTags ? { extraTags: props.costAllocationTags } : {}),
    // Strings (plain, or cdktf tokens) go into the layout as they are; anything else (a Pulumi Output) is a reference.
    ...given('apiKeySecretArn', props.apiKeySecretArn),
    ...given('huggingFaceTokenSecretArn', props.huggingFaceTokenSecretArn),
    ...given('certificateArn', props.certificateArn),
    modelStore: props.modelStore ?? true,
    monitoring: props.monitoring ?? true,
    vpcEndpoints: props.vpcEndpoints ?? false,
    flowLogs: props.flowLogs ?? false,
    referenceStyle: deferral.referenceStyle,
    // A deferred retention is reported by deferredIssues; the layout only sees plain numbers.
    ...(typeof props.logRetentionDays === 'number' && !deferral.isDeferred(props.logRetentionDays) ? { logRetentionDays: props.logRetentionDays } : {}),
  };
}

function given<K extends string, S>(key: K, value: S | undefined): { [k in K]?: string | true } {
  if (value === undefined) return {};
  return { [key]: typeof value === 'string' ? value : true } as { [k in K]?: string | true };
}

/** Every planning value (and every prop the layout reads now) that is deferred. */
function deferredIssues<S>(props: TerraformShapeClusterProps<S>, deferral: Deferral): Issue[] {
  const issues: Issue[] = [];
  const visit = (value: unknown, path: string): void => {
    if (deferral.isDeferred(value)) issues.push({ path, message: deferral.message });
    else if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${path}[${i}]`));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, `${path}.${k}`);
  };
  for (const [k, v] of Object.entries(specFromProps(props))) if (k !== 'target') visit(v, k);
  const known = {
    modelSource: props.modelSource, clusterName: props.clusterName, allowedCidrs: props.allowedCidrs, logRetentionDays: props.logRetentionDays, weightsStorage: props.weightsStorage,
    // Checked and evaluated now (reservation ids, cron expressions, tag values).
    capacity: props.capacity, schedule: props.schedule, costAllocationTags: props.costAllocationTags,
  };
  for (const [k, v] of Object.entries(known)) if (v !== undefined) visit(v, k);
  if (deferral.isDeferred(props.subnetIds)) issues.push({ path: 'subnetIds', message: deferral.listMessage });
  return issues;
}

/** Problems with the placement props that need no resources: ids present. */
function placementIssues<S>(props: TerraformShapeClusterProps<S>, deferral: Deferral): Issue[] {
  const issues: Issue[] = [];
  if (!props.vpcId) issues.push({ path: 'vpcId', message: 'is required: the VPC of the private subnets' });
  if (!deferral.isDeferred(props.subnetIds) && (props.subnetIds ?? []).length === 0) {
    issues.push({ path: 'subnetIds', message: 'is empty: give the private subnets (with a NAT route) for the nodes and the internal load balancer' });
  }
  return issues;
}

function collect<T>(f: () => T, issues: Issue[]): T | undefined {
  try {
    return f();
  } catch (e) {
    if (!isPlanError(e)) throw e;
    issues.push(...e.issues);
    return undefined;
  }
}
