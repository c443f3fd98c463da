import { expect } from 'chai';
import { DomainError, ErrorCode } from '../../../src/domain/errors';
import { parseCursor } from '../../../src/domain/pagination';

describe('parseCursor', () => {
  for (const raw of [undefined, '', '0']) {
    it(`when the offset is ${JSON.stringify(raw)}, then listing starts at the beginning`, () => {
      expect(parseCursor(raw)).to.equal(undefined);
    });
  }

  for (const raw of ['01JD0000000000000000000001', '01ARZ3NDEKTSV4RRFFQ69G5FAV', '7ZZZZZZZZZZZZZZZZZZZZZZZZZ']) {
    it(`when the offset is the id ${raw}, then it is the cursor`, () => {
      expect(parseCursor(raw)).to.equal(raw);
    });
  }

  const refused = [
    '01jd0000000000000000000001',
    '01JD000000000000000000001',
    '01JD00000000000000000000001',
    '01JD000000000000000000000I',
    '01JD000000000000000000000L',
    '01JD000000000000000000000O',
    '01JD000000000000000000000U',
    ' 01JD0000000000000000000001',
    '1',
    '100',
    '-1',
    "01JD' OR '1'='1",
  ];
  for (const raw of refused) {
    it(`when the offset is ${JSON.stringify(raw)}, then it is refused with REQUEST.INVALID`, () => {
      let error: unknown;
      try {
        parseCursor(raw);
      } catch (caught) {
        error = caught;
      }

      expect(error).to.be.instanceOf(DomainError);
      expect((error as DomainError).code).to.equal(ErrorCode.InvalidInput);
      expect((error as DomainError).message).to.include('offset');
    });
  }
});
