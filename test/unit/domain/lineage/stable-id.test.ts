import { expect } from 'chai';
import { externalNodeId, fnv1a64 } from '../../../../src/domain/lineage';

describe('fnv1a64', () => {
  it('when hashing the published test vectors, then the published values come out', () => {
    expect([fnv1a64(''), fnv1a64('a'), fnv1a64('foobar')]).to.deep.equal(['cbf29ce484222325', 'af63dc4c8601ec8c', '85944171f73967e8']);
  });

  it('when hashing non-ASCII names, then their UTF-8 bytes are hashed', () => {
    expect(fnv1a64('é')).not.to.equal(fnv1a64('e'));
    expect(fnv1a64('é')).to.have.length(16);
  });
});

describe('externalNodeId', () => {
  it('hashes the kind and the lower-cased name, so the id is the documented one for any spelling', () => {
    const expected = `ext-${fnv1a64('model:org/name')}`;

    expect(externalNodeId('model', 'Org/Name')).to.equal(expected);
    expect(externalNodeId('model', 'org/name')).to.equal(expected);
  });
});
