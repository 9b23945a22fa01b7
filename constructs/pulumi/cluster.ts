/**
 * Pulumi `DeepSeekInferenceCluster`: a DeepSeek model served on EC2 GPU nodes behind an internal
 * Network Load Balancer, sized by the planner. Every decision comes from `awsLayout` (lib/deploy),
 * rendered once when the program runs; the arguments come from the Terraform-shaped mapping it
 * shares with the cdktf adapter (lib/deploy/terraform-shape). This file only creates the
 * @pulumi/aws resources (children of the component) and resolves the layout's references (secret,
 * log group, bucket and key ARNs) to their Outputs.
 */
import { createHash } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';
import * as autoscaling from '@pulumi/aws/autoscaling';
import * as cloudwatch from '@pulumi/aws/cloudwatch';
import * as ec2 from '@pulumi/aws/ec2';
import * as iam from '@pulumi/aws/iam';
import * as kms from '@pulumi/aws/kms';
import * as lb from '@pulumi/aws/lb';
import type * as s3 from '@pulumi/aws/s3';
import * as secretsmanager from '@pulumi/aws/secretsmanager';
import * as ssm from '@pulumi/aws/ssm';
import * as vpc from '@pulumi/aws/vpc';
import { getCallerIdentityOutput } from '@pulumi/aws/getCallerIdentity';
import { getPartitionOutput } from '@pulumi/aws/getPartition';
import { getRegionOutput } from '@pulumi/aws/getRegion';
import type { Plan } from '../../lib/plan/types';
import { refsIn, refsInDeep, resolveRefsDeep, substituteRefs, type AwsBlueprint, type RefName } from '../../lib/deploy';
import { ec2TrustPolicy, endpointPolicyDocument, keyPolicyDocument } from '../../lib/deploy/policy-document';
import { shellQuote } from '../../lib/serving/container';
import {
  apiKeySecretArgs, autoScalingGroupArgs, egressRuleArgs, ingressRuleArgs, keyArgs, launchTemplateArgs, listenerArgs, loadBalancerArgs, logGroupArgs,
  managedPolicyAttachmentArgs, nodePolicyArgs, nodeRoleArgs, placementGroupArgs, scheduleArgs, securityGroupArgs, targetGroupArgs, type Refs,
} from '../../lib/deploy/terraform-shape/args';
import { validateCluster, type Deferral } from '../../lib/deploy/terraform-shape/validate';
import type { DeepSeekInferenceClusterArgs } from './props';
import { inputError } from './errors';
import { clusterMonitoring, type ClusterMonitoring } from './monitoring';
import { logModelStoreAccess, modelStoreBucket } from './model-store';
import { accessLogBucket, type AccessLogBucket } from './access-logs';
import { vpcEndpoints, vpcFlowLogs, type VpcEndpoints, type VpcFlowLogs } from './vpc';

/** Pulumi type token of the component. */
export const COMPONENT_TYPE = 'deepseek-iac:index:DeepSeekInferenceCluster';

/** The API endpoint: an internal NLB. */
export interface ClusterEndpoint {
  readonly dnsName: pulumi.Output<string>;
  readonly port: number;
  /** `http://<dns>:<port>/v1`, or `https://` with a TLS listener (OpenAI-compatible base URL). */
  readonly url: pulumi.Output<string>;
}

/**
 * A DeepSeek model served on EC2 GPU instances, sized from the model and precision.
 *
 * ```ts
 * new DeepSeekInferenceCluster('r1', { model: 'deepseek-r1', vpcId, subnetIds, allowedCidrs: ['10.0.0.0/16'] });
 * ```
 */
export class DeepSeekInferenceCluster extends pulumi.ComponentResource {
  /** The planner's output the cluster is built from. */
  readonly plan: Plan;
  /** One line: model, precision, topology, engine, storage, cost. */
  readonly summary: string;
  /** Every AWS decision derived from the plan, with the deployed ids (shared with the CDK and cdktf adapters). */
  readonly blueprint: pulumi.Output<AwsBlueprint>;
  readonly endpoint: ClusterEndpoint;
  /** Security group of the nodes. */
  readonly securityGroup: ec2.SecurityGroup;
  /** Security group of the load balancer: the API's access list. */
  readonly loadBalancerSecurityGroup: ec2.SecurityGroup;
  /** Role of the nodes (of rank 0 when `workerRole` exists). */
  readonly role: iam.Role;
  readonly instanceProfile: iam.InstanceProfile;
  /** Role of the workers of a multi-node cluster with a model store: reads the store, never writes it. */
  readonly workerRole?: iam.Role;
  readonly workerInstanceProfile?: iam.InstanceProfile;
  /** One launch template per rank (index = rank). */
  readonly launchTemplates: readonly ec2.LaunchTemplate[];
  /** One Auto Scaling group per rank (index = rank; rank 0 serves the API). */
  readonly autoScalingGroups: readonly autoscaling.Group[];
  readonly placementGroup?: ec2.PlacementGroup;
  readonly loadBalancer: lb.LoadBalancer;
  readonly targetGroup: lb.TargetGroup;
  readonly logGroup: cloudwatch.LogGroup;
  /** Customer-managed key of the cluster (policy from lib/deploy/encryption.ts): engine logs and the created API-key secret. */
  readonly encryptionKey: kms.Key;
  /** S3 copy of the Hugging Face checkpoint; undefined with an `s3://` source or `modelStore: false`. */
  readonly modelStore?: s3.Bucket;
  /** Receives the model store's server access logs and, with `certificateArn`, the load balancer's; undefined with neither. */
  readonly accessLogs?: AccessLogBucket;
  /** The `vpcEndpoints` argument's endpoints and their security group; undefined without it. */
  readonly vpcEndpoints?: VpcEndpoints;
  /** The `flowLogs` argument's flow log, log group and delivery role; undefined without it. */
  readonly flowLogs?: VpcFlowLogs;
  /** Kernel log (XID errors) shipped by the CloudWatch agent; undefined with `monitoring: false`. */
  readonly systemLogGroup?: cloudwatch.LogGroup;
  /** Agent parameter, alarm topic, alarms and dashboard; undefined with `monitoring: false`. */
  readonly monitoring?: ClusterMonitoring;
  /** Scheduled actions of the `schedule` argument (per rank: scale to zero, scale up); empty without one. */
  readonly scheduledActions: readonly autoscaling.Schedule[];
  /** The plan's cost of all nodes while running, USD per hour with two decimals, or `unpriced` (also a component output; `blueprint.cost` has the description). */
  readonly hourlyCostUsd: string;
  /** ARN of the API-key secret (the given one, or the created `apiKeySecret`). */
  readonly apiKeySecretArn: pulumi.Output<string>;
  /** The created API-key secret (no value: store one after `pulumi up`); undefined when `apiKeySecretArn` was given. */
  readonly apiKeySecret?: secretsmanager.Secret;

  constructor(name: string, args: DeepSeekInferenceClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENT_TYPE, name, {}, opts);
    const parent = { parent: this };

    // 1. Validate and decide the layout (lib/deploy/terraform-shape/validate.ts); nothing exists before it.
    const { plan, layout, peers } = validateCluster(args, PULUMI_OUTPUTS, defaultClusterName(name), (issues) => {
      throw inputError(name, issues);
    });
    this.plan = plan;
    const bp = layout.blueprint;
    this.summary = bp.summary;
    for (const n of [...this.plan.notices, ...bp.warnings]) pulumi.log.warn(`${n.code}: ${n.message}`, this);
    // What the layout refers to, filled as the resources are created.
    const values: Partial<Record<RefName, pulumi.Input<string>>> = {};
    const refs = pulumiRefs(values);
    const tags = { ...bp.tags };

    // 2. Key, secret, log groups, buckets: what the user data and the node policy name.
    const partition = getPartitionOutput({}, parent).partition;
    const accountId = getCallerIdentityOutput({}, parent).accountId;
    const region = getRegionOutput({}, parent).region;
    Object.assign(values, { partition, region, accountId });
    const keyPolicy = pulumi.all([partition, region, accountId]).apply(([p, r, a]) => keyPolicyDocument({ partition: p, region: r, accountId: a }));
    this.encryptionKey = new kms.Key(`${name}-key`, keyArgs(layout, keyPolicy), parent);
    const keyArn = values['clusterKey.arn'] = this.encryptionKey.arn;
    if (layout.apiKeySecret) this.apiKeySecret = new secretsmanager.Secret(`${name}-api-key`, apiKeySecretArgs(layout, keyArn), parent);
    this.apiKeySecretArn = args.apiKeySecretArn !== undefined ? pulumi.output(args.apiKeySecretArn) : this.apiKeySecret!.arn;
    values['apiKeySecret.arn'] = this.apiKeySecretArn;
    if (args.huggingFaceTokenSecretArn !== undefined) values['huggingFaceTokenSecret.arn'] = args.huggingFaceTokenSecretArn;
    if (args.certificateArn !== undefined) values.certificateArn = args.certificateArn;
    this.logGroup = new cloudwatch.LogGroup(`${name}-engine-logs`, logGroupArgs(layout, 'engine', keyArn), parent);
    values['engineLogGroup.arn'] = this.logGroup.arn;
    if (layout.logGroups.system) {
      this.systemLogGroup = new cloudwatch.LogGroup(`${name}-system-logs`, logGroupArgs(layout, 'system', keyArn), parent);
      values['systemLogGroup.arn'] = this.systemLogGroup.arn;
    }
    if (layout.modelStore) {
      this.modelStore = modelStoreBucket(name, { kmsKeyArn: keyArn, tags }, this);
      Object.assign(values, { 'modelStore.bucketName': this.modelStore.bucket, 'modelStore.arn': this.modelStore.arn });
    }
    if (layout.accessLogs) {
      this.accessLogs = accessLogBucket(name, {
        partition, region, accountId, loadBalancer: layout.accessLogs.loadBalancer, ...(this.modelStore ? { modelStoreArn: this.modelStore.arn } : {}), tags,
      }, this);
      if (this.modelStore) logModelStoreAccess(name, this.modelStore, this.accessLogs.bucket.id, this);
    }
    this.blueprint = refs.resolve(bp);

    // 3. Network: two security groups and the layout's rules.
    this.securityGroup = new ec2.SecurityGroup(`${name}-nodes`, securityGroupArgs(layout, 'cluster', args.vpcId), parent);
    this.loadBalancerSecurityGroup = new ec2.SecurityGroup(`${name}-api`, securityGroupArgs(layout, 'loadBalancer', args.vpcId), parent);
    const groups = { cluster: this.securityGroup.id, loadBalancer: this.loadBalancerSecurityGroup.id };
    for (const r of ingressRuleArgs<pulumi.Input<string>>(bp, groups, peers, args.allowedSecurityGroupIds ?? [])) new vpc.SecurityGroupIngressRule(`${name}-${r.key}`, r.args, parent);
    for (const r of egressRuleArgs<pulumi.Input<string>>(layout, groups)) new vpc.SecurityGroupEgressRule(`${name}-${r.key}`, r.args, parent);
    if (layout.vpcEndpoints) {
      this.vpcEndpoints = vpcEndpoints(name, {
        vpcId: args.vpcId, subnetIds: args.subnetIds, nodeSecurityGroupId: this.securityGroup.id, region, specs: bp.vpcEndpoints ?? [], tags,
        policyOf: (statements) => refs.text(endpointPolicyDocument(statements)),
      }, this);
    }
    if (layout.logGroups.flowLogs) {
      this.flowLogs = vpcFlowLogs(name, {
        vpcId: args.vpcId, kmsKeyArn: keyArn, retentionDays: layout.logGroups.flowLogs.retentionDays,
        logGroupName: layout.logGroups.flowLogs.name, partition, region, accountId, tags,
      }, this);
    }

    // 4. Node role: managed policies + the blueprint's scoped statements.
    this.role = new iam.Role(`${name}-node`, nodeRoleArgs(layout, ec2TrustPolicy()), parent);
    for (const a of managedPolicyAttachmentArgs<pulumi.Input<string>>(bp, this.role.name, refs)) new iam.RolePolicyAttachment(`${name}-${a.key}`, a.args, parent);
    new iam.RolePolicy(`${name}-node`, nodePolicyArgs<pulumi.Input<string>>(bp, this.role.name, refs), parent);
    this.instanceProfile = new iam.InstanceProfile(`${name}-node`, { role: this.role.name, tags }, parent);
    if (layout.workerRole) {
      this.workerRole = new iam.Role(`${name}-worker`, nodeRoleArgs(layout, ec2TrustPolicy(), 'worker'), parent);
      for (const a of managedPolicyAttachmentArgs<pulumi.Input<string>>(bp, this.workerRole.name, refs, 'worker')) new iam.RolePolicyAttachment(`${name}-worker-${a.key}`, a.args, parent);
      new iam.RolePolicy(`${name}-worker`, nodePolicyArgs<pulumi.Input<string>>(bp, this.workerRole.name, refs, 'worker'), parent);
      this.workerInstanceProfile = new iam.InstanceProfile(`${name}-worker`, { role: this.workerRole.name, tags }, parent);
    }
    const profiles = { node: this.instanceProfile, worker: this.workerInstanceProfile ?? this.instanceProfile };

    // 5. Load balancer first: the serving group registers with its target group.
    const logsOn = bp.loadBalancer.tls !== undefined && this.accessLogs !== undefined;
    this.loadBalancer = new lb.LoadBalancer(`${name}-nlb`, loadBalancerArgs<pulumi.Input<string>>(layout, args.subnetIds, this.loadBalancerSecurityGroup.id, this.accessLogs?.bucket.id),
      // The load balancer checks the bucket policy when access logs are turned on.
      { parent: this, ...(logsOn ? { dependsOn: [this.accessLogs!.policy] } : {}) });
    this.targetGroup = new lb.TargetGroup(`${name}-engine`, targetGroupArgs(layout, args.vpcId), parent);
    const listener = listenerArgs<pulumi.Input<string>>(layout, this.loadBalancer.arn, this.targetGroup.arn, refs);
    new lb.Listener(`${name}-api`, { ...listener.args, defaultActions: listener.forward }, parent);

    // 6. Monitoring, before the nodes: the groups wait for the agent parameter their nodes fetch at boot.
    if (bp.observability && this.systemLogGroup) {
      this.monitoring = clusterMonitoring(name, {
        layout, refs, kmsKeyId: keyArn,
        logGroupNames: { engine: this.logGroup.name, system: this.systemLogGroup.name },
        loadBalancerArnSuffix: this.loadBalancer.arnSuffix, targetGroupArnSuffix: this.targetGroup.arnSuffix,
      }, this);
    }

    // 6b. Nodes: one launch template and one Auto Scaling group of one instance per rank.
    if (layout.placementGroup) {
      // Pulumi names it (the resource name and a random suffix), so a replacement can be created before the old group is deleted.
      const { name: _terraformName, ...placement } = placementGroupArgs(layout);
      this.placementGroup = new ec2.PlacementGroup(`${name}-placement`, placement, parent);
    }
    // Resolved when Pulumi runs (like the CDK construct's SSM parameter at deploy): all nodes of one update share one AMI.
    const imageId = ssm.getParameterOutput({ name: bp.machineImage.ssmParameter }, parent).insecureValue;
    this.launchTemplates = bp.nodeGroups.map((g) => new ec2.LaunchTemplate(`${name}-rank${g.rank}`, launchTemplateArgs<pulumi.Input<string>>(bp, g, {
      imageId, instanceProfileArn: profiles[g.instanceRole].arn, securityGroupId: this.securityGroup.id,
      ...(this.placementGroup ? { placementGroupName: this.placementGroup.name } : {}),
    }, refs), parent));
    this.autoScalingGroups = bp.nodeGroups.map((g) => {
      const lt = this.launchTemplates[g.rank];
      const asg = autoScalingGroupArgs<pulumi.Input<string>>(bp, g, {
        subnetIds: args.subnetIds, targetGroupArn: this.targetGroup.arn, launchTemplateId: lt.id, launchTemplateVersion: lt.latestVersion.apply((v) => String(v)),
      });
      return new autoscaling.Group(`${name}-rank${g.rank}`, pulumiGroupArgs(asg), { parent: this, ...(this.monitoring ? { dependsOn: [this.monitoring.agentConfig] } : {}) });
    });

    // 7. Scale to zero and back: the layout's scheduled actions.
    this.scheduledActions = layout.scheduledActions.map((a) => new autoscaling.Schedule(`${name}-rank${a.rank}-${a.id}`, scheduleArgs(a, this.autoScalingGroups[a.rank].name), parent));

    // 8. Cost: the plan's hourly price as a component output (as the CDK construct's stack output).
    this.hourlyCostUsd = layout.hourlyCostUsd;

    const port = bp.loadBalancer.port;
    this.endpoint = {
      dnsName: this.loadBalancer.dnsName,
      port,
      url: pulumi.interpolate`${layout.urlScheme}://${this.loadBalancer.dnsName}:${port}/v1`,
    };
    this.registerOutputs({
      url: this.endpoint.url,
      apiKeySecretArn: this.apiKeySecretArn,
      securityGroupId: this.securityGroup.id,
      loadBalancerSecurityGroupId: this.loadBalancerSecurityGroup.id,
      logGroupName: this.logGroup.name,
      summary: this.summary,
      hourlyCostUsd: this.hourlyCostUsd,
    });
  }
}

/** Pulumi defers values as Outputs and promises. */
const PULUMI_OUTPUTS: Deferral = {
  isDeferred: (value) => pulumi.Output.isInstance(value) || value instanceof Promise,
  message: 'is an Output or a promise; it must be a plain value known when the program runs (the plan decides how many resources exist)',
  listMessage: 'is an Output; give a plain array (its elements may be Outputs)',
  // The resolved values take the references' place, as bare words in the boot script (checked in pulumiRefs).
  referenceStyle: 'word',
};

/** Pulumi's references: Inputs, resolved into the layout's strings once they are known. */
function pulumiRefs(values: Partial<Record<RefName, pulumi.Input<string>>>): Refs<pulumi.Input<string>> & { resolve<T>(layout: T): pulumi.Output<T> } {
  const value = (name: RefName): pulumi.Input<string> => {
    const v = values[name];
    if (v === undefined) throw new Error(`the layout refers to ${name}, which this cluster has not created`);
    return v;
  };
  // A reference is written as a bare word (referenceStyle 'word'): its value must be one as well, or the boot script would need quotes.
  const word = (name: RefName, v: string): string => {
    if (shellQuote(v) !== v) throw new Error(`${name} resolved to ${JSON.stringify(v)}, which is not a plain word (an ARN or a bucket name); it cannot go into the boot script unquoted`);
    return v;
  };
  const text = (s: string): pulumi.Input<string> => {
    const names = refsIn(s);
    if (names.length === 0) return s;
    return pulumi.all(names.map(value)).apply((vs) => substituteRefs(s, (n) => word(n, vs[names.indexOf(n)]!)));
  };
  return {
    value,
    text,
    base64: (s) => pulumi.output(text(s)).apply((t) => Buffer.from(t, 'utf8').toString('base64')),
    combine: (vs, f) => pulumi.all([...vs]).apply(f),
    literal: (s) => s,
    resolve: <T>(layout: T) => {
      const names = refsInDeep(layout);
      return pulumi.all(names.map(value)).apply((vs) => resolveRefsDeep(layout, (n) => word(n, vs[names.indexOf(n)]!))) as pulumi.Output<T>;
    },
  };
}

/** The group's Terraform-shaped arguments under the names @pulumi/aws gives them (plural lists). */
function pulumiGroupArgs(a: ReturnType<typeof autoScalingGroupArgs<pulumi.Input<string>>>): autoscaling.GroupArgs {
  const { vpcZoneIdentifier, tag, ...rest } = a;
  const common = { ...rest, vpcZoneIdentifiers: vpcZoneIdentifier, tags: tag };
  if (!('mixedInstancesPolicy' in rest)) return common;
  const m = rest.mixedInstancesPolicy;
  return { ...common, mixedInstancesPolicy: { ...m, launchTemplate: { launchTemplateSpecification: m.launchTemplate.launchTemplateSpecification, overrides: m.launchTemplate.override } } };
}

/**
 * `<name>-<8 hex of sha256(project/stack/name)>`: stable for a resource, distinct between stacks and
 * projects (workers find the head by this tag, so two clusters must not share it).
 */
function defaultClusterName(name: string): string {
  const base = name.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^[^A-Za-z0-9]+|-+$/g, '').slice(0, 40) || 'cluster';
  const hash = createHash('sha256').update(`${pulumi.getProject()}/${pulumi.getStack()}/${name}`).digest('hex').slice(0, 8);
  return `${base}-${hash}`;
}
