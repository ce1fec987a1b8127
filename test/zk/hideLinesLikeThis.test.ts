import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { similarLinesRegex } from '../../src/core/clusterLog/similarLines';
import { BUILTIN_ROLE_RULES } from '../../src/core/rules/roleRules';
import { formatIso } from '../../src/core/time';
import * as service from '../../src/service';

/**
 * Hide Lines Like This on the real ensemble's bundle (`node out/test/zk/makeBundle.js` writes it to
 * /tmp/zk-real-bundle; QL_ZK_BUNDLE names another): the regex made from one `Processing srvr command` line
 * hides every one of them on every server — and no other line of the bundle. Checked against the files
 * themselves, read without the product.
 */
const bundle = path.resolve(process.env.QL_ZK_BUNDLE ?? '/tmp/zk-real-bundle');
const absent = fs.existsSync(path.join(bundle, '127_0_0_11'))
  ? undefined
  : `no real ensemble bundle at ${bundle} (node out/test/zk/makeBundle.js writes one)`;

test('hide lines like a srvr line: every srvr line of the real ensemble hidden, nothing else', { skip: absent ?? false }, async () => {
  const rules = [...BUILTIN_ROLE_RULES];
  const ctx: service.ServiceContext = {
    rules,
    clockOffsetsMs: {},
    label: formatIso,
    bundles: [await service.openBundle(bundle, { roleRules: rules, cacheDir: false })],
  };
  const all = await service.mergedLines(ctx, { limit: 1_000_000 });
  const srvr = all.lines.filter((l) => l.text.includes('Processing srvr command'));
  assert.ok(srvr.length > 100, `${srvr.length} srvr lines`);
  const re = similarLinesRegex(srvr[Math.floor(srvr.length / 2)].text);
  assert.ok(re);
  const kept = await service.mergedLines(ctx, { limit: 1_000_000, exclude: [re] });
  assert.equal(kept.problem, undefined);
  // The oracle: the servers' own lines, by a pattern written by hand.
  const isSrvr = (t: string) => / - Processing srvr command from \/127\.0\.0\.1:\d+$/.test(t);
  const id = (l: service.MergeResult['lines'][number]) => `${l.location.file}:${l.location.line}`;
  const expected = all.lines.filter((l) => !isSrvr(l.text)).map(id);
  assert.deepEqual(kept.lines.map(id), expected);
  assert.ok(all.lines.length - kept.lines.length === all.lines.filter((l) => isSrvr(l.text)).length);
  // Lines that name srvr otherwise (the list of four-letter commands) stay.
  assert.ok(kept.lines.some((l) => l.text.includes('srvr')));
});
