import { expect } from 'chai';
import { declarationsOf } from '../../../src/application/lineage-service';
import type { ArtifactRecord } from '../../../src/domain/artifact';
import { deepFreeze } from '../../../src/domain/immutable';
import { anArtifact } from '../../support/storage-contract';

const withParent = (record: ArtifactRecord, parent: string): ArtifactRecord => ({ ...record, config: { _name_or_path: parent } });
// The fixture's card names datasets too; these tests follow the model its config names.
const parents = (record: ArtifactRecord): string[] =>
  declarationsOf(record).declarations.filter((declaration) => declaration.kind === 'model').map((declaration) => declaration.name);

describe('declarationsOf', () => {
  it('when a frozen record is asked twice, then its declarations are derived once and a changed record gets its own', () => {
    const record = deepFreeze(withParent(anArtifact(1), 'google-bert/bert-base-uncased'));

    const first = declarationsOf(record);
    expect(declarationsOf(record)).to.equal(first);
    expect(parents(record)).to.deep.equal(['google-bert/bert-base-uncased']);

    const changed = deepFreeze(withParent(record, 'distilbert/distilbert-base-uncased'));
    expect(parents(changed)).to.deep.equal(['distilbert/distilbert-base-uncased']);
  });

  it('when a record that can still change is changed in place, then its declarations follow it', () => {
    const record = withParent(anArtifact(2), 'google-bert/bert-base-uncased') as { -readonly [K in keyof ArtifactRecord]: ArtifactRecord[K] };
    expect(parents(record)).to.deep.equal(['google-bert/bert-base-uncased']);

    record.config = { _name_or_path: 'distilbert/distilbert-base-uncased' };

    expect(parents(record)).to.deep.equal(['distilbert/distilbert-base-uncased']);
  });

  it('when a record frozen only on the surface has its config changed in place, then its declarations follow it', () => {
    const config: Record<string, unknown> = { _name_or_path: 'google-bert/bert-base-uncased' };
    const record = Object.freeze({ ...anArtifact(3), config } as ArtifactRecord);
    expect(parents(record)).to.deep.equal(['google-bert/bert-base-uncased']);

    config._name_or_path = 'distilbert/distilbert-base-uncased';

    expect(parents(record)).to.deep.equal(['distilbert/distilbert-base-uncased']);
  });
});
