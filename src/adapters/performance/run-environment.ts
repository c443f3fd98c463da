import { cpus, platform, totalmem } from 'node:os';
import type { Config } from '../../config';
import type { RunEnvironment } from '../../domain/performance/performance-run';

/** The storage backend and the machine the registry runs on, as recorded with each performance run. */
export function runEnvironment(config: Config): RunEnvironment {
  const cores = cpus();
  return {
    storage: config.storage,
    ...(config.storage === 's3' ? { storageEndpoint: config.s3?.endpoint === undefined ? 'aws' : 'custom' } : {}),
    compute: 'process',
    nodeVersion: process.version,
    platform: `${platform()} ${process.arch}`,
    cpuCount: cores.length,
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    memoryBytes: totalmem(),
    production: config.production,
  };
}
