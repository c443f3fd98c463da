import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { datasetInfo, downloadFile, fileDownloadInfo, fileExists, listFiles, modelInfo, parseSafetensorsMetadata, pathsInfo, type ListFileEntry } from '@huggingface/hub';
import { graphql, GraphqlResponseError } from '@octokit/graphql';
import { Octokit } from '@octokit/rest';
import { expect } from 'chai';
import yauzl from 'yauzl';
import { referenceGithubRepos, referenceModels } from '../../support/reference-data';
import { startFakeUpstream, type FakeUpstream } from '../../support/fake-upstream/server';
import { readTar } from '../../support/fake-upstream/tar-reader';
import { readAll } from '../../support/zip-builder';

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
const gitOid = (data: Buffer): string => createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');

async function rejectionOf(promise: Promise<unknown>): Promise<Error & { statusCode?: number; status?: number; response?: { headers: Record<string, string> } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  return expect.fail('expected a rejection, but the promise resolved');
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Waits (without a clock) until the fake has logged a request matching `pattern`. */
async function requestArrived(fake: FakeUpstream, pattern: RegExp): Promise<void> {
  while (!fake.requests.some((request) => pattern.test(request.path))) await new Promise((resolve) => setTimeout(resolve, 1));
}

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const octokitFor = (upstream: FakeUpstream): Octokit => new Octokit({ baseUrl: upstream.githubUrl, log: quiet });

const bytesOf = async (response: Response): Promise<Buffer> => Buffer.from(await response.arrayBuffer());

describe('fake upstream', () => {
  let fake: FakeUpstream;
  let octokit: Octokit;
  const hub = (): { hubUrl: string } => ({ hubUrl: fake.hfUrl });

  before(async () => {
    fake = await startFakeUpstream();
    octokit = octokitFor(fake);
  });
  after(async () => fake.close());
  afterEach(() => fake.reset());

  describe('Hugging Face model info through @huggingface/hub', () => {
    it('when modelInfo asks for a reference model, then it reads the reference downloads, likes, task and date', async () => {
      const reference = referenceModels()['google-bert/bert-base-uncased'];
      const info = await modelInfo({ name: 'google-bert/bert-base-uncased', ...hub() });
      expect(info.name).to.equal('google-bert/bert-base-uncased');
      expect(info.id).to.match(/^[0-9a-f]{24}$/);
      expect(info.downloads).to.equal(reference?.downloads);
      expect(info.likes).to.equal(reference?.likes);
      expect(info.task).to.equal('fill-mask');
      expect(info.gated).to.equal(false);
      expect(info.updatedAt.toISOString()).to.equal(new Date(reference?.last_modified ?? '').toISOString());
    });

    it('when modelInfo asks for additional fields, then the card, config, safetensors and file paths come back', async () => {
      const info = await modelInfo({ name: 'google-bert/bert-base-uncased', additionalFields: ['cardData', 'config', 'safetensors', 'filePaths', 'library_name', 'sha', 'author'], ...hub() });
      expect(info.cardData?.license).to.equal('apache-2.0');
      expect(info.cardData?.datasets).to.deep.equal(['bookcorpus', 'wikipedia']);
      expect(info.config).to.deep.include({ architectures: ['BertForMaskedLM'], model_type: 'bert' });
      expect(info.library_name).to.equal('transformers');
      expect(info.author).to.equal('google-bert');
      expect(info.sha).to.match(/^[0-9a-f]{40}$/);
      expect(info.filePaths).to.include.members(['config.json', 'model.safetensors', 'coreml/fill-mask/float32_model.mlpackage/Manifest.json']);
      const parsed = await parseSafetensorsMetadata({ repo: 'google-bert/bert-base-uncased', computeParametersCount: true, ...hub() });
      expect(info.safetensors?.total).to.equal(Object.values(parsed.parameterCount).reduce((sum, count) => sum + (count ?? 0), 0));
    });

    it('when a sharded checkpoint is parsed, then its index names every shard the fake serves', async () => {
      const parsed = await parseSafetensorsMetadata({ repo: 'google/gemma-2-2b', computeParametersCount: true, accessToken: fake.hfToken, ...hub() });
      expect(parsed.sharded).to.equal(true);
      const info = await modelInfo({ name: 'google/gemma-2-2b', additionalFields: ['safetensors'], ...hub() });
      expect(parsed.parameterCount).to.deep.equal(info.safetensors?.parameters);
    });

    it('when a request names expand keys, then only those keys, _id and id are returned', async () => {
      const response = await fetch(`${fake.hfUrl}/api/models/openai/whisper-tiny/revision/main?expand=likes&expand=pipeline_tag`);
      expect(Object.keys((await response.json()) as object).sort()).to.deep.equal(['_id', 'id', 'likes', 'pipeline_tag']);
    });

    it('when expand names a key the Hub does not know, then it answers 400', async () => {
      const response = await fetch(`${fake.hfUrl}/api/models/openai/whisper-tiny?expand=nonsense`);
      expect(response.status).to.equal(400);
      expect(((await response.json()) as { error: string }).error).to.contain('expand');
    });

    it('when modelInfo uses a legacy id, then the Hub redirect lands on the canonical repository', async () => {
      const info = await modelInfo({ name: 'gpt2', ...hub() });
      expect(info.name).to.equal('openai-community/gpt2');
      expect(fake.requests.map((request) => request.path.split('?')[0])).to.deep.equal(['/hf/api/models/gpt2/revision/HEAD', '/hf/api/models/openai-community/gpt2/revision/HEAD']);
    });

    it('when modelInfo asks for an unknown repository, then it rejects with 404 RepoNotFound', async () => {
      const error = await rejectionOf(modelInfo({ name: 'nobody/nothing', ...hub() }));
      expect(error.statusCode).to.equal(404);
      expect(error.message).to.contain('Repository not found');
    });

    it('when modelInfo asks for a tag, then the sha is the commit the tag points at', async () => {
      const refs = (await (await fetch(`${fake.hfUrl}/api/models/google-bert/bert-base-uncased/refs`)).json()) as { tags: { name: string; targetCommit: string }[]; branches: { name: string }[] };
      expect(refs.branches.map((branch) => branch.name)).to.deep.equal(['main']);
      const tag = refs.tags.find((candidate) => candidate.name === 'v1.0.0');
      const info = await modelInfo({ name: 'google-bert/bert-base-uncased', revision: 'v1.0.0', additionalFields: ['sha'], ...hub() });
      expect(info.sha).to.equal(tag?.targetCommit);
    });

    it('when a revision does not exist, then the Hub answers 404 RevisionNotFound', async () => {
      const response = await fetch(`${fake.hfUrl}/api/models/gpt2/revision/v9.9.9`, { redirect: 'follow' });
      expect(response.status).to.equal(404);
      expect(response.headers.get('x-error-code')).to.equal('RevisionNotFound');
    });

    it('when a model is gated, then its info is public and says how', async () => {
      const info = await modelInfo({ name: 'google/gemma-3-270m', ...hub() });
      expect(info.gated).to.equal('auto');
    });

    it('when the LoRA fixture is read, then card, config and baseModels name its base model', async () => {
      const info = await modelInfo({ name: 'acme-test/tiny-lora', additionalFields: ['cardData', 'config', 'library_name'], ...hub() });
      expect(info.cardData?.base_model).to.equal('google-bert/bert-base-uncased');
      expect(info.config).to.deep.equal({ peft: { base_model_name_or_path: 'google-bert/bert-base-uncased', task_type: 'SEQ_CLS' } });
      expect(info.library_name).to.equal('peft');
    });
  });

  describe('Hugging Face datasets and file listings through @huggingface/hub', () => {
    it('when datasetInfo asks for a legacy dataset name, then it reads the canonical card and citation', async () => {
      const info = await datasetInfo({ name: 'squad', additionalFields: ['cardData', 'citation', 'description', 'tags'], ...hub() });
      expect(info.name).to.equal('rajpurkar/squad');
      expect(info.cardData?.license).to.equal('cc-by-sa-4.0');
      expect(info.citation).to.contain('Rajpurkar');
      expect(info.description).to.contain('Stanford Question Answering Dataset');
      expect(info.tags).to.include('task_categories:question-answering');
    });

    it('when listFiles runs recursively with expand, then files carry oids, sizes, last commits and LFS hashes', async () => {
      const entries = await collect(listFiles({ repo: 'google-bert/bert-base-uncased', recursive: true, expand: true, ...hub() }));
      const reference = referenceModels()['google-bert/bert-base-uncased'];
      expect(entries.filter((entry) => entry.type === 'file').map((entry) => entry.path).sort()).to.deep.equal(reference?.files.map((file) => file.path).sort());
      expect(entries.find((entry) => entry.path === 'coreml')?.type).to.equal('directory');
      const weights = entries.find((entry) => entry.path === 'model.safetensors');
      expect(weights?.lfs?.oid).to.match(/^[0-9a-f]{64}$/);
      expect(weights?.lfs?.size).to.equal(weights?.size);
      expect(weights?.lastCommit?.id).to.match(/^[0-9a-f]{40}$/);
      expect(entries.find((entry) => entry.path === 'config.json')?.lfs).to.equal(undefined);
    });

    it('when every file is downloaded, then sizes, git oids and LFS hashes agree with the listing', async () => {
      const entries = await collect(listFiles({ repo: 'distilbert/distilbert-base-uncased', recursive: true, ...hub() }));
      for (const entry of entries.filter((candidate) => candidate.type === 'file')) {
        const bytes = await bytesOf(await fetch(`${fake.hfUrl}/distilbert/distilbert-base-uncased/resolve/main/${entry.path}`));
        expect(bytes.length, entry.path).to.equal(entry.size);
        if (entry.lfs) expect(sha256(bytes), entry.path).to.equal(entry.lfs.oid);
        else expect(gitOid(bytes), entry.path).to.equal(entry.oid);
      }
    });

    it('when the tree page size is small, then listFiles follows the Link header through every page', async () => {
      const paged = await startFakeUpstream({ treePageSize: 4 });
      try {
        const entries = await collect(listFiles({ repo: 'openai-community/gpt2', recursive: true, hubUrl: paged.hfUrl }));
        const all: ListFileEntry[] = await collect(listFiles({ repo: 'openai-community/gpt2', recursive: true, ...hub() }));
        expect(entries.map((entry) => entry.path)).to.deep.equal(all.map((entry) => entry.path));
        expect(paged.requests.filter((request) => request.path.includes('/tree/'))).to.have.length(Math.ceil(all.length / 4));
      } finally {
        await paged.close();
      }
    });

    it('when listFiles names a folder without recursion, then only that folder’s children come back', async () => {
      const entries = await collect(listFiles({ repo: 'openai-community/gpt2', path: 'onnx', ...hub() }));
      expect(entries.length).to.be.greaterThan(3);
      expect(entries.every((entry) => entry.path.startsWith('onnx/') && !entry.path.slice(5).includes('/'))).to.equal(true);
    });

    it('when a dataset is listed, then its parquet files are LFS files', async () => {
      const entries = await collect(listFiles({ repo: { type: 'dataset', name: 'rajpurkar/squad' }, recursive: true, ...hub() }));
      const parquet = entries.filter((entry) => entry.path.endsWith('.parquet'));
      expect(parquet).to.have.length(2);
      expect(parquet.every((entry) => entry.lfs !== undefined)).to.equal(true);
    });

    it('when pathsInfo asks for existing and missing paths, then only existing ones come back', async () => {
      const infos = await pathsInfo({ repo: 'openai/whisper-tiny', paths: ['config.json', 'missing.bin', 'model.safetensors'], ...hub() });
      expect(infos.map((info) => info.path)).to.deep.equal(['config.json', 'model.safetensors']);
      expect(infos[1]?.lfs?.size).to.be.greaterThan(0);
    });
  });

  describe('Hugging Face file downloads', () => {
    it('when a git file is probed with Range bytes=0-0, then 206 carries its size and its git oid as ETag', async () => {
      const entries = await collect(listFiles({ repo: 'openai/whisper-tiny', ...hub() }));
      const config = entries.find((entry) => entry.path === 'config.json');
      const response = await fetch(`${fake.hfUrl}/openai/whisper-tiny/resolve/main/config.json`, { headers: { Range: 'bytes=0-0' } });
      expect(response.status).to.equal(206);
      expect(response.headers.get('content-range')).to.equal(`bytes 0-0/${config?.size}`);
      expect(response.headers.get('etag')).to.equal(`"${config?.oid}"`);
      expect(response.headers.get('accept-ranges')).to.equal('bytes');
      expect((await bytesOf(response)).length).to.equal(1);
    });

    it('when an LFS file is resolved without following redirects, then a 302 to the CDN carries X-Linked headers', async () => {
      const [info] = await pathsInfo({ repo: 'openai/whisper-tiny', paths: ['model.safetensors'], ...hub() });
      const response = await fetch(`${fake.hfUrl}/openai/whisper-tiny/resolve/main/model.safetensors`, { redirect: 'manual' });
      expect(response.status).to.equal(302);
      expect(new URL(response.headers.get('location') ?? '').pathname).to.equal(`/hf/cdn/${info?.lfs?.oid}`);
      expect(response.headers.get('x-linked-size')).to.equal(String(info?.lfs?.size));
      expect(response.headers.get('x-linked-etag')).to.equal(`"${info?.lfs?.oid}"`);
      expect(response.headers.get('x-repo-commit')).to.match(/^[0-9a-f]{40}$/);
    });

    it('when an LFS file is downloaded through the redirect, then the bytes hash to its LFS oid', async () => {
      const info = await fileDownloadInfo({ repo: 'openai/whisper-tiny', path: 'model.safetensors', ...hub() });
      const blob = await downloadFile({ repo: 'openai/whisper-tiny', path: 'model.safetensors', ...hub() });
      if (!blob) return expect.fail('downloadFile found no file');
      const bytes = Buffer.from(await blob.arrayBuffer());
      expect(bytes.length).to.equal(info?.size);
      expect(`"${sha256(bytes)}"`).to.equal(info?.etag);
    });

    it('when a file is requested with HEAD, then Content-Length is its size and no body follows', async () => {
      const response = await fetch(`${fake.hfUrl}/openai/whisper-tiny/resolve/main/config.json`, { method: 'HEAD' });
      const full = await bytesOf(await fetch(`${fake.hfUrl}/openai/whisper-tiny/resolve/main/config.json`));
      expect(response.status).to.equal(200);
      expect(response.headers.get('content-length')).to.equal(String(full.length));
      expect(JSON.parse(full.toString('utf8'))).to.include({ model_type: 'whisper' });
    });

    it('when an LFS file is read through raw, then the LFS pointer is served', async () => {
      const text = await (await fetch(`${fake.hfUrl}/openai/whisper-tiny/raw/main/model.safetensors`)).text();
      expect(text).to.match(/^version https:\/\/git-lfs\.github\.com\/spec\/v1\noid sha256:[0-9a-f]{64}\nsize \d+\n$/);
    });

    it('when a file does not exist, then 404 EntryNotFound, fileDownloadInfo null and fileExists false', async () => {
      const response = await fetch(`${fake.hfUrl}/openai/whisper-tiny/resolve/main/nope.bin`);
      expect(response.status).to.equal(404);
      expect(response.headers.get('x-error-code')).to.equal('EntryNotFound');
      expect(await fileDownloadInfo({ repo: 'openai/whisper-tiny', path: 'nope.bin', ...hub() })).to.equal(null);
      expect(await fileExists({ repo: 'openai/whisper-tiny', path: 'nope.bin', ...hub() })).to.equal(false);
      expect(await fileExists({ repo: 'openai/whisper-tiny', path: 'config.json', ...hub() })).to.equal(true);
    });

    it('when a range starts beyond the end, then 416 names the size', async () => {
      const response = await fetch(`${fake.hfUrl}/openai/whisper-tiny/resolve/main/config.json`, { headers: { Range: 'bytes=999999-' } });
      expect(response.status).to.equal(416);
      expect(response.headers.get('content-range')).to.match(/^bytes \*\/\d+$/);
    });

    it('when If-None-Match repeats the ETag, then 304', async () => {
      const first = await fetch(`${fake.hfUrl}/openai/whisper-tiny/resolve/main/config.json`);
      await first.arrayBuffer();
      const second = await fetch(`${fake.hfUrl}/openai/whisper-tiny/resolve/main/config.json`, { headers: { 'If-None-Match': first.headers.get('etag') ?? '' } });
      expect(second.status).to.equal(304);
    });

    it('when a gated file is requested without, with a wrong and with the right token, then 401, 403, then the file', async () => {
      const url = `${fake.hfUrl}/google/gemma-3-270m/resolve/main/config.json`;
      const anonymous = await fetch(url);
      expect(anonymous.status).to.equal(401);
      expect(anonymous.headers.get('x-error-code')).to.equal('GatedRepo');
      expect((await fetch(url, { headers: { Authorization: 'Bearer hf_wrong' } })).status).to.equal(403);
      expect((await fetch(url, { headers: { Authorization: `Bearer ${fake.hfToken}` } })).status).to.equal(200);
      expect((await fetch(`${fake.hfUrl}/google/gemma-3-270m/resolve/main/README.md`)).status).to.equal(200);
    });

    it('when LFS redirects go to a foreign origin, then the Location leaves the upstream and that server serves the bytes', async () => {
      fake.setLfsRedirect('foreign');
      const manual = await fetch(`${fake.hfUrl}/openai/whisper-tiny/resolve/main/model.safetensors`, { redirect: 'manual' });
      expect(new URL(manual.headers.get('location') ?? '').origin).to.equal(fake.foreignUrl);
      const followed = await fetch(`${fake.hfUrl}/openai/whisper-tiny/resolve/main/model.safetensors`);
      expect(sha256(await bytesOf(followed))).to.equal(/[0-9a-f]{64}/.exec(manual.headers.get('location') ?? '')?.[0]);
      expect(fake.requests.filter((request) => request.server === 'foreign')).to.have.length(1);
    });

    it('when LFS redirects are off, then resolve serves the LFS bytes itself with X-Linked headers', async () => {
      fake.setLfsRedirect('none');
      const response = await fetch(`${fake.hfUrl}/openai/whisper-tiny/resolve/main/model.safetensors`, { redirect: 'manual' });
      const bytes = await bytesOf(response);
      expect(response.status).to.equal(200);
      expect(response.headers.get('x-linked-etag')).to.equal(`"${sha256(bytes)}"`);
    });
  });

  describe('GitHub through @octokit/rest', () => {
    const owner = 'openai';
    const repo = 'whisper';

    it('when repos.get asks for a reference repository, then the fields mirror the reference', async () => {
      const reference = referenceGithubRepos()['google-research/bert'];
      const { data } = await octokit.rest.repos.get({ owner: 'google-research', repo: 'bert' });
      expect(data.full_name).to.equal('google-research/bert');
      expect(data.stargazers_count).to.equal(reference?.stars);
      expect(data.forks_count).to.equal(reference?.forks);
      expect(data.default_branch).to.equal('master');
      expect(data.archived).to.equal(true);
      expect(data.topics).to.deep.equal(reference?.topics);
      expect(data.license?.spdx_id).to.equal('Apache-2.0');
    });

    it('when every response arrives, then it carries the core rate-limit headers', async () => {
      const first = await octokit.rest.repos.get({ owner, repo });
      const second = await octokit.rest.repos.get({ owner, repo });
      expect(first.headers['x-ratelimit-resource']).to.equal('core');
      expect(Number(first.headers['x-ratelimit-remaining']) - Number(second.headers['x-ratelimit-remaining'])).to.equal(1);
      expect(Number(second.headers['x-ratelimit-reset'])).to.be.greaterThan(0);
    });

    it('when licenses.getForRepo reads a repository, then the base64 content is the reference LICENSE', async () => {
      const { data } = await octokit.rest.licenses.getForRepo({ owner, repo });
      expect(data.license?.spdx_id).to.equal('MIT');
      expect(data.encoding).to.equal('base64');
      expect(Buffer.from(data.content, 'base64').toString('utf8')).to.equal(referenceGithubRepos()['openai/whisper']?.doc_texts.LICENSE);
    });

    it('when a licence is not recognised or absent, then NOASSERTION, or 404', async () => {
      const { data } = await octokit.rest.licenses.getForRepo({ owner: 'openai', repo: 'gpt-2' });
      expect(data.license).to.deep.include({ key: 'other', spdx_id: 'NOASSERTION' });
      const error = await rejectionOf(octokit.rest.licenses.getForRepo({ owner: 'kabirraymalik', repo: 'gello-bimanual-ur3' }));
      expect(error.status).to.equal(404);
      expect((await octokit.rest.repos.get({ owner: 'kabirraymalik', repo: 'gello-bimanual-ur3' })).data.license).to.equal(null);
    });

    it('when repos.getReadme reads a repository, then it decodes to the reference README', async () => {
      const { data } = await octokit.rest.repos.getReadme({ owner, repo });
      expect(Buffer.from(data.content, 'base64').toString('utf8')).to.equal(referenceGithubRepos()['openai/whisper']?.readme_text);
    });

    it('when a repository has no README at its root, then getReadme rejects with 404', async () => {
      const error = await rejectionOf(octokit.rest.repos.getReadme({ owner: 'kabirraymalik', repo: 'gello-bimanual-ur3' }));
      expect(error.status).to.equal(404);
    });

    it('when tags and contributors are listed, then tags point at commits and counts follow the reference', async () => {
      const { data: tags } = await octokit.rest.repos.listTags({ owner, repo });
      expect(tags.map((tag) => tag.name)).to.include('v20231117');
      const contributors = await octokit.paginate(octokit.rest.repos.listContributors, { owner: 'google-research', repo: 'bert', per_page: 100 });
      expect(contributors[0]).to.include({ login: 'jacobdevlin-google', contributions: 65 });
      expect(contributors.some((row) => row.type === 'Anonymous')).to.equal(false);
      const withAnonymous = await octokit.paginate(octokit.rest.repos.listContributors, { owner: 'google-research', repo: 'bert', anon: '1', per_page: 100 });
      expect(withAnonymous.length).to.equal(Object.keys(referenceGithubRepos()['google-research/bert']?.contributors ?? {}).length);
    });

    it('when commits are paginated, then every contribution is a commit, newest first', async () => {
      const first = await octokit.rest.repos.listCommits({ owner, repo, per_page: 50 });
      expect(first.headers.link).to.contain('rel="next"');
      const commits = await octokit.paginate(octokit.rest.repos.listCommits, { owner, repo, per_page: 50 });
      const expected = Object.values(referenceGithubRepos()['openai/whisper']?.contributors ?? {}).reduce((sum, count) => sum + count, 0);
      expect(commits).to.have.length(expected);
      const dates = commits.map((commit) => Date.parse(commit.commit.author?.date ?? ''));
      expect(dates).to.deep.equal([...dates].sort((a, b) => b - a));
    });

    it('when pull requests are listed, then merged ones name a squash commit of the history', async () => {
      const pulls = await octokit.paginate(octokit.rest.pulls.list, { owner, repo, state: 'all', per_page: 100 });
      const commits = await octokit.paginate(octokit.rest.repos.listCommits, { owner, repo, per_page: 100 });
      const merged = pulls.filter((pull) => pull.merged_at !== null);
      expect(pulls).to.have.length(24);
      expect(merged.length).to.be.within(1, 23);
      for (const pull of merged) {
        const commit = commits.find((candidate) => candidate.sha === pull.merge_commit_sha);
        expect(commit?.commit.message, `#${pull.number}`).to.match(new RegExp(`\\(#${pull.number}\\)$`));
      }
      const closed = await octokit.rest.pulls.list({ owner, repo, state: 'closed', per_page: 100 });
      expect(closed.data.every((pull) => pull.state === 'closed')).to.equal(true);
    });

    it('when reviews are listed, then some pull requests are approved and some have no review', async () => {
      const pulls = await octokit.paginate(octokit.rest.pulls.list, { owner, repo, state: 'all', per_page: 100 });
      const reviews = await Promise.all(pulls.map(async (pull) => (await octokit.rest.pulls.listReviews({ owner, repo, pull_number: pull.number })).data));
      expect(reviews.some((list) => list.length === 0)).to.equal(true);
      expect(reviews.some((list) => list.some((review) => review.state === 'APPROVED'))).to.equal(true);
      expect(reviews.some((list) => list.some((review) => review.state === 'CHANGES_REQUESTED'))).to.equal(true);
      const unreviewed = await octokit.paginate(octokit.rest.pulls.list, { owner: 'google-deepmind', repo: 'bbeh', state: 'all' });
      const bbehReviews = await Promise.all(unreviewed.map(async (pull) => (await octokit.rest.pulls.listReviews({ owner: 'google-deepmind', repo: 'bbeh', pull_number: pull.number })).data));
      expect(bbehReviews.flat()).to.deep.equal([]);
    });

    it('when pull request files are listed, then they are repository files with consistent counts', async () => {
      const [pull] = (await octokit.rest.pulls.list({ owner, repo, state: 'all', per_page: 1 })).data;
      const { data: files } = await octokit.rest.pulls.listFiles({ owner, repo, pull_number: pull?.number ?? 0 });
      const { data: tree } = await octokit.rest.git.getTree({ owner, repo, tree_sha: 'main', recursive: '1' });
      expect(files.length).to.be.greaterThan(0);
      for (const file of files) {
        expect(tree.tree.map((entry) => entry.path)).to.include(file.filename);
        expect(file.changes).to.equal(file.additions + file.deletions);
      }
    });

    it('when git.getTree is recursive, then it lists the reference files with blob shas of their contents', async () => {
      const { data } = await octokit.rest.git.getTree({ owner: 'google-research', repo: 'bert', tree_sha: 'master', recursive: '1' });
      const reference = referenceGithubRepos()['google-research/bert'];
      expect(data.truncated).to.equal(false);
      expect(data.tree.map((entry) => entry.path).sort()).to.deep.equal(reference?.files_index.map((file) => file.path).sort());
      const { data: readme } = await octokit.rest.repos.getReadme({ owner: 'google-research', repo: 'bert' });
      expect(data.tree.find((entry) => entry.path === 'README.md')?.sha).to.equal(readme.sha);
    });

    it('when a zipball is downloaded, then Octokit follows the redirect to a zip of the repository', async () => {
      const response = await octokit.rest.repos.downloadZipballArchive({ owner, repo, ref: 'main' });
      expect(new URL(response.url).pathname).to.equal('/github/codeload/openai/whisper/zip/main');
      const zip = await yauzl.fromBufferPromise(Buffer.from(response.data as ArrayBuffer));
      const files = new Map<string, Buffer>();
      for await (const entry of zip.eachEntry()) if (!entry.fileName.endsWith('/')) files.set(entry.fileName, await readAll(await zip.openReadStreamPromise(entry)));
      const root = [...files.keys()][0]?.split('/')[0] ?? '';
      expect(root).to.match(/^openai-whisper-[0-9a-f]{7}$/);
      expect(files.get(`${root}/README.md`)?.toString('utf8')).to.equal(referenceGithubRepos()['openai/whisper']?.readme_text);
      expect(files.size).to.equal(referenceGithubRepos()['openai/whisper']?.files_index.filter((file) => file.type === 'blob').length);
    });

    it('when a tarball is downloaded, then it is a gzipped tar with the commit in the pax header', async () => {
      const response = await octokit.rest.repos.downloadTarballArchive({ owner: 'google-research', repo: 'big_vision', ref: 'main' });
      const { entries, globalRecords } = readTar(gunzipSync(Buffer.from(response.data as ArrayBuffer)));
      const { data: commits } = await octokit.rest.repos.listCommits({ owner: 'google-research', repo: 'big_vision', per_page: 1 });
      expect(globalRecords.comment).to.equal(commits[0]?.sha);
      const files = entries.filter((entry) => entry.type === '0');
      expect(files).to.have.length(referenceGithubRepos()['google-research/big_vision']?.files_index.filter((file) => file.type === 'blob').length ?? -1);
      expect(files.every((entry) => /^google-research-big_vision-[0-9a-f]{7}\//.test(entry.path))).to.equal(true);
    });

    it('when a repository has moved, then the 301 is followed to its new name', async () => {
      const { data } = await octokit.rest.repos.get({ owner: 'google', repo: 'jax' });
      expect(data.full_name).to.equal('jax-ml/jax');
    });

    it('when a repository does not exist, then 404 with GitHub’s message and documentation_url', async () => {
      const error = await rejectionOf(octokit.rest.repos.get({ owner: 'nobody', repo: 'nothing' }));
      expect(error.status).to.equal(404);
      expect(error.message).to.contain('Not Found');
      expect(error.message).to.contain('https://docs.github.com/');
    });

    it('when the core budget is spent, then GitHub answers 403 with remaining 0', async () => {
      const limited = await startFakeUpstream({ githubRateLimit: 1 });
      try {
        const client = octokitFor(limited);
        await client.rest.repos.get({ owner, repo });
        const error = await rejectionOf(client.rest.repos.get({ owner, repo }));
        expect(error.status).to.equal(403);
        expect(error.response?.headers['x-ratelimit-remaining']).to.equal('0');
      } finally {
        await limited.close();
      }
    });
  });

  describe('GitHub GraphQL and commit stats', () => {
    const gql = () => graphql.defaults({ baseUrl: fake.githubUrl, headers: { authorization: 'token ghp_fake' } });

    it('when a commit is read by sha, then its stats and changed files are the ones its history says', async () => {
      const repo = fake.fixtures.githubRepos.get('openai/whisper');
      const commit = repo?.commits[3];
      const { data } = await octokit.rest.repos.getCommit({ owner: 'openai', repo: 'whisper', ref: commit?.sha ?? '' });

      expect(data.stats?.additions).to.equal(commit?.files.reduce((sum, file) => sum + file.additions, 0));
      expect(data.files?.map((file) => file.filename)).to.deep.equal(commit?.files.map((file) => file.filename));
    });

    it('when the history is queried, then only the asked fields come back, paged with a cursor', async () => {
      const query = 'query($after: String) { repository(owner: "openai", name: "whisper") { ref(qualifiedName: "main") { target { ... on Commit { history(first: 2, after: $after) { pageInfo { hasNextPage endCursor } nodes { oid additions } } } } } } }';
      type Page = { repository: { ref: { target: { history: { pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: { oid: string; additions: number }[] } } } } };
      const first = await gql()<Page>(query, { after: null });
      const second = await gql()<Page>(query, { after: first.repository.ref.target.history.pageInfo.endCursor });
      const commits = fake.fixtures.githubRepos.get('openai/whisper')?.commits ?? [];

      expect(first.repository.ref.target.history.nodes.map((node) => Object.keys(node))).to.deep.equal([['oid', 'additions'], ['oid', 'additions']]);
      expect([...first.repository.ref.target.history.nodes, ...second.repository.ref.target.history.nodes].map((node) => node.oid)).to.deep.equal(commits.slice(0, 4).map((commit) => commit.sha));
    });

    it('when a field does not exist, the repository is unknown, or no token is sent, then GitHub\'s own errors come back', async () => {
      const unknownField = await rejectionOf(gql()('{ repository(owner: "openai", name: "whisper") { stargazers } }'));
      const unknownRepo = await rejectionOf(gql()('{ repository(owner: "nobody", name: "nothing") { nameWithOwner } }'));
      const anonymous = await fetch(`${fake.githubUrl}/graphql`, { method: 'POST', body: JSON.stringify({ query: '{ rateLimit { remaining } }' }) });

      expect(unknownField).to.be.instanceOf(GraphqlResponseError);
      expect(unknownField.message).to.contain("Field 'stargazers' doesn't exist on type 'Repository'");
      expect((unknownRepo as unknown as GraphqlResponseError<unknown>).errors?.[0]).to.include({ type: 'NOT_FOUND' });
      expect(anonymous.status).to.equal(401);
    });
  });

  describe('fault injection', () => {
    const configUrl = (): string => `${fake.hfUrl}/openai/whisper-tiny/resolve/main/config.json`;

    it('when a 503 is injected twice, then two requests fail and the third succeeds', async () => {
      const fault = fake.inject({ match: /whisper-tiny\/resolve/, times: 2, fault: { status: 503 } });
      const statuses = [];
      for (let attempt = 0; attempt < 3; attempt += 1) statuses.push((await fetch(configUrl())).status);
      expect(statuses).to.deep.equal([503, 503, 200]);
      expect(fault.hits).to.equal(2);
    });

    it('when the Hub is rate limited, then 429 carries Retry-After', async () => {
      fake.inject({ match: /\/api\/models\//, fault: { status: 429, retryAfterSeconds: 7 } });
      const error = await rejectionOf(modelInfo({ name: 'openai/whisper-tiny', ...hub() }));
      expect(error.statusCode).to.equal(429);
      const response = await fetch(`${fake.hfUrl}/api/models/openai/whisper-tiny`);
      expect(response.headers.get('retry-after')).to.equal('7');
    });

    it('when GitHub is rate limited, then 403 says remaining 0 and a reset from the fake’s clock', async () => {
      const clocked = await startFakeUpstream({ now: () => Date.UTC(2025, 0, 1) });
      try {
        clocked.inject({ match: (request) => request.path.startsWith('/github/repos/'), times: 1, fault: { status: 403, retryAfterSeconds: 60 } });
        const error = await rejectionOf(octokitFor(clocked).rest.repos.get({ owner: 'openai', repo: 'whisper' }));
        expect(error.status).to.equal(403);
        expect(error.response?.headers['x-ratelimit-remaining']).to.equal('0');
        expect(error.response?.headers['x-ratelimit-reset']).to.equal(String(Date.UTC(2025, 0, 1) / 1000 + 60));
      } finally {
        await clocked.close();
      }
    });

    it('when a request hangs, then only the caller’s abort ends it', async () => {
      fake.inject({ match: /config\.json$/, fault: { hang: true } });
      const controller = new AbortController();
      const pending = fetch(configUrl(), { signal: controller.signal });
      await requestArrived(fake, /config\.json$/);
      controller.abort();
      expect((await rejectionOf(pending)).name).to.equal('AbortError');
    });

    it('when the fake closes with a request hanging, then the caller sees the connection drop', async () => {
      const closing = await startFakeUpstream();
      closing.inject({ match: /./, fault: { hang: true } });
      const pending = fetch(`${closing.githubUrl}/repos/openai/whisper`);
      await requestArrived(closing, /whisper/);
      await closing.close();
      expect(await rejectionOf(pending)).to.be.instanceOf(TypeError);
    });

    it('when a download is truncated, then the full Content-Length arrives and the body fails', async () => {
      const fault = fake.inject({ match: /model\.safetensors/, times: 1, fault: { truncateAfterBytes: 100 } });
      const response = await fetch(`${fake.hfUrl}/openai/whisper-tiny/resolve/main/model.safetensors`);
      expect(Number(response.headers.get('content-length'))).to.be.greaterThan(100);
      await rejectionOf(response.arrayBuffer());
      expect(fault.hits).to.equal(1);
    });

    it('when a body is corrupted, then the length is right and the LFS hash is not', async () => {
      const info = await fileDownloadInfo({ repo: 'openai/whisper-tiny', path: 'model.safetensors', ...hub() });
      fake.inject({ match: /model\.safetensors/, times: 1, fault: { corruptBody: true } });
      const bytes = await bytesOf(await fetch(`${fake.hfUrl}/openai/whisper-tiny/resolve/main/model.safetensors`));
      expect(bytes.length).to.equal(info?.size);
      expect(`"${sha256(bytes)}"`).not.to.equal(info?.etag);
    });

    it('when a delay is injected, then the answer still arrives intact', async () => {
      const fault = fake.inject({ match: /config\.json$/, times: 1, fault: { delayMs: 20 } });
      const response = await fetch(configUrl());
      expect(response.status).to.equal(200);
      expect(JSON.parse(await response.text())).to.include({ model_type: 'whisper' });
      expect(fault.hits).to.equal(1);
    });

    it('when reset runs, then faults and the request log are gone', async () => {
      fake.inject({ match: /./, fault: { status: 500 } });
      await fetch(configUrl());
      fake.reset();
      expect(fake.requests).to.deep.equal([]);
      expect((await fetch(configUrl())).status).to.equal(200);
    });

    it('when a request carries a token, then the log records its method, path and headers', async () => {
      await fetch(configUrl(), { headers: { Authorization: 'Bearer hf_logged' } });
      expect(fake.requests).to.have.length(1);
      expect(fake.requests[0]).to.deep.include({ method: 'GET', path: '/hf/openai/whisper-tiny/resolve/main/config.json', server: 'upstream' });
      expect(fake.requests[0]?.headers.authorization).to.equal('Bearer hf_logged');
    });
  });

  describe('runtime fixtures', () => {
    it('when a model is added, then the Hub serves it and another fake does not', async () => {
      const other = await startFakeUpstream();
      try {
        fake.addModel({ id: 'acme-test/added', cardYaml: 'license: mit', readme: '# added', files: [{ path: 'weights.bin', content: Buffer.alloc(64, 7) }], gitTags: ['v1.0.0'] });
        const entries = await collect(listFiles({ repo: 'acme-test/added', ...hub() }));
        expect(entries.map((entry) => entry.path)).to.deep.equal(['README.md', 'weights.bin']);
        expect(entries[1]?.lfs?.oid).to.equal(sha256(Buffer.alloc(64, 7)));
        expect((await modelInfo({ name: 'acme-test/added', additionalFields: ['cardData'], ...hub() })).cardData?.license).to.equal('mit');
        expect((await rejectionOf(modelInfo({ name: 'acme-test/added', hubUrl: other.hfUrl }))).statusCode).to.equal(404);
      } finally {
        await other.close();
      }
    });

    it('when an added model has a broken card and broken weights, then its info answers without cardData or safetensors', async () => {
      fake.addModel({ id: 'acme-test/broken', cardYaml: 'license: [unclosed', readme: '# broken', files: [{ path: 'model.safetensors', content: Buffer.from('not a safetensors file') }] });
      const info = await modelInfo({ name: 'acme-test/broken', additionalFields: ['cardData', 'safetensors', 'filePaths'], ...hub() });
      expect(info.cardData).to.deep.equal({});
      expect(info.safetensors).to.equal(undefined);
      expect(info.filePaths).to.deep.equal(['README.md', 'model.safetensors']);
    });
  });
});
