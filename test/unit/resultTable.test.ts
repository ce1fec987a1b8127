import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { numberText } from '../../src/core/numberText';
import { BUILTIN_ROLE_RULES } from '../../src/core/rules/roleRules';
import { formatIso } from '../../src/core/time';
import {
  LABEL_COLUMN,
  cellText,
  countTable,
  csvField,
  sortedRows,
  statsTable,
  tableCsv,
  tableJson,
  tableMarkdown,
  type ResultTable,
} from '../../src/core/workflows/resultTable';
import * as service from '../../src/service';
import { parseResultTable, parseTableMessage, parseTableState } from '../../src/shared/tableProtocol';
import { seenInPreview, preview } from '../markdownReader';
import { quietSampleContext, tempDir } from '../helpers';

// Count per Node and Numeric Statistics open as a table (src/core/workflows/resultTable.ts): one model the
// panel shows, sorts and copies as CSV, Markdown or JSON. Numbers stay exact (integers every digit), node
// names from the bundle stay text in every format, and a spreadsheet never runs one as a formula.

const N = (last: number) => `172_20_131_${last}`;
const L = (last: number) => `172.20.131.${last}`;

let count: service.CountResult;
let stats: service.StatsResult;
before(async () => {
  const ctx = await quietSampleContext();
  count = await service.count(ctx, { pattern: 'Exception when following the leader', by: 'hour' });
  stats = await service.stats(ctx, { regex: 'GC pause .*, ([0-9.]+) secs' });
});

/** A bundle of one glog file per node folder, each line `x=<n>`: node folder → the numbers it logs. */
async function numbersBundle(perNode: Record<string, number[]>): Promise<service.ServiceContext> {
  const dir = path.join(tempDir('ql-table-'), 'bundle');
  Object.entries(perNode).forEach(([node, values], k) => {
    const folder = path.join(dir, node);
    fs.mkdirSync(folder, { recursive: true });
    const lines = values.map((v, i) => `I0316 00:00:${String(i).padStart(2, '0')}.000000  ${4200 + k} m.cc:1] x=${v}\n`);
    fs.writeFileSync(path.join(folder, `zbs-metad.log.20230316-000000.${4200 + k}`), lines.join(''));
  });
  const rules = [...BUILTIN_ROLE_RULES];
  return { rules, clockOffsetsMs: {}, label: formatIso, bundles: [await service.openBundle(dir, { roleRules: rules, cacheDir: false })] };
}

/** RFC 4180 CSV read back into fields (quoted fields, doubled quotes, CRLF records). */
function readCsv(csv: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i];
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && csv[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  assert.equal(field + record.join(''), '', 'the CSV ends with a CRLF');
  return records;
}

test('a count becomes a row per node and one over all nodes, a column per bucket and the total', () => {
  const t = countTable(count);
  assert.equal(t.kind, 'count');
  assert.equal(t.title, 'Count per node and hour');
  assert.equal(t.query, 'Exception when following the leader');
  assert.deepEqual(
    t.columns.map((c) => [c.id, c.numeric, c.bucket === true]),
    [
      ['2023-03-14 00:00', true, true],
      ['2023-03-14 01:00', true, true],
      ['total', true, false],
    ],
  );
  assert.deepEqual(
    t.rows.map((r) => [r.id, r.label, r.cells, r.summary === true]),
    [
      [N(243), L(243), [0, 2, 2], false],
      [N(245), L(245), [0, 1, 1], false],
      [N(247), L(247), [1, 0, 1], false],
      ['all nodes', 'all nodes', [1, 3, 4], true],
    ],
  );
  assert.deepEqual(t.notes, [], 'nothing left out');
});

test('statistics become a row per node and "all nodes", columns count, sum, min, max, mean, median and p99', () => {
  const t = statsTable(stats);
  assert.deepEqual(
    t.columns.map((c) => c.id),
    ['count', 'sum', 'min', 'max', 'mean', 'median', 'p99'],
  );
  assert.deepEqual(
    t.rows.map((r) => r.label),
    [L(241), L(243), 'all nodes'],
  );
  const n241 = stats.nodes[0];
  assert.deepEqual(t.rows[0].cells, [n241.count, n241.sum, n241.min, n241.max, n241.mean, n241.median, n241.p99]);
  assert.deepEqual(t.rows[2].cells.slice(0, 1), [5]);
  // Values the log wrote read as written; float noise does not show.
  assert.deepEqual(t.rows[0].cells.map(cellText), ['3', '0.8591447', '0.1744269', '0.4796178', '0.286381566666667', '0.2051', '0.4796178']);
  assert.equal(cellText(t.rows[1].cells[4]), '0.2');
});

test('sums are exact in every view: numbers summing to 1779611 read 1779611 (the Markdown view said 1779610)', async () => {
  const r = await service.stats(await numbersBundle({ [N(241)]: [1_000_000, 700_000], [N(242)]: [79_611] }), { regex: 'x=([0-9]+)' });
  assert.equal(r.all?.sum, 1_779_611, 'the service sums exactly');
  const t = statsTable(r);
  const all = t.rows.find((x) => x.summary);
  assert.deepEqual(all?.cells.map(cellText), ['3', '1779611', '79611', '1000000', '593203.666666667', '700000', '1000000']);
  assert.deepEqual(readCsv(tableCsv(t)).at(-1), ['all nodes', '3', '1779611', '79611', '1000000', '593203.666666667', '700000', '1000000']);
  assert.ok(tableMarkdown(t).includes('| **all nodes** | 3 | 1779611 | 79611 | 1000000 | 593203.666666667 | 700000 | 1000000 |'));
  assert.equal((JSON.parse(tableJson(t)) as ResultTable).rows.at(-1)?.cells[1], 1779611);
  // The one rule every view writes numbers by: integers every digit, other numbers to 15 significant digits.
  assert.equal(numberText(1779611), '1779611');
  assert.equal(numberText(2 ** 53 + 2), '9007199254740994');
  assert.equal(numberText(1e21), '1000000000000000000000');
  assert.equal(numberText(-0), '0');
  assert.equal(numberText(0.1 + 0.2), '0.3');
  assert.equal(numberText(-1.434), '-1.434');
  assert.equal(numberText(1.5e-7), '1.5e-7');
});

test('CSV is RFC 4180 and inert in a spreadsheet: text starting with = + - @ gets a leading quote, numbers stay numbers', () => {
  const hostile = ['=HYPERLINK("http://x","y")', '+1+2', '-2+3', '@SUM(A1)', 'a,b', 'two\r\nlines', '"quoted"', '\tTab', 'plain'];
  const t = countTable({
    pattern: 'x',
    by: 'day',
    buckets: ['2023-03-16'],
    nodes: hostile.map((label, i) => ({ node: `n${i}`, label, total: i, counts: [i] })),
    undated: 0,
    truncated: false,
    unreadable: [],
  });
  const csv = tableCsv(t);
  assert.ok(csv.endsWith('\r\n') && !/[^\r]\n/.test(csv.replace('two\r\nlines', '')), 'records end with CRLF');
  const records = readCsv(csv);
  assert.deepEqual(records[0], ['node', '2023-03-16', 'total']);
  assert.deepEqual(
    records.slice(1, -1).map((r) => r[0]),
    ['\'=HYPERLINK("http://x","y")', "'+1+2", "'-2+3", "'@SUM(A1)", 'a,b', 'two\r\nlines', '"quoted"', "'\tTab", 'plain'],
  );
  assert.ok(csv.includes('"\'=HYPERLINK(""http://x"",""y"")"'), 'quotes doubled inside a quoted field');
  assert.equal(csvField('x'), 'x');
  // A negative number is a number, not a formula: a clock offset of -1.434 s stays -1.434.
  const offsets = statsTable({
    pattern: 'offset (\\S+)',
    nodes: [{ node: 'n', label: 'n', count: 2, sum: -1.492, min: -1.434, max: -0.058, mean: -0.746, median: -0.746, p99: -0.058 }],
    all: { count: 2, sum: -1.492, min: -1.434, max: -0.058, mean: -0.746, median: -0.746, p99: -0.058 },
    notNumbers: 0,
    truncated: false,
    unreadable: [],
  });
  assert.deepEqual(readCsv(tableCsv(offsets))[1], ['n', '2', '-1.492', '-1.434', '-0.058', '-0.746', '-0.746', '-0.058']);
});

test('Markdown keeps hostile node names as text: a pipe splits no cell, a backtick opens no code, no HTML or link', () => {
  const names = ['a|b', '`rm -rf`|', '<img src=x onerror=alert(1)>', '[x](command:workbench.action.terminal.new)', 'https://evil.example/'];
  const t = countTable({
    pattern: 'when | `x`',
    by: 'day',
    buckets: ['2023-03-16'],
    nodes: names.map((label, i) => ({ node: `n${i}`, label, total: i + 1, counts: [i + 1] })),
    undated: 0,
    truncated: false,
    unreadable: [{ file: 'n0/<b>x</b>.log', message: 'EACCES | denied' }],
  });
  const md = tableMarkdown(t);
  const tokens = preview.parse(md, {});
  const cells = tokens.filter((x) => x.type === 'inline' && ['th_open', 'td_open'].includes(tokens[tokens.indexOf(x) - 1]?.type ?? ''));
  assert.equal(tokens.filter((x) => x.type === 'tr_open').length, 1 + names.length + 1, 'a header, a row per node, all nodes');
  assert.equal(cells.length, 3 * (1 + names.length + 1), 'three cells in every row');
  const html = preview.render(md);
  assert.doesNotMatch(html, /<(a|img|script)\b/i, 'no link, image or script');
  assert.equal(html.match(/<code>/g)?.length, 1, 'one code span: the query, none in the table');
  assert.ok(!tokens.some((x) => x.children?.some((c) => c.type === 'html_inline' || c.type === 'link_open')));
  const seen = seenInPreview(md);
  for (const name of names) assert.ok(seen.includes(name), `${name} reads as written in\n${seen}`);
  assert.ok(md.startsWith('**Count per node and day:** `` when | `x` ``'), md);
  assert.ok(seen.includes('n0/<b>x</b>.log: EACCES | denied'), 'notes are text too');
});

test('sorting: numbers as numbers, stable, empty cells last, names in natural order, "all nodes" always last', () => {
  const t: ResultTable = {
    kind: 'count',
    title: 't',
    query: 'q',
    rowHeader: 'node',
    columns: [
      { id: 'a', label: 'a', numeric: true },
      { id: 'b', label: 'b', numeric: true },
    ],
    rows: [
      { id: 'node10', label: 'node10', cells: [2, 9] },
      { id: 'node2', label: 'node2', cells: [10, null] },
      { id: 'node1', label: 'node1', cells: [2, 1] },
      { id: 'node3', label: 'node3', cells: [2, 5] },
      { id: 'all nodes', label: 'all nodes', cells: [16, 15], summary: true },
    ],
    notes: [],
  };
  const ids = (sort?: Parameters<typeof sortedRows>[1]) => sortedRows(t, sort).map((r) => r.id);
  assert.deepEqual(ids(), ['node10', 'node2', 'node1', 'node3', 'all nodes'], 'unsorted: as the service gave them');
  assert.deepEqual(
    ids({ column: 0, direction: 'descending' }),
    ['node2', 'node10', 'node1', 'node3', 'all nodes'],
    '10 > 2, ties keep their order',
  );
  assert.deepEqual(ids({ column: 0, direction: 'ascending' }), ['node10', 'node1', 'node3', 'node2', 'all nodes']);
  assert.deepEqual(ids({ column: 1, direction: 'ascending' }), ['node1', 'node3', 'node10', 'node2', 'all nodes'], 'empty last');
  assert.deepEqual(ids({ column: 1, direction: 'descending' }), ['node10', 'node3', 'node1', 'node2', 'all nodes'], 'empty last both ways');
  assert.deepEqual(ids({ column: LABEL_COLUMN, direction: 'ascending' }), ['node1', 'node2', 'node3', 'node10', 'all nodes']);
  assert.deepEqual(ids({ column: 7, direction: 'ascending' }), ids(), 'a column that is not there sorts nothing');
  // What is copied follows the order shown.
  assert.deepEqual(
    readCsv(tableCsv(t, { column: 0, direction: 'descending' })).map((r) => r[0]),
    ['node', 'node2', 'node10', 'node1', 'node3', 'all nodes'],
  );
  assert.deepEqual(
    (JSON.parse(tableJson(t, { column: LABEL_COLUMN, direction: 'ascending' })) as ResultTable).rows.map((r) => r.id),
    ['node1', 'node2', 'node3', 'node10', 'all nodes'],
  );
});

test('what the table does not cover is said above it: no match, a problem, undated matches, a cut search, unreadable files', () => {
  const base = { pattern: 'x', by: 'day' as const, buckets: [], nodes: [], undated: 0, truncated: false, unreadable: [] };
  assert.deepEqual(countTable(base).notes, ['No line matches.']);
  assert.deepEqual(countTable(base).rows, []);
  assert.deepEqual(countTable({ ...base, problem: 'bad regex: (' }).notes, ['bad regex: (']);
  const partial = countTable({
    ...count,
    undated: 1,
    truncated: true,
    unreadable: Array.from({ length: 22 }, (_, i) => ({ file: `f${i}.log`, message: 'EACCES' })),
  });
  assert.deepEqual(partial.notes.slice(0, 3), [
    '1 match has no time: counted in the totals only.',
    'The search stopped at its limit: these counts are partial.',
    '22 files could not be read (left out):',
  ]);
  assert.equal(partial.notes.length, 3 + 20 + 1);
  assert.equal(partial.notes.at(-1), 'and 2 more unreadable files');
  const approx = statsTable({ ...stats, notNumbers: 2, approximate: 'median and p99 are within 0.5 %' });
  assert.deepEqual(approx.notes, ['2 matches captured no number (left out).', 'median and p99 are within 0.5 %.']);
  assert.deepEqual(statsTable({ ...stats, all: undefined, nodes: [] }).notes, [
    'No line matches with a number in the first capture group.',
  ]);
});

test('node names repeated by several bundles still name their rows apart', () => {
  const t = countTable({
    ...count,
    nodes: [
      { node: 'n1', label: 'cluster-a:n1', total: 1, counts: [1, 0] },
      { node: 'n1', label: 'cluster-b:n1', total: 2, counts: [0, 2] },
    ],
  });
  assert.deepEqual(
    t.rows.map((r) => r.id),
    ['n1', 'cluster-b:n1', 'all nodes'],
  );
});

test("the panel's messages and restored state are checked: ready, copy as CSV / Markdown / JSON with the order shown", () => {
  assert.deepEqual(parseTableMessage({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseTableMessage({ type: 'copy', format: 'csv' }), { type: 'copy', format: 'csv' });
  assert.deepEqual(parseTableMessage({ type: 'copy', format: 'json', sort: { column: -1, direction: 'ascending' } }), {
    type: 'copy',
    format: 'json',
    sort: { column: -1, direction: 'ascending' },
  });
  for (const bad of [
    null,
    'ready',
    { type: 'copy', format: 'html' },
    { type: 'copy', format: 'csv', sort: { column: 1.5, direction: 'ascending' } },
    { type: 'copy', format: 'csv', sort: { column: -2, direction: 'ascending' } },
    { type: 'copy', format: 'csv', sort: { column: 0, direction: 'up' } },
    { type: 'openLine', uri: 'file:///x', line: 1 },
  ])
    assert.equal(parseTableMessage(bad), undefined, JSON.stringify(bad));
  const table = countTable(count);
  const roundTrip = JSON.parse(JSON.stringify({ table, sort: { column: 2, direction: 'descending' } })) as unknown;
  assert.deepEqual(parseTableState(roundTrip), { table, sort: { column: 2, direction: 'descending' } });
  assert.deepEqual(
    parseTableState({ table, sort: { column: 3, direction: 'descending' } }),
    { table },
    'a sort past the columns is dropped',
  );
  assert.equal(parseResultTable({ ...table, rows: [{ id: 'x', label: 'x', cells: [1] }] }), undefined, 'a row narrower than the columns');
  assert.equal(parseResultTable({ ...table, kind: 'html' }), undefined);
  assert.equal(parseResultTable({ ...table, rows: [{ id: 'x', label: 'x', cells: [1, {}, 2] }] }), undefined);
  assert.equal(parseTableState({ sort: { column: 0, direction: 'ascending' } }), undefined);
});
