/**
 * Optional networking in the caller's VPC (both off by default, as the VPC is given): the VPC
 * endpoints the blueprint lists (lib/deploy/private-network.ts), so nodes reach the AWS APIs without
 * NAT, and VPC flow logs to a log group encrypted with the cluster key. The CDK construct adds the
 * same to the VPC it creates (the CDK adapter's vpc.ts). Children of the cluster component.
 */
import * as pulumi from '@pulumi/pulumi';
import * as cloudwatch from '@pulumi/aws/cloudwatch';
import * as ec2 from '@pulumi/aws/ec2';
import * as iam from '@pulumi/aws/iam';
import * as vpc from '@pulumi/aws/vpc';
import type { VpcEndpointSpec } from '../../lib/deploy';
import { flowLogRolePolicy, flowLogTrustPolicy } from '../../lib/deploy/policy-document';

type Tags = Readonly<Record<string, string>>;

/** The blueprint's endpoints and the interface endpoints' security group. */
export interface VpcEndpoints {
  /** Admits HTTPS from the node security group only (not the VPC CIDR); no egress rules. */
  readonly securityGroup: ec2.SecurityGroup;
  /** By service suffix (`s3`, `ssm`, ...). */
  readonly endpoints: Readonly<Record<string, ec2.VpcEndpoint>>;
}

/**
 * Create the endpoints of cluster `name`: interface endpoints with private DNS in the node subnets
 * (one per AZ, as the load balancer requires), the S3 gateway on those subnets' route tables.
 */
export function vpcEndpoints(
  name: string,
  props: {
    readonly vpcId: pulumi.Input<string>; readonly subnetIds: readonly pulumi.Input<string>[]; readonly nodeSecurityGroupId: pulumi.Input<string>;
    readonly region: pulumi.Input<string>; readonly specs: readonly VpcEndpointSpec[]; readonly tags: Tags;
    /** An endpoint policy document with the layout's references resolved (the policies name the cluster's resources). */
    readonly policyOf: (statements: NonNullable<VpcEndpointSpec['policy']>) => pulumi.Input<string>;
  },
  parent: pulumi.Resource,
): VpcEndpoints {
  const opts = { parent };
  const securityGroup = new ec2.SecurityGroup(`${name}-endpoints`, {
    vpcId: props.vpcId, description: 'VPC interface endpoints: HTTPS from the cluster nodes', tags: props.tags,
  }, opts);
  new vpc.SecurityGroupIngressRule(`${name}-endpoints-https-from-nodes`, {
    securityGroupId: securityGroup.id, referencedSecurityGroupId: props.nodeSecurityGroupId,
    ipProtocol: 'tcp', fromPort: 443, toPort: 443, description: 'AWS API calls from the cluster nodes',
  }, opts);
  // The route table of each subnet (explicitly associated ones; a subnet on the VPC's main table needs its association made explicit).
  const routeTableIds = () => props.subnetIds.map((subnetId) => ec2.getRouteTableOutput({ subnetId }, opts).routeTableId);
  const endpoints: Record<string, ec2.VpcEndpoint> = {};
  for (const e of props.specs) {
    const common = { vpcId: props.vpcId, serviceName: pulumi.interpolate`com.amazonaws.${props.region}.${e.service}`, vpcEndpointType: e.kind === 'gateway' ? 'Gateway' : 'Interface', tags: props.tags };
    endpoints[e.service] = new ec2.VpcEndpoint(`${name}-endpoint-${e.service}`, e.kind === 'gateway'
      ? { ...common, routeTableIds: routeTableIds() }
      : {
          ...common, subnetIds: [...props.subnetIds], securityGroupIds: [securityGroup.id], privateDnsEnabled: true,
          // The blueprint's endpoint policy: only the cluster's resources of this service (issue 13 §5).
          ...(e.policy ? { policy: props.policyOf(e.policy) } : {}),
        }, opts);
  }
  return { securityGroup, endpoints };
}

/** Flow logs of a VPC, their log group and delivery role. */
export interface VpcFlowLogs {
  readonly logGroup: cloudwatch.LogGroup;
  readonly role: iam.Role;
  readonly flowLog: ec2.FlowLog;
}

/** Flow logs (all traffic) of `vpcId` to a KMS-encrypted log group, delivered through a role scoped to that group. */
export function vpcFlowLogs(
  name: string,
  props: {
    readonly vpcId: pulumi.Input<string>; readonly kmsKeyArn: pulumi.Input<string>; readonly retentionDays: number; readonly logGroupName: string;
    readonly partition: pulumi.Input<string>; readonly region: pulumi.Input<string>; readonly accountId: pulumi.Input<string>; readonly tags: Tags;
  },
  parent: pulumi.Resource,
): VpcFlowLogs {
  const opts = { parent };
  const logGroup = new cloudwatch.LogGroup(`${name}-flow-logs`, {
    name: props.logGroupName, retentionInDays: props.retentionDays, kmsKeyId: props.kmsKeyArn, tags: props.tags,
  }, opts);
  const role = new iam.Role(`${name}-flow-logs`, {
    description: pulumi.interpolate`Delivers the flow logs of ${props.vpcId}`,
    assumeRolePolicy: pulumi.all([props.partition, props.region, props.accountId]).apply(([partition, region, accountId]) => flowLogTrustPolicy({ partition, region, accountId })),
    tags: props.tags,
  }, opts);
  new iam.RolePolicy(`${name}-flow-logs`, { role: role.name, policy: logGroup.arn.apply(flowLogRolePolicy) }, opts);
  const flowLog = new ec2.FlowLog(`${name}-flow-logs`, {
    vpcId: props.vpcId, trafficType: 'ALL', logDestinationType: 'cloud-watch-logs', logDestination: logGroup.arn, iamRoleArn: role.arn, tags: props.tags,
  }, opts);
  return { logGroup, role, flowLog };
}

