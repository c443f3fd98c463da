import { gzipSync } from 'node:zlib';
import { HUB_GITATTRIBUTES } from './hub-file-content';
import type { HubRepoSpec } from './hub-repo';
import { binaryPlaceholder } from './weights';

const jsonLinesGz = (rows: readonly Record<string, unknown>[]): Buffer => gzipSync(rows.map((row) => JSON.stringify(row)).join('\n') + '\n');

const SQUAD_CARD = `annotations_creators:
- crowdsourced
language_creators:
- crowdsourced
- found
language:
- en
license: cc-by-sa-4.0
multilinguality:
- monolingual
size_categories:
- 10K<n<100K
source_datasets:
- extended|wikipedia
task_categories:
- question-answering
task_ids:
- extractive-qa
paperswithcode_id: squad
pretty_name: SQuAD
configs:
- config_name: plain_text
  data_files:
  - split: train
    path: plain_text/train-*
  - split: validation
    path: plain_text/validation-*
  default: true`;

const SQUAD_CITATION = `@article{2016arXiv160605250R,
       author = {{Rajpurkar}, Pranav and {Zhang}, Jian and {Lopyrev}, Konstantin and {Liang}, Percy},
        title = "{SQuAD: 100,000+ Questions for Machine Comprehension of Text}",
      journal = {arXiv e-prints},
         year = 2016,
          eid = {arXiv:1606.05250},
archivePrefix = {arXiv},
       eprint = {1606.05250},
}`;

const BOOKCORPUS_CARD = `annotations_creators:
- no-annotation
language_creators:
- found
language:
- en
license:
- unknown
multilinguality:
- monolingual
pretty_name: BookCorpus
size_categories:
- 10M<n<100M
source_datasets:
- original
task_categories:
- text-generation
- fill-mask
paperswithcode_id: bookcorpus`;

const WIKIPEDIA_CARD = `annotations_creators:
- no-annotation
language_creators:
- crowdsourced
pretty_name: Wikipedia
paperswithcode_id: null
license:
- cc-by-sa-3.0
- gfdl
task_categories:
- text-generation
- fill-mask
source_datasets:
- original
multilinguality:
- multilingual
size_categories:
- 1M<n<10M
language:
- en
- simple`;

const C4_CARD = `pretty_name: C4
annotations_creators:
- no-annotation
language_creators:
- found
language:
- en
license:
- odc-by
multilinguality:
- monolingual
size_categories:
- 100M<n<1B
source_datasets:
- original
task_categories:
- text-generation
- fill-mask
paperswithcode_id: c4
configs:
- config_name: en
  data_files:
  - split: train
    path: en/c4-train.*.json.gz
  - split: validation
    path: en/c4-validation.*.json.gz`;

/** Dataset card bodies in the Hub's dataset-card template, as the real cards of these datasets fill it in (abridged). */
const SQUAD_README = `
# Dataset Card for SQuAD

## Dataset Description

- **Homepage:** https://rajpurkar.github.io/SQuAD-explorer/
- **Repository:** https://github.com/rajpurkar/SQuAD-explorer
- **Paper:** https://arxiv.org/abs/1606.05250
- **Leaderboard:** https://rajpurkar.github.io/SQuAD-explorer/

### Dataset Summary

Stanford Question Answering Dataset (SQuAD) is a reading comprehension dataset, consisting of questions posed by
crowdworkers on a set of Wikipedia articles, where the answer to every question is a segment of text, or span, from
the corresponding reading passage, or the question might be unanswerable. SQuAD 1.1 contains 100,000+
question-answer pairs on 500+ articles.

### Supported Tasks and Leaderboards

Question Answering: extractive question answering, measured by exact match and F1 on the validation split.

### Languages

English (\`en\`).

## Dataset Structure

### Data Instances

An example of 'train' looks as follows.

\`\`\`
{
  "answers": {"answer_start": [1], "text": ["This is a test text"]},
  "context": "This is a test context.",
  "id": "1",
  "question": "Is this a test?",
  "title": "train test"
}
\`\`\`

### Data Fields

- \`id\`: a \`string\` feature.
- \`title\`: a \`string\` feature.
- \`context\`: a \`string\` feature.
- \`question\`: a \`string\` feature.
- \`answers\`: a dictionary feature containing \`text\` (a \`string\`) and \`answer_start\` (an \`int32\`).

### Data Splits

| name       | train | validation |
|------------|------:|-----------:|
| plain_text | 87599 |      10570 |

## Dataset Creation

### Curation Rationale

Reading comprehension needs a large, high-quality dataset; SQuAD was collected to provide one.

### Source Data

Passages come from 536 English Wikipedia articles; questions were written by crowdworkers on Amazon Mechanical Turk.

## Additional Information

### Licensing Information

The dataset is distributed under the CC BY-SA 4.0 license.

### Citation Information

See the paper: Rajpurkar et al., SQuAD: 100,000+ Questions for Machine Comprehension of Text, EMNLP 2016.
`;

const BOOKCORPUS_README = `
# Dataset Card for BookCorpus

## Dataset Description

- **Homepage:** https://yknzhu.wixsite.com/mbweb
- **Repository:** [More Information Needed]
- **Paper:** [Aligning Books and Movies: Towards Story-like Visual Explanations by Watching Movies and Reading Books](https://arxiv.org/abs/1506.06724)

### Dataset Summary

Books are a rich source of both fine-grained information, how a character, an object or a scene looks like, as well
as high-level semantics, what someone is thinking, feeling and how these states evolve through a story. This work
aims to align books to their movie releases in order to provide rich descriptive explanations for visual content
that go semantically far beyond the captions available in current datasets.

### Supported Tasks and Leaderboards

Language modelling: the corpus was used to pre-train BERT and GPT.

### Languages

English.

## Dataset Structure

### Data Instances

Each instance is one sentence of a book: \`{"text": "usually , he would be tearing around the living room , playing with his toys ."}\`.

### Data Fields

- \`text\`: a \`string\` feature, one sentence.

### Data Splits

The dataset has a single train split of 74,004,228 sentences.

## Dataset Creation

### Source Data

11,038 free books written by yet unpublished authors, collected from smashwords.com.

### Personal and Sensitive Information

[More Information Needed]

## Additional Information

### Licensing Information

The books were free at the time of collection; the authors' licenses were not recorded.
`;

const WIKIPEDIA_README = `
# Dataset Card for Wikipedia

## Dataset Description

- **Homepage:** https://dumps.wikimedia.org
- **Repository:** https://github.com/huggingface/datasets

### Dataset Summary

Wikipedia dataset containing cleaned articles of all languages. The datasets are built from the Wikipedia dump
(https://dumps.wikimedia.org/) with one split per language. Each example contains the content of one full Wikipedia
article with cleaning to strip markdown and unwanted sections (references, etc.).

### Supported Tasks and Leaderboards

The dataset is generally used for language modelling.

### Languages

There are subsets for every Wikipedia language; \`20220301.en\` and \`20220301.simple\` are prepared here.

## Dataset Structure

### Data Instances

An example looks as follows:

\`\`\`
{"id": "1", "url": "https://simple.wikipedia.org/wiki/April", "title": "April", "text": "April is the fourth month..."}
\`\`\`

### Data Fields

- \`id\` (\`str\`): ID of the article.
- \`url\` (\`str\`): URL of the article.
- \`title\` (\`str\`): Title of the article.
- \`text\` (\`str\`): Text content of the article.

### Data Splits

All configurations contain a single train split: 6,458,670 articles for \`20220301.en\`, 205,328 for \`20220301.simple\`.

## Additional Information

### Licensing Information

Most of Wikipedia's text and many of its images are co-licensed under the Creative Commons Attribution-ShareAlike 3.0
Unported License (CC BY-SA) and the GNU Free Documentation License (GFDL).

### Citation Information

Wikimedia Foundation, Wikimedia Downloads, https://dumps.wikimedia.org.
`;

const C4_README = `
# C4

## Dataset Description

- **Paper:** https://arxiv.org/abs/1910.10683

### Dataset Summary

A colossal, cleaned version of Common Crawl's web crawl corpus, based on the Common Crawl dataset
(https://commoncrawl.org). This is the processed version of Google's C4 dataset, prepared by AllenAI.

### Variants

\`en\`: 305GB in JSON format; \`en.noblocklist\`: 380GB; \`realnewslike\`: 15GB; \`en.noclean\`: 2.3TB.

## Dataset Structure

### Data Instances

\`\`\`
{"url": "https://klyq.com/beginners-bbq-class-taking-place-in-missoula/", "text": "Beginners BBQ Class Taking Place in Missoula!...", "timestamp": "2019-04-25T12:57:54Z"}
\`\`\`

### Data Fields

- \`url\`: url of the source as a string
- \`text\`: text content as a string
- \`timestamp\`: timestamp as a string

### Data Splits

| name | train     | validation |
|------|----------:|-----------:|
| en   | 365000000 |     364608 |

## Additional Information

### Licensing Information

AllenAI releases this dataset under the terms of ODC-BY. By using it, you are also bound by the Common Crawl terms of
use in respect of the content contained in the dataset.

### Citation Information

Raffel et al., Exploring the Limits of Transfer Learning with a Unified Text-to-Text Transformer, JMLR 2020.
`;

const script = (name: string): string =>
  `"""${name}: the loading script the dataset used before its conversion to parquet."""\n\nimport datasets\n\n_CITATION = ""\n\nclass ${name}(datasets.GeneratorBasedBuilder):\n    VERSION = datasets.Version("1.0.0")\n`;

const datasetTags = (card: { task: string; license: string; size: string; format: string }): string[] => [
  `task_categories:${card.task}`,
  'language:en',
  `license:${card.license}`,
  `size_categories:${card.size}`,
  `format:${card.format}`,
  'modality:text',
  'library:datasets',
  'region:us',
];

/** Datasets named by the reference model cards (squad, bookcorpus, wikipedia, c4), under their current ids. */
export function datasetSpecs(): HubRepoSpec[] {
  const gitattributes = { path: '.gitattributes', content: HUB_GITATTRIBUTES };
  return [
    {
      id: 'rajpurkar/squad',
      aliases: ['squad'],
      cardYaml: SQUAD_CARD,
      readme: SQUAD_README,
      files: [
        gitattributes,
        { path: 'plain_text/train-00000-of-00001.parquet', content: binaryPlaceholder('rajpurkar/squad/plain_text/train-00000-of-00001.parquet') },
        { path: 'plain_text/validation-00000-of-00001.parquet', content: binaryPlaceholder('rajpurkar/squad/plain_text/validation-00000-of-00001.parquet') },
      ],
      downloads: 101_622,
      likes: 318,
      tags: [...datasetTags({ task: 'question-answering', license: 'cc-by-sa-4.0', size: '10K<n<100K', format: 'parquet' }), 'task_ids:extractive-qa', 'arxiv:1606.05250'],
      createdAt: '2022-03-02T23:29:22.000Z',
      lastModified: '2024-03-04T13:54:37.000Z',
      gitTags: ['v1.0.0'],
      citation: SQUAD_CITATION,
      description: 'Stanford Question Answering Dataset (SQuAD) is a reading comprehension dataset, consisting of questions posed by crowdworkers on a set of Wikipedia articles, where the answer to every question is a segment of text, or span, from the corresponding reading passage.',
      paperswithcodeId: 'squad',
    },
    {
      id: 'bookcorpus/bookcorpus',
      aliases: ['bookcorpus'],
      cardYaml: BOOKCORPUS_CARD,
      readme: BOOKCORPUS_README,
      files: [gitattributes, { path: 'bookcorpus.py', content: script('Bookcorpus') }],
      downloads: 15_032,
      likes: 61,
      tags: [...datasetTags({ task: 'text-generation', license: 'unknown', size: '10M<n<100M', format: 'parquet' }), 'arxiv:1506.06724'],
      createdAt: '2022-03-02T23:29:22.000Z',
      lastModified: '2024-05-03T13:48:33.000Z',
      converts: ['parquet'],
      citation: '@InProceedings{Zhu_2015_ICCV,\n    title = {Aligning Books and Movies},\n    author = {Zhu, Yukun and Kiros, Ryan and others},\n    year = {2015}\n}',
      description: 'Books are a rich source of both fine-grained information, how a character, an object or a scene looks like, as well as high-level semantics.',
      paperswithcodeId: 'bookcorpus',
    },
    {
      id: 'legacy-datasets/wikipedia',
      aliases: ['wikipedia'],
      cardYaml: WIKIPEDIA_CARD,
      readme: WIKIPEDIA_README,
      files: [
        gitattributes,
        { path: 'wikipedia.py', content: script('Wikipedia') },
        { path: 'data/20220301.en/train-00000-of-00041.parquet', content: binaryPlaceholder('legacy-datasets/wikipedia/data/20220301.en/train-00000-of-00041.parquet') },
        { path: 'data/20220301.simple/train-00000-of-00001.parquet', content: binaryPlaceholder('legacy-datasets/wikipedia/data/20220301.simple/train-00000-of-00001.parquet') },
      ],
      downloads: 48_211,
      likes: 590,
      tags: datasetTags({ task: 'text-generation', license: 'cc-by-sa-3.0', size: '1M<n<10M', format: 'parquet' }),
      createdAt: '2022-03-02T23:29:22.000Z',
      lastModified: '2024-03-11T18:16:32.000Z',
      converts: ['parquet'],
      citation: '@ONLINE{wikidump,\n    author = "Wikimedia Foundation",\n    title  = "Wikimedia Downloads",\n    url    = "https://dumps.wikimedia.org"\n}',
      description: 'Wikipedia dataset containing cleaned articles of all languages.',
    },
    {
      id: 'allenai/c4',
      aliases: ['c4'],
      cardYaml: C4_CARD,
      readme: C4_README,
      files: [
        gitattributes,
        { path: 'en/c4-train.00000-of-01024.json.gz', content: jsonLinesGz([{ text: 'Beginners BBQ Class Taking Place in Missoula!', timestamp: '2019-04-25T12:57:54Z', url: 'https://example.com/bbq' }]) },
        { path: 'en/c4-validation.00000-of-00008.json.gz', content: jsonLinesGz([{ text: 'Foil plaid lycra and spandex shortall with metallic slinky insets.', timestamp: '2019-04-19T10:16:46Z', url: 'https://example.com/shortall' }]) },
      ],
      downloads: 412_988,
      likes: 438,
      tags: [...datasetTags({ task: 'text-generation', license: 'odc-by', size: '100M<n<1B', format: 'json' }), 'arxiv:1910.10683'],
      createdAt: '2022-03-02T23:29:22.000Z',
      lastModified: '2024-01-09T19:14:03.000Z',
      citation: '@article{2019t5,\n    author = {Colin Raffel and others},\n    title = {Exploring the Limits of Transfer Learning with a Unified Text-to-Text Transformer},\n    journal = {arXiv e-prints},\n    year = {2019}\n}',
      description: "A colossal, cleaned version of Common Crawl's web crawl corpus.",
      paperswithcodeId: 'c4',
    },
  ];
}
