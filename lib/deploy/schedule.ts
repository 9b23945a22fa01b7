/**
 * An optional schedule that scales the cluster to zero and back (e.g. nights and weekends), as two
 * Auto Scaling scheduled actions applied to every node group at once.
 *
 * Scheduled actions take a Unix cron `Recurrence` (minute hour day-of-month month day-of-week) and
 * an IANA `TimeZone` (CloudFormation AWS::AutoScaling::ScheduledAction, confirmed). Only numbers,
 * `*`, ranges, lists and steps are accepted here, so that the expression can also be evaluated to
 * report the hours the cluster runs per week.
 */
import type { Issue } from '../types';

/** When to stop and start. */
export interface ScheduleOptions {
  /** Cron (5 fields) at which every group goes to 0 instances, e.g. `0 20 * * 1-5`. */
  readonly stopCron: string;
  /** Cron at which the groups return to their planned size, e.g. `0 7 * * 1-5`. */
  readonly startCron: string;
  /** IANA time zone of both expressions. @default 'Etc/UTC' */
  readonly timeZone?: string;
}

/** One scheduled action for every node group: `size` 0 stops, `planned` restores the group's size. */
export interface ScheduledActionSpec {
  readonly id: 'ScaleToZero' | 'ScaleUp';
  readonly cron: string;
  readonly timeZone: string;
  readonly size: 0 | 'planned';
}

/** The schedule as applied. */
export interface ScheduleSpec {
  readonly actions: readonly ScheduledActionSpec[];
  /** Hours per week the cluster runs; undefined when a day-of-month or month field makes it vary by week. */
  readonly runningHoursPerWeek?: number;
}

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

/** The values a cron field matches, or an error message. */
function parseField(text: string, min: number, max: number): Set<number> | string {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) return `"${part}" is not a number, *, range a-b, list or step`;
    const lo = m[1] === '*' ? min : Number(m[2]);
    const hi = m[1] === '*' ? max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? max : lo;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (lo < min || hi > max || lo > hi || step < 1) return `"${part}" is outside ${min}–${max}`;
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return values;
}

interface Cron {
  readonly sets: readonly Set<number>[];
  readonly fields: readonly string[];
}

function parseCron(expr: string, path: string, issues: Issue[]): Cron | undefined {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) {
    issues.push({ path, message: `${JSON.stringify(expr)} has ${fields.length} fields; use 5: minute hour day-of-month month day-of-week` });
    return undefined;
  }
  const sets: Set<number>[] = [];
  for (const [i, f] of FIELDS.entries()) {
    const r = parseField(fields[i], f.min, f.max);
    if (typeof r === 'string') {
      issues.push({ path, message: `${JSON.stringify(expr)}: ${f.name} ${r}` });
      return undefined;
    }
    sets.push(r);
  }
  // Day of week 7 is Sunday, like 0.
  if (sets[4].has(7)) sets[4].add(0);
  return { sets, fields };
}

/** Whether `cron` fires at minute `m` of a week that starts on Sunday 00:00 (day-of-month/month ignored: both `*`). */
function firesAt(cron: Cron, m: number): boolean {
  const [minute, hour, , , dow] = cron.sets;
  return minute.has(m % 60) && hour.has(Math.floor(m / 60) % 24) && dow.has(Math.floor(m / 1440));
}

const WEEK_MINUTES = 7 * 24 * 60;

/** Running hours per week when both expressions repeat weekly; undefined otherwise. */
function runningHours(stop: Cron, start: Cron): number | undefined {
  const weekly = (c: Cron) => c.fields[2] === '*' && c.fields[3] === '*';
  if (!weekly(stop) || !weekly(start)) return undefined;
  // Walk two weeks so that the state at the start of the second week is known; count the second.
  let running = true;
  let minutes = 0;
  for (let m = 0; m < 2 * WEEK_MINUTES; m++) {
    const w = m % WEEK_MINUTES;
    if (firesAt(stop, w)) running = false;
    if (firesAt(start, w)) running = true;
    if (m >= WEEK_MINUTES && running) minutes++;
  }
  return minutes / 60;
}

/** Check and translate a schedule; problems are returned, not thrown. */
export function scheduleSpec(options: ScheduleOptions, path = 'schedule'): { spec?: ScheduleSpec; issues: Issue[] } {
  const issues: Issue[] = [];
  const timeZone = options.timeZone ?? 'Etc/UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    issues.push({ path: `${path}.timeZone`, message: `${JSON.stringify(timeZone)} is not an IANA time zone (e.g. Europe/Berlin, America/New_York, Etc/UTC)` });
  }
  const stop = parseCron(options.stopCron, `${path}.stopCron`, issues);
  const start = parseCron(options.startCron, `${path}.startCron`, issues);
  if (stop && start && options.stopCron.trim() === options.startCron.trim()) {
    issues.push({ path, message: 'stopCron and startCron are the same expression' });
  }
  if (issues.length > 0 || !stop || !start) return { issues };
  const hours = runningHours(stop, start);
  return {
    issues,
    spec: {
      actions: [
        { id: 'ScaleToZero', cron: options.stopCron.trim(), timeZone, size: 0 },
        { id: 'ScaleUp', cron: options.startCron.trim(), timeZone, size: 'planned' },
      ],
      ...(hours !== undefined ? { runningHoursPerWeek: hours } : {}),
    },
  };
}
