import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ArtifactMetadata, Page } from '../api-types';
import { isAbort } from '../errors';
import { plural } from '../format';
import { artifactHref } from '../router';
import { ErrorAlert, StatusMessage } from './feedback';
import { ProgressBar } from './progress';
import { TrustBadge } from './trust-badge';
import { TypeBadge } from './type-filter';

type Results = { items: ArtifactMetadata[]; nextOffset?: string; loading: boolean; error?: unknown };

// A filtered page (version, trust) holds the matches among up to 100 candidates, so it can be empty
// while more follow; the list reads on through a few such pages before showing "Load more".
const MAX_EMPTY_PAGES = 10;

/**
 * A table of artifacts fed page by page (at most 100 a page; the `offset` header is the cursor).
 * `queryKey` names the query: when it changes, the list starts over.
 */
export function ArtifactResults({ queryKey, loadPage, caption, empty }: {
  queryKey: string;
  loadPage: (offset?: string) => Promise<Page<ArtifactMetadata>>;
  caption: string;
  empty: ComponentChildren;
}) {
  const [results, setResults] = useState<Results>({ items: [], loading: true });
  const firstNew = useRef<number | undefined>(undefined);
  const table = useRef<HTMLTableElement>(null);
  const latest = useRef(0);

  const fetchPage = (offset: string | undefined, previous: ArtifactMetadata[]): void => {
    const ticket = ++latest.current;
    setResults({ items: previous, loading: true });
    const firstNonEmpty = async (): Promise<Page<ArtifactMetadata>> => {
      let page = await loadPage(offset);
      for (let skipped = 0; page.items.length === 0 && page.nextOffset !== undefined && skipped < MAX_EMPTY_PAGES && ticket === latest.current; skipped += 1) {
        page = await loadPage(page.nextOffset);
      }
      return page;
    };
    firstNonEmpty().then(
      (page) => {
        if (ticket !== latest.current) return;
        firstNew.current = offset === undefined ? undefined : previous.length;
        setResults({ items: [...previous, ...page.items], loading: false, ...(page.nextOffset === undefined ? {} : { nextOffset: page.nextOffset }) });
      },
      (error: unknown) => {
        if (ticket === latest.current && !isAbort(error)) setResults({ items: previous, loading: false, error });
      },
    );
  };

  useEffect(() => fetchPage(undefined, []), [queryKey]);

  // After "Load more", focus the first new row's link so the keyboard continues where the list grew.
  useEffect(() => {
    if (firstNew.current === undefined || results.loading) return;
    table.current?.querySelectorAll<HTMLAnchorElement>('tbody a')[firstNew.current]?.focus();
    firstNew.current = undefined;
  }, [results]);

  const { items, nextOffset, loading, error } = results;
  const withTrust = items.some((artifact) => artifact.trust !== undefined);
  const summary = loading ? 'Loading artifacts…' : `${plural(items.length, 'artifact')} shown${nextOffset === undefined ? '' : ', more available'}.`;
  return (
    <div class="results">
      <StatusMessage>{summary}</StatusMessage>
      {error !== undefined && <ErrorAlert error={error} onRetry={() => fetchPage(nextOffset, items)} />}
      {items.length === 0 && !loading && error === undefined && <div class="empty">{empty}</div>}
      {items.length > 0 && (
        <table class="table" ref={table}>
          <caption class="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              {withTrust && <th scope="col">Trust</th>}
              <th scope="col">Id</th>
            </tr>
          </thead>
          <tbody>
            {items.map((artifact) => (
              <tr key={artifact.id}>
                <td>
                  <a href={artifactHref(artifact.type, artifact.id)}>{artifact.name}</a>
                </td>
                <td>
                  <TypeBadge type={artifact.type} />
                </td>
                {withTrust && <td>{artifact.trust !== undefined && <TrustBadge standing={artifact.trust} />}</td>}
                <td>
                  <code>{artifact.id}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {loading && <ProgressBar label="Loading artifacts" />}
      {nextOffset !== undefined && !loading && (
        <button type="button" class="button button--secondary" onClick={() => fetchPage(nextOffset, items)}>
          Load more
        </button>
      )}
    </div>
  );
}
