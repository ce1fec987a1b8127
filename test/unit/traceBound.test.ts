import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { BUILTIN_ROLE_RULES } from '../../src/core/rules/roleRules';
import { EarliestHits } from '../../src/core/workflows/earliestHits';
import { grepBundle, type BundleHit } from '../../src/indexer/grepBundle';
import { grepFile } from '../../src/indexer/grepFile';
import * as service from '../../src/service';
import { writeVariedBundle } from '../fixtures/variedBundle';
import { tempDir } from '../helpers';

// A cut trace hands later files the time from which nothing can be kept any more, and their searches stop
// handing over lines past it. The answer must be the very one reached without that: here every file is
// searched on its own with no bound and folded in as the bundle search did before, and the two answers
// (lines, horizon, cut) are compared on seeded bundles whose files step back in time, for several bounds
// and both common and regex text.

async function naive(b: service.BundleHandle, source: string, regex: boolean, max: number) {
  const files = b.index.files;
  const lines = new EarliestHits<BundleHit>(
    max,
    32 * 1024 * 1024,
    (h) => h.time,
    (h) => h.text.length,
    (x, y) => x.file - y.file || x.line - y.line,
  );
  for (const [i, f] of files.entries()) {
    if (f.skipped || f.duplicateOf !== undefined) continue;
    const r = await grepFile({
      absPath: path.join(b.root, ...f.path.split('/')),
      gzip: f.gzip,
      format: f.format,
      checkpoints: f.checkpoints,
      pattern: { source, regex },
      maxMatches: max,
      keep: { kind: 'lines', maxChars: 32 * 1024 * 1024 },
      size: f.size,
      root: b.root,
    });
    const hits = r.hits.map((h) => ({ ...h, file: i }));
    let cutAt: number | undefined;
    if (r.truncated) for (let k = hits.length - 1; k >= 0 && cutAt === undefined; k--) cutAt = hits[k].time;
    lines.add(hits, cutAt);
  }
  const cut = lines.result();
  return { hits: cut.hits.map((h) => `${h.file}:${h.line}`).sort(), horizon: cut.horizon, truncated: cut.truncated };
}

for (const seed of [41, 42]) {
  test(`seeded bundle ${seed}: a trace cut at its bound answers as it did before later files were told the bound`, async () => {
    const v = writeVariedBundle(path.join(tempDir(`ql-bound-${seed}-`), 'b'), { seed, mb: 6 });
    // Lines out of time order: each plain file ends with a copy of its first third (a clock stepped back),
    // so a file's later lines can be earlier than the bound, and where its search stops decides the answer.
    for (const f of fs.readdirSync(v.root, { recursive: true, encoding: 'utf8' })) {
      const abs = path.join(v.root, f);
      if (!fs.statSync(abs).isFile() || abs.endsWith('.gz')) continue;
      const bytes = fs.readFileSync(abs);
      const third = bytes.lastIndexOf(0x0a, Math.floor(bytes.length / 3)) + 1;
      fs.appendFileSync(abs, bytes.subarray(0, third));
    }
    const b = await service.openBundle(v.root, { roleRules: BUILTIN_ROLE_RULES, cacheDir: false });
    let cutSome = 0;
    for (const [source, regex] of [
      [v.queries.phrase, false],
      [v.queries.regex, true],
    ] as const) {
      for (const max of [1, 7, 60, 500]) {
        const want = await naive(b, source, regex, max);
        // In this process, and on worker threads (where the bound travels in the request).
        for (const workers of [0, 2]) {
          const got = await grepBundle(b.index, { source, regex }, { maxMatches: max, workers });
          const lines = got.hits.map((h) => `${h.file}:${h.line}`).sort();
          const answer = { hits: lines, horizon: got.horizon, truncated: got.truncated };
          assert.deepEqual(answer, want, `${source} at most ${max}, ${workers} workers`);
        }
        if (want.truncated) cutSome++;
      }
    }
    assert.ok(cutSome >= 4, `the bounds cut the answer (${cutSome} of 8)`);
  });
}
