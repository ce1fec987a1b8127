import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { mdCode, mdLink, mdText, terminalText, uiText } from '../../src/core/inertText';
import { tempDir } from '../helpers';
import { hostileCli } from '../measuredCli';

// The CLI prints bundle text to a terminal: an OSC 8 hyperlink, a colour change or a NUL from a log line
// must show as text, never act. `--json` keeps the exact bytes (JSON.stringify escapes them itself).

const OSC_LINK = '\x1b]8;;http://evil\x07click\x1b]8;;\x07';
const COLOUR = '\x1b[31mred\x1b[0m';
const HOSTILE = `marker ${OSC_LINK} ${COLOUR} nul\0here\ttab \x9b2J c1`;
// Anything a terminal acts on: C0 controls but the newline, DEL, C1 controls.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const RAW_CONTROL = /[\0-\x08\x0b-\x1f\x7f-\x9f]/;

test('terminalText shows ESC, BEL, NUL, CR and C1 controls as glyphs and a tab as a space', () => {
  assert.equal(terminalText('a\x1b[31mb'), 'a␛[31mb');
  assert.equal(terminalText('\x1b]8;;http://evil\x07x'), '␛]8;;http://evil␇x');
  assert.equal(terminalText('nul\0'), 'nul␀');
  assert.equal(terminalText('cr\rlf\n'), 'cr␍lf␊');
  assert.equal(terminalText('a\tb'), 'a b');
  assert.equal(terminalText('csi\x9b2J del\x7f'), 'csi\\u009b2J del␡');
  assert.equal(terminalText('rtl\u202eevil'), 'rtl\\u202eevil');
  assert.equal(terminalText('plain ünïcödé ✓'), 'plain ünïcödé ✓');
  assert.doesNotMatch(terminalText(HOSTILE), RAW_CONTROL);
});

test('mdCode fences a span longer than any backtick run and keeps the text; mdText escapes every active character', () => {
  assert.equal(mdCode('meta_server.cc:408'), '`meta_server.cc:408`');
  assert.equal(mdCode('a`b``c'), '```a`b``c```');
  assert.equal(mdCode('`x`'), '`` `x` ``');
  assert.equal(mdCode('line\rnext'), '`line␍next`');
  assert.doesNotMatch(mdCode('see https://evil.example/'), /https:\/\//);
  assert.equal(mdText('172.20.131.242'), '172.20.131.242');
  assert.equal(mdText('[a](command:x)'), '&#91;a&#93;\\(command:x\\)');
  assert.equal(mdText('<img src=x>'), '&lt;img src=x&gt;');
  assert.equal(mdText('# h'), '\\# h');
});

test('mdLink takes only file URIs and keeps parentheses in the path from ending the link', () => {
  assert.equal(mdLink('f.log:3', 'file:///b/f.log#L3'), '[f.log:3](file:///b/f.log#L3)');
  assert.equal(mdLink('x', 'file:///b/[a](c)/f.log#L1'), '[x](file:///b/%5Ba%5D%28c%29/f.log#L1)');
  assert.throws(() => mdLink('x', 'command:workbench.action.terminal.new'));
  assert.throws(() => mdLink('x', 'https://evil.example/'));
});

test('uiText keeps $(icon) and [label](command:…) in quick picks and notifications from acting', () => {
  assert.doesNotMatch(uiText('$(warning) x'), /\$\(/);
  assert.doesNotMatch(uiText('[a](command:x)'), /\]\(/);
  assert.equal(uiText('$(warning) [a](command:x)').replace(/\u200d/g, ''), '$(warning) [a](command:x)');
});

test('the CLI prints no raw escape sequence or NUL from a log line, and --json keeps the exact text', () => {
  const root = path.join(tempDir('ql-term-'), 'bundle');
  fs.mkdirSync(path.join(root, '10_0_0_1'), { recursive: true });
  const line = `2023-03-14 05:12:24,461 [myid:1] - INFO  [main:QuorumPeer@1] - ${HOSTILE}`;
  fs.writeFileSync(
    path.join(root, '10_0_0_1', 'zookeeper.log'),
    `${line}\n2023-03-14 05:12:25,461 [myid:1] - INFO  [main:QuorumPeer@1] - other\n`,
  );

  const human = hostileCli(['trace', root, 'marker', '--no-cache'], { bundle: root });
  assert.equal(human.status, 0, human.stderr);
  assert.match(human.stdout, /1 line mentions "marker"/);
  assert.doesNotMatch(human.stdout, RAW_CONTROL, 'no raw control character reaches the terminal');
  assert.ok(human.stdout.includes('␛]8;;http://evil␇click'), 'the OSC hyperlink shows as text');
  assert.ok(human.stdout.includes('␛[31mred'), 'the colour change shows as text');
  assert.ok(human.stdout.includes('nul␀here'), 'the NUL shows as text');

  const json = hostileCli(['trace', root, 'marker', '--json', '--no-cache'], { bundle: root });
  assert.equal(json.status, 0, json.stderr);
  const hits = (JSON.parse(json.stdout) as { hits: { text: string }[] }).hits;
  assert.equal(hits.length, 1);
  assert.equal(hits[0].text, line, 'the JSON holds the exact original bytes');
});
