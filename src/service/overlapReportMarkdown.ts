import { mdCode, mdText } from '../core/inertText';
import { ROLE } from '../core/rules/roleRules';
import type { FaultNearby, IntervalInfo, OverlapInfo, OverlapReport, SessionEventInfo, SilenceInfo, SourceLocation } from './results';

/**
 * The overlap report as Markdown an investigator pastes into an incident ticket: one home for its words,
 * used by `overlaps --explain` and the editor's "Copy as Markdown". It holds no link and no HTML: every
 * piece of bundle text (node and file names, log lines) goes through the inert-text helpers, and each
 * log line shows its `file:line` and time as text, so the reader finds it in the bundle.
 */
export function overlapReportMarkdown(r: OverlapReport): string {
  const o = r.overlap;
  const out: string[] = [title(o), '', ...summary(r), ''];
  out.push('### Terms', '');
  for (const iv of o.intervals) out.push(...term(o, iv), '');
  out.push('### Stale side evidence', '', ...staleEvidence(o), '');
  out.push('### Silences', '', ...orNone(o.silences.map(silence), 'No silence found on either node around the overlap.'), '');
  out.push('### Faults', '', ...orNone(o.faults.map(fault), 'No fault injection logged before or during the overlap.'), '');
  out.push(
    '### ZooKeeper states around it',
    '',
    ...orNone(
      r.states.map((l) => `- ${mdText(relation(o, l.time))} · ${lineText(l.timeLabel, l.nodeLabel, l.location, l.text)}`),
      'No ZooKeeper state or role line logged on either node around the overlap.',
    ),
    '',
  );
  out.push('### Sessions', '', ...orNone(r.sessions.map(session), 'No session expiry or close logged around the overlap.'), '');
  out.push('### Clock', '', ...clock(o), '');
  out.push(
    '### Warnings',
    '',
    ...orNone(
      r.warnings.map((w) => `- ${mdText(w)}`),
      'None.',
    ),
  );
  return out.join('\n') + '\n';
}

/** "## meta leader overlap: 172.20.131.241 ∩ 172.20.131.243 — 2.809816 s (2023-03-14 05:12:24.461460 → …)". */
function title(o: OverlapInfo): string {
  const [a, b] = o.nodeLabels;
  return `## ${mdText(o.role)} leader overlap: ${mdText(a)} ∩ ${mdText(b)} — ${duration(o.seconds)} (${spaced(o.startLabel)} → ${spaced(o.endLabel)})`;
}

function summary(r: OverlapReport): string[] {
  const o = r.overlap;
  const out: string[] = [];
  if (o.bundle !== undefined) out.push(`- **Bundle:** ${mdText(o.bundle)}`);
  out.push(
    o.stale
      ? `- **Stale side:** ${mdText(o.stale.nodeLabel)} — ${mdText(o.stale.why)} (${STALE_BY[o.stale.by]})`
      : '- **Stale side:** the logs do not tell (neither epoch nor election seq nor start times set the terms apart)',
  );
  const serving = servingWords(o);
  if (serving) out.push(`- **Both serving:** ${serving}`);
  out.push(`- **Nearest fault:** ${nearestFault(o.faults)}`);
  out.push(`- **Silences:** ${silenceSummary(o.silences)}`);
  out.push(`- **Session expiries:** ${sessionSummary(r.sessions)}`);
  out.push(`- **Clock:** ${clockSummary(o)}`);
  if (r.warnings.length) out.push(`- **Read with care:** ${r.warnings.map(mdText).join('; ')}`);
  return out;
}

const STALE_BY: Record<NonNullable<OverlapInfo['stale']>['by'], string> = {
  epoch: 'told by the ZooKeeper epochs',
  electionSeq: 'told by the meta election seqs',
  start: 'told by the start times only: it rests on the clocks',
};

/** ZooKeeper only: how long both leaders could serve clients at once, as the phases tell. */
function servingWords(o: OverlapInfo): string | undefined {
  const s = o.bothServing;
  if (!s) return o.role === ROLE.zookeeper ? 'not known: the phases (discovery, synchronization, broadcast) were not logged' : undefined;
  if (!('start' in s)) return 'never both in broadcast: the two leaders never served clients at once';
  return `both in broadcast for ${duration(s.seconds)} (${spaced(s.startLabel)} → ${spaced(s.endLabel)})`;
}

function nearestFault(faults: readonly FaultNearby[]): string {
  if (faults.length === 0) return 'none logged before or during the overlap';
  const more = faults.length > 1 ? ` (and ${faults.length - 1} more below)` : '';
  return `${mdText(faults[0].words)}${more}`;
}

function silenceSummary(silences: readonly SilenceInfo[]): string {
  if (silences.length === 0) return 'none found on either node';
  const longest = silences.reduce((a, b) => (b.seconds > a.seconds ? b : a));
  const others = silences.length > 1 ? ` (${silences.length} in all)` : '';
  return `${mdText(longest.nodeLabel)} (${mdText(longest.program)}) wrote nothing for ${duration(longest.seconds)} from ${spaced(longest.fromLabel)}${others}`;
}

function sessionSummary(sessions: readonly SessionEventInfo[]): string {
  if (sessions.length === 0) return 'none logged around the overlap';
  const not = sessions.filter((s) => s.effective === false).length;
  const judged = sessions.filter((s) => s.effective !== undefined).length;
  const total = `${sessions.length} expir${sessions.length === 1 ? 'y or close' : 'ies and closes'} logged around the overlap`;
  if (judged === 0) return `${total}; the logs cannot tell whether they took effect`;
  return `${total}; ${not} of ${judged} judged did not take effect${not ? ' (logged by a deposed leader)' : ''}`;
}

function clockSummary(o: OverlapInfo): string {
  const applied = o.clockOffsetMs !== undefined ? `, configured offset of ${o.clockOffsetMs} ms applied` : '';
  if (o.clockUncertaintyMs === undefined) return `not measured (no NTP/chrony offsets for either node)${applied}`;
  const ms = Math.round(o.clockUncertaintyMs);
  return o.uncertain
    ? `**uncertain** — the overlap is no longer than the clocks may differ (±${ms} ms by NTP): it may not be real${applied}`
    : `the clocks may differ by up to ${ms} ms (NTP), less than the overlap${applied}`;
}

const EPOCH_BY: Record<NonNullable<IntervalInfo['epochBy']>, string> = {
  quorum: 'from its quorum line',
  txnLog: 'from its own txn log files',
  followersTxnLog: "from its followers' txn logs",
};

/** One term: a line of facts, then its start line, its phases and its end line. */
function term(o: OverlapInfo, iv: IntervalInfo): string[] {
  const facts = [`${spaced(iv.startLabel)} → ${spaced(iv.endLabel)}`, duration(iv.seconds)];
  if (iv.epoch !== undefined) facts.push(`epoch ${iv.epoch}${iv.epochBy ? ` (${EPOCH_BY[iv.epochBy]})` : ''}`);
  else if (iv.epochAtLeast !== undefined) facts.push(`epoch at least ${iv.epochAtLeast}${iv.epochBy ? ` (${EPOCH_BY[iv.epochBy]})` : ''}`);
  if (iv.electionSeq !== undefined) facts.push(`election seq ${iv.electionSeq}`);
  facts.push(`ended by ${mdText(iv.endReasonText)}`);
  if (iv.clockStepped) facts.push("the node's clock stepped back during it");
  const stale = o.stale?.node === iv.node ? ' (stale)' : '';
  // A phase logged on the start line (3.5+ "leading - discovery") is named with the start, not repeated.
  const phases = iv.phases ?? [];
  const atStart = phases.filter((p) => key(p.source) === key(iv.startSource)).map((p) => p.phase);
  const lines = [
    `- start${atStart.length ? ` (${atStart.join(', ')})` : ''}: ${lineText(iv.startLabel, iv.nodeLabel, iv.startSource, iv.startText)}`,
    ...phases
      .filter((p) => key(p.source) !== key(iv.startSource))
      .map((p) => `- ${p.phase}: ${lineText(p.timeLabel, iv.nodeLabel, p.source, p.text)}`),
    `- end: ${lineText(iv.endLabel, iv.nodeLabel, iv.endSource, iv.endText)}`,
  ];
  return [`**${mdText(iv.nodeLabel)}**${stale}: ${facts.join(', ')}`, '', ...lines];
}

function staleEvidence(o: OverlapInfo): string[] {
  if (!o.stale) return ['The logs do not tell which side is stale.'];
  const s = o.stale;
  const label = (node: string) => o.nodeLabels[o.nodes.indexOf(node)] ?? node;
  return [
    `${mdText(s.nodeLabel)} is the stale side: ${mdText(s.why)} (${STALE_BY[s.by]}).`,
    '',
    ...orNone(
      s.evidence.map((e) => `- ${lineText(e.timeLabel, label(e.node), e.location, e.text)}`),
      'No line was kept as evidence.',
    ),
  ];
}

function silence(s: SilenceInfo): string {
  return [
    `- ${mdText(s.nodeLabel)} (${mdText(s.program)}) wrote nothing for ${duration(s.seconds)}, ${spaced(s.fromLabel)} → ${spaced(s.toLabel)} (it usually writes every ${s.usualSpacingMs} ms)`,
    `  - last line before: ${spaced(s.fromLabel)} · ${mdCode(`${s.before.file}:${s.before.line}`)}`,
    `  - first line after: ${spaced(s.toLabel)} · ${mdCode(`${s.after.file}:${s.after.line}`)}`,
  ].join('\n');
}

function fault(f: FaultNearby): string {
  const span = `${spaced(f.startLabel)} → ${f.open ? 'never restored' : spaced(f.endLabel)}`;
  return `- ${mdText(f.words)} (${span}): ${lineText(f.startLabel, f.nodeLabel ?? f.node ?? '', f.source, f.text)}`;
}

function session(s: SessionEventInfo): string {
  // Only a server's expiry or close is judged; a client's loss or "Invalid session" just is.
  const verdict = s.effective === undefined ? '' : `, effective: ${s.effective ? 'yes' : '**no**'}${s.why ? ` — ${mdText(s.why)}` : ''}`;
  return `- ${mdText(s.what)}${verdict}; ${lineText(s.timeLabel, s.nodeLabel, s.location, s.text)}`;
}

function clock(o: OverlapInfo): string[] {
  const out: string[] = [];
  if (o.clockOffsetMs !== undefined)
    out.push(`- Configured clock offset between the two nodes: ${o.clockOffsetMs} ms, applied before comparing.`);
  else out.push('- No clock offset configured for either node: the times are as logged.');
  if (o.clockUncertaintyMs === undefined)
    out.push("- Neither node's logs measured its clock (NTP/chrony): the overlap's length is only as good as the two clocks.");
  else {
    const ms = Math.round(o.clockUncertaintyMs);
    out.push(
      `- The two nodes' largest measured NTP/chrony offsets add up to ${ms} ms; the overlap lasts ${duration(o.seconds)}` +
        (o.uncertain ? ': no longer than that, so **it may not be real**.' : ': longer than that.'),
    );
  }
  for (const iv of o.intervals)
    if (iv.clockStepped) out.push(`- The clock of ${mdText(iv.nodeLabel)} stepped back during its term (the term is split at the step).`);
  return out;
}

/** "2023-03-14 05:12:24.461460 · 172.20.131.241 · `file:line` `text`": a log line as text, never a link. */
function lineText(time: string | undefined, node: string, loc: SourceLocation, text: string | undefined): string {
  const parts = [time ? spaced(time) : 'time not known', mdText(node), mdCode(`${loc.file}:${loc.line}`)];
  return parts.join(' · ') + (text !== undefined ? ` ${mdCode(text)}` : '');
}

/** Where a state line lies against the overlap: before, during or after it. */
function relation(o: OverlapInfo, t: number | undefined): string {
  if (t === undefined) return 'undated';
  return t < o.start ? 'before' : t <= o.end ? 'during' : 'after';
}

const key = (l: SourceLocation) => `${l.uri}#${l.line}`;

function orNone(lines: string[], none: string): string[] {
  return lines.length ? lines : [none];
}

/** `2023-03-14T05:12:24.461460` → `2023-03-14 05:12:24.461460`, as tickets and tables read best. */
const spaced = (label: string): string => label.replace('T', ' ');

/** "2.809816 s", "1154.590981 s (19.2 min)": exact, with minutes for the long ones. */
function duration(seconds: number): string {
  return seconds < 100 ? `${seconds} s` : `${seconds} s (${(seconds / 60).toFixed(1)} min)`;
}
