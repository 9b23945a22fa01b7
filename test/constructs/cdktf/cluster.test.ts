/**
 * The cdktf DeepSeekInferenceCluster, resource by resource (Testing.synthScope +
 * toHaveResourceWithProperties, snake_case): a single-node cluster reading weights from S3 onto an
 * EBS volume, and a two-node cluster over EFA. Values come from the plan / blueprint of the same
 * props (the construct must map them, not re-decide them) or from the AWS facts cited next to them.
 */
import 'cdktf/lib/testing/adapters/jest';
import { AnnotationMetadataEntryType, Testing, Token } from 'cdktf';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { DataAwsSecretsmanagerSecret } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { PlacementGroup } from '@cdktf/provider-aws/lib/placement-group';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { DeepSeekInferenceCluster, DeepSeekInferenceClusterError, type DeepSeekInferenceClusterProps } from '../../../constructs/cdktf';
import { userDataBase64 } from '../../../constructs/cdktf/user-data';
import { decodeTfUserData } from '../../conformance/observe-cdktf';
import { REF } from '../../conformance/observed';

Testing.setupJest();

const VPC = 'vpc-0abc';
const SUBNETS = ['subnet-a', 'subnet-b'];
/** The Deep Learning Base OSS NVIDIA driver AMI parameter (DLAMI release notes, public SSM parameter). */
const DLAMI_PARAMETER = '/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id';
/** vLLM's OpenAI server listens on 8000 by default (vLLM docs, `--port` default). */
const VLLM_PORT = 8000;

function synth(props: DeepSeekInferenceClusterProps): { out: string; json: any; cluster: DeepSeekInferenceCluster } {
  let cluster: DeepSeekInferenceCluster | undefined;
  const out = Testing.synthScope((scope) => {
    cluster = new DeepSeekInferenceCluster(scope, 'Cluster', props);
  });
  return { out, json: JSON.parse(out), cluster: cluster! };
}

const ref = (r: { friendlyUniqueId: string }, type: string, attr: string) => `\${${type}.${r.friendlyUniqueId}.${attr}}`;
/** The token strings of a cdktf value replaced by `<ref>`, as `decodeTfUserData` renders references. */
const withRefs = (s: string) => s.replace(/\$\{TfToken\[[^\]]+\]\}/g, REF);
const resourcesOf = (json: any, type: string): any[] => Object.values(json.resource[type] ?? {});

describe('single node, weights from S3 onto EBS', () => {
  const props: DeepSeekInferenceClusterProps = {
    model: 'deepseek-r1-distill-qwen-7b', vpcId: VPC, subnetIds: SUBNETS, allowedCidrs: ['10.0.0.0/16'],
    modelSource: 's3://example-models/r1-distill-qwen-7b', weightsStorage: 'ebs', clusterName: 'r1-7b',
    // Monitoring (agent statements, alarms, dashboard) is asserted in day2.test.ts.
    monitoring: false,
  };
  const { out, json, cluster } = synth(props);
  const sg = ref(cluster.securityGroup, 'aws_security_group', 'id');
  const lbSg = ref(cluster.loadBalancerSecurityGroup, 'aws_security_group', 'id');

  test('launch template: planned instance type, IMDSv2 only, encrypted gp3 root and data volume, AMI from the DLAMI parameter', () => {
    expect(out).toHaveResourceWithProperties(LaunchTemplate, {
      instance_type: cluster.plan.topology.instanceType,
      metadata_options: { http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 },
      block_device_mappings: [
        { device_name: '/dev/sda1', ebs: { volume_size: cluster.blueprint.rootVolume.sizeGiB, volume_type: 'gp3', encrypted: 'true', delete_on_termination: 'true' } },
        {
          device_name: '/dev/sdf',
          // ≥ 500 GiB (the core's floor) since 1.15 × the ~15 GB checkpoint is far below it; 1000 MiB/s and
          // 16,000 IOPS are the gp3 maximums (EBS user guide, general-purpose volumes).
          ebs: { volume_size: 500, volume_type: 'gp3', encrypted: 'true', delete_on_termination: 'true', throughput: 1000, iops: 16000 },
        },
      ],
      vpc_security_group_ids: [sg],
      image_id: expect.stringMatching(/^\$\{data\.aws_ssm_parameter\.[^.]+\.insecure_value\}$/),
    });
    expect(out).toHaveDataSourceWithProperties(DataAwsSsmParameter, { name: DLAMI_PARAMETER });
    expect(resourcesOf(json, 'aws_launch_template')[0].network_interfaces).toBeUndefined();
    expect(resourcesOf(json, 'aws_launch_template')[0].placement).toBeUndefined();
  });

  test('Auto Scaling group: exactly one node, ELB health checks after the grace period, registered with the target group', () => {
    expect(out).toHaveResourceWithProperties(AutoscalingGroup, {
      min_size: 1, max_size: 1, desired_capacity: 1,
      vpc_zone_identifier: SUBNETS,
      health_check_type: 'EC2',
      health_check_grace_period: cluster.blueprint.healthCheckGraceSeconds,
      target_group_arns: [ref(cluster.targetGroup, 'aws_lb_target_group', 'arn')],
      wait_for_capacity_timeout: '0',
      launch_template: { id: ref(cluster.launchTemplates[0], 'aws_launch_template', 'id'), version: ref(cluster.launchTemplates[0], 'aws_launch_template', 'latest_version') },
    });
    expect(resourcesOf(json, 'aws_autoscaling_group')).toHaveLength(1);
  });

  test('security: API port from the allowed range to the NLB only, engine port from the NLB only, no SSH, no node-to-node rule', () => {
    expect(out).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { security_group_id: lbSg, cidr_ipv4: '10.0.0.0/16', ip_protocol: 'tcp', from_port: VLLM_PORT, to_port: VLLM_PORT });
    expect(out).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { security_group_id: sg, referenced_security_group_id: lbSg, ip_protocol: 'tcp', from_port: VLLM_PORT, to_port: VLLM_PORT });
    expect(out).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, { security_group_id: lbSg, referenced_security_group_id: sg, ip_protocol: 'tcp', from_port: VLLM_PORT, to_port: VLLM_PORT });
    // Issue 13 §5: the nodes reach out on HTTPS only; nothing allows every protocol anywhere.
    expect(out).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, { security_group_id: sg, cidr_ipv4: '0.0.0.0/0', ip_protocol: 'tcp', from_port: 443, to_port: 443 });
    expect(resourcesOf(json, 'aws_vpc_security_group_egress_rule').filter((r) => r.ip_protocol === '-1')).toEqual([]);
    const ingress = resourcesOf(json, 'aws_vpc_security_group_ingress_rule');
    expect(ingress).toHaveLength(2);
    expect(ingress.filter((r) => r.from_port === 22 || r.ip_protocol === '-1')).toEqual([]);
  });

  test('internal NLB on the engine port, HTTP health check on /health', () => {
    expect(out).toHaveResourceWithProperties(Lb, {
      internal: true, load_balancer_type: 'network', subnets: SUBNETS, security_groups: [lbSg], enable_cross_zone_load_balancing: true,
    });
    expect(out).toHaveResourceWithProperties(LbTargetGroup, {
      port: VLLM_PORT, protocol: 'TCP', vpc_id: VPC, target_type: 'instance',
      health_check: { enabled: true, protocol: 'HTTP', path: '/health', port: String(VLLM_PORT), interval: 30, timeout: 10, healthy_threshold: 2, unhealthy_threshold: 3 },
    });
    expect(out).toHaveResourceWithProperties(LbListener, { port: VLLM_PORT, protocol: 'TCP', default_action: [{ type: 'forward', target_group_arn: ref(cluster.targetGroup, 'aws_lb_target_group', 'arn') }] });
  });

  test('IAM: EC2 trust, SSM core managed policy, statements scoped to the S3 prefix, the secret and the log group', () => {
    expect(out).toHaveResourceWithProperties(IamRole, { assume_role_policy: expect.stringContaining('"Service":"ec2.amazonaws.com"') });
    expect(out).toHaveResourceWithProperties(IamRolePolicyAttachment, { policy_arn: expect.stringMatching(/^arn:\$\{data\.aws_partition\.[^}]+\}:iam::aws:policy\/AmazonSSMManagedInstanceCore$/) });
    const [policy] = resourcesOf(json, 'aws_iam_role_policy');
    const statements = JSON.parse(policy.policy).Statement;
    const partition = /\$\{data\.aws_partition\.[^}]+\}/.exec(policy.policy)![0];
    expect(statements).toEqual([
      { Sid: 'EngineLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [`${ref(cluster.logGroup, 'aws_cloudwatch_log_group', 'arn')}:*`] },
      { Sid: 'ReadSecrets', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [ref(cluster.apiKeySecret!, 'aws_secretsmanager_secret', 'arn')] },
      {
        Sid: 'ListModelPrefix', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [`arn:${partition}:s3:::example-models`],
        Condition: { StringLike: { 's3:prefix': ['r1-distill-qwen-7b', 'r1-distill-qwen-7b/*'] } },
      },
      { Sid: 'ReadModelObjects', Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`arn:${partition}:s3:::example-models/r1-distill-qwen-7b/*`] },
      // Issue 6: the cluster key (secret and logs) and the watchdog's self-report, limited to this cluster's groups by tag.
      { Sid: 'UseClusterKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: [ref(cluster.encryptionKey, 'aws_kms_key', 'arn')] },
      {
        Sid: 'ReportOwnHealth', Effect: 'Allow', Action: ['autoscaling:SetInstanceHealth'],
        Resource: [`arn:${partition}:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/*`],
        Condition: { StringEquals: { 'autoscaling:ResourceTag/deepseek-iac:cluster': ['r1-7b'] } },
      },
    ]);
  });

  test('API key: a secret with no value in the configuration (no secret version, no secret string anywhere)', () => {
    expect(out).toHaveResourceWithProperties(SecretsmanagerSecret, { name_prefix: 'deepseek-iac/r1-7b/api-key-' });
    expect(json.resource.aws_secretsmanager_secret_version).toBeUndefined();
    expect(out).not.toMatch(/secret_string|secret_binary/);
  });

  test('log group with one month retention, named after the cluster', () => {
    expect(out).toHaveResourceWithProperties(CloudwatchLogGroup, { name: '/deepseek-iac/r1-7b', retention_in_days: 30 });
  });

  test('user data: the blueprint script, literal parts as base64 so Terraform never interpolates the shell ${...}', () => {
    const [lt] = resourcesOf(json, 'aws_launch_template');
    expect(lt.user_data).toMatch(/^\$\{base64encode\(join\("", \[/);
    expect(decodeTfUserData(lt.user_data)).toBe(withRefs(cluster.blueprint.nodeGroups[0].userData));
    expect(decodeTfUserData(lt.user_data)).toContain(`readonly API_KEY_SECRET_ID='${REF}'`);
  });

  test('every resource that takes tags carries the cluster and model tags', () => {
    for (const type of ['aws_security_group', 'aws_lb', 'aws_lb_target_group', 'aws_iam_role', 'aws_cloudwatch_log_group', 'aws_secretsmanager_secret', 'aws_launch_template']) {
      for (const r of resourcesOf(json, type)) expect(r.tags).toMatchObject({ 'deepseek-iac:cluster': 'r1-7b', 'deepseek-iac:model': 'deepseek-r1-distill-qwen-7b' });
    }
  });
});

describe('two nodes over EFA (V3 BF16 on H200)', () => {
  const { out, json, cluster } = synth({ model: 'deepseek-v3', precision: 'bf16', gpus: ['h200'], vpcId: VPC, subnetIds: SUBNETS, clusterName: 'v3' });
  const sg = ref(cluster.securityGroup, 'aws_security_group', 'id');
  const efa = cluster.plan.topology.efaInterfacesPerNode;

  test('cluster placement group, and both launch templates place instances in it', () => {
    expect(out).toHaveResourceWithProperties(PlacementGroup, { strategy: 'cluster', name: 'deepseek-iac-v3' });
    for (const lt of resourcesOf(json, 'aws_launch_template')) expect(lt.placement).toEqual({ group_name: ref(cluster.placementGroup!, 'aws_placement_group', 'name') });
  });

  test('every EFA card attached: card 0 as EFA with ENA at device 0, the others EFA-only at device 1, security group on each', () => {
    expect(efa).toBeGreaterThan(1);
    for (const lt of resourcesOf(json, 'aws_launch_template')) {
      expect(lt.network_interfaces).toEqual(Array.from({ length: efa }, (_, card) => ({
        network_card_index: card, device_index: card === 0 ? 0 : 1, interface_type: card === 0 ? 'efa' : 'efa-only',
        security_groups: [sg], delete_on_termination: 'true',
      })));
      // EC2 rejects security groups at the template level together with interfaces.
      expect(lt.vpc_security_group_ids).toBeUndefined();
    }
  });

  test('one group per rank, one node each, all in the first subnet; only rank 0 serves traffic', () => {
    const groups = resourcesOf(json, 'aws_autoscaling_group');
    expect(groups).toHaveLength(2);
    const byRank = Object.fromEntries(groups.map((g) => [g.tag.find((t: any) => t.key === 'deepseek-iac:rank').value, g]));
    for (const g of groups) expect(g).toMatchObject({ min_size: 1, max_size: 1, desired_capacity: 1, vpc_zone_identifier: ['subnet-a'] });
    expect(byRank['0']).toMatchObject({ health_check_type: 'EC2', target_group_arns: [ref(cluster.targetGroup, 'aws_lb_target_group', 'arn')] });
    expect(byRank['1'].health_check_type).toBe('EC2');
    expect(byRank['1'].target_group_arns).toBeUndefined();
  });

  test('all traffic between nodes (EFA needs it), workers may describe instances to find the head', () => {
    expect(out).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { security_group_id: sg, referenced_security_group_id: sg, ip_protocol: '-1' });
    const statements = JSON.parse(resourcesOf(json, 'aws_iam_role_policy')[0].policy).Statement;
    expect(statements).toContainEqual({ Sid: 'DiscoverHead', Effect: 'Allow', Action: ['ec2:DescribeInstances'], Resource: ['*'] });
  });

  test('each rank boots its own script (rank tag and rank in user data)', () => {
    const lts = resourcesOf(json, 'aws_launch_template');
    lts.forEach((lt, i) => {
      expect(lt.tag_specifications.map((t: any) => t.tags['deepseek-iac:rank'])).toEqual([String(i), String(i)]);
      expect(decodeTfUserData(lt.user_data)).toBe(withRefs(cluster.blueprint.nodeGroups[i].userData));
    });
  });

  test('plan and blueprint notices become construct warnings, each "CODE: message"', () => {
    const warnings = cluster.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => String(m.data));
    expect(warnings).toEqual([...cluster.plan.notices, ...cluster.blueprint.warnings].map((n) => `${n.code}: ${n.message}`));
    // The default source is the FP8 release while the plan serves BF16 (the AWS vLLM container ships the EFA libraries, so no EFA-image warning).
    expect(warnings.some((w) => w.startsWith('DSIAC-AWS3: '))).toBe(true);
    expect(warnings.some((w) => w.startsWith('DSIAC-AWS4: '))).toBe(false);
  });
});

describe('secrets given by ARN', () => {
  test('a plain API-key ARN: no secret is created and the user data is plain base64 of the blueprint script', () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:llm-api-key-AbCdEf';
    // Without the model store, whose bucket name would be a reference in the script.
    const { json, cluster } = synth({ model: 'deepseek-r1-distill-qwen-1.5b', vpcId: VPC, subnetIds: SUBNETS, apiKeySecretArn: arn, modelStore: false });
    expect(json.resource.aws_secretsmanager_secret).toBeUndefined();
    const [lt] = resourcesOf(json, 'aws_launch_template');
    expect(Buffer.from(lt.user_data, 'base64').toString('utf8')).toBe(cluster.blueprint.nodeGroups[0].userData);
    expect(cluster.blueprint.nodeGroups[0].userData).toContain(`readonly API_KEY_SECRET_ID=${arn}`);
    expect(JSON.parse(resourcesOf(json, 'aws_iam_role_policy')[0].policy).Statement[1].Resource).toEqual([arn]);
  });

  test('a Hugging Face token secret from another resource: referenced in the user data and in the policy', () => {
    let cluster: DeepSeekInferenceCluster | undefined;
    let hf: DataAwsSecretsmanagerSecret | undefined;
    const out = Testing.synthScope((scope) => {
      hf = new DataAwsSecretsmanagerSecret(scope, 'HfToken', { name: 'hf-token' });
      cluster = new DeepSeekInferenceCluster(scope, 'Cluster', { model: 'deepseek-r1-distill-qwen-1.5b', vpcId: VPC, subnetIds: SUBNETS, huggingFaceTokenSecretArn: hf.arn });
    });
    const json = JSON.parse(out);
    const userData = decodeTfUserData(resourcesOf(json, 'aws_launch_template')[0].user_data);
    expect(userData).toContain(`readonly HF_TOKEN_SECRET_ID='${REF}'`);
    expect(resourcesOf(json, 'aws_launch_template')[0].user_data).toContain(`data.aws_secretsmanager_secret.${hf!.friendlyUniqueId}.arn`);
    expect(JSON.parse(resourcesOf(json, 'aws_iam_role_policy')[0].policy).Statement[1].Resource)
      .toEqual([ref(cluster!.apiKeySecret!, 'aws_secretsmanager_secret', 'arn'), `\${data.aws_secretsmanager_secret.${hf!.friendlyUniqueId}.arn}`]);
  });
});

describe('bad props: one error naming the construct and every problem, nothing synthesized', () => {
  const issuesOf = (props: DeepSeekInferenceClusterProps): { paths: string[]; message: string } => {
    try {
      synth(props);
    } catch (e) {
      if (!(e instanceof DeepSeekInferenceClusterError)) throw e;
      return { paths: e.issues.map((i) => i.path), message: e.message };
    }
    throw new Error('expected DeepSeekInferenceClusterError');
  };

  test('public ingress, malformed CIDR, unknown model-source scheme, bad retention, no subnets, bad cluster name: all reported at once', () => {
    const { paths, message } = issuesOf({
      model: 'deepseek-r1-distill-qwen-1.5b', vpcId: VPC, subnetIds: [], allowedCidrs: ['0.0.0.0/0', '10.0.0.0/33'],
      modelSource: 'ftp://models/r1', logRetentionDays: 10, clusterName: 'has space',
    });
    expect(paths.sort()).toEqual(['allowedCidrs[0]', 'allowedCidrs[1]', 'clusterName', 'logRetentionDays', 'modelSource', 'subnetIds']);
    expect(message).toMatch(/^[\w/]*\/Cluster: invalid DeepSeekInferenceCluster configuration:\n {2}- /);
  });

  test('0.0.0.0/0 is accepted with allowPublicIngress', () => {
    expect(() => synth({ model: 'deepseek-r1-distill-qwen-1.5b', vpcId: VPC, subnetIds: SUBNETS, allowedCidrs: ['0.0.0.0/0'], allowPublicIngress: true })).not.toThrow();
  });

  test('a token in a planning field is refused (the plan is made at synth)', () => {
    expect(issuesOf({ model: 'deepseek-r1-distill-qwen-1.5b', contextTokens: Token.asNumber({ ref: 'var.ctx' }), vpcId: VPC, subnetIds: SUBNETS }).paths).toEqual(['contextTokens']);
  });

  test('an instance type too small for the model names what would fit', () => {
    const { paths, message } = issuesOf({ model: 'deepseek-r1', precision: 'fp8', instanceType: 'g6.xlarge', vpcId: VPC, subnetIds: SUBNETS });
    expect(paths).toContain('instanceType');
    expect(message).toMatch(/what fits: \d+ × [a-z0-9]+\.\d*xlarge/);
  });
});

describe('userDataBase64', () => {
  test('a script without tokens is base64 of its UTF-8 bytes, Terraform syntax included', () => {
    const script = '#!/bin/bash\necho "${HOME}" %{x} ✓\n';
    expect(Buffer.from(userDataBase64(script), 'base64').toString('utf8')).toBe(script);
  });
});
