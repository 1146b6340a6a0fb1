// Public face of the containerd runtime: the Runtime implementation on containerd's CRI, the
// supervisor that runs a node's own containerd, and the helpers `tug image` needs to find a
// node's socket.
export { ContainerdRuntime, type ContainerdRuntimeOptions } from './containerd-runtime.js';
export { nodeEndpoint, type ContainerdNodeOptions } from './node-setup.js';
export { startContainerd, CONTAINERD_BINARY, DEFAULT_CNI_BIN_DIR, type ContainerdProcess, type StartContainerdOptions } from './supervisor.js';
export { containerdPaths, renderContainerdConfig, type ContainerdPaths } from './config.js';
export { CriError } from './errors.js';
export { writeRegistryHost, renderHostsToml, type RegistryHost } from './registry-hosts.js';
