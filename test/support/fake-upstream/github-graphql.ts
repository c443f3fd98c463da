import type { GithubCommit, GithubPull } from './github-history';
import type { GithubRepo } from './github-repo';
import { githubError, type GithubContext } from './github-routes';
import { jsonResponse, type FakeRequest, type FakeResponse } from './http-kit';

/**
 * GitHub's GraphQL endpoint (`POST /graphql`) for the part of the schema a registry reads: a
 * repository, a ref, the commit history under it with line counts, parents and associated pull
 * requests, and those pull requests' reviews and files. The query is parsed and answered field by
 * field, with GitHub's own error shapes for unknown fields, unknown repositories and missing auth,
 * so a client only gets what it asked for and a misspelt field fails as it would on github.com.
 */

interface Field {
  readonly name: string;
  readonly alias: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly selection?: readonly Field[];
}

type Resolved = Record<string, unknown> & { readonly __typename: string };

class QueryError extends Error {}

const TOKEN = /\s+|#[^\n]*|\.\.\.|[{}():!$,=[\]@]|"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|[A-Za-z_]\w*/gy;

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < query.length) {
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(query);
    if (!match) throw new QueryError(`Parse error on "${query.slice(start, start + 10)}"`);
    if (!/^(\s|#)/.test(match[0]) && match[0] !== ',') tokens.push(match[0]);
  }
  return tokens;
}

class Parser {
  private at = 0;
  constructor(private readonly tokens: readonly string[], private readonly variables: Readonly<Record<string, unknown>>) {}

  document(): readonly Field[] {
    if (this.peek() === 'query') {
      this.next();
      if (/^[A-Za-z_]/.test(this.peek())) this.next();
      if (this.peek() === '(') this.skipBalanced('(', ')');
    }
    return this.selectionSet();
  }

  private selectionSet(): Field[] {
    this.expect('{');
    const fields: Field[] = [];
    while (this.peek() !== '}') {
      if (this.peek() === '...') {
        this.next();
        this.expect('on');
        this.next();
        fields.push(...this.selectionSet());
        continue;
      }
      let name = this.next();
      const alias = name;
      if (this.peek() === ':') {
        this.next();
        name = this.next();
      }
      const args = this.peek() === '(' ? this.arguments() : {};
      fields.push({ name, alias, args, ...(this.peek() === '{' ? { selection: this.selectionSet() } : {}) });
    }
    this.expect('}');
    return fields;
  }

  private arguments(): Record<string, unknown> {
    this.expect('(');
    const args: Record<string, unknown> = {};
    while (this.peek() !== ')') {
      const name = this.next();
      this.expect(':');
      args[name] = this.value();
    }
    this.expect(')');
    return args;
  }

  private value(): unknown {
    const token = this.next();
    if (token === '$') return this.variables[this.next()] ?? null;
    if (token.startsWith('"')) return JSON.parse(token) as unknown;
    if (/^-?\d/.test(token)) return Number(token);
    return token === 'true' ? true : token === 'false' ? false : token === 'null' ? null : token;
  }

  private skipBalanced(open: string, close: string): void {
    let depth = 0;
    do {
      const token = this.next();
      if (token === open) depth += 1;
      if (token === close) depth -= 1;
    } while (depth > 0);
  }

  private peek(): string {
    return this.tokens[this.at] ?? '';
  }

  private next(): string {
    const token = this.tokens[this.at++];
    if (token === undefined) throw new QueryError('Parse error: unexpected end of document');
    return token;
  }

  private expect(token: string): void {
    const found = this.next();
    if (found !== token) throw new QueryError(`Parse error on "${found}": expected "${token}"`);
  }
}

const cursorOf = (head: string, offset: number): string => Buffer.from(`${head} ${offset}`).toString('base64');
const offsetOf = (cursor: unknown): number => (typeof cursor === 'string' ? Number(Buffer.from(cursor, 'base64').toString().split(' ')[1] ?? -1) + 1 : 0);
const pageSize = (args: Readonly<Record<string, unknown>>, fallback = 100): number => Math.min(100, Math.max(1, Number(args['first'] ?? fallback)));

function connection(typename: string, items: readonly unknown[], args: Readonly<Record<string, unknown>>, head = 'connection'): Resolved {
  const start = offsetOf(args['after']);
  const page = items.slice(start, start + pageSize(args));
  return {
    __typename: typename,
    totalCount: items.length,
    nodes: page,
    pageInfo: { __typename: 'PageInfo', hasNextPage: start + page.length < items.length, endCursor: page.length > 0 ? cursorOf(head, start + page.length - 1) : null, hasPreviousPage: start > 0, startCursor: page.length > 0 ? cursorOf(head, start) : null },
  };
}

const actor = (login: string): Resolved => ({ __typename: 'User', login });
const additionsOf = (files: GithubCommit['files']): number => files.reduce((sum, file) => sum + file.additions, 0);
const deletionsOf = (files: GithubCommit['files']): number => files.reduce((sum, file) => sum + file.deletions, 0);

function pullRequest(repo: GithubRepo, pull: GithubPull): Resolved {
  return {
    __typename: 'PullRequest',
    number: pull.number,
    title: pull.title,
    state: pull.mergedAt !== null ? 'MERGED' : pull.state === 'open' ? 'OPEN' : 'CLOSED',
    merged: pull.mergedAt !== null,
    mergedAt: pull.mergedAt,
    createdAt: pull.createdAt,
    baseRefName: repo.spec.defaultBranch,
    author: actor(pull.user),
    mergeCommit: pull.mergeCommitSha === null ? null : { __typename: 'Commit', oid: pull.mergeCommitSha },
    additions: additionsOf(pull.files),
    deletions: deletionsOf(pull.files),
    changedFiles: pull.files.length,
    reviews: (args: Record<string, unknown>) => connection('PullRequestReviewConnection', pull.reviews.map((review) => ({
      __typename: 'PullRequestReview', state: review.state, submittedAt: review.submittedAt, author: actor(review.user),
    })), args),
    files: (args: Record<string, unknown>) => connection('PullRequestChangedFileConnection', pull.files.map((file) => ({
      __typename: 'PullRequestChangedFile', path: file.filename, additions: file.additions, deletions: file.deletions,
    })), args),
  };
}

function commit(repo: GithubRepo, item: GithubCommit): Resolved {
  const person = (who: GithubCommit['author']): Resolved => ({ __typename: 'GitActor', name: who.name, email: who.email, date: who.date, user: who.login ? actor(who.login) : null });
  return {
    __typename: 'Commit',
    oid: item.sha,
    messageHeadline: item.message.split('\n')[0] ?? '',
    message: item.message,
    committedDate: item.committer.date,
    authoredDate: item.author.date,
    additions: additionsOf(item.files),
    deletions: deletionsOf(item.files),
    changedFilesIfAvailable: item.files.length,
    author: person(item.author),
    committer: person(item.committer),
    parents: (args: Record<string, unknown>) => connection('CommitConnection', item.parents.map((oid) => ({ __typename: 'Commit', oid })), args),
    associatedPullRequests: (args: Record<string, unknown>) => connection('PullRequestConnection', repo.pulls.filter((pull) => pull.commits.includes(item.sha) || pull.mergeCommitSha === item.sha).map((pull) => pullRequest(repo, pull)), args),
    history: (args: Record<string, unknown>) => {
      const start = repo.commits.findIndex((candidate) => candidate.sha === item.sha);
      return connection('CommitHistoryConnection', repo.commits.slice(Math.max(0, start)).map((entry) => commit(repo, entry)), args, item.sha);
    },
  };
}

function repository(repo: GithubRepo): Resolved {
  return {
    __typename: 'Repository',
    nameWithOwner: repo.spec.fullName,
    defaultBranchRef: { __typename: 'Ref', name: repo.spec.defaultBranch, target: repo.commits[0] ? commit(repo, repo.commits[0]) : null },
    ref: (args: Record<string, unknown>) => {
      const name = String(args['qualifiedName'] ?? '').replace(/^refs\/heads\//, '');
      return name === repo.spec.defaultBranch && repo.commits[0] ? { __typename: 'Ref', name, target: commit(repo, repo.commits[0]) } : null;
    },
  };
}

function resolve(value: Resolved, fields: readonly Field[], path: string[], errors: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.name === '__typename') {
      out[field.alias] = value.__typename;
      continue;
    }
    if (!(field.name in value)) throw new QueryError(`Field '${field.name}' doesn't exist on type '${value.__typename}'`);
    const raw = value[field.name];
    const result = typeof raw === 'function' ? (raw as (args: Record<string, unknown>) => unknown)(field.args) : raw;
    out[field.alias] = project(result, field, [...path, field.alias], errors);
  }
  return out;
}

function project(result: unknown, field: Field, path: string[], errors: unknown[]): unknown {
  if (result === null || result === undefined || field.selection === undefined) return result ?? null;
  if (Array.isArray(result)) return result.map((item, index) => project(item, field, [...path, String(index)], errors));
  if (typeof result === 'object' && '__typename' in result) return resolve(result as Resolved, field.selection, path, errors);
  return result;
}

/** `POST /graphql` with `{query, variables}`. */
export function graphqlRoute(context: GithubContext, request: FakeRequest): FakeResponse {
  if (!/^(bearer|token)\s+\S+/i.test(request.headers.authorization ?? '')) {
    return githubError(401, 'This endpoint requires you to be authenticated.', 'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql');
  }
  let body: { query?: unknown; variables?: unknown };
  try {
    body = JSON.parse(request.body.toString('utf8')) as typeof body;
  } catch {
    return githubError(400, 'Problems parsing JSON', 'https://docs.github.com/graphql');
  }
  const variables = typeof body.variables === 'object' && body.variables !== null ? (body.variables as Record<string, unknown>) : {};
  const errors: unknown[] = [];
  try {
    const fields = new Parser(tokenize(String(body.query ?? '')), variables).document();
    const root: Resolved = {
      __typename: 'Query',
      repository: (args: Record<string, unknown>) => {
        const found = context.fixtures.githubRepos.get(`${String(args['owner'])}/${String(args['name'])}`.toLowerCase());
        if (!found) errors.push({ type: 'NOT_FOUND', path: ['repository'], locations: [{ line: 2, column: 3 }], message: `Could not resolve to a Repository with the name '${String(args['owner'])}/${String(args['name'])}'.` });
        return found ? repository(found) : null;
      },
      rateLimit: { __typename: 'RateLimit', limit: 5000, cost: 1, remaining: 4999, resetAt: new Date(Date.now() + 3_600_000).toISOString() },
    };
    const data = resolve(root, fields, [], errors);
    return jsonResponse(200, errors.length > 0 ? { data, errors } : { data });
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    return jsonResponse(200, { errors: [{ message: error.message, locations: [{ line: 1, column: 1 }] }] });
  }
}
