import { expect } from 'chai';
import { deepFreeze, isDeeplyFrozen } from '../../../src/domain/immutable';

describe('deepFreeze', () => {
  it('when a value is frozen whole, then nothing in it can be changed and each part is known as frozen whole', () => {
    const value = { rating: { net_score: 0.9, reasons: ['card'] }, parents: [{ id: 'a' }] };

    const frozen = deepFreeze(value);

    expect(frozen).to.equal(value);
    expect(() => {
      (frozen.rating.reasons as string[]).push('more');
    }).to.throw(TypeError);
    expect(() => {
      (frozen.parents[0] as { id: string }).id = 'b';
    }).to.throw(TypeError);
    expect([frozen, frozen.rating, frozen.rating.reasons, frozen.parents, frozen.parents[0]].every(isDeeplyFrozen)).to.equal(true);
  });

  it('when an object is only frozen on the surface, then it is not known as frozen whole until deepFreeze walks into it', () => {
    const inner = { score: 1 };
    const shallow = Object.freeze({ inner });

    expect(isDeeplyFrozen(shallow)).to.equal(false);
    deepFreeze({ holder: shallow });

    expect(Object.isFrozen(inner)).to.equal(true);
    expect(isDeeplyFrozen(shallow)).to.equal(true);
    expect([undefined, null, 3, 'text'].some(isDeeplyFrozen)).to.equal(false);
  });
});
