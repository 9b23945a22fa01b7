/**
 * Deployment decisions for Azure, shared by the cdktf (azurerm) and Pulumi (azure-native) adapters:
 * the OS image per GPU vendor, the network and NSG rules, InfiniBand settings, the node boot
 * script, the identity and Key Vault, monitoring, and `azureBlueprint`, which gathers them for one
 * plan. Framework-free like the rest of lib/.
 */
export * from './images';
export * from './network';
export * from './infiniband';
export * from './boot-script';
export * from './identity';
export * from './monitoring';
export * from './blueprint';
export * from './inputs';
export * from './front';
export * from './alerts';
export * from './repair';
