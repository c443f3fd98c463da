import { expect } from 'chai';
import { COMMON_PASSWORDS } from '../../../src/domain/common-passwords';
import { ErrorCode, isDomainError } from '../../../src/domain/errors';
import { assertAcceptablePassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../src/domain/password-policy';

const refusal = (password: unknown, name = 'alice'): string => {
  try {
    assertAcceptablePassword(password, name);
  } catch (error) {
    if (isDomainError(error) && error.code === ErrorCode.InvalidInput) return error.message;
    throw error;
  }
  return 'accepted';
};

describe('domain: the password rule', () => {
  it('when a password is long enough, free of the name and not on the list, then it is accepted', () => {
    expect(refusal('violet kettle drums')).to.equal('accepted');
    expect(refusal('x'.repeat(PASSWORD_MAX_LENGTH))).to.equal('accepted');
  });

  it('when a password is one character short or long, then the message gives the limits', () => {
    expect(refusal('a'.repeat(PASSWORD_MIN_LENGTH - 1) + 'z')).to.equal('accepted');
    expect(refusal('b'.repeat(PASSWORD_MIN_LENGTH - 1))).to.contain(`fewer than ${PASSWORD_MIN_LENGTH}`);
    expect(refusal('c'.repeat(PASSWORD_MAX_LENGTH + 1))).to.contain(`more than ${PASSWORD_MAX_LENGTH}`);
  });

  it('when characters outside the basic plane are used, then they count once each', () => {
    expect(refusal('🔑'.repeat(PASSWORD_MIN_LENGTH - 1))).to.contain('fewer than');
    expect(refusal('🔑'.repeat(PASSWORD_MIN_LENGTH))).to.equal('accepted');
  });

  it('when the password contains the user name in any case, then it is refused', () => {
    expect(refusal('my name is ALICE, hi')).to.contain('user name');
  });

  it('when the password is on the breached list in any case, then it is refused', () => {
    const long = COMMON_PASSWORDS.filter((password) => password.length >= PASSWORD_MIN_LENGTH);
    expect(long.length, 'the list holds long ones, which the length rule alone lets through').to.be.greaterThan(100);
    for (const password of long) expect(refusal(password.toUpperCase(), 'zz-no-such-name'), password).to.contain('common breached');
  });

  it('when the password is not a string, then it is refused', () => {
    expect(refusal(123456789012345)).to.contain('must be a string');
  });
});
