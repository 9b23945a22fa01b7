/**
 * IAM for the EKS deployment as data: the Karpenter controller's statements and the Karpenter node
 * role's managed policies, copied from Karpenter's getting-started CloudFormation template
 * (https://github.com/aws/karpenter-provider-aws/blob/v1.14.1/website/content/en/v1.13/getting-started/getting-started-with-karpenter/cloudformation.yaml:
 * KarpenterNodeRole, NodeLifecyclePolicy, IAMIntegrationPolicy, EKSIntegrationPolicy,
 * InterruptionPolicy, ResourceDiscoveryPolicy), and the Mountpoint S3 CSI driver's read-only
 * statements (https://github.com/awslabs/mountpoint-s3-csi-driver/blob/v2.7.0/docs/CONFIGURATION.md).
 * Condition keys carry the cluster name, so it must be a plain string (see eksLayoutIssues).
 */
import type { PolicyStatementSpec } from '../iam';
import type { S3ModelSource } from '../model-source';

/** Managed policies of the Karpenter node role (CloudFormation `KarpenterNodeRole`). */
export const KARPENTER_NODE_MANAGED_POLICIES: readonly string[] = [
  'AmazonEKS_CNI_Policy', 'AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly', 'AmazonSSMManagedInstanceCore',
];

/** What the controller statements are scoped to (adapters may pass tokens for the ARNs). */
export interface KarpenterPolicyInput {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** Plain cluster name (it appears in condition keys). */
  readonly clusterName: string;
  readonly nodeRoleArn: string;
  readonly interruptionQueueArn: string;
}

const WHY_EC2_ARN_WILDCARD = 'EC2 creates the fleet, instances, volumes, interfaces and launch templates at run time; the conditions limit them to resources tagged for this cluster and a Karpenter NodePool (Karpenter reference policy)';

/** The Karpenter controller's statements, in the reference template's order. */
export function karpenterControllerStatements(i: KarpenterPolicyInput): PolicyStatementSpec[] {
  const ec2 = (type: string, account = '*'): string => `arn:${i.partition}:ec2:${i.region}:${account}:${type}/*`;
  const profile = `arn:${i.partition}:iam::${i.account}:instance-profile/*`;
  const owned = { [`aws:ResourceTag/kubernetes.io/cluster/${i.clusterName}`]: ['owned'] };
  const requestOwned = {
    [`aws:RequestTag/kubernetes.io/cluster/${i.clusterName}`]: ['owned'],
    'aws:RequestTag/eks:eks-cluster-name': [i.clusterName],
  };
  const created = ['fleet', 'instance', 'volume', 'network-interface', 'launch-template', 'spot-instances-request'].map((t) => ec2(t));
  const clusterArn = `arn:${i.partition}:eks:${i.region}:${i.account}:cluster/${i.clusterName}`;
  return [
    {
      sid: 'AllowScopedEC2InstanceAccessActions',
      actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
      resources: [
        `arn:${i.partition}:ec2:${i.region}::image/*`, `arn:${i.partition}:ec2:${i.region}::snapshot/*`,
        ec2('security-group'), ec2('subnet'), ec2('capacity-reservation'), ec2('placement-group'),
      ],
      reason: 'launch nodes from EKS AMIs into the selected subnets and security groups',
      wildcardReason: 'Karpenter picks the AMI, subnet and security group per launch from the EC2NodeClass selectors',
    },
    {
      sid: 'AllowScopedEC2LaunchTemplateAccessActions',
      actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
      resources: [ec2('launch-template')],
      conditions: { StringEquals: owned, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': ['*'] } },
      reason: 'use the launch templates Karpenter created for this cluster',
      wildcardReason: WHY_EC2_ARN_WILDCARD,
    },
    {
      sid: 'AllowScopedEC2InstanceActionsWithTags',
      actions: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
      resources: created,
      conditions: { StringEquals: requestOwned, StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': ['*'] } },
      reason: 'create nodes and launch templates tagged for this cluster',
      wildcardReason: WHY_EC2_ARN_WILDCARD,
    },
    {
      sid: 'AllowScopedResourceCreationTagging',
      actions: ['ec2:CreateTags'],
      resources: created,
      conditions: {
        StringEquals: { ...requestOwned, 'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] },
        StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': ['*'] },
      },
      reason: 'tag what it creates, at creation only',
      wildcardReason: WHY_EC2_ARN_WILDCARD,
    },
    {
      sid: 'AllowScopedResourceTagging',
      actions: ['ec2:CreateTags'],
      resources: [ec2('instance')],
      conditions: {
        StringEquals: owned,
        StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': ['*'] },
        StringEqualsIfExists: { 'aws:RequestTag/eks:eks-cluster-name': [i.clusterName] },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
      },
      reason: 'name its own nodes and record their NodeClaim',
      wildcardReason: WHY_EC2_ARN_WILDCARD,
    },
    {
      sid: 'AllowScopedDeletion',
      actions: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
      resources: [ec2('instance'), ec2('launch-template')],
      conditions: { StringEquals: owned, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': ['*'] } },
      reason: 'terminate only nodes and launch templates of this cluster\'s NodePools',
      wildcardReason: WHY_EC2_ARN_WILDCARD,
    },
    {
      sid: 'AllowPassingInstanceRole',
      actions: ['iam:PassRole'],
      resources: [i.nodeRoleArn],
      conditions: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } },
      reason: 'hand the node role to EC2 through the instance profile',
    },
    {
      sid: 'AllowScopedInstanceProfileCreationActions',
      actions: ['iam:CreateInstanceProfile'],
      resources: [profile],
      conditions: {
        StringEquals: { ...requestOwned, 'aws:RequestTag/topology.kubernetes.io/region': [i.region] },
        StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': ['*'] },
      },
      reason: 'create the instance profile of the EC2NodeClass\'s role',
      wildcardReason: 'Karpenter names instance profiles at run time; creation requires this cluster\'s tags',
    },
    {
      sid: 'AllowScopedInstanceProfileTagActions',
      actions: ['iam:TagInstanceProfile'],
      resources: [profile],
      conditions: {
        StringEquals: {
          ...owned, 'aws:ResourceTag/topology.kubernetes.io/region': [i.region], ...requestOwned, 'aws:RequestTag/topology.kubernetes.io/region': [i.region],
        },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': ['*'], 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': ['*'] },
      },
      reason: 'tag its own instance profiles',
      wildcardReason: 'Karpenter names instance profiles at run time; the conditions require this cluster\'s tags',
    },
    {
      sid: 'AllowScopedInstanceProfileActions',
      actions: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
      resources: [profile],
      conditions: {
        StringEquals: { ...owned, 'aws:ResourceTag/topology.kubernetes.io/region': [i.region] },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': ['*'] },
      },
      reason: 'manage only its own instance profiles',
      wildcardReason: 'Karpenter names instance profiles at run time; the conditions require this cluster\'s tags',
    },
    {
      sid: 'AllowAPIServerEndpointDiscovery',
      actions: ['eks:DescribeCluster'],
      resources: [clusterArn],
      reason: 'read the API endpoint and CA for the nodes\' bootstrap',
    },
    {
      sid: 'AllowInterruptionQueueActions',
      actions: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
      resources: [i.interruptionQueueArn],
      reason: 'read Spot interruption, rebalance, scheduled-change and state-change events to drain nodes ahead of time',
    },
    {
      sid: 'AllowZonalShiftStatusReadOnly',
      actions: ['arc-zonal-shift:GetManagedResource'],
      resources: ['*'],
      conditions: { StringEquals: { 'arc-zonal-shift:ResourceIdentifier': [clusterArn] } },
      reason: 'avoid zones under an ARC zonal shift',
      wildcardReason: 'arc-zonal-shift:GetManagedResource has no resource-level permission; the condition names this cluster',
    },
    {
      sid: 'AllowRegionalReadActions',
      actions: [
        'ec2:DescribeCapacityReservations', 'ec2:DescribeImages', 'ec2:DescribeInstances', 'ec2:DescribeInstanceStatus', 'ec2:DescribeInstanceTypeOfferings',
        'ec2:DescribeInstanceTypes', 'ec2:DescribeLaunchTemplates', 'ec2:DescribePlacementGroups', 'ec2:DescribeSecurityGroups',
        'ec2:DescribeSpotPriceHistory', 'ec2:DescribeSubnets',
      ],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:RequestedRegion': [i.region] } },
      reason: 'discover instance types, offerings, prices, AMIs, subnets and security groups',
      wildcardReason: 'EC2 Describe* actions have no resource-level permissions; the condition keeps them in this region',
    },
    {
      sid: 'AllowSSMReadActions',
      actions: ['ssm:GetParameter'],
      resources: [`arn:${i.partition}:ssm:${i.region}::parameter/aws/service/*`],
      reason: 'resolve the EKS-optimized AMI aliases from AWS\'s public parameters',
      wildcardReason: 'AWS public parameters under /aws/service/ only',
    },
    {
      sid: 'AllowPricingReadActions',
      actions: ['pricing:GetProducts'],
      resources: ['*'],
      reason: 'order instance types by price',
      wildcardReason: 'pricing:GetProducts has no resource-level permissions',
    },
    {
      sid: 'AllowUnscopedInstanceProfileListAction',
      actions: ['iam:ListInstanceProfiles'],
      resources: ['*'],
      reason: 'find its instance profiles again after a restart',
      wildcardReason: 'iam:ListInstanceProfiles has no resource-level permissions',
    },
    {
      sid: 'AllowInstanceProfileReadActions',
      actions: ['iam:GetInstanceProfile'],
      resources: [profile],
      reason: 'read its instance profiles',
      wildcardReason: 'Karpenter names instance profiles at run time',
    },
  ];
}

/** Read-only access to the weights prefix for the Mountpoint S3 CSI node daemon. */
export function mountpointS3Statements(partition: string, source: S3ModelSource): PolicyStatementSpec[] {
  const bucketArn = `arn:${partition}:s3:::${source.bucket}`;
  const objects = source.prefix === '' ? `${bucketArn}/*` : `${bucketArn}/${source.prefix}/*`;
  return [
    {
      sid: 'MountpointListWeights',
      actions: ['s3:ListBucket'],
      resources: [bucketArn],
      ...(source.prefix === '' ? {} : { conditions: { StringLike: { 's3:prefix': [`${source.prefix}/*`, source.prefix] } } }),
      reason: 'list the checkpoint directory',
    },
    {
      sid: 'MountpointReadWeights',
      actions: ['s3:GetObject'],
      resources: [objects],
      reason: 'read the checkpoint files (the weights are mounted read-only)',
      wildcardReason: 'every object below the weights prefix is part of the checkpoint',
    },
  ];
}

/**
 * EventBridge patterns routed to Karpenter's interruption queue (reference template rules
 * ScheduledChangeRule, SpotInterruptionRule, RebalanceRule, InstanceStateChangeRule,
 * CapacityReservationInterruptionRule); the queue
 * keeps messages 300 s and refuses plain HTTP.
 */
export const KARPENTER_INTERRUPTION_EVENTS: readonly { readonly id: string; readonly source: string; readonly detailType: string }[] = [
  { id: 'ScheduledChange', source: 'aws.health', detailType: 'AWS Health Event' },
  { id: 'SpotInterruption', source: 'aws.ec2', detailType: 'EC2 Spot Instance Interruption Warning' },
  { id: 'Rebalance', source: 'aws.ec2', detailType: 'EC2 Instance Rebalance Recommendation' },
  { id: 'InstanceStateChange', source: 'aws.ec2', detailType: 'EC2 Instance State-change Notification' },
  { id: 'CapacityReservationInterruption', source: 'aws.ec2', detailType: 'EC2 Capacity Reservation Instance Interruption Warning' },
];
/** Retention of interruption messages, seconds (reference template). */
export const KARPENTER_INTERRUPTION_RETENTION_SECONDS = 300;
