// `tug server`: runs the control plane (API server over HTTPS with its storage) until SIGTERM.
// Once ready it has written DATA_DIR/admin.kubeconfig and DATA_DIR/node-token.
import { Command } from 'commander';
import { resolve } from 'node:path';
import { ApiServer } from '../apiserver/index.js';
import { shutdownSignal } from './signals.js';
import { controlPlaneComponents, runControlPlane } from './control-plane.js';
import { growYoungGenerationWhenBusy } from './young-generation.js';
import { parseDurationMs } from './duration.js';

export function serverCommand(): Command {
  return new Command('server')
    .description('run the control plane (API server and storage)')
    .option('--data-dir <dir>', 'where state, certificates and kubeconfigs live', '/var/lib/tugboat/server')
    .option('--listen <host:port>', 'address to serve the API on', '0.0.0.0:6443')
    .option('--datastore <dsn>', 'sqlite (embedded, default) or etcd://host:port[,host:port]', 'sqlite')
    .option('--service-cidr <cidr>', 'range Service cluster IPs come from', '10.43.0.0/16')
    .option('--advertise-address <ip>', "the IPv4 address pods reach the API on (the kubernetes Service's endpoint); default: the --listen host, or this machine's primary address")
    .option('--cluster-cidr <cidr>', 'range node pod CIDRs (/24 each) come from', '10.42.0.0/16')
    .option('--controllers <list>', "controllers to run: '*' for all, a comma-separated list, or '' for none", '*')
    .option('--disable-scheduler', 'do not run the scheduler in this process')
    .option('--compaction-interval <duration>', "how often the datastore's history is compacted (e.g. 5m, 30s; 0 never), as kube-apiserver's --etcd-compaction-interval", '5m')
    .action(async (o: { dataDir: string; listen: string; datastore: string; serviceCidr: string; clusterCidr: string; advertiseAddress?: string; controllers: string; disableScheduler?: boolean; compactionInterval: string }) => {
      const signal = shutdownSignal();
      const server = new ApiServer({
        dataDir: resolve(o.dataDir),
        listen: o.listen,
        datastore: o.datastore,
        serviceCIDR: o.serviceCidr,
        ...(o.advertiseAddress ? { advertiseAddress: o.advertiseAddress } : {}),
        compactionIntervalMs: parseDurationMs(o.compactionInterval, '--compaction-interval'),
        log: (m) => void process.stderr.write(`${new Date().toISOString()} ${m}\n`),
      });
      const log = (m: string): void => void process.stderr.write(`${new Date().toISOString()} ${m}\n`);
      const serving = server.start(signal);
      const info = await server.ready;
      // Start-up is over (its allocation burst is what grew the young generation before): from
      // here on, real load lets it grow again (young-generation.ts).
      growYoungGenerationWhenBusy({ scavengesPerSecond: 20 });
      const controlPlane = runControlPlane(
        info,
        {
          ...controlPlaneComponents({ controllers: o.controllers, scheduler: !o.disableScheduler, clusterCIDR: o.clusterCidr, serviceCIDR: o.serviceCidr }),
          log,
        },
        signal,
      );
      await Promise.all([serving, controlPlane]);
    });
}
