import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { languageService, noCancel, preview, seenInPreview } from '../markdownReader';
import { mdCode, mdText } from '../../src/core/inertText';
import * as service from '../../src/service';
import { overlapReportMarkdown } from '../../src/service/overlapReportMarkdown';
import { quietSampleContext } from '../helpers';

// The overlap report goes into incident tickets: Markdown with no link and no HTML at all, every log line
// as text with its file:line and time. Hostile node names, file names and log lines must show as they are
// and act as nothing, read the way VS Code's preview and its Markdown link detection read them.

let reports: service.OverlapReport[];
before(async () => {
  reports = service.explainOverlaps(await quietSampleContext(), { role: 'all' }).reports;
});

const SECTIONS = ['Terms', 'Stale side evidence', 'Silences', 'Faults', 'ZooKeeper states around it', 'Sessions', 'Clock', 'Warnings'];

/** Everything that would act in a ticket: any link (the report has none of its own), HTML, images, extra headings. */
async function problems(md: string): Promise<string[]> {
  const out: string[] = [];
  const doc = TextDocument.create('quorum-lens:/report.md', 'markdown', 1, md);
  for (const l of await languageService.getDocumentLinks(doc, noCancel)) out.push(`editor link "${doc.getText(l.range)}"`);
  for (const m of md.matchAll(/\b(?:https?|file):\/\/\S*/gi)) out.push(`editor URL ${m[0]}`);
  const walk = (ts: ReturnType<typeof preview.parse>): void => {
    for (const t of ts) {
      if (t.type === 'html_inline' || t.type === 'html_block') out.push(`raw HTML ${JSON.stringify(t.content)}`);
      if (t.type === 'image') out.push(`image ${String(t.attrGet('src'))}`);
      if (t.type === 'link_open') out.push(`preview link ${String(t.attrGet('href'))}`);
      if (t.children) walk(t.children);
    }
  };
  const tokens = preview.parse(md, {});
  walk(tokens);
  const headings = tokens.filter((t) => t.type === 'heading_open').map((t, i) => `${t.tag} ${tokens[tokens.indexOf(t) + 1].content}#${i}`);
  if (headings.length !== 1 + SECTIONS.length) out.push(`headings: ${headings.join(' | ')}`);
  const html = preview.render(md);
  for (const m of html.matchAll(/<(a|img|script|iframe|svg|input|video|source|table)\b[^>]*>/gi)) out.push(`rendered ${m[0]}`);
  return out;
}

test('a report on the sample bundle: title, summary and every section, the stale side with its evidence lines as text', () => {
  assert.equal(reports.length, 6, 'every overlap of every role');
  for (const r of reports) {
    const md = overlapReportMarkdown(r);
    const o = r.overlap;
    const lines = md.split('\n');
    assert.equal(
      lines[0],
      `## ${o.role} leader overlap: ${o.nodeLabels[0]} ∩ ${o.nodeLabels[1]} — ${o.seconds}${o.seconds >= 100 ? ` s (${(o.seconds / 60).toFixed(1)} min)` : ' s'} (${o.startLabel.replace('T', ' ')} → ${o.endLabel.replace('T', ' ')})`,
    );
    assert.deepEqual(
      lines.filter((l) => l.startsWith('### ')).map((l) => l.slice(4)),
      SECTIONS,
    );
    assert.ok(o.stale, 'the sample tells the stale side of every overlap');
    assert.ok(lines.includes(`- **Stale side:** ${o.stale.nodeLabel} — ${o.stale.why.replace('<', '&lt;')} (${staleBy(o.stale.by)})`), md);
    const evidence = lines.slice(lines.indexOf('### Stale side evidence'), lines.indexOf('### Silences'));
    for (const e of o.stale.evidence) {
      const line = evidence.find((l) => l.includes(mdCode(`${e.location.file}:${e.location.line}`)));
      assert.ok(line, `${e.location.file}:${e.location.line} in\n${evidence.join('\n')}`);
      assert.ok(line.endsWith(` ${mdCode(e.text)}`), line);
      assert.match(line, /^- 20\d\d-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} · 172\.20\.131\.24\d · `/, 'its time and node');
    }
    // Both terms with their start lines; every state and session line of the report, with file:line.
    for (const iv of o.intervals)
      assert.match(
        md,
        new RegExp(`^- start(?: \\(discovery\\))?: ${iv.startLabel.replace('T', ' ')} · ${iv.nodeLabel.replace(/\./g, '\\.')} · `, 'm'),
        iv.node,
      );
    for (const l of [...r.states, ...r.sessions]) assert.ok(md.includes(mdCode(`${l.location.file}:${l.location.line}`)));
    assert.ok(!/\]\(|<a |https?:/.test(md), 'no link');
  }
});

test('the ZooKeeper report says how long both leaders served, and which expiries of the deposed leader did not take effect', () => {
  const zk = reports.find((r) => r.overlap.role === 'zk');
  assert.ok(zk);
  const md = overlapReportMarkdown(zk);
  const serving = zk.overlap.bothServing;
  assert.ok(serving && 'start' in serving, 'both leaders were in broadcast for a while');
  assert.ok(
    md.includes(
      `\n- **Both serving:** both in broadcast for ${serving.seconds} s (${serving.startLabel.replace('T', ' ')} → ${serving.endLabel.replace('T', ' ')})\n`,
    ),
    md,
  );
  assert.match(md, /^- \*\*Session expiries:\*\* 3 expiries and closes logged around the overlap; 2 of 2 judged did not take effect/m);
  const expiry = zk.sessions.find((s) => s.effective === false);
  assert.ok(
    expiry && md.includes(`\n- ${mdText(expiry.what)}, effective: **no** — ${mdText(expiry.why ?? '')}; `),
    "the deposed leader's expiry, judged",
  );
  assert.match(md, /^\*\*172\.20\.131\.242\*\* \(stale\): .*epoch 16 \(from its quorum line\)/m);
  // Each term's phases as lines, the broadcast one (when it could serve) with its time and source.
  for (const iv of zk.overlap.intervals) {
    const b = iv.phases?.find((p) => p.phase === 'broadcast');
    assert.ok(b, `${iv.node} reached broadcast`);
    assert.ok(
      md.includes(
        `\n- broadcast: ${b.timeLabel.replace('T', ' ')} · ${iv.nodeLabel} · ${mdCode(`${b.source.file}:${b.source.line}`)} ${mdCode(b.text)}\n`,
      ),
      `${iv.node} broadcast line`,
    );
  }
  assert.match(md, /^- during · 2023-03-14 01:35:52\.000000 · 172\.20\.131\.242 · /m);
  // Never both in broadcast, and phases not logged, read differently.
  const never = overlapReportMarkdown({ ...zk, overlap: { ...zk.overlap, bothServing: { seconds: 0 } } });
  assert.match(never, /^- \*\*Both serving:\*\* never both in broadcast/m);
  const unknown = overlapReportMarkdown({ ...zk, overlap: { ...zk.overlap, bothServing: undefined } });
  assert.match(unknown, /^- \*\*Both serving:\*\* not known: the phases .* were not logged/m);
  const meta = reports.find((r) => r.overlap.role === 'meta');
  assert.ok(meta && !overlapReportMarkdown(meta).includes('Both serving'), 'meta terms have no phases to speak of');
});

test('the uncertain meta overlap says the clocks may explain it, in the summary, the clock section and the warnings', () => {
  const r = reports.find((x) => x.overlap.uncertain);
  assert.ok(r, 'the 2.81 s overlap of 241 and 243');
  const md = overlapReportMarkdown(r);
  assert.match(md, /^- \*\*Clock:\*\* \*\*uncertain\*\* — the overlap is no longer than the clocks may differ \(±2836 ms by NTP\)/m);
  assert.match(md, /add up to 2836 ms; the overlap lasts 2\.809816 s: no longer than that, so \*\*it may not be real\*\*/);
  assert.match(md, /### Warnings\n\n- the overlap \\\(2\.809816 s\\\) is no longer than the clock uncertainty/);
  assert.match(md, /^- \*\*Read with care:\*\* the overlap/m);
});

test('faults and silences: the nearest fault in the summary, each silence with the lines before and after it', () => {
  const r = reports.find((x) => x.overlap.faults.length > 0);
  assert.ok(r, 'the long overlap during an iptables DROP');
  const [a] = r.overlap.intervals;
  const silence: service.SilenceInfo = {
    node: a.node,
    nodeLabel: a.nodeLabel,
    program: 'zbs-metad',
    from: a.start,
    to: a.start + 12_300_000,
    fromLabel: '2023-03-14T23:58:27.605160',
    toLabel: '2023-03-14T23:58:39.905160',
    seconds: 12.3,
    usualSpacingMs: 50,
    before: a.startSource,
    after: a.endSource,
  };
  const md = overlapReportMarkdown({
    ...r,
    overlap: { ...r.overlap, silences: [silence, { ...silence, seconds: 2, program: 'zookeeper' }] },
  });
  assert.match(md, /^- \*\*Nearest fault:\*\* iptables DROP on 10\.0\.131\.247, active during the overlap/m);
  assert.match(
    md,
    /^- \*\*Silences:\*\* 172\.20\.131\.243 \(zbs-metad\) wrote nothing for 12\.3 s from 2023-03-14 23:58:27\.605160 \(2 in all\)$/m,
  );
  assert.ok(
    md.includes(
      '- 172.20.131.243 (zbs-metad) wrote nothing for 12.3 s, 2023-03-14 23:58:27.605160 → 2023-03-14 23:58:39.905160 (it usually writes every 50 ms)\n' +
        `  - last line before: 2023-03-14 23:58:27.605160 · ${mdCode(`${a.startSource.file}:${a.startSource.line}`)}\n` +
        `  - first line after: 2023-03-14 23:58:39.905160 · ${mdCode(`${a.endSource.file}:${a.endSource.line}`)}`,
    ),
    md,
  );
  assert.match(
    md,
    /### Faults\n\n- iptables DROP on 10\.0\.131\.247, active during the overlap[^(]* \(2023-03-14 23:58:10\.000000 → .*`test-logs\/test_run\.log:\d+` `.*iptables -t mangle -A OUTPUT -s 10\.0\.131\.247 -j DROP/,
  );
  const none = overlapReportMarkdown({ ...r, overlap: { ...r.overlap, faults: [], stale: undefined } });
  assert.match(none, /^- \*\*Nearest fault:\*\* none logged before or during the overlap$/m);
  assert.match(none, /### Stale side evidence\n\nThe logs do not tell which side is stale\./);
});

/** Log text: each piece must stay visible, none may become a link, a heading, a list, a table or HTML. */
const PIECES = [
  '`code` ``` fence',
  '<script>alert(1)</script>',
  '[x](javascript:alert(1))',
  '[t](command:workbench.action.terminal.new)',
  'https://evil.example/',
  'file:///etc/passwd',
  '![i](https://evil.example/i.png)',
  '| a | b |',
  '\n# heading',
  '\r\n- list\n---\n',
  '<img src=x onerror=alert(1)>',
  '\u202eevil',
  '\x1b[31mESC',
];
const HOSTILE = PIECES.join(' ');
/** How a control character shows: a Control Pictures glyph; a bidi override as its escape. */
const visible = (s: string) =>
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  s.replace(/[\0-\x08\x0a-\x1f]/g, (c) => String.fromCharCode(0x2400 + c.charCodeAt(0))).replace('\u202e', '\\u202e');

/** Every piece of bundle text in the report replaced with `HOSTILE`: node, file and program names, log lines. */
function withText(r: service.OverlapReport, HOSTILE: string): service.OverlapReport {
  const loc = (l: service.SourceLocation): service.SourceLocation => ({ ...l, file: `${HOSTILE}/${l.file}` });
  const line = <T extends service.FoundLine>(l: T): T => ({ ...l, nodeLabel: HOSTILE, text: HOSTILE, location: loc(l.location) });
  const o = r.overlap;
  const iv = (i: service.IntervalInfo): service.IntervalInfo => ({
    ...i,
    nodeLabel: HOSTILE,
    startText: HOSTILE,
    endText: HOSTILE,
    endReasonText: HOSTILE,
    startSource: loc(i.startSource),
    endSource: loc(i.endSource),
    phases: i.phases?.map((p) => ({ ...p, text: HOSTILE, source: loc(p.source) })),
  });
  const s = o.intervals[0];
  return {
    overlap: {
      ...o,
      bundle: HOSTILE,
      nodeLabels: [HOSTILE, HOSTILE],
      intervals: [iv(o.intervals[0]), iv(o.intervals[1])],
      stale: o.stale && {
        ...o.stale,
        nodeLabel: HOSTILE,
        why: HOSTILE,
        evidence: o.stale.evidence.map((e) => ({ ...e, text: HOSTILE, location: loc(e.location) })),
      },
      silences: [
        {
          node: s.node,
          nodeLabel: HOSTILE,
          program: HOSTILE,
          from: s.start,
          to: s.end,
          fromLabel: s.startLabel,
          toLabel: s.endLabel,
          seconds: 3,
          usualSpacingMs: 20,
          before: loc(s.startSource),
          after: loc(s.endSource),
        },
      ],
      faults: [
        {
          tool: 'iptables',
          detail: HOSTILE,
          target: HOSTILE,
          nodeLabel: HOSTILE,
          start: o.start,
          end: o.end,
          startLabel: o.startLabel,
          endLabel: o.endLabel,
          open: false,
          source: loc(s.startSource),
          text: HOSTILE,
          relation: 'during',
          words: HOSTILE,
        },
      ],
    },
    states: r.states.map(line),
    sessions: r.sessions.map((x) => ({ ...line(x), what: HOSTILE, why: HOSTILE })),
    warnings: [HOSTILE],
  };
}

test('hostile node names, file names and log lines stay text: no link, HTML, heading, list item or table cell breaks out', async () => {
  for (const r of reports) {
    const md = overlapReportMarkdown(withText(r, HOSTILE));
    assert.deepEqual(await problems(md), [], md);
    // Nothing adds a line, a list item or a block: the report is shaped as with tame text.
    const tame = overlapReportMarkdown(withText(r, 'tame text'));
    assert.equal(md.split('\n').length, tame.split('\n').length);
    const blocks = (m: string) =>
      preview
        .parse(m, {})
        .map((t) => t.type)
        .join(' ');
    assert.equal(blocks(md), blocks(tame));
    const text = seenInPreview(md);
    for (const p of PIECES) assert.ok(text.includes(visible(p)), `"${visible(p)}" shows in\n${text}`);
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    assert.ok(!/[\r\x1b\u202e]/.test(md), 'no control character reaches the ticket');
  }
});

function staleBy(by: 'epoch' | 'electionSeq' | 'start'): string {
  return {
    epoch: 'told by the ZooKeeper epochs',
    electionSeq: 'told by the meta election seqs',
    start: 'told by the start times only: it rests on the clocks',
  }[by];
}
