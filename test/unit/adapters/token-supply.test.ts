import { expect } from 'chai';
import { TokenSupply } from '../../../src/adapters/performance/registry-client';
import { TOKEN_MAX_USES } from '../../../src/domain/user';

describe('the load driver\'s token supply', () => {
  it(`when ${TOKEN_MAX_USES} calls are spent, then the next callers wait for one new sign-in, however many they are`, async () => {
    let signIns = 0;
    const supply = new TokenSupply(async () => {
      signIns += 1;
      await new Promise((done) => setImmediate(done));
      return `token-${signIns}`;
    });
    await supply.warm();
    const first = await Promise.all(Array.from({ length: TOKEN_MAX_USES }, () => supply.authorization()));
    expect(new Set(first)).to.deep.equal(new Set(['token-1']));
    const next = await Promise.all(Array.from({ length: 50 }, () => supply.authorization()));
    expect(new Set(next)).to.deep.equal(new Set(['token-2']));
    expect(signIns).to.equal(2);
  });

  it('when the registry rejects the current token, then the next call signs in again', async () => {
    let signIns = 0;
    const supply = new TokenSupply(async () => `token-${(signIns += 1)}`);
    const token = await supply.authorization();
    supply.rejected('some-older-token');
    expect(await supply.authorization()).to.equal(token);
    supply.rejected(token);
    expect(await supply.authorization()).to.equal('token-2');
  });
});
