import { createHash } from 'node:crypto';
import { expect } from 'chai';
import type { FakeUpstream } from '../fake-upstream/server';
import { wellFormedWeights } from '../fake-upstream/weights';
import { tinyPackage } from '../hf-packages';
import type { ApiResponse } from '../test-registry';
import type { Client, FaultPath } from './fault-sweep';

/*
 * The registry's write and read paths as fault sweeps see them. Each starts from a registry holding
 * none of its artifacts and returns to it; the transaction path joins them as one more FaultPath.
 */

interface Artifact {
  metadata: { id: string; name: string; type: string };
}
interface Details {
  package: { sha256: string; parts: Record<string, { sha256: string }> };
}

const isPresent = async (client: Client, name: string): Promise<boolean> => (await client.request('GET', `/artifact/byName/${name}`)).status === 200;

async function idOf(client: Client, name: string): Promise<string> {
  const found = await client.request<{ id: string }[]>('GET', `/artifact/byName/${name}`);
  expect(found.status, `${name} is registered`).to.equal(200);
  const [first] = found.body;
  if (first === undefined) throw new Error(`${name} is not registered`);
  return first.id;
}

async function removeByName(client: Client, name: string, type = 'model'): Promise<void> {
  const id = await idOf(client, name);
  expect((await client.request('DELETE', `/artifacts/${type}/${id}`)).status, `${name} is deleted`).to.equal(200);
}

async function blobsOf(client: Client, id: string): Promise<string[]> {
  const details = await client.request<Details>('GET', `/artifacts/model/${id}/details`);
  expect(details.status).to.equal(200);
  return [...new Set([details.body.package.sha256, ...Object.values(details.body.package.parts).map((part) => part.sha256)])];
}

async function uploaded(client: Client, name: string, zip: Buffer): Promise<string> {
  const response = await client.request<Artifact>('POST', `/artifact/model?name=${name}`, { body: zip, contentType: 'application/zip' });
  expect(response.status, response.raw.toString()).to.equal(201);
  return response.body.metadata.id;
}

/** POST /artifact/model with the zip as the body. */
export async function uploadZipPath(): Promise<FaultPath<{ name: string }>> {
  const zip = await tinyPackage('fault-upload');
  const name = 'fault-upload';
  return {
    name: 'upload (zip body)',
    audit: ['CREATE'],
    setup: async () => ({ name }),
    act: async (client) => [await client.request('POST', `/artifact/model?name=${name}`, { body: zip, contentType: 'application/zip' })],
    applied: (client) => isPresent(client, name),
    teardown: (client) => removeByName(client, name),
  };
}

/** POST /artifact/dataset as multipart form data. */
export async function uploadMultipartPath(): Promise<FaultPath<{ name: string }>> {
  const zip = await tinyPackage('fault-form');
  const name = 'fault-form';
  return {
    name: 'upload (multipart)',
    audit: ['CREATE'],
    setup: async () => ({ name }),
    act: async (client) => {
      const form = new FormData();
      form.append('file', new Blob([zip]), 'fault-form.zip');
      form.append('name', name);
      form.append('version', '1.0.0');
      return [await client.request('POST', '/artifact/dataset', { body: form })];
    },
    applied: (client) => isPresent(client, name),
    teardown: (client) => removeByName(client, name, 'dataset'),
  };
}

/**
 * POST /artifact/model {url} for a small model added to the fake Hugging Face, whose card names a
 * dataset (looked up among registered artifacts, then on the Hub) and a base model (lineage).
 */
export function ingestUrlPath(fake: FakeUpstream): FaultPath<{ name: string }> {
  const name = 'tiny-faults';
  fake.addModel({
    id: `acme-faults/${name}`,
    cardYaml: 'license: mit\ndatasets:\n- rajpurkar/squad\nbase_model: google-bert/bert-base-uncased',
    readme: `\n# ${name}\n\nA small model for fault sweeps.\n`,
    files: [
      { path: 'config.json', content: Buffer.from(JSON.stringify({ model_type: 'bert', hidden_size: 32 })) },
      { path: 'model.safetensors', content: wellFormedWeights('model.safetensors', Buffer.alloc(512, 3)) },
    ],
  });
  const url = `https://huggingface.co/acme-faults/${name}`;
  return {
    name: `ingest by URL (${url})`,
    audit: ['CREATE'],
    setup: async () => ({ name }),
    act: async (client) => [await client.request('POST', '/artifact/model', { json: { url } })],
    applied: (client) => isPresent(client, name),
    teardown: (client) => removeByName(client, name),
  };
}

interface Existing {
  readonly id: string;
  readonly blobs: string[];
}

/** PUT /artifacts/model/{id} with a new zip; the old package is released best-effort. */
export async function replacePath(): Promise<FaultPath<Existing>> {
  const before = await tinyPackage('fault-replace-1');
  const after = await tinyPackage('fault-replace-2');
  const name = 'fault-replace';
  return {
    name: 'replace (PUT zip)',
    audit: ['UPDATE'],
    setup: async (client) => {
      const id = await uploaded(client, name, before);
      return { id, blobs: await blobsOf(client, id) };
    },
    act: async (client, state) => [await client.request('PUT', `/artifacts/model/${state.id}?name=${name}`, { body: after, contentType: 'application/zip' })],
    applied: async (client, state) => (await blobsOf(client, state.id)).some((sha) => !state.blobs.includes(sha)),
    released: (state) => state.blobs,
    teardown: async (client, state) => {
      expect((await client.request('DELETE', `/artifacts/model/${state.id}`)).status).to.equal(200);
    },
  };
}

/** DELETE /artifacts/model/{id}; the package is released best-effort. */
export async function deletePath(): Promise<FaultPath<Existing>> {
  const zip = await tinyPackage('fault-delete');
  const name = 'fault-delete';
  return {
    name: 'delete',
    audit: ['DELETE'],
    setup: async (client) => {
      const id = await uploaded(client, name, zip);
      return { id, blobs: await blobsOf(client, id) };
    },
    act: async (client, state) => [await client.request('DELETE', `/artifacts/model/${state.id}`)],
    applied: async (client, state) => (await client.request('GET', `/artifacts/model/${state.id}`)).status === 404,
    released: (state) => state.blobs,
    teardown: async () => undefined,
  };
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** Every 200 carries exactly the uploaded bytes (the whole package is the zip as uploaded), redirected to S3 or not. */
function expectIntact(response: ApiResponse, zip: Buffer): void {
  if (response.status !== 200) return;
  expect(sha256(response.raw), 'downloaded bytes are the uploaded package').to.equal(sha256(zip));
}

/** GET /artifacts/model/{id}/download: a read, audited as DOWNLOAD. */
export async function downloadPath(): Promise<FaultPath<Existing>> {
  const zip = await tinyPackage('fault-download');
  const name = 'fault-download';
  return {
    name: 'download',
    audit: ['DOWNLOAD'],
    setup: async (client) => ({ id: await uploaded(client, name, zip), blobs: [] }),
    act: async (client, state) => {
      const response = await client.request('GET', `/artifacts/model/${state.id}/download`);
      expectIntact(response, zip);
      return [response];
    },
    applied: async (client, state) => {
      const trail = await client.request<{ action: string }[]>('GET', `/artifact/model/${state.id}/audit`);
      return trail.body.some((entry) => entry.action === 'DOWNLOAD');
    },
    teardown: async (client, state) => {
      expect((await client.request('DELETE', `/artifacts/model/${state.id}`)).status).to.equal(200);
    },
  };
}

interface Release {
  readonly transaction: string;
  readonly replaced: Existing;
  readonly removed: Existing;
}

/**
 * POST /transactions/{id}/commit of a release staged with faults off: a new model, a replacement and
 * a deletion. Committed whole or not at all; the replaced and deleted packages are released best-effort.
 */
export async function transactionPath(): Promise<FaultPath<Release>> {
  const [kept, newer, gone, added] = await Promise.all(['fault-txn-kept-1', 'fault-txn-kept-2', 'fault-txn-gone', 'fault-txn-new'].map((name) => tinyPackage(name)));
  const status = async (client: Client, state: Release) => ({
    added: await isPresent(client, 'fault-txn-new'),
    replaced: (await blobsOf(client, state.replaced.id)).some((sha) => !state.replaced.blobs.includes(sha)),
    removed: (await client.request('GET', `/artifacts/model/${state.removed.id}`)).status === 404,
  });
  return {
    name: 'transaction commit (create, replace, delete)',
    audit: ['CREATE', 'UPDATE', 'DELETE'],
    setup: async (client) => {
      const keptId = await uploaded(client, 'fault-txn-kept', kept as Buffer);
      const goneId = await uploaded(client, 'fault-txn-gone', gone as Buffer);
      const opened = await client.request<{ id: string }>('POST', '/transactions');
      expect(opened.status, opened.raw.toString()).to.equal(201);
      const transaction = opened.body.id;
      const staged = [
        await client.request('POST', `/transactions/${transaction}/artifact/model?name=fault-txn-new`, { body: added, contentType: 'application/zip' }),
        await client.request('PUT', `/transactions/${transaction}/artifacts/model/${keptId}?name=fault-txn-kept`, { body: newer, contentType: 'application/zip' }),
        await client.request('DELETE', `/transactions/${transaction}/artifacts/model/${goneId}`),
      ];
      staged.forEach((response) => expect(response.status, response.raw.toString()).to.equal(202));
      return { transaction, replaced: { id: keptId, blobs: await blobsOf(client, keptId) }, removed: { id: goneId, blobs: await blobsOf(client, goneId) } };
    },
    act: async (client, state) => [await client.request('POST', `/transactions/${state.transaction}/commit`)],
    applied: async (client, state) => {
      const seen = await status(client, state);
      const parts = Object.values(seen);
      expect(parts.every((part) => part) || parts.every((part) => !part), `the group is whole or absent: ${JSON.stringify(seen)}`).to.equal(true);
      return seen.added;
    },
    released: (state) => [...state.replaced.blobs, ...state.removed.blobs],
    teardown: async (client, state) => {
      for (const id of [state.replaced.id, await idOf(client, 'fault-txn-new')]) {
        expect((await client.request('DELETE', `/artifacts/model/${id}`)).status).to.equal(200);
      }
    },
  };
}
