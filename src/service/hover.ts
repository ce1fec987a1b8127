import { nodeLabel } from '../core/bundleQueries';
import { decodeSessionId } from '../core/decode/sessionId';
import { describeErrno, describeRetcode } from '../core/decode/zkErrors';
import { decodeZxid } from '../core/decode/zxid';
import { formatById, parseLine } from '../core/formats';
import type { FileIndex } from '../core/model';
import { sessionLifecycle, type LifecycleEvent } from '../core/workflows/sessionLifecycle';
import { monthDay, type Micros } from '../core/time';
import { RollingYearClock } from '../core/yearClock';
import { describeEndReason, ROLE } from '../core/rules/roleRules';
import { decodeValue, type Decoded } from '../core/decode/decodeValue';
import { contextBefore, tokenAt, type Token } from '../core/hoverTokens';
import { fileUriOf, type BundleHandle } from './bundleHandle';
import { withoutPort } from '../core/identifiers';
import { mdCode, mdLink, mdText } from '../core/inertText';
import { verdictWords } from '../core/expiryVerdict';
import type { ClockOffsets } from '../core/overlaps';

/** What a hover needs to know about the document and the bundle. */
export interface HoverContext {
  bundle?: BundleHandle;
  file?: FileIndex;
  /** 1-based line number of the hovered line. */
  lineNumber: number;
  label: (t: Micros) => string;
  zone: string;
  /** Clock corrections (µs per node): a session expiry is judged against the leader terms in corrected time. */
  offsets?: ClockOffsets;
  /**
   * Set while the document's bundle is being indexed and its file is not in the index yet (files done of
   * total; 0 of 0 before the files are counted): what needs the index is missing, and the hover says so.
   */
  indexing?: { done: number; total: number };
}

export interface HoverResult {
  markdown: string;
  start: number;
  end: number;
}

/** Markdown for the token under the cursor; undefined when there is nothing to explain. */
export function hoverFor(line: string, character: number, ctx: HoverContext): HoverResult | undefined {
  const token = tokenAt(line, character);
  if (!token) return undefined;
  const md = [explain(token, line, ctx), indexingNote(token, ctx)].filter(Boolean).join('\n\n');
  return md ? { markdown: md, start: token.start, end: token.end } : undefined;
}

/** What a hover on each kind of token takes from the index, named while it is still being built. */
const FROM_THE_INDEX: Partial<Record<Token['kind'], string>> = {
  hex: 'lifecycle and leaders follow',
  sessionDecimal: 'lifecycle and leaders follow',
  address: 'its node and leader terms follow',
  uuid: "the meta session's expiries follow",
  glogPrefix: 'the year follows',
};

/** "Indexing 43/97 files — lifecycle and leaders follow": a hover during indexing leaves nothing out silently. */
function indexingNote(token: Token, ctx: HoverContext): string | undefined {
  const follows = FROM_THE_INDEX[token.kind];
  if (!ctx.indexing || !follows) return undefined;
  const { done, total } = ctx.indexing;
  return `_${total > 0 ? `Indexing ${done}/${total} files` : 'Indexing the bundle'} — ${follows}._`;
}

function explain(token: Token, line: string, ctx: HoverContext): string | undefined {
  switch (token.kind) {
    case 'hex':
      return explainHex(token, line, ctx);
    case 'sessionDecimal':
      return explainSession(token.text, ctx);
    case 'retcode': {
      const d = describeRetcode(Number(token.text.split('=')[1]));
      return d ? retcodeMarkdown(d) : undefined;
    }
    case 'errno': {
      const d = describeErrno(Number(/=(\d+)/.exec(token.text)?.[1]));
      return d ? errnoMarkdown(d) : undefined;
    }
    case 'address':
      return explainAddress(token.text, ctx);
    case 'uuid':
      return explainMetaSession(token.text, ctx);
    case 'glogPrefix':
    case 'isoTime':
      return explainTime(token, line, ctx);
  }
}

type Described = { code: number; name: string; meaning: string };
const retcodeMarkdown = (d: Described) => `**ZooKeeper C client retcode ${d.code}: ${mdCode(d.name)}**\n\n${mdText(d.meaning)}.`;
const errnoMarkdown = (d: Described) => `**errno ${d.code}: ${mdCode(d.name)}**\n\n${mdText(d.meaning)}.`;

function link(ctx: HoverContext, file: string, line: number): string {
  if (!ctx.bundle) return mdText(`${file}:${line}`);
  return mdLink(`${file.slice(file.lastIndexOf('/') + 1)}:${line}`, `${fileUriOf(ctx.bundle, file)}#L${line}`);
}

/** A node's label (its folder name, or the address it stands for), escaped: folder names come from the bundle. */
function labelOf(ctx: HoverContext, name: string): string {
  return ctx.bundle?.queries ? nodeLabel(ctx.bundle?.queries.node(name), name) : name;
}

function nodeText(ctx: HoverContext, name: string): string {
  return mdText(labelOf(ctx, name));
}

function explainHex(token: Token, line: string, ctx: HoverContext): string | undefined {
  const before = contextBefore(line, token.start).toLowerCase();
  const zxid = decodeZxid(token.text);
  const session = decodeSessionId(token.text);
  if (!zxid) return undefined;
  const saysSession = /session|revalidating client|client: ?$/.test(before);
  const saysZxid = /zxid|leader |log\.|snapshot/.test(before);
  const plausibleSession = !!session && session.myid > 0;
  const plausibleZxid = zxid.epoch < 1 << 20;
  const parts: string[] = [];
  if (saysSession || (!saysZxid && plausibleSession)) parts.push(explainSession(token.text, ctx) ?? '');
  if (saysZxid || (!saysSession && plausibleZxid)) parts.push(explainZxid(token.text, ctx));
  return parts.filter(Boolean).join('\n\n---\n\n') || undefined;
}

function explainZxid(text: string, ctx: HoverContext): string {
  const z = decodeZxid(text);
  if (!z) return '';
  const out = [
    `**zxid ${z.zxid}**`,
    '',
    `epoch **${z.epoch}** (0x${z.epoch.toString(16)}) · counter **${z.counter}** (0x${z.counter.toString(16)})`,
  ];
  const leaders = ctx.bundle?.queries.epochLeaders(z.epoch) ?? [];
  if (leaders.length > 0) {
    for (const iv of leaders) {
      out.push(
        '',
        `Epoch ${z.epoch} was led by **${nodeText(ctx, iv.node)}** from ${ctx.label(iv.start)} to ${ctx.label(iv.end)}, ended by ${mdText(describeEndReason(iv.endReason))} — ${link(ctx, iv.startSource.file, iv.startSource.line)}`,
      );
    }
  } else if (ctx.bundle?.queries) {
    out.push('', `No ZooKeeper leader term with epoch ${z.epoch} is in this bundle's index.`);
    // Terms whose epoch is only bounded may be this epoch's: named as candidates, never as its leader.
    const maybe = ctx.bundle.queries
      .intervals(ROLE.zookeeper)
      .filter((iv) => iv.epoch === undefined && iv.epochAtLeast !== undefined && iv.epochAtLeast <= z.epoch);
    for (const iv of maybe.slice(0, 5)) {
      out.push(
        '',
        `Perhaps **${nodeText(ctx, iv.node)}**'s term from ${ctx.label(iv.start)}: its epoch is not logged, only that it is at least ${iv.epochAtLeast ?? ''} — ${link(ctx, iv.startSource.file, iv.startSource.line)}`,
      );
    }
  }
  return out.join('\n');
}

function explainSession(text: string, ctx: HoverContext): string | undefined {
  const s = decodeSessionId(text);
  if (!s) return undefined;
  const creator = ctx.bundle?.queries.nodeOfMyid(s.myid);
  const claimants = creator ? [] : (ctx.bundle?.queries.nodesOfMyid(s.myid) ?? []);
  const by = creator
    ? ` → **${mdText(nodeLabel(creator, creator.name))}**`
    : claimants.length > 1
      ? ` — claimed by ${claimants.length} nodes (${claimants.map((n) => mdText(nodeLabel(n, n.name))).join(', ')}): which one cannot be told`
      : '';
  const out = [
    `**ZooKeeper session ${s.sessionId}** (decimal ${s.decimal})`,
    '',
    `created by the server with **myid ${s.myid}**${by} · counter ${s.counter}`,
    '',
    `40-bit ms field ${s.time40.toLocaleString('en-US')} (${s.uptimeDays.toFixed(2)} days). On ZooKeeper 3.4.11+ and 3.5.1+ this is a monotonic clock — roughly how long that server had been up when its session tracker started — not a date; only 3.3.0–3.4.10 and 3.5.0 used the wall clock.`,
  ];
  const q = ctx.bundle?.queries;
  const judge = q && { zkTerms: q.roles.includes(ROLE.zookeeper) ? q.intervals(ROLE.zookeeper) : [], offsets: ctx.offsets };
  const events = q ? sessionLifecycle(q.bundle, s.sessionId, judge).events : [];
  if (events.length > 0) out.push('', '**In this bundle:**', '', ...lifecycleLines(events, ctx));
  else if (ctx.bundle?.queries) out.push('', 'No lifecycle lines for this session in the index.');
  return out.join('\n');
}

/** A uuid the meta service used as a lease session: its expiries (uuids name volumes too, so only then). */
function explainMetaSession(text: string, ctx: HoverContext): string | undefined {
  if (!ctx.bundle?.queries) return undefined;
  const life = sessionLifecycle(ctx.bundle?.queries.bundle, text);
  if (life.events.length === 0) return undefined;
  return [`**meta session ${mdText(life.id)}**`, '', ...lifecycleLines(life.events, ctx)].join('\n');
}

function lifecycleLines(events: readonly LifecycleEvent[], ctx: HoverContext): string[] {
  // `what` is the extension's own wording ("expired by the leader", "[SESSION EXPIRED] <uuid>"), not log text.
  const out = events.slice(0, 20).map((e) => {
    const f = ctx.bundle?.queries.bundle.files[e.file];
    // A deposed leader's expiry never happened: said on its row, in the extension's own words.
    const verdict = e.verdict?.effective === false ? ` — **${mdText(verdictWords(e.verdict, (n) => labelOf(ctx, n)))}**` : '';
    return `- ${ctx.label(e.time)} ${e.what} on ${f ? nodeText(ctx, f.node) : '?'}${verdict} — ${f ? link(ctx, f.path, e.line) : ''}`;
  });
  if (events.length > 20) out.push(`- … ${events.length - 20} more`);
  return out;
}

function explainAddress(text: string, ctx: HoverContext): string | undefined {
  if (!ctx.bundle?.queries) return undefined;
  const address = withoutPort(text);
  const node = ctx.bundle?.queries.nodeOfAddress(address);
  if (!node) return `**${mdText(text)}** is not an address of any node in this bundle.`;
  const roles = ctx.bundle?.queries.rolesOfNode(node.name).map((r) => `${mdText(r.role)} leader ×${r.count}`);
  return [
    `**${mdText(text)}** belongs to node **${mdText(nodeLabel(node, node.name))}** (folder ${mdCode(node.name)})`,
    '',
    `addresses ${mdText(node.addresses.join(', ')) || '—'}${node.myids.length ? ` · ZooKeeper myid ${node.myids.join(', ')}` : ''}`,
    '',
    roles.length ? `leader terms: ${roles.join(', ')}` : 'held no leader role in this bundle',
  ].join('\n');
}

/** The date a timestamp stands for: glog's year comes from the file (header, name, rollover). */
function explainTime(token: Token, line: string, ctx: HoverContext): string | undefined {
  // A time inside a glog line (the ZooKeeper C client's own stamp) is read as plain text.
  const formatId = token.kind === 'glogPrefix' ? 'glog' : ctx.file && ctx.file.format !== 'glog' ? ctx.file.format : 'plain';
  const { clock, yearNote } = yearClockFor(ctx);
  const target = token.kind === 'glogPrefix' ? line : line.slice(token.start);
  const parsed = parseLine(formatById(formatId), target, clock) ?? parseLine(formatById('plain'), target, clock);
  if (!parsed) return undefined;
  const zone = ctx.zone ? `zone ${ctx.zone}` : "the logs' wall clock (set `quorumLens.timeZone` to give it a zone)";
  const out = [`**${mdText(ctx.label(parsed.time))}**`, '', zone];
  if (parsed.yearInferred) out.push('', `year ${mdText(yearNote)}`);
  if (token.kind === 'glogPrefix')
    out.push(
      '',
      `thread ${mdCode(parsed.thread ?? '?')} · source ${mdCode(parsed.location ?? '?')} · severity ${mdText(parsed.severity ?? '?')}`,
    );
  else if (parsed.thread || parsed.location)
    out.push(
      '',
      [
        parsed.severity && mdText(parsed.severity),
        parsed.thread && `thread ${mdCode(parsed.thread)}`,
        parsed.location && mdCode(parsed.location),
      ]
        .filter(Boolean)
        .join(' · '),
    );
  return out.join('\n');
}

function yearClockFor(ctx: HoverContext): { clock: RollingYearClock; yearNote: string } {
  const f = ctx.file;
  const source =
    f?.yearSource === 'header'
      ? 'from the glog file header'
      : f?.yearSource === 'fileName'
        ? 'from the file name'
        : f?.yearSource === 'bundle'
          ? "borrowed from the bundle's other logs"
          : 'unknown (no header or dated file name)';
  // The last checkpoint at or before the line dates it, including years rolled over inside the file.
  let anchor: Micros | undefined = f?.created ?? f?.firstTime;
  for (const [line, , time] of f?.checkpoints ?? []) {
    if (line > ctx.lineNumber) break;
    anchor = time;
  }
  const clock = new RollingYearClock(anchor !== undefined ? monthDay(anchor) : { year: 2000, month: 0, day: 0 });
  return { clock, yearNote: anchor !== undefined ? `${monthDay(anchor).year}, ${source}` : source };
}

/** Markdown for a decoded value ("Decode ZooKeeper Id…", CLI `decode`): every reading `decodeValue` found. */
export function explainDecoded(d: Decoded, ctx: HoverContext): string {
  const parts: string[] = [];
  if (d.retcode) parts.push(retcodeMarkdown(d.retcode));
  if (d.errno) parts.push(errnoMarkdown(d.errno));
  if (d.sessionId) parts.push(explainSession(d.sessionId.sessionId, ctx) ?? '');
  if (d.zxid) parts.push(explainZxid(d.zxid.zxid, ctx));
  return parts.filter(Boolean).join('\n\n---\n\n');
}

/** Markdown for a value typed by a user; undefined when it is no zxid, session id, retcode or errno. */
export function explainValue(value: string, ctx: HoverContext): string | undefined {
  const d = decodeValue(value);
  return d ? explainDecoded(d, ctx) : undefined;
}
