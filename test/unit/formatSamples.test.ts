import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';
import { detectFormat, FORMATS, parseLine } from '../../src/core/formats';
import { GLOG_HEADER_SAMPLE, parseGlogHeader } from '../../src/core/formats/glog';
import type { FormatSample, Severity } from '../../src/core/formats/types';
import * as ids from '../../src/core/identifiers';
import { formatIso } from '../../src/core/time';
import { RollingYearClock } from '../../src/core/yearClock';
import { tokenAt, type TokenKind } from '../../src/core/hoverTokens';
import { referenceTokenAt } from '../../src/shared/referenceToken';
import { REPO } from '../helpers';

// A format's knowledge is spelled three times: the parser (src/core/formats), the TextMate grammar (JSON,
// cannot import TS) and the hover tokenizer, plus package.json's firstLine. Every sample line of every
// format is run through all of them, so none can drift from the others.

const GRAMMAR_FILE = path.join(REPO, 'syntaxes/quorum-log.tmLanguage.json');
let grammar: vsctm.IGrammar;

before(async () => {
  const wasm = fs.readFileSync(path.join(REPO, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: (scope: string) =>
      Promise.resolve(scope === 'text.log.quorum' ? vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR_FILE, 'utf8'), GRAMMAR_FILE) : null),
  });
  const g = await registry.loadGrammar('text.log.quorum');
  assert.ok(g);
  grammar = g;
});

/** The scopes of the token covering `at` in `line`. */
function scopesAt(line: string, at: number): string[] {
  const { tokens } = grammar.tokenizeLine(line, vsctm.INITIAL);
  return tokens.find((t) => t.startIndex <= at && at < t.endIndex)?.scopes ?? [];
}

function assertScope(line: string, part: string, scope: string): void {
  const at = line.indexOf(part);
  assert.ok(at >= 0, `"${part}" in ${line}`);
  const scopes = scopesAt(line, at);
  assert.ok(
    scopes.some((s) => s.startsWith(scope)),
    `"${part}" should be ${scope}, got ${scopes.join(' ')}\n  in ${line}`,
  );
}

/** The scope the grammar gives each level (grammar.test.ts pins the same names). */
const SEVERITY_SCOPE: Record<Severity, string> = {
  trace: 'markup.changed',
  debug: 'markup.changed',
  info: 'markup.inserted',
  warn: 'markup.deleted',
  error: 'invalid.illegal',
  fatal: 'invalid.illegal',
};

const ALL = FORMATS.flatMap((format) => format.samples.map((sample) => ({ format, sample })));
const label = (s: FormatSample) => (s.line.length > 70 ? `${s.line.slice(0, 70)}…` : s.line);

/** A clock starting on the sample's own date: a yearless line then reads as the year it expects. */
function clockFor(s: FormatSample): RollingYearClock {
  const [year, month, day] = s.expect.time.slice(0, 10).split('-').map(Number);
  return new RollingYearClock({ year, month, day });
}

test('every format has sample lines, and every sample names its timestamp and level as printed', () => {
  for (const f of FORMATS) assert.ok(f.samples.length > 0, `${f.id} has samples`);
  for (const { sample } of ALL) {
    assert.ok(sample.line.includes(sample.stamp), `stamp "${sample.stamp}" in ${sample.line}`);
    if (sample.level) assert.ok(sample.line.includes(sample.level), `level "${sample.level}" in ${sample.line}`);
  }
});

test('glog samples cover both prefixes and every severity letter, C included', () => {
  const glog = FORMATS.find((f) => f.id === 'glog');
  assert.ok(glog);
  assert.deepEqual(new Set(glog.samples.map((s) => s.line[0])), new Set(['I', 'W', 'E', 'F', 'C']));
  assert.ok(glog.samples.some((s) => /^.\d{8} /.test(s.line)) && glog.samples.some((s) => /^.\d{4} /.test(s.line)));
});

test('each sample line is detected as its format and parsed into the time, severity, thread and location it expects', () => {
  for (const { format, sample } of ALL) {
    assert.equal(detectFormat([sample.line]).id, format.id, `detected: ${label(sample)}`);
    const p = parseLine(format, sample.line, clockFor(sample));
    assert.ok(p, `parses: ${sample.line}`);
    const got = { time: formatIso(p.time), severity: p.severity, thread: p.thread, location: p.location, myid: p.myid };
    const want = { severity: undefined, thread: undefined, location: undefined, myid: undefined, ...sample.expect };
    assert.deepEqual(got, want, sample.line);
  }
});

test('error and fatal samples are counted per minute; the others are not', () => {
  for (const { format, sample } of ALL) {
    const isError = sample.expect.severity === 'error' || sample.expect.severity === 'fatal';
    assert.equal(new RegExp(format.errorLineSource, 'm').test(sample.line), isError, `errorLineSource: ${sample.line}`);
    // The cheap chunk search may start at the newline before the line; it must not miss an error line.
    if (isError && format.errorHit) assert.ok(new RegExp(format.errorHit).test(`\n${sample.line}`), `errorHit: ${sample.line}`);
  }
});

test("the grammar colours each sample's timestamp and its level by severity", () => {
  for (const { sample } of ALL) {
    assertScope(sample.line, sample.stamp, 'comment.timestamp');
    const severity = sample.expect.severity;
    if (severity && sample.level) assertScope(sample.line, sample.level, SEVERITY_SCOPE[severity]);
  }
});

test('the hover finds the glog prefix and ISO times where the samples print them', () => {
  let checked = 0;
  for (const { format, sample } of ALL) {
    const at = sample.line.indexOf(sample.stamp);
    let want: TokenKind | undefined;
    if (format.id === 'glog') want = 'glogPrefix';
    else if (/^\d{4}-\d\d-\d\d[ T]/.test(sample.stamp)) want = 'isoTime';
    if (!want) continue; // yy/MM/dd, syslog and dd-MMM-yyyy times have no hover
    const t = tokenAt(sample.line, at);
    assert.equal(t?.kind, want, sample.line);
    if (want === 'isoTime') assert.equal(t?.text, sample.stamp);
    else assert.equal(t?.start, 0);
    checked++;
  }
  assert.ok(checked >= 20, `${checked} samples checked`);
});

test('package.json firstLine recognises the first line of glog and ZooKeeper files', () => {
  type Manifest = { contributes: { languages: { firstLine: string }[] } };
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as Manifest;
  const firstLine = new RegExp(pkg.contributes.languages[0].firstLine);
  assert.ok(firstLine.test(GLOG_HEADER_SAMPLE.line), GLOG_HEADER_SAMPLE.line);
  for (const { format, sample } of ALL) {
    if (format.id === 'glog' || format.id === 'zookeeper') assert.ok(firstLine.test(sample.line), `firstLine: ${sample.line}`);
  }
});

test('the glog header sample dates the file and the grammar colours its time', () => {
  assert.equal(formatIso(parseGlogHeader(GLOG_HEADER_SAMPLE.line) ?? NaN), GLOG_HEADER_SAMPLE.time);
  assertScope(GLOG_HEADER_SAMPLE.line, '2023/03/14 23:58:23', 'comment.timestamp');
});

interface IdentifierSample {
  name: string;
  line: string;
  text: string;
  /** The identifiers.ts source that finds it (group 2 when it has two groups) and its flags. */
  source: string;
  flags?: string;
  token?: TokenKind;
  /** What Find All References follows from the identifier. */
  reference?: string;
  scope: string;
}

const IDENTIFIERS: readonly IdentifierSample[] = [
  {
    name: 'IPv4 with port',
    line: '2014-04-20 10:45:23,408:57712(0x10e704000):ZOO_ERROR@handle_socket_error_msg@1721: Socket [10.0.131.245:2181]',
    text: '10.0.131.245:2181',
    source: ids.IPV4_PORT,
    token: 'address',
    reference: '10.0.131.245:2181',
    scope: 'constant.language.address',
  },
  {
    name: 'uuid',
    line: 'W1104 22:36:49.492303 125122 session.cc:199] [SESSION EXPIRED]: session_epoch { uuid: "a1ee10af-a8b6-4d50-b11d-eb09642685ac" }',
    text: 'a1ee10af-a8b6-4d50-b11d-eb09642685ac',
    source: ids.UUID,
    token: 'uuid',
    reference: 'a1ee10af-a8b6-4d50-b11d-eb09642685ac',
    scope: 'constant.language.uuid',
  },
  {
    name: 'zxid',
    line: '2023-03-14T01:35:50,953 [myid:] - INFO  [QuorumPeer[myid=1]:Learner@392] - Getting a diff from the leader 0x100000175e',
    text: '0x100000175e',
    source: ids.HEX64,
    token: 'hex',
    reference: '0x100000175e',
    scope: 'constant.numeric.hex.zxid',
  },
  {
    name: 'session id in hex',
    line:
      '2023-03-14T01:35:51,703 [myid:] - INFO  [SessionTracker:ZooKeeperServer@447] - Expiring session 0x1000adfaccc0001, timeout of ' +
      '4000ms exceeded',
    text: '0x1000adfaccc0001',
    source: ids.SESSION_HEX,
    token: 'hex',
    reference: '0x1000adfaccc0001',
    scope: 'constant.numeric.hex.session-id',
  },
  {
    name: 'session id in decimal (kazoo)',
    line: '2019-09-17 05:03:55,526 -connection:connection.py-L656-BLATHER: Session created, session_id: 72069549830963201',
    text: '72069549830963201',
    source: ids.SESSION_DECIMAL,
    flags: 'i',
    token: 'sessionDecimal',
    reference: '72069549830963201',
    scope: 'constant.numeric.decimal.session-id',
  },
  {
    name: 'pid',
    line: '2023-03-15 01:18:36,588|3658843:MainThread:140042024847168|root|INFO|[conftest.py:60]|zbs-metad pid: 65380 started',
    text: 'pid: 65380',
    source: ids.PID,
    reference: 'pid: 65380',
    scope: 'variable.other.key',
  },
  {
    name: 'retcode',
    line: 'E0314 16:32:00.045940 39441 main.cc:81] [ZOO] Socket [10.0.131.245:2181] zk retcode=-7, errno=110(Connection timed out)',
    text: 'retcode=-7',
    source: ids.RETCODE,
    token: 'retcode',
    scope: 'variable.other.key',
  },
  {
    name: 'errno',
    line: 'E0314 16:32:00.045940 39441 main.cc:81] [ZOO] Socket [10.0.131.245:2181] zk retcode=-7, errno=110(Connection timed out)',
    text: 'errno=110(Connection timed out)',
    source: ids.ERRNO,
    token: 'errno',
    scope: 'variable.other.key',
  },
];

test('identifiers.ts, the hover tokenizer, Find All References and the grammar agree on each identifier sample', () => {
  for (const s of IDENTIFIERS) {
    const m = ids.freshRegex(`\\b${s.source}`, s.flags).exec(s.line);
    assert.equal(m?.[2] ?? m?.[0], s.text, `${s.name}: identifiers.ts`);
    const at = s.line.indexOf(s.text);
    if (s.token) {
      const t = tokenAt(s.line, at);
      assert.equal(t?.kind, s.token, `${s.name}: tokenAt kind`);
      assert.equal(t?.text, s.text, `${s.name}: tokenAt text`);
    }
    if (s.reference) assert.equal(referenceTokenAt(s.line, at + 1), s.reference, `${s.name}: referenceTokenAt`);
    assertScope(s.line, s.text, s.scope);
  }
});

test('the grammar spells uuid, hex, address and session id patterns exactly as identifiers.ts does', () => {
  const raw = JSON.parse(fs.readFileSync(GRAMMAR_FILE, 'utf8')) as { repository: { inline: { patterns: { match: string }[] } } };
  const inline = raw.repository.inline.patterns.map((p) => p.match);
  for (const source of [ids.UUID, ids.HEX, ids.IPV4_PORT, ids.SESSION_HEX, ids.SESSION_DECIMAL]) {
    assert.ok(
      inline.some((m) => m.includes(ids.word(source))),
      `grammar has \\b${source}\\b`,
    );
  }
});

test('fresh regexes share no lastIndex, and addresses compare without their port', () => {
  const a = ids.freshRegex(ids.IPV4, 'g');
  a.exec('10.0.0.1 10.0.0.2');
  assert.equal(ids.freshRegex(ids.IPV4, 'g').exec('10.0.0.1')?.[0], '10.0.0.1');
  assert.equal(ids.withoutPort('10.0.131.242:2181'), '10.0.131.242');
  assert.ok(ids.isWhole(ids.HEX64, '0X1F', 'i'));
  assert.ok(!ids.isWhole(ids.HEX64, '0x1F zzz'));
});
