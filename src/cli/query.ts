// `imverse query "SELECT …"`: runs a query on a data directory and prints the result as JSON.
import { openCore } from '../server/platform.js';
import { loadConfig } from './options.js';

export async function queryCommand(
  query: string,
  options: { data?: string; pageSize: number; all?: boolean },
): Promise<void> {
  const core = await openCore(loadConfig({ dataDir: options.data }));
  try {
    let page = await core.graph.query(query, { pageSize: options.pageSize });
    const items = [...page.value];
    while (options.all && page.continuationToken !== null) {
      page = await core.graph.query(undefined, { continuationToken: page.continuationToken });
      items.push(...page.value);
    }
    console.log(JSON.stringify({ value: items, continuationToken: page.continuationToken }, null, 2));
  } finally {
    await core.close();
  }
}
