import { expect } from 'chai';
import { DomainError, ErrorCode } from '../../../src/domain/errors';
import { ALL_PERMISSIONS, DEFAULT_ADMIN_NAME, PERMISSIONS, can, parseUserName, type User } from '../../../src/domain/user';

describe('can', () => {
  it('when the user is an admin with no listed permissions, then every permission is granted', () => {
    const admin: User = { name: DEFAULT_ADMIN_NAME, isAdmin: true, permissions: [] };

    for (const permission of PERMISSIONS) expect(can(admin, permission), permission).to.equal(true);
  });

  it('when the user is not an admin, then exactly the listed permissions are granted', () => {
    const searcher: User = { name: 'alice', isAdmin: false, permissions: ['search', 'download'] };

    expect(PERMISSIONS.filter((permission) => can(searcher, permission))).to.deep.equal(['search', 'download']);
  });

  it('when a non-admin lists the admin permission, then admin is granted but nothing else unlisted', () => {
    const delegate: User = { name: 'bob', isAdmin: false, permissions: ['admin'] };

    expect(PERMISSIONS.filter((permission) => can(delegate, permission))).to.deep.equal(['admin']);
  });

  it('when a user has no permissions, then nothing is granted', () => {
    const guest: User = { name: 'guest', isAdmin: false, permissions: [] };

    expect(PERMISSIONS.some((permission) => can(guest, permission))).to.equal(false);
  });

  it('when all permissions are read, then they are upload, search, download and admin', () => {
    expect([...ALL_PERMISSIONS]).to.deep.equal(['upload', 'search', 'download', 'admin']);
  });
});

describe('parseUserName', () => {
  for (const [raw, expected] of [
    [DEFAULT_ADMIN_NAME, DEFAULT_ADMIN_NAME],
    ['  alice  ', 'alice'],
    ['Alice Smith', 'Alice Smith'],
    ['bob@example.com', 'bob@example.com'],
    ['u'.repeat(128), 'u'.repeat(128)],
    ['carol\n', 'carol'],
  ] as const) {
    it(`when the name is ${JSON.stringify(raw.length > 40 ? `${raw.slice(0, 8)}… (${raw.length})` : raw)}, then it is accepted as ${JSON.stringify(expected.length > 40 ? `(${expected.length} chars)` : expected)}`, () => {
      expect(parseUserName(raw)).to.equal(expected);
    });
  }

  for (const raw of ['', '   ', 'u'.repeat(129), 'bo\tb', 'zoë', 'eve\u0000admin', 'mallory\u007f']) {
    it(`when the name is ${JSON.stringify(raw.length > 40 ? `${raw.slice(0, 8)}… (${raw.length})` : raw)}, then it is refused with REQUEST.INVALID`, () => {
      let error: unknown;
      try {
        parseUserName(raw);
      } catch (caught) {
        error = caught;
      }

      expect(error).to.be.instanceOf(DomainError);
      expect((error as DomainError).code).to.equal(ErrorCode.InvalidInput);
    });
  }
});
