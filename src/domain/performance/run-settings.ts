import { invalidInput } from '../errors';

/** The course's performance track: 100 clients, 500 models, one Tiny-LLM-sized (~52 MB) package. */
export const RUN_LIMITS = {
  defaultClients: 100,
  maxClients: 256,
  defaultDurationSeconds: 30,
  maxDurationSeconds: 300,
  maxRequests: 1_000_000,
  defaultModels: 500,
  maxModels: 2_000,
  defaultPackageBytes: 52_000_000,
  minPackageBytes: 1_024,
  maxPackageBytes: 512_000_000,
} as const;

export interface PopulateSettings {
  /** How many models the registry should hold once populated, the package included. */
  readonly models: number;
  /** Size of the package's weights file, in bytes. */
  readonly packageBytes: number;
}

/** What an administrator asked for. A run ends after `durationSeconds` or `requests`, whichever is given. */
export interface RunSettings {
  readonly clients: number;
  readonly durationSeconds?: number;
  readonly requests?: number;
  readonly artifactId?: string;
  readonly populate?: PopulateSettings;
}

export interface RawRunSettings {
  readonly clients?: unknown;
  readonly duration_seconds?: unknown;
  readonly requests?: unknown;
  readonly artifact_id?: unknown;
  readonly populate?: unknown;
}

function whole(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidInput(`${name} must be a whole number from ${min} to ${max}; got ${JSON.stringify(value)}`);
  }
  return value;
}

function populateOf(raw: unknown): PopulateSettings | undefined {
  if (raw === undefined || raw === false) return undefined;
  if (raw === true) return { models: RUN_LIMITS.defaultModels, packageBytes: RUN_LIMITS.defaultPackageBytes };
  if (typeof raw !== 'object' || raw === null) throw invalidInput('populate must be true, false or {"models": n, "package_bytes": n}');
  const fields = raw as { models?: unknown; package_bytes?: unknown };
  return {
    models: fields.models === undefined ? RUN_LIMITS.defaultModels : whole(fields.models, 'populate.models', 1, RUN_LIMITS.maxModels),
    packageBytes: fields.package_bytes === undefined
      ? RUN_LIMITS.defaultPackageBytes
      : whole(fields.package_bytes, 'populate.package_bytes', RUN_LIMITS.minPackageBytes, RUN_LIMITS.maxPackageBytes),
  };
}

/**
 * Checks a run request against the bounds that keep one administrator from taking the registry down
 * for long: at most 256 clients and 300 seconds. Without a duration or a request count it runs 30 s.
 */
export function parseRunSettings(raw: RawRunSettings): RunSettings {
  const clients = raw.clients === undefined ? RUN_LIMITS.defaultClients : whole(raw.clients, 'clients', 1, RUN_LIMITS.maxClients);
  if (raw.duration_seconds !== undefined && raw.requests !== undefined) {
    throw invalidInput('give duration_seconds or requests, not both: a run ends on one of them');
  }
  const populate = populateOf(raw.populate);
  if (raw.artifact_id !== undefined && typeof raw.artifact_id !== 'string') throw invalidInput('artifact_id must be a string');
  const artifactId = raw.artifact_id as string | undefined;
  if (artifactId === undefined && populate === undefined) {
    throw invalidInput('name the artifact to download (artifact_id), or ask the run to populate the registry (populate)');
  }
  const requests = raw.requests === undefined ? undefined : whole(raw.requests, 'requests', 1, RUN_LIMITS.maxRequests);
  const durationSeconds = requests !== undefined ? undefined
    : raw.duration_seconds === undefined ? RUN_LIMITS.defaultDurationSeconds
      : whole(raw.duration_seconds, 'duration_seconds', 1, RUN_LIMITS.maxDurationSeconds);
  return {
    clients,
    ...(durationSeconds === undefined ? {} : { durationSeconds }),
    ...(requests === undefined ? {} : { requests }),
    ...(artifactId === undefined ? {} : { artifactId }),
    ...(populate === undefined ? {} : { populate }),
  };
}
