import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { findByName, findByRegex, listArtifacts } from '../api';
import type { ArtifactMetadata, Page } from '../api-types';
import { ArtifactResults } from '../components/artifact-results';
import { MoveFocusContext, PageTitle } from '../components/page-title';
import { navigate, searchHref } from '../router';

type Search =
  | { by: 'name'; name: string }
  | { by: 'regex'; regex: string }
  | { by: 'version'; name: string; range: string };

function searchFrom(params: URLSearchParams): Search | undefined {
  const by = params.get('by');
  if (by === 'name' && params.get('name')) return { by, name: params.get('name') ?? '' };
  if (by === 'regex' && params.get('regex')) return { by, regex: params.get('regex') ?? '' };
  if (by === 'version' && params.get('name') && params.get('range')) return { by, name: params.get('name') ?? '', range: params.get('range') ?? '' };
  return undefined;
}

function describe(search: Search): string {
  if (search.by === 'name') return `Artifacts named “${search.name}”`;
  if (search.by === 'regex') return `Artifacts whose name or model card matches /${search.regex}/`;
  return `Artifacts named “${search.name}” with a version in ${search.range}`;
}

function loader(search: Search): (offset?: string) => Promise<Page<ArtifactMetadata>> {
  if (search.by === 'name') return (offset) => findByName(search.name, offset);
  if (search.by === 'regex') return (offset) => findByRegex(search.regex, offset);
  return (offset) => listArtifacts([{ name: search.name, version: search.range }], offset);
}

/** Three small forms, one per kind of search; the query lives in the hash so results can be linked. */
export function SearchPage({ params }: { params: URLSearchParams }) {
  const search = searchFrom(params);
  const moveFocus = useContext(MoveFocusContext);
  const resultsHeading = useRef<HTMLHeadingElement>(null);
  // A submitted search lands on its results, not back at the top of the forms.
  useEffect(() => {
    if (moveFocus && search !== undefined) resultsHeading.current?.focus();
  }, []);
  return (
    <>
      <PageTitle title="Search" />
      <p class="lead">Find artifacts by their exact name, by a regular expression over names and model cards, or by a version range.</p>
      <div class="search-forms">
        <NameSearch initial={search?.by === 'name' ? search.name : ''} />
        <RegexSearch initial={search?.by === 'regex' ? search.regex : ''} />
        <VersionSearch initialName={search?.by === 'version' ? search.name : ''} initialRange={search?.by === 'version' ? search.range : ''} />
      </div>
      {search !== undefined && (
        <section aria-labelledby="results-heading" class="section">
          <h2 id="results-heading" ref={resultsHeading} tabIndex={-1}>{describe(search)}</h2>
          <ArtifactResults
            queryKey={params.toString()}
            caption={describe(search)}
            loadPage={loader(search)}
            empty={<p>No artifacts match this search.</p>}
          />
        </section>
      )}
    </>
  );
}

function NameSearch({ initial }: { initial: string }) {
  const [name, setName] = useState(initial);
  return (
    <form class="card form" role="search" aria-labelledby="search-name-heading" onSubmit={(event) => {
      event.preventDefault();
      navigate(searchHref({ by: 'name', name: name.trim() }));
    }}>
      <h2 id="search-name-heading">By name</h2>
      <div class="field">
        <label for="search-name">Exact name</label>
        <input id="search-name" required value={name} onInput={(event) => setName(event.currentTarget.value)} placeholder="bert-base-uncased" />
      </div>
      <button type="submit" class="button">Search by name</button>
    </form>
  );
}

function RegexSearch({ initial }: { initial: string }) {
  const [regex, setRegex] = useState(initial);
  return (
    <form class="card form" role="search" aria-labelledby="search-regex-heading" onSubmit={(event) => {
      event.preventDefault();
      navigate(searchHref({ by: 'regex', regex }));
    }}>
      <h2 id="search-regex-heading">By regular expression</h2>
      <div class="field">
        <label for="search-regex">Regular expression</label>
        <input id="search-regex" required value={regex} aria-describedby="search-regex-hint" onInput={(event) => setRegex(event.currentTarget.value)} placeholder="bert|whisper" spellcheck={false} />
        <p class="hint" id="search-regex-hint">Matched against names and model-card text. Backreferences and lookaround are not supported.</p>
      </div>
      <button type="submit" class="button">Search by expression</button>
    </form>
  );
}

function VersionSearch({ initialName, initialRange }: { initialName: string; initialRange: string }) {
  const [name, setName] = useState(initialName);
  const [range, setRange] = useState(initialRange);
  return (
    <form class="card form" role="search" aria-labelledby="search-version-heading" onSubmit={(event) => {
      event.preventDefault();
      navigate(searchHref({ by: 'version', name: name.trim(), range: range.trim() }));
    }}>
      <h2 id="search-version-heading">By version range</h2>
      <div class="field">
        <label for="search-version-name">Name</label>
        <input id="search-version-name" required value={name} aria-describedby="search-version-name-hint" onInput={(event) => setName(event.currentTarget.value)} />
        <p class="hint" id="search-version-name-hint">
          Use <code>*</code> for any name.
        </p>
      </div>
      <div class="field">
        <label for="search-version-range">Version range</label>
        <input id="search-version-range" required value={range} aria-describedby="search-version-range-hint" onInput={(event) => setRange(event.currentTarget.value)} placeholder="^1.2.0" spellcheck={false} />
        <p class="hint" id="search-version-range-hint">
          Exact <code>1.2.3</code>, bounded <code>1.2.3-2.1.0</code>, tilde <code>~1.2.0</code> or caret <code>^1.2.0</code>.
        </p>
      </div>
      <button type="submit" class="button">Search by version</button>
    </form>
  );
}
