import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';

/** Finds `openapi/openapi.yaml` from the running file, both under ts-node (src/) and built (dist/src/). */
export function openApiPath(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'openapi', 'openapi.yaml');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`openapi/openapi.yaml not found above ${from}`);
    dir = parent;
  }
}

let cached: Record<string, unknown> | undefined;

export function loadOpenApiDocument(): Record<string, unknown> {
  cached ??= parse(readFileSync(openApiPath(), 'utf8')) as Record<string, unknown>;
  return structuredClone(cached);
}

/** The built web UI (web/dist), found like the OpenAPI document; undefined when it was not built. */
export function webDistPath(from: string = __dirname): string | undefined {
  const root = dirname(openApiPath(from));
  const candidate = join(root, '..', 'web', 'dist');
  return existsSync(join(candidate, 'index.html')) ? candidate : undefined;
}
