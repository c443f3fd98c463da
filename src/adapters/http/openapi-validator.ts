import * as OpenApiValidator from 'express-openapi-validator';
import type { RequestHandler } from 'express';
// The module object itself, not an interop copy: the validator looks the class up on it per call.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import schemaValidatorModule = require('express-openapi-validator/dist/framework/openapi.schema.validator');
import { memoiseRoutePatterns } from './route-pattern-cache';

type SchemaValidator = typeof schemaValidatorModule.OpenAPISchemaValidator;
type Options = Parameters<typeof OpenApiValidator.middleware>[0];

/**
 * express-openapi-validator 5.6 compiles the whole OpenAPI 3 meta-schema with ajv when it starts,
 * even with `validateApiSpec: false`, where it never uses it: a fifth of the registry's start-up.
 * The compiled checker is built only when a document is actually validated. Our document is checked
 * where it changes instead: `npm run openapi:check`, and test/unit/openapi/openapi-contract.test.ts, which
 * loads it into the validator with `validateApiSpec` on.
 */
function deferSpecSchemaCompile(): void {
  const target = schemaValidatorModule as { OpenAPISchemaValidator: SchemaValidator & { deferred?: true } };
  if (target.OpenAPISchemaValidator.deferred === true) return;
  const Compiled = target.OpenAPISchemaValidator;
  type Args = ConstructorParameters<SchemaValidator>[0];
  class DeferredSchemaValidator {
    static deferred = true as const;
    private compiled: InstanceType<SchemaValidator> | undefined;
    constructor(private readonly args: Args) {}
    validate(document: Parameters<InstanceType<SchemaValidator>['validate']>[0]): ReturnType<InstanceType<SchemaValidator>['validate']> {
      this.compiled ??= new Compiled(this.args);
      return this.compiled.validate(document);
    }
  }
  target.OpenAPISchemaValidator = DeferredSchemaValidator as unknown as SchemaValidator & { deferred: true };
}

/**
 * The request (and optionally response) validator over our parsed document. `dereference` inlines
 * every `$ref` before the validator's preprocessing, which otherwise compiled each referenced schema
 * with ajv only to read it back (a sixth of the start-up); the schemas, and so the answers, are the same.
 */
export function openApiValidator(apiSpec: Record<string, unknown>, options: Omit<Options, 'apiSpec' | 'validateApiSpec' | '$refParser'>): RequestHandler[] {
  memoiseRoutePatterns();
  deferSpecSchemaCompile();
  return OpenApiValidator.middleware({ ...options, apiSpec: apiSpec as never, validateApiSpec: false, $refParser: { mode: 'dereference' } }) as RequestHandler[];
}
