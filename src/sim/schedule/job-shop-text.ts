// One reader for job-shop instance files: Taillard's format or OR-Library's, told apart by content.
import type { JobShopInstance } from './instance.js';
import { parseOrLibrary } from './orlib.js';
import { parseTaillard } from './taillard.js';

export type JobShopFormat = 'taillard' | 'or-library';

/**
 * Taillard's format has a `Times` line (and usually starts with "Nb of jobs, …"); OR-Library's has
 * only numbers after its header. Comment lines (`#`) do not count.
 */
export function detectJobShopFormat(text: string): JobShopFormat {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('#')) continue;
    if (/^nb of jobs\b/i.test(line) || /^times$/i.test(line)) return 'taillard';
  }
  return 'or-library';
}

/**
 * Parses one job-shop instance in Taillard's format or OR-Library's, whichever the text is
 * (see `detectJobShopFormat`, `parseTaillard`, `parseOrLibrary`).
 *
 * @throws ScheduleInstanceError naming the 1-based line and the problem.
 */
export function parseJobShop(text: string): JobShopInstance {
  return detectJobShopFormat(text) === 'taillard' ? parseTaillard(text) : parseOrLibrary(text);
}
