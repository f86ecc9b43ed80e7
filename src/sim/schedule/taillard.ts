// Reads and writes Taillard's own job-shop text format (the tai*.txt files of his benchmarks).
import { ScheduleInstanceError } from './errors.js';
import type { JobShopInstance, Operation } from './instance.js';

/** What the size line of a Taillard file says beside the size; absent numbers are undefined. */
export interface TaillardHeader {
  readonly timeSeed: number | undefined;
  readonly machineSeed: number | undefined;
  /** The upper bound Taillard published with the file (1993): often beaten since. */
  readonly upperBound: number | undefined;
  readonly lowerBound: number | undefined;
}

const DESCRIPTION = 'Nb of jobs, Nb of Machines, Time seed, Machine seed, Upper bound, Lower bound';

/**
 * Parses one instance in Taillard's format:
 *
 * ```
 * Nb of jobs, Nb of Machines, Time seed, Machine seed, Upper bound, Lower bound
 *         15        15  840612802  398197754      1231      1005
 * Times
 *  94 66 10 53 …        <- one line per job: its processing times in route order
 * Machines
 *   7 13  5  8 …        <- one line per job: the machine of each step, numbered from 1
 * ```
 *
 * The description line is optional, and so are the four numbers after the size. Lines starting
 * with `#` are comments and blank lines are ignored, as in the OR-Library reader. Taillard's files
 * hold ten instances each: a second one is rejected, cut out the one you want.
 *
 * @throws ScheduleInstanceError naming the 1-based line and the problem.
 */
export function parseTaillard(text: string): JobShopInstance {
  return readTaillard(text).instance;
}

/** `parseTaillard`, with the seeds and bounds of the size line. */
export function readTaillard(text: string): { instance: JobShopInstance; header: TaillardHeader } {
  const lines = text.split(/\r?\n/);
  const content: { words: string[]; lineNo: number; line: string }[] = [];
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line !== '' && !line.startsWith('#'))
      content.push({ words: line.split(/\s+/), lineNo: index + 1, line });
  });
  const end = lines.length;
  let at = 0;
  const next = () => content[at++];
  const fail = (message: string, lineNo: number): never => {
    throw new ScheduleInstanceError(message, { line: lineNo });
  };

  if (content[at] !== undefined && /^nb\b/i.test(content[at]!.line)) at++;
  const sizeLine =
    next() ?? fail('no size line "jobs machines [time seed, machine seed, bounds]" found', end);
  if (sizeLine.words.length < 2 || sizeLine.words.length > 6) {
    fail(
      `expected the size line "jobs machines" with up to four more numbers (seeds, bounds), found ${sizeLine.words.length} values`,
      sizeLine.lineNo,
    );
  }
  const numbers = sizeLine.words.map((word, i) => integer(word, SIZE_FIELDS[i]!, sizeLine.lineNo));
  const [jobCount, machines] = numbers as [number, number];
  if (jobCount < 1) fail(`job count must be at least 1, got ${jobCount}`, sizeLine.lineNo);
  if (machines < 1) fail(`machine count must be at least 1, got ${machines}`, sizeLine.lineNo);

  const section = (name: 'Times' | 'Machines', previous: number): number => {
    const line = next() ?? fail(`expected a "${name}" line after line ${previous}`, end);
    if (line.line.toLowerCase() !== name.toLowerCase()) {
      fail(`expected a "${name}" line, found "${clip(line.line)}"`, line.lineNo);
    }
    return line.lineNo;
  };
  const rows = (name: 'times' | 'machines', after: number): { values: number[]; lineNo: number }[] => {
    const out: { values: number[]; lineNo: number }[] = [];
    for (let j = 0; j < jobCount; j++) {
      const line = next();
      if (line === undefined || !/^[+-]?\d/.test(line.words[0]!)) {
        fail(
          `expected ${jobCount} lines of ${name} (one per job), found ${j}`,
          line?.lineNo ?? Math.max(after, end),
        );
      }
      const { words, lineNo } = line!;
      if (words.length !== machines) {
        fail(`job ${j}: expected ${machines} ${name} (one per machine), found ${words.length}`, lineNo);
      }
      out.push({
        values: words.map((word, k) => integer(word, `job ${j} step ${k}: ${name.slice(0, -1)}`, lineNo)),
        lineNo,
      });
    }
    return out;
  };

  const timesAt = section('Times', sizeLine.lineNo);
  const times = rows('times', timesAt);
  const machinesAt = section('Machines', times.at(-1)?.lineNo ?? timesAt);
  const routes = rows('machines', machinesAt);

  const jobs = times.map(({ values, lineNo }, j) => {
    const route = routes[j]!;
    const seen = new Uint8Array(machines);
    const operations: Operation[] = values.map((duration, k) => {
      if (duration < 0) fail(`job ${j} step ${k}: time ${duration} is negative`, lineNo);
      const machine = route.values[k]!;
      if (machine < 1 || machine > machines) {
        fail(
          `job ${j} step ${k}: machine ${machine} is not in 1..${machines} (Taillard's format numbers machines from 1)`,
          route.lineNo,
        );
      }
      if (seen[machine - 1] === 1) fail(`job ${j} visits machine ${machine} twice`, route.lineNo);
      seen[machine - 1] = 1;
      return { machine: machine - 1, duration };
    });
    return { operations };
  });

  const extra = next();
  if (extra !== undefined) {
    fail(
      /^nb\b/i.test(extra.line) || extra.words.length === sizeLine.words.length
        ? 'a second instance starts here; pass one instance at a time'
        : `more lines than the ${jobCount} jobs the size line announces`,
      extra.lineNo,
    );
  }
  return {
    instance: { machines, jobs },
    header: { timeSeed: numbers[2], machineSeed: numbers[3], upperBound: numbers[4], lowerBound: numbers[5] },
  };
}

const SIZE_FIELDS = ['job count', 'machine count', 'time seed', 'machine seed', 'upper bound', 'lower bound'];

function integer(word: string, what: string, lineNo: number): number {
  if (!/^[+-]?\d+$/.test(word) || !Number.isSafeInteger(Number(word))) {
    throw new ScheduleInstanceError(`${what} "${clip(word)}" is not an integer`, { line: lineNo });
  }
  return Number(word);
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * Writes `instance` in Taillard's format, laid out as his files are, with `comments` as `#` lines
 * first; `header` fills the seeds and bounds (0 where absent, as his converters do).
 *
 * @throws ScheduleInstanceError when a job's route does not visit each machine exactly once.
 */
export function formatTaillard(
  instance: JobShopInstance,
  header: Partial<TaillardHeader> = {},
  comments: readonly string[] = [],
): string {
  const m = instance.machines;
  instance.jobs.forEach((job, j) => {
    if (job.operations.length !== m || new Set(job.operations.map((op) => op.machine)).size !== m) {
      throw new ScheduleInstanceError(
        `job ${j} does not visit each of the ${m} machines exactly once; Taillard's format cannot hold it`,
        { path: `/jobs/${j}/operations` },
      );
    }
  });
  const pad = (value: number, width: number) => String(value).padStart(width);
  const row = (values: number[]) => values.map((v) => pad(v, 3)).join('');
  return [
    ...comments.map((c) => `# ${c}`),
    DESCRIPTION,
    pad(instance.jobs.length, 10) +
      pad(m, 10) +
      pad(header.timeSeed ?? 0, 11) +
      pad(header.machineSeed ?? 0, 11) +
      pad(header.upperBound ?? 0, 10) +
      pad(header.lowerBound ?? 0, 10),
    'Times',
    ...instance.jobs.map((job) => row(job.operations.map((op) => op.duration))),
    'Machines',
    ...instance.jobs.map((job) => row(job.operations.map((op) => op.machine + 1))),
    '',
  ].join('\n');
}
