/**
 * Optional networking in the caller's VPC (both off by default, as the VPC is given): the VPC
 * endpoints the blueprint lists (lib/deploy/private-network.ts), so nodes reach the AWS APIs without
 * NAT, and VPC flow logs to a log group encrypted with the cluster key. The CDK construct adds the
 * same to the VPC it creates (the CDK adapter's vpc.ts).
 */
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsRouteTable } from '@cdktf/provider-aws/lib/data-aws-route-table';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import type { VpcEndpointSpec } from '../../lib/deploy';
import { endpointPolicyDocument, flowLogRolePolicy, flowLogTrustPolicy } from '../../lib/deploy/policy-document';

type Tags = Readonly<Record<string, string>>;

/** Where the endpoints go. Values may be Terraform references. */
export interface VpcEndpointsProps {
  readonly vpcId: string;
  /** Subnets of the nodes (one per AZ, as the load balancer requires): interface endpoints go there, the S3 gateway onto their route tables. */
  readonly subnetIds: readonly string[];
  readonly nodeSecurityGroupId: string;
  readonly region: string;
  /** The blueprint's endpoints, references resolved (their policies name the cluster's resources). */
  readonly specs: readonly VpcEndpointSpec[];
  readonly tags: Tags;
}

/** The blueprint's endpoints and the interface endpoints' security group. */
export class VpcEndpoints extends Construct {
  /** Admits HTTPS from the node security group only (not the VPC CIDR); no egress rules. */
  readonly securityGroup: SecurityGroup;
  /** By service suffix (`s3`, `ssm`, ...). */
  readonly endpoints: Readonly<Record<string, VpcEndpoint>>;

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpcId: props.vpcId, description: 'VPC interface endpoints: HTTPS from the cluster nodes', tags: props.tags,
    });
    new VpcSecurityGroupIngressRule(this, 'HttpsFromNodes', {
      securityGroupId: this.securityGroup.id, referencedSecurityGroupId: props.nodeSecurityGroupId,
      ipProtocol: 'tcp', fromPort: 443, toPort: 443, description: 'AWS API calls from the cluster nodes',
    });
    // The route table of each subnet (explicitly associated ones; a subnet on the VPC's main table needs its association made explicit).
    const routeTables = () => props.subnetIds.map((subnetId, i) => new DataAwsRouteTable(this, `RouteTable${i}`, { subnetId }).routeTableId);
    const endpoints: Record<string, VpcEndpoint> = {};
    for (const e of props.specs) {
      const common = { vpcId: props.vpcId, serviceName: `com.amazonaws.${props.region}.${e.service}`, vpcEndpointType: e.kind === 'gateway' ? 'Gateway' : 'Interface', tags: props.tags };
      endpoints[e.service] = new VpcEndpoint(this, `Endpoint-${e.service}`, e.kind === 'gateway'
        ? { ...common, routeTableIds: routeTables() }
        : {
            ...common, subnetIds: [...props.subnetIds], securityGroupIds: [this.securityGroup.id], privateDnsEnabled: true,
            // The blueprint's endpoint policy: only the cluster's resources of this service (issue 13 §5).
            ...(e.policy ? { policy: endpointPolicyDocument(e.policy) } : {}),
          });
    }
    this.endpoints = endpoints;
  }
}

/** Where the flow logs go. Values may be Terraform references. */
export interface FlowLogsProps {
  readonly vpcId: string;
  readonly kmsKeyArn: string;
  readonly retentionDays: number;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly logGroupName: string;
  readonly tags: Tags;
}

/** Flow logs (all traffic) of a VPC to a KMS-encrypted log group, delivered through a role scoped to that group. */
export class VpcFlowLogs extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly role: IamRole;
  readonly flowLog: FlowLog;

  constructor(scope: Construct, id: string, props: FlowLogsProps) {
    super(scope, id);
    this.logGroup = new CloudwatchLogGroup(this, 'LogGroup', {
      name: props.logGroupName, retentionInDays: props.retentionDays, kmsKeyId: props.kmsKeyArn, tags: props.tags,
    });
    this.role = new IamRole(this, 'Role', {
      description: `Delivers the flow logs of ${props.vpcId}`,
      assumeRolePolicy: flowLogTrustPolicy(props), tags: props.tags,
    });
    new IamRolePolicy(this, 'Policy', { role: this.role.name, policy: flowLogRolePolicy(this.logGroup.arn) });
    this.flowLog = new FlowLog(this, 'FlowLog', {
      vpcId: props.vpcId, trafficType: 'ALL', logDestinationType: 'cloud-watch-logs', logDestination: this.logGroup.arn, iamRoleArn: this.role.arn, tags: props.tags,
    });
  }
}

