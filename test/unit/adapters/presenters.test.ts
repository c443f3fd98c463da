import { expect } from 'chai';
import { presentArtifactAt } from '../../../src/adapters/http/presenters';
import type { ArtifactRecord } from '../../../src/domain/artifact';
import { deepFreeze, isDeeplyFrozen } from '../../../src/domain/immutable';
import { anArtifact } from '../../support/storage-contract';

describe('presentArtifactAt', () => {
  it('when a record frozen whole is presented again at the same base URL, then the same frozen presentation is answered', () => {
    const record = deepFreeze(anArtifact(1));

    const first = presentArtifactAt('http://127.0.0.1:3000', record);
    const again = presentArtifactAt('http://127.0.0.1:3000', record);
    const elsewhere = presentArtifactAt('https://registry.example.com', record);

    expect(again).to.equal(first);
    expect(isDeeplyFrozen(first)).to.equal(true);
    expect(elsewhere).to.not.equal(first);
    expect(elsewhere.data.download_url).to.match(/^https:\/\/registry\.example\.com\//);
    expect(first.data.download_url).to.match(/^http:\/\/127\.0\.0\.1:3000\//);
  });

  it('when a record that may still change is presented, then each presentation is new and the caller\'s own', () => {
    const record: { -readonly [K in keyof ArtifactRecord]: ArtifactRecord[K] } = anArtifact(2);

    const first = presentArtifactAt('http://127.0.0.1:3000', record);
    record.name = 'renamed';
    const again = presentArtifactAt('http://127.0.0.1:3000', record);

    expect(again).to.not.equal(first);
    expect(again.metadata.name).to.equal('renamed');
    expect(Object.isFrozen(again)).to.equal(false);
  });
});
