import { useEffect, useState } from 'preact/hooks';
import { ARTIFACT_TYPES, type ArtifactType } from './api-types';

/** Every page, as the hash names it (`#/artifacts/model/01…`): no server fallback is needed. */
export type Route =
  | { page: 'browse' }
  | { page: 'search'; params: URLSearchParams }
  | { page: 'artifact'; type: ArtifactType; id: string }
  | { page: 'add' }
  | { page: 'health' }
  | { page: 'admin' }
  | { page: 'account' }
  | { page: 'release'; id?: string }
  | { page: 'not-found'; path: string };

const isType = (value: string | undefined): value is ArtifactType => ARTIFACT_TYPES.includes(value as ArtifactType);

export function parseHash(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?', 2);
  const segments = path.split('/').filter((segment) => segment.length > 0).map(decodeURIComponent);
  const [first, second, third] = segments;
  if (segments.length === 0) return { page: 'browse' };
  if (first === 'search' && segments.length === 1) return { page: 'search', params: new URLSearchParams(query) };
  if (first === 'artifacts' && isType(second) && third !== undefined && segments.length === 3) return { page: 'artifact', type: second, id: third };
  if (first === 'release' && segments.length <= 2) return second === undefined ? { page: 'release' } : { page: 'release', id: second };
  if ((first === 'add' || first === 'health' || first === 'admin' || first === 'account') && segments.length === 1) return { page: first };
  return { page: 'not-found', path };
}

export const artifactHref = (type: ArtifactType, id: string): string => `#/artifacts/${type}/${encodeURIComponent(id)}`;

export const releaseHref = (id: string): string => `#/release/${encodeURIComponent(id)}`;

export const searchHref = (params: Record<string, string>): string => `#/search?${new URLSearchParams(params).toString()}`;

export function navigate(href: string): void {
  window.location.hash = href.replace(/^#/, '');
}

/** The current route, and a counter that grows on every in-app navigation (pages move focus then). */
export function useRoute(): { route: Route; navigations: number } {
  const [state, setState] = useState(() => ({ route: parseHash(window.location.hash), navigations: 0 }));
  useEffect(() => {
    const update = (): void => setState((previous) => ({ route: parseHash(window.location.hash), navigations: previous.navigations + 1 }));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return state;
}
