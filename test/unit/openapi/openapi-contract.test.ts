import { expect } from 'chai';
import express from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * Our OpenAPI document must stay wire-compatible with the course contract: everything the contract
 * declares exists in ours with the same shape, and everything we add is optional for clients.
 */

const REPO_ROOT = path.resolve(__dirname, '../../..');
const OURS_PATH = path.join(REPO_ROOT, 'openapi/openapi.yaml');
import { CONTRACT_PATH } from '../../support/reference-data';

type Json = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Deliberate departures from the contract, each fixing a bug in the contract itself. */
const REQUIRED_EXCEPTIONS: Record<string, { contractOnly: string[]; oursOnly: string[] }> = {
  // The contract requires `node`, a property it never defines.
  ArtifactLineageNode: { contractOnly: ['node'], oursOnly: ['artifact_id', 'name', 'source'] },
};
const COMPOSITION_EXCEPTIONS: Record<string, Record<string, string>> = {
  // `oneOf: [integer, number, …]` rejects every whole number (it matches two branches).
  HealthMetricValue: { oneOf: 'anyOf' },
};

/** Keywords that change which values a schema accepts; both documents must agree on them. */
const CONSTRAINTS = [
  'type', 'format', 'pattern', 'enum', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems', 'multipleOf', 'minProperties',
  'maxProperties', 'nullable', 'readOnly', 'writeOnly', 'default',
] as const;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const asObject = (value: unknown): Json => (isObject(value) ? value : {});
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asStrings = (value: unknown): string[] => asArray(value).filter((item): item is string => typeof item === 'string');

function loadYaml(file: string): Json {
  const parsed: unknown = parse(readFileSync(file, 'utf8'));
  if (!isObject(parsed)) throw new Error(`${file} is not a YAML mapping`);
  return parsed;
}

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const sameSet = (a: unknown, b: unknown): boolean => {
  const left = asArray(a).map((item) => JSON.stringify(item)).sort();
  const right = asArray(b).map((item) => JSON.stringify(item)).sort();
  return sameValue(left, right);
};

interface Resolved {
  readonly node: unknown;
  /** The last component name a `$ref` led to, so exceptions follow a schema wherever it is used. */
  readonly name?: string;
  /** A `$ref` that points at nothing. */
  readonly dangling?: string;
}

/** Follows local `$ref`s (siblings of a `$ref` are ignored, as OpenAPI 3.0 says). */
function resolve(doc: Json, node: unknown): Resolved {
  let current = node;
  let name: string | undefined;
  for (let hops = 0; isObject(current) && typeof current['$ref'] === 'string'; hops += 1) {
    const ref = current['$ref'];
    if (hops > 32 || !ref.startsWith('#/')) return { node: undefined, dangling: ref };
    const segments = ref.slice(2).split('/').map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
    current = segments.reduce<unknown>((target, segment) => asObject(target)[segment], doc);
    name = segments[segments.length - 1];
    if (current === undefined) return { node: undefined, dangling: ref };
  }
  return { node: current, ...(name === undefined ? {} : { name }) };
}

/**
 * Every way the schema `ourNode` differs from `contractNode` in what it accepts or produces:
 * constraints, properties, required lists, items, additional properties and compositions.
 */
function schemaDifferences(contract: Json, contractNode: unknown, ours: Json, ourNode: unknown, where: string, depth = 0): string[] {
  const c = resolve(contract, contractNode);
  const o = resolve(ours, ourNode);
  if (c.dangling !== undefined) throw new Error(`the contract's ${c.dangling} points at nothing`);
  if (!isObject(c.node)) return [];
  if (o.dangling !== undefined) return [`${where}: ours refers to ${o.dangling}, which does not exist`];
  if (!isObject(o.node)) return [`${where}: missing in ours`];
  if (depth > 32) return [`${where}: nested too deeply to compare`];
  const cs = c.node;
  const os = o.node;
  const name = c.name;
  const differences: string[] = [];

  for (const keyword of CONSTRAINTS) {
    const contractHas = cs[keyword] !== undefined;
    const oursHas = os[keyword] !== undefined;
    if (!contractHas && oursHas) differences.push(`${where}: ours adds ${keyword} ${JSON.stringify(os[keyword])}`);
    if (!contractHas) continue;
    const same = keyword === 'enum' ? sameSet(cs[keyword], os[keyword]) : sameValue(cs[keyword], os[keyword]);
    if (!same) {
      differences.push(`${where}: ${keyword} is ${JSON.stringify(os[keyword])}, contract has ${JSON.stringify(cs[keyword])}`);
    }
  }

  const exception = name === undefined ? undefined : REQUIRED_EXCEPTIONS[name];
  const contractRequired = asStrings(cs['required']).filter((key) => !(exception?.contractOnly ?? []).includes(key));
  const ourRequired = asStrings(os['required']).filter((key) => !(exception?.oursOnly ?? []).includes(key));
  for (const key of ourRequired.filter((key) => !contractRequired.includes(key))) {
    differences.push(`${where}: ours requires "${key}", the contract does not`);
  }
  for (const key of contractRequired.filter((key) => !ourRequired.includes(key))) {
    differences.push(`${where}: the contract requires "${key}", ours does not`);
  }

  const ourProperties = asObject(os['properties']);
  for (const [key, contractProperty] of Object.entries(asObject(cs['properties']))) {
    if (!(key in ourProperties)) {
      differences.push(`${where}.${key}: missing in ours`);
      continue;
    }
    differences.push(...schemaDifferences(contract, contractProperty, ours, ourProperties[key], `${where}.${key}`, depth + 1));
  }

  if (cs['items'] !== undefined) {
    differences.push(...schemaDifferences(contract, cs['items'], ours, os['items'], `${where}[]`, depth + 1));
  }

  const contractExtra = cs['additionalProperties'];
  const ourExtra = os['additionalProperties'];
  if (isObject(contractExtra)) {
    differences.push(...schemaDifferences(contract, contractExtra, ours, ourExtra, `${where}{*}`, depth + 1));
  } else if (contractExtra !== undefined && !sameValue(contractExtra, ourExtra)) {
    differences.push(`${where}: additionalProperties is ${JSON.stringify(ourExtra)}, contract has ${JSON.stringify(contractExtra)}`);
  } else if (contractExtra === undefined && ourExtra === false) {
    differences.push(`${where}: ours forbids additional properties, the contract allows them`);
  }

  for (const keyword of ['oneOf', 'anyOf', 'allOf'] as const) {
    const ourKeyword = (name === undefined ? undefined : COMPOSITION_EXCEPTIONS[name]?.[keyword]) ?? keyword;
    const contractBranches = asArray(cs[keyword]);
    const ourBranches = asArray(os[ourKeyword]);
    if (contractBranches.length === 0) continue;
    if (contractBranches.length !== ourBranches.length) {
      differences.push(`${where}: ${ourKeyword} has ${ourBranches.length} branches, contract ${keyword} has ${contractBranches.length}`);
      continue;
    }
    contractBranches.forEach((branch, index) => {
      differences.push(...schemaDifferences(contract, branch, ours, ourBranches[index], `${where}.${keyword}[${index}]`, depth + 1));
    });
  }
  return differences;
}

interface Operation {
  readonly key: string;
  readonly path: string;
  readonly method: string;
  readonly operation: Json;
  readonly pathItem: Json;
}

function operationsOf(doc: Json): Operation[] {
  return Object.entries(asObject(doc['paths'])).flatMap(([route, item]) =>
    METHODS.filter((method) => isObject(asObject(item)[method])).map((method) => ({
      key: `${method.toUpperCase()} ${route}`,
      path: route,
      method,
      operation: asObject(asObject(item)[method]),
      pathItem: asObject(item),
    })),
  );
}

function findOperation(doc: Json, route: string, method: string): Operation | undefined {
  return operationsOf(doc).find((operation) => operation.path === route && operation.method === method);
}

/** Path-level and operation-level parameters merged (the operation wins), keyed "in:name". */
function parametersOf(doc: Json, operation: Operation): Map<string, Json> {
  const merged = new Map<string, Json>();
  for (const raw of [...asArray(operation.pathItem['parameters']), ...asArray(operation.operation['parameters'])]) {
    const parameter = asObject(resolve(doc, raw).node);
    const location = String(parameter['in']);
    const name = String(parameter['name']);
    merged.set(`${location}:${location === 'header' ? name.toLowerCase() : name}`, parameter);
  }
  return merged;
}

const isRequired = (parameter: Json): boolean => parameter['required'] === true;

function responsesOf(doc: Json, operation: Operation): Map<string, Json> {
  return new Map(
    Object.entries(asObject(operation.operation['responses'])).map(([status, raw]) => [status, asObject(resolve(doc, raw).node)]),
  );
}

const headerNamed = (headers: Json, name: string): unknown =>
  Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];

/** Every description and summary in a document, whitespace-normalised. */
function proseOf(node: unknown, found: Set<string> = new Set()): Set<string> {
  if (Array.isArray(node)) node.forEach((item) => proseOf(item, found));
  if (!isObject(node)) return found;
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'description' || key === 'summary') && typeof value === 'string') {
      const text = value.replace(/\s+/g, ' ').trim();
      if (text.length > 0) found.add(text);
    } else {
      proseOf(value, found);
    }
  }
  return found;
}

/** Each check returns a list of human-readable differences; an empty list means compatible. */
const checks = {
  operations(contract: Json, ours: Json): string[] {
    return operationsOf(contract)
      .filter((operation) => findOperation(ours, operation.path, operation.method) === undefined)
      .map((operation) => `${operation.key}: missing in ours`);
  },

  operationIds(contract: Json, ours: Json): string[] {
    return operationsOf(contract).flatMap((operation) => {
      const expected = operation.operation['operationId'];
      const actual = findOperation(ours, operation.path, operation.method)?.operation['operationId'];
      return expected !== undefined && expected !== actual
        ? [`${operation.key}: operationId is ${String(actual)}, contract has ${String(expected)}`]
        : [];
    });
  },

  parameters(contract: Json, ours: Json): string[] {
    return operationsOf(contract).flatMap((operation) => {
      const ourOperation = findOperation(ours, operation.path, operation.method);
      if (ourOperation === undefined) return [];
      const contractParameters = parametersOf(contract, operation);
      const ourParameters = parametersOf(ours, ourOperation);
      const differences: string[] = [];
      for (const [key, parameter] of contractParameters) {
        const ourParameter = ourParameters.get(key);
        if (ourParameter === undefined) {
          differences.push(`${operation.key} parameter ${key}: missing in ours`);
          continue;
        }
        if (isRequired(parameter) !== isRequired(ourParameter)) {
          differences.push(`${operation.key} parameter ${key}: required is ${isRequired(ourParameter)}, contract has ${isRequired(parameter)}`);
        }
        differences.push(
          ...schemaDifferences(contract, parameter['schema'], ours, ourParameter['schema'], `${operation.key} parameter ${key}`),
        );
      }
      for (const [key, parameter] of ourParameters) {
        if (!contractParameters.has(key) && isRequired(parameter)) {
          differences.push(`${operation.key} parameter ${key}: ours adds it as required, so contract clients would fail`);
        }
      }
      return differences;
    });
  },

  requestBodies(contract: Json, ours: Json): string[] {
    return operationsOf(contract).flatMap((operation) => {
      const ourOperation = findOperation(ours, operation.path, operation.method);
      if (ourOperation === undefined || operation.operation['requestBody'] === undefined) return [];
      const body = asObject(resolve(contract, operation.operation['requestBody']).node);
      const ourBody = asObject(resolve(ours, ourOperation.operation['requestBody']).node);
      const where = `${operation.key} request body`;
      const differences: string[] = [];
      if ((body['required'] === true) !== (ourBody['required'] === true)) {
        differences.push(`${where}: required is ${String(ourBody['required'])}, contract has ${String(body['required'])}`);
      }
      const ourContent = asObject(ourBody['content']);
      for (const [mediaType, media] of Object.entries(asObject(body['content']))) {
        if (!(mediaType in ourContent)) {
          differences.push(`${where} ${mediaType}: missing in ours`);
          continue;
        }
        differences.push(
          ...schemaDifferences(contract, asObject(media)['schema'], ours, asObject(ourContent[mediaType])['schema'], `${where} ${mediaType}`),
        );
      }
      return differences;
    });
  },

  responses(contract: Json, ours: Json): string[] {
    return operationsOf(contract).flatMap((operation) => {
      const ourOperation = findOperation(ours, operation.path, operation.method);
      if (ourOperation === undefined) return [];
      const ourResponses = responsesOf(ours, ourOperation);
      const differences: string[] = [];
      for (const [status, response] of responsesOf(contract, operation)) {
        const where = `${operation.key} ${status}`;
        const ourResponse = ourResponses.get(status);
        if (ourResponse === undefined) {
          differences.push(`${where}: missing in ours`);
          continue;
        }
        const ourContent = asObject(ourResponse['content']);
        for (const [mediaType, media] of Object.entries(asObject(response['content']))) {
          if (!(mediaType in ourContent)) {
            differences.push(`${where} ${mediaType}: missing in ours`);
            continue;
          }
          differences.push(
            ...schemaDifferences(contract, asObject(media)['schema'], ours, asObject(ourContent[mediaType])['schema'], `${where} ${mediaType}`),
          );
        }
        const ourHeaders = asObject(ourResponse['headers']);
        for (const [header, definition] of Object.entries(asObject(response['headers']))) {
          const ourHeader = headerNamed(ourHeaders, header);
          if (ourHeader === undefined) {
            differences.push(`${where} header ${header}: missing in ours`);
            continue;
          }
          differences.push(
            ...schemaDifferences(
              contract,
              asObject(resolve(contract, definition).node)['schema'],
              ours,
              asObject(resolve(ours, ourHeader).node)['schema'],
              `${where} header ${header}`,
            ),
          );
        }
      }
      return differences;
    });
  },

  /** Where the contract sends no body with an error, ours sends an `Error`. */
  errorBodies(contract: Json, ours: Json): string[] {
    return operationsOf(contract).flatMap((operation) => {
      const ourOperation = findOperation(ours, operation.path, operation.method);
      if (ourOperation === undefined) return [];
      const ourResponses = responsesOf(ours, ourOperation);
      return [...responsesOf(contract, operation)]
        .filter(([status, response]) => Number(status) >= 400 && response['content'] === undefined)
        .flatMap(([status]) => {
          const schema = asObject(asObject(asObject(ourResponses.get(status)?.['content'])['application/json'])['schema']);
          return schema['$ref'] === '#/components/schemas/Error' ? [] : [`${operation.key} ${status}: no application/json Error body`];
        });
    });
  },

  /** Our descriptions and summaries are written afresh, not copied from the contract. */
  prose(contract: Json, ours: Json): string[] {
    const ourProse = proseOf(ours);
    return [...proseOf(contract)].filter((text) => ourProse.has(text)).map((text) => `copied from the contract: "${text}"`);
  },

  componentSchemas(contract: Json, ours: Json): string[] {
    const ourSchemas = asObject(asObject(ours['components'])['schemas']);
    return Object.keys(asObject(asObject(contract['components'])['schemas'])).flatMap((name) => {
      if (!(name in ourSchemas)) return [`schema ${name}: missing in ours`];
      const ref = { $ref: `#/components/schemas/${name}` };
      return schemaDifferences(contract, ref, ours, ref, `schema ${name}`);
    });
  },
};

type CheckName = keyof typeof checks;
const runCheck = (name: CheckName, contract: Json, ours: Json): string[] => checks[name](contract, ours);

const ours = loadYaml(OURS_PATH);

describe('OpenAPI document against the course contract', function () {
  let contract: Json = {};

  before(function () {
    if (!existsSync(CONTRACT_PATH)) {
      console.warn(`skipping: the reference contract is not at ${CONTRACT_PATH}`);
      this.skip();
    }
    contract = loadYaml(CONTRACT_PATH);
  });

  it('when the contract is read, then it declares operations and schemas to compare', function () {
    expect(operationsOf(contract)).to.have.length.greaterThan(10);
    expect(Object.keys(asObject(asObject(contract['components'])['schemas']))).to.have.length.greaterThan(10);
  });

  it('when the contract has a path and method, then ours has the same path and method', function () {
    expect(runCheck('operations', contract, ours)).to.deep.equal([]);
  });

  it('when the contract names an operation, then ours uses the same operationId', function () {
    expect(runCheck('operationIds', contract, ours)).to.deep.equal([]);
  });

  it('when the contract declares a parameter, then ours declares it in the same place, equally required and with the same schema', function () {
    expect(runCheck('parameters', contract, ours)).to.deep.equal([]);
  });

  it('when the contract accepts a request body, then ours accepts the same media types with the same schemas', function () {
    expect(runCheck('requestBodies', contract, ours)).to.deep.equal([]);
  });

  it('when the contract lists a response, then ours has the same status, media types, schemas and headers', function () {
    expect(runCheck('responses', contract, ours)).to.deep.equal([]);
  });

  it('when the contract sends no body with an error, then ours sends an Error body', function () {
    expect(runCheck('errorBodies', contract, ours)).to.deep.equal([]);
  });

  it('when the contract defines a component schema, then ours defines it with the same properties, types and required lists', function () {
    expect(runCheck('componentSchemas', contract, ours)).to.deep.equal([]);
  });

  it('when a description or summary is read, then none is copied verbatim from the contract', function () {
    expect(runCheck('prose', contract, ours)).to.deep.equal([]);
  });

  describe('when our document is altered in a way contract clients would notice', function () {
    const mutated = (change: (doc: Json) => void): Json => {
      const copy = structuredClone(ours);
      change(copy);
      return copy;
    };
    const schemas = (doc: Json): Json => asObject(asObject(doc['components'])['schemas']);
    const paths = (doc: Json): Json => asObject(doc['paths']);

    const cases: { title: string; check: CheckName; change: (doc: Json) => void; expected: string }[] = [
      {
        title: 'a contract route is removed',
        check: 'operations',
        change: (doc) => delete paths(doc)['/artifact/byRegEx'],
        expected: 'POST /artifact/byRegEx: missing in ours',
      },
      {
        title: 'an operationId is renamed',
        check: 'operationIds',
        change: (doc) => (asObject(asObject(paths(doc)['/reset'])['delete'])['operationId'] = 'ResetEverything'),
        expected: 'DELETE /reset: operationId is ResetEverything, contract has RegistryReset',
      },
      {
        title: 'an optional contract parameter becomes required',
        check: 'parameters',
        change: (doc) => {
          const cost = asObject(paths(doc)['/artifact/{artifact_type}/{id}/cost']);
          const dependency = asArray(cost['parameters']).map(asObject).find((parameter) => parameter['name'] === 'dependency');
          if (dependency !== undefined) dependency['required'] = true;
        },
        expected: 'GET /artifact/{artifact_type}/{id}/cost parameter query:dependency: required is true, contract has false',
      },
      {
        title: 'a new parameter is required',
        check: 'parameters',
        change: (doc) => {
          const list = asObject(asObject(paths(doc)['/artifacts'])['post']);
          list['parameters'] = [...asArray(list['parameters']), { name: 'page', in: 'query', required: true, schema: { type: 'string' } }];
        },
        expected: 'POST /artifacts parameter query:page: ours adds it as required, so contract clients would fail',
      },
      {
        title: 'a request body media type is removed',
        check: 'requestBodies',
        change: (doc) => {
          const create = asObject(asObject(paths(doc)['/artifact/{artifact_type}'])['post']);
          delete asObject(asObject(create['requestBody'])['content'])['application/json'];
        },
        expected: 'POST /artifact/{artifact_type} request body application/json: missing in ours',
      },
      {
        title: 'a contract status code is removed',
        check: 'responses',
        change: (doc) => delete asObject(asObject(asObject(paths(doc)['/artifacts/{artifact_type}/{id}'])['get'])['responses'])['404'],
        expected: 'GET /artifacts/{artifact_type}/{id} 404: missing in ours',
      },
      {
        title: 'a contract response header is removed',
        check: 'responses',
        change: (doc) => {
          const ok = asObject(asObject(asObject(asObject(paths(doc)['/artifacts'])['post'])['responses'])['200']);
          delete ok['headers'];
        },
        expected: 'POST /artifacts 200 header offset: missing in ours',
      },
      {
        title: 'an error response loses its Error body',
        check: 'errorBodies',
        change: (doc) => {
          const responses = asObject(asObject(asObject(paths(doc)['/artifact/byName/{name}'])['get'])['responses']);
          responses['404'] = { description: 'Nothing.' };
        },
        expected: 'GET /artifact/byName/{name} 404: no application/json Error body',
      },
      {
        title: 'a property changes type',
        check: 'componentSchemas',
        change: (doc) => (asObject(asObject(asObject(schemas(doc)['User'])['properties'])['is_admin'])['type'] = 'string'),
        expected: 'schema User.is_admin: type is "string", contract has "boolean"',
      },
      {
        title: 'a property is removed',
        check: 'componentSchemas',
        change: (doc) => delete asObject(asObject(schemas(doc)['ModelRating'])['properties'])['tree_score'],
        expected: 'schema ModelRating.tree_score: missing in ours',
      },
      {
        title: 'a property becomes required',
        check: 'componentSchemas',
        change: (doc) => (asObject(schemas(doc)['ArtifactQuery'])['required'] = ['name', 'types']),
        expected: 'schema ArtifactQuery: ours requires "types", the contract does not',
      },
      {
        title: 'a required property becomes optional',
        check: 'componentSchemas',
        change: (doc) => (asObject(schemas(doc)['ArtifactMetadata'])['required'] = ['name', 'id']),
        expected: 'schema ArtifactMetadata: the contract requires "type", ours does not',
      },
      {
        title: 'an enum changes',
        check: 'componentSchemas',
        change: (doc) => (asObject(schemas(doc)['ArtifactType'])['enum'] = ['model', 'dataset']),
        expected: 'schema ArtifactType: enum is ["model","dataset"], contract has ["model","dataset","code"]',
      },
      {
        title: 'a constraint is added',
        check: 'componentSchemas',
        change: (doc) => (asObject(asObject(asObject(schemas(doc)['ArtifactRegEx'])['properties'])['regex'])['maxLength'] = 10),
        expected: 'schema ArtifactRegEx.regex: ours adds maxLength 10',
      },
      {
        title: 'ArtifactData.url loses its uri format',
        check: 'componentSchemas',
        change: (doc) => delete asObject(asObject(asObject(schemas(doc)['ArtifactData'])['properties'])['url'])['format'],
        expected: 'schema ArtifactData.url: format is undefined, contract has "uri"',
      },
      {
        title: 'a description is copied from the contract',
        check: 'prose',
        change: (doc) => (asObject(schemas(doc)['ArtifactType'])['description'] = 'Artifact category.'),
        expected: 'copied from the contract: "Artifact category."',
      },
      {
        title: 'a contract schema is removed',
        check: 'componentSchemas',
        change: (doc) => delete schemas(doc)['HealthIssue'],
        expected: 'schema HealthIssue: missing in ours',
      },
    ];

    for (const { title, check, change, expected } of cases) {
      it(`when ${title}, then the ${check} check reports it`, function () {
        expect(runCheck(check, contract, mutated(change))).to.include(expected);
      });
    }
  });
});

describe('OpenAPI document additions', function () {
  const paths = asObject(ours['paths']);
  const schemas = asObject(asObject(ours['components'])['schemas']);
  const operation = (route: string, method: string): Operation => {
    const found = findOperation(ours, route, method);
    if (found === undefined) throw new Error(`${method.toUpperCase()} ${route} is missing`);
    return found;
  };
  const schemaAt = (node: unknown): Json => asObject(resolve(ours, node).node);
  const statusesOf = (found: Operation): string[] => [...responsesOf(ours, found).keys()];
  const contentOf = (found: Operation): Json => asObject(asObject(resolve(ours, found.operation['requestBody']).node)['content']);

  it('when the document is read, then it is OpenAPI 3.0.3 for the Trustworthy Model Registry at a relative server URL', function () {
    expect(ours['openapi']).to.equal('3.0.3');
    expect(asObject(ours['info'])['title']).to.equal('Trustworthy Model Registry');
    expect(asObject(ours['info'])['version']).to.equal('0.1.0');
    // Relative: "Try it out" calls the registry that served the docs, on any host and port.
    expect(asArray(ours['servers']).map((server) => asObject(server)['url'])).to.deep.equal(['/']);
  });

  it('when the token is described, then it is a required X-Authorization header, and also an apiKey scheme the public operations opt out of', function () {
    expect(asObject(asObject(ours['components'])['securitySchemes'])['XAuthorization']).to.deep.include({ type: 'apiKey', in: 'header', name: 'X-Authorization' });
    expect(ours['security']).to.deep.equal([{ XAuthorization: [] }]);
    const open = ['GET /health', 'GET /health/components', 'GET /tracks', 'PUT /authenticate'];
    for (const found of operationsOf(ours)) {
      const token = parametersOf(ours, found).get('header:x-authorization');
      if (open.includes(found.key)) {
        expect(token, found.key).to.equal(undefined);
        expect(found.operation['security'], found.key).to.deep.equal([]);
      } else {
        expect(token, found.key).to.not.equal(undefined);
        expect(isRequired(asObject(token)), found.key).to.equal(true);
        expect(found.operation, found.key).not.to.have.property('security');
      }
    }
  });

  it('when the cost route is read, then its operationId is ArtifactCost', function () {
    expect(operation('/artifact/{artifact_type}/{id}/cost', 'get').operation['operationId']).to.equal('ArtifactCost');
  });

  it('when every operation is read, then each has a unique operationId', function () {
    const ids = operationsOf(ours).map((found) => found.operation['operationId']);
    expect(ids.every((id) => typeof id === 'string')).to.equal(true);
    expect(new Set(ids).size).to.equal(ids.length);
  });

  it('when the download route is read, then it streams a zip with its digests and takes an optional part', function () {
    const download = operation('/artifacts/{artifact_type}/{id}/download', 'get');
    expect(download.operation['operationId']).to.equal('ArtifactDownload');
    expect(statusesOf(download)).to.have.members(['200', '206', '302', '304', '400', '401', '403', '404', '416', '422', '451', '503']);
    const part = parametersOf(ours, download).get('query:part');
    expect(part !== undefined && isRequired(part)).to.equal(false);
    expect(schemaAt(part?.['schema'])['enum']).to.deep.equal(['weights', 'datasets', 'code', 'docs']);
    const ok = asObject(responsesOf(ours, download).get('200'));
    expect(schemaAt(asObject(asObject(ok['content'])['application/zip'])['schema'])).to.include({ type: 'string', format: 'binary' });
    const headers = asObject(ok['headers']);
    const headerType = (name: string): unknown => schemaAt(asObject(headers[name])['schema'])['type'];
    expect(headerType('Content-Length')).to.equal('integer');
    for (const name of ['ETag', 'Repr-Digest', 'X-Content-SHA256']) expect(headerType(name), name).to.equal('string');
  });

  it('when the download digest patterns are read, then they accept the documented forms only', function () {
    const headers = asObject(asObject(responsesOf(ours, operation('/artifacts/{artifact_type}/{id}/download', 'get')).get('200'))['headers']);
    const pattern = (name: string): RegExp => new RegExp(String(schemaAt(asObject(headers[name])['schema'])['pattern']));
    const hex = 'b5b3a083b3017cc3583e8613beb52c2df558e08b5ae9798e1c96235928049683';
    const base64 = Buffer.from(hex, 'hex').toString('base64');
    expect(pattern('ETag').test(`"${hex}"`)).to.equal(true);
    expect(pattern('ETag').test(hex)).to.equal(false);
    expect(pattern('Repr-Digest').test(`sha-256=:${base64}:`)).to.equal(true);
    expect(pattern('Repr-Digest').test(`sha-256=${base64}`)).to.equal(false);
    expect(pattern('X-Content-SHA256').test(hex)).to.equal(true);
    expect(pattern('X-Content-SHA256').test(hex.toUpperCase())).to.equal(false);
  });

  it('when the vetting route is read, then POST /artifact/ingest takes {url, name?} and answers 201, 409 and 424 among others', function () {
    const ingest = operation('/artifact/ingest', 'post');
    expect(ingest.operation['operationId']).to.equal('ArtifactIngest');
    expect(statusesOf(ingest)).to.include.members(['201', '400', '401', '403', '404', '409', '413', '424', '502', '503', '504']);
    const body = asObject(schemas['IngestRequest']);
    expect(body['required']).to.deep.equal(['url']);
    expect(Object.keys(asObject(body['properties']))).to.have.members(['url', 'name']);
    expect(Object.keys(asObject(asObject(schemas['ArtifactData'])['properties']))).to.include('name');
    expect(Object.keys(asObject(asObject(schemas['ArtifactQuery'])['properties']))).to.include('trust');
  });

  it('when the details route is read, then it returns ArtifactDetails with the documented required fields', function () {
    const details = operation('/artifacts/{artifact_type}/{id}/details', 'get');
    expect(details.operation['operationId']).to.equal('ArtifactDetails');
    expect(statusesOf(details)).to.have.members(['200', '400', '401', '403', '404']);
    const ok = asObject(responsesOf(ours, details).get('200'));
    expect(asObject(asObject(asObject(ok['content'])['application/json'])['schema'])['$ref']).to.equal('#/components/schemas/ArtifactDetails');
    const detailsSchema = asObject(schemas['ArtifactDetails']);
    // An external reference has no package; `mirrored` says which kind of record it is.
    expect(detailsSchema['required']).to.have.members(['metadata', 'data', 'source', 'mirrored', 'created_at', 'created_by', 'updated_at']);
    expect(Object.keys(asObject(detailsSchema['properties']))).to.include.members(['version', 'card_excerpt', 'card_metadata', 'package', 'reference', 'trust', 'origin']);
    const trust = asObject(schemas['TrustVerdict']);
    expect(trust['required']).to.have.members(['meets_bar', 'threshold', 'failing', 'skipped']);
    const packageSchema = schemaAt(asObject(detailsSchema['properties'])['package']);
    expect(Object.keys(asObject(packageSchema['properties']))).to.have.members(['sha256', 'size', 'file_count', 'parts', 'files', 'files_truncated']);
    expect(schemaAt(asObject(packageSchema['properties'])['files'])['maxItems']).to.equal(1000);
    const source = schemaAt(asObject(detailsSchema['properties'])['source']);
    expect(schemaAt(asObject(source['properties'])['kind'])['enum']).to.deep.equal(['upload', 'url']);
  });

  it('when an artifact is registered, then JSON, raw zip and multipart bodies are accepted with optional name and version', function () {
    const create = operation('/artifact/{artifact_type}', 'post');
    const content = contentOf(create);
    expect(Object.keys(content)).to.have.members(['application/json', 'application/zip', 'multipart/form-data']);
    expect(asObject(asObject(content['application/zip'])['schema'])).to.include({ type: 'string', format: 'binary' });
    const form = schemaAt(asObject(content['multipart/form-data'])['schema']);
    expect(form['required']).to.deep.equal(['file']);
    expect(schemaAt(asObject(form['properties'])['file'])).to.include({ type: 'string', format: 'binary' });
    const parameters = parametersOf(ours, create);
    expect(isRequired(asObject(parameters.get('query:name')))).to.equal(false);
    expect(schemaAt(asObject(parameters.get('query:name'))['schema'])['maxLength']).to.equal(256);
    expect(parameters.has('query:version') && !isRequired(asObject(parameters.get('query:version')))).to.equal(true);
    expect(statusesOf(create)).to.include.members(['201', '202', '400', '401', '403', '409', '413', '415', '424', '501', '502', '503', '504']);
  });

  it('when an artifact is replaced, then zip and multipart bodies are accepted and conflicts and size limits are documented', function () {
    const update = operation('/artifacts/{artifact_type}/{id}', 'put');
    expect(Object.keys(contentOf(update))).to.have.members(['application/json', 'application/zip', 'multipart/form-data']);
    const parameters = parametersOf(ours, update);
    expect(parameters.has('query:name') && parameters.has('query:version')).to.equal(true);
    expect(statusesOf(update)).to.include.members(['401', '409', '413', '415', '501']);
  });

  it('when a query is written, then it may carry an optional version string', function () {
    const query = asObject(schemas['ArtifactQuery']);
    expect(asObject(asObject(query['properties'])['version'])['type']).to.equal('string');
    expect(query['required']).to.deep.equal(['name']);
  });

  it('when names or expressions are searched, then the results are paged with an offset parameter and header', function () {
    for (const [route, method] of [['/artifact/byName/{name}', 'get'], ['/artifact/byRegEx', 'post'], ['/artifacts', 'post']] as const) {
      const found = operation(route, method);
      const offset = parametersOf(ours, found).get('query:offset');
      expect(offset !== undefined && !isRequired(offset), found.key).to.equal(true);
      expect(asObject(offset?.['schema'])['$ref'], found.key).to.equal('#/components/schemas/EnumerateOffset');
      const header = headerNamed(asObject(asObject(responsesOf(ours, found).get('200'))['headers']), 'offset');
      expect(asObject(asObject(header)['schema'])['$ref'], found.key).to.equal('#/components/schemas/EnumerateOffset');
    }
    expect(statusesOf(operation('/artifacts', 'post'))).to.include('401');
  });

  it('when health is asked for, then the answer is a HealthSummaryResponse', function () {
    const ok = asObject(responsesOf(ours, operation('/health', 'get')).get('200'));
    expect(asObject(asObject(asObject(ok['content'])['application/json'])['schema'])['$ref']).to.equal('#/components/schemas/HealthSummaryResponse');
  });

  it('when an audit entry is read, then it may carry an optional detail string', function () {
    const entry = asObject(schemas['ArtifactAuditEntry']);
    expect(asObject(asObject(entry['properties'])['detail'])['type']).to.equal('string');
    expect(entry['required']).not.to.include('detail');
  });

  it('when a lineage node is read, then it requires artifact_id, name and source and no undefined property', function () {
    const node = asObject(schemas['ArtifactLineageNode']);
    expect(node['required']).to.have.members(['artifact_id', 'name', 'source']);
    for (const key of asStrings(node['required'])) expect(asObject(node['properties']), key).to.have.property(key);
  });

  it('when an error is reported, then the Error schema requires a string code and message', function () {
    const error = asObject(schemas['Error']);
    expect(error['required']).to.have.members(['code', 'message']);
    const properties = asObject(error['properties']);
    expect(asObject(properties['code'])['type']).to.equal('string');
    expect(asObject(properties['message'])['type']).to.equal('string');
    expect(asObject(properties['details'])['type']).to.equal('object');
    expect(asObject(properties['request_id'])['type']).to.equal('string');
  });

  it('when any operation fails, then every 4xx and 5xx response carries an Error body', function () {
    const missing = operationsOf(ours).flatMap((found) =>
      [...responsesOf(ours, found)]
        .filter(([status]) => Number(status) >= 400)
        .filter(([, response]) => asObject(asObject(asObject(response['content'])['application/json'])['schema'])['$ref'] !== '#/components/schemas/Error')
        .map(([status]) => `${found.key} ${status}`),
    );
    expect(missing).to.deep.equal([]);
  });

  it('when an uploaded artifact reports its url, then the ArtifactData description names the upload URN', function () {
    expect(String(asObject(schemas['ArtifactData'])['description'])).to.contain('urn:tmr:upload:sha256:');
    expect(paths).to.have.property('/artifacts/{artifact_type}/{id}/download');
  });
});

describe('OpenAPI document in express-openapi-validator', function () {
  let base = '';
  let close: () => Promise<void> = async () => undefined;

  before(async function () {
    const app = express();
    app.use(express.json());
    // As in app.ts: tokens are checked by the registry itself, so the validator's security check is off.
    app.use(OpenApiValidator.middleware({ apiSpec: OURS_PATH, validateRequests: true, validateResponses: true, validateSecurity: false }));
    app.get('/tracks', (_req, res) => {
      res.json({ plannedTracks: ['Access control track'] });
    });
    app.post('/artifacts', (_req, res) => {
      res.json([{ name: 'bert', id: '01JDX7Q3M5R8T2V6W9Y4Z0A1B3', type: 'model' }]);
    });
    app.get('/health/components', (_req, res) => {
      const now = new Date().toISOString();
      res.json({ components: [{ id: 'storage', status: 'ok', observed_at: now, metrics: { files: 5, ratio: 0.5 } }], generated_at: now });
    });
    app.use((error: { status?: number; message?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(error.status ?? 500).json({ code: 'TEST.ERROR', message: error.message ?? 'failed' });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((done) => server.once('listening', () => done()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise<void>((done) => server.close(() => done()));
  });

  after(async function () {
    await close();
  });

  it('when the validator loads the document, then a valid request and response pass', async function () {
    const response = await fetch(`${base}/tracks`);
    expect(response.status).to.equal(200);
  });

  it('when a request lacks the X-Authorization header, then the validator rejects it', async function () {
    const response = await fetch(`${base}/artifacts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ name: '*' }]),
    });
    expect(response.status).to.equal(400);
    expect(String(((await response.json()) as { message?: string }).message)).to.contain('x-authorization');
  });

  it('when a request carries a token, a version query and an offset, then the validator accepts it', async function () {
    const response = await fetch(`${base}/artifacts?offset=0`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-authorization': 'bearer test' },
      body: JSON.stringify([{ name: 'bert', types: ['model'], version: '^1.2.0' }]),
    });
    expect(response.status).to.equal(200);
  });

  it('when a component metric is a whole number, then the health response still validates', async function () {
    const response = await fetch(`${base}/health/components`);
    expect(response.status).to.equal(200);
  });
});
