import { expect } from 'chai';
import { asStorageError, isRefusedByDisk } from '../../../src/adapters/system/disk-space';
import { DomainError, ErrorCode } from '../../../src/domain/errors';

const fsError = (code: string): Error & { code: string } => Object.assign(new Error(`${code}: failed`), { code, syscall: 'open' });

describe('asStorageError: failures of the disk itself', () => {
  it('when a file-system call fails read-only, denied or with an I/O error, or SQLite cannot write, then STORAGE.UNAVAILABLE names the cause', () => {
    const sqlite = (message: string, code: string): Error & { code: string } => Object.assign(new Error(message), { code });
    for (const error of [fsError('EROFS'), fsError('EACCES'), fsError('EIO'), sqlite('attempt to write a readonly database', 'SQLITE_READONLY'), sqlite('disk I/O error', 'SQLITE_IOERR_WRITE')]) {
      const mapped = asStorageError(error);
      expect(mapped, error.code).to.be.instanceOf(DomainError);
      expect((mapped as DomainError).code).to.equal(ErrorCode.StorageUnavailable);
      expect((mapped as DomainError).message).to.contain(error.code);
    }
  });

  it('when the code comes from something other than a file-system call, or is an ordinary SQLite refusal, then it passes through', () => {
    const notFs = Object.assign(new Error('denied'), { code: 'EACCES' });
    const constraint = Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
    expect(isRefusedByDisk(notFs)).to.equal(false);
    expect(isRefusedByDisk(constraint)).to.equal(false);
    expect(asStorageError(constraint)).to.equal(constraint);
  });

  it('when the disk is full, then STORAGE.FULL as before', () => {
    expect((asStorageError(fsError('ENOSPC')) as DomainError).code).to.equal(ErrorCode.StorageFull);
  });
});
