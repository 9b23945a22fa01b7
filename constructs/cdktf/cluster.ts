/**
 * cdktf `DeepSeekInferenceCluster`: a DeepSeek model served on EC2 GPU nodes behind an internal
 * Network Load Balancer, sized by the planner. Every decision comes from `awsLayout` (lib/deploy);
 * the arguments come from the Terraform-shaped mapping it shares with the Pulumi adapter
 * (lib/deploy/terraform-shape); this file only creates the resources and supplies its references
 * (token strings). Bindings frozen at AWS provider 6.25.0.
 */
import { Annotations, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { AutoscalingSchedule } from '@cdktf/provider-aws/lib/autoscaling-schedule';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { PlacementGroup } from '@cdktf/provider-aws/lib/placement-group';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import type { Plan } from '../../lib/plan/types';
import type { Issue } from '../../lib/types';
import { resolveRefsDeep, substituteRefs, type AwsBlueprint, type RefName } from '../../lib/deploy';
import { ec2TrustPolicy, keyPolicyDocument } from '../../lib/deploy/policy-document';
import { DeepSeekInferenceClusterError, type ClusterEndpoint } from '../../lib/deploy/cluster-error';
import {
  apiKeySecretArgs, autoScalingGroupArgs, egressRuleArgs, ingressRuleArgs, keyArgs, launchTemplateArgs, listenerArgs, loadBalancerArgs, logGroupArgs,
  managedPolicyAttachmentArgs, nodePolicyArgs, nodeRoleArgs, placementGroupArgs, scheduleArgs, securityGroupArgs, targetGroupArgs, type Refs,
} from '../../lib/deploy/terraform-shape/args';
import { validateCluster, type Deferral } from '../../lib/deploy/terraform-shape/validate';
import { ClusterMonitoring, terraformLiteral } from './monitoring';
import { ModelStore } from './model-store';
import { AccessLogBucket } from './access-logs';
import { VpcEndpoints, VpcFlowLogs } from './vpc';
import type { DeepSeekInferenceClusterProps } from './props';
import { userDataBase64 } from './user-data';

export { DeepSeekInferenceClusterError, type ClusterEndpoint };


/**
 * A DeepSeek model served on EC2 GPU instances, sized from the model and precision.
 *
 * ```ts
 * new DeepSeekInferenceCluster(stack, 'R1', { model: 'deepseek-r1', vpcId, subnetIds, allowedCidrs: ['10.0.0.0/16'] });
 * ```
 */
export class DeepSeekInferenceCluster extends Construct {
  /** The planner's output the cluster is built from. */
  readonly plan: Plan;
  /** Every AWS decision derived from the plan (shared with the CDK and Pulumi adapters). */
  readonly blueprint: AwsBlueprint;
  /** Internal endpoint of the OpenAI-compatible API. */
  readonly endpoint: ClusterEndpoint;
  /** Security group of the nodes. */
  readonly securityGroup: SecurityGroup;
  /** Security group of the load balancer: the API's access list. */
  readonly loadBalancerSecurityGroup: SecurityGroup;
  /** Role of the nodes (of rank 0 when `workerRole` exists). */
  readonly role: IamRole;
  readonly instanceProfile: IamInstanceProfile;
  /** Role of the workers of a multi-node cluster with a model store: reads the store, never writes it. */
  readonly workerRole?: IamRole;
  readonly workerInstanceProfile?: IamInstanceProfile;
  /** One launch template per rank (index = rank). */
  readonly launchTemplates: readonly LaunchTemplate[];
  /** One Auto Scaling group per rank (index = rank; rank 0 serves the API). */
  readonly autoScalingGroups: readonly AutoscalingGroup[];
  readonly placementGroup?: PlacementGroup;
  readonly loadBalancer: Lb;
  readonly targetGroup: LbTargetGroup;
  readonly logGroup: CloudwatchLogGroup;
  /** Customer-managed key of the cluster (policy from lib/deploy/encryption.ts): engine logs and the created API-key secret. */
  readonly encryptionKey: KmsKey;
  /** S3 copy of the Hugging Face checkpoint; undefined with an `s3://` source or `modelStore: false`. */
  readonly modelStore?: ModelStore;
  /** Receives the model store's server access logs and, with `certificateArn`, the load balancer's; undefined with neither. */
  readonly accessLogs?: AccessLogBucket;
  /** The `vpcEndpoints` prop's endpoints and their security group; undefined without it. */
  readonly vpcEndpoints?: VpcEndpoints;
  /** The `flowLogs` prop's flow log, log group and delivery role; undefined without it. */
  readonly flowLogs?: VpcFlowLogs;
  /** Kernel log (XID errors) shipped by the CloudWatch agent; undefined with `monitoring: false`. */
  readonly systemLogGroup?: CloudwatchLogGroup;
  /** Agent parameter, alarm topic, alarms and dashboard; undefined with `monitoring: false`. */
  readonly monitoring?: ClusterMonitoring;
  /** Scheduled actions of the `schedule` prop (per rank: scale to zero, scale up); empty without one. */
  readonly scheduledActions: readonly AutoscalingSchedule[];
  /** The plan's cost of all nodes while running, USD per hour with two decimals, or `unpriced` (the example's `hourly_cost_usd` output; `blueprint.cost` has the description). */
  readonly hourlyCostUsd: string;
  /** ARN of the API-key secret (the given one, or the created `apiKeySecret`). */
  readonly apiKeySecretArn: string;
  /** The created API-key secret (no value: store one after apply); undefined when `apiKeySecretArn` was given. */
  readonly apiKeySecret?: SecretsmanagerSecret;

  constructor(scope: Construct, id: string, props: DeepSeekInferenceClusterProps) {
    super(scope, id);
    const fail = (issues: readonly Issue[]): never => {
      throw new DeepSeekInferenceClusterError(this.node.path, issues);
    };

    // 1. Validate and decide the layout (lib/deploy/terraform-shape/validate.ts); nothing exists before it.
    const { plan, layout, peers } = validateCluster(props, TERRAFORM_TOKENS, defaultClusterName(id, this.node.addr), fail);
    this.plan = plan;
    const bp = layout.blueprint;
    for (const n of [...this.plan.notices, ...bp.warnings]) Annotations.of(this).addWarning(`${n.code}: ${n.message}`);
    // What the layout refers to, filled as the resources are created (one token per attribute: each read is a new token string).
    const values: Partial<Record<RefName, string>> = {};
    const refs = terraformRefs(values);
    const subnetIds = [...props.subnetIds];

    // 2. Key, secret, log groups, buckets: what the user data and the node policy name.
    const partition = new DataAwsPartition(this, 'Partition');
    const account = new DataAwsCallerIdentity(this, 'Account');
    const region = new DataAwsRegion(this, 'Region');
    Object.assign(values, { partition: partition.partition, region: region.region, accountId: account.accountId });
    this.encryptionKey = new KmsKey(this, 'Key', keyArgs(layout, keyPolicyDocument({ partition: partition.partition, region: region.region, accountId: account.accountId })));
    const keyArn = values['clusterKey.arn'] = this.encryptionKey.arn;
    if (layout.apiKeySecret) this.apiKeySecret = new SecretsmanagerSecret(this, 'ApiKey', apiKeySecretArgs(layout, keyArn));
    this.apiKeySecretArn = values['apiKeySecret.arn'] = props.apiKeySecretArn ?? this.apiKeySecret!.arn;
    if (props.huggingFaceTokenSecretArn !== undefined) values['huggingFaceTokenSecret.arn'] = props.huggingFaceTokenSecretArn;
    if (props.certificateArn !== undefined) values.certificateArn = props.certificateArn;
    this.logGroup = new CloudwatchLogGroup(this, 'EngineLogs', logGroupArgs(layout, 'engine', keyArn));
    // The provider strips the API's `:*` suffix from the log group `arn` (provider docs of aws_cloudwatch_log_group, confirmed): the form the policy expects.
    values['engineLogGroup.arn'] = this.logGroup.arn;
    if (layout.logGroups.system) {
      this.systemLogGroup = new CloudwatchLogGroup(this, 'SystemLogs', logGroupArgs(layout, 'system', keyArn));
      values['systemLogGroup.arn'] = this.systemLogGroup.arn;
    }
    if (layout.modelStore) {
      this.modelStore = new ModelStore(this, 'ModelStore', { kmsKeyArn: keyArn, tags: bp.tags });
      Object.assign(values, { 'modelStore.bucketName': this.modelStore.bucket.bucket, 'modelStore.arn': this.modelStore.bucket.arn });
    }
    const store = this.modelStore?.bucket;
    if (layout.accessLogs) {
      this.accessLogs = new AccessLogBucket(this, 'AccessLogs', {
        writers: { partition: partition.partition, region: region.region, accountId: account.accountId, loadBalancer: layout.accessLogs.loadBalancer, ...(store ? { modelStoreArn: store.arn } : {}) },
        tags: bp.tags,
      });
      this.modelStore?.logAccessTo(this.accessLogs.bucket.id);
    }
    this.blueprint = resolveRefsDeep(bp, refs.value);

    // 3. Network: two security groups and the layout's rules.
    this.securityGroup = new SecurityGroup(this, 'NodeSecurityGroup', securityGroupArgs(layout, 'cluster', props.vpcId));
    this.loadBalancerSecurityGroup = new SecurityGroup(this, 'LoadBalancerSecurityGroup', securityGroupArgs(layout, 'loadBalancer', props.vpcId));
    const groups = { cluster: this.securityGroup.id, loadBalancer: this.loadBalancerSecurityGroup.id };
    for (const r of ingressRuleArgs(bp, groups, peers, props.allowedSecurityGroupIds ?? [])) new VpcSecurityGroupIngressRule(this, `Ingress-${r.key}`, r.args);
    for (const r of egressRuleArgs(layout, groups)) new VpcSecurityGroupEgressRule(this, `Egress-${r.key}`, r.args);
    if (layout.vpcEndpoints) {
      this.vpcEndpoints = new VpcEndpoints(this, 'VpcEndpoints', {
        vpcId: props.vpcId, subnetIds, nodeSecurityGroupId: this.securityGroup.id, region: region.region, specs: this.blueprint.vpcEndpoints ?? [], tags: bp.tags,
      });
    }
    if (layout.logGroups.flowLogs) {
      this.flowLogs = new VpcFlowLogs(this, 'FlowLogs', {
        vpcId: props.vpcId, kmsKeyArn: keyArn, retentionDays: layout.logGroups.flowLogs.retentionDays,
        partition: partition.partition, region: region.region, accountId: account.accountId, logGroupName: layout.logGroups.flowLogs.name, tags: bp.tags,
      });
    }

    // 4. Node role: managed policies + the blueprint's scoped statements.
    this.role = new IamRole(this, 'NodeRole', nodeRoleArgs(layout, ec2TrustPolicy()));
    for (const a of managedPolicyAttachmentArgs(bp, this.role.name, refs)) new IamRolePolicyAttachment(this, `Managed-${a.key}`, a.args);
    new IamRolePolicy(this, 'NodePolicy', nodePolicyArgs(bp, this.role.name, refs));
    this.instanceProfile = new IamInstanceProfile(this, 'InstanceProfile', { role: this.role.name, tags: bp.tags });
    if (layout.workerRole) {
      this.workerRole = new IamRole(this, 'WorkerRole', nodeRoleArgs(layout, ec2TrustPolicy(), 'worker'));
      for (const a of managedPolicyAttachmentArgs(bp, this.workerRole.name, refs, 'worker')) new IamRolePolicyAttachment(this, `WorkerManaged-${a.key}`, a.args);
      new IamRolePolicy(this, 'WorkerPolicy', nodePolicyArgs(bp, this.workerRole.name, refs, 'worker'));
      this.workerInstanceProfile = new IamInstanceProfile(this, 'WorkerInstanceProfile', { role: this.workerRole.name, tags: bp.tags });
    }
    const profiles = { node: this.instanceProfile, worker: this.workerInstanceProfile ?? this.instanceProfile };

    // 5. Load balancer first: the serving group registers with its target group.
    this.loadBalancer = new Lb(this, 'LoadBalancer', {
      ...loadBalancerArgs(layout, subnetIds, this.loadBalancerSecurityGroup.id, this.accessLogs?.bucket.id),
      // The load balancer checks the bucket policy when access logs are turned on.
      ...(bp.loadBalancer.tls && this.accessLogs ? { dependsOn: [this.accessLogs.policy] } : {}),
    });
    this.targetGroup = new LbTargetGroup(this, 'Engine', targetGroupArgs(layout, props.vpcId));
    const listener = listenerArgs(layout, this.loadBalancer.arn, this.targetGroup.arn, refs);
    new LbListener(this, 'Api', { ...listener.args, defaultAction: listener.forward });

    // 6. Nodes: one launch template and one Auto Scaling group of one instance per rank.
    if (layout.placementGroup) this.placementGroup = new PlacementGroup(this, 'PlacementGroup', placementGroupArgs(layout));
    // Resolved when Terraform plans (like the CDK construct's SSM parameter at deploy): all nodes of one apply share one AMI.
    const ami = new DataAwsSsmParameter(this, 'MachineImage', { name: bp.machineImage.ssmParameter });
    this.launchTemplates = bp.nodeGroups.map((g) => new LaunchTemplate(this, `LaunchTemplateRank${g.rank}`, launchTemplateArgs(bp, g, {
      imageId: ami.insecureValue, instanceProfileArn: profiles[g.instanceRole].arn, securityGroupId: this.securityGroup.id,
      ...(this.placementGroup ? { placementGroupName: this.placementGroup.name } : {}),
    }, refs)));
    this.autoScalingGroups = bp.nodeGroups.map((g) => {
      const lt = this.launchTemplates[g.rank];
      return new AutoscalingGroup(this, `Rank${g.rank}`, autoScalingGroupArgs(bp, g, {
        subnetIds, targetGroupArn: this.targetGroup.arn, launchTemplateId: lt.id, launchTemplateVersion: Token.asString(lt.latestVersion),
      }));
    });

    // 7. Monitoring: the agent parameter exists before any node boots and fetches it.
    if (bp.observability && this.systemLogGroup) {
      this.monitoring = new ClusterMonitoring(this, 'Monitoring', {
        layout, refs, kmsKeyId: keyArn,
        logGroupNames: { engine: this.logGroup.name, system: this.systemLogGroup.name },
        loadBalancerArnSuffix: this.loadBalancer.arnSuffix, targetGroupArnSuffix: this.targetGroup.arnSuffix,
      });
      for (const asg of this.autoScalingGroups) asg.dependsOn = [...(asg.dependsOn ?? []), this.monitoring.agentConfig.fqn];
    }

    // 7b. Scale to zero and back: the layout's scheduled actions.
    this.scheduledActions = layout.scheduledActions.map((a) => new AutoscalingSchedule(this, `Rank${a.rank}${a.id}`, scheduleArgs(a, this.autoScalingGroups[a.rank].name)));

    // 8. Cost: the plan's hourly price, for a stack output (Terraform outputs belong to the stack's
    // root module: one made here would get a mangled name, so the example declares it).
    this.hourlyCostUsd = layout.hourlyCostUsd;
    const lb = bp.loadBalancer;
    this.endpoint = { dnsName: this.loadBalancer.dnsName, port: lb.port, url: `${layout.urlScheme}://${this.loadBalancer.dnsName}:${lb.port}/v1` };
  }
}

/** cdktf defers values as token strings. */
const TERRAFORM_TOKENS: Deferral = {
  isDeferred: (value) => (typeof value === 'string' || typeof value === 'number' || Array.isArray(value)) && Token.isUnresolved(value),
  message: 'is a Terraform token; it must be a plain value known at synth time',
  listMessage: 'is a Terraform list token; give a plain array (its elements may be tokens)',
  // Token strings take the references' place, quoted in the boot script as tokens are.
  referenceStyle: 'token',
};

/** cdktf's references: token strings, substituted into the layout's strings. */
function terraformRefs(values: Partial<Record<RefName, string>>): Refs<string> {
  const value = (name: RefName): string => {
    const v = values[name];
    if (v === undefined) throw new Error(`the layout refers to ${name}, which this cluster has not created`);
    return v;
  };
  return {
    value,
    text: (s) => substituteRefs(s, value),
    base64: (s) => userDataBase64(substituteRefs(s, value)),
    combine: (vs, f) => f(vs),
    literal: terraformLiteral,
  };
}

/**
 * `<id>-<8 hex of the construct address>`: stable for a construct path, distinct between paths
 * (workers find the head by this tag, so two clusters must not share it).
 */
function defaultClusterName(id: string, addr: string): string {
  const base = id.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^[^A-Za-z0-9]+|-+$/g, '').slice(0, 40) || 'cluster';
  return `${base}-${addr.slice(0, 8)}`;
}
