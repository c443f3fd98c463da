import 'reflect-metadata';
import { recordErrorCodes } from './error-code-recorder';

// Tests never reach the internet: every outbound request must go to loopback.
process.env.TMR_TEST = '1';

// `npm test` sets this so scripts/check-error-codes.ts can tell which error codes no test produces.
const errorCodesFile = process.env.TMR_ERROR_CODES_FILE;
if (errorCodesFile) recordErrorCodes(errorCodesFile);
