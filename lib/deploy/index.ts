/**
 * Deployment decisions shared by the AWS adapters (CDK, cdktf, Pulumi): names and tags, network
 * rules, IAM statements, health checks, model sources, the node boot script, capacity, the weight
 * cache, observability, schedules, private networking, and `awsBlueprint`, which gathers them for
 * one plan. Framework-free like the rest of lib/.
 */
export * from './naming';
export * from './model-source';
export * from './network';
export * from './iam';
export * from './health';
export * from './container-run';
export * from './user-data';
export * from './blueprint';
export * from './capacity';
export * from './weight-cache';
export * from './fsx';
export * from './observability';
export * from './schedule';
export * from './private-network';
export * from './encryption';
export * from './alarm-topic';
export * from './refs';
export * from './layout';
