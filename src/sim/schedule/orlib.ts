// Reads and writes the OR-Library job-shop text format (Beasley's jobshop1.txt, one instance).
import { ScheduleInstanceError } from './errors.js';
import type { JobShopInstance, Operation } from './instance.js';

/**
 * Parses one job-shop instance in the OR-Library format:
 *
 * ```
 * # ft06, Fisher and Thompson 6x6      <- comment lines start with '#', anywhere
 * 6 6                                  <- jobs machines
 * 2 1 0 3 1 6 3 7 5 3 4 6              <- per job: machine time pairs, in route order
 * …
 * ```
 *
 * Machines are numbered from 0; each job line holds exactly one `machine time` pair per machine,
 * and visits each machine once (that is what the format means; a repeat is a typo). Times are
 * non-negative integers. Blank lines are ignored. So that an instance block cut from
 * OR-Library's jobshop1.txt reads as it is, lines before the size line whose first word is not a
 * number (` instance ft06`, `+++…`, the description) are skipped, ` instance NAME` gives the name,
 * and `+++…` separator lines after the jobs are ignored. A file with several instances is
 * rejected: cut out the one you want. Releases, due dates and weights are not part of the format.
 *
 * @throws ScheduleInstanceError naming the 1-based line and the problem.
 */
export function parseOrLibrary(text: string): JobShopInstance {
  const lines = text.split(/\r?\n/);
  let name: string | undefined;
  let jobCount = 0;
  let machines = 0;
  const jobs: { operations: Operation[] }[] = [];
  let sizeSeen = false;

  for (let index = 0; index < lines.length; index++) {
    const lineNo = index + 1;
    const line = lines[index]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const words = line.split(/\s+/);
    if (!sizeSeen) {
      if (!/^[+-]?\d/.test(words[0]!)) {
        const header = /^instance\s+(\S+)$/i.exec(line);
        if (header) name = header[1];
        continue;
      }
      const [jobsWord, machinesWord] = words;
      if (words.length !== 2) {
        throw new ScheduleInstanceError(
          `expected "jobs machines" (two integers), found ${words.length} values`,
          {
            line: lineNo,
          },
        );
      }
      jobCount = positiveInteger(jobsWord!, 'job count', lineNo);
      machines = positiveInteger(machinesWord!, 'machine count', lineNo);
      sizeSeen = true;
      continue;
    }
    if (jobs.length === jobCount) {
      if (/^\++$/.test(line)) continue;
      if (/^instance\s/i.test(line)) {
        throw new ScheduleInstanceError('a second instance starts here; pass one instance at a time', {
          line: lineNo,
        });
      }
      throw new ScheduleInstanceError(`more job lines than the ${jobCount} jobs the size line announces`, {
        line: lineNo,
      });
    }
    jobs.push({ operations: parseJobLine(words, machines, jobs.length, lineNo) });
  }
  if (!sizeSeen) {
    throw new ScheduleInstanceError('no "jobs machines" size line found', { line: lines.length });
  }
  if (jobs.length < jobCount) {
    throw new ScheduleInstanceError(`the size line announces ${jobCount} jobs, the text has ${jobs.length}`, {
      line: lines.length,
    });
  }
  return name === undefined ? { machines, jobs } : { name, machines, jobs };
}

function parseJobLine(words: readonly string[], machines: number, job: number, lineNo: number): Operation[] {
  if (words.length !== 2 * machines) {
    throw new ScheduleInstanceError(
      `job ${job}: expected ${machines} "machine time" pairs (${2 * machines} numbers), found ${words.length} numbers`,
      { line: lineNo },
    );
  }
  const seen = new Uint8Array(machines);
  const operations: Operation[] = [];
  for (let k = 0; k < machines; k++) {
    const machine = integer(words[2 * k]!, `job ${job} operation ${k}: machine`, lineNo);
    const duration = integer(words[2 * k + 1]!, `job ${job} operation ${k}: time`, lineNo);
    if (machine < 0 || machine >= machines) {
      throw new ScheduleInstanceError(
        `job ${job} operation ${k}: machine ${machine} is not in 0..${machines - 1}`,
        {
          line: lineNo,
        },
      );
    }
    if (duration < 0) {
      throw new ScheduleInstanceError(`job ${job} operation ${k}: time ${duration} is negative`, {
        line: lineNo,
      });
    }
    if (seen[machine] === 1) {
      throw new ScheduleInstanceError(`job ${job} visits machine ${machine} twice`, { line: lineNo });
    }
    seen[machine] = 1;
    operations.push({ machine, duration });
  }
  return operations;
}

function integer(word: string, what: string, lineNo: number): number {
  if (!/^[+-]?\d+$/.test(word) || !Number.isSafeInteger(Number(word))) {
    throw new ScheduleInstanceError(`${what} "${word}" is not an integer`, { line: lineNo });
  }
  return Number(word);
}

function positiveInteger(word: string, what: string, lineNo: number): number {
  const value = integer(word, what, lineNo);
  if (value < 1)
    throw new ScheduleInstanceError(`${what} must be at least 1, got ${value}`, { line: lineNo });
  return value;
}

/**
 * Writes `instance` in the format `parseOrLibrary` reads, with `comments` as `#` lines first.
 * Only what the format can hold: every job visits every machine exactly once; releases, due dates
 * and weights are dropped.
 *
 * @throws ScheduleInstanceError when a job's route does not visit each machine exactly once.
 */
export function formatOrLibrary(instance: JobShopInstance, comments: readonly string[] = []): string {
  const out = comments.map((c) => `# ${c}`);
  // An OR-Library header line keeps a one-word name through a round trip; others become a comment.
  if (instance.name !== undefined)
    out.push(/^\S+$/.test(instance.name) ? `instance ${instance.name}` : `# ${instance.name}`);
  out.push(`${instance.jobs.length} ${instance.machines}`);
  instance.jobs.forEach((job, j) => {
    const machinesVisited = new Set(job.operations.map((op) => op.machine));
    if (job.operations.length !== instance.machines || machinesVisited.size !== instance.machines) {
      throw new ScheduleInstanceError(
        `job ${j} does not visit each of the ${instance.machines} machines exactly once; the OR-Library format cannot hold it`,
        { path: `/jobs/${j}/operations` },
      );
    }
    out.push(job.operations.map((op) => `${op.machine} ${op.duration}`).join(' '));
  });
  return `${out.join('\n')}\n`;
}
