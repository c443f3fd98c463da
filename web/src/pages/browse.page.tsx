import { useState } from 'preact/hooks';
import { listArtifacts } from '../api';
import { ARTIFACT_TYPES, type ArtifactType, type TrustStanding } from '../api-types';
import { ArtifactResults } from '../components/artifact-results';
import { PageTitle } from '../components/page-title';
import { TypeFilter } from '../components/type-filter';

export function BrowsePage() {
  const [types, setTypes] = useState<ArtifactType[]>([...ARTIFACT_TYPES]);
  const [trust, setTrust] = useState<TrustStanding | ''>('');
  const everything = types.length === ARTIFACT_TYPES.length && trust === '';
  return (
    <>
      <div class="page-head">
        <PageTitle title="Artifacts" />
        <a class="button" href="#/add">
          Add an artifact
        </a>
      </div>
      <p class="lead">Every model, dataset and code package in the registry, oldest first.</p>
      <div class="filters">
        <TypeFilter selected={types} onChange={setTypes} />
        <div class="field field--inline">
          <label for="trust-filter">Trust bar</label>
          <select id="trust-filter" value={trust} onChange={(event) => setTrust(event.currentTarget.value as TrustStanding | '')}>
            <option value="">Any</option>
            <option value="meets">Meets the bar</option>
            <option value="below">Below the bar (flagged)</option>
            <option value="unrated">Not rated</option>
          </select>
        </div>
      </div>
      {types.length === 0 ? (
        <div class="empty">
          <p>Select at least one kind of artifact to list.</p>
        </div>
      ) : (
        <ArtifactResults
          queryKey={`${types.join(',')}|${trust}`}
          caption="Artifacts in the registry"
          loadPage={(offset) => listArtifacts([{ name: '*', types, ...(trust === '' ? {} : { trust }) }], offset)}
          empty={
            everything ? (
              <p>
                The registry is empty. <a href="#/add">Upload a zip or register one from a URL</a>.
              </p>
            ) : (
              <p>{trust === '' ? 'No artifacts of the selected kinds.' : 'No artifacts match the selected filters.'}</p>
            )
          }
        />
      )}
    </>
  );
}
