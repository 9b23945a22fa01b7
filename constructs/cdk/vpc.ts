/**
 * Networking the construct creates: the default VPC (with encrypted flow logs) and the VPC endpoints
 * the blueprint lists, so nodes reach the AWS APIs they call without NAT.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { VpcEndpointSpec } from '../../lib/deploy';

/**
 * The default VPC: 2 AZs, public subnets for the NAT gateway only (no public IPs assigned on
 * launch: nothing runs there but the NAT gateway, which has its Elastic IP), private subnets with
 * egress for nodes and the load balancer, and flow logs to a KMS-encrypted log group.
 */
export function defaultVpc(scope: Construct, key: kms.IKey, retention: logs.RetentionDays): ec2.Vpc {
  const vpc = new ec2.Vpc(scope, 'Vpc', {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
      { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
    ],
  });
  const flowLogs = new logs.LogGroup(scope, 'FlowLogGroup', { retention, encryptionKey: key });
  vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs) });
  return vpc;
}

/** One subnet per AZ (an interface endpoint takes at most one per AZ). */
function onePerAz(subnets: readonly ec2.ISubnet[]): ec2.ISubnet[] {
  const seen = new Set<string>();
  return subnets.filter((s) => (seen.has(s.availabilityZone) ? false : (seen.add(s.availabilityZone), true)));
}

/**
 * Add the blueprint's endpoints to `vpc`. Interface endpoints get their own security group that
 * admits HTTPS from the nodes' group only (not the whole VPC CIDR).
 */
export function addVpcEndpoints(
  scope: Construct, vpc: ec2.IVpc, subnets: readonly ec2.ISubnet[], nodes: ec2.ISecurityGroup, specs: readonly VpcEndpointSpec[],
): ec2.SecurityGroup {
  const sg = new ec2.SecurityGroup(scope, 'EndpointSecurityGroup', {
    vpc, allowAllOutbound: false, description: 'VPC interface endpoints: HTTPS from the cluster nodes',
  });
  sg.addIngressRule(nodes, ec2.Port.tcp(443), 'AWS API calls from the cluster nodes');
  for (const e of specs) {
    const id = `Endpoint-${e.service}`;
    if (e.kind === 'gateway') {
      vpc.addGatewayEndpoint(id, { service: new ec2.GatewayVpcEndpointAwsService(e.service), subnets: [{ subnets: [...subnets] }] });
    } else {
      const endpoint = new ec2.InterfaceVpcEndpoint(scope, id, {
        vpc, service: new ec2.InterfaceVpcEndpointAwsService(e.service), subnets: { subnets: onePerAz(subnets) },
        securityGroups: [sg], open: false, privateDnsEnabled: true,
      });
      // The blueprint's endpoint policy: only the cluster's resources of this service (issue 13 §5).
      for (const st of e.policy ?? []) {
        endpoint.addToPolicy(new iam.PolicyStatement({
          sid: st.sid, principals: [new iam.AnyPrincipal()], actions: [...st.actions], resources: [...st.resources], ...(st.conditions ? { conditions: st.conditions } : {}),
        }));
      }
    }
  }
  return sg;
}
