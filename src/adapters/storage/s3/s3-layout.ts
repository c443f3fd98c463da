import { createHash, randomBytes } from 'node:crypto';
import { DomainError, ErrorCode } from '../../../domain/errors';

/**
 * Where everything lives in the one bucket. Records are the source of truth; every other key under
 * `names/`, `types/`, `refs/` and `token-owners/` is an empty marker object that only helps to find
 * records without reading them all, so a marker that points at a missing or different record is
 * ignored (and removed once it is old).
 *
 * ```
 * blobs/<ab>/<sha256>                  content, addressed by digest; two hex digits of fan-out
 * tmp/<uuid>                           a large upload before its digest is known (expired by lifecycle)
 * artifacts/<id>                       the whole record, JSON; its ETag guards every update
 * names/<sha256(name)>/<id>!<nonce>    marker: record <id> has this name
 * types/<type>/<id>!<nonce>            marker: record <id> has this type
 * refs/<sha256>/<id>!<nonce>           marker: record <id> refers to this blob
 * sources/<sha256(key)>/<id>!<nonce>   marker: record <id> was registered from this canonical source
 * users/<hex(name)>                    a user, JSON
 * tokens/<sha256(secret)>              a token grant and its use count, JSON; its ETag guards each use
 * token-owners/<sha256(user)>/<hash>   marker: the token belongs to this user (for revocation)
 * audit/<id>/<inverted ms>-<random>    one audit entry, JSON; listing order is newest first
 * transactions/<id>                    a transaction and its staged records, JSON; its ETag guards every change
 * transaction-refs/<sha256>/<txn id>   marker: that transaction (while open or committing) staged this blob
 * groups/<group id>                    a group commit in flight: its status and the whole change, JSON
 * leases/<sha256>/<holder>~<expiry>    claim: a writer stored this blob and will refer to it (blob-guard.ts)
 * deleting/<sha256>/<holder>~<expiry>  claim: a deletion of this blob is deciding; `deleting/all/…` is a reset
 * ```
 *
 * Group commits (docs/group-commits.md): `groups/<id>` is written first (pending, If-None-Match),
 * then each record, tagged `"$group": {id, attempt, previous?, obsolete?, deletes?}` under its usual
 * condition, with markers under the nonce `groupNonce(id, attempt)`; rewriting `groups/<id>` to committed (If-Match) is the
 * commit point; then records lose their tags and `groups/<id>` goes. Readers show a tagged record's
 * `previous` (nothing for a create, the body for a delete) until its group is committed. Recovery
 * finishes committed groups and marks older pending ones aborted (If-Match) before undoing them.
 *
 * Ids (ULIDs) are listed with StartAfter, so a page is a keyset range: key order equals id order
 * because `!` sorts below every character an id may contain. Each writer adds markers under its own
 * random nonce, so a failed writer removing its markers can never remove another writer's.
 */
export const Prefix = {
  blobs: 'blobs/',
  tmp: 'tmp/',
  artifacts: 'artifacts/',
  names: 'names/',
  types: 'types/',
  refs: 'refs/',
  sources: 'sources/',
  users: 'users/',
  tokens: 'tokens/',
  tokenOwners: 'token-owners/',
  audit: 'audit/',
  transactions: 'transactions/',
  transactionRefs: 'transaction-refs/',
  groups: 'groups/',
  leases: 'leases/',
  deleting: 'deleting/',
} as const;

const ID = /^[A-Za-z0-9-]{1,64}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const NONCE_SEPARATOR = '!';
/** Sorts after every nonce, so StartAfter `<id>!~` skips all of that id's markers. */
const AFTER_ALL_NONCES = '~';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

function checkId(id: string): string {
  if (!ID.test(id)) throw new DomainError(ErrorCode.InvalidInput, `artifact id must be 1-64 letters, digits or dashes; got "${id}"`);
  return id;
}

function checkSha(sha: string): string {
  if (!SHA256.test(sha)) throw new DomainError(ErrorCode.InvalidInput, `"${sha}" is not a sha256 digest`);
  return sha;
}

export const blobKey = (sha: string): string => `${Prefix.blobs}${checkSha(sha).slice(0, 2)}/${sha}`;
export const recordKey = (id: string): string => `${Prefix.artifacts}${checkId(id)}`;
export const idOfRecordKey = (key: string): string => key.slice(Prefix.artifacts.length);

/** The prefix under which all markers of one (index, value) pair live, e.g. every record named "bert". */
export const markerDirectory = {
  name: (name: string): string => `${Prefix.names}${sha256(name)}/`,
  type: (type: string): string => `${Prefix.types}${type}/`,
  ref: (sha: string): string => `${Prefix.refs}${checkSha(sha)}/`,
  source: (key: string): string => `${Prefix.sources}${sha256(key)}/`,
};

/** The prefix of one record's markers in a directory: `<dir><id>!`. */
export const markerPrefix = (directory: string, id: string): string => `${directory}${checkId(id)}${NONCE_SEPARATOR}`;
export const markerKey = (directory: string, id: string, nonce: string): string => `${markerPrefix(directory, id)}${nonce}`;
/** StartAfter for "ids greater than `id`" in a marker directory. */
export const markersAfter = (directory: string, id: string | undefined): string | undefined =>
  id === undefined ? undefined : `${markerPrefix(directory, id)}${AFTER_ALL_NONCES}`;

export function idOfMarkerKey(key: string): string {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const separator = name.indexOf(NONCE_SEPARATOR);
  return separator < 0 ? name : name.slice(0, separator);
}

export const newNonce = (): string => randomBytes(6).toString('hex');
/** A group's markers carry a nonce derived from its id and attempt, so whoever finishes or undoes it can name them. */
export const groupNonce = (groupId: string, attempt: string): string => sha256(`group ${groupId} ${attempt}`).slice(0, 12);
export const groupKey = (groupId: string): string => `${Prefix.groups}${checkGroupId(groupId)}`;
export const idOfGroupKey = (key: string): string => key.slice(Prefix.groups.length);

function checkGroupId(id: string): string {
  if (!ID.test(id)) throw new DomainError(ErrorCode.InvalidInput, `group id must be 1-64 letters, digits or dashes; got "${id}"`);
  return id;
}

export const userKey = (name: string): string => `${Prefix.users}${Buffer.from(name, 'utf8').toString('hex')}`;
export const tokenKey = (hash: string): string => `${Prefix.tokens}${checkSha(hash)}`;
export const tokenOwnerDirectory = (userName: string): string => `${Prefix.tokenOwners}${sha256(userName)}/`;
export const tokenOwnerKey = (userName: string, hash: string): string => `${tokenOwnerDirectory(userName)}${checkSha(hash)}`;
export const hashOfTokenOwnerKey = (key: string): string => key.slice(key.lastIndexOf('/') + 1);

export const transactionKey = (id: string): string => `${Prefix.transactions}${checkId(id)}`;
/** Every transaction's marker for one blob lives here; the marker's name is the transaction id. */
export const transactionRefDirectory = (sha: string): string => `${Prefix.transactionRefs}${checkSha(sha)}/`;
export const transactionRefKey = (sha: string, id: string): string => `${transactionRefDirectory(sha)}${checkId(id)}`;

export const auditDirectory = (artifactId: string): string => `${Prefix.audit}${checkId(artifactId)}/`;

const MAX_MS = 0xffffffffffff;

/**
 * Audit keys sort newest first: the inverted timestamp leads, a random tail keeps concurrent writers
 * apart. Within one process the timestamp never repeats or goes back, so append order is kept even
 * when many entries share a millisecond.
 */
export class AuditSequence {
  private last = 0;

  constructor(private readonly now: () => number = Date.now) {}

  next(artifactId: string): string {
    this.last = Math.max(this.now(), this.last + 1);
    const inverted = (MAX_MS - this.last).toString(16).padStart(12, '0');
    return `${auditDirectory(artifactId)}${inverted}-${randomBytes(4).toString('hex')}`;
  }
}
