/**
 * FSx for Lustre linked to the model store (the `fsxLustre` prop): the file system from
 * `fsxLustreSpec` (lib/deploy/fsx.ts), its security group and the data repository association.
 */
import { Aws } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as fsx from 'aws-cdk-lib/aws-fsx';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { FsxLustreSpec } from '../../lib/deploy';

/** Props of {@link ModelFileSystem}. */
export interface ModelFileSystemProps {
  readonly spec: FsxLustreSpec;
  readonly vpc: ec2.IVpc;
  /** The nodes' subnet (multi-node clusters use one). */
  readonly subnet: ec2.ISubnet;
  readonly key: kms.IKey;
  readonly clusterName: string;
}

/** The Lustre file system the nodes read the weights from. */
export class ModelFileSystem extends Construct {
  readonly fileSystem: fsx.CfnFileSystem;
  /** Lustre ports between the file servers and from/to the nodes only. */
  readonly securityGroup: ec2.SecurityGroup;
  private readonly spec: FsxLustreSpec;

  constructor(scope: Construct, id: string, props: ModelFileSystemProps) {
    super(scope, id);
    this.spec = props.spec;
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc, allowAllOutbound: false, description: `${props.clusterName} FSx for Lustre: Lustre ports between file servers and to the nodes`,
    });
    // The file servers talk to each other on the Lustre ports; creation fails without it.
    this.allow(this.securityGroup, 'between Lustre file servers');
    this.fileSystem = new fsx.CfnFileSystem(this, 'FileSystem', {
      fileSystemType: 'LUSTRE',
      fileSystemTypeVersion: props.spec.fileSystemTypeVersion,
      storageCapacity: props.spec.storageCapacityGiB,
      storageType: 'SSD',
      subnetIds: [props.subnet.subnetId],
      securityGroupIds: [this.securityGroup.securityGroupId],
      kmsKeyId: props.key.keyId,
      lustreConfiguration: {
        deploymentType: props.spec.deploymentType,
        perUnitStorageThroughput: props.spec.perUnitStorageThroughputMBpsPerTiB,
        dataCompressionType: 'NONE',
      },
    });
  }

  /** Allow the Lustre ports between the file system and the nodes' security group (both directions). */
  allowNodes(nodes: ec2.SecurityGroup): void {
    this.allow(nodes, 'from/to the GPU nodes');
    for (const p of this.spec.ports) nodes.addIngressRule(this.securityGroup, ec2.Port.tcpRange(p.fromPort, p.toPort), `Lustre ${p.fromPort}-${p.toPort} from FSx`);
  }

  /**
   * Link `prefix` of the model store to the file system path of the spec, importing new, changed and
   * deleted objects automatically (metadata first; file data loads lazily on first read).
   */
  linkBucket(bucket: s3.IBucket, prefix: string): fsx.CfnDataRepositoryAssociation {
    const dra = new fsx.CfnDataRepositoryAssociation(this, 'ModelStoreLink', {
      fileSystemId: this.fileSystem.ref,
      fileSystemPath: this.spec.fileSystemPath,
      dataRepositoryPath: `s3://${bucket.bucketName}/${prefix}/`,
      batchImportMetaDataOnCreate: true,
      s3: { autoImportPolicy: { events: [...this.spec.autoImportEvents] } },
    });
    // FSx reads the bucket through its per-file-system service-linked role; the store is SSE-KMS.
    const key = bucket.encryptionKey;
    if (key instanceof kms.Key) {
      key.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'FsxLustreReadsModelStore',
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:PrincipalAccount': Aws.ACCOUNT_ID, 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` },
          ArnLike: { 'aws:PrincipalArn': `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/aws-service-role/s3.data-source.lustre.fsx.amazonaws.com/AWSServiceRoleForFSxS3Access_*` },
        },
      }));
    }
    return dra;
  }

  private allow(peer: ec2.SecurityGroup, why: string): void {
    for (const p of this.spec.ports) {
      const port = ec2.Port.tcpRange(p.fromPort, p.toPort);
      this.securityGroup.addIngressRule(peer, port, `Lustre ${p.fromPort}-${p.toPort} ${why}`);
      this.securityGroup.addEgressRule(peer, port, `Lustre ${p.fromPort}-${p.toPort} ${why}`);
    }
  }
}
