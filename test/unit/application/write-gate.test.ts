import { expect } from 'chai';
import { WriteGate } from '../../../src/application/write-gate';
import { ErrorCode } from '../../../src/domain/errors';
import { expectRejection } from '../../support/zip-builder';

describe('WriteGate: resets and writes stay apart', () => {
  it('when a write is in progress, then a reset is refused with a conflict naming it, and goes through once the write has left', async () => {
    const gate = new WriteGate();
    gate.enter();
    const refused = await expectRejection(gate.exclusive(async () => 'reset'), ErrorCode.ArtifactConflict);
    expect(refused.details).to.deep.equal({ writes_in_progress: 1 });
    gate.leave();
    expect(await gate.exclusive(async () => 'reset')).to.equal('reset');
  });

  it('when a reset is running, then a write is refused as REGISTRY.RESETTING, and accepted after it', async () => {
    const gate = new WriteGate();
    let finish: () => void = () => undefined;
    const reset = gate.exclusive(() => new Promise<void>((done) => {
      finish = done;
    }));
    expect(() => gate.enter()).to.throw().with.property('code', ErrorCode.RegistryResetting);
    await expectRejection(gate.exclusive(async () => undefined), ErrorCode.ArtifactConflict);
    finish();
    await reset;
    expect(() => gate.enter()).not.to.throw();
  });
});
