// Example queries shown in the playground. Each lives in examples/*.graphql
// with a small header:
//
//   # title: The question the query answers
//   # description: One or two sentences
//   # variables: {"json": "object"}        (optional)
//
// The end-to-end test runs every file against the real server and fails when
// one returns an error or no data, so the examples stay true to the seed.

export interface Example {
  slug: string;
  title: string;
  description: string;
  query: string;
  variables: string;
}

const files = import.meta.glob('./examples/*.graphql', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

function parse(path: string, text: string): Example {
  const header: Record<string, string> = {};
  const body: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^#\s*(title|description|variables):\s*(.*)$/.exec(line);
    if (m && body.length === 0) header[m[1]] = m[2].trim();
    else body.push(line);
  }
  const slug = path.replace(/^.*\/(\d+-)?/, '').replace(/\.graphql$/, '');
  const variables = header.variables ? JSON.stringify(JSON.parse(header.variables), null, 2) : '';
  return {
    slug,
    title: header.title ?? slug,
    description: header.description ?? '',
    query: body.join('\n').trim() + '\n',
    variables,
  };
}

export const examples: Example[] = Object.keys(files)
  .sort()
  .map((path) => parse(path, files[path]));

export function exampleBySlug(slug: string | null): Example | undefined {
  return examples.find((e) => e.slug === slug);
}
