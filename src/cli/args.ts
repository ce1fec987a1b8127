import { parseArgs } from 'node:util';
import { parseUserTime, type Micros } from '../core/time';
import type { Bucket } from '../core/workflows/countPerNode';
import { commandNamed } from './commands';
import { UsageError } from './usage';

/** A command line, checked: what each command runs with. */
export interface CommandLine {
  /** A command's name (see commands/), or `help`. */
  command: string;
  /** The bundle folder, or decode's VALUE. */
  target: string;
  /** The argument after the folder (PATTERN, TIME, ID). */
  arg: string;
  json: boolean;
  help: boolean;
  /** `overlaps --explain`: a report on each overlap. */
  explain: boolean;
  role?: string;
  tz?: string;
  rules?: string;
  cache?: string;
  noCache: boolean;
  /** `index --no-search-index`: save the event index only (searches then read every byte). */
  noSearchIndex: boolean;
  stats: boolean;
  regex: boolean;
  ignoreCase: boolean;
  max?: number;
  by: Bucket;
  windowSeconds: number;
  /** The node's clock offsets (`--offset NODE=MS`), in ms. */
  offsetsMs: Record<string, number>;
  /** `context`'s moment. */
  center?: Micros;
  /** `trace --from`, `merge --from`: only lines at or after this (corrected) time. */
  from?: Micros;
  /** `merge --to`: only lines before this (corrected) time. */
  to?: Micros;
  /** `merge --include RE`, `--exclude RE` (repeatable), `--level W|E`, `--node N`, `--source S` (repeatable). */
  include: string[];
  exclude: string[];
  level?: string;
  nodes: string[];
  sources: string[];
  /** `merge --after CURSOR` / `--before CURSOR`: the page after (before) a page's `next` (`previous`). */
  after?: string;
  before?: string;
}

/** The options every command takes (each command reads the ones it needs). */
const OPTIONS = {
  json: { type: 'boolean', default: false },
  explain: { type: 'boolean', default: false },
  role: { type: 'string' },
  tz: { type: 'string' },
  rules: { type: 'string' },
  cache: { type: 'string' },
  'no-cache': { type: 'boolean', default: false },
  'no-search-index': { type: 'boolean', default: false },
  stats: { type: 'boolean', default: false },
  regex: { type: 'boolean', default: false },
  'ignore-case': { type: 'boolean', short: 'i', default: false },
  max: { type: 'string' },
  from: { type: 'string' },
  by: { type: 'string' },
  window: { type: 'string' },
  offset: { type: 'string', multiple: true },
  to: { type: 'string' },
  include: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  level: { type: 'string' },
  node: { type: 'string', multiple: true },
  source: { type: 'string', multiple: true },
  after: { type: 'string' },
  before: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Parses argv; a mistake is a `UsageError` (exit 2) naming it. */
export function parseCommandLine(rawArgv: string[]): CommandLine {
  // `decode -7` is a retcode, not an option: negative numbers go after `--`.
  const negatives = rawArgv.filter((a) => /^-\d+$/.test(a));
  const argv = negatives.length ? [...rawArgv.filter((a) => !/^-\d+$/.test(a)), '--', ...negatives] : rawArgv;
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: OPTIONS,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, target, ...rest] = positionals;
  const base = {
    target: target ?? '',
    arg: '',
    json: values.json,
    help: values.help,
    explain: values.explain,
    role: values.role,
    tz: values.tz,
    rules: values.rules,
    cache: values.cache,
    noCache: values['no-cache'],
    noSearchIndex: values['no-search-index'],
    stats: values.stats,
    regex: values.regex,
    ignoreCase: values['ignore-case'],
    by: 'day' as Bucket,
    windowSeconds: 5,
    offsetsMs: {},
    include: values.include ?? [],
    exclude: values.exclude ?? [],
    level: values.level,
    nodes: values.node ?? [],
    sources: values.source ?? [],
    after: values.after,
    before: values.before,
  };
  if (values.help || !command) return { ...base, command: 'help' };
  const spec = commandNamed(command);
  const needs = spec?.needs;
  const arg = needs ? rest.shift() : undefined;
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  if (spec?.noBundle) {
    if (!target) throw new UsageError(`${command} needs a VALUE (e.g. 0x100000175e)`);
    return { ...base, command };
  }
  if (!spec) throw new UsageError(`unknown command "${command}" (try --help)`);
  if (!target) throw new UsageError(`${command} needs a bundle folder`);
  if (needs && !arg) throw new UsageError(`${command} needs ${needs} after the folder`);
  const max = values.max !== undefined ? Number(values.max) : undefined;
  if (max !== undefined && !(max > 0)) throw new UsageError('--max takes a positive number');
  const by = values.by ?? 'day';
  if (by !== 'day' && by !== 'hour') throw new UsageError('--by takes day or hour');
  let center: Micros | undefined;
  if (command === 'context') {
    center = parseUserTime(arg ?? '');
    if (center === undefined) throw new UsageError(`"${arg ?? ''}" is not a time (2023-03-14T01:35:51 or 2023-03-14 01:35:51.703)`);
  }
  const from = values.from === undefined ? undefined : parseUserTime(values.from);
  if (values.from !== undefined && from === undefined)
    throw new UsageError(`--from takes a time (2023-03-14T01:35:51.703000), not "${values.from}"`);
  const to = values.to === undefined ? undefined : parseUserTime(values.to);
  if (values.to !== undefined && to === undefined)
    throw new UsageError(`--to takes a time (2023-03-14T01:35:51.703000), not "${values.to}"`);
  return {
    ...base,
    command,
    arg: arg ?? '',
    max,
    from,
    to,
    by,
    windowSeconds: parseDuration(values.window ?? '5s'),
    offsetsMs: parseOffsets(values.offset ?? []),
    center,
  };
}

/** `--offset 172_20_131_243=-1400` (ms, repeatable) → ms per node. */
function parseOffsets(list: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of list) {
    const m = /^([^=]+)=([+-]?\d+(?:\.\d+)?)$/.exec(item);
    if (!m) throw new UsageError(`--offset takes NODE=MILLISECONDS, not "${item}"`);
    out[m[1]] = Number(m[2]);
  }
  return out;
}

/** "5s", "500ms", "2m", "5" (seconds) → seconds. */
function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) throw new UsageError(`--window takes a duration such as 5s, 500ms or 2m, not "${text}"`);
  const v = Number(m[1]);
  return m[2] === 'ms' ? v / 1000 : m[2] === 'm' ? v * 60 : v;
}
