import { expect } from 'chai';
import { DomainError, ErrorCode, invalidInput, isDomainError } from '../../../src/domain/errors';

describe('DomainError', () => {
  it('when invalid input is reported, then the error carries REQUEST.INVALID, the message and the details', () => {
    const error = invalidInput('artifact type must be one of model, dataset, code', { field: 'type' });

    expect(error).to.be.instanceOf(Error);
    expect(error.name).to.equal('DomainError');
    expect(error.code).to.equal('REQUEST.INVALID');
    expect(error.message).to.equal('artifact type must be one of model, dataset, code');
    expect(error.details).to.deep.equal({ field: 'type' });
  });

  it('when errors are tested, then only domain errors are recognised', () => {
    expect(isDomainError(new DomainError(ErrorCode.ArtifactNotFound, 'no such artifact'))).to.equal(true);
    expect(isDomainError(new Error('boom'))).to.equal(false);
    expect(isDomainError({ code: 'ARTIFACT.NOT_FOUND', message: 'look-alike' })).to.equal(false);
  });

  it('when the codes are listed, then each is distinct and shaped AREA.REASON', () => {
    const codes = Object.values(ErrorCode);

    expect(new Set(codes).size).to.equal(codes.length);
    for (const code of codes) expect(code).to.match(/^[A-Z]+\.[A-Z_]+$/);
  });
});
