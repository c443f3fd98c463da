import yazl from 'yazl';
import { jsonResponse, redirect, type FakeRequest, type FakeResponse } from './http-kit';
import { binaryPlaceholder } from './weights';

/** The account the fake Kaggle accepts (HTTP basic authentication, as the official client sends it). */
export const KAGGLE_CREDENTIALS = { username: 'fake-kaggle-user', key: 'fake0kaggle0key0000000000000000' } as const;

export interface KaggleDataset {
  readonly ref: string;
  readonly metadata: Record<string, unknown>;
  readonly files: ReadonlyMap<string, Buffer>;
}

/** hliang001/flickr2k as Kaggle's `datasets/view` describes it, with a few stand-in images. */
export function kaggleDatasets(): Map<string, KaggleDataset> {
  const files = new Map<string, Buffer>([
    ['Flickr2K/Flickr2K_HR/000001.png', binaryPlaceholder('hliang001/flickr2k/Flickr2K_HR/000001.png')],
    ['Flickr2K/Flickr2K_HR/000002.png', binaryPlaceholder('hliang001/flickr2k/Flickr2K_HR/000002.png')],
    ['Flickr2K/Flickr2K_LR_bicubic/X2/000001x2.png', binaryPlaceholder('hliang001/flickr2k/Flickr2K_LR_bicubic/X2/000001x2.png')],
  ]);
  const totalBytes = [...files.values()].reduce((sum, content) => sum + content.length, 0);
  const flickr: KaggleDataset = {
    ref: 'hliang001/flickr2k',
    files,
    metadata: {
      id: 1_974_351, ref: 'hliang001/flickr2k', subtitle: '2650 2K images from Flickr for super-resolution', creatorName: 'hliang001', creatorUrl: 'hliang001',
      totalBytes, url: 'https://www.kaggle.com/datasets/hliang001/flickr2k', lastUpdated: '2022-03-01T07:21:34.163Z', downloadCount: 2_317, isPrivate: false,
      isFeatured: false, licenseName: 'Unknown', description: 'Flickr2K is a dataset of 2650 2K-resolution images collected from Flickr, used to train super-resolution models.',
      ownerName: 'hliang001', ownerRef: 'hliang001', kernelCount: 14, title: 'Flickr2K', topicCount: 0, viewCount: 18_903, voteCount: 42,
      currentVersionNumber: 1, usabilityRating: 0.4375, tags: [{ ref: 'computer vision', name: 'computer vision' }], files: [], versions: [],
    },
  };
  return new Map([[flickr.ref, flickr]]);
}

/** Kaggle's download: the dataset's files as its owner laid them out, with no folder of Kaggle's own. */
function datasetZip(files: ReadonlyMap<string, Buffer>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [path, content] of files) zip.addBuffer(content, path, { mtime: new Date('2022-03-01T07:21:34Z'), mode: 0o100644 });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

const unauthorized = (): FakeResponse => jsonResponse(401, { code: 401, message: 'Unauthenticated' });

function authorized(request: FakeRequest): boolean {
  const expected = Buffer.from(`${KAGGLE_CREDENTIALS.username}:${KAGGLE_CREDENTIALS.key}`).toString('base64');
  return request.headers.authorization === `Basic ${expected}`;
}

/**
 * Kaggle's API under `/kaggle/api/v1`: `datasets/view/{owner}/{slug}` (metadata) and
 * `datasets/download/{owner}/{slug}` (a redirect to the zip, as kaggle.com redirects to storage).
 * `path` is what follows `/kaggle`.
 */
export async function routeKaggle(datasets: ReadonlyMap<string, KaggleDataset>, kaggleUrl: string, request: FakeRequest, path: string): Promise<FakeResponse> {
  const storage = /^\/storage\/([^/]+)\/([^/]+)\.zip$/.exec(path);
  if (storage) {
    const dataset = datasets.get(`${storage[1]}/${storage[2]}`.toLowerCase());
    if (!dataset) return jsonResponse(404, { code: 404, message: 'Not found' });
    return { status: 200, headers: { 'content-type': 'application/zip' }, body: await datasetZip(dataset.files) };
  }
  const api = /^\/api\/v1\/datasets\/(view|download)\/([^/]+)\/([^/]+)$/.exec(path);
  if (!api || request.method !== 'GET') return jsonResponse(404, { code: 404, message: 'Not found' });
  if (!authorized(request)) return unauthorized();
  const dataset = datasets.get(`${api[2]}/${api[3]}`.toLowerCase());
  if (!dataset) return jsonResponse(404, { code: 404, message: 'Not found' });
  if (api[1] === 'view') return jsonResponse(200, dataset.metadata);
  return redirect(302, `${kaggleUrl}/storage/${dataset.ref}.zip`);
}
