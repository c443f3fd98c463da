import { useState } from 'preact/hooks';
import {
  abortTransaction, commitTransaction, getTransaction, openTransaction, stageDeletion, stageReplacement, stageUrl, stageZip,
} from '../api';
import type { ArtifactType, CommittedTransaction, StagedItem, Transaction } from '../api-types';
import { ErrorAlert, Notice, StatusMessage } from '../components/feedback';
import { PageTitle } from '../components/page-title';
import { TrustBadge, standingOf } from '../components/trust-badge';
import { TypeSelect } from '../components/type-select';
import { formatDate } from '../format';
import { artifactHref, navigate, releaseHref } from '../router';
import { useLoad } from '../use-load';

const ACTIONS: Record<StagedItem['action'], string> = { create: 'Add', update: 'Replace', delete: 'Delete' };

/**
 * A release: several artifacts staged together and published at once, or discarded. Staged items
 * are invisible to everyone until the release is published.
 */
export function ReleasePage({ id }: { id?: string }) {
  return id === undefined ? <StartRelease /> : <ReleaseView id={id} />;
}

function StartRelease() {
  const [error, setError] = useState<unknown>(undefined);
  const start = async (): Promise<void> => {
    try {
      navigate(releaseHref((await openTransaction()).id));
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <>
      <PageTitle title="Release" />
      <p class="lead">Stage uploads, sources, replacements and deletions, check each staged model's trust verdict, then publish them all at once — or discard them. Nothing staged is visible to anyone before it is published.</p>
      <button type="button" class="button" onClick={() => void start()}>
        Start a release
      </button>
      {error !== undefined && <ErrorAlert error={error} />}
    </>
  );
}

type Outcome = { kind: 'published'; committed: CommittedTransaction } | { kind: 'discarded' } | { kind: 'failed'; error: unknown };

function ReleaseView({ id }: { id: string }) {
  const load = useLoad(() => getTransaction(id), [id]);
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const settle = async (work: () => Promise<Outcome>): Promise<void> => {
    try {
      setOutcome(await work());
    } catch (error) {
      setOutcome({ kind: 'failed', error });
    }
    load.reload();
  };
  const txn = load.data;
  return (
    <>
      <PageTitle title="Release" />
      {load.status === 'failed' && <ErrorAlert error={load.error} onRetry={load.reload} />}
      {txn !== undefined && (
        <>
          <p class="lead">
            Release <code>{txn.id}</code> is <strong>{txn.status}</strong>; it expires {formatDate(txn.expires_at)}.
          </p>
          <StagedItems items={txn.items} />
          {txn.status === 'open' && <StageForms id={id} onStaged={load.reload} />}
          {txn.status === 'open' && (
            <div class="actions">
              <button type="button" class="button" onClick={() => void settle(async () => ({ kind: 'published', committed: await commitTransaction(id) }))}>
                Publish release
              </button>
              <button type="button" class="button button--secondary" onClick={() => void settle(async () => (await abortTransaction(id), { kind: 'discarded' }))}>
                Discard release
              </button>
            </div>
          )}
        </>
      )}
      <OutcomeNotice outcome={outcome} />
    </>
  );
}

function StagedItems({ items }: { items: Transaction['items'] }) {
  if (items.length === 0) return <p>Nothing is staged yet.</p>;
  return (
    <div class="card">
      <table class="results">
        <caption>Staged changes</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Change</th>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col">Trust</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.index}>
              <td>{item.index}</td>
              <td>{ACTIONS[item.action]}</td>
              <td>{item.artifact.metadata.name}</td>
              <td>{item.artifact.metadata.type}</td>
              <td>{item.action === 'delete' ? '—' : <TrustBadge standing={standingOf(item.trust)} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function OutcomeNotice({ outcome }: { outcome: Outcome | undefined }) {
  if (outcome === undefined) return <StatusMessage />;
  if (outcome.kind === 'failed') return <ErrorAlert error={outcome.error} />;
  if (outcome.kind === 'discarded') return <Notice tone="warning">The release was discarded; nothing of it was published.</Notice>;
  const { artifacts, deleted } = outcome.committed;
  return (
    <div class="alert alert--success" role="status">
      <p class="alert__title">Published {artifacts.length + deleted.length} changes at once.</p>
      <ul>
        {artifacts.map(({ metadata }) => (
          <li key={metadata.id}>
            <a href={artifactHref(metadata.type, metadata.id)}>Open {metadata.name}</a>
          </li>
        ))}
        {deleted.map((metadata) => <li key={metadata.id}>Deleted {metadata.name}</li>)}
      </ul>
    </div>
  );
}

/** The ways to stage a change; each reports its own failure and leaves the others as they are. */
function StageForms({ id, onStaged }: { id: string; onStaged: () => void }) {
  const [type, setType] = useState<ArtifactType>('model');
  const [file, setFile] = useState<File | undefined>(undefined);
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [artifactId, setArtifactId] = useState('');
  const [state, setState] = useState<{ kind: 'idle' } | { kind: 'busy' } | { kind: 'staged'; item: StagedItem } | { kind: 'failed'; error: unknown }>({ kind: 'idle' });
  const stage = async (event: Event, work: () => Promise<StagedItem>): Promise<void> => {
    event.preventDefault();
    if (state.kind === 'busy') return;
    setState({ kind: 'busy' });
    try {
      setState({ kind: 'staged', item: await work() });
      onStaged();
    } catch (error) {
      setState({ kind: 'failed', error });
    }
  };
  const needFile = (): File => {
    if (file === undefined) throw new Error('Choose a zip file first.');
    return file;
  };
  return (
    <form class="card form" aria-labelledby="stage-heading" onSubmit={(event) => void stage(event, async () => (url.trim() === '' ? stageZip(id, type, needFile(), name.trim()) : stageUrl(id, type, url.trim())))}>
      <h2 id="stage-heading">Stage a change</h2>
      <p class="section__intro">Add a zip or a source URL as a new artifact, or give an artifact id to replace its content with the zip or to delete it.</p>
      <TypeSelect id="stage-type" value={type} onChange={setType} />
      <div class="field">
        <label for="stage-file">Zip file</label>
        <input id="stage-file" type="file" accept=".zip,application/zip" onChange={(event) => setFile(event.currentTarget.files?.[0])} />
      </div>
      <div class="field">
        <label for="stage-name">Name (optional)</label>
        <input id="stage-name" value={name} onInput={(event) => setName(event.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="stage-url">Source URL (instead of a zip)</label>
        <input id="stage-url" type="url" value={url} onInput={(event) => setUrl(event.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="stage-artifact">Artifact id (to replace or delete)</label>
        <input id="stage-artifact" value={artifactId} onInput={(event) => setArtifactId(event.currentTarget.value)} />
      </div>
      <div class="actions">
        <button type="submit" class="button">
          Stage new artifact
        </button>
        <button type="button" class="button button--secondary" onClick={(event) => void stage(event, async () => stageReplacement(id, type, artifactId.trim(), needFile()))}>
          Stage replacement
        </button>
        <button type="button" class="button button--secondary" onClick={(event) => void stage(event, async () => stageDeletion(id, type, artifactId.trim()))}>
          Stage deletion
        </button>
      </div>
      <StatusMessage>
        {state.kind === 'busy' ? 'Staging… the registry is storing, scanning and rating the content.' : state.kind === 'staged' ? `Staged item ${state.item.index}: ${ACTIONS[state.item.action].toLowerCase()} ${state.item.artifact.metadata.name}.` : ''}
      </StatusMessage>
      {state.kind === 'failed' && <ErrorAlert error={state.error} />}
    </form>
  );
}
